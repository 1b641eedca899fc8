package dev.fusion4j.core.cluster;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import java.util.List;

/**
 * The result of {@link KMeans#fit}: a cluster index per input point, the centroids, the inertia and the number
 * of Lloyd iterations of the best restart. Immutable.
 */
public final class Clustering {
    private final int[] assignments;
    private final List<Embedding> centroids;
    private final double inertia;
    private final int iterations;
    private final Distance distance;

    Clustering(int[] assignments, List<Embedding> centroids, double inertia, int iterations, Distance distance) {
        this.assignments = assignments;
        this.centroids = List.copyOf(centroids);
        this.inertia = inertia;
        this.iterations = iterations;
        this.distance = distance;
    }

    /** Number of clusters. */
    public int k() {
        return centroids.size();
    }

    /** Cluster of every input point, in input order, each in {@code [0, k)}; a fresh copy. */
    public int[] assignments() {
        return assignments.clone();
    }

    /** Cluster of input point {@code i}. */
    public int assignment(int i) {
        return assignments[i];
    }

    /** Number of points in each cluster. */
    public int[] sizes() {
        int[] sizes = new int[k()];
        for (int a : assignments) {
            sizes[a]++;
        }
        return sizes;
    }

    /** Centroids (in the space clustered: means of unit vectors for {@link Distance#COSINE}). */
    public List<Embedding> centroids() {
        return centroids;
    }

    /** Sum of squared Euclidean distances from each point (normalised for cosine) to its centroid. */
    public double inertia() {
        return inertia;
    }

    /** Lloyd iterations (centroid updates) of the returned run. */
    public int iterations() {
        return iterations;
    }

    /** The distance the clustering was computed with. */
    public Distance distance() {
        return distance;
    }

    /** The cluster whose centroid is nearest to {@code embedding} (lowest index on ties). */
    public int predict(Embedding embedding) {
        if (embedding == null) {
            throw new InvalidInputException("embedding is null");
        }
        int d = centroids.get(0).dimension();
        if (embedding.dimension() != d) {
            throw new InvalidInputException("embedding has dimension " + embedding.dimension()
                    + " but the clustering has " + d + "-dimensional centroids");
        }
        float[] x = distance.rows(List.of(embedding));
        float[] c = new float[d];
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int j = 0; j < centroids.size(); j++) {
            centroids.get(j).copyTo(c, 0);
            double dist = Distance.squaredEuclidean(x, 0, c, 0, d);
            if (dist < bestDistance) {
                bestDistance = dist;
                best = j;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "Clustering[k=" + k() + ", n=" + assignments.length + ", inertia=" + inertia + ", iterations="
                + iterations + ", distance=" + distance + "]";
    }
}
