package dev.fusion4j.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmbeddingSequenceTest {

    @Test
    void isAnImmutableCopyWithItsMaskAndMean() {
        float[] v = {1, 2, 3, 4, 5, 6};
        boolean[] mask = {true, true, false};
        EmbeddingSequence s = EmbeddingSequence.of(2, v, mask);
        v[0] = 99;
        mask[0] = false;
        assertThat(s.length()).isEqualTo(3);
        assertThat(s.validLength()).isEqualTo(2);
        assertThat(s.row(0)).containsExactly(1, 2);
        assertThat(s.isValid(2)).isFalse();
        assertThat(s.mean()).isEqualTo(Embedding.of(2, 3)); // padding left out
        assertThat(s.sizeInBytes()).isEqualTo(4 * 6 + 3);
        float[] out = s.toArray();
        out[1] = -1;
        assertThat(s.row(0)).containsExactly(1, 2);
        assertThat(s).isEqualTo(EmbeddingSequence.of(2, new float[] {1, 2, 3, 4, 5, 6}, new boolean[] {true, true, false}));
        assertThat(EmbeddingSequence.of(2, new float[] {1, 2}).validLength()).isEqualTo(1);
    }

    @Test
    void badSequencesAreInvalidInputThatSaysWhy() {
        assertThatThrownBy(() -> EmbeddingSequence.of(0, new float[] {1})).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("width");
        assertThatThrownBy(() -> EmbeddingSequence.of(2, new float[] {1, 2, 3})).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("multiple");
        assertThatThrownBy(() -> EmbeddingSequence.of(1, new float[] {1, Float.NaN}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("position 1");
        assertThatThrownBy(() -> EmbeddingSequence.of(1, new float[] {1, 2}, new boolean[] {false, false}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("absent modality");
        assertThatThrownBy(() -> EmbeddingSequence.of(1, new float[] {1, 2}, new boolean[] {true}))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("2 positions");
    }

    @Test
    void recordsCarrySequencesBesideTheirPooledEmbeddings() {
        EmbeddingSequence tokens = EmbeddingSequence.of(2, new float[] {1, 0, 0, 1});
        ModalityEmbeddings r = ModalityEmbeddings.builder().put(Modality.TEXT, tokens.mean(), tokens)
                .put(Modality.IMAGE, Embedding.of(1, 2, 3)).build();
        assertThat(r.sequence(Modality.TEXT)).contains(tokens);
        assertThat(r.sequence(Modality.IMAGE)).isEmpty();
        assertThat(r.sequences()).containsOnlyKeys(Modality.TEXT);
        assertThat(r.withoutSequences().sequences()).isEmpty();
        assertThat(r.withoutSequences()).isNotEqualTo(r);
        assertThat(r.withoutSequences().asMap()).isEqualTo(r.asMap());
        // putting the modality again without a sequence drops the old one
        ModalityEmbeddings again = ModalityEmbeddings.builder().put(Modality.TEXT, tokens.mean(), tokens)
                .put(Modality.TEXT, tokens.mean()).build();
        assertThat(again.sequences()).isEmpty();
        assertThatThrownBy(() -> ModalityEmbeddings.builder().put(Modality.TEXT, Embedding.of(1, 2, 3), tokens))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("width 2");
        EncodedSequence encoded = new EncodedSequence(tokens.mean(), tokens);
        assertThat(ModalityEmbeddings.builder().putEncoded(Modality.TEXT, encoded).build().sequence(Modality.TEXT))
                .contains(tokens);
        assertThat(TrainingExample.of(r, "x").embeddings().orElseThrow().sequence(Modality.TEXT)).contains(tokens);
    }
}
