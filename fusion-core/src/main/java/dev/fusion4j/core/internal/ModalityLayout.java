package dev.fusion4j.core.internal;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.EmbeddingSequence;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered modalities a strategy is bound to, with the dimension of each. Validates records
 * (at least one modality present, no unknown modality, right dimensions) and packs them into a
 * {@link PackedBatch}, optionally L2-normalising each present embedding (norm accumulated in double, then one
 * float scale factor; an all-zero embedding stays zero).
 *
 * <p>A layout {@link #withSequences made for a sequence-level strategy} also packs each record's
 * {@link dev.fusion4j.api.EmbeddingSequence}s ({@link PackedSequences}, padded to the batch's longest): the valid
 * positions in order (normalised one by one where asked); a present modality given without a sequence becomes the
 * one-position sequence of its pooled embedding; an absent one a fully masked row.
 */
public final class ModalityLayout {
    private final Map<Modality, Integer> dimensions;
    private final List<Modality> modalities;
    private final int[] dims;
    /** Longest sequence accepted per modality; 0: this layout packs no sequences. */
    private final int maxSequenceLength;

    private ModalityLayout(Map<Modality, Integer> dimensions, int maxSequenceLength) {
        this.dimensions = Collections.unmodifiableMap(dimensions);
        this.modalities = List.copyOf(dimensions.keySet());
        this.dims = dimensions.values().stream().mapToInt(Integer::intValue).toArray();
        this.maxSequenceLength = maxSequenceLength;
    }

    /**
     * This layout, also packing sequences of at most {@code maxLength} valid positions per modality.
     *
     * @throws InvalidInputException if {@code maxLength} is below 1
     */
    public ModalityLayout withSequences(int maxLength) {
        if (maxLength < 1) {
            throw new InvalidInputException("The longest sequence must be at least 1 position, was " + maxLength);
        }
        return new ModalityLayout(new LinkedHashMap<>(dimensions), maxLength);
    }

    /** Whether {@link #pack} packs sequences. */
    public boolean packsSequences() {
        return maxSequenceLength > 0;
    }

    /** The longest sequence accepted per modality (0 when this layout packs no sequences). */
    public int maxSequenceLength() {
        return maxSequenceLength;
    }

    /**
     * Copies and validates the modalities and dimensions a strategy is bound to (iteration order is
     * the modality order).
     *
     * @throws InvalidInputException if the map is null or empty or a dimension is below 1
     */
    public static ModalityLayout of(Map<Modality, Integer> inputDimensions) {
        if (inputDimensions == null || inputDimensions.isEmpty()) {
            throw new InvalidInputException("A fusion strategy needs at least one modality with its dimension");
        }
        Map<Modality, Integer> copy = new LinkedHashMap<>();
        inputDimensions.forEach((m, d) -> {
            if (m == null || d == null || d < 1) {
                throw new InvalidInputException("Invalid input dimension for modality '" + m + "': " + d
                        + "; every modality needs a dimension of at least 1");
            }
            copy.put(m, d);
        });
        return new ModalityLayout(copy, 0);
    }

    /** The modalities with their dimensions, in order (unmodifiable). */
    public Map<Modality, Integer> dimensions() {
        return dimensions;
    }

    /** The modalities in order. */
    public List<Modality> modalities() {
        return modalities;
    }

    /** Number of modalities. */
    public int count() {
        return dims.length;
    }

    /** Dimension of the {@code m}-th modality. */
    public int dimension(int m) {
        return dims[m];
    }

    /** Sum of all input dimensions. */
    public int totalDimension() {
        int sum = 0;
        for (int d : dims) {
            sum += d;
        }
        return sum;
    }

    /**
     * Validates and packs {@code records}.
     *
     * @throws InvalidInputException if the list or a record is null, a record has no modality, has a
     *     modality this layout does not know, or an embedding of the wrong dimension
     */
    public PackedBatch pack(List<ModalityEmbeddings> records, boolean normalize) {
        if (records == null) {
            throw new InvalidInputException("Records list is null: pass a list (possibly empty)");
        }
        int size = records.size();
        int count = dims.length;
        float[][] inputs = new float[count][];
        for (int m = 0; m < count; m++) {
            inputs[m] = new float[size * dims[m]];
        }
        float[] mask = new float[size * count];
        for (int row = 0; row < size; row++) {
            ModalityEmbeddings record = records.get(row);
            if (record == null) {
                throw new InvalidInputException(where(size, row) + " is null");
            }
            if (record.isEmpty()) {
                throw new InvalidInputException(where(size, row) + " has no modality present: at least one of "
                        + modalities + " must be present to fuse");
            }
            for (Map.Entry<Modality, Embedding> e : record.asMap().entrySet()) {
                int m = modalities.indexOf(e.getKey());
                if (m < 0) {
                    throw new InvalidInputException(where(size, row) + " has modality '" + e.getKey()
                            + "', which this fusion strategy was not bound to; it fuses " + modalities);
                }
                Embedding x = e.getValue();
                if (x.dimension() != dims[m]) {
                    throw new InvalidInputException(where(size, row) + ": modality '" + e.getKey() + "' has dimension "
                            + x.dimension() + " but the fusion strategy expects " + dims[m]
                            + "; use the encoder (or embeddings) the strategy was bound to");
                }
                x.copyTo(inputs[m], row * dims[m]);
                if (normalize) {
                    normalizeInPlace(inputs[m], row * dims[m], dims[m]);
                }
                mask[row * count + m] = 1f;
            }
        }
        return new PackedBatch(size, inputs, mask, packsSequences() ? packSequences(records, inputs, normalize) : null);
    }

    /** The sequences of validated records; {@code pooled} their packed pooled inputs (the one-position fallback). */
    private PackedSequences[] packSequences(List<ModalityEmbeddings> records, float[][] pooled, boolean normalize) {
        int size = records.size();
        PackedSequences[] out = new PackedSequences[dims.length];
        for (int m = 0; m < dims.length; m++) {
            Modality modality = modalities.get(m);
            int d = dims[m];
            int length = 1;
            for (int row = 0; row < size; row++) {
                EmbeddingSequence s = records.get(row).sequence(modality).orElse(null);
                if (s != null) {
                    if (s.width() != d) {
                        throw new InvalidInputException(where(size, row) + ": the sequence of modality '" + modality
                                + "' has width " + s.width() + " but the fusion strategy expects " + d
                                + "; use the encoder the strategy was bound to");
                    }
                    if (s.validLength() > maxSequenceLength) {
                        throw new InvalidInputException(where(size, row) + ": the sequence of modality '" + modality
                                + "' has " + s.validLength() + " positions, more than the " + maxSequenceLength
                                + " the strategy has position embeddings for: raise maxSequenceLength(..) of"
                                + " Fusions.crossAttention(), or encode shorter sequences (a text encoder's"
                                + " maxLength, an image encoder's regions)");
                    }
                    length = Math.max(length, s.validLength());
                }
            }
            float[] values = new float[size * length * d];
            float[] valid = new float[size * length];
            for (int row = 0; row < size; row++) {
                ModalityEmbeddings record = records.get(row);
                if (!record.isPresent(modality)) {
                    continue;
                }
                EmbeddingSequence s = record.sequence(modality).orElse(null);
                int base = row * length;
                if (s == null) {
                    System.arraycopy(pooled[m], row * d, values, base * d, d); // already normalised if asked
                    valid[base] = 1f;
                    continue;
                }
                int at = 0;
                for (int i = 0; i < s.length(); i++) {
                    if (s.isValid(i)) {
                        s.copyRowTo(i, values, (base + at) * d);
                        if (normalize) {
                            normalizeInPlace(values, (base + at) * d, d);
                        }
                        valid[base + at++] = 1f;
                    }
                }
            }
            out[m] = new PackedSequences(length, d, values, valid);
        }
        return out;
    }

    private static String where(int size, int row) {
        return size == 1 ? "The record" : "Record " + row;
    }

    /** Validates and packs one record. */
    public PackedBatch pack(ModalityEmbeddings record, boolean normalize) {
        List<ModalityEmbeddings> one = new ArrayList<>(1);
        one.add(record);
        return pack(one, normalize);
    }

    /** Scales {@code v[offset, offset+length)} to unit L2 norm (norm accumulated in double); zeros stay. */
    public static void normalizeInPlace(float[] v, int offset, int length) {
        double sum = 0;
        for (int i = offset; i < offset + length; i++) {
            sum += (double) v[i] * v[i];
        }
        if (sum == 0) {
            return;
        }
        // one float factor, then a float multiply per element: C2 vectorises it, while the per-element double
        // division (with its float/double conversions, which Java 17's C2 leaves scalar) cost ~9 ns per element,
        // 15 µs of a 384+1280 record (see docs/fusion-strategies.md)
        float scale = (float) (1.0 / Math.sqrt(sum));
        for (int i = offset; i < offset + length; i++) {
            v[i] *= scale;
        }
    }

    @Override
    public String toString() {
        return dimensions.toString() + (packsSequences() ? " (sequences of up to " + maxSequenceLength + ")" : "");
    }
}
