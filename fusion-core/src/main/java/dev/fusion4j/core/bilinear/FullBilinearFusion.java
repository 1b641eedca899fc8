package dev.fusion4j.core.bilinear;

import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.NdFusionStrategy;

/**
 * Full bilinear (Tensor Fusion) of exactly two modalities.
 *
 * <p>With {@code x̃ = [x̂, 1]}, {@code ỹ = [ŷ, 1]} the (optionally L2-normalised) inputs extended by a
 * constant 1, and an absent modality {@code (0, ..., 0, 1)}:
 *
 * <pre>
 *   t = vec(x̃ ỹᵀ),  t[i (d_2+1) + j] = x̃_i ỹ_j      (row-major flattened outer product)
 *   z = s / ||s||₂,  s = sign(t) √|t|              (signed square root, then L2)
 * </pre>
 *
 * <p>{@code t} holds the bimodal block {@code x̂ ŷᵀ}, the unimodal terms {@code x̂} (last column) and
 * {@code ŷ} (last row) and the constant 1; with a modality absent only the present one's terms and the
 * constant remain. Output dimension {@code (d_1+1)(d_2+1)}, refused at bind time above
 * {@link FullBilinearSpec#maxOutputSize}. No parameters.
 */
public final class FullBilinearFusion extends NdFusionStrategy {

    FullBilinearFusion(ModalityLayout layout, boolean normalizeInputs) {
        super(layout, normalizeInputs, manager -> new FullBilinearBlock(layout));
    }
}
