package dev.fusion4j.core.classify;

import dev.fusion4j.api.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Counts of (actual, predicted) label pairs over the sorted union of the labels seen in either list, with the
 * per-class and averaged scores derived from them. Immutable.
 *
 * <p>Conventions (as scikit-learn with {@code zero_division=0}): precision of a class never predicted, recall of
 * a class never present, and F1 when both are 0 are all 0.
 */
public final class ConfusionMatrix {
    private final List<String> labels;
    private final Map<String, Integer> indexOf;
    private final int[][] counts;
    private final int total;

    private ConfusionMatrix(List<String> labels, int[][] counts, int total) {
        this.labels = labels;
        this.counts = counts;
        this.total = total;
        this.indexOf = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            indexOf.put(labels.get(i), i);
        }
    }

    /**
     * The confusion of {@code predicted} against {@code actual}.
     *
     * @throws InvalidInputException if a list is null, empty or holds a null, or their sizes differ
     */
    public static ConfusionMatrix of(List<String> actual, List<String> predicted) {
        check("actual", actual);
        check("predicted", predicted);
        if (actual.size() != predicted.size()) {
            throw new InvalidInputException("actual has " + actual.size() + " labels but predicted has "
                    + predicted.size() + ": pass one prediction per example");
        }
        TreeSet<String> union = new TreeSet<>(actual);
        union.addAll(predicted);
        List<String> labels = List.copyOf(union);
        int[][] counts = new int[labels.size()][labels.size()];
        ConfusionMatrix m = new ConfusionMatrix(labels, counts, actual.size());
        for (int i = 0; i < actual.size(); i++) {
            counts[m.indexOf.get(actual.get(i))][m.indexOf.get(predicted.get(i))]++;
        }
        return m;
    }

    private static void check(String what, List<String> labels) {
        if (labels == null || labels.isEmpty()) {
            throw new InvalidInputException(what + " labels are " + (labels == null ? "null" : "empty"));
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i) == null) {
                throw new InvalidInputException(what + "[" + i + "] is null");
            }
        }
    }

    /** Every label that occurs as actual or predicted, sorted; the row and column order. */
    public List<String> labels() {
        return labels;
    }

    /** How many examples of class {@code actual} were predicted as {@code predicted} (0 for unknown labels). */
    public int count(String actual, String predicted) {
        Integer a = indexOf.get(actual);
        Integer p = indexOf.get(predicted);
        return a == null || p == null ? 0 : counts[a][p];
    }

    /** The counts, rows actual and columns predicted in {@link #labels()} order; a fresh copy. */
    public int[][] counts() {
        int[][] copy = new int[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** Number of examples. */
    public int total() {
        return total;
    }

    /** Fraction of examples predicted correctly. */
    public double accuracy() {
        int correct = 0;
        for (int i = 0; i < counts.length; i++) {
            correct += counts[i][i];
        }
        return (double) correct / total;
    }

    /** Of the examples predicted as {@code label}, the fraction that are. */
    public double precision(String label) {
        int i = index(label);
        int predicted = 0;
        for (int[] row : counts) {
            predicted += row[i];
        }
        return predicted == 0 ? 0 : (double) counts[i][i] / predicted;
    }

    /** Of the examples that are {@code label}, the fraction predicted as such. */
    public double recall(String label) {
        int i = index(label);
        int present = 0;
        for (int c : counts[i]) {
            present += c;
        }
        return present == 0 ? 0 : (double) counts[i][i] / present;
    }

    /** Harmonic mean of precision and recall of {@code label}. */
    public double f1(String label) {
        double p = precision(label);
        double r = recall(label);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Unweighted mean of {@link #f1} over {@link #labels()}. */
    public double macroF1() {
        double sum = 0;
        for (String label : labels) {
            sum += f1(label);
        }
        return sum / labels.size();
    }

    private int index(String label) {
        Integer i = indexOf.get(label);
        if (i == null) {
            throw new InvalidInputException("label '" + label + "' occurs in neither list; known labels: " + labels);
        }
        return i;
    }

    @Override
    public String toString() {
        return "ConfusionMatrix[labels=" + labels.size() + ", total=" + total + ", accuracy=" + accuracy() + "]";
    }
}
