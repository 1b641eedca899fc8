package dev.fusion4j.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EmbeddingTest {

    @Test
    void copiesOnTheWayInAndOut() {
        float[] values = {1f, 2f, 3f};
        Embedding e = Embedding.of(values);
        values[0] = 99f;
        assertThat(e.get(0)).isEqualTo(1f);
        float[] out = e.toArray();
        out[1] = 99f;
        assertThat(e.get(1)).isEqualTo(2f);
        assertThat(e.dimension()).isEqualTo(3);
    }

    @Test
    void rejectsNullEmptyNanAndInfinity() {
        assertThatThrownBy(() -> Embedding.of((float[]) null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(Embedding::of).isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Embedding.of(1f, Float.NaN))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("index 1").hasMessageContaining("NaN");
        assertThatThrownBy(() -> Embedding.of(Float.NEGATIVE_INFINITY))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("Infinity");
    }

    @Test
    void dotCosineNormAndNormalized() {
        Embedding a = Embedding.of(3f, 4f);
        Embedding b = Embedding.of(4f, 3f);
        assertThat(a.dot(b)).isEqualTo(24.0);
        assertThat(a.norm()).isEqualTo(5.0);
        assertThat(a.cosine(b)).isCloseTo(24.0 / 25.0, within(1e-12));
        assertThat(a.cosine(a)).isCloseTo(1.0, within(1e-12));
        assertThat(a.normalized().toArray()).containsExactly(0.6f, 0.8f);
        Embedding zero = Embedding.of(0f, 0f);
        assertThat(zero.normalized()).isEqualTo(zero);
        assertThat(zero.cosine(a)).isZero();
    }

    @Test
    void mismatchedDimensionsAreInvalidInput() {
        assertThatThrownBy(() -> Embedding.of(1f).dot(Embedding.of(1f, 2f)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("1 and 2");
        assertThatThrownBy(() -> Embedding.of(1f).cosine(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void equalityIsElementWise() {
        assertThat(Embedding.of(1f, 2f)).isEqualTo(Embedding.of(1f, 2f)).hasSameHashCodeAs(Embedding.of(1f, 2f));
        assertThat(Embedding.of(1f, 2f)).isNotEqualTo(Embedding.of(2f, 1f));
        assertThat(Embedding.of(0f)).isNotEqualTo(Embedding.of(-0f));
        assertThat(Embedding.of(1f, 2f, 3f, 4f, 5f).toString()).contains("dim=5").contains("...");
    }

    @Test
    void getOutsideRangeThrows() {
        assertThatThrownBy(() -> Embedding.of(1f).get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
