package dev.fusion4j.examples.emoji;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Agreement between a clustering and reference labels: normalised and adjusted mutual information, as
 * scikit-learn's {@code normalized_mutual_info_score} and {@code adjusted_mutual_info_score} with their default
 * arithmetic-mean normalisation (natural logarithms; the expected mutual information under the hypergeometric
 * model of Vinh, Epps and Bailey 2010).
 */
final class ClusterScores {
    private ClusterScores() {
    }

    /** {@code MI / mean(H(labels), H(clusters))}; 1 when both are a single class. */
    static double nmi(List<String> labels, int[] clusters) {
        Table t = new Table(labels, clusters);
        double mean = (t.entropy(t.rows) + t.entropy(t.cols)) / 2;
        return mean == 0 ? 1 : Math.max(0, t.mutualInformation()) / mean;
    }

    /** {@code (MI − E[MI]) / (mean(H(labels), H(clusters)) − E[MI])}: 0 for chance agreement, 1 for identity. */
    static double ami(List<String> labels, int[] clusters) {
        Table t = new Table(labels, clusters);
        double mean = (t.entropy(t.rows) + t.entropy(t.cols)) / 2;
        double emi = t.expectedMutualInformation();
        double denominator = mean - emi;
        if (Math.abs(denominator) < 1e-15) {
            return 1;
        }
        return (t.mutualInformation() - emi) / denominator;
    }

    /** The contingency table of two labellings. */
    private static final class Table {
        final int n;
        final int[][] counts;
        final int[] rows;
        final int[] cols;
        final double[] logFactorial;

        Table(List<String> labels, int[] clusters) {
            if (labels.size() != clusters.length || clusters.length == 0) {
                throw new IllegalArgumentException("labels and clusters must have the same, non-zero length");
            }
            Map<String, Integer> li = new HashMap<>();
            Map<Integer, Integer> ci = new HashMap<>();
            for (int i = 0; i < clusters.length; i++) {
                li.putIfAbsent(labels.get(i), li.size());
                ci.putIfAbsent(clusters[i], ci.size());
            }
            n = clusters.length;
            counts = new int[li.size()][ci.size()];
            rows = new int[li.size()];
            cols = new int[ci.size()];
            for (int i = 0; i < n; i++) {
                int r = li.get(labels.get(i));
                int c = ci.get(clusters[i]);
                counts[r][c]++;
                rows[r]++;
                cols[c]++;
            }
            logFactorial = new double[n + 1];
            for (int k = 2; k <= n; k++) {
                logFactorial[k] = logFactorial[k - 1] + Math.log(k);
            }
        }

        double entropy(int[] sums) {
            double h = 0;
            for (int s : sums) {
                if (s > 0) {
                    double p = (double) s / n;
                    h -= p * Math.log(p);
                }
            }
            return h;
        }

        double mutualInformation() {
            double mi = 0;
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < cols.length; c++) {
                    int nij = counts[r][c];
                    if (nij > 0) {
                        mi += (double) nij / n * Math.log((double) n * nij / ((double) rows[r] * cols[c]));
                    }
                }
            }
            return mi;
        }

        double expectedMutualInformation() {
            double emi = 0;
            for (int a : rows) {
                for (int b : cols) {
                    for (int nij = Math.max(1, a + b - n); nij <= Math.min(a, b); nij++) {
                        double term = (double) nij / n * Math.log((double) n * nij / ((double) a * b));
                        double logP = logFactorial[a] + logFactorial[b] + logFactorial[n - a] + logFactorial[n - b]
                                - logFactorial[n] - logFactorial[nij] - logFactorial[a - nij] - logFactorial[b - nij]
                                - logFactorial[n - a - b + nij];
                        emi += term * Math.exp(logP);
                    }
                }
            }
            return emi;
        }
    }
}
