package dev.fusion4j.core;

import static dev.fusion4j.core.TestData.AUDIO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.IncompatibleModelException;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.MultimodalInput;
import dev.fusion4j.core.attention.AttentionFusion;
import dev.fusion4j.core.internal.NdFusionStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FusionEmbedderTest {
    private final FakeEncoders.Text text = new FakeEncoders.Text(6);
    private final FakeEncoders.Image image = new FakeEncoders.Image(10);

    private MultimodalInput record(int i) {
        MultimodalInput.Builder b = MultimodalInput.builder();
        if (i % 3 != 1) {
            b.text("text " + i);
        }
        if (i % 3 != 2) {
            b.image(FakeEncoders.Image.image(i));
        }
        if (i % 2 == 0) {
            b.embedding(AUDIO, FakeEncoders.vector(1000 + i, 4));
        }
        return b.build();
    }

    private Fusion.Builder threeModalities() {
        return Fusion.builder().text(text).image(image).embedding(AUDIO, 4);
    }

    @Test
    void defaultsToNormalisedConcatenationOfTheEncodedModalitiesInDeclarationOrder() {
        try (MultimodalEmbedder embedder = threeModalities().build()) {
            assertThat(embedder.dimension()).isEqualTo(6 + 10 + 4);
            Embedding audio = FakeEncoders.vector(5, 4);
            Embedding z = embedder.embed(MultimodalInput.builder().embedding(AUDIO, audio).text("hello").build());
            float[] expected = new float[20];
            text.encode("hello").normalized().copyTo(expected, 0);
            audio.normalized().copyTo(expected, 16);
            assertThat(z).isEqualTo(Embedding.of(expected).normalized());
            assertThat(z.norm()).isCloseTo(1.0, within(1e-6));
        }
        try (MultimodalEmbedder raw = Fusion.builder().text(text).normalizeOutput(false).build()) {
            assertThat(raw.embed(MultimodalInput.textOnly("a")).norm()).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void embedAllCallsEachEncoderOncePerBatchAndEqualsEmbed() {
        try (MultimodalEmbedder embedder = threeModalities()
                .strategy(Fusions.attention().dimension(16).heads(2)).batchSize(4).build()) {
            List<MultimodalInput> inputs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                inputs.add(record(i));
            }
            List<Embedding> all = embedder.embedAll(inputs);
            assertThat(all).hasSize(10);
            // batches [0..3], [4..7], [8..9]: text present unless i % 3 == 1, image unless i % 3 == 2
            assertThat(text.batches).containsExactly(3, 2, 2);
            assertThat(image.batches).containsExactly(3, 3, 1);
            for (int i = 0; i < 10; i++) {
                assertThat(TestData.maxDiff(all.get(i).toArray(), embedder.embed(inputs.get(i)).toArray()))
                        .as("record %d", i).isLessThan(1e-5);
            }
            assertThat(embedder.embedAll(List.of())).isEmpty();
        }
    }

    @Test
    void encodesTheModalitiesOnTwoThreadsOrOnTheCallersAloneWithTheSameBits() {
        List<MultimodalInput> inputs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            inputs.add(record(i));
        }
        List<Embedding> concurrent;
        try (MultimodalEmbedder embedder = threeModalities().batchSize(4).build()) {
            concurrent = embedder.embedAll(inputs);
        }
        // the image encoder (second in declaration order) ran on the embedder's pool, the text on the caller's
        assertThat(image.threads).hasSize(3).allSatisfy(t -> assertThat(t).isNotSameAs(Thread.currentThread()));
        image.threads.clear();
        try (MultimodalEmbedder embedder = threeModalities().batchSize(4).concurrentEncoding(false).build()) {
            assertThat(embedder.embedAll(inputs)).isEqualTo(concurrent);
        }
        assertThat(image.threads).hasSize(3).allSatisfy(t -> assertThat(t).isSameAs(Thread.currentThread()));
    }

    @Test
    void isThreadSafeAndDeterministic() throws Exception {
        try (MultimodalEmbedder embedder = threeModalities().strategy(Fusions.bilinear().lowRank(8)).build()) {
            List<MultimodalInput> inputs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                inputs.add(record(i));
            }
            List<Embedding> expected = embedder.embedAll(inputs);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<List<Embedding>>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    futures.add(pool.submit(() -> embedder.embedAll(inputs)));
                }
                for (Future<List<Embedding>> f : futures) {
                    assertThat(f.get()).isEqualTo(expected);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void refusesValuesOfTheWrongTypeAndModalitiesWithoutEncoder() {
        try (MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).build()) {
            assertThatThrownBy(() -> embedder.embed(MultimodalInput.builder().image(Modality.TEXT, FakeEncoders.Image.image(1))
                    .build())).isInstanceOf(InvalidInputException.class).hasMessageContaining("'text'")
                    .hasMessageContaining("ImageInput");
            assertThatThrownBy(() -> embedder.embed(MultimodalInput.builder().embedding(AUDIO, Embedding.of(1, 2)).build()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'audio'")
                    .hasMessageContaining("no encoder");
            // a bad record anywhere in a batch is reported with its index, before any encoder runs
            assertThatThrownBy(() -> embedder.embedAll(List.of(MultimodalInput.textOnly("fine"),
                    MultimodalInput.builder().text(Modality.IMAGE, "not an image").build())))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("Record 1")
                    .hasMessageContaining("'image'");
            assertThat(text.batches).isEmpty();
            assertThatThrownBy(() -> embedder.embed(null)).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> embedder.embedAll(null)).isInstanceOf(InvalidInputException.class);
        }
        try (MultimodalEmbedder embedder = Fusion.builder().text(text).embedding(AUDIO, 4).build()) {
            assertThatThrownBy(() -> embedder.embed(MultimodalInput.builder().embedding(AUDIO, Embedding.of(1, 2)).build()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'audio'")
                    .hasMessageContaining("dimension 2").hasMessageContaining("4");
            // a raw value for a modality that takes precomputed embeddings says how to pass one, or an encoder
            assertThatThrownBy(() -> embedder.embed(MultimodalInput.builder().text(AUDIO, "a bark").build()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("holds text (a String), but this embedder takes a precomputed Embedding")
                    .hasMessageContaining("MultimodalInput.builder().embedding(Modality.named(\"audio\"), embedding)")
                    .hasMessageContaining("Fusion.builder().encoder(");
            // a precomputed embedding for a modality that has an encoder says how to pass either
            assertThatThrownBy(() -> embedder.embed(MultimodalInput.builder()
                    .embedding(Modality.TEXT, Embedding.of(1, 2, 3, 4, 5, 6)).build()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("holds a precomputed Embedding of dimension 6, but this embedder takes"
                            + " text (a String)")
                    .hasMessageContaining("MultimodalInput.builder().text(Modality.TEXT,")
                    .hasMessageContaining("Fusion.builder().embedding(Modality.TEXT, 6)");
        }
    }

    @Test
    void encoderExceptionsPropagate() {
        try (MultimodalEmbedder embedder = Fusion.builder().text(text).build()) {
            assertThatThrownBy(() -> embedder.embed(MultimodalInput.textOnly("fail")))
                    .isInstanceOf(InvalidInputException.class).hasMessage("fake text encoder refuses 'fail'");
            assertThatThrownBy(() -> embedder.embedAll(List.of(MultimodalInput.textOnly("ok"), MultimodalInput.textOnly("fail"))))
                    .isInstanceOf(InvalidInputException.class).hasMessage("fake text encoder refuses 'fail'");
        }
    }

    @Test
    void aBoundStrategyMustMatchTheEncoders() {
        try (AttentionFusion bound = Fusions.attention().dimension(8).heads(2)
                .bind(TestData.dims(Modality.TEXT, 6, Modality.IMAGE, 12))) {
            assertThatThrownBy(() -> Fusion.builder().text(text).image(image).strategy(bound).build())
                    .isInstanceOf(IncompatibleModelException.class).hasMessageContaining("'image'")
                    .hasMessageContaining("12").hasMessageContaining("10");
            assertThatThrownBy(() -> Fusion.builder().text(text).strategy(bound).build())
                    .isInstanceOf(IncompatibleModelException.class).hasMessageContaining("'image'");
        }
        try (AttentionFusion bound = Fusions.attention().dimension(8).heads(2)
                .bind(TestData.dims(Modality.TEXT, 6, Modality.IMAGE, 10))) {
            assertThatThrownBy(() -> Fusion.builder().text(text).image(image).embedding(AUDIO, 3).strategy(bound).build())
                    .isInstanceOf(IncompatibleModelException.class).hasMessageContaining("'audio'");
            try (MultimodalEmbedder ok = Fusion.builder().image(image).text(text).strategy(bound).build()) {
                assertThat(ok.dimension()).isEqualTo(8);
            }
        }
    }

    @Test
    void closesOnlyWhatItOwns() {
        NdFusionStrategy handedIn = Fusions.weightedSum().bind(TestData.dims(Modality.TEXT, 6, Modality.IMAGE, 10));
        MultimodalEmbedder embedder = Fusion.builder().text(text).image(image).strategy((FusionStrategy) handedIn).build();
        embedder.embed(MultimodalInput.textOnly("a"));
        embedder.close();
        embedder.close(); // idempotent
        assertThat(text.closed).isFalse();
        assertThat(image.closed).isFalse();
        assertThat(handedIn.fuse(ModalityEmbeddings.builder().put(Modality.TEXT, text.encode("a")).build()).dimension())
                .as("a strategy handed in is not closed").isEqualTo(6);
        assertThatThrownBy(() -> embedder.embed(MultimodalInput.textOnly("a"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> embedder.embedAll(List.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(embedder::dimension).isInstanceOf(IllegalStateException.class);

        MultimodalEmbedder owning = Fusion.builder().text(text).image(image).strategy((FusionStrategy) handedIn)
                .ownStrategy(true).ownEncoders(true).build();
        owning.close();
        assertThat(text.closed).isTrue();
        assertThat(image.closed).isTrue();
        assertThatThrownBy(handedIn::liveNativeArrays).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builderRefusesNoModalityAndDuplicates() {
        assertThatThrownBy(() -> Fusion.builder().build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("No modality");
        assertThatThrownBy(() -> Fusion.builder().text(text).encoder(Modality.TEXT, image))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'text'");
        assertThatThrownBy(() -> Fusion.builder().text(text).image(image).strategy(Fusions.bilinear().full().maxOutputSize(10)).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("maxOutputSize");
    }
}
