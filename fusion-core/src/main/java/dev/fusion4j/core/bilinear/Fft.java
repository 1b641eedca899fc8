package dev.fusion4j.core.bilinear;

/**
 * Iterative radix-2 complex FFT of one power-of-two size, in double, on split real/imaginary arrays. Tables
 * (bit-reversal permutation, per-stage twiddles from {@link StrictMath}) are built once; every transform
 * runs the same operations in the same order, so results are bit-identical across threads and runs.
 * Immutable and thread-safe.
 *
 * <p>Speed: the first two stages have trivial twiddles ({@code 1}, {@code ∓i}) and run without
 * multiplications; the others run two at a time (radix-2², {@link #twoStages}), halving the passes over memory. (Running the larger stages on copies of their half-blocks, so that C2 vectorises the
 * butterflies, measured no faster: the copies cost what the vector arithmetic saved.)
 */
final class Fft {
    private final int n;
    private final int[] reversed;
    /** Per stage {@code s} (half-length {@code h = 2^s}): {@code cos(−πj/h)}, {@code sin(−πj/h)}, {@code j < h}. */
    private final double[][] cos;
    private final double[][] sin;
    private final double[][] negatedSin;

    Fft(int n) {
        if (!isPowerOfTwo(n)) {
            throw new IllegalArgumentException("FFT size must be a power of two: " + n);
        }
        this.n = n;
        int bits = Integer.numberOfTrailingZeros(n);
        reversed = new int[n];
        for (int i = 0; i < n; i++) {
            reversed[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        }
        cos = new double[bits][];
        sin = new double[bits][];
        negatedSin = new double[bits][];
        for (int s = 0; s < bits; s++) {
            int half = 1 << s;
            cos[s] = new double[half];
            sin[s] = new double[half];
            negatedSin[s] = new double[half];
            for (int j = 0; j < half; j++) {
                double angle = -Math.PI * j / half;
                cos[s][j] = StrictMath.cos(angle);
                sin[s][j] = StrictMath.sin(angle);
                negatedSin[s][j] = -sin[s][j];
            }
        }
    }

    static boolean isPowerOfTwo(int n) {
        return n > 0 && (n & (n - 1)) == 0;
    }

    int size() {
        return n;
    }

    /** Position of index {@code i} in bit-reversed order (where {@link #transformReversed} expects it). */
    int reversed(int i) {
        return reversed[i];
    }

    /**
     * In-place transform of {@code (re, im)}: forward {@code X_k = Σ_j x_j e^{−2πijk/n}}, or with
     * {@code inverse} the conjugate transform (no 1/n scaling).
     */
    void transform(double[] re, double[] im, boolean inverse) {
        for (int i = 0; i < n; i++) {
            int j = reversed[i];
            if (j > i) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        transformReversed(re, im, inverse);
    }

    /** {@link #transform} of an input already stored in bit-reversed order ({@code x_j} at {@link #reversed}(j)). */
    void transformReversed(double[] re, double[] im, boolean inverse) {
        int stages = Integer.numberOfTrailingZeros(n);
        if (stages >= 1) {
            for (int a = 0; a < n; a += 2) {
                unitButterfly(re, im, a, a + 1);
            }
        }
        if (stages >= 2) {
            // twiddles 1 and e^{∓iπ/2} = ∓i: (xr, xi) = (±im[b], ∓re[b]) for j = 1
            double sign = inverse ? -1.0 : 1.0;
            for (int a = 0; a < n; a += 4) {
                unitButterfly(re, im, a, a + 2);
                double xr = sign * im[a + 3];
                double xi = -sign * re[a + 3];
                re[a + 3] = re[a + 1] - xr;
                im[a + 3] = im[a + 1] - xi;
                re[a + 1] += xr;
                im[a + 1] += xi;
            }
        }
        int s = 2;
        for (; s + 1 < stages; s += 2) {
            twoStages(re, im, s, inverse);
        }
        if (s < stages) {
            int half = 1 << s;
            double[] wr = cos[s];
            double[] wi = inverse ? negatedSin[s] : sin[s];
            for (int start = 0; start < n; start += 2 * half) {
                for (int j = 0; j < half; j++) {
                    int a = start + j;
                    int b = a + half;
                    double xr = re[b] * wr[j] - im[b] * wi[j];
                    double xi = re[b] * wi[j] + im[b] * wr[j];
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }

    /** {@code (x_a, x_b) ← (x_a + x_b, x_a − x_b)}: a butterfly with twiddle 1. */
    private static void unitButterfly(double[] re, double[] im, int a, int b) {
        double xr = re[b];
        double xi = im[b];
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
    }

    /**
     * Stages {@code s} and {@code s + 1} in one pass over groups of four points {@code a, a+h, a+2h, a+3h}
     * ({@code h = 2^s}): the same butterflies, in the same order per point, as two radix-2 passes (so the same
     * bits), with half the loads and stores.
     */
    private void twoStages(double[] re, double[] im, int s, boolean inverse) {
        int h = 1 << s;
        double[] w1r = cos[s];
        double[] w1i = inverse ? negatedSin[s] : sin[s];
        double[] w2r = cos[s + 1];
        double[] w2i = inverse ? negatedSin[s + 1] : sin[s + 1];
        for (int start = 0; start < n; start += 4 * h) {
            for (int j = 0; j < h; j++) {
                int a = start + j;
                int b = a + h;
                int c = b + h;
                int d = c + h;
                double ar = re[a];
                double ai = im[a];
                double br = re[b];
                double bi = im[b];
                double cr = re[c];
                double ci = im[c];
                double dr = re[d];
                double di = im[d];
                // stage s: (a, b) and (c, d), twiddle w1_j
                double xr = br * w1r[j] - bi * w1i[j];
                double xi = br * w1i[j] + bi * w1r[j];
                br = ar - xr;
                bi = ai - xi;
                ar += xr;
                ai += xi;
                xr = dr * w1r[j] - di * w1i[j];
                xi = dr * w1i[j] + di * w1r[j];
                dr = cr - xr;
                di = ci - xi;
                cr += xr;
                ci += xi;
                // stage s + 1: (a, c) with w2_j and (b, d) with w2_{j+h}
                xr = cr * w2r[j] - ci * w2i[j];
                xi = cr * w2i[j] + ci * w2r[j];
                re[c] = ar - xr;
                im[c] = ai - xi;
                re[a] = ar + xr;
                im[a] = ai + xi;
                xr = dr * w2r[j + h] - di * w2i[j + h];
                xi = dr * w2i[j + h] + di * w2r[j + h];
                re[d] = br - xr;
                im[d] = bi - xi;
                re[b] = br + xr;
                im[b] = bi + xi;
            }
        }
    }
}
