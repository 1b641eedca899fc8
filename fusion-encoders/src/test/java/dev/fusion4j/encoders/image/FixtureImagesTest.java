package dev.fusion4j.encoders.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fusion4j.api.ImageInput;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decodes the real photos in {@code src/test/resources/images} (see SOURCES.md there) and checks them
 * against each other: the same photo in two formats must have about the same colours. Skipped for a
 * fixture that is absent.
 */
class FixtureImagesTest {
    private static final Path IMAGES = Path.of("src/test/resources/images");
    private final ImageDecoder decoder = new ImageDecoder();

    private BufferedImage fixture(String name) {
        Path file = IMAGES.resolve(name);
        Assumptions.assumeTrue(Files.exists(file), name + " is not present");
        return decoder.decode(ImageInput.of(file));
    }

    /** Mean of each channel, {r, g, b}. */
    private static double[] meanRgb(BufferedImage image) {
        double[] sum = new double[3];
        int[] pixels = RgbPixels.of(image);
        int n = image.getWidth() * image.getHeight();
        for (int i = 0; i < n; i++) {
            sum[0] += (pixels[i] >> 16) & 0xFF;
            sum[1] += (pixels[i] >> 8) & 0xFF;
            sum[2] += pixels[i] & 0xFF;
        }
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    @ParameterizedTest
    @CsvSource({"dog.jpg,320,240", "eagle.jpg,320,212", "giraffe.jpg,256,256", "horses.jpg,320,212",
        "person.jpg,320,212", "chelsea.png,224,149", "coffee.png,224,149", "rocket.png,256,171", "cmyk.jpg,320,213",
        "gray16.png,224,149", "alpha.png,200,133", "anim.gif,160,120", "image.bmp,160,120"})
    void decodesEveryFixture(String name, int width, int height) {
        BufferedImage image = fixture(name);

        assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(image.getWidth()).isEqualTo(width);
        assertThat(image.getHeight()).isEqualTo(height);
    }

    /**
     * Reference values from Pillow 9.4: each channel converted to mode "F" and resized with
     * {@code Image.resize} (so no uint8 rounding), torchvision's size rule and centre crop, bicubic
     * clipped to [0, 255], ImageNet mean and std; sampled at indices {@code (i * 7919 + 13) % size}.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "chelsea.png; 256; 224; BILINEAR; 0.7089028, 0.4648192, 0.8744111, 0.3893549, 0.0467176, -0.0780890,"
            + " 0.3980662, 0.4276283, 0.5491075, 0.2219496, -0.0147625, 0.2762885",
        "rocket.png; 96; 80; BICUBIC; -1.6174167, -1.0413922, -0.3472426, -0.8106527, -0.5498728, -1.4036049,"
            + " -0.7699494, 0.4516875, -0.4156667, -0.2790661, -1.2932938, -0.5133573"})
    void matchesPillowFloatResizeOnAPhoto(String name, int resize, int crop, String filter, String expected) {
        Path file = IMAGES.resolve(name);
        Assumptions.assumeTrue(Files.exists(file), name + " is not present");
        ImagePreprocessor p = ImagePreprocessor.builder().resize(resize).centerCrop(crop, crop)
                .interpolation(ImagePreprocessor.Interpolation.valueOf(filter)).build();

        float[] out = p.preprocess(ImageInput.of(file));

        String[] values = expected.split(",");
        for (int i = 0; i < values.length; i++) {
            int index = (i * 7919 + 13) % out.length;
            assertThat((double) out[index]).as("index %d", index)
                    .isCloseTo(Double.parseDouble(values[i].trim()), within(2e-6));
        }
    }

    @Test
    void cmykJpegHasTheColoursOfItsRgbOriginal() {
        double[] cmyk = meanRgb(fixture("cmyk.jpg"));
        double[] rgb = meanRgb(fixture("coffee.png"));

        for (int c = 0; c < 3; c++) {
            assertThat(cmyk[c]).as("channel %d", c).isCloseTo(rgb[c], within(12.0));
        }
    }

    @Test
    void sixteenBitGreyHasTheLightnessOfItsColourOriginal() {
        BufferedImage grey = fixture("gray16.png");
        double[] colour = meanRgb(fixture("rocket.png"));
        double[] mean = meanRgb(grey);

        int pixel = grey.getRGB(100, 70);
        assertThat((pixel >> 16) & 0xFF).isEqualTo(pixel & 0xFF).isEqualTo((pixel >> 8) & 0xFF);
        double luma = 0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2];
        assertThat(mean[0]).isCloseTo(luma, within(12.0)); // a linear-grey mix-up would add ~50
    }

    @Test
    void transparentAreaOfAlphaPngIsWhite() {
        BufferedImage image = fixture("alpha.png");

        assertThat(image.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(image.getRGB(199, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(image.getRGB(100, 66) & 0xFFFFFF).isNotEqualTo(0xFFFFFF); // the opaque cat
    }

    @Test
    void animatedGifGivesItsFirstFrameTheDog() {
        BufferedImage first = fixture("anim.gif");
        BufferedImage dog = fixture("image.bmp"); // the same dog at the same size

        int[] a = RgbPixels.of(first);
        int[] b = RgbPixels.of(dog);
        double difference = 0;
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                difference += Math.abs(((a[i] >> shift) & 0xFF) - ((b[i] >> shift) & 0xFF));
            }
        }
        assertThat(difference / (3.0 * a.length)).isLessThan(20); // the eagle frame differs by far more
    }
}
