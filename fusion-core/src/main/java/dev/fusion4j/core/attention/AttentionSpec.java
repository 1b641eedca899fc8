package dev.fusion4j.core.attention;

import dev.fusion4j.core.internal.DescribedSpec;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.internal.Checks;
import dev.fusion4j.core.internal.ModalityLayout;
import java.util.Map;

/**
 * Settings of {@link AttentionFusion}; immutable, every setter returns a new spec.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@link #dimension(int)}</td><td>256 (model width D, output dimension)</td></tr>
 *   <tr><td>{@link #heads(int)}</td><td>4 (must divide D)</td></tr>
 *   <tr><td>{@link #layers(int)}</td><td>1</td></tr>
 *   <tr><td>{@link #feedForward(int)}</td><td>4 D (hidden width of each layer's MLP)</td></tr>
 *   <tr><td>{@link #dropout(float)}</td><td>0.1 (training only; off at inference)</td></tr>
 *   <tr><td>{@link #fusionToken(boolean)}</td><td>true: pool by a learned fusion token; false: masked
 *       mean of the modality tokens</td></tr>
 *   <tr><td>{@link #normalizeInputs(boolean)}</td><td>true</td></tr>
 *   <tr><td>{@link #seed(long)}</td><td>42</td></tr>
 * </table>
 */
public final class AttentionSpec implements FusionSpec, DescribedSpec {
    private boolean normalizeInputs = true;
    private int dimension = 256;
    private int heads = 4;
    private int layers = 1;
    private int feedForward;
    private float dropout = 0.1f;
    private boolean fusionToken = true;
    private long seed = 42;

    /** Use {@code Fusions.attention()}. */
    public AttentionSpec() {
    }

    private AttentionSpec copy() {
        AttentionSpec c = new AttentionSpec();
        c.normalizeInputs = normalizeInputs;
        c.dimension = dimension;
        c.heads = heads;
        c.layers = layers;
        c.feedForward = feedForward;
        c.dropout = dropout;
        c.fusionToken = fusionToken;
        c.seed = seed;
        return c;
    }

    /** A copy with {@code change} applied: specs are immutable. */
    private AttentionSpec with(java.util.function.Consumer<AttentionSpec> change) {
        AttentionSpec c = copy();
        change.accept(c);
        return c;
    }

    /** Whether each present input is L2-normalised first (default true). */
    public AttentionSpec normalizeInputs(boolean normalize) {
        return with(c -> c.normalizeInputs = normalize);
    }

    /** Model width D: token size and output dimension (default 256). */
    public AttentionSpec dimension(int dimension) {
        return with(c -> c.dimension = Checks.positive("Attention dimension", dimension));
    }

    /** Number of attention heads; must divide the dimension (default 4). */
    public AttentionSpec heads(int heads) {
        return with(c -> c.heads = Checks.positive("Attention heads", heads));
    }

    /** Number of transformer layers (default 1). */
    public AttentionSpec layers(int layers) {
        return with(c -> c.layers = Checks.positive("Attention layers", layers));
    }

    /** Hidden width of each layer's feed-forward network (default 4 x dimension). */
    public AttentionSpec feedForward(int width) {
        return with(c -> c.feedForward = Checks.positive("Attention feed-forward width", width));
    }

    /** Dropout rate in [0, 1) used when training (default 0.1); inference never drops. */
    public AttentionSpec dropout(float rate) {
        return with(c -> c.dropout = Checks.probability("Attention dropout", rate));
    }

    /** Whether to pool by a learned fusion token (default true) or by the masked mean of the modality tokens. */
    public AttentionSpec fusionToken(boolean use) {
        return with(c -> c.fusionToken = use);
    }

    /** Seed of the parameter initialisation (default 42). */
    public AttentionSpec seed(long seed) {
        return with(c -> c.seed = seed);
    }

    boolean normalizeInputs() {
        return normalizeInputs;
    }

    int dimension() {
        return dimension;
    }

    int heads() {
        return heads;
    }

    int layers() {
        return layers;
    }

    int feedForwardWidth() {
        return feedForward == 0 ? 4 * dimension : feedForward;
    }

    float dropout() {
        return dropout;
    }

    boolean fusionToken() {
        return fusionToken;
    }

    long seed() {
        return seed;
    }

    @Override
    public AttentionFusion bind(Map<Modality, Integer> inputDimensions) {
        if (dimension % heads != 0) {
            throw new InvalidInputException("Attention dimension " + dimension + " is not divisible by " + heads
                    + " heads: choose heads that divide the dimension (e.g. dimension 256 with 4 or 8 heads)");
        }
        return new AttentionFusion(ModalityLayout.of(inputDimensions), this);
    }

    @Override
    public String kind() {
        return "attention";
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new java.util.LinkedHashMap<>();
        s.put("dimension", String.valueOf(dimension));
        s.put("heads", String.valueOf(heads));
        s.put("layers", String.valueOf(layers));
        s.put("feedForward", String.valueOf(feedForwardWidth()));
        s.put("dropout", String.valueOf(dropout));
        s.put("fusionToken", String.valueOf(fusionToken));
        s.put("normalizeInputs", String.valueOf(normalizeInputs));
        s.put("seed", String.valueOf(seed));
        return s;
    }

    @Override
    public String toString() {
        return "attention(dimension=" + dimension + ", heads=" + heads + ", layers=" + layers + ", feedForward="
                + feedForwardWidth() + ", dropout=" + dropout + ", fusionToken=" + fusionToken
                + ", normalizeInputs=" + normalizeInputs + ", seed=" + seed + ")";
    }
}
