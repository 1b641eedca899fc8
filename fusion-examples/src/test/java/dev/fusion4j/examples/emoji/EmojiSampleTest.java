package dev.fusion4j.examples.emoji;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class EmojiSampleTest {
    private static final List<String> CATEGORIES = List.of("Activities", "Animals & Nature", "Flags", "Food & Drink",
            "Objects", "People & Body", "Smileys & Emotion", "Symbols", "Travel & Places");

    private final List<EmojiRecord> sample = EmojiDataset.loadSample();

    @Test
    void loadsAtLeast250RecordsOfEveryCategory() {
        assertThat(sample).hasSizeGreaterThanOrEqualTo(250);
        assertThat(sample).extracting(EmojiRecord::unified).doesNotHaveDuplicates();
        assertThat(sample.stream().map(EmojiRecord::category).distinct()).containsExactlyInAnyOrderElementsOf(CATEGORIES);
        assertThat(sample.stream().map(EmojiRecord::subcategory).distinct().count()).isGreaterThanOrEqualTo(90);
    }

    @Test
    void everyPngDecodesTo64By64() throws IOException {
        for (EmojiRecord r : sample) {
            assertThat(r.image().path()).isEmpty();
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(r.image().readBytes()));
            assertThat(image).as(r.toString()).isNotNull();
            assertThat(image.getWidth()).isEqualTo(64);
            assertThat(image.getHeight()).isEqualTo(64);
        }
    }

    @Test
    void groupKeysFollowTheRules() {
        for (EmojiRecord r : sample) {
            assertThat(r.name()).isEqualTo(r.name().toLowerCase(java.util.Locale.ROOT));
            assertThat(r.group()).isEqualTo(EmojiGroups.keyOfName(r.group()));  // keys are fixed points
        }
    }
}
