package dev.fusion4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.EmbeddingSequence;
import dev.fusion4j.api.EncodedSequence;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.MultimodalInput;
import dev.fusion4j.api.SequenceTextEncoder;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.attention.CrossAttentionFusion;
import dev.fusion4j.core.train.FusionModel;
import dev.fusion4j.core.train.FusionTrainer;
import dev.fusion4j.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An embedder or trainer with a sequence-level strategy asks sequence encoders for their sequences. */
class SequenceEmbedderTest {

    /** One token per word, each a seeded vector; the pooled embedding their mean. */
    static final class WordEncoder implements SequenceTextEncoder {
        final int dimension = 8;

        @Override
        public int dimension() {
            return dimension;
        }

        @Override
        public String id() {
            return "fake-words";
        }

        @Override
        public List<Embedding> encodeAll(List<String> texts) {
            return texts.stream().map(this::encode).toList();
        }

        @Override
        public void close() {
        }

        @Override
        public EncodedSequence encodeSequence(String text) {
            String[] words = text.split(" ");
            float[] v = new float[words.length * dimension];
            for (int i = 0; i < words.length; i++) {
                FakeEncoders.vector(words[i].hashCode(), dimension).copyTo(v, i * dimension);
            }
            EmbeddingSequence s = EmbeddingSequence.of(dimension, v);
            return new EncodedSequence(s.mean(), s);
        }

        @Override
        public Embedding encode(String text) {
            return encodeSequence(text).pooled();
        }

        @Override
        public List<EncodedSequence> encodeSequenceAll(List<String> texts) {
            return texts.stream().map(this::encodeSequence).toList();
        }
    }

    @Test
    void theEmbedderFusesTheEncodersSequencesNotJustTheirMean() {
        WordEncoder words = new WordEncoder();
        FakeEncoders.Image image = new FakeEncoders.Image(6);
        FusionSpec spec = Fusions.crossAttention().dimension(8).heads(2).maxSequenceLength(6);
        try (CrossAttentionFusion reference = (CrossAttentionFusion) spec.bind(TestData.dims(Modality.TEXT, 8,
                Modality.IMAGE, 6));
             MultimodalEmbedder embedder = Fusion.builder().text(words).image(image).strategy(spec)
                     .normalizeOutput(false).build()) {
            MultimodalInput input = MultimodalInput.of("a red apple", FakeEncoders.Image.image(3));
            ModalityEmbeddings withSequence = ModalityEmbeddings.builder()
                    .putEncoded(Modality.TEXT, words.encodeSequence("a red apple"))
                    .put(Modality.IMAGE, image.encode(FakeEncoders.Image.image(3))).build();
            Embedding expected = reference.fuse(withSequence);
            assertThat(embedder.embed(input)).isEqualTo(expected);
            assertThat(embedder.embedAll(List.of(input, MultimodalInput.textOnly("red apple")))).first()
                    .isEqualTo(expected);
            assertThat(embedder.embed(input)).isNotEqualTo(reference.fuse(withSequence.withoutSequences()));
        }
    }

    @Test
    void theTrainerEncodesRawExamplesWithTheirSequences() {
        WordEncoder words = new WordEncoder();
        List<TrainingExample> examples = new ArrayList<>();
        String[] texts = {"a red apple", "a green apple", "red car", "green car", "a red rose", "green leaf"};
        for (int i = 0; i < 24; i++) {
            String t = texts[i % texts.length];
            examples.add(TrainingExample.of(MultimodalInput.textOnly(t), t.contains("red") ? "red" : "green"));
        }
        FusionSpec spec = Fusions.crossAttention().dimension(8).heads(2).maxSequenceLength(6);
        try (FusionModel model = FusionTrainer.builder().strategy(spec).text(words).epochs(2).hiddenLayers(4)
                .auxiliaryHeads(false).listener(TrainingListener.none()).build().fit(examples)) {
            assertThat(model.usesSequences()).isTrue();
            FusionStrategy inside = model.strategy();
            ModalityEmbeddings record = ModalityEmbeddings.builder()
                    .putEncoded(Modality.TEXT, words.encodeSequence("a red apple")).build();
            assertThat(inside.fuse(record)).isNotEqualTo(inside.fuse(record.withoutSequences()));
        }
    }
}
