package dev.fusion4j.core.bilinear;

import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.NdFusionStrategy;

/**
 * Low-rank bilinear fusion (LMF, Liu et al. 2018; MLB/MFB, Kim et al. 2017, Yu et al. 2017) of any
 * number of modalities.
 *
 * <p>Each (optionally L2-normalised) input, extended by a constant 1, goes through its factor
 * {@code U_m = [A_m | b_m]} ({@code [k, d_m + 1]}); the factors multiply element-wise; the all-absent
 * constant is subtracted; the result is sum-pooled by the factor {@code f}:
 *
 * <pre>
 *   u_m = U_m [x̂_m, 1] = A_m x̂_m + b_m            (absent modality: u_m = b_m)
 *   z   = SumPool_f( u_1 ∘ u_2 ∘ ... ∘ u_M  −  b_1 ∘ ... ∘ b_M )
 *       = SumPool_f( Σ_m (A_m x̂_m) ∘ Π_{n≠m} b_n  +  Σ_{m&lt;n} (A_m x̂_m) ∘ (A_n x̂_n) ∘ Π_{o≠m,n} b_o  +  ... )
 * </pre>
 *
 * <p>Initialisation: {@code b_m = 1} and {@code A_m} random orthogonal (norm-keeping scale), so the
 * constant part dominates: untrained, the products of two projected unit vectors have entries of order
 * {@code 1/k}, and the output is close to the sum of the unimodal terms {@code Σ_m A_m x̂_m}. With a
 * modality absent its {@code u_m = b_m} is the identity of the product (at initialisation exactly 1),
 * so with two modalities, one absent, {@code z = SumPool_f(A_m x̂_m ∘ b_n)}: the present modality's term
 * alone. Subtracting the constant {@code Π b_m} (the same for every record) keeps it from dominating
 * cosine similarities. Output dimension {@code k / f}.
 */
public final class LowRankBilinearFusion extends NdFusionStrategy {

    LowRankBilinearFusion(ModalityLayout layout, int rank, int factor, boolean normalizeInputs, long seed) {
        super(layout, normalizeInputs, manager -> new LowRankBilinearBlock(manager, layout, rank, factor, seed));
    }
}
