package dev.fusion4j.core.bilinear;

import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.NdFusionStrategy;
import dev.fusion4j.core.internal.SeededInit;

/**
 * Compact bilinear pooling (MCB, Fukui et al. 2016; Gao et al. 2016) of any number of modalities.
 *
 * <p>Each (optionally L2-normalised) input is extended by a constant 1, {@code x̃_m = [x̂_m, 1]}
 * (an absent modality is {@code (0, ..., 0, 1)}), count-sketched to {@code D} dimensions with its own
 * seeded sketch {@code C_m} ({@link CountSketch}, seeded by modality name), and the sketches are
 * circularly convolved through the FFT:
 *
 * <pre>
 *   z = IFFT( Π_m FFT(C_m x̃_m) ) = C_1 x̃_1 ⊛ C_2 x̃_2 ⊛ ... ⊛ C_M x̃_M
 * </pre>
 *
 * <p>{@code z} is a sketch of the outer product {@code x̃_1 ⊗ ... ⊗ x̃_M}, so
 * {@code E[<z, z'>] = Π_m <x̃_m, x̃'_m> = Π_m (<x̂_m, x̂'_m> + 1)}: it holds every unimodal, bimodal, ...
 * term, and an absent modality's sketch is a single signed bucket, which only shifts (and signs) the
 * convolution of the present ones: an isometry of the present modalities' sketch. Output dimension
 * {@code D}; no parameters; not post-normalised (the embedder L2-normalises its output by default).
 */
public final class CompactBilinearFusion extends NdFusionStrategy {

    CompactBilinearFusion(ModalityLayout layout, int dimension, boolean normalizeInputs, long seed) {
        super(layout, normalizeInputs, manager -> new CompactBilinearBlock(layout, dimension, sketches(layout,
                dimension, seed)));
    }

    private static CountSketch[] sketches(ModalityLayout layout, int dimension, long seed) {
        CountSketch[] sketches = new CountSketch[layout.count()];
        for (int m = 0; m < sketches.length; m++) {
            sketches[m] = CountSketch.of(SeededInit.derive(seed, "compact", layout.modalities().get(m).name()),
                    layout.dimension(m) + 1, dimension);
        }
        return sketches;
    }
}
