package dev.fusion4j.encoders.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;

/**
 * Conversions to packed {@code 0xRRGGBB} pixels ({@code int[width * height]}, row-major), the format of
 * a {@code TYPE_INT_RGB} image. Alpha is composited over white in the image's (gamma-encoded) values,
 * as PIL and browsers do.
 */
final class RgbPixels {
    private static final int WHITE = 0xFFFFFF;
    private static final int[] RGB_MASKS = {0xFF0000, 0xFF00, 0xFF};
    private static final ColorModel RGB_MODEL = new DirectColorModel(24, RGB_MASKS[0], RGB_MASKS[1], RGB_MASKS[2]);

    private RgbPixels() {
    }

    /**
     * The pixels of {@code image} as packed RGB. For a plain {@code TYPE_INT_RGB} image this is the
     * image's own array, not a copy: read it, do not change it. The top byte of each value is
     * undefined; mask it off.
     */
    static int[] of(BufferedImage image) {
        int[] own = backingArray(image);
        return own != null ? own : convert(image);
    }

    /** A {@code TYPE_INT_RGB} image over {@code pixels} (not copied). */
    static BufferedImage wrap(int[] pixels, int width, int height) {
        DataBufferInt buffer = new DataBufferInt(pixels, width * height);
        WritableRaster raster = Raster.createPackedRaster(buffer, width, height, width, RGB_MASKS, null);
        return new BufferedImage(RGB_MODEL, raster, false, null);
    }

    /** The backing array of a {@code TYPE_INT_RGB} image laid out as one dense row-major block, else null. */
    static int[] backingArray(BufferedImage image) {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            return null;
        }
        WritableRaster raster = image.getRaster();
        int width = image.getWidth();
        if (raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0
                || !(raster.getDataBuffer() instanceof DataBufferInt buffer) || buffer.getNumBanks() != 1
                || buffer.getOffset() != 0
                || !(raster.getSampleModel() instanceof SinglePixelPackedSampleModel model)
                || model.getScanlineStride() != width) {
            return null;
        }
        int[] data = buffer.getData();
        return data.length >= width * image.getHeight() ? data : null;
    }

    /** Converts any image, compositing alpha over white. */
    private static int[] convert(BufferedImage image) {
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        int transfer = raster.getTransferType();
        boolean integral = transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT;
        if (model instanceof IndexColorModel palette && raster.getNumBands() == 1 && integral) {
            return fromPalette(palette, raster);
        }
        if (model instanceof ComponentColorModel && !model.isAlphaPremultiplied() && integral
                && raster.getNumBands() == model.getNumComponents() && isPlainSpace(model.getColorSpace())) {
            int[] packed = model.hasAlpha() || !isEightBit(model) ? null : new Rows(raster).packOpaque();
            return packed != null ? packed : fromComponents(model, raster);
        }
        return fromArgb(image);
    }

    /** sRGB, or grey (whose samples are stored gamma-encoded in PNG and JPEG, so used as they are). */
    private static boolean isPlainSpace(ColorSpace space) {
        return space.isCS_sRGB() && space.getNumComponents() == 3
                || space.getType() == ColorSpace.TYPE_GRAY && space.getNumComponents() == 1;
    }

    private static int[] fromPalette(IndexColorModel palette, Raster raster) {
        int[] lut = new int[palette.getMapSize()];
        palette.getRGBs(lut);
        for (int i = 0; i < lut.length; i++) {
            lut[i] = overWhite(lut[i]);
        }
        return convertRows(raster, (row, i) -> row[i] >= 0 && row[i] < lut.length ? lut[row[i]] : 0);
    }

    /** Grey, grey+alpha, RGB or RGBA samples of 1 to 16 bits, scaled to 8 bits. */
    private static int[] fromComponents(ColorModel model, Raster raster) {
        int bands = raster.getNumBands();
        int colours = model.getNumColorComponents();
        boolean alpha = model.hasAlpha();
        int[] max = new int[bands];
        for (int b = 0; b < bands; b++) {
            max[b] = (1 << Math.min(model.getComponentSize(b), 16)) - 1;
        }
        return convertRows(raster, (row, i) -> {
            int first = to8Bits(row[i], max[0]);
            int rgb = colours == 1 ? first * 0x010101
                    : (first << 16) | (to8Bits(row[i + 1], max[1]) << 8) | to8Bits(row[i + 2], max[2]);
            return alpha ? overWhite((to8Bits(row[i + colours], max[colours]) << 24) | rgb) : rgb;
        });
    }

    private static boolean isEightBit(ColorModel model) {
        for (int b = 0; b < model.getNumComponents(); b++) {
            if (model.getComponentSize(b) != 8) {
                return false;
            }
        }
        return true;
    }

    private static int to8Bits(int sample, int max) {
        return max == 255 ? sample : (sample * 255 + max / 2) / max;
    }

    /** Anything else (direct, premultiplied, ICC, float): Java's own conversion to sRGB ARGB. */
    private static int[] fromArgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] out = new int[width * height];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, out, y * width, width);
        }
        if (image.getColorModel().hasAlpha()) {
            for (int i = 0; i < out.length; i++) {
                out[i] = overWhite(out[i]);
            }
        }
        return out;
    }

    /** Non-premultiplied ARGB composited over white, as RGB. */
    static int overWhite(int argb) {
        int a = argb >>> 24;
        if (a == 255) {
            return argb & WHITE;
        }
        int background = 255 * (255 - a) + 127;
        int r = (((argb >> 16) & 0xFF) * a + background) / 255;
        int g = (((argb >> 8) & 0xFF) * a + background) / 255;
        int b = ((argb & 0xFF) * a + background) / 255;
        return (r << 16) | (g << 8) | b;
    }

    /**
     * Converts the raw raster of a 4-component JPEG to RGB. YCCK ({@code adobeTransform == 2}) is first
     * turned into CMYK as libjpeg does ({@code C = 255 - R} of the YCbCr part, K unchanged). Files with an
     * Adobe APP14 segment store inverted CMYK (Adobe's convention, 255 = no ink); files without one are
     * taken as plain CMYK. The conversion is the naive, profile-free one, {@code R = 255 (1-C)(1-K)} and
     * so on: colours are approximate (no ICC profile is applied) but hue and lightness are right.
     */
    static int[] fromCmykRaster(Raster raster, int adobeTransform) {
        boolean ycck = adobeTransform == JpegMarkers.ADOBE_YCCK;
        boolean inverted = adobeTransform != JpegMarkers.NO_ADOBE;
        return convertRows(raster, (row, i) -> {
            int c = row[i];
            int m = row[i + 1];
            int ye = row[i + 2];
            if (ycck) {
                int rgb = yccToRgb(c, m, ye);
                c = 255 - (rgb >> 16);
                m = 255 - ((rgb >> 8) & 0xFF);
                ye = 255 - (rgb & 0xFF);
            }
            int k = row[i + 3];
            if (!inverted) { // plain CMYK: 255 = full ink; make it 255 = no ink
                c = 255 - c;
                m = 255 - m;
                ye = 255 - ye;
                k = 255 - k;
            }
            return ((c * k + 127) / 255 << 16) | ((m * k + 127) / 255 << 8) | (ye * k + 127) / 255;
        });
    }

    /** Converts the raw raster of a 1- or 3-component JPEG (grey, YCbCr, or RGB when {@code rgb}). */
    static int[] fromJpegRaster(Raster raster, boolean rgb) {
        if (raster.getNumBands() < 3) {
            return convertRows(raster, (row, i) -> row[i] * 0x010101);
        }
        if (rgb) {
            return convertRows(raster, (row, i) -> (row[i] << 16) | (row[i + 1] << 8) | row[i + 2]);
        }
        return convertRows(raster, (row, i) -> yccToRgb(row[i], row[i + 1], row[i + 2]));
    }

    /** Turns the samples of one pixel, {@code row[i ..]} in band order, into packed RGB. */
    @FunctionalInterface
    private interface PixelConverter {
        int rgb(int[] row, int i);
    }

    /** Converts a raster pixel by pixel, reading it a row at a time. */
    private static int[] convertRows(Raster raster, PixelConverter converter) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bands = raster.getNumBands();
        int[] out = new int[width * height];
        int[] row = new int[width * bands];
        Rows rows = new Rows(raster);
        for (int y = 0; y < height; y++) {
            rows.read(y, row);
            int base = y * width;
            for (int x = 0, i = 0; x < width; x++, i += bands) {
                out[base + x] = converter.rgb(row, i);
            }
        }
        return out;
    }

    /** JFIF full-range YCbCr to packed RGB. */
    static int yccToRgb(int y, int cb, int cr) {
        double u = cb - 128.0;
        double v = cr - 128.0;
        int r = clamp(y + 1.402 * v);
        int g = clamp(y - 0.344136 * u - 0.714136 * v);
        int b = clamp(y + 1.772 * u);
        return (r << 16) | (g << 8) | b;
    }

    private static int clamp(double value) {
        long rounded = Math.round(value);
        return rounded < 0 ? 0 : rounded > 255 ? 255 : (int) rounded;
    }

    /**
     * Applies an EXIF orientation (1 to 8) to packed pixels; returns {@code {width, height}} of the result
     * in {@code size}. Orientation 1 returns the same array.
     */
    static int[] orient(int[] pixels, int width, int height, int orientation, int[] size) {
        boolean swap = orientation >= 5 && orientation <= 8;
        int outWidth = swap ? height : width;
        int outHeight = swap ? width : height;
        size[0] = outWidth;
        size[1] = outHeight;
        if (orientation < 2 || orientation > 8) {
            return pixels;
        }
        int[] out = new int[pixels.length];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = width - 1 - x; sy = y; }              // mirror horizontally
                    case 3 -> { sx = width - 1 - x; sy = height - 1 - y; } // rotate 180
                    case 4 -> { sx = x; sy = height - 1 - y; }             // mirror vertically
                    case 5 -> { sx = y; sy = x; }                          // transpose
                    case 6 -> { sx = y; sy = height - 1 - x; }             // rotate 90 clockwise
                    case 7 -> { sx = width - 1 - y; sy = height - 1 - x; } // transverse
                    default -> { sx = width - 1 - y; sy = x; }             // 8: rotate 90 anticlockwise
                }
                out[y * outWidth + x] = pixels[sy * width + sx];
            }
        }
        return out;
    }

    /**
     * Reads a raster row by row as interleaved samples in band order, straight from the byte array for
     * the usual byte-interleaved rasters (JPEG and PNG decodes): {@code Raster.getPixels} goes through
     * a virtual call per sample and is several times slower on large photos.
     */
    private static final class Rows {
        private final Raster raster;
        private final byte[] bytes;
        private final int[] bandOffsets;
        private final int pixelStride;
        private final int scanlineStride;
        private final int origin;

        Rows(Raster raster) {
            this.raster = raster;
            byte[] data = null;
            int[] offsets = null;
            int pixel = 0;
            int scanline = 0;
            int start = 0;
            if (raster.getDataBuffer() instanceof DataBufferByte buffer && buffer.getNumBanks() == 1
                    && raster.getSampleModel() instanceof ComponentSampleModel model
                    && Arrays.stream(model.getBankIndices()).allMatch(bank -> bank == 0)) {
                data = buffer.getData();
                offsets = model.getBandOffsets();
                pixel = model.getPixelStride();
                scanline = model.getScanlineStride();
                start = buffer.getOffset()
                        + (raster.getMinY() - raster.getSampleModelTranslateY()) * scanline
                        + (raster.getMinX() - raster.getSampleModelTranslateX()) * pixel;
            }
            this.bytes = data;
            this.bandOffsets = offsets;
            this.pixelStride = pixel;
            this.scanlineStride = scanline;
            this.origin = start;
        }

        /**
         * Packs opaque 8-bit grey or RGB samples straight from the byte array (ImageIO's JPEG decodes are
         * {@code TYPE_3BYTE_BGR}): one tight loop per layout, no call per pixel. The same values as
         * {@link #convertRows} with {@link #fromComponents}; null when the raster is not byte-interleaved
         * or has neither 1 nor 3 bands.
         */
        int[] packOpaque() {
            int bands = bandOffsets == null ? 0 : bandOffsets.length;
            if (bands != 1 && bands != 3) {
                return null;
            }
            int width = raster.getWidth();
            int height = raster.getHeight();
            int[] out = new int[width * height];
            byte[] b = bytes;
            int step = pixelStride;
            for (int y = 0, i = 0; y < height; y++) {
                int at = origin + y * scanlineStride;
                if (bands == 1) {
                    int o = at + bandOffsets[0];
                    for (int x = 0; x < width; x++, i++, o += step) {
                        out[i] = (b[o] & 0xFF) * 0x010101;
                    }
                } else {
                    int r = at + bandOffsets[0];
                    int g = at + bandOffsets[1];
                    int bl = at + bandOffsets[2];
                    for (int x = 0, k = 0; x < width; x++, i++, k += step) {
                        out[i] = (b[r + k] & 0xFF) << 16 | (b[g + k] & 0xFF) << 8 | b[bl + k] & 0xFF;
                    }
                }
            }
            return out;
        }

        void read(int y, int[] row) {
            int width = raster.getWidth();
            if (bytes == null) {
                raster.getPixels(raster.getMinX(), raster.getMinY() + y, width, 1, row);
                return;
            }
            int bands = bandOffsets.length;
            int at = origin + y * scanlineStride;
            int i = 0;
            for (int x = 0; x < width; x++, at += pixelStride) {
                for (int b = 0; b < bands; b++) {
                    row[i++] = bytes[at + bandOffsets[b]] & 0xFF;
                }
            }
        }
    }
}
