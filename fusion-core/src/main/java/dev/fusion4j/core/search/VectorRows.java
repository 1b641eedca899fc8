package dev.fusion4j.core.search;

import dev.fusion4j.api.Embedding;
import java.util.Arrays;

/**
 * Growable row-major store of L2-normalised float vectors in one contiguous array, and the dot-product kernel
 * every index uses (so exact, batched and HNSW scores agree bit for bit). Not thread-safe: the owning index
 * locks.
 */
final class VectorRows {
    private static final int INITIAL_ROWS = 16;

    private final int dimension;
    private float[] data;
    private int count;

    VectorRows(int dimension) {
        this.dimension = dimension;
        this.data = new float[INITIAL_ROWS * dimension];
    }

    int dimension() {
        return dimension;
    }

    int count() {
        return count;
    }

    /** The backing array; rows {@code 0..count-1} are valid. Replaced when the store grows. */
    float[] data() {
        return data;
    }

    /** Appends {@code values[offset .. offset+dimension)} as they are; returns the new row. */
    int appendRaw(float[] values, int offset) {
        ensureCapacity(count + 1);
        System.arraycopy(values, offset, data, count * dimension, dimension);
        return count++;
    }

    /** Appends {@code embedding} L2-normalised; returns the new row. */
    int append(Embedding embedding) {
        ensureCapacity(count + 1);
        unitInto(embedding, data, count * dimension);
        return count++;
    }

    /** Overwrites row {@code to} with row {@code from}. */
    void copyRow(int from, int to) {
        System.arraycopy(data, from * dimension, data, to * dimension, dimension);
    }

    /** Drops the last row. */
    void removeLast() {
        count--;
    }

    /** Dot product of row {@code row} with {@code query[queryOffset ..]}. */
    float dot(int row, float[] query, int queryOffset) {
        return dot(data, row * dimension, query, queryOffset, dimension);
    }

    private void ensureCapacity(int rows) {
        if ((long) rows * dimension > data.length) {
            long grown = Math.max((long) rows * dimension, (long) data.length * 3 / 2 + dimension);
            if (grown > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("index is full: " + count + " rows of " + dimension + " floats");
            }
            data = Arrays.copyOf(data, (int) grown);
        }
    }

    /** Writes {@code embedding} scaled to unit norm into {@code target[offset ..]}; zero stays zero. */
    static void unitInto(Embedding embedding, float[] target, int offset) {
        embedding.normalized().copyTo(target, offset);
    }

    /** {@code embedding} L2-normalised, as a fresh array. */
    static float[] unit(Embedding embedding) {
        return embedding.normalized().toArray();
    }

    /**
     * Dot product in four interleaved float lanes (lane {@code l} sums indices {@code ≡ l mod 4}, the tail goes to
     * lane 0, result {@code (s0 + s1) + (s2 + s3)}); independent lanes let the CPU overlap the additions. {@link
     * ExactIndex}'s batched kernel reproduces exactly this order.
     */
    static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int blocked = length & ~3;
        int j = 0;
        for (; j < blocked; j += 4) {
            s0 += a[aOffset + j] * b[bOffset + j];
            s1 += a[aOffset + j + 1] * b[bOffset + j + 1];
            s2 += a[aOffset + j + 2] * b[bOffset + j + 2];
            s3 += a[aOffset + j + 3] * b[bOffset + j + 3];
        }
        for (; j < length; j++) {
            s0 += a[aOffset + j] * b[bOffset + j];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
