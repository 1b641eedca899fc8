package dev.fusion4j.core.concat;

import dev.fusion4j.core.internal.DescribedSpec;
import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.internal.Checks;
import dev.fusion4j.core.internal.ModalityLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of {@link ConcatFusion}; immutable, every setter returns a new spec.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@link #normalizeInputs(boolean)}</td><td>true: each present input is L2-normalised</td></tr>
 *   <tr><td>{@link #presenceBits(boolean)}</td><td>false: no presence bits appended</td></tr>
 *   <tr><td>{@link #fill(Modality, Embedding)}</td><td>zeros: what an absent modality writes</td></tr>
 * </table>
 */
public final class ConcatSpec implements FusionSpec, DescribedSpec {
    private boolean normalizeInputs = true;
    private boolean presenceBits;
    private Map<Modality, Embedding> fills = new LinkedHashMap<>();

    /** Use {@code Fusions.concat()}. */
    public ConcatSpec() {
    }

    private ConcatSpec copy() {
        ConcatSpec c = new ConcatSpec();
        c.normalizeInputs = normalizeInputs;
        c.presenceBits = presenceBits;
        c.fills = new LinkedHashMap<>(fills);
        return c;
    }

    /** A copy with {@code change} applied: specs are immutable. */
    private ConcatSpec with(java.util.function.Consumer<ConcatSpec> change) {
        ConcatSpec c = copy();
        change.accept(c);
        return c;
    }

    /** Whether each present input is L2-normalised first (default true). */
    public ConcatSpec normalizeInputs(boolean normalize) {
        return with(c -> c.normalizeInputs = normalize);
    }

    /** Whether to append one presence bit per modality (1 present, 0 absent) to the output (default false). */
    public ConcatSpec presenceBits(boolean append) {
        return with(c -> c.presenceBits = append);
    }

    /**
     * The vector written in place of {@code modality} when it is absent (default zeros); its dimension
     * is checked against the modality's when bound.
     */
    public ConcatSpec fill(Modality modality, Embedding fill) {
        Checks.notNull("Fill modality", modality);
        Checks.notNull("Fill vector for modality '" + modality + "'", fill);
        return with(c -> c.fills.put(modality, fill));
    }

    boolean normalizeInputs() {
        return normalizeInputs;
    }

    boolean presenceBits() {
        return presenceBits;
    }

    Map<Modality, Embedding> fills() {
        return fills;
    }

    @Override
    public ConcatFusion bind(Map<Modality, Integer> inputDimensions) {
        return new ConcatFusion(ModalityLayout.of(inputDimensions), this);
    }

    @Override
    public String kind() {
        return "concat";
    }

    /** normalizeInputs and presenceBits; fill vectors are parameters, saved with them. */
    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("normalizeInputs", String.valueOf(normalizeInputs));
        s.put("presenceBits", String.valueOf(presenceBits));
        return s;
    }

    @Override
    public String toString() {
        return "concat(normalizeInputs=" + normalizeInputs + ", presenceBits=" + presenceBits
                + ", fills=" + fills.keySet() + ")";
    }
}
