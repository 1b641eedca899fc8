package dev.fusion4j.core.cluster;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Mean silhouette coefficient (Rousseeuw 1987) of a labelling: for each point, {@code a} is its mean distance
 * to the other members of its cluster, {@code b} the smallest mean distance to another cluster, and
 * {@code s = (b - a) / max(a, b)} ({@code 0} for a point alone in its cluster, as scikit-learn). The score is the
 * mean of {@code s}, in [-1, 1]; higher means tighter, better separated clusters.
 *
 * <p>Exact: O(n²·d) time (each pair once), O(n·c) memory for c clusters; about a second for n = 2,000, d = 384.
 * For large n, {@link #sampledScore} computes it on a seeded random sample, as scikit-learn's
 * {@code sample_size}.
 */
public final class Silhouette {
    private Silhouette() {
    }

    /** Exact mean silhouette with {@link Distance#EUCLIDEAN} distance. */
    public static double score(List<Embedding> embeddings, int[] labels) {
        return score(embeddings, labels, Distance.EUCLIDEAN);
    }

    /**
     * Exact mean silhouette with the given distance ({@link Distance#COSINE} is {@code 1 - cos}).
     *
     * @param labels cluster of each embedding, any ints; there must be between 2 and n - 1 distinct labels
     * @throws InvalidInputException if the inputs are null, of different lengths, of mixed dimensions, or the
     *     number of distinct labels is outside [2, n - 1]
     */
    public static double score(List<Embedding> embeddings, int[] labels, Distance distance) {
        if (distance == null) {
            throw new InvalidInputException("distance is null: use Distance.COSINE or Distance.EUCLIDEAN");
        }
        float[] x = distance.rows(embeddings);
        int n = embeddings.size();
        int[] compact = compactLabels(labels, n);
        return meanSilhouette(x, x.length / n, compact, distance);
    }

    /**
     * Mean silhouette of a seeded random sample of {@code sampleSize} points (distances within the sample only);
     * the exact score when {@code sampleSize >= n}. O(sampleSize²·d).
     */
    public static double sampledScore(List<Embedding> embeddings, int[] labels, Distance distance, int sampleSize,
            long seed) {
        if (sampleSize < 2) {
            throw new InvalidInputException("sampleSize must be at least 2, got " + sampleSize);
        }
        if (embeddings == null || labels == null || sampleSize >= embeddings.size()) {
            return score(embeddings, labels, distance);
        }
        compactLabels(labels, embeddings.size()); // validates before sampling
        int n = embeddings.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Embedding> sample = new ArrayList<>(sampleSize);
        int[] sampleLabels = new int[sampleSize];
        for (int i = 0; i < sampleSize; i++) { // partial Fisher-Yates shuffle
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            sample.add(embeddings.get(order[i]));
            sampleLabels[i] = labels[order[i]];
        }
        return score(sample, sampleLabels, distance);
    }

    /** Maps labels to 0..c-1 in order of first appearance, checking 2 <= c <= n - 1. */
    private static int[] compactLabels(int[] labels, int n) {
        if (labels == null) {
            throw new InvalidInputException("labels is null: pass one cluster label per embedding");
        }
        if (labels.length != n) {
            throw new InvalidInputException("labels has " + labels.length + " entries but there are " + n
                    + " embeddings: pass one label per embedding");
        }
        Map<Integer, Integer> index = new HashMap<>();
        int[] compact = new int[n];
        for (int i = 0; i < n; i++) {
            compact[i] = index.computeIfAbsent(labels[i], l -> index.size());
        }
        if (index.size() < 2 || index.size() > n - 1) {
            throw new InvalidInputException("the silhouette needs between 2 and n - 1 = " + (n - 1)
                    + " distinct labels, got " + index.size());
        }
        return compact;
    }

    private static double meanSilhouette(float[] x, int d, int[] labels, Distance distance) {
        int n = labels.length;
        int c = 0;
        for (int l : labels) {
            c = Math.max(c, l + 1);
        }
        int[] sizes = new int[c];
        for (int l : labels) {
            sizes[l]++;
        }
        double[] sums = new double[n * c]; // sums[i*c + l]: total distance from i to the members of cluster l
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dist = distance.between(x, i, j, d);
                sums[i * c + labels[j]] += dist;
                sums[j * c + labels[i]] += dist;
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            int own = labels[i];
            if (sizes[own] == 1) {
                continue; // s = 0
            }
            double a = sums[i * c + own] / (sizes[own] - 1);
            double b = Double.POSITIVE_INFINITY;
            for (int l = 0; l < c; l++) {
                if (l != own) {
                    b = Math.min(b, sums[i * c + l] / sizes[l]);
                }
            }
            double max = Math.max(a, b);
            total += max == 0 ? 0 : (b - a) / max;
        }
        return total / n;
    }
}
