package dev.fusion4j.core.bilinear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.TestData;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LowRankBilinearFusionTest {
    private static final Modality AUDIO = TestData.AUDIO;

    @Test
    void withAnAbsentModalityEqualsThePresentModalitysTermAlone() {
        Random random = new Random(31);
        try (LowRankBilinearFusion f = Fusions.bilinear().lowRank(6).bind(TestData.dims(Modality.TEXT, 4, Modality.IMAGE, 5))) {
            Embedding t = TestData.gaussian(random, 4);
            float[] a = parameter(f, "factor_text");
            double[] term = matVec(a, t.normalized().toArray(), 6);
            float[] z = f.fuse(TestData.record(Modality.TEXT, t)).toArray();
            for (int k = 0; k < 6; k++) {
                assertThat((double) z[k]).isCloseTo(term[k], within(1e-6));
            }
        }
    }

    @Test
    void isTheSumPooledCentredProductOfTheFactorsForAnyConstants() {
        Random random = new Random(32);
        try (LowRankBilinearFusion f = Fusions.bilinear().lowRank(6).factor(2).normalizeInputs(false)
                .bind(TestData.dims(Modality.TEXT, 4, Modality.IMAGE, 5, AUDIO, 3))) {
            assertThat(f.outputDimension()).isEqualTo(3);
            // as after training: constants other than 1 (set in place: the strategy reads live parameters)
            float[][] b = new float[3][6];
            String[] names = {"text", "image", "audio"};
            for (int m = 0; m < 3; m++) {
                for (int k = 0; k < 6; k++) {
                    b[m][k] = (float) (1 + 0.5 * random.nextGaussian());
                }
                parameterArray(f, "constant_" + names[m]).set(b[m]);
            }
            float[][] x = {TestData.gaussian(random, 4).toArray(), TestData.gaussian(random, 5).toArray(),
                    TestData.gaussian(random, 3).toArray()};
            float[] all = f.fuse(TestData.record(Modality.TEXT, Embedding.of(x[0]), Modality.IMAGE, Embedding.of(x[1]),
                    AUDIO, Embedding.of(x[2]))).toArray();
            float[] noAudio = f.fuse(TestData.record(Modality.TEXT, Embedding.of(x[0]), Modality.IMAGE,
                    Embedding.of(x[1]))).toArray();
            double[][] u = new double[3][];
            for (int m = 0; m < 3; m++) {
                u[m] = matVec(parameter(f, "factor_" + names[m]), x[m], 6);
            }
            for (int o = 0; o < 3; o++) {
                double expectedAll = 0;
                double expectedNoAudio = 0;
                for (int k = 2 * o; k < 2 * o + 2; k++) {
                    double constant = (double) b[0][k] * b[1][k] * b[2][k];
                    expectedAll += (u[0][k] + b[0][k]) * (u[1][k] + b[1][k]) * (u[2][k] + b[2][k]) - constant;
                    expectedNoAudio += (u[0][k] + b[0][k]) * (u[1][k] + b[1][k]) * b[2][k] - constant;
                }
                assertThat((double) all[o]).isCloseTo(expectedAll, within(1e-5));
                assertThat((double) noAudio[o]).isCloseTo(expectedNoAudio, within(1e-5));
            }
        }
    }

    @Test
    void untrainedTheConstantPartDominatesSoTextAloneStaysCloseToTextAndImage() {
        Random random = new Random(33);
        try (LowRankBilinearFusion f = Fusions.bilinear().lowRank(512).bind(TestData.dims(Modality.TEXT, 64, Modality.IMAGE, 64))) {
            double cosine = 0;
            for (int i = 0; i < 20; i++) {
                Embedding t = TestData.gaussian(random, 64);
                Embedding both = f.fuse(TestData.record(Modality.TEXT, t, Modality.IMAGE, TestData.gaussian(random, 64)));
                Embedding textOnly = f.fuse(TestData.record(Modality.TEXT, t));
                cosine += both.cosine(textOnly) / 20;
            }
            // ≈ 1/√2 for the sum of two orthogonal-ish unit terms; the bimodal term adds only O(1/√k)
            assertThat(cosine).isCloseTo(Math.sqrt(0.5), within(0.1));
        }
    }

    @Test
    void refusesAFactorThatDoesNotDivideTheRank() {
        assertThatThrownBy(() -> Fusions.bilinear().lowRank(10).factor(3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not divide");
    }

    private static double[] matVec(float[] w, float[] x, int rows) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < x.length; c++) {
                y[r] += (double) w[r * x.length + c] * x[c];
            }
        }
        return y;
    }

    private static ai.djl.ndarray.NDArray parameterArray(LowRankBilinearFusion f, String name) {
        for (Pair<String, Parameter> p : f.block().getParameters()) {
            if (p.getKey().equals(name)) {
                return p.getValue().getArray();
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    private static float[] parameter(LowRankBilinearFusion f, String name) {
        return parameterArray(f, name).toFloatArray();
    }
}
