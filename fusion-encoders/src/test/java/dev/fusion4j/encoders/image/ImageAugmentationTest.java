package dev.fusion4j.encoders.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.InvalidInputException;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageAugmentationTest {
    private static final ImageInput PICTURE = ImageInput.of(TestImages.encode(TestImages.noise(48, 40, 3), "png"));

    private static int[] pixels(ImageInput input) {
        BufferedImage image = new ImageDecoder().decode(input);
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    @Test
    void theSameSeedGivesTheSamePixelsAndEveryViewDiffersFromTheOriginalAndTheOthers() {
        List<ImageInput> a = ImageAugmentation.views(PICTURE, 3, 7);
        List<ImageInput> b = ImageAugmentation.views(PICTURE, 3, 7);
        assertThat(a).hasSize(3);
        int[] original = pixels(PICTURE);
        for (int k = 0; k < 3; k++) {
            assertThat(pixels(a.get(k))).containsExactly(pixels(b.get(k)));
            assertThat(pixels(a.get(k))).hasSameSizeAs(original).isNotEqualTo(original);
        }
        assertThat(pixels(a.get(0))).isNotEqualTo(pixels(a.get(1)));
        assertThat(pixels(ImageAugmentation.views(PICTURE, 1, 8).get(0))).isNotEqualTo(pixels(a.get(0)));
    }

    @Test
    void aNegativeCountOrAnUndecodableImageIsRefused() {
        assertThatThrownBy(() -> ImageAugmentation.views(PICTURE, -1, 0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("0 or more");
        assertThatThrownBy(() -> ImageAugmentation.views(ImageInput.of(new byte[] {1, 2, 3}), 2, 0))
                .isInstanceOf(InvalidInputException.class);
        assertThat(ImageAugmentation.views(PICTURE, 0, 0)).isEmpty();
    }
}
