package dev.fusion4j.core.concat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.TestData;
import org.junit.jupiter.api.Test;

class ConcatFusionTest {
    private static final Modality AUDIO = TestData.AUDIO;

    @Test
    void concatenatesNormalisedInputsInBoundOrderWithZerosForAbsent() {
        try (ConcatFusion f = Fusions.concat().bind(TestData.dims(Modality.TEXT, 2, Modality.IMAGE, 3, AUDIO, 1))) {
            // record order differs from bound order: the bound order wins
            Embedding z = f.fuse(TestData.record(AUDIO, Embedding.of(-5), Modality.TEXT, Embedding.of(3, 4)));
            assertThat(z.toArray()).containsExactly(0.6f, 0.8f, 0f, 0f, 0f, -1f);
            assertThat(f.outputDimension()).isEqualTo(6);
        }
    }

    @Test
    void appendsPresenceBitsAndWritesFillVectorsWithoutNormalisation() {
        try (ConcatFusion f = Fusions.concat().normalizeInputs(false).presenceBits(true)
                .fill(Modality.IMAGE, Embedding.of(7, 8, 9))
                .bind(TestData.dims(Modality.TEXT, 2, Modality.IMAGE, 3))) {
            assertThat(f.fuse(TestData.record(Modality.TEXT, Embedding.of(3, 4))).toArray())
                    .containsExactly(3f, 4f, 7f, 8f, 9f, 1f, 0f);
            assertThat(f.fuse(TestData.record(Modality.IMAGE, Embedding.of(1, 2, 3))).toArray())
                    .containsExactly(0f, 0f, 1f, 2f, 3f, 0f, 1f);
            assertThat(f.fuse(TestData.record(Modality.IMAGE, Embedding.of(1, 2, 3),
                    Modality.TEXT, Embedding.of(-1, 0))).toArray())
                    .containsExactly(-1f, 0f, 1f, 2f, 3f, 1f, 1f);
            assertThat(f.outputDimension()).isEqualTo(7);
            // the batched (native) path writes the same fill and bits
            assertThat(f.fuseAll(java.util.List.of(TestData.record(Modality.TEXT, Embedding.of(3, 4)))).get(0).toArray())
                    .containsExactly(3f, 4f, 7f, 8f, 9f, 1f, 0f);
        }
    }

    @Test
    void aZeroInputStaysZeroUnderNormalisation() {
        try (ConcatFusion f = Fusions.concat().bind(TestData.dims(Modality.TEXT, 2, Modality.IMAGE, 1))) {
            assertThat(f.fuse(TestData.record(Modality.TEXT, Embedding.of(0, 0), Modality.IMAGE, Embedding.of(2)))
                    .toArray()).containsExactly(0f, 0f, 1f);
        }
    }

    @Test
    void refusesFillVectorsThatDoNotFit() {
        assertThatThrownBy(() -> Fusions.concat().fill(Modality.IMAGE, Embedding.of(1, 2))
                .bind(TestData.dims(Modality.TEXT, 2, Modality.IMAGE, 3)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'image'")
                .hasMessageContaining("dimension 2").hasMessageContaining("3");
        assertThatThrownBy(() -> Fusions.concat().fill(AUDIO, Embedding.of(1))
                .bind(TestData.dims(Modality.TEXT, 2)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'audio'");
    }

    @Test
    void specsAreImmutable() {
        ConcatSpec base = Fusions.concat();
        base.presenceBits(true);
        try (ConcatFusion f = base.bind(TestData.dims(Modality.TEXT, 2))) {
            assertThat(f.outputDimension()).isEqualTo(2);
        }
    }
}
