package dev.fusion4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TrustWeightsTest {
    private static final int C = 4;

    /** Log-probabilities putting {@code p} on {@code label} and the rest evenly on the others. */
    private static double[] sure(int label, double p) {
        double[] l = new double[C];
        for (int j = 0; j < C; j++) {
            l[j] = Math.log(j == label ? p : (1 - p) / (C - 1));
        }
        return l;
    }

    @Test
    void theCombinationIsANormalisedWeightedProductThatIgnoresAZeroWeight() {
        double[][] logProbs = {sure(0, 0.7), sure(1, 0.6), null};
        double[] out = new double[C + 2];
        TrustWeights.combine(new double[] {1.0, 0.5, 0.0}, logProbs, C, out, 2);
        double sum = 0;
        for (int j = 0; j < C; j++) {
            double expected = 1.0 * logProbs[0][j] + 0.5 * logProbs[1][j];
            assertThat(out[2 + j] - out[2]).isCloseTo(expected - (logProbs[0][0] + 0.5 * logProbs[1][0]),
                    within(1e-12));
            sum += Math.exp(out[2 + j]);
        }
        assertThat(sum).isCloseTo(1.0, within(1e-12));
        assertThat(out[0]).isZero();
    }

    @Test
    void theGateLearnsToDistrustAnExpertWhoseInputIsAtypical() {
        // expert 0 (fused) is right but unsure; expert 2 (image) is sure and right while its input is typical
        // (z < 1), sure and wrong when it is not; expert 1 (text) is absent from the picture: right but unsure
        Random random = new Random(5);
        int n = 400;
        double[][][] logProbs = new double[n][][];
        double[][] z = new double[n][];
        boolean[][] present = new boolean[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(C);
            double zi = random.nextGaussian() * 1.5;
            int imageSays = zi < 1 ? y[i] : (y[i] + 1) % C;
            logProbs[i] = new double[][] {sure(y[i], 0.4), sure(y[i], 0.4), sure(imageSays, 0.9)};
            z[i] = new double[] {0.0, zi};
            present[i] = new boolean[] {true, true};
        }
        float[] gate = TrustWeights.fitGate(logProbs, z, present, y, 2, C);
        // the image expert's coefficient on its own atypicality is negative, and its weight falls with it
        assertThat(gate[2 * 3 + 2]).isNegative();
        double typical = weightOfImage(gate, -1.0);
        double atypical = weightOfImage(gate, 3.0);
        assertThat(atypical).isLessThan(typical / 3);
        // deterministic
        assertThat(TrustWeights.fitGate(logProbs, z, present, y, 2, C)).containsExactly(gate);
    }

    /** Row 2 of the gate (the image expert): bias, coefficient on z_text, coefficient on z_image. */
    private static double weightOfImage(float[] gate, double z) {
        double u = gate[6] + gate[8] * z;
        return TrustWeights.softplus(u);
    }
}
