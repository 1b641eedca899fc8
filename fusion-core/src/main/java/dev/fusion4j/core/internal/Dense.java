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
     * The {@code [cols, rows]} transpose of a row-major {@code [rows, cols]} matrix: a PyTorch-layout weight
     * {@code W [out, in]} becomes {@code Wᵀ [in, out]}, whose rows {@link #multiplyAdd} streams.
     */
    public static float[] transpose(float[] w, int rows, int cols) {
        float[] t = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = w[r * cols + c];
            }
        }
        return t;
    }

    /**
     * {@code y_r += W x_r} for the {@code n} rows listed in {@code rows}: {@code x_r = x[rows[i]·in, +in)},
     * {@code y_r = y[rows[i]·out, +out)}, with {@code W [out, in]} given transposed ({@code wt [in, out]}).
     */
    public static void multiplyAdd(float[] wt, int in, int out, float[] x, float[] y, int[] rows, int n) {
        multiplyAdd(wt, in, out, x, rows, y, rows, n);
    }

    /**
     * {@code y[yRows[i]] += W x[xRows[i]]} ({@code W [out, in]} given transposed, {@code wt [in, out]}), four
     * columns at a time ({@code y += x[j] Wᵀ_j + … + x[j+3] Wᵀ_{j+3}}, an element-wise, vectorisable update), so
     * the weight is streamed once for all rows; a fixed summation order.
     */
    public static void multiplyAdd(float[] wt, int in, int out, float[] x, int[] xRows, float[] y, int[] yRows,
            int n) {
        int j = 0;
        for (; j + 4 <= in; j += 4) { // four columns per pass: a quarter of the loads and stores of y
            int w0 = j * out;
            int w1 = w0 + out;
            int w2 = w1 + out;
            int w3 = w2 + out;
            for (int i = 0; i < n; i++) {
                int x0 = xRows[i] * in + j;
                float a = x[x0];
                float b = x[x0 + 1];
                float c = x[x0 + 2];
                float d = x[x0 + 3];
                int y0 = yRows[i] * out;
                for (int k = 0; k < out; k++) {
                    y[y0 + k] += a * wt[w0 + k] + b * wt[w1 + k] + c * wt[w2 + k] + d * wt[w3 + k];
                }
            }
        }
        for (; j < in; j++) {
            int w0 = j * out;
            for (int i = 0; i < n; i++) {
                float xj = x[xRows[i] * in + j];
                int y0 = yRows[i] * out;
                for (int k = 0; k < out; k++) {
                    y[y0 + k] += xj * wt[w0 + k];
                }
            }
        }
    }

    /**
     * {@code y_r += bias} for the listed rows: after {@link #multiplyAdd} into zeros, an affine map. (The bias is
     * added last, as PyTorch's {@code addmm} does: accumulating the products onto a bias near 1 would round
     * every partial sum at the bias's precision.)
     */
    public static void addBias(float[] bias, float[] y, int[] rows, int n) {
        for (int i = 0; i < n; i++) {
            int y0 = rows[i] * bias.length;
            for (int k = 0; k < bias.length; k++) {
                y[y0 + k] += bias[k];
            }
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
