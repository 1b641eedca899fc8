package dev.fusion4j.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.fusion4j.core.internal.NdFusionStrategy;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The learned missing vectors of {@code concat()} while a head is trained: each fill {@code f_m} is written
 * unchanged into its modality's slice of the strategy output {@code z}, which the head standardises with
 * {@code σ⁻¹}. Two consequences the trainer handles here:
 *
 * <ul>
 *   <li>a zero fill (the spec's default) starts at the training mean of its slice, i.e. at 0 after the
 *       standardisation (an absent modality first looks like the average one, as on the input skip), instead of
 *       at {@code −μ/σ}, several standard deviations away on every coordinate of a non-negative CNN feature;</li>
 *   <li>its Adam step is taken in standardised units: Adam moves every coordinate by about the learning rate
 *       whatever the gradient's scale, which in raw units is {@code lr · σ⁻¹} standard deviations of the head's
 *       input. For MobileNetV2 features (median σ about 0.002 after L2 normalisation, some near-constant ones at
 *       the {@code ε} floor) that was 0.4 to 4 standard deviations per step: after a few hundred steps the image
 *       fill sat up to 60 standard deviations out, and a head trained with modality dropout 0.5 classified
 *       text-only records at chance even on its training set. So the raw step is divided by {@code σ⁻¹}:
 *       exactly Adam on the standardised value {@code (f − μ) ⊙ σ⁻¹} (Adam's direction does not depend on the
 *       per-coordinate scale of the gradient).</li>
 * </ul>
 *
 * Other strategies have no fill written into {@code z} (masking, renormalisation, the product identity), so
 * for them this is empty.
 */
final class FillVectors {
    private static final FillVectors NONE = new FillVectors(Map.of());

    /** Full parameter name ({@code strategy.fill_<modality>}) → the standardisation scale of its slice. */
    private final Map<String, float[]> scales;

    private FillVectors(Map<String, float[]> scales) {
        this.scales = scales;
    }

    /**
     * The fill vectors of {@code strategy} (none unless {@code kind} is {@code concat}); sets the initial value
     * of a zero fill in {@code init} to its slice of {@code standardize.mean}.
     */
    static FillVectors of(String kind, NdFusionStrategy strategy, Map<String, float[]> init) {
        if (!"concat".equals(kind)) {
            return NONE;
        }
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : strategy.block().getParameters()) {
            parameters.put(p.getKey(), p.getValue());
        }
        float[] mean = init.get("standardize.mean");
        float[] scale = init.get("standardize.scale");
        Map<String, float[]> scales = new LinkedHashMap<>();
        int offset = 0;
        for (int m = 0; m < strategy.layout().count(); m++) {
            int d = strategy.layout().dimension(m);
            String key = "fill_" + strategy.layout().modalities().get(m).name();
            Parameter p = parameters.get(key);
            if (p != null) {
                String name = FusionNetwork.STRATEGY + key;
                float[] current = p.getArray().toFloatArray();
                if (isZero(current)) {
                    init.put(name, Arrays.copyOfRange(mean, offset, offset + d));
                }
                scales.put(name, Arrays.copyOfRange(scale, offset, offset + d));
            }
            offset += d;
        }
        return new FillVectors(scales);
    }

    private static boolean isZero(float[] v) {
        for (float x : v) {
            if (x != 0f) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code name} is a fill vector whose steps are taken in standardised units. */
    boolean contains(String name) {
        return scales.containsKey(name);
    }

    /**
     * Turns the optimiser's raw step on {@code array} (from {@code before} to its current value) into the same
     * step in standardised units: {@code f ← before + (f − before) / σ⁻¹}.
     */
    void rescaleStep(String name, NDArray array, float[] before) {
        float[] scale = scales.get(name);
        float[] after = array.toFloatArray();
        for (int j = 0; j < after.length; j++) {
            after[j] = before[j] + (after[j] - before[j]) / scale[j];
        }
        array.set(after);
    }
}
