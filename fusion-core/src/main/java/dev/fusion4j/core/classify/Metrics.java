package dev.fusion4j.core.classify;

import java.util.List;

/**
 * Classification scores on label lists (one actual and one predicted label per example), through a
 * {@link ConfusionMatrix}.
 */
public final class Metrics {
    private Metrics() {
    }

    /** Fraction of positions where {@code predicted} equals {@code actual}. */
    public static double accuracy(List<String> actual, List<String> predicted) {
        return confusion(actual, predicted).accuracy();
    }

    /** Mean per-class F1 over every label seen in either list (scikit-learn's {@code average="macro"}). */
    public static double macroF1(List<String> actual, List<String> predicted) {
        return confusion(actual, predicted).macroF1();
    }

    /** The confusion counts; see {@link ConfusionMatrix#of}. */
    public static ConfusionMatrix confusion(List<String> actual, List<String> predicted) {
        return ConfusionMatrix.of(actual, predicted);
    }
}
