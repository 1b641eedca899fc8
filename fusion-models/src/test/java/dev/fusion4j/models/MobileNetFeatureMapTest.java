package dev.fusion4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusion4j.api.EncodedSequence;
import dev.fusion4j.api.SequenceImageEncoder;
import dev.fusion4j.api.SequenceTextEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled MobileNetV2's second output {@code feature_map} (tools/mobilenet-v2/add_feature_map.py) is the map its
 * pooled {@code features} are the mean of, on real photos; MiniLM returns its token states.
 */
class MobileNetFeatureMapTest {
    private static final List<String> PHOTOS = List.of("dog.jpg", "chelsea.png", "coffee.png");

    @Test
    void theFeatureMapsMeanIsThePooledVectorAndRegionsDefaultToThreeByThree() {
        try (SequenceImageEncoder cells = BundledModels.mobileNetV2Image(7);
             SequenceImageEncoder regions = BundledModels.mobileNetV2Image()) {
            for (String name : PHOTOS) {
                EncodedSequence full = cells.encodeSequence(BundledModelsTest.photo(name));
                assertThat(full.sequence().length()).isEqualTo(49);
                assertThat(full.sequence().width()).isEqualTo(1280);
                float[] mean = full.sequence().mean().toArray();
                float[] pooled = full.pooled().toArray();
                double max = 0;
                for (int i = 0; i < pooled.length; i++) {
                    max = Math.max(max, Math.abs(mean[i] - pooled[i]));
                }
                assertThat(max).as(name).isLessThan(1e-5);
                EncodedSequence nine = regions.encodeSequence(BundledModelsTest.photo(name));
                assertThat(nine.sequence().length()).isEqualTo(9);
                assertThat(nine.pooled()).isEqualTo(regions.encode(BundledModelsTest.photo(name)));
            }
        }
    }

    @Test
    void miniLmReturnsOneStatePerToken() {
        try (SequenceTextEncoder text = BundledModels.miniLmText()) {
            EncodedSequence s = text.encodeSequence("smiling face with sunglasses");
            assertThat(s.sequence().width()).isEqualTo(384);
            assertThat(s.sequence().length()).isBetween(6, 8); // [CLS] 4-6 word pieces [SEP]
            assertThat(s.pooled()).isEqualTo(text.encode("smiling face with sunglasses"));
        }
    }
}
