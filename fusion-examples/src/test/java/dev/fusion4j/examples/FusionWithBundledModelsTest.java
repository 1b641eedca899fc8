package dev.fusion4j.examples;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.MultimodalInput;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.core.Fusion;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.models.BundledModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 3 acceptance with the real bundled models: every strategy, real text-image pairs, a modality absent. */
class FusionWithBundledModelsTest {
    private static final String[][] PAIRS = {
        {"a dog sitting next to a bicycle", "dog.jpg"},
        {"a cat lying down", "chelsea.png"},
        {"a cup of coffee on a saucer", "coffee.png"},
        {"a rocket launching into space", "rocket.png"},
        {"horses standing in a field", "horses.jpg"},
        {"an eagle spreading its wings", "eagle.jpg"},
    };
    private static TextEncoder text;
    private static ImageEncoder image;

    @BeforeAll
    static void load() {
        text = BundledModels.miniLmText();
        image = BundledModels.mobileNetV2Image();
    }

    @AfterAll
    static void close() {
        text.close();
        image.close();
    }

    static Stream<Arguments> strategies() {
        return Stream.of(
                Arguments.of("concat", Fusions.concat()),
                Arguments.of("weightedSum", Fusions.weightedSum()),
                Arguments.of("attention", Fusions.attention()),
                Arguments.of("full bilinear", Fusions.bilinear().full()),
                Arguments.of("compact bilinear", Fusions.bilinear().compact()),
                Arguments.of("low-rank bilinear", Fusions.bilinear().lowRank(1200)));
    }

    static ImageInput sample(String name) {
        try (InputStream in = FusionWithBundledModelsTest.class.getResourceAsStream("/samples/" + name)) {
            return ImageInput.of(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void fusedPairIsCloserToItsTextAloneThanToAnUnrelatedRecord(String name, FusionSpec spec) {
        try (MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).strategy(spec).build()) {
            List<MultimodalInput> both = new ArrayList<>();
            List<MultimodalInput> textOnly = new ArrayList<>();
            for (String[] p : PAIRS) {
                both.add(MultimodalInput.of(p[0], sample(p[1])));
                textOnly.add(MultimodalInput.textOnly(p[0]));
            }
            List<Embedding> fused = embedder.embedAll(both);
            List<Embedding> alone = embedder.embedAll(textOnly);
            assertThat(fused.get(0).dimension()).isEqualTo(embedder.dimension());
            for (int i = 0; i < PAIRS.length; i++) {
                double toOwnText = fused.get(i).cosine(alone.get(i));
                for (int j = 0; j < PAIRS.length; j++) {
                    if (j != i) {
                        assertThat(toOwnText).as("%s: (%s) vs unrelated (%s)", name, PAIRS[i][0], PAIRS[j][0])
                                .isGreaterThan(fused.get(i).cosine(fused.get(j)));
                    }
                }
                // embed() and embedAll() agree, and an image-only record embeds too
                assertThat(embedder.embed(both.get(i)).cosine(fused.get(i))).isGreaterThan(0.9999);
            }
            assertThat(embedder.embed(MultimodalInput.imageOnly(sample("dog.jpg"))).dimension())
                    .isEqualTo(embedder.dimension());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategies")
    void badRecordsAreInvalidInput(String name, FusionSpec spec) {
        try (MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).strategy(spec).build()) {
            assertThatThrownBy(() -> embedder.embed(MultimodalInput.imageOnly(ImageInput.of(new byte[0]))))
                    .isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> embedder.embed(null)).isInstanceOf(InvalidInputException.class);
        }
    }
}
