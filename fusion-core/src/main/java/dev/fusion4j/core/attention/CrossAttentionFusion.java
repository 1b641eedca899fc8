package dev.fusion4j.core.attention;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.NdFusionStrategy;
import dev.fusion4j.core.internal.PackedBatch;
import dev.fusion4j.core.internal.PackedSequences;

/**
 * Token- and region-level fusion (MMBT-style; Kiela et al. 2019): a small pre-norm transformer over the joint
 * sequence of every modality's positions — a text's tokens, an image's regions — so that a word can attend to a part
 * of the picture.
 *
 * <p>With {@code x̂_{m,i}} the L2-normalised position {@code i} of modality {@code m} (a record's
 * {@link dev.fusion4j.api.EmbeddingSequence}; a modality given without one is the one position of its pooled
 * embedding):
 *
 * <pre>
 *   s_{m,i} = W_m x̂_{m,i} + e_m + p_{m,i}              projection to D, type and position embeddings
 *   H⁰      = [f, s_{1,1..T_1}, …, s_{M,1..T_M}]         f = learned fusion token
 *   for l = 1..L (pre-norm, {@link TransformerLayer}):
 *     H = H + MHSA(LN(H), K_mask);  H = H + W_2 GELU(W_1 LN(H))
 *   z = LN(H)[f]
 * </pre>
 *
 * <p>{@code K_mask} is {@code −1e30} on padding and on every position of an absent modality (a fully masked
 * sequence), so their softmax weight is exactly 0: an absent modality is never an error, and a record's output does
 * not depend on what else is in its batch. With {@code L ≥ 2} the first layers let each word attend to every region
 * (and back); the last one pools into the fusion token. Output dimension {@code D}.
 *
 * <p>Cost per record with {@code n} tokens of width {@code d_t}, {@code k} regions of width {@code d_i},
 * {@code S = 1 + n + k}, feed-forward {@code F}, in multiply-adds: {@code D (n d_t + k d_i)} (projections)
 * {@code + (L − 1) S (4D² + 2DF + 2SD)} (full layers) {@code + 2 S D² + 2D² + 2DF + 2SD} (last layer: keys and values
 * of all, the rest for the fusion token). Defaults (D 96, F 96, L 2) with 12 MiniLM tokens (384) and 9 MobileNetV2
 * regions (1280): 3.3 M (6.6 M FLOPs); parameters {@code D (d_t + d_i) + D (2 + 2·64 + 1) + L (4D² + 2DF + 9D + F)
 * + 2D} = 285,024; output D floats.
 * Inference runs on the plain-Java path ({@link CrossAttentionJavaPath}), training on the block.
 */
public final class CrossAttentionFusion extends NdFusionStrategy {
    private final int layers;

    CrossAttentionFusion(ModalityLayout layout, CrossAttentionSpec spec) {
        super(layout, spec.normalizeInputs(), manager -> new CrossAttentionBlock(manager, layout, spec.dimension(),
                spec.heads(), spec.layers(), spec.feedForwardWidth(), spec.dropout(), spec.seed()));
        this.layers = spec.layers();
    }

    /**
     * Fuses one record and returns its attention weights (the fusion token's over every token and region, and every
     * layer's between positions). Computes every query of the last layer too, so it costs about a layer more than
     * {@link #fuse}; the embedding is the same bits.
     *
     * @throws IllegalStateException while the parameters are in flux (during training, before
     *     {@link #parametersChanged()})
     */
    public AttendedSequences fuseWithAttention(ModalityEmbeddings record) {
        PackedBatch batch = layout().pack(record, normalizesInputs());
        if (!usesJavaPath()) {
            throw new IllegalStateException("Attention weights are computed on the plain-Java path, which is off"
                    + " while parameters are in flux: call parametersChanged() after writing them");
        }
        float[][] out = forward(batch, 3);
        int count = layout().count();
        int[] lengths = new int[count];
        int[] offsets = new int[count];
        int tokens = 1;
        for (int m = 0; m < count; m++) {
            PackedSequences s = batch.sequences()[m];
            offsets[m] = tokens;
            lengths[m] = s.validLength(0);
            tokens += s.length();
        }
        return new AttendedSequences(Embedding.of(java.util.Arrays.copyOf(out[0], outputDimension())),
                layout().modalities(), lengths, offsets, tokens, out[1], out[2], layers);
    }
}
