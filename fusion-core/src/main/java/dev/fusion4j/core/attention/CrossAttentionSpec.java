package dev.fusion4j.core.attention;

import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.internal.Checks;
import dev.fusion4j.core.internal.DescribedSpec;
import dev.fusion4j.core.internal.ModalityLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of {@link CrossAttentionFusion}; immutable, every setter returns a new spec.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@link #dimension(int)}</td><td>96 (model width D, output dimension; chosen for the batch-1 cost, see
 *       docs/performance.md)</td></tr>
 *   <tr><td>{@link #heads(int)}</td><td>4 (must divide D)</td></tr>
 *   <tr><td>{@link #layers(int)}</td><td>2 (the first lets words and regions attend to each other, the last
 *       pools them into the fusion token)</td></tr>
 *   <tr><td>{@link #feedForward(int)}</td><td>D (like the dimension, chosen for the batch-1 cost)</td></tr>
 *   <tr><td>{@link #dropout(float)}</td><td>0.1 (training only)</td></tr>
 *   <tr><td>{@link #maxSequenceLength(int)}</td><td>64 positions per modality (position embeddings)</td></tr>
 *   <tr><td>{@link #normalizeInputs(boolean)}</td><td>true: every token, region and pooled input L2-normalised</td></tr>
 *   <tr><td>{@link #seed(long)}</td><td>42</td></tr>
 * </table>
 */
public final class CrossAttentionSpec implements FusionSpec, DescribedSpec {
    private boolean normalizeInputs = true;
    private int dimension = 96;
    private int heads = 4;
    private int layers = 2;
    private int feedForward;
    private float dropout = 0.1f;
    private int maxSequenceLength = 64;
    private long seed = 42;

    /** Use {@code Fusions.crossAttention()}. */
    public CrossAttentionSpec() {
    }

    private CrossAttentionSpec with(java.util.function.Consumer<CrossAttentionSpec> change) {
        CrossAttentionSpec c = new CrossAttentionSpec();
        c.normalizeInputs = normalizeInputs;
        c.dimension = dimension;
        c.heads = heads;
        c.layers = layers;
        c.feedForward = feedForward;
        c.dropout = dropout;
        c.maxSequenceLength = maxSequenceLength;
        c.seed = seed;
        change.accept(c);
        return c;
    }

    /** Whether every token, region and pooled input is L2-normalised first (default true). */
    public CrossAttentionSpec normalizeInputs(boolean normalize) {
        return with(c -> c.normalizeInputs = normalize);
    }

    /** Model width D: token size and output dimension (default 96). */
    public CrossAttentionSpec dimension(int dimension) {
        return with(c -> c.dimension = Checks.positive("Cross-attention dimension", dimension));
    }

    /** Number of attention heads; must divide the dimension (default 4). */
    public CrossAttentionSpec heads(int heads) {
        return with(c -> c.heads = Checks.positive("Cross-attention heads", heads));
    }

    /** Number of transformer layers over the joint sequence (default 2). */
    public CrossAttentionSpec layers(int layers) {
        return with(c -> c.layers = Checks.positive("Cross-attention layers", layers));
    }

    /** Hidden width of each layer's feed-forward network (default: the dimension). */
    public CrossAttentionSpec feedForward(int width) {
        return with(c -> c.feedForward = Checks.positive("Cross-attention feed-forward width", width));
    }

    /** Dropout rate in [0, 1) used when training (default 0.1); inference never drops. */
    public CrossAttentionSpec dropout(float rate) {
        return with(c -> c.dropout = Checks.probability("Cross-attention dropout", rate));
    }

    /**
     * Most positions a modality's sequence may have (default 64): the size of its learned position table. A longer
     * sequence is an {@code InvalidInputException}.
     */
    public CrossAttentionSpec maxSequenceLength(int positions) {
        return with(c -> c.maxSequenceLength = Checks.positive("Cross-attention maxSequenceLength", positions));
    }

    /** Seed of the parameter initialisation (default 42). */
    public CrossAttentionSpec seed(long seed) {
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
        return feedForward == 0 ? dimension : feedForward;
    }

    float dropout() {
        return dropout;
    }

    int maxSequenceLength() {
        return maxSequenceLength;
    }

    long seed() {
        return seed;
    }

    @Override
    public CrossAttentionFusion bind(Map<Modality, Integer> inputDimensions) {
        if (dimension % heads != 0) {
            throw new InvalidInputException("Cross-attention dimension " + dimension + " is not divisible by " + heads
                    + " heads: choose heads that divide the dimension (e.g. dimension 96 with 4 or 8 heads)");
        }
        return new CrossAttentionFusion(ModalityLayout.of(inputDimensions).withSequences(maxSequenceLength), this);
    }

    @Override
    public String kind() {
        return "crossAttention";
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("dimension", String.valueOf(dimension));
        s.put("heads", String.valueOf(heads));
        s.put("layers", String.valueOf(layers));
        s.put("feedForward", String.valueOf(feedForwardWidth()));
        s.put("dropout", String.valueOf(dropout));
        s.put("maxSequenceLength", String.valueOf(maxSequenceLength));
        s.put("normalizeInputs", String.valueOf(normalizeInputs));
        s.put("seed", String.valueOf(seed));
        return s;
    }

    @Override
    public String toString() {
        return "crossAttention" + settings();
    }
}
