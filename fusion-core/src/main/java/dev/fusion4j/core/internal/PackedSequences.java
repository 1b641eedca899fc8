package dev.fusion4j.core.internal;

import java.util.Arrays;

/**
 * The sequences of one modality for a batch, padded to the longest: values row-major {@code [size, length, width]}
 * (zeros on padding), and a mask row-major {@code [size, length]} (1 where a position holds data). A record whose
 * modality is absent has an all-zero mask row: a fully masked sequence. Valid positions come first in each row.
 *
 * @param length positions per record (at least 1)
 * @param width values per position
 * @param values {@code [size, length, width]}
 * @param mask {@code [size, length]}
 */
public record PackedSequences(int length, int width, float[] values, float[] mask) {

    /** Records {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public PackedSequences rows(int from, int to) {
        int step = length * width;
        return new PackedSequences(length, width, Arrays.copyOfRange(values, from * step, to * step),
                Arrays.copyOfRange(mask, from * length, to * length));
    }

    /**
     * The rows {@code rows}, in that order (copies), padded only to the longest of them (a training batch then costs
     * what its own records need, not the longest record of the whole set; padding is masked either way).
     */
    public PackedSequences gather(int[] rows) {
        int longest = 1;
        for (int r : rows) {
            longest = Math.max(longest, validLength(r));
        }
        int step = longest * width;
        float[] v = new float[rows.length * step];
        float[] k = new float[rows.length * longest];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(values, rows[r] * length * width, v, r * step, step);
            System.arraycopy(mask, rows[r] * length, k, r * longest, longest);
        }
        return new PackedSequences(longest, width, v, k);
    }

    /** A copy with the rows where {@code drop[r]} fully masked and zeroed (modality dropout). */
    public PackedSequences masking(boolean[] drop) {
        float[] v = values.clone();
        float[] k = mask.clone();
        int step = length * width;
        for (int r = 0; r < drop.length; r++) {
            if (drop[r]) {
                Arrays.fill(v, r * step, (r + 1) * step, 0f);
                Arrays.fill(k, r * length, (r + 1) * length, 0f);
            }
        }
        return new PackedSequences(length, width, v, k);
    }

    /** Number of valid positions of record {@code r} (they are its first ones). */
    public int validLength(int r) {
        int n = 0;
        while (n < length && mask[r * length + n] != 0f) {
            n++;
        }
        return n;
    }
}
