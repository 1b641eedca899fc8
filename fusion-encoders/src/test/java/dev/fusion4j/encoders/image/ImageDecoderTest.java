package dev.fusion4j.encoders.image;

import static dev.fusion4j.encoders.image.TestImages.encode;
import static dev.fusion4j.encoders.image.TestImages.jpeg;
import static dev.fusion4j.encoders.image.TestImages.solid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.InvalidInputException;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {
    private static final Path IMAGES = Path.of("src/test/resources/images");
    private final ImageDecoder decoder = new ImageDecoder();

    private BufferedImage decode(byte[] bytes) {
        return decoder.decode(ImageInput.of(bytes), ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    private static void assertRgb(BufferedImage image, int x, int y, int expected, int tolerance) {
        int actual = image.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
            assertThat((actual >> shift) & 0xFF)
                    .as("channel at bit %d of pixel (%d,%d) = %06x, expected %06x", shift, x, y, actual & 0xFFFFFF, expected)
                    .isCloseTo((expected >> shift) & 0xFF, org.assertj.core.data.Offset.offset(tolerance));
        }
    }

    private static BufferedImage quadrants() {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        int[] colours = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00};
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, colours[(y / 16) * 2 + x / 16]);
            }
        }
        return image;
    }

    @ParameterizedTest
    @CsvSource({"png,0", "bmp,0", "gif,0", "jpeg,12"})
    void decodesEachFormatToIntRgbWithTheRightColours(String format, int tolerance) {
        byte[] bytes = format.equals("jpeg") ? jpeg(quadrants()) : encode(quadrants(), format);

        BufferedImage image = decode(bytes);

        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(image.getWidth()).isEqualTo(32);
        assertThat(image.getHeight()).isEqualTo(32);
        assertRgb(image, 4, 4, 0xFF0000, tolerance);
        assertRgb(image, 27, 4, 0x00FF00, tolerance);
        assertRgb(image, 4, 27, 0x0000FF, tolerance);
        assertRgb(image, 27, 27, 0xFFFF00, tolerance);
    }

    @Test
    void readsFilesAndNamesMissingOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("photo.png");
        Files.write(file, encode(solid(3, 2, 0x123456), "png"));

        BufferedImage image = decoder.decode(ImageInput.of(file));

        assertRgb(image, 2, 1, 0x123456, 0);
        assertThatThrownBy(() -> decoder.decode(ImageInput.of(dir.resolve("missing.png"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("missing.png");
    }

    @Test
    void compositesTransparentPixelsOverWhite() {
        BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00000000); // fully transparent black
        argb.setRGB(1, 0, 0xFF0000FF); // opaque blue
        argb.setRGB(2, 0, 0x80FF0000); // half transparent red

        BufferedImage image = decode(encode(argb, "png"));

        assertRgb(image, 0, 0, 0xFFFFFF, 0);
        assertRgb(image, 1, 0, 0x0000FF, 0);
        assertRgb(image, 2, 0, 0xFF7F7F, 1);
    }

    @Test
    void greyPngsKeepTheirLevelsIn8And16Bits() {
        BufferedImage grey8 = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey8.getRaster().setSample(0, 0, 0, 128);
        grey8.getRaster().setSample(1, 0, 0, 37);
        BufferedImage grey16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(0, 0, 0, 128 * 257);
        grey16.getRaster().setSample(1, 0, 0, 200 * 257);

        BufferedImage eight = decode(encode(grey8, "png"));
        BufferedImage sixteen = decode(encode(grey16, "png"));

        // not run through the linear-grey colour space: 128 stays 128, not 186
        assertRgb(eight, 0, 0, 0x808080, 0);
        assertRgb(eight, 1, 0, 37 * 0x010101, 0);
        assertRgb(sixteen, 0, 0, 0x808080, 0);
        assertRgb(sixteen, 1, 0, 200 * 0x010101, 0);
    }

    @Test
    void sixteenBitRgbPngBecomesEightBit() {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[] {65535, 0, 30 * 257});
        raster.setPixel(1, 0, new int[] {100 * 257, 250 * 257, 1});
        BufferedImage rgb16 = new BufferedImage(model, raster, false, null);

        BufferedImage image = decode(encode(rgb16, "png"));

        assertRgb(image, 0, 0, 0xFF001E, 0);
        assertRgb(image, 1, 0, (100 << 16) | (250 << 8), 0);
    }

    @Test
    void palettePngUsesThePaletteColoursAndTransparency() {
        byte[] r = {(byte) 255, 0, 10};
        byte[] g = {0, (byte) 255, 20};
        byte[] b = {0, 0, 30};
        byte[] a = {(byte) 255, (byte) 255, 0};
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 3, r, g, b, a));
        indexed.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 1, 2});

        BufferedImage image = decode(encode(indexed, "png"));

        assertRgb(image, 0, 0, 0xFF0000, 0);
        assertRgb(image, 1, 0, 0x00FF00, 0);
        assertRgb(image, 2, 0, 0xFFFFFF, 0); // transparent entry
    }

    @Test
    void greyJpegBecomesEqualChannels() {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 64; i++) {
            grey.getRaster().setSample(i % 8, i / 8, 0, 90);
        }

        BufferedImage image = decode(jpeg(grey));

        assertRgb(image, 3, 3, 90 * 0x010101, 2);
    }

    @Test
    void animatedGifGivesTheFirstFrame() throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(solid(6, 4, 0x00FF00), null, null), null);
            writer.writeToSequence(new IIOImage(solid(6, 4, 0xFF0000), null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        ImageReaderCount frames = new ImageReaderCount(out.toByteArray());
        assertThat(frames.count).isEqualTo(2);

        BufferedImage image = decode(out.toByteArray());

        assertThat(image.getWidth()).isEqualTo(6);
        assertRgb(image, 0, 0, 0x00FF00, 0);
        assertRgb(image, 5, 3, 0x00FF00, 0);
    }

    /** Counts the frames with ImageIO itself, to prove the fixture is animated. */
    private static final class ImageReaderCount {
        final int count;

        ImageReaderCount(byte[] gif) throws Exception {
            var reader = ImageIO.getImageReadersByFormatName("gif").next();
            try (var stream = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(gif))) {
                reader.setInput(stream);
                count = reader.getNumImages(true);
            } finally {
                reader.dispose();
            }
        }
    }

    @Test
    void plainCmykJpegIsConvertedToRgb() {
        byte[] red = TestImages.cmykJpeg(16, 16, 0, 255, 255, 0);
        byte[] olive = TestImages.cmykJpeg(16, 16, 0, 0, 255, 128);

        assertRgb(decode(red), 5, 5, 0xFF0000, 6);
        assertRgb(decode(olive), 5, 5, 0x7F7F00, 6);
    }

    @Test
    void adobeCmykJpegIsTakenAsInverted() {
        // Adobe convention: 255 = no ink; C=M=Y=K=255 inverted is white, M=Y=0 inverted is full ink
        byte[] plain = TestImages.cmykJpeg(16, 16, 255, 0, 0, 255);
        byte[] adobe = TestImages.insertSegment(plain, TestImages.adobeSegment(0));

        assertRgb(decode(adobe), 5, 5, 0xFF0000, 6);
        assertRgb(decode(plain), 5, 5, 0x000000, 6); // the same samples without Adobe: cyan + black ink
    }

    @Test
    void ycckJpegFromImageMagickIsRed() { // cmyk.jpg, a photo, is checked in FixtureImagesTest
        Path file = IMAGES.resolve("cmyk-red.jpg");
        Assumptions.assumeTrue(Files.exists(file), "fixture made with: convert -size 16x16 xc:red -colorspace CMYK");

        BufferedImage image = decoder.decode(ImageInput.of(file));

        assertThat(image.getWidth()).isEqualTo(16);
        assertRgb(image, 8, 8, 0xFF0000, 20);
    }

    @ParameterizedTest
    @CsvSource({"1,false", "2,true", "3,false", "4,true", "5,false", "6,true", "6,false", "7,true", "8,false"})
    void appliesExifOrientation(int orientation, boolean littleEndian) {
        int a = 0;
        int b = 50;
        int c = 100;
        int d = 150;
        int e = 200;
        int f = 250;
        BufferedImage source = TestImages.grey(3, 2, a, b, c, d, e, f); // rows: a b c / d e f
        byte[] bytes = TestImages.insertSegment(jpeg(source), TestImages.exifSegment(orientation, littleEndian));
        int[][] expected = switch (orientation) {
            case 1 -> new int[][] {{a, b, c}, {d, e, f}};
            case 2 -> new int[][] {{c, b, a}, {f, e, d}};
            case 3 -> new int[][] {{f, e, d}, {c, b, a}};
            case 4 -> new int[][] {{d, e, f}, {a, b, c}};
            case 5 -> new int[][] {{a, d}, {b, e}, {c, f}};
            case 6 -> new int[][] {{d, a}, {e, b}, {f, c}};
            case 7 -> new int[][] {{f, c}, {e, b}, {d, a}};
            default -> new int[][] {{c, f}, {b, e}, {a, d}};
        };

        BufferedImage image = decode(bytes);

        assertThat(image.getHeight()).isEqualTo(expected.length);
        assertThat(image.getWidth()).isEqualTo(expected[0].length);
        for (int y = 0; y < expected.length; y++) {
            for (int x = 0; x < expected[0].length; x++) {
                assertRgb(image, x, y, expected[y][x] * 0x010101, 8);
            }
        }
    }

    @Test
    void rotatesA2x1ImageWithOrientation6() {
        BufferedImage source = TestImages.grey(2, 1, 0, 255); // black left, white right
        byte[] bytes = TestImages.insertSegment(jpeg(source), TestImages.exifSegment(6, false));

        BufferedImage image = decode(bytes);

        assertThat(image.getWidth()).isEqualTo(1);
        assertThat(image.getHeight()).isEqualTo(2);
        assertRgb(image, 0, 0, 0x000000, 8); // the left column becomes the top row
        assertRgb(image, 0, 1, 0xFFFFFF, 8);
    }

    @Test
    void malformedExifIsIgnored() {
        byte[] jpeg = jpeg(TestImages.grey(2, 1, 0, 255));
        byte[][] tiffs = {
            {},
            {'M', 'M'},
            {'X', 'X', 0, 42, 0, 0, 0, 8},
            {'M', 'M', 0, 42, 0x7F, 0, 0, 0},             // IFD offset far outside
            {'I', 'I', 42, 0, 8, 0, 0, 0, (byte) 0xFF, 0x7F}, // 32767 entries, none present
            {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 9, 0, 0}, // orientation 9
        };
        for (byte[] tiff : tiffs) {
            BufferedImage image = decode(TestImages.insertSegment(jpeg, TestImages.exifSegment(tiff)));
            assertThat(image.getWidth()).as("TIFF %s", Arrays.toString(tiff)).isEqualTo(2);
            assertRgb(image, 0, 0, 0x000000, 8);
        }
    }

    @Test
    void refusesAHugePngFromItsHeaderBeforeDecoding() {
        byte[] png = TestImages.pngHeader(50_000, 50_000);
        long start = System.nanoTime();

        Throwable thrown = catchThrowable(() -> decode(png));

        assertThat(thrown).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("50000x50000")
                .hasMessageContaining("limit of 40000000 pixels")
                .hasMessageContaining("maxPixels");
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @Test
    void refusesAHugeJpegFromItsHeaderBeforeDecoding() {
        byte[] jpeg = TestImages.jpegClaiming(jpeg(solid(16, 16, 0x336699)), 50_000, 50_000);
        long start = System.nanoTime();

        assertThatThrownBy(() -> decode(jpeg)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("50000x50000").hasMessageContaining("40000000");
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @Test
    void honoursAConfiguredPixelLimit() {
        byte[] png = encode(solid(16, 16, 0x102030), "png");

        assertThat(decoder.decode(ImageInput.of(png), 256).getWidth()).isEqualTo(16);
        assertThatThrownBy(() -> decoder.decode(ImageInput.of(png), 255))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("16x16 = 256 pixels").hasMessageContaining("limit of 255 pixels");
        assertThatThrownBy(() -> decoder.decode(ImageInput.of(solid(16, 16, 0)), 255))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("limit of 255");
    }

    @Test
    void refusesAZeroSizeHeader() {
        assertThatThrownBy(() -> decode(TestImages.pngHeader(0, 10))).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void refusesEmptyBytes() {
        assertThatThrownBy(() -> decode(new byte[0])).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Image of 0 bytes").hasMessageContaining("empty")
                .hasMessageContaining("not a PNG, JPEG, GIF or BMP image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif", "bmp"})
    void refusesTruncatedImages(String format) {
        BufferedImage noise = TestImages.noise(64, 64, 7);
        byte[] whole = format.equals("jpeg") ? jpeg(noise) : encode(noise, format);
        byte[] half = Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> decode(half)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Image of " + half.length + " bytes")
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void refusesTextAndRandomBytes() {
        byte[] text = "id,label\n1,cat\n2,dog\n".getBytes(StandardCharsets.UTF_8);
        byte[] random = new byte[1000];
        new Random(42).nextBytes(random);
        random[0] = 0x12; // not a JPEG/PNG/GIF/BMP start whatever the seed gives

        assertThatThrownBy(() -> decode(text)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a PNG, JPEG, GIF or BMP image").hasMessageContaining("text");
        assertThatThrownBy(() -> decode(random)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Image of 1000 bytes").hasMessageContaining("not a PNG, JPEG, GIF or BMP");
    }

    @Test
    void namesOtherKnownFormats() {
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> decode(webp)).isInstanceOf(InvalidInputException.class).hasMessageContaining("WebP");
    }

    /** Random bytes behind each signature, and random corruption of real files: only InvalidInputException. */
    @Test
    void garbageNeverEscapesAsAnythingButInvalidInput() {
        Random random = new Random(1234);
        byte[][] valid = {
            encode(TestImages.noise(20, 20, 1), "png"), jpeg(TestImages.noise(20, 20, 2)),
            encode(TestImages.noise(20, 20, 3), "gif"), encode(TestImages.noise(20, 20, 4), "bmp"),
        };
        for (int round = 0; round < 400; round++) {
            byte[] bytes = valid[round % valid.length].clone();
            if (round % 2 == 0) { // keep the first bytes, randomise the rest
                int keep = Math.min(bytes.length, 2 + random.nextInt(40));
                byte[] tail = new byte[bytes.length - keep];
                random.nextBytes(tail);
                System.arraycopy(tail, 0, bytes, keep, tail.length);
            } else { // flip a few bytes anywhere
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt();
                }
            }
            try {
                BufferedImage image = decoder.decode(ImageInput.of(bytes), 1_000_000);
                assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
            } catch (InvalidInputException expected) {
                assertThat(expected.getMessage()).contains("Image of " + bytes.length + " bytes");
            }
        }
    }

    @Test
    void decodesA1x1Image() {
        BufferedImage image = decode(encode(solid(1, 1, 0xABCDEF), "png"));

        assertThat(image.getWidth()).isEqualTo(1);
        assertRgb(image, 0, 0, 0xABCDEF, 0);
    }

    @Test
    void convertsBufferedImageInputsAndReturnsIntRgbAsIs() {
        BufferedImage rgb = solid(4, 3, 0x112233);
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB_PRE);
        argb.setRGB(0, 0, 0x00000000);
        argb.setRGB(1, 0, 0xFF00FF00);
        BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 128);
        BufferedImage bgr = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        bgr.setRGB(0, 0, 0x102030);

        assertThat(decoder.decode(ImageInput.of(rgb))).isSameAs(rgb);
        BufferedImage fromArgb = decoder.decode(ImageInput.of(argb));
        assertThat(fromArgb.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertRgb(fromArgb, 0, 0, 0xFFFFFF, 0);
        assertRgb(fromArgb, 1, 0, 0x00FF00, 0);
        assertRgb(decoder.decode(ImageInput.of(grey)), 0, 0, 0x808080, 0);
        assertRgb(decoder.decode(ImageInput.of(bgr)), 0, 0, 0x102030, 0);
    }

    @Test
    void convertsASubImageOfAnIntRgbImage() {
        BufferedImage whole = TestImages.noise(10, 10, 5);
        BufferedImage part = whole.getSubimage(3, 4, 5, 2);

        BufferedImage image = decoder.decode(ImageInput.of(part));

        assertThat(image.getWidth()).isEqualTo(5);
        assertThat(image.getHeight()).isEqualTo(2);
        assertThat(image.getRGB(4, 1) & 0xFFFFFF).isEqualTo(whole.getRGB(7, 5) & 0xFFFFFF);
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> decoder.decode(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> decoder.decode(ImageInput.of(solid(1, 1, 0)), 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("maxPixels");
    }
}
