package dev.fusion4j.core.attention;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.Modality;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fused embedding with the share of attention each modality received in the last transformer layer,
 * averaged over heads: from the fusion token's query (renormalised over the modality tokens, i.e.
 * without the fusion token's attention to itself), or, without a fusion token, averaged over the
 * present modality tokens' queries. The weights are in the bound modality order, sum to 1, and are
 * exactly 0 for absent modalities.
 *
 * @param embedding the fused embedding, as {@link AttentionFusion#fuse} returns it
 * @param weights modality to attention share (unmodifiable, every bound modality present as a key)
 */
public record AttendedEmbedding(Embedding embedding, Map<Modality, Double> weights) {

    /** Copies the weights into an unmodifiable map, keeping their order. */
    public AttendedEmbedding {
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }
}
