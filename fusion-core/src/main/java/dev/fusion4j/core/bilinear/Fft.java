package dev.fusion4j.core.bilinear;

/**
 * Iterative radix-2 complex FFT of one power-of-two size, in double, on split real/imaginary arrays. Tables
 * (bit-reversal permutation, per-stage twiddles from {@link StrictMath}) are built once; every transform
 * runs the same operations in the same order, so results are bit-identical across threads and runs.
 * Immutable and thread-safe.
 */
final class Fft {
    private final int n;
    private final int[] reversed;
    /** Twiddles of all stages, concatenated: stage of half-length h holds cos/sin(−2πj/2h), j < h, at offset h−1. */
    private final double[] cos;
    private final double[] sin;

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
        cos = new double[Math.max(1, n - 1)];
        sin = new double[Math.max(1, n - 1)];
        for (int half = 1; half < n; half <<= 1) {
            for (int j = 0; j < half; j++) {
                double angle = -Math.PI * j / half;
                cos[half - 1 + j] = StrictMath.cos(angle);
                sin[half - 1 + j] = StrictMath.sin(angle);
            }
        }
    }

    static boolean isPowerOfTwo(int n) {
        return n > 0 && (n & (n - 1)) == 0;
    }

    int size() {
        return n;
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
        double sign = inverse ? -1.0 : 1.0;
        for (int half = 1; half < n; half <<= 1) {
            int twiddles = half - 1;
            for (int start = 0; start < n; start += 2 * half) {
                for (int j = 0; j < half; j++) {
                    double wr = cos[twiddles + j];
                    double wi = sign * sin[twiddles + j];
                    int a = start + j;
                    int b = a + half;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
