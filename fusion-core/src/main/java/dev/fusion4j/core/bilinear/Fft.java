package dev.fusion4j.core.bilinear;

/**
 * Iterative radix-2 complex FFT of one power-of-two size, in double, on split real/imaginary arrays. Tables
 * (bit-reversal permutation, per-stage twiddles from {@link StrictMath}) are built once; every transform
 * runs the same operations in the same order, so results are bit-identical across threads and runs.
 * Immutable and thread-safe.
 *
 * <p>Speed: the first two stages have trivial twiddles ({@code 1}, {@code ∓i}) and run without
 * multiplications. (Running the larger stages on copies of their half-blocks, so that C2 vectorises the
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
                double xr = re[a + 1];
                double xi = im[a + 1];
                re[a + 1] = re[a] - xr;
                im[a + 1] = im[a] - xi;
                re[a] += xr;
                im[a] += xi;
            }
        }
        if (stages >= 2) {
            // twiddles 1 and e^{∓iπ/2} = ∓i: (xr, xi) = (±im[b], ∓re[b]) for j = 1
            double sign = inverse ? -1.0 : 1.0;
            for (int a = 0; a < n; a += 4) {
                double xr = re[a + 2];
                double xi = im[a + 2];
                re[a + 2] = re[a] - xr;
                im[a + 2] = im[a] - xi;
                re[a] += xr;
                im[a] += xi;
                xr = sign * im[a + 3];
                xi = -sign * re[a + 3];
                re[a + 3] = re[a + 1] - xr;
                im[a + 3] = im[a + 1] - xi;
                re[a + 1] += xr;
                im[a + 1] += xi;
            }
        }
        for (int s = 2; s < stages; s++) {
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
}
