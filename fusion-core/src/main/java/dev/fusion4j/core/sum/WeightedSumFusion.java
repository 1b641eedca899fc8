package dev.fusion4j.core.sum;

import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.NdFusionStrategy;

/**
 * Weighted-sum fusion.
 *
 * <p>Each present input {@code x̂_m} (optionally L2-normalised) is projected to a common dimension
 * {@code d}, {@code y_m = P_m x̂_m}, and the projections are averaged with weights that renormalise
 * over the present modalities ({@code p_m} = presence):
 *
 * <pre>
 *   z = Σ_m w_m y_m,   w_m = p_m ω_m / Σ_n p_n ω_n
 *   FIXED:   ω_m = c_m                       (user weights, default 1: the mean)
 *   LEARNED: ω_m = exp(a_m)                  (softmax of learned scalars, initialised to 0)
 *   GATED:   ω_m = exp(g · tanh(y_m) + b_m)  (per record, learned gate g and biases b_m)
 * </pre>
 *
 * <p>{@code P_m} is the identity when every input has the same dimension and no dimension was set;
 * otherwise a {@code [d, d_m]} random orthogonal projection (seeded per modality name, scaled so that
 * norms are kept: Johnson-Lindenstrauss). An absent modality gets weight exactly 0, so with one
 * modality present the output is that modality's projection alone. Output dimension {@code d}.
 */
public final class WeightedSumFusion extends NdFusionStrategy {
    private final WeightMode mode;

    WeightedSumFusion(ModalityLayout layout, WeightedSumSpec spec) {
        super(layout, spec.normalizeInputs(), manager -> new WeightedSumBlock(manager, layout,
                dimension(layout, spec), projects(layout, spec), spec.mode(), fixedWeights(layout, spec),
                spec.seed()));
        this.mode = spec.mode();
    }

    /** The weighting mode. */
    public WeightMode mode() {
        return mode;
    }

    private static boolean projects(ModalityLayout layout, WeightedSumSpec spec) {
        if (spec.dimension() != 0) {
            return true;
        }
        for (int m = 1; m < layout.count(); m++) {
            if (layout.dimension(m) != layout.dimension(0)) {
                return true;
            }
        }
        return false;
    }

    private static int dimension(ModalityLayout layout, WeightedSumSpec spec) {
        if (spec.dimension() != 0) {
            return spec.dimension();
        }
        int min = Integer.MAX_VALUE;
        for (int m = 0; m < layout.count(); m++) {
            min = Math.min(min, layout.dimension(m));
        }
        return min;
    }

    private static float[] fixedWeights(ModalityLayout layout, WeightedSumSpec spec) {
        for (Modality modality : spec.weights().keySet()) {
            if (!layout.modalities().contains(modality)) {
                throw new InvalidInputException("A weighted-sum weight was set for modality '" + modality
                        + "', which is not among the modalities being fused " + layout.modalities());
            }
        }
        float[] w = new float[layout.count()];
        for (int m = 0; m < w.length; m++) {
            Modality modality = layout.modalities().get(m);
            w[m] = spec.weights().getOrDefault(modality, 1.0).floatValue();
        }
        return w;
    }
}
