package dev.fusion4j.core.internal;

/**
 * Small dense kernels of the plain-Java inference paths ({@link JavaPath}). Written as simple loops the
 * HotSpot C2 compiler vectorises (the inner loops are element-wise, never reductions across a SIMD lane);
 * every sum runs in a fixed order, so results are bit-identical across threads, runs and JIT tiers.
 */
public final class Dense {
    private Dense() {
    }

    /**
     * The columns of a row-major PyTorch-layout weight {@code W [out, in]}, each its own array: {@code cols[j][o] =
     * W[o, j]}. {@link #multiplyAdd} streams them. (One array per column, not a flat transpose, because HotSpot C2 on
     * Java 17 vectorises {@code y[k] += a·c0[k] + b·c1[k] + …} only when every array in the loop is indexed by the
     * bare loop variable: two loads from one array at different offsets, or a store at {@code y[y0 + k]}, keep the
     * loop scalar — 7–20 multiply-adds per ns against 1–3 measured on this machine.)
     */
    public static float[][] columns(float[] w, int out, int in) {
        float[][] cols = new float[in][out];
        for (int o = 0; o < out; o++) {
            int r = o * in;
            for (int j = 0; j < in; j++) {
                cols[j][o] = w[r + j];
            }
        }
        return cols;
    }

    /** {@code y += W x} for one record ({@code x} of length {@code in}, {@code y} of length {@code out}). */
    public static void multiplyAdd(float[][] cols, float[] x, float[] y) {
        multiplyAdd(cols, new float[][] {x}, new int[1], new float[][] {y}, 1);
    }

    /** {@code ys[i] = W xs[i] + bias} for {@code i < n} (new rows; the weights read once for all of them). */
    public static float[][] affine(float[][] cols, float[] bias, float[][] xs, int n) {
        float[][] ys = new float[n][bias.length];
        multiplyAdd(cols, xs, new int[n], ys, n);
        for (int i = 0; i < n; i++) {
            addBias(bias, ys[i]);
        }
        return ys;
    }

    /**
     * {@code ys[i] += W x_{rows[i]}} for the records {@code rows} of modality {@code m} in {@code batch}
     * ({@code W [out, d_m]} by its columns; the weights read once for all of them).
     */
    public static void multiplyAdd(float[][] cols, PackedBatch batch, int m, int[] rows, float[][] ys) {
        float[] x = batch.inputs()[m];
        float[][] xs = new float[rows.length][];
        int[] offsets = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            xs[i] = x;
            offsets[i] = rows[i] * cols.length;
        }
        multiplyAdd(cols, xs, offsets, ys, rows.length);
    }

    /**
     * {@code ys[i] += W x_i} for {@code i < n}, {@code x_i = xs[i][xOffsets[i], +in)}, with {@code W [out, in]} given
     * by its {@link #columns} ({@code in = cols.length}, each output row {@code ys[i]} of length {@code out}). Four
     * columns per pass ({@code y += x_j c_j + x_{j+1} c_{j+1} + x_{j+2} c_{j+2} + x_{j+3} c_{j+3}}, an element-wise
     * update C2 vectorises), all records per pass, so the weights are read from memory once per batch. Each
     * record's sums run in the same order whatever {@code n}: a record alone and inside a batch agree bit for bit.
     */
    public static void multiplyAdd(float[][] cols, float[][] xs, int[] xOffsets, float[][] ys, int n) {
        int in = cols.length;
        int j = 0;
        for (; j + 4 <= in; j += 4) {
            float[] c0 = cols[j];
            float[] c1 = cols[j + 1];
            float[] c2 = cols[j + 2];
            float[] c3 = cols[j + 3];
            for (int i = 0; i < n; i++) {
                float[] x = xs[i];
                int x0 = xOffsets[i] + j;
                axpy4(x[x0], c0, x[x0 + 1], c1, x[x0 + 2], c2, x[x0 + 3], c3, ys[i]);
            }
        }
        for (; j < in; j++) {
            float[] c0 = cols[j];
            for (int i = 0; i < n; i++) {
                float a = xs[i][xOffsets[i] + j];
                float[] y = ys[i];
                for (int k = 0; k < y.length; k++) {
                    y[k] += a * c0[k];
                }
            }
        }
    }

    private static void axpy4(float a, float[] c0, float b, float[] c1, float c, float[] c2, float d, float[] c3,
            float[] y) {
        for (int k = 0; k < y.length; k++) {
            y[k] += a * c0[k] + b * c1[k] + c * c2[k] + d * c3[k];
        }
    }

    /** {@code y += bias} (after {@link #multiplyAdd} into zeros: an affine map with the bias added last). */
    public static void addBias(float[] bias, float[] y) {
        for (int k = 0; k < y.length; k++) {
            y[k] += bias[k];
        }
    }

    /** {@code 0, 1, …, n − 1}. */
    public static int[] range(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /** Dot product of {@code a[aOff, +n)} and {@code b[bOff, +n)}, accumulated in double. */
    public static double dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) a[aOff + i] * b[bOff + i];
        }
        return s;
    }

    /**
     * Layer normalisation of {@code x[off, +n)} into {@code out[off, +n)}: {@code (x − mean) / √(var + eps) · gain
     * + bias}, mean and biased variance in double (as PyTorch's {@code layer_norm}).
     */
    public static void layerNorm(float[] x, int off, int n, float[] gain, float[] bias, float eps, float[] out) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += x[off + i];
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double c = x[off + i] - mean;
            var += c * c;
        }
        var /= n;
        double inv = 1.0 / Math.sqrt(var + eps);
        for (int i = 0; i < n; i++) {
            out[off + i] = (float) ((x[off + i] - mean) * inv * gain[i] + bias[i]);
        }
    }

    /**
     * GELU as PyTorch computes it by default (exact, not the tanh approximation): {@code x Φ(x) = ½ x erfc(−x/√2)}.
     * {@code erfc} from the Chebyshev fit of Numerical Recipes ({@code erfcc}, relative error below 1.2e-7), so
     * the result is within about 1e-7 |x| of the exact value.
     */
    public static float gelu(float x) {
        double z = -x * 0.7071067811865476;
        return (float) (0.5 * x * erfc(z));
    }

    /** Complementary error function, relative error below 1.2e-7 everywhere. */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }

    /** Sum-pools consecutive groups of {@code factor} entries of {@code v} into {@code out} (float, in order). */
    public static void sumPool(float[] v, int factor, float[] out, int outOff, int outLength) {
        for (int i = 0; i < outLength; i++) {
            float s = 0f;
            for (int j = 0; j < factor; j++) {
                s += v[i * factor + j];
            }
            out[outOff + i] = s;
        }
    }

    /** Indices of the records in {@code batch} where modality {@code m} is present. */
    public static int[] presentRows(PackedBatch batch, int m) {
        int[] rows = new int[batch.size()];
        int n = 0;
        for (int r = 0; r < batch.size(); r++) {
            if (batch.present(r, m)) {
                rows[n++] = r;
            }
        }
        return java.util.Arrays.copyOf(rows, n);
    }
}
