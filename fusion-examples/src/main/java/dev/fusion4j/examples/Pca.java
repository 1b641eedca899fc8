package dev.fusion4j.examples;

import dev.fusion4j.api.Embedding;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Principal component analysis to two dimensions, for plots: centres the vectors and finds the top two
 * eigenvectors of their covariance by power iteration with deflation (no d x d matrix is formed: each
 * step multiplies by X^T X through the n x d data). Deterministic (seeded start vectors).
 */
final class Pca {
    private Pca() {
    }

    /** The 2-D coordinates of each embedding, as {@code [n][2]}. */
    static double[][] project2d(List<Embedding> embeddings) {
        int n = embeddings.size();
        int d = embeddings.get(0).dimension();
        double[][] x = new double[n][d];
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            float[] v = embeddings.get(i).toArray();
            for (int j = 0; j < d; j++) {
                x[i][j] = v[j];
                mean[j] += v[j] / n;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] -= mean[j];
            }
        }
        double[] pc1 = topComponent(x, null, 1);
        double[] pc2 = topComponent(x, pc1, 2);
        double[][] out = new double[n][2];
        for (int i = 0; i < n; i++) {
            out[i][0] = dot(x[i], pc1);
            out[i][1] = dot(x[i], pc2);
        }
        return out;
    }

    private static double[] topComponent(double[][] x, double[] orthogonalTo, long seed) {
        int d = x[0].length;
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = random.nextGaussian();
        }
        for (int iteration = 0; iteration < 200; iteration++) {
            if (orthogonalTo != null) {
                subtractProjection(v, orthogonalTo);
            }
            normalise(v);
            double[] next = new double[d];
            for (double[] row : x) {
                double s = dot(row, v);
                for (int j = 0; j < d; j++) {
                    next[j] += s * row[j];
                }
            }
            if (orthogonalTo != null) {
                subtractProjection(next, orthogonalTo);
            }
            normalise(next);
            double change = 0;
            for (int j = 0; j < d; j++) {
                change += Math.abs(next[j] - v[j]);
            }
            v = next;
            if (change < 1e-9) {
                break;
            }
        }
        return v;
    }

    private static void subtractProjection(double[] v, double[] unit) {
        double s = dot(v, unit);
        for (int j = 0; j < v.length; j++) {
            v[j] -= s * unit[j];
        }
    }

    private static void normalise(double[] v) {
        double norm = Math.sqrt(dot(v, v));
        for (int j = 0; j < v.length; j++) {
            v[j] = norm == 0 ? 0 : v[j] / norm;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
