package dev.fusion4j.core.bilinear;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The FFT against a direct O(n²) DFT, forward and inverse, with and without the bit-reversal pass. */
class FftTest {

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 2, 4, 8, 16, 32, 64, 256, 1024})
    void agreesWithTheDirectTransform(int n) {
        Random random = new Random(n);
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = random.nextGaussian();
            im[i] = random.nextGaussian();
        }
        Fft fft = new Fft(n);
        for (boolean inverse : new boolean[] {false, true}) {
            double[][] want = direct(re, im, inverse);
            double[] r = re.clone();
            double[] i = im.clone();
            fft.transform(r, i, inverse);
            assertClose(r, want[0], n);
            assertClose(i, want[1], n);
            double[] rr = new double[n];
            double[] ri = new double[n];
            for (int k = 0; k < n; k++) {
                rr[fft.reversed(k)] = re[k];
                ri[fft.reversed(k)] = im[k];
            }
            fft.transformReversed(rr, ri, inverse);
            assertThat(rr).isEqualTo(r);
            assertThat(ri).isEqualTo(i);
        }
    }

    private static double[][] direct(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        double sign = inverse ? 1 : -1;
        double[][] out = new double[2][n];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                double angle = sign * 2 * Math.PI * ((long) j * k % n) / n;
                out[0][k] += re[j] * Math.cos(angle) - im[j] * Math.sin(angle);
                out[1][k] += re[j] * Math.sin(angle) + im[j] * Math.cos(angle);
            }
        }
        return out;
    }

    private static void assertClose(double[] got, double[] want, int n) {
        for (int k = 0; k < n; k++) {
            assertThat(got[k]).as("index %d", k).isCloseTo(want[k], org.assertj.core.data.Offset.offset(1e-9 * n));
        }
    }
}
