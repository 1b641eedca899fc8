package dev.fusion4j.encoders.image;

import static dev.fusion4j.encoders.image.TestImages.encode;
import static dev.fusion4j.encoders.image.TestImages.solid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.encoders.image.ImagePreprocessor.ChannelOrder;
import dev.fusion4j.encoders.image.ImagePreprocessor.Interpolation;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ImagePreprocessorTest {
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    /** Output = resized 0..255 value: no scaling or normalisation. */
    private static ImagePreprocessor.Builder raw() {
        return ImagePreprocessor.builder().scale(1).mean(0, 0, 0).std(1, 1, 1);
    }

    /** A grey image with v(x, y) = 10 x + 50 y. */
    private static BufferedImage gradient4x4() {
        int[] levels = new int[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                levels[y * 4 + x] = 10 * x + 50 * y;
            }
        }
        return TestImages.grey(4, 4, levels);
    }

    /** An image whose red is {@code step * x} and green {@code step * y}. */
    private static BufferedImage coordinates(int width, int height, int step) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (step * x << 16) | (step * y << 8));
            }
        }
        return image;
    }

    private static void assertPlane(float[] out, int plane, int width, int height, double... expected) {
        for (int i = 0; i < width * height; i++) {
            assertThat((double) out[plane * width * height + i]).as("plane %d pixel %d", plane, i)
                    .isCloseTo(expected[i], within(1e-4));
        }
    }

    @Test
    void defaultsAreTorchvisionImagenet() {
        ImagePreprocessor p = ImagePreprocessor.builder().build();

        assertThat(p.channels()).isEqualTo(3);
        assertThat(p.height()).isEqualTo(224);
        assertThat(p.width()).isEqualTo(224);
        assertThat(p.size()).isEqualTo(3 * 224 * 224);
        assertThat(p.maxPixels()).isEqualTo(40_000_000L);
        assertThat(p.id()).isEqualTo(
                "resize256-crop224x224-bilinear-aa-rgb-scale0.003921569-mean0.485,0.456,0.406-std0.229,0.224,0.225");
        assertThat(p).isEqualTo(ImagePreprocessor.imagenet()).isEqualTo(p.toBuilder().build());
        assertThat(p.toString()).contains(p.id()).contains("3x224x224");
        assertThat(p.preprocess(ImageInput.of(encode(TestImages.noise(64, 48, 1), "png")))).hasSize(3 * 224 * 224);
    }

    @Test
    void idNamesEverySettingThatChangesTheOutput() {
        List<UnaryOperator<ImagePreprocessor.Builder>> changes = List.of(
                b -> b.resize(300), b -> b.resizeExact(256, 256), b -> b.centerCrop(200, 224),
                b -> b.interpolation(Interpolation.BICUBIC), b -> b.antialias(false), b -> b.scale(1),
                b -> b.mean(0.5f, 0.5f, 0.5f), b -> b.std(0.5f, 0.5f, 0.5f), b -> b.channelOrder(ChannelOrder.BGR));
        String defaults = ImagePreprocessor.imagenet().id();
        List<String> ids = new ArrayList<>();
        for (UnaryOperator<ImagePreprocessor.Builder> change : changes) {
            ids.add(change.apply(ImagePreprocessor.builder()).build().id());
        }

        assertThat(ids).doesNotContain(defaults).doesNotHaveDuplicates();
        assertThat(ImagePreprocessor.builder().maxPixels(10).build().id()).isEqualTo(defaults);
    }

    @Test
    void uniformColourMapsToTheNormalisedValueEverywhere() {
        int[] rgb = {10, 128, 250};
        BufferedImage image = solid(300, 200, (rgb[0] << 16) | (rgb[1] << 8) | rgb[2]);

        for (Interpolation interpolation : Interpolation.values()) {
            float[] out = ImagePreprocessor.builder().interpolation(interpolation).build().preprocess(image);

            for (int c = 0; c < 3; c++) {
                double expected = (rgb[c] / 255.0 - MEAN[c]) / STD[c];
                double worst = 0;
                for (int i = 0; i < 224 * 224; i++) {
                    worst = Math.max(worst, Math.abs(out[c * 224 * 224 + i] - expected));
                }
                assertThat(worst).as("%s channel %d", interpolation, c).isLessThan(1e-6);
            }
        }
    }

    @Test
    void boxDownscaleIsTheAverageOfEachBlock() {
        float[] out = raw().resizeExact(2, 2).noCenterCrop().interpolation(Interpolation.BOX).build()
                .preprocess(gradient4x4());

        for (int c = 0; c < 3; c++) {
            assertPlane(out, c, 2, 2, 30, 50, 130, 150);
        }
    }

    @Test
    void boxFilterTakesAPixelOnTheRightEdgeOfItsSpanAsPillowDoes() {
        // 3 -> 2: output 0 spans [0, 1.5): Pillow's box is (-0.5, 0.5], so pixel 1 (at exactly +0.5) counts
        float[] out = raw().resizeExact(2, 1).noCenterCrop().interpolation(Interpolation.BOX).build()
                .preprocess(TestImages.grey(3, 1, 0, 90, 180));

        assertPlane(out, 0, 2, 1, 45, 180);
    }

    @Test
    void nearestIsExactWhereACentreFallsOnAPixelEdge() {
        BufferedImage ramp = coordinates(256, 1, 1); // red = x
        float[] out = raw().resizeExact(143, 1).noCenterCrop().interpolation(Interpolation.NEAREST).build()
                .preprocess(ramp);

        assertThat(out[71]).isEqualTo(128f); // (71.5 * 256 / 143) is exactly 128
        assertThat(out[70]).isEqualTo(126f); // floor(70.5 * 256 / 143) = floor(126.2)
    }

    @Test
    void antialiasedBilinearDownscaleWidensTheTriangle() {
        // scale 2: the triangle spans 4 input pixels; output 0 weighs inputs 0,1,2 by .75,.75,.25 (/1.75)
        double first = (0 * .75 + 1 * .75 + 2 * .25) / 1.75;
        double second = (1 * .25 + 2 * .75 + 3 * .75) / 1.75;

        float[] out = raw().resizeExact(2, 2).noCenterCrop().build().preprocess(gradient4x4());

        assertPlane(out, 0, 2, 2, 10 * first + 50 * first, 10 * second + 50 * first,
                10 * first + 50 * second, 10 * second + 50 * second);
    }

    @Test
    void bilinearWithoutAntialiasSamplesBetweenTwoPixels() {
        float[] out = raw().resizeExact(2, 2).noCenterCrop().antialias(false).build().preprocess(gradient4x4());

        assertPlane(out, 1, 2, 2, 30, 50, 130, 150); // centres fall half way between pixel pairs
    }

    @Test
    void nearestTakesThePixelUnderTheCentre() {
        float[] out = raw().resizeExact(2, 2).noCenterCrop().interpolation(Interpolation.NEAREST).build()
                .preprocess(gradient4x4());

        assertPlane(out, 2, 2, 2, 60, 80, 160, 180);
    }

    @Test
    void bilinearUpscaleMatchesTorchHalfPixelCentres() {
        float[] out = raw().resizeExact(4, 1).noCenterCrop().build().preprocess(TestImages.grey(2, 1, 0, 100));

        assertPlane(out, 0, 4, 1, 0, 25, 75, 100);
    }

    @Test
    void bicubicOvershootIsClamped() {
        int[] levels = new int[64];
        for (int i = 0; i < 64; i++) {
            levels[i] = (i % 8) < 4 ? 0 : 255; // a hard edge rings with the cubic filter
        }
        float[] out = raw().resizeExact(13, 13).noCenterCrop().interpolation(Interpolation.BICUBIC).build()
                .preprocess(TestImages.grey(8, 8, levels));

        assertThat(out).contains(0f, 255f);
        for (float v : out) {
            assertThat(v).isBetween(0f, 255f);
        }
    }

    @Test
    void centreCropTakesTheMiddleRoundingHalfToEven() {
        BufferedImage image = coordinates(10, 10, 20);

        float[] four = raw().resizeExact(10, 10).centerCrop(4, 4).build().preprocess(image);
        float[] five = raw().resizeExact(10, 10).centerCrop(5, 3).build().preprocess(image);

        assertThat(four[0]).isEqualTo(60f);              // R of the top left = 20 * x, x = 3
        assertThat(four[16]).isEqualTo(60f);             // G = 20 * y, y = 3
        assertThat(four[15]).isEqualTo(120f);            // bottom right x = 6
        assertThat(five[0]).isEqualTo(40f);              // (10 - 5) / 2 = 2.5 rounds to 2, as torchvision
        assertThat(five[15]).isEqualTo(80f);             // (10 - 3) / 2 = 3.5 rounds to 4
    }

    @Test
    void resizeKeepsTheAspectRatioBeforeCropping() {
        // 250x200 -> 320x256 (shorter side 256), crop 224 at (48, 16); NEAREST maps back exactly
        BufferedImage image = coordinates(250, 200, 1);

        float[] out = raw().interpolation(Interpolation.NEAREST).build().preprocess(image);

        int plane = 224 * 224;
        assertThat(out[0]).isEqualTo(37f);                       // x = (int) (48.5 * 250 / 320)
        assertThat(out[plane]).isEqualTo(12f);                   // y = (int) (16.5 * 200 / 256)
        assertThat(out[plane - 1]).isEqualTo(212f);              // x = (int) (271.5 * 250 / 320)
        assertThat(out[2 * plane - 1]).isEqualTo(187f);          // y = (int) (239.5 * 200 / 256)
        assertThat(out[2 * plane + 1000]).isEqualTo(0f);         // blue
    }

    @Test
    void bgrOrderSwapsThePlanes() {
        BufferedImage image = solid(5, 5, 0x0A80FA);

        float[] out = raw().channelOrder(ChannelOrder.BGR).build().preprocess(image);

        int plane = 224 * 224;
        assertThat(out[0]).isCloseTo(250f, within(1e-4f));
        assertThat(out[plane]).isCloseTo(128f, within(1e-4f));
        assertThat(out[2 * plane]).isCloseTo(10f, within(1e-4f));
    }

    @ParameterizedTest
    @EnumSource(Interpolation.class)
    void tinyImagesAreUpscaled(Interpolation interpolation) {
        ImagePreprocessor p = ImagePreprocessor.builder().interpolation(interpolation).build();

        float[] one = p.preprocess(ImageInput.of(encode(solid(1, 1, 0xFF0000), "png")));
        float[] small = p.preprocess(TestImages.noise(3, 5, 9));

        assertThat(one[0]).isCloseTo((1 - MEAN[0]) / STD[0], within(1e-5f));
        assertThat(one[224 * 224]).isCloseTo(-MEAN[1] / STD[1], within(1e-5f));
        assertThat(small).hasSize(3 * 224 * 224).doesNotContain(Float.NaN);
    }

    @Test
    void subImagesAndOtherImageTypesGiveTheSameTensorAsACopy() {
        BufferedImage whole = TestImages.noise(40, 30, 3);
        BufferedImage part = whole.getSubimage(5, 4, 20, 17);
        BufferedImage copy = new BufferedImage(20, 17, BufferedImage.TYPE_INT_RGB);
        BufferedImage bgr = new BufferedImage(20, 17, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 17; y++) {
            for (int x = 0; x < 20; x++) {
                copy.setRGB(x, y, part.getRGB(x, y));
                bgr.setRGB(x, y, part.getRGB(x, y));
            }
        }
        ImagePreprocessor p = ImagePreprocessor.imagenet();

        assertThat(p.preprocess(part)).isEqualTo(p.preprocess(copy));
        assertThat(p.preprocess(bgr)).isEqualTo(p.preprocess(copy));
        assertThat(p.preprocess(ImageInput.of(encode(copy, "png")))).isEqualTo(p.preprocess(copy));
    }

    @Test
    void preprocessIntoWritesOneSlotOfABatch() {
        ImagePreprocessor p = ImagePreprocessor.imagenet();
        BufferedImage image = TestImages.noise(50, 70, 11);
        float[] batch = new float[2 * p.size() + 1];
        batch[2 * p.size()] = 42f;

        p.preprocessInto(ImageInput.of(encode(image, "png")), batch, p.size());

        assertThat(Arrays.copyOfRange(batch, 0, p.size())).containsOnly(0f);
        assertThat(Arrays.copyOfRange(batch, p.size(), 2 * p.size())).isEqualTo(p.preprocess(image));
        assertThat(batch[2 * p.size()]).isEqualTo(42f);
        assertThatThrownBy(() -> p.preprocessInto(image, batch, p.size() + 2)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no room");
        assertThatThrownBy(() -> p.preprocessInto(image, batch, -1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> p.preprocessInto(image, null, 0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void pixelLimitIsCheckedBeforeDecoding() {
        ImagePreprocessor p = ImagePreprocessor.builder().maxPixels(1000).build();

        assertThatThrownBy(() -> p.preprocess(ImageInput.of(TestImages.pngHeader(50_000, 50_000))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("limit of 1000 pixels");
        assertThatThrownBy(() -> p.preprocess(solid(40, 40, 0))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("limit of 1000 pixels");
        assertThat(p.preprocess(solid(40, 25, 0))).hasSize(3 * 224 * 224);
    }

    @Test
    void decodingErrorsPropagate() {
        assertThatThrownBy(() -> ImagePreprocessor.imagenet().preprocess(ImageInput.of(new byte[] {1, 2, 3})))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a PNG, JPEG, GIF or BMP");
    }

    @Test
    void builderRefusesBadSettings() {
        List<UnaryOperator<ImagePreprocessor.Builder>> bad = List.of(
                b -> b.resize(200),                                  // shorter side < crop 224
                b -> b.resize(0),
                b -> b.resize(256).noCenterCrop(),                   // output size would vary
                b -> b.resizeExact(200, 300),                        // smaller than crop 224x224
                b -> b.resizeExact(0, 300).noCenterCrop(),
                b -> b.centerCrop(0, 10),
                b -> b.centerCrop(-1, -1),
                b -> b.interpolation(null),
                b -> b.channelOrder(null),
                b -> b.std(0.2f, 0f, 0.2f),
                b -> b.std(0.2f, Float.NaN, 0.2f),
                b -> b.mean(Float.POSITIVE_INFINITY, 0, 0),
                b -> b.scale(0),
                b -> b.scale(Float.NaN),
                b -> b.maxPixels(0),
                b -> b.resizeExact(50_000, 50_000).noCenterCrop());
        for (UnaryOperator<ImagePreprocessor.Builder> setting : bad) {
            ImagePreprocessor.Builder builder = setting.apply(ImagePreprocessor.builder());
            assertThatThrownBy(builder::build).isInstanceOf(InvalidInputException.class);
        }
        assertThat(ImagePreprocessor.builder().resizeExact(224, 224).build().width()).isEqualTo(224);
        assertThat(ImagePreprocessor.builder().resizeExact(300, 100).noCenterCrop().build().height()).isEqualTo(100);
        assertThat(ImagePreprocessor.builder().resize(224).centerCrop(224, 100).build().width()).isEqualTo(224);
    }

    @Test
    void threadsPreprocessingTheSameImagesGetIdenticalArrays() throws Exception {
        ImagePreprocessor p = ImagePreprocessor.imagenet();
        List<byte[]> images = List.of(encode(TestImages.noise(64, 64, 1), "png"),
                TestImages.jpeg(TestImages.noise(300, 200, 2)), encode(TestImages.noise(31, 97, 3), "bmp"),
                encode(TestImages.noise(400, 300, 4), "png"));
        List<float[]> expected = new ArrayList<>();
        for (byte[] image : images) {
            expected.add(p.preprocess(ImageInput.of(image)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int shift = t;
                results.add(pool.submit(() -> {
                    boolean same = true;
                    for (int round = 0; round < 12; round++) {
                        int i = (round + shift) % images.size(); // threads alternate sizes: kernel cache churns
                        same &= Arrays.equals(expected.get(i), p.preprocess(ImageInput.of(images.get(i))));
                    }
                    return same;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
