package dev.fusion4j.core.internal;

/**
 * Records packed for a strategy: for each bound modality {@code m} a row-major {@code [size, d_m]}
 * float array (zeros where the modality is absent, L2-normalised where asked), and a row-major
 * {@code [size, M]} presence mask (1 present, 0 absent); for a sequence-level strategy also one
 * {@link PackedSequences} per modality (null otherwise).
 *
 * @param size number of records
 * @param inputs one array per modality, in the layout's order
 * @param mask presence mask
 * @param sequences one per modality, in the layout's order, or null when the layout packs no sequences
 */
public record PackedBatch(int size, float[][] inputs, float[] mask, PackedSequences[] sequences) {

    /** A batch without sequences. */
    public PackedBatch(int size, float[][] inputs, float[] mask) {
        this(size, inputs, mask, null);
    }

    /** Records {@code from} (inclusive) to {@code to} (exclusive), copied. */
    public PackedBatch rows(int from, int to) {
        int rows = to - from;
        float[][] part = new float[inputs.length][];
        for (int m = 0; m < inputs.length; m++) {
            int d = inputs[m].length / Math.max(1, size);
            part[m] = java.util.Arrays.copyOfRange(inputs[m], from * d, to * d);
        }
        int count = inputs.length;
        PackedSequences[] seqs = null;
        if (sequences != null) {
            seqs = new PackedSequences[count];
            for (int m = 0; m < count; m++) {
                seqs[m] = sequences[m].rows(from, to);
            }
        }
        return new PackedBatch(rows, part, java.util.Arrays.copyOfRange(mask, from * count, to * count), seqs);
    }

    /** Whether modality {@code m} is present in record {@code row}. */
    public boolean present(int row, int m) {
        return mask[row * inputs.length + m] != 0f;
    }
}
