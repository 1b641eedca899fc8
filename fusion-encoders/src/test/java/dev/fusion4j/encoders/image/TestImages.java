package dev.fusion4j.encoders.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Synthetic images and hand-made file bytes for the image tests. */
final class TestImages {
    private TestImages() {
    }

    static BufferedImage solid(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** An opaque image of seeded random colours. */
    static BufferedImage noise(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt() & 0xFFFFFF);
            }
        }
        return image;
    }

    /** A grey image from a row-major table of levels. */
    static BufferedImage grey(int width, int height, int... levels) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, levels[y * width + x] * 0x010101);
            }
        }
        return image;
    }

    /** Encodes with ImageIO's default writer for the format ("png", "gif", "bmp", "jpeg"). */
    static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("No " + format + " writer for " + image);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JPEG at quality 1.0 (nearly lossless); also takes a bare 4-band {@link Raster} as CMYK. */
    static byte[] jpeg(BufferedImage image, Raster raster) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(1f);
            IIOImage content = image != null ? new IIOImage(image, null, null) : new IIOImage(raster, null, null);
            writer.write(null, content, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    static byte[] jpeg(BufferedImage image) {
        return jpeg(image, null);
    }

    /** A plain CMYK JPEG (no Adobe segment) of one CMYK value. */
    static byte[] cmykJpeg(int width, int height, int c, int m, int y, int k) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        for (int j = 0; j < height; j++) {
            for (int i = 0; i < width; i++) {
                raster.setPixel(i, j, new int[] {c, m, y, k});
            }
        }
        return jpeg(null, raster);
    }

    /** An Adobe APP14 segment with the given transform (0 CMYK/RGB, 1 YCbCr, 2 YCCK). */
    static byte[] adobeSegment(int transform) {
        byte[] payload = new byte[12];
        System.arraycopy("Adobe".getBytes(StandardCharsets.US_ASCII), 0, payload, 0, 5);
        payload[5] = 0;
        payload[6] = 100; // version 100
        payload[11] = (byte) transform;
        return segment(0xEE, payload);
    }

    /** An APP1 Exif segment whose IFD0 holds only the orientation tag. */
    static byte[] exifSegment(int orientation, boolean littleEndian) {
        ByteBuffer tiff = ByteBuffer.allocate(26)
                .order(littleEndian ? java.nio.ByteOrder.LITTLE_ENDIAN : java.nio.ByteOrder.BIG_ENDIAN);
        tiff.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M');
        tiff.putShort((short) 42).putInt(8); // TIFF header, IFD0 at offset 8
        tiff.putShort((short) 1); // one entry
        tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0); // no next IFD
        return exifSegment(tiff.array());
    }

    /** An APP1 Exif segment around a raw TIFF block (which may be malformed). */
    static byte[] exifSegment(byte[] tiff) {
        byte[] payload = new byte[6 + tiff.length];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.US_ASCII), 0, payload, 0, 6);
        System.arraycopy(tiff, 0, payload, 6, tiff.length);
        return segment(0xE1, payload);
    }

    private static byte[] segment(int marker, byte[] payload) {
        byte[] out = new byte[4 + payload.length];
        out[0] = (byte) 0xFF;
        out[1] = (byte) marker;
        out[2] = (byte) ((payload.length + 2) >> 8);
        out[3] = (byte) (payload.length + 2);
        System.arraycopy(payload, 0, out, 4, payload.length);
        return out;
    }

    /** Inserts a segment after SOI and the JFIF APP0 segment if there is one. */
    static byte[] insertSegment(byte[] jpeg, byte[] segment) {
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            at = 4 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
        }
        byte[] out = new byte[jpeg.length + segment.length];
        System.arraycopy(jpeg, 0, out, 0, at);
        System.arraycopy(segment, 0, out, at, segment.length);
        System.arraycopy(jpeg, at, out, at + segment.length, jpeg.length - at);
        return out;
    }

    /** A PNG made of the signature and an IHDR chunk (correct CRC) claiming the given size. */
    static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height);
        ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0); // 8-bit RGB
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        png.putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        return png.array();
    }

    /** A copy of a JPEG whose SOF0 header claims the given size. */
    static byte[] jpegClaiming(byte[] jpeg, int width, int height) {
        byte[] out = jpeg.clone();
        for (int i = 2; i + 9 < out.length; i++) {
            if ((out[i] & 0xFF) == 0xFF && (out[i + 1] & 0xFF) == 0xC0) {
                out[i + 5] = (byte) (height >> 8);
                out[i + 6] = (byte) height;
                out[i + 7] = (byte) (width >> 8);
                out[i + 8] = (byte) width;
                return out;
            }
        }
        throw new IllegalStateException("No SOF0 segment");
    }
}
