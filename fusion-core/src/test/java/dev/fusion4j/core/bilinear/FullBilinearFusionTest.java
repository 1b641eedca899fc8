package dev.fusion4j.core.bilinear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.TestData;
import org.junit.jupiter.api.Test;

class FullBilinearFusionTest {

    @Test
    void isTheSignedSquareRootOfTheFlattenedOuterProductOfTheOneExtendedInputsThenL2() {
        try (FullBilinearFusion f = Fusions.bilinear().full().bind(TestData.dims(Modality.TEXT, 2, Modality.IMAGE, 3))) {
            assertThat(f.outputDimension()).isEqualTo(3 * 4);
            // normalised: x̂ = (0.6, -0.8), ŷ = (0, 1, 0)
            float[] z = f.fuse(TestData.record(Modality.TEXT, Embedding.of(3, -4), Modality.IMAGE, Embedding.of(0, 2, 0)))
                    .toArray();
            double[] x = {0.6, -0.8, 1};
            double[] y = {0, 1, 0, 1};
            assertOuterProduct(z, x, y);
        }
    }

    @Test
    void anAbsentModalityIsTheExtendedVectorZeroToOne() {
        try (FullBilinearFusion f = Fusions.bilinear().full().normalizeInputs(false)
                .bind(TestData.dims(Modality.TEXT, 2, Modality.IMAGE, 3))) {
            float[] z = f.fuse(TestData.record(Modality.IMAGE, Embedding.of(1, -2, 4))).toArray();
            assertOuterProduct(z, new double[] {0, 0, 1}, new double[] {1, -2, 4, 1});
            // only the last row (the image's own terms and the constant) is non-zero
            for (int i = 0; i < 8; i++) {
                assertThat(z[i]).isZero();
            }
        }
    }

    /**
     * Before the signed square root: t = vec(x̃ ỹᵀ) row-major; after: z = sign(t)√|t| / ||sign(t)√|t|||, hence
     * sign(z) z² = t / Σ|t|. Checks both.
     */
    private static void assertOuterProduct(float[] z, double[] x, double[] y) {
        double l1 = 0;
        for (double a : x) {
            for (double b : y) {
                l1 += Math.abs(a * b);
            }
        }
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                double t = x[i] * y[j];
                double expected = Math.signum(t) * Math.sqrt(Math.abs(t) / l1);
                float zi = z[i * y.length + j];
                assertThat((double) zi).as("z[%d,%d]", i, j).isCloseTo(expected, within(1e-6));
                assertThat(Math.signum(zi) * (double) zi * zi).isCloseTo(t / l1, within(1e-6));
            }
        }
    }

    @Test
    void refusesOtherThanTwoModalitiesAndOutputsAboveTheLimit() {
        assertThatThrownBy(() -> Fusions.bilinear().full()
                .bind(TestData.dims(Modality.TEXT, 2, Modality.IMAGE, 2, TestData.AUDIO, 2)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("exactly two")
                .hasMessageContaining("compact");
        assertThatThrownBy(() -> Fusions.bilinear().full().bind(TestData.dims(Modality.TEXT, 4095, Modality.IMAGE, 1024)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("4198400")
                .hasMessageContaining("maxOutputSize");
        assertThatThrownBy(() -> Fusions.bilinear().full().maxOutputSize(11).bind(TestData.dims(Modality.TEXT, 2,
                Modality.IMAGE, 3))).isInstanceOf(InvalidInputException.class).hasMessageContaining("12");
        try (FullBilinearFusion f = Fusions.bilinear().full().maxOutputSize(12)
                .bind(TestData.dims(Modality.TEXT, 2, Modality.IMAGE, 3))) {
            assertThat(f.outputDimension()).isEqualTo(12);
        }
    }
}
