package dev.fusion4j.core.attention;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.NdFusionStrategy;
import dev.fusion4j.core.internal.PackedBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attention fusion: a small pre-norm transformer over one token per modality.
 *
 * <p>With {@code x̂_m} the (optionally L2-normalised) inputs and {@code p_m} their presence:
 *
 * <pre>
 *   t_m = W_m x̂_m + e_m                         modality token: projection + learned type embedding
 *   H⁰  = [f, t_1, ..., t_M]                     f = learned fusion token (optional)
 *   for l = 1..L (pre-norm):
 *     A  = softmax( Q Kᵀ / √(D/h) + K_mask )     per head, Q,K,V = LN(H) W_{q,k,v}
 *     H  = H + A V W_o
 *     H  = H + W_2 GELU(W_1 LN(H))
 *   z = LN(H)[fusion token]   or   Σ_m p_m LN(H)_m / Σ_m p_m   (masked mean without a fusion token)
 * </pre>
 *
 * <p>The key-padding mask {@code K_mask} is {@code -1e30} on the keys of absent modalities (and 0
 * elsewhere), so their softmax weight is exactly 0: the fused embedding of a record equals (to float
 * rounding) that of a strategy bound to the present modalities only, with the same parameters (per-
 * modality parameters are seeded by modality name). Dropout applies only in training. Output dimension
 * {@code D}. {@link #fuseWithAttention} also returns the per-modality attention weights.
 */
public final class AttentionFusion extends NdFusionStrategy {

    AttentionFusion(ModalityLayout layout, AttentionSpec spec) {
        super(layout, spec.normalizeInputs(), manager -> new AttentionBlock(manager, layout, spec.dimension(),
                spec.heads(), spec.layers(), spec.feedForwardWidth(), spec.dropout(), spec.fusionToken(),
                spec.seed()));
    }

    /** Fuses one record and reports how much attention each modality received (see {@link AttendedEmbedding}). */
    public AttendedEmbedding fuseWithAttention(ModalityEmbeddings embeddings) {
        return attended(layout().pack(embeddings, normalizesInputs())).get(0);
    }

    /** Fuses many records in one batch, each with its attention weights. */
    public List<AttendedEmbedding> fuseAllWithAttention(List<ModalityEmbeddings> records) {
        return attended(layout().pack(records, normalizesInputs()));
    }

    /** {@link #fuseAllWithAttention} computed on the DJL block whatever the batch size (test reference). */
    List<AttendedEmbedding> fuseAllWithAttentionOnBlock(List<ModalityEmbeddings> records) {
        PackedBatch batch = layout().pack(records, normalizesInputs());
        return batch.size() == 0 ? List.of() : attended(batch, forwardOnBlock(batch, 2));
    }

    private List<AttendedEmbedding> attended(PackedBatch batch) {
        return batch.size() == 0 ? List.of() : attended(batch, forward(batch, 2));
    }

    private List<AttendedEmbedding> attended(PackedBatch batch, float[][] out) {
        List<Embedding> fused = toEmbeddings(out[0], batch.size(), outputDimension());
        List<Modality> modalities = layout().modalities();
        List<AttendedEmbedding> result = new ArrayList<>(batch.size());
        for (int r = 0; r < batch.size(); r++) {
            Map<Modality, Double> weights = new LinkedHashMap<>();
            for (int m = 0; m < modalities.size(); m++) {
                weights.put(modalities.get(m), (double) out[1][r * modalities.size() + m]);
            }
            result.add(new AttendedEmbedding(fused.get(r), weights));
        }
        return result;
    }
}
