package dev.fusion4j.core.internal;

/** The numerically stable softmax and log-sum-exp shared by the classifiers' plain-Java inference. */
public final class Softmax {
    private Softmax() {
    }

    /** Softmax of {@code z[from, from + n)}, in place (the maximum is subtracted before exponentiating). */
    public static void inPlace(double[] z, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = from; j < from + n; j++) {
            max = Math.max(max, z[j]);
        }
        double sum = 0;
        for (int j = from; j < from + n; j++) {
            z[j] = Math.exp(z[j] - max);
            sum += z[j];
        }
        for (int j = from; j < from + n; j++) {
            z[j] /= sum;
        }
    }

    /** {@code log Σ_j exp(z_j)} over {@code z[from, from + n)}, with the maximum taken out first. */
    public static double logSumExp(double[] z, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = from; j < from + n; j++) {
            max = Math.max(max, z[j]);
        }
        double sum = 0;
        for (int j = from; j < from + n; j++) {
            sum += Math.exp(z[j] - max);
        }
        return max + Math.log(sum);
    }
}
