package dev.fusion4j.core.attention;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import java.util.Arrays;
import java.util.List;

/**
 * A cross-attention fused embedding with its attention weights, for inspection ({@link
 * CrossAttentionFusion#fuseWithAttention}): which tokens and regions the fusion token read, and, per layer, how much
 * each position (a word, a region) attended to every other (averaged over heads). Positions count a modality's valid
 * positions in order (a text's tokens, special tokens included; an image's regions row-major); an absent modality has
 * none.
 */
public final class AttendedSequences {
    private final Embedding embedding;
    private final List<Modality> modalities;
    private final int[] lengths;
    private final int[] offsets;
    private final int tokens;
    private final float[] fusionWeights;
    private final float[] layerWeights;
    private final int layers;

    /**
     * @param lengths valid positions per modality (0: absent)
     * @param offsets row of each modality's first position in the record's padded sequence (row 0: fusion token)
     * @param tokens padded rows per record
     * @param fusionWeights the fusion token's last-layer weights over rows {@code 1..tokens−1}
     * @param layerWeights {@code [layers, tokens, tokens]} head-averaged
     */
    AttendedSequences(Embedding embedding, List<Modality> modalities, int[] lengths, int[] offsets, int tokens,
            float[] fusionWeights, float[] layerWeights, int layers) {
        this.embedding = embedding;
        this.modalities = modalities;
        this.lengths = lengths;
        this.offsets = offsets;
        this.tokens = tokens;
        this.fusionWeights = fusionWeights;
        this.layerWeights = layerWeights;
        this.layers = layers;
    }

    /** The fused embedding (the same bits as {@code fuse}). */
    public Embedding embedding() {
        return embedding;
    }

    /** Number of transformer layers. */
    public int layers() {
        return layers;
    }

    /** Valid positions of {@code modality} in this record (0 when absent). */
    public int length(Modality modality) {
        return lengths[index(modality)];
    }

    /**
     * The fusion token's last-layer attention over the positions of {@code modality} (averaged over heads; over all
     * modalities' positions these sum to 1; empty when the modality is absent).
     */
    public double[] weights(Modality modality) {
        int m = index(modality);
        double[] w = new double[lengths[m]];
        for (int i = 0; i < w.length; i++) {
            w[i] = fusionWeights[offsets[m] + i - 1];
        }
        return w;
    }

    /** Total last-layer attention of the fusion token on {@code modality} (0 when absent). */
    public double share(Modality modality) {
        return Arrays.stream(weights(modality)).sum();
    }

    /**
     * How much position {@code position} of {@code from} attended to each position of {@code to} in layer
     * {@code layer} (0-based; averaged over heads; a row of the full softmax, so the weights over every modality and
     * the fusion token sum to 1).
     *
     * @throws InvalidInputException if the layer, modality or position does not exist in this record
     */
    public double[] attention(int layer, Modality from, int position, Modality to) {
        if (layer < 0 || layer >= layers) {
            throw new InvalidInputException("Layer " + layer + " does not exist: the strategy has " + layers);
        }
        int f = index(from);
        if (position < 0 || position >= lengths[f]) {
            throw new InvalidInputException("Position " + position + " of modality '" + from + "' does not exist: it"
                    + " has " + lengths[f] + " in this record");
        }
        int t = index(to);
        int row = (layer * tokens + offsets[f] + position) * tokens;
        double[] w = new double[lengths[t]];
        for (int i = 0; i < w.length; i++) {
            w[i] = layerWeights[row + offsets[t] + i];
        }
        return w;
    }

    private int index(Modality modality) {
        int m = modalities.indexOf(modality);
        if (m < 0) {
            throw new InvalidInputException("Modality '" + modality + "' is not fused by this strategy; it fuses "
                    + modalities);
        }
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("AttendedSequences[").append(embedding);
        for (Modality m : modalities) {
            sb.append(", ").append(m).append(": ").append(lengths[modalities.indexOf(m)]).append(" positions, share ")
                    .append(String.format(java.util.Locale.ROOT, "%.3f", share(m)));
        }
        return sb.append(']').toString();
    }
}
