package dev.fusion4j.core.bilinear;

import java.util.Random;

/**
 * A count sketch {@code C: R^n -> R^D} (Charikar et al. 2002): each input index {@code i} goes to a
 * bucket {@code h(i)} in {@code [0, D)} with a sign {@code s(i)} in {@code {-1, +1}}, both drawn
 * uniformly from a seeded {@link Random}: {@code (C x)_j = Σ_{i: h(i)=j} s(i) x_i}.
 *
 * <p>{@code E[<C x, C y>] = <x, y>}; and the circular convolution of two independent sketches sketches
 * the outer product: {@code E[<C₁x ⊛ C₂y, C₁x' ⊛ C₂y'>] = <x, x'> <y, y'>} (Pham and Pagh 2013), which
 * is what compact bilinear pooling computes with FFTs. Immutable and thread-safe.
 */
public final class CountSketch {
    private final int[] buckets;
    private final float[] signs;
    private final int dimension;

    private CountSketch(int[] buckets, float[] signs, int dimension) {
        this.buckets = buckets;
        this.signs = signs;
        this.dimension = dimension;
    }

    /** A sketch from {@code inputDimension} to {@code dimension}, drawn from {@code seed}. */
    public static CountSketch of(long seed, int inputDimension, int dimension) {
        Random random = new Random(seed);
        int[] buckets = new int[inputDimension];
        float[] signs = new float[inputDimension];
        for (int i = 0; i < inputDimension; i++) {
            buckets[i] = random.nextInt(dimension);
            signs[i] = random.nextBoolean() ? 1f : -1f;
        }
        return new CountSketch(buckets, signs, dimension);
    }

    /** Input dimension n. */
    public int inputDimension() {
        return buckets.length;
    }

    /** Output dimension D. */
    public int dimension() {
        return dimension;
    }

    /** Bucket h(i). */
    public int bucket(int i) {
        return buckets[i];
    }

    /** Sign s(i). */
    public float sign(int i) {
        return signs[i];
    }

    /** The sketch of {@code x} (length n). */
    public float[] apply(float[] x) {
        float[] out = new float[dimension];
        addTo(x, 0, x.length, out, 0);
        return out;
    }

    /**
     * Adds the sketch of {@code x[offset, offset+length)} (padded with zeros to n, extra entries ignored)
     * to {@code out[outOffset, outOffset+D)}.
     */
    public void addTo(float[] x, int offset, int length, float[] out, int outOffset) {
        int n = Math.min(length, buckets.length);
        for (int i = 0; i < n; i++) {
            out[outOffset + buckets[i]] += signs[i] * x[offset + i];
        }
    }
}
