package dev.fusion4j.core.cluster;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import java.util.List;

/** The geometry clustering works in. */
public enum Distance {
    /** Straight-line distance between the vectors as given. */
    EUCLIDEAN,
    /**
     * Cosine distance {@code 1 - cos(a, b)}: vectors are L2-normalised first, so k-means clusters directions
     * (spherical k-means with Euclidean updates) and the silhouette uses {@code 1 - a·b = |a - b|² / 2}. An
     * all-zero embedding stays zero, at distance 1/2 from every unit vector.
     */
    COSINE;

    /**
     * {@code points} as one row-major array, L2-normalised for {@link #COSINE}.
     *
     * @throws InvalidInputException if the list or an element is null, the list is empty, or dimensions differ
     */
    float[] rows(List<Embedding> points) {
        if (points == null || points.isEmpty()) {
            throw new InvalidInputException("embeddings are " + (points == null ? "null" : "empty")
                    + ": pass at least one embedding");
        }
        int d = checked(points, 0, -1).dimension();
        float[] rows = new float[points.size() * d];
        for (int i = 0; i < points.size(); i++) {
            Embedding e = checked(points, i, d);
            (this == COSINE ? e.normalized() : e).copyTo(rows, i * d);
        }
        return rows;
    }

    /** This distance between rows {@code a} and {@code b} of {@code rows} prepared by {@link #rows}. */
    double between(float[] rows, int a, int b, int d) {
        double squared = squaredEuclidean(rows, a * d, rows, b * d, d);
        return this == COSINE ? squared / 2 : Math.sqrt(squared); // unit vectors: 1 - a·b = |a - b|² / 2
    }

    /** Squared Euclidean distance between {@code x[xo ..]} and {@code y[yo ..]}, accumulated in double. */
    static double squaredEuclidean(float[] x, int xo, float[] y, int yo, int d) {
        double s0 = 0;
        double s1 = 0;
        int j = 0;
        for (; j + 1 < d; j += 2) {
            double a = x[xo + j] - y[yo + j];
            double b = x[xo + j + 1] - y[yo + j + 1];
            s0 += a * a;
            s1 += b * b;
        }
        if (j < d) {
            double a = x[xo + j] - y[yo + j];
            s0 += a * a;
        }
        return s0 + s1;
    }

    private static Embedding checked(List<Embedding> points, int i, int dimension) {
        Embedding e = points.get(i);
        if (e == null) {
            throw new InvalidInputException("embeddings[" + i + "] is null");
        }
        if (dimension >= 0 && e.dimension() != dimension) {
            throw new InvalidInputException("embeddings[" + i + "] has dimension " + e.dimension()
                    + " but embeddings[0] has " + dimension + ": all embeddings must come from the same space");
        }
        return e;
    }
}
