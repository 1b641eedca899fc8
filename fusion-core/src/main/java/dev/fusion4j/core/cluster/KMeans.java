package dev.fusion4j.core.cluster;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.core.internal.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * k-means clustering: greedy k-means++ seeding (Arthur &amp; Vassilvitskii 2007) from a seeded
 * {@link SplittableRandom},
 * Lloyd iterations until no assignment changes or {@link Builder#maxIterations} is reached, repeated
 * {@link Builder#restarts} times keeping the run of lowest inertia. An emptied cluster takes the point farthest
 * from its centroid. With {@link Distance#COSINE} (the default) the embeddings are L2-normalised first.
 *
 * <p>Cost: O(restarts · iterations · n · k · d) time, O(n·d) memory. Deterministic: the same seed and inputs
 * give the same {@link Clustering}.
 *
 * <pre>{@code
 * Clustering c = KMeans.builder().k(20).seed(7).build().fit(embeddings);
 * }</pre>
 */
public final class KMeans {
    private final int k;
    private final int maxIterations;
    private final int restarts;
    private final long seed;
    private final Distance distance;

    private KMeans(Builder b) {
        this.k = b.k;
        this.maxIterations = b.maxIterations;
        this.restarts = b.restarts;
        this.seed = b.seed;
        this.distance = b.distance;
    }

    /** A builder; {@link Builder#k} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of clusters. */
    public int k() {
        return k;
    }

    /**
     * Clusters {@code embeddings} into {@link #k()} groups.
     *
     * @throws InvalidInputException if the list is null or empty, holds nulls or mixed dimensions, or has fewer
     *     than k embeddings
     */
    public Clustering fit(List<Embedding> embeddings) {
        float[] x = distance.rows(embeddings);
        int n = embeddings.size();
        int d = x.length / n;
        if (n < k) {
            throw new InvalidInputException("k is " + k + " but only " + n + " embeddings were given: k must not"
                    + " exceed the number of embeddings");
        }
        SplittableRandom root = new SplittableRandom(seed);
        Run best = null;
        for (int r = 0; r < restarts; r++) {
            Run run = new Run(x, n, d, root.split());
            run.lloyd();
            if (best == null || run.inertia < best.inertia) {
                best = run;
            }
        }
        List<Embedding> centroids = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            centroids.add(Embedding.of(Arrays.copyOfRange(best.centroids, c * d, (c + 1) * d)));
        }
        return new Clustering(best.labels, centroids, best.inertia, best.iterations, distance);
    }

    @Override
    public String toString() {
        return "KMeans[k=" + k + ", maxIterations=" + maxIterations + ", restarts=" + restarts + ", seed=" + seed
                + ", distance=" + distance + "]";
    }

    /** One seeded k-means run. */
    private final class Run {
        private final float[] x;
        private final int n;
        private final int d;
        private final float[] centroids;
        private final int[] labels;
        private final double[] distances; // squared distance of each point to its centroid
        private double inertia;
        private int iterations;

        Run(float[] x, int n, int d, SplittableRandom random) {
            this.x = x;
            this.n = n;
            this.d = d;
            this.centroids = new float[k * d];
            this.labels = new int[n];
            this.distances = new double[n];
            seedPlusPlus(random);
        }

        /**
         * Greedy k-means++ (as scikit-learn): the first centre uniformly; then, for each next centre,
         * {@code 2 + ln k} candidates drawn with probability proportional to D², keeping the one that lowers the
         * total D² most.
         */
        private void seedPlusPlus(SplittableRandom random) {
            int trials = 2 + (int) Math.log(k);
            System.arraycopy(x, random.nextInt(n) * d, centroids, 0, d);
            double[] nearest = new double[n];
            for (int i = 0; i < n; i++) {
                nearest[i] = Distance.squaredEuclidean(x, i * d, centroids, 0, d);
            }
            double[] candidateNearest = new double[n];
            double[] bestNearest = new double[n];
            for (int c = 1; c < k; c++) {
                double total = sum(nearest);
                int best = -1;
                double bestTotal = Double.POSITIVE_INFINITY;
                for (int t = 0; t < trials; t++) {
                    int candidate = sampleByWeight(nearest, total, random);
                    double candidateTotal = 0;
                    for (int i = 0; i < n; i++) {
                        candidateNearest[i] = Math.min(nearest[i],
                                Distance.squaredEuclidean(x, i * d, x, candidate * d, d));
                        candidateTotal += candidateNearest[i];
                    }
                    if (candidateTotal < bestTotal) {
                        bestTotal = candidateTotal;
                        best = candidate;
                        System.arraycopy(candidateNearest, 0, bestNearest, 0, n);
                    }
                }
                System.arraycopy(x, best * d, centroids, c * d, d);
                System.arraycopy(bestNearest, 0, nearest, 0, n);
            }
        }

        /** An index drawn with probability {@code weights[i] / total}; uniform when every weight is 0. */
        private int sampleByWeight(double[] weights, double total, SplittableRandom random) {
            if (!(total > 0)) {
                return random.nextInt(n);
            }
            double target = random.nextDouble() * total;
            for (int i = 0; i < n; i++) {
                target -= weights[i];
                if (target < 0) {
                    return i;
                }
            }
            return n - 1;
        }

        private static double sum(double[] values) {
            double s = 0;
            for (double v : values) {
                s += v;
            }
            return s;
        }

        void lloyd() {
            Arrays.fill(labels, -1);
            assign();
            while (iterations < maxIterations) {
                update();
                iterations++;
                if (assign() == 0) {
                    break;
                }
            }
        }

        /** Moves every point to its nearest centroid (lowest index on ties); returns how many moved. */
        private int assign() {
            int changed = 0;
            inertia = 0;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestDistance = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double dist = Distance.squaredEuclidean(x, i * d, centroids, c * d, d);
                    if (dist < bestDistance) {
                        bestDistance = dist;
                        best = c;
                    }
                }
                if (labels[i] != best) {
                    labels[i] = best;
                    changed++;
                }
                distances[i] = bestDistance;
                inertia += bestDistance;
            }
            return changed;
        }

        /** Centroids become the means of their points; an empty cluster takes the farthest point. */
        private void update() {
            double[] sums = new double[k * d];
            int[] counts = new int[k];
            for (int i = 0; i < n; i++) {
                int c = labels[i];
                counts[c]++;
                for (int j = 0; j < d; j++) {
                    sums[c * d + j] += x[i * d + j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    int far = farthestPoint(counts);
                    counts[labels[far]]--;
                    for (int j = 0; j < d; j++) {
                        sums[labels[far] * d + j] -= x[far * d + j];
                        sums[c * d + j] = x[far * d + j];
                    }
                    counts[c] = 1;
                    labels[far] = c;
                    distances[far] = 0;
                }
            }
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    centroids[c * d + j] = (float) (sums[c * d + j] / counts[c]);
                }
            }
        }

        /** The point farthest from its centroid among clusters that can spare one (more than one point). */
        private int farthestPoint(int[] counts) {
            int far = -1;
            for (int i = 0; i < n; i++) {
                if (counts[labels[i]] > 1 && (far < 0 || distances[i] > distances[far])) {
                    far = i;
                }
            }
            return far;
        }
    }

    /** Settings of {@link KMeans}; {@link #k} is required. */
    public static final class Builder {
        private int k;
        private int maxIterations = 300;
        private int restarts = 4;
        private long seed = 42;
        private Distance distance = Distance.COSINE;

        private Builder() {
        }

        /** Number of clusters (required, at least 1). */
        public Builder k(int k) {
            this.k = Checks.positive("k", k);
            return this;
        }

        /** Upper bound on Lloyd iterations per run; default 300. */
        public Builder maxIterations(int maxIterations) {
            this.maxIterations = Checks.positive("maxIterations", maxIterations);
            return this;
        }

        /** Independent k-means++ runs; the one of lowest inertia wins. Default 4. */
        public Builder restarts(int restarts) {
            this.restarts = Checks.positive("restarts", restarts);
            return this;
        }

        /** Seed of the k-means++ draws; default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** {@link Distance#COSINE} (default: normalise first) or {@link Distance#EUCLIDEAN}. */
        public Builder distance(Distance distance) {
            if (distance == null) {
                throw new InvalidInputException("distance is null: use Distance.COSINE or Distance.EUCLIDEAN");
            }
            this.distance = distance;
            return this;
        }

        /** The configured algorithm. */
        public KMeans build() {
            if (k < 1) {
                throw new InvalidInputException("k is not set: call k(int) with the number of clusters");
            }
            return new KMeans(this);
        }
    }
}
