package dev.fusion4j.encoders.image;

import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.InvalidInputException;
import java.awt.Rectangle;
import java.awt.color.CMMException;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * Decodes an {@link ImageInput} into an sRGB {@link BufferedImage#TYPE_INT_RGB} image.
 *
 * <ul>
 *   <li>Formats: PNG, JPEG, GIF (the first frame of an animation) and BMP, recognised from their first
 *       bytes, whatever the file name says. Anything else is refused.
 *   <li>The size is read from the header first: an image of more than {@code maxPixels} pixels, or with
 *       a zero or negative side, is refused before any pixel is decoded.
 *   <li>Alpha is composited over white; grey (8 and 16 bits), palette and 16-bit images become 8-bit
 *       RGB. Grey samples are taken as they are (not run through Java's linear-grey colour space).
 *   <li>CMYK and YCCK JPEGs are converted with the naive formula {@code R = 255 (1-C)(1-K)} (no ICC
 *       profile; Adobe APP14 files are taken as inverted CMYK, as Photoshop writes them).
 *   <li>JPEG EXIF orientation (1 to 8) is applied; malformed EXIF is ignored. PNG eXIf is not read.
 *   <li>Empty, truncated, corrupt or foreign bytes give an {@link InvalidInputException} that names the
 *       input ({@link ImageInput#describe()}) and says what is wrong; so does every failure inside
 *       ImageIO, including an {@code OutOfMemoryError} while decoding. JPEG "premature end" warnings
 *       count as errors, so a truncated JPEG is not returned half grey.
 * </ul>
 *
 * <p>Stateless and thread-safe: each call uses its own {@link ImageReader} and disposes it.
 */
public final class ImageDecoder {
    /** The default limit on width * height: 40 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

    private static final String FORMATS = "a PNG, JPEG, GIF or BMP image";

    /** Image formats this decoder reads, with their ImageIO format name. */
    private enum Format {
        PNG("png"), JPEG("jpeg"), GIF("gif"), BMP("bmp");

        final String imageIoName;

        Format(String imageIoName) {
            this.imageIoName = imageIoName;
        }

        static Format sniff(byte[] d) {
            if (startsWith(d, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
                return PNG;
            }
            if (startsWith(d, 0, 0xFF, 0xD8, 0xFF)) {
                return JPEG;
            }
            if (startsWith(d, 0, 'G', 'I', 'F', '8')) {
                return GIF;
            }
            if (d.length >= 26 && startsWith(d, 0, 'B', 'M')) {
                return BMP;
            }
            return null;
        }
    }

    /** Creates a decoder; it holds no state, so one can be shared. */
    public ImageDecoder() {
    }

    /** Decodes with the default limit of {@value #DEFAULT_MAX_PIXELS} pixels. */
    public BufferedImage decode(ImageInput input) {
        return decode(input, DEFAULT_MAX_PIXELS);
    }

    /**
     * Decodes an image to {@code TYPE_INT_RGB}. A {@link ImageInput#of(BufferedImage) decoded} input that
     * is already a plain {@code TYPE_INT_RGB} image is returned as it is, not copied.
     *
     * @param maxPixels the largest width * height accepted, checked before decoding
     * @throws InvalidInputException if the input is missing, empty, not a supported image, truncated,
     *     corrupt or larger than {@code maxPixels}
     */
    public BufferedImage decode(ImageInput input, long maxPixels) {
        if (input == null) {
            throw new InvalidInputException("Image input is null: pass an ImageInput");
        }
        if (maxPixels <= 0) {
            throw new InvalidInputException("maxPixels is " + maxPixels + ": use a positive pixel count");
        }
        Optional<BufferedImage> decoded = input.bufferedImage();
        if (decoded.isPresent()) {
            return fromBufferedImage(input, decoded.get(), maxPixels);
        }
        return fromBytes(input, input.readBytes(), maxPixels);
    }

    private static BufferedImage fromBufferedImage(ImageInput input, BufferedImage image, long maxPixels) {
        checkSize(input, image.getWidth(), image.getHeight(), maxPixels);
        if (RgbPixels.backingArray(image) != null) {
            return image;
        }
        try {
            return RgbPixels.wrap(RgbPixels.of(image), image.getWidth(), image.getHeight());
        } catch (RuntimeException e) {
            throw new InvalidInputException("Could not convert " + input.describe() + " (" + image.getColorModel()
                    .getColorSpace().getClass().getSimpleName() + ") to RGB: " + e, e);
        }
    }

    private static BufferedImage fromBytes(ImageInput input, byte[] bytes, long maxPixels) {
        if (bytes.length == 0) {
            throw new InvalidInputException(capitalised(input.describe()) + " is empty (0 bytes): not " + FORMATS);
        }
        Format format = Format.sniff(bytes);
        if (format == null) {
            throw new InvalidInputException(capitalised(input.describe()) + " is not " + FORMATS + guess(bytes));
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName);
        if (!readers.hasNext()) {
            throw new IllegalStateException("This Java runtime has no ImageIO reader for " + format);
        }
        ImageReader reader = readers.next();
        try (BytesInputStream stream = new BytesInputStream(bytes)) {
            return read(input, bytes, format, reader, stream, maxPixels);
        } catch (InvalidInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(input, format, e);
        } catch (OutOfMemoryError e) {
            throw new InvalidInputException("Not enough memory to decode " + input.describe() + " as " + format
                    + ": give the JVM more heap (-Xmx) or lower maxPixels to refuse such images", e);
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage read(ImageInput input, byte[] bytes, Format format, ImageReader reader,
            BytesInputStream stream, long maxPixels) throws IOException {
        reader.setInput(stream, false, true);
        TruncationWarnings warnings = new TruncationWarnings();
        reader.addIIOReadWarningListener(warnings);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        checkSize(input, width, height, maxPixels);
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(new Rectangle(0, 0, width, height));
        JpegMarkers jpeg = format == Format.JPEG ? JpegMarkers.scan(bytes) : null;
        int[] pixels;
        if (jpeg != null && jpeg.components == 4) {
            Raster raster = reader.readRaster(0, param);
            pixels = RgbPixels.fromCmykRaster(raster, jpeg.adobeTransform);
            width = raster.getWidth();
            height = raster.getHeight();
        } else {
            BufferedImage image;
            try {
                image = reader.read(0, param);
            } catch (IIOException | CMMException | IllegalArgumentException e) {
                if (jpeg == null || !isColourProblem(e)) {
                    throw e;
                }
                // An ICC profile or colour space Java cannot handle: convert the raw samples ourselves.
                warnings.check(input, format);
                Raster raster = reader.readRaster(0, param);
                boolean rgb = jpeg.adobeTransform == JpegMarkers.ADOBE_UNKNOWN;
                image = RgbPixels.wrap(RgbPixels.fromJpegRaster(raster, rgb), raster.getWidth(), raster.getHeight());
            }
            pixels = RgbPixels.of(image);
            width = image.getWidth();
            height = image.getHeight();
        }
        warnings.check(input, format);
        if (jpeg != null && jpeg.orientation != 1) {
            int[] size = new int[2];
            pixels = RgbPixels.orient(pixels, width, height, jpeg.orientation, size);
            width = size[0];
            height = size[1];
        }
        return RgbPixels.wrap(pixels, width, height);
    }

    private static boolean isColourProblem(Exception e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return !(e instanceof IIOException) || message.contains("unsupported image type")
                || message.contains("color") || message.contains("colour") || message.contains("icc");
    }

    private static void checkSize(ImageInput input, int width, int height, long maxPixels) {
        if (width <= 0 || height <= 0) {
            throw new InvalidInputException(capitalised(input.describe()) + " has an invalid size " + width + "x"
                    + height + " in its header: the file is corrupt");
        }
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new InvalidInputException(capitalised(input.describe()) + " is " + width + "x" + height + " = "
                    + pixels + " pixels, more than the limit of " + maxPixels + " pixels: downscale the image, or"
                    + " raise the limit (maxPixels of the image preprocessor) if the memory allows it");
        }
    }

    private static InvalidInputException corrupt(ImageInput input, Format format, Throwable cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new InvalidInputException(capitalised(input.describe()) + " is a truncated or corrupt " + format
                + " image (" + detail + "): re-export or re-download it", cause);
    }

    /** A hint about what the bytes are, for the "not an image" message. */
    private static String guess(byte[] d) {
        String kind = null;
        if (d.length >= 12 && startsWith(d, 0, 'R', 'I', 'F', 'F') && startsWith(d, 8, 'W', 'E', 'B', 'P')) {
            kind = "WebP";
        } else if (startsWith(d, 0, 'I', 'I', 42, 0) || startsWith(d, 0, 'M', 'M', 0, 42)) {
            kind = "TIFF";
        } else if (startsWith(d, 4, 'f', 't', 'y', 'p')) {
            kind = "HEIF/AVIF or MP4";
        } else if (startsWith(d, 0, '%', 'P', 'D', 'F')) {
            kind = "PDF";
        } else if (startsWith(d, 0, 0, 0, 1, 0)) {
            kind = "ICO";
        }
        if (kind != null) {
            return " (it looks like a " + kind + " file): convert it to PNG or JPEG";
        }
        int n = Math.min(d.length, 16);
        boolean text = true;
        for (int i = 0; i < n && text; i++) {
            int b = d[i] & 0xFF;
            text = b >= 0x20 && b < 0x7F || b == '\n' || b == '\r' || b == '\t';
        }
        if (text) {
            String start = new String(d, 0, n, StandardCharsets.US_ASCII).replaceAll("\\s+", " ");
            return " (it looks like text: \"" + start + (d.length > n ? "..." : "") + "\")";
        }
        StringBuilder hex = new StringBuilder(" (it starts with bytes");
        for (int i = 0; i < Math.min(n, 8); i++) {
            hex.append(String.format(" %02x", d[i] & 0xFF));
        }
        return hex.append(')').toString();
    }

    private static boolean startsWith(byte[] d, int offset, int... prefix) {
        if (d.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((d[offset + i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Records the first warning that means the data ended early. */
    private static final class TruncationWarnings implements IIOReadWarningListener {
        private volatile String truncation;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            String lower = String.valueOf(warning).toLowerCase(Locale.ROOT);
            if (truncation == null && (lower.contains("premature end") || lower.contains("truncat")
                    || lower.contains("missing eoi"))) {
                truncation = warning;
            }
        }

        void check(ImageInput input, Format format) {
            if (truncation != null) {
                throw new InvalidInputException(capitalised(input.describe()) + " is a truncated or corrupt " + format
                        + " image (" + truncation + "): re-export or re-download it");
            }
        }
    }

    /** An {@code ImageInputStream} over a byte array, without ImageIO's copy into a cache. */
    private static final class BytesInputStream extends ImageInputStreamImpl {
        private final byte[] bytes;

        BytesInputStream(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() throws IOException {
            checkClosed();
            bitOffset = 0;
            return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            checkClosed();
            if (off < 0 || len < 0 || off + len > b.length || off + len < 0) {
                throw new IndexOutOfBoundsException("off=" + off + " len=" + len + " length=" + b.length);
            }
            bitOffset = 0;
            if (len == 0) {
                return 0;
            }
            if (streamPos >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(len, bytes.length - streamPos);
            System.arraycopy(bytes, (int) streamPos, b, off, n);
            streamPos += n;
            return n;
        }

        @Override
        public long length() {
            return bytes.length;
        }
    }
}
