package dev.fusion4j.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Deterministic parameter initialisation in plain Java, so that the same seed gives the same bits on
 * every JVM, machine and thread (no native BLAS/LAPACK involved).
 *
 * <p>Random numbers come from {@link java.util.Random}, whose algorithm (and {@code nextGaussian},
 * built on {@code StrictMath}) the JDK specifies exactly. Per-parameter seeds are derived from the
 * strategy seed and a name (e.g. the modality name), so a parameter that belongs to one modality has
 * the same value whatever other modalities the strategy is bound to.
 */
public final class SeededInit {
    private SeededInit() {
    }

    /** A seed derived from {@code seed} and the names, well mixed (FNV-1a then a SplitMix64 finaliser). */
    public static long derive(long seed, String... names) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (String name : names) {
            for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
                h = (h ^ (b & 0xff)) * 0x100000001b3L;
            }
            h = (h ^ 0x1f) * 0x100000001b3L; // separator, so ("ab","c") differs from ("a","bc")
        }
        h ^= seed * 0x9e3779b97f4a7c15L;
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /** {@code n} independent normal values with mean 0 and standard deviation {@code std}. */
    public static float[] gaussian(long seed, int n, double std) {
        Random random = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * std);
        }
        return out;
    }

    /** {@code n} copies of {@code value}. */
    public static float[] filled(int n, float value) {
        float[] out = new float[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    /** Rounds of (permutation, signs, butterfly) in {@link #orthogonal}. */
    static final int ROUNDS = 3;

    /**
     * A random orthogonal projection {@code W} from {@code in} to {@code out} dimensions, row-major
     * {@code [out, in]} (the PyTorch {@code linear} layout: {@code y = W x}).
     *
     * <p>With {@code n = max(in, out)}, a random orthogonal {@code n x n} matrix {@code O} is built as a
     * product of {@value #ROUNDS} rounds of a random permutation, random signs and a butterfly of
     * Givens rotations with random angles (pairs {@code (i, i + 2^l)} for every level {@code l}), which
     * mixes every coordinate into every other; {@code W} is {@code min(in, out)} of its columns.
     * This is exactly orthogonal (to float rounding) and costs {@code O(n log n)} per column instead of
     * the {@code O(n min(in,out)^2)} of a QR decomposition (seconds for 2048-d in plain Java), at the
     * price of not being exactly Haar-distributed; like subsampled randomized Hadamard transforms it
     * satisfies Johnson-Lindenstrauss. When {@code in >= out} the rows of {@code W} are orthonormal and
     * {@code W} is scaled by {@code sqrt(in/out)}, so {@code E||Wx||^2 = ||x||^2}; when {@code in < out}
     * its columns are orthonormal and {@code ||Wx|| = ||x||} exactly. Angles use {@link StrictMath}, so
     * the bits are the same on every JVM.
     */
    public static float[] orthogonal(long seed, int out, int in) {
        int n = Math.max(in, out);
        int k = Math.min(in, out);
        double[][] columns = orthonormalVectors(seed, k, n);
        double scale = in >= out ? Math.sqrt((double) in / out) : 1.0;
        float[] w = new float[out * in];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                double v = in >= out ? columns[o][i] : columns[i][o];
                w[o * in + i] = (float) (v * scale);
            }
        }
        return w;
    }

    /** {@code k <= n} orthonormal vectors of length {@code n}: columns {@code 0..k-1} of the random {@code O}. */
    static double[][] orthonormalVectors(long seed, int k, int n) {
        Random random = new Random(seed);
        int levels = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
        int[][] permutations = new int[ROUNDS][];
        double[][] signs = new double[ROUNDS][n];
        double[][][] cos = new double[ROUNDS][levels][n];
        double[][][] sin = new double[ROUNDS][levels][n];
        for (int r = 0; r < ROUNDS; r++) {
            permutations[r] = permutation(random, n);
            for (int i = 0; i < n; i++) {
                signs[r][i] = random.nextBoolean() ? 1 : -1;
            }
            for (int l = 0; l < levels; l++) {
                for (int i = 0; i < n; i++) {
                    double angle = 2 * Math.PI * random.nextDouble();
                    cos[r][l][i] = StrictMath.cos(angle);
                    sin[r][l][i] = StrictMath.sin(angle);
                }
            }
        }
        double[][] q = new double[k][];
        double[] tmp = new double[n];
        for (int j = 0; j < k; j++) {
            double[] v = new double[n];
            v[j] = 1;
            for (int r = 0; r < ROUNDS; r++) {
                for (int i = 0; i < n; i++) {
                    tmp[i] = v[permutations[r][i]] * signs[r][i];
                }
                System.arraycopy(tmp, 0, v, 0, n);
                for (int l = 0; l < levels; l++) {
                    int stride = 1 << l;
                    double[] c = cos[r][l];
                    double[] s = sin[r][l];
                    for (int i = 0; i < n; i++) {
                        int partner = i | stride;
                        if ((i & stride) == 0 && partner < n) {
                            double a = v[i];
                            double b = v[partner];
                            v[i] = c[i] * a - s[i] * b;
                            v[partner] = s[i] * a + c[i] * b;
                        }
                    }
                }
            }
            q[j] = v;
        }
        return q;
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates). */
    private static int[] permutation(Random random, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

}
