package dev.fusion4j.api;

import java.util.Arrays;

/**
 * An immutable, finite, non-empty float vector.
 *
 * <p>Construction copies the values and rejects NaN and infinities, so every {@code Embedding} in a
 * program is safe to compare, index and hand to a fusion strategy. Equality is element-wise and
 * bit-exact ({@link Float#compare} semantics), as {@link Arrays#equals(float[], float[])}.
 */
public final class Embedding {
    private final float[] values;

    private Embedding(float[] values) {
        this.values = values;
    }

    /**
     * Copies {@code values} into a new embedding.
     *
     * @throws InvalidInputException if {@code values} is null, empty, or holds NaN or an infinity
     */
    public static Embedding of(float... values) {
        if (values == null) {
            throw new InvalidInputException("Embedding values are null: pass a non-empty float array");
        }
        if (values.length == 0) {
            throw new InvalidInputException("Embedding values are empty: an embedding needs at least one dimension");
        }
        float[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            if (!Float.isFinite(copy[i])) {
                throw new InvalidInputException("Embedding value at index " + i + " is " + copy[i]
                        + " (of " + copy.length + " dimensions): embeddings must be finite; check the model"
                        + " or the computation that produced it");
            }
        }
        return new Embedding(copy);
    }

    /** Number of dimensions, at least 1. */
    public int dimension() {
        return values.length;
    }

    /** The value at {@code index}. */
    public float get(int index) {
        if (index < 0 || index >= values.length) {
            throw new IndexOutOfBoundsException("index " + index + " outside 0.." + (values.length - 1));
        }
        return values[index];
    }

    /** A fresh copy of the values; changing it does not change this embedding. */
    public float[] toArray() {
        return values.clone();
    }

    /** Copies the values into {@code target} at {@code offset} (no allocation, for batching). */
    public void copyTo(float[] target, int offset) {
        System.arraycopy(values, 0, target, offset, values.length);
    }

    /** Dot product, accumulated in double. */
    public double dot(Embedding other) {
        requireSameDimension(other, "dot");
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += (double) values[i] * other.values[i];
        }
        return sum;
    }

    /** Euclidean (L2) norm. */
    public double norm() {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    /**
     * Cosine similarity in [-1, 1]; 0 when either vector is all zeros (a zero vector has no
     * direction, and 0 is the neutral similarity).
     */
    public double cosine(Embedding other) {
        requireSameDimension(other, "cosine");
        double dot = 0;
        double a = 0;
        double b = 0;
        for (int i = 0; i < values.length; i++) {
            dot += (double) values[i] * other.values[i];
            a += (double) values[i] * values[i];
            b += (double) other.values[i] * other.values[i];
        }
        if (a == 0 || b == 0) {
            return 0;
        }
        return Math.max(-1.0, Math.min(1.0, dot / Math.sqrt(a * b)));
    }

    /** This vector scaled to unit L2 norm; an all-zero vector is returned unchanged. */
    public Embedding normalized() {
        double norm = norm();
        if (norm == 0) {
            return this;
        }
        float scale = (float) (1.0 / norm); // a float multiply per element vectorises; a double division does not
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] * scale;
        }
        return new Embedding(out);
    }

    private void requireSameDimension(Embedding other, String operation) {
        if (other == null) {
            throw new InvalidInputException("Cannot compute " + operation + " with a null embedding");
        }
        if (other.values.length != values.length) {
            throw new InvalidInputException("Cannot compute " + operation + " of embeddings with dimensions "
                    + values.length + " and " + other.values.length + ": both must come from the same space");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Embedding e && Arrays.equals(values, e.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Embedding[dim=").append(values.length).append(", [");
        int shown = Math.min(values.length, 4);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(values[i]);
        }
        if (values.length > shown) {
            sb.append(", ...");
        }
        return sb.append("]]").toString();
    }
}
