package dev.fusion4j.core.bilinear;

/**
 * Iterative radix-2 complex FFT of one power-of-two size, in double, on split real/imaginary arrays. Tables
 * (bit-reversal permutation, per-stage twiddles from {@link StrictMath}) are built once; every transform
 * runs the same operations in the same order, so results are bit-identical across threads and runs.
 * Immutable and thread-safe; a transform needs a {@link Work} area of the caller's (one per thread).
 *
 * <p>Speed: the first two stages have trivial twiddles ({@code 1}, {@code ∓i}) and run without
 * multiplications; stages of half-length {@value #BLOCK} and more copy each half-block into the work area so
 * that every array in the butterfly loop is indexed by the bare loop variable, which HotSpot C2 (Java 17)
 * vectorises; smaller stages stay scalar.
 */
final class Fft {
    /** Smallest half-length of a stage computed on copies (vectorised). */
    static final int BLOCK = 16;

    private final int n;
    private final int[] reversed;
    /** Per stage {@code s} (half-length {@code h = 2^s}): {@code cos(−πj/h)}, {@code sin(−πj/h)}, {@code j < h}. */
    private final double[][] cos;
    private final double[][] sin;
    private final double[][] negatedSin;

    /** Scratch of one transform at a time: the four half-blocks of a stage. */
    static final class Work {
        final double[] ar;
        final double[] ai;
        final double[] br;
        final double[] bi;

        Work(int n) {
            int h = Math.max(1, n / 2);
            ar = new double[h];
            ai = new double[h];
            br = new double[h];
            bi = new double[h];
        }
    }

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
    void transform(double[] re, double[] im, boolean inverse, Work work) {
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
        transformReversed(re, im, inverse, work);
    }

    /** {@link #transform} of an input already stored in bit-reversed order ({@code x_j} at {@link #reversed}(j)). */
    void transformReversed(double[] re, double[] im, boolean inverse, Work work) {
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
            if (half >= BLOCK) {
                for (int start = 0; start < n; start += 2 * half) {
                    butterflies(re, im, start, half, wr, wi, work);
                }
            } else {
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

    /** One block of a stage on copies of its halves (the same arithmetic as the scalar loop, vectorisable). */
    private static void butterflies(double[] re, double[] im, int start, int half, double[] wr, double[] wi,
            Work w) {
        double[] ar = w.ar;
        double[] ai = w.ai;
        double[] br = w.br;
        double[] bi = w.bi;
        System.arraycopy(re, start, ar, 0, half);
        System.arraycopy(im, start, ai, 0, half);
        System.arraycopy(re, start + half, br, 0, half);
        System.arraycopy(im, start + half, bi, 0, half);
        for (int j = 0; j < half; j++) {
            double xr = br[j] * wr[j] - bi[j] * wi[j];
            double xi = br[j] * wi[j] + bi[j] * wr[j];
            br[j] = ar[j] - xr;
            bi[j] = ai[j] - xi;
            ar[j] += xr;
            ai[j] += xi;
        }
        System.arraycopy(ar, 0, re, start, half);
        System.arraycopy(ai, 0, im, start, half);
        System.arraycopy(br, 0, re, start + half, half);
        System.arraycopy(bi, 0, im, start + half, half);
    }
}
