package dev.fusion4j.core.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dev.fusion4j.core.internal.FusionBlock;
import dev.fusion4j.core.internal.JavaPath;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.SeededInit;

/**
 * DJL block of {@link CrossAttentionFusion}. Inputs: the pooled {@code [B, d_m]} arrays and the presence mask (as
 * every fusion block; unused here but by the trainer's input skip), then per modality its padded sequence
 * {@code [B, T_m, d_m]} and position mask {@code [B, T_m]} ({@link dev.fusion4j.core.internal.BlockInputs}). Outputs
 * the fused {@code [B, D]} and the fusion token's last-layer attention over every position {@code [B, ΣT_m]}
 * (averaged over heads, renormalised without the fusion token itself).
 *
 * <p>Parameters, per modality: {@code projection_<m>} {@code [D, d_m]} (random orthogonal, norm-keeping),
 * {@code type_<m>} {@code [D]} and {@code position_<m>} {@code [maxSequenceLength, D]} (both N(0, 0.02²)); the
 * {@code fusion_token} {@code [1, 1, D]} (N(0, 0.02²)); {@link TransformerLayer}s {@code layer<l>_*}; the final layer
 * norm. Seeded by the modality name and the role (namespace {@code crossAttention}).
 */
final class CrossAttentionBlock extends FusionBlock {
    private final int dimension;
    private final int heads;
    private final float dropout;
    private final Parameter[] projections;
    private final Parameter[] typeEmbeddings;
    private final Parameter[] positions;
    private final Parameter fusionToken;
    private final TransformerLayer[] layers;
    private final Parameter finalGain;
    private final Parameter finalBias;

    CrossAttentionBlock(NDManager manager, ModalityLayout layout, int dimension, int heads, int layerCount,
            int feedForward, float dropout, long seed) {
        super(layout);
        this.dimension = dimension;
        this.heads = heads;
        this.dropout = dropout;
        int d = dimension;
        int count = layout.count();
        int maxLength = layout.maxSequenceLength();
        projections = new Parameter[count];
        typeEmbeddings = new Parameter[count];
        positions = new Parameter[count];
        for (int m = 0; m < count; m++) {
            String name = layout.modalities().get(m).name();
            projections[m] = parameter(manager, "projection_" + name, Parameter.Type.WEIGHT,
                    SeededInit.orthogonal(SeededInit.derive(seed, "crossAttention", "projection", name), d,
                            layout.dimension(m)), new Shape(d, layout.dimension(m)));
            typeEmbeddings[m] = parameter(manager, "type_" + name, Parameter.Type.BIAS,
                    SeededInit.gaussian(SeededInit.derive(seed, "crossAttention", "type", name), d, 0.02),
                    new Shape(d));
            positions[m] = parameter(manager, "position_" + name, Parameter.Type.BIAS,
                    SeededInit.gaussian(SeededInit.derive(seed, "crossAttention", "position", name), maxLength * d,
                            0.02), new Shape(maxLength, d));
        }
        fusionToken = parameter(manager, "fusion_token", Parameter.Type.OTHER,
                SeededInit.gaussian(SeededInit.derive(seed, "crossAttention", "fusion-token"), d, 0.02),
                new Shape(1, 1, d));
        TransformerLayer.Maker maker = (name, type, values, shape) -> parameter(manager, name, type, values, shape);
        layers = new TransformerLayer[layerCount];
        for (int l = 0; l < layerCount; l++) {
            layers[l] = new TransformerLayer(maker, "crossAttention", "layer" + l + "_", d, feedForward, seed);
        }
        finalGain = TransformerLayer.ones(maker, "final_norm_gain", d);
        finalBias = TransformerLayer.zeros(maker, "final_norm_bias", d);
    }

    @Override
    public int outputDimension() {
        return dimension;
    }

    @Override
    protected JavaPath javaPath() {
        int count = layout.count();
        float[][] w = new float[count][];
        float[][] e = new float[count][];
        float[][] p = new float[count][];
        for (int m = 0; m < count; m++) {
            w[m] = current(projections[m]);
            e[m] = current(typeEmbeddings[m]);
            p[m] = current(positions[m]);
        }
        AttentionJavaPath.Layer[] values = new AttentionJavaPath.Layer[layers.length];
        for (int l = 0; l < layers.length; l++) {
            values[l] = layers[l].snapshot();
        }
        return new CrossAttentionJavaPath(layout, dimension, heads, values[0].ffn1Bias.length, w, e, p,
                current(fusionToken), values, current(finalGain), current(finalBias));
    }

    @Override
    protected NDList compute(ParameterStore store, NDList inputs, boolean training) {
        int count = layout.count();
        NDArray mask = inputs.get(count);
        long batch = mask.getShape().get(0);
        NDManager manager = mask.getManager();
        NDList parts = new NDList(count + 1);
        NDList keys = new NDList(count + 1);
        parts.add(manager.zeros(new Shape(batch, 1, dimension)).add(store.getValue(fusionToken, mask.getDevice(),
                training)));
        keys.add(manager.ones(new Shape(batch, 1)));
        for (int m = 0; m < count; m++) {
            NDArray sequence = inputs.get(count + 1 + 2 * m); // [B, T, d_m]
            long length = sequence.getShape().get(1);
            NDArray tokens = Linear.linear(sequence, value(store, projections[m], sequence, training),
                    value(store, typeEmbeddings[m], sequence, training)).head(); // [B, T, D]
            NDArray position = value(store, positions[m], sequence, training).get(new NDIndex("0:" + length));
            parts.add(tokens.add(position));
            keys.add(inputs.get(count + 2 + 2 * m));
        }
        NDArray h = NDArrays.concat(parts, 1); // [B, S, D]
        NDArray valid = NDArrays.concat(keys, 1); // [B, S]
        long total = valid.getShape().get(1);
        NDArray additive = valid.sub(1f).mul(-AttentionBlock.MASKED).reshape(batch, 1, 1, total);
        NDArray probabilities = null;
        for (TransformerLayer layer : layers) {
            NDArray[] result = layer.forward(store, h, additive, heads, dropout, training);
            h = result[0];
            probabilities = result[1];
        }
        h = TransformerLayer.layerNorm(h, value(store, finalGain, h, training), value(store, finalBias, h, training));
        NDArray fused = h.get(new NDIndex(":, 0, :"));
        NDArray w = probabilities.get(new NDIndex(":, :, 0, 1:")).mean(new int[] {1}); // [B, S - 1]
        return new NDList(fused, w.div(w.sum(new int[] {1}, true)));
    }
}
