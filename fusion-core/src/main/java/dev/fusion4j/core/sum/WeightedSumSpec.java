package dev.fusion4j.core.sum;

import dev.fusion4j.core.internal.DescribedSpec;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.internal.Checks;
import dev.fusion4j.core.internal.ModalityLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of {@link WeightedSumFusion}; immutable, every setter returns a new spec.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@link #dimension(int)}</td><td>unset: identity when all inputs have the same dimension,
 *       else projections to the smallest input dimension</td></tr>
 *   <tr><td>{@link #mode(WeightMode)}</td><td>{@link WeightMode#FIXED}</td></tr>
 *   <tr><td>{@link #weight(Modality, double)}</td><td>1 for every modality (FIXED mode only)</td></tr>
 *   <tr><td>{@link #normalizeInputs(boolean)}</td><td>true</td></tr>
 *   <tr><td>{@link #seed(long)}</td><td>42</td></tr>
 * </table>
 */
public final class WeightedSumSpec implements FusionSpec, DescribedSpec {
    private boolean normalizeInputs = true;
    private int dimension;
    private WeightMode mode = WeightMode.FIXED;
    private Map<Modality, Double> weights = new LinkedHashMap<>();
    private long seed = 42;

    /** Use {@code Fusions.weightedSum()}. */
    public WeightedSumSpec() {
    }

    private WeightedSumSpec copy() {
        WeightedSumSpec c = new WeightedSumSpec();
        c.normalizeInputs = normalizeInputs;
        c.dimension = dimension;
        c.mode = mode;
        c.weights = new LinkedHashMap<>(weights);
        c.seed = seed;
        return c;
    }

    /** A copy with {@code change} applied: specs are immutable. */
    private WeightedSumSpec with(java.util.function.Consumer<WeightedSumSpec> change) {
        WeightedSumSpec c = copy();
        change.accept(c);
        return c;
    }

    /** Whether each present input is L2-normalised first (default true). */
    public WeightedSumSpec normalizeInputs(boolean normalize) {
        return with(c -> c.normalizeInputs = normalize);
    }

    /** The common dimension every modality is projected to (forces projections, even for equal dimensions). */
    public WeightedSumSpec dimension(int dimension) {
        return with(c -> c.dimension = Checks.positive("Weighted-sum dimension", dimension));
    }

    /** How modalities are weighed (default {@link WeightMode#FIXED}). */
    public WeightedSumSpec mode(WeightMode mode) {
        return with(c -> c.mode = Checks.notNull("Weight mode", mode));
    }

    /** The fixed weight of {@code modality} (positive, default 1); only used in {@link WeightMode#FIXED}. */
    public WeightedSumSpec weight(Modality modality, double weight) {
        Checks.notNull("Weight modality", modality);
        if (!(weight > 0) || !Double.isFinite(weight)) {
            throw new InvalidInputException("The weight of modality '" + modality + "' must be positive and"
                    + " finite, got " + weight);
        }
        return with(c -> c.weights.put(modality, weight));
    }

    /** Seed of the parameter initialisation (default 42). */
    public WeightedSumSpec seed(long seed) {
        return with(c -> c.seed = seed);
    }

    boolean normalizeInputs() {
        return normalizeInputs;
    }

    int dimension() {
        return dimension;
    }

    WeightMode mode() {
        return mode;
    }

    Map<Modality, Double> weights() {
        return weights;
    }

    long seed() {
        return seed;
    }

    @Override
    public WeightedSumFusion bind(Map<Modality, Integer> inputDimensions) {
        return new WeightedSumFusion(ModalityLayout.of(inputDimensions), this);
    }

    @Override
    public String kind() {
        return "weightedSum";
    }

    /** dimension (0 = auto), mode, seed, normalizeInputs and one {@code weight.<modality>} per fixed weight. */
    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("dimension", String.valueOf(dimension));
        s.put("mode", mode.name());
        s.put("normalizeInputs", String.valueOf(normalizeInputs));
        s.put("seed", String.valueOf(seed));
        weights.forEach((m, w) -> s.put("weight." + m.name(), String.valueOf(w)));
        return s;
    }

    @Override
    public String toString() {
        return "weightedSum(dimension=" + (dimension == 0 ? "auto" : dimension) + ", mode=" + mode
                + ", weights=" + weights + ", normalizeInputs=" + normalizeInputs + ", seed=" + seed + ")";
    }
}
