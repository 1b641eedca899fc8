package dev.fusion4j.core.bilinear;

import dev.fusion4j.core.internal.DescribedSpec;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.internal.ModalityLayout;
import java.util.Map;

/**
 * Settings of {@link FullBilinearFusion}; immutable, every setter returns a new spec.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@link #maxOutputSize(long)}</td><td>{@value #DEFAULT_MAX_OUTPUT_SIZE} floats (16 MB per record)</td></tr>
 *   <tr><td>{@link #normalizeInputs(boolean)}</td><td>true</td></tr>
 * </table>
 */
public final class FullBilinearSpec implements FusionSpec, DescribedSpec {
    /** Default limit on (d_1+1)(d_2+1). */
    public static final long DEFAULT_MAX_OUTPUT_SIZE = 1L << 22;

    private final boolean normalizeInputs;
    private final long maxOutputSize;

    FullBilinearSpec() {
        this(true, DEFAULT_MAX_OUTPUT_SIZE);
    }

    private FullBilinearSpec(boolean normalizeInputs, long maxOutputSize) {
        this.normalizeInputs = normalizeInputs;
        this.maxOutputSize = maxOutputSize;
    }

    /** Whether each present input is L2-normalised first (default true). */
    public FullBilinearSpec normalizeInputs(boolean normalize) {
        return new FullBilinearSpec(normalize, maxOutputSize);
    }

    /** The largest output dimension accepted at bind time (at most {@code Integer.MAX_VALUE - 8}). */
    public FullBilinearSpec maxOutputSize(long floats) {
        if (floats < 1 || floats > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("Full bilinear maxOutputSize must be in [1, " + (Integer.MAX_VALUE - 8)
                    + "], got " + floats);
        }
        return new FullBilinearSpec(normalizeInputs, floats);
    }

    @Override
    public FullBilinearFusion bind(Map<Modality, Integer> inputDimensions) {
        ModalityLayout layout = ModalityLayout.of(inputDimensions);
        if (layout.count() != 2) {
            throw new InvalidInputException("Full bilinear fusion takes exactly two modalities, got "
                    + layout.count() + " " + layout.modalities() + ": use Fusions.bilinear().compact(D) or"
                    + " .lowRank(k), which fuse any number of modalities");
        }
        long size = (layout.dimension(0) + 1L) * (layout.dimension(1) + 1L);
        if (size > maxOutputSize) {
            throw new InvalidInputException("Full bilinear fusion of " + layout.dimensions() + " would output ("
                    + layout.dimension(0) + "+1)(" + layout.dimension(1) + "+1) = " + size + " floats per record,"
                    + " above the limit of " + maxOutputSize + ": use Fusions.bilinear().compact(8192) or"
                    + " .lowRank(k), or raise the limit with maxOutputSize(" + size + ")");
        }
        return new FullBilinearFusion(layout, normalizeInputs);
    }

    @Override
    public String kind() {
        return "bilinear.full";
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new java.util.LinkedHashMap<>();
        s.put("maxOutputSize", String.valueOf(maxOutputSize));
        s.put("normalizeInputs", String.valueOf(normalizeInputs));
        return s;
    }

    @Override
    public String toString() {
        return "bilinear.full(maxOutputSize=" + maxOutputSize + ", normalizeInputs=" + normalizeInputs + ")";
    }
}
