package dev.fusion4j.core.bilinear;

import dev.fusion4j.core.internal.DescribedSpec;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.internal.Checks;
import dev.fusion4j.core.internal.ModalityLayout;
import java.util.Map;

/**
 * Settings of {@link CompactBilinearFusion}; immutable, every setter returns a new spec.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>dimension D (from {@code compact(D)})</td><td>8192</td></tr>
 *   <tr><td>{@link #normalizeInputs(boolean)}</td><td>true</td></tr>
 *   <tr><td>{@link #seed(long)}</td><td>42 (count sketches)</td></tr>
 * </table>
 */
public final class CompactBilinearSpec implements FusionSpec, DescribedSpec {
    private final int dimension;
    private final boolean normalizeInputs;
    private final long seed;

    CompactBilinearSpec(int dimension) {
        this(Checks.positive("Compact bilinear dimension", dimension), true, 42);
    }

    private CompactBilinearSpec(int dimension, boolean normalizeInputs, long seed) {
        this.dimension = dimension;
        this.normalizeInputs = normalizeInputs;
        this.seed = seed;
    }

    /** Whether each present input is L2-normalised first (default true). */
    public CompactBilinearSpec normalizeInputs(boolean normalize) {
        return new CompactBilinearSpec(dimension, normalize, seed);
    }

    /** Seed of the count sketches (default 42). */
    public CompactBilinearSpec seed(long seed) {
        return new CompactBilinearSpec(dimension, normalizeInputs, seed);
    }

    @Override
    public CompactBilinearFusion bind(Map<Modality, Integer> inputDimensions) {
        return new CompactBilinearFusion(ModalityLayout.of(inputDimensions), dimension, normalizeInputs, seed);
    }

    @Override
    public String kind() {
        return "bilinear.compact";
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new java.util.LinkedHashMap<>();
        s.put("dimension", String.valueOf(dimension));
        s.put("normalizeInputs", String.valueOf(normalizeInputs));
        s.put("seed", String.valueOf(seed));
        return s;
    }

    @Override
    public String toString() {
        return "bilinear.compact(dimension=" + dimension + ", normalizeInputs=" + normalizeInputs + ", seed="
                + seed + ")";
    }
}
