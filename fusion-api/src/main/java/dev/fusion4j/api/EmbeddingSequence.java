package dev.fusion4j.api;

import java.util.Arrays;

/**
 * An immutable, finite sequence of vectors of one width: the per-token hidden states of a text encoder or the
 * per-region features of an image encoder, with a mask saying which positions hold data ({@code true}) and which
 * are padding ({@code false}). At least one position is valid. Encoders return sequences without padding (every
 * position valid); the mask is there for sequences cut to a fixed length.
 *
 * <p>Memory: {@code 4 · length · width} bytes of values plus {@code length} of mask (e.g. 12 MiniLM tokens of 384
 * floats: 18 KB; 3 × 3 MobileNetV2 regions of 1280: 46 KB). Construction copies and rejects NaN and infinities,
 * like {@link Embedding}. Equality is element-wise and bit-exact.
 */
public final class EmbeddingSequence {
    private final int width;
    private final float[] values;
    private final boolean[] mask;
    private final int valid;

    private EmbeddingSequence(int width, float[] values, boolean[] mask, int valid) {
        this.width = width;
        this.values = values;
        this.mask = mask;
        this.valid = valid;
    }

    /**
     * A sequence whose every position is valid, from row-major values {@code [length, width]}.
     *
     * @throws InvalidInputException if {@code width} is below 1, the values are null, empty, not a multiple of
     *     {@code width} long, or hold NaN or an infinity
     */
    public static EmbeddingSequence of(int width, float[] rowMajor) {
        if (rowMajor == null) {
            throw new InvalidInputException("Sequence values are null: pass a row-major [length, width] float array");
        }
        boolean[] all = new boolean[width < 1 ? 0 : rowMajor.length / width];
        Arrays.fill(all, true);
        return of(width, rowMajor, all);
    }

    /**
     * A sequence from row-major values {@code [length, width]} and a mask of {@code length} entries
     * ({@code true}: the position holds data).
     *
     * @throws InvalidInputException as {@link #of(int, float[])}, or if the mask is null, of another length, or
     *     marks no position valid
     */
    public static EmbeddingSequence of(int width, float[] rowMajor, boolean[] mask) {
        if (width < 1) {
            throw new InvalidInputException("Sequence width must be at least 1, was " + width);
        }
        if (rowMajor == null || rowMajor.length == 0) {
            throw new InvalidInputException("Sequence values are null or empty: a sequence needs at least one"
                    + " position of " + width + " values");
        }
        if (rowMajor.length % width != 0) {
            throw new InvalidInputException("Sequence has " + rowMajor.length + " values, not a multiple of its"
                    + " width " + width + ": pass row-major [length, width] values");
        }
        int length = rowMajor.length / width;
        if (mask == null || mask.length != length) {
            throw new InvalidInputException("Sequence mask has " + (mask == null ? "no" : mask.length + "")
                    + " entries but the sequence has " + length + " positions: give one entry per position");
        }
        float[] copy = rowMajor.clone();
        for (int i = 0; i < copy.length; i++) {
            if (!Float.isFinite(copy[i])) {
                throw new InvalidInputException("Sequence value at position " + i / width + ", index " + i % width
                        + " is " + copy[i] + ": sequences must be finite; check the model that produced it");
            }
        }
        int valid = 0;
        for (boolean b : mask) {
            valid += b ? 1 : 0;
        }
        if (valid == 0) {
            throw new InvalidInputException("Sequence mask marks none of its " + length + " positions valid: an"
                    + " absent modality is left out of the record, not given an empty sequence");
        }
        return new EmbeddingSequence(width, copy, mask.clone(), valid);
    }

    /** Values per position. */
    public int width() {
        return width;
    }

    /** Number of positions, padding included. */
    public int length() {
        return mask.length;
    }

    /** Number of valid (non-padding) positions, at least 1. */
    public int validLength() {
        return valid;
    }

    /** Whether position {@code i} holds data. */
    public boolean isValid(int i) {
        checkIndex(i);
        return mask[i];
    }

    /** A copy of the vector at position {@code i}. */
    public float[] row(int i) {
        checkIndex(i);
        return Arrays.copyOfRange(values, i * width, (i + 1) * width);
    }

    /** Copies the vector at position {@code i} into {@code target} at {@code offset} (no allocation). */
    public void copyRowTo(int i, float[] target, int offset) {
        checkIndex(i);
        System.arraycopy(values, i * width, target, offset, width);
    }

    /** A fresh copy of all values, row-major {@code [length, width]}. */
    public float[] toArray() {
        return values.clone();
    }

    /** A fresh copy of the mask. */
    public boolean[] mask() {
        return mask.clone();
    }

    /** The mean of the valid positions (accumulated in double): what mean pooling of this sequence gives. */
    public Embedding mean() {
        double[] acc = new double[width];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                for (int j = 0; j < width; j++) {
                    acc[j] += values[i * width + j];
                }
            }
        }
        float[] out = new float[width];
        for (int j = 0; j < width; j++) {
            out[j] = (float) (acc[j] / valid);
        }
        return Embedding.of(out);
    }

    /** Bytes this sequence holds: {@code 4 · length · width} of values and {@code length} of mask. */
    public long sizeInBytes() {
        return 4L * values.length + mask.length;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= mask.length) {
            throw new IndexOutOfBoundsException("position " + i + " outside 0.." + (mask.length - 1));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingSequence s && width == s.width && Arrays.equals(values, s.values)
                && Arrays.equals(mask, s.mask);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + Arrays.hashCode(values)) + Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
        return "EmbeddingSequence[length=" + mask.length + " (" + valid + " valid), width=" + width + "]";
    }
}
