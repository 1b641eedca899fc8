package dev.fusion4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SeededInitTest {

    @ParameterizedTest(name = "out={0}, in={1}")
    @CsvSource({"5,12", "12,5", "7,7", "64,300", "300,64", "1,9", "256,1280"})
    void projectionsAreOrthogonalWithANormKeepingScale(int out, int in) {
        float[] w = SeededInit.orthogonal(3, out, in);
        assertThat(w).hasSize(out * in);
        if (in >= out) { // rows orthonormal, scaled by sqrt(in/out): W Wᵀ = (in/out) I
            double scale = (double) in / out;
            for (int a = 0; a < out; a++) {
                for (int b = 0; b < out; b++) {
                    double dot = 0;
                    for (int i = 0; i < in; i++) {
                        dot += (double) w[a * in + i] * w[b * in + i];
                    }
                    assertThat(dot).isCloseTo(a == b ? scale : 0, within(1e-5 * scale));
                }
            }
        } else { // columns orthonormal: Wᵀ W = I
            for (int a = 0; a < in; a++) {
                for (int b = 0; b < in; b++) {
                    double dot = 0;
                    for (int o = 0; o < out; o++) {
                        dot += (double) w[o * in + a] * w[o * in + b];
                    }
                    assertThat(dot).isCloseTo(a == b ? 1 : 0, within(1e-5));
                }
            }
        }
    }

    @Test
    void projectionsMixEveryCoordinateAndKeepNormsInExpectation() {
        int in = 200;
        int out = 50;
        float[] w = SeededInit.orthogonal(4, out, in);
        // no row is concentrated on few inputs (a random unit vector of length 200 has max entry ~0.25)
        for (int o = 0; o < out; o++) {
            double max = 0;
            double norm = 0;
            for (int i = 0; i < in; i++) {
                max = Math.max(max, Math.abs(w[o * in + i]));
                norm += (double) w[o * in + i] * w[o * in + i];
            }
            assertThat(max / Math.sqrt(norm)).as("row %d", o).isLessThan(0.45);
        }
        Random random = new Random(5);
        double mean = 0;
        for (int t = 0; t < 400; t++) {
            double[] x = new double[in];
            double n = 0;
            for (int i = 0; i < in; i++) {
                x[i] = random.nextGaussian();
                n += x[i] * x[i];
            }
            double y2 = 0;
            for (int o = 0; o < out; o++) {
                double y = 0;
                for (int i = 0; i < in; i++) {
                    y += w[o * in + i] * x[i] / Math.sqrt(n);
                }
                y2 += y * y;
            }
            mean += y2 / 400;
        }
        assertThat(mean).isCloseTo(1.0, within(0.05));
    }

    @Test
    void sameSeedSameBitsOtherSeedOrNameOtherValues() {
        assertThat(SeededInit.orthogonal(7, 9, 13)).isEqualTo(SeededInit.orthogonal(7, 9, 13));
        assertThat(SeededInit.orthogonal(7, 9, 13)).isNotEqualTo(SeededInit.orthogonal(8, 9, 13));
        assertThat(SeededInit.gaussian(7, 5, 1)).isEqualTo(SeededInit.gaussian(7, 5, 1));
        assertThat(SeededInit.derive(1, "text")).isEqualTo(SeededInit.derive(1, "text"))
                .isNotEqualTo(SeededInit.derive(1, "image")).isNotEqualTo(SeededInit.derive(2, "text"));
        assertThat(SeededInit.derive(1, "ab", "c")).isNotEqualTo(SeededInit.derive(1, "a", "bc"));
    }
}
