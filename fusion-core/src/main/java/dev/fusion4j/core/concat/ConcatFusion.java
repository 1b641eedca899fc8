package dev.fusion4j.core.concat;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.NdFusionStrategy;
import java.util.Map;

/**
 * Concatenation fusion.
 *
 * <p>For modalities {@code 1..M} in bound order, with {@code x̂_m} the (optionally L2-normalised)
 * input and {@code p_m} its presence bit:
 *
 * <pre>
 *   z = [ p_1 x̂_1 + (1 - p_1) f_1 , ... , p_M x̂_M + (1 - p_M) f_M  ( , p_1 , ... , p_M ) ]
 * </pre>
 *
 * <p>Output dimension {@code Σ d_m} (+ {@code M} with presence bits). An absent modality writes its
 * fill vector {@code f_m} (zeros by default, or the one set with {@link ConcatSpec#fill}; a DJL
 * parameter, so a trainer can learn it). No other parameters. Inference at any batch size is a plain-Java copy,
 * bit-identical to the block's output; the block serves training.
 */
public final class ConcatFusion extends NdFusionStrategy {
    ConcatFusion(ModalityLayout layout, ConcatSpec spec) {
        super(layout, spec.normalizeInputs(),
                manager -> new ConcatBlock(manager, layout, fillValues(layout, spec.fills()), spec.presenceBits()));
    }

    private static float[][] fillValues(ModalityLayout layout, Map<Modality, Embedding> fills) {
        for (Map.Entry<Modality, Embedding> e : fills.entrySet()) {
            int m = layout.modalities().indexOf(e.getKey());
            if (m < 0) {
                throw new InvalidInputException("A concat fill vector was set for modality '" + e.getKey()
                        + "', which is not among the modalities being fused " + layout.modalities());
            }
            if (e.getValue().dimension() != layout.dimension(m)) {
                throw new InvalidInputException("The concat fill vector for modality '" + e.getKey()
                        + "' has dimension " + e.getValue().dimension() + " but the modality has dimension "
                        + layout.dimension(m));
            }
        }
        float[][] values = new float[layout.count()][];
        for (int m = 0; m < layout.count(); m++) {
            Embedding fill = fills.get(layout.modalities().get(m));
            values[m] = fill == null ? new float[layout.dimension(m)] : fill.toArray();
        }
        return values;
    }
}
