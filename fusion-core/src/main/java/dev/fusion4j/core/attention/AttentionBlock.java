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
 * DJL block of {@link AttentionFusion}: modality tokens, optional fusion token, pre-norm transformer
 * layers with a key-padding mask, final layer norm, pooling. Outputs the fused {@code [B, D]} and the
 * per-modality attention weights {@code [B, M]} of the last layer.
 *
 * <p>Initialisation (seeded; per-modality parameters seeded by the modality name, shared ones by
 * their role, so a strategy bound to a subset of modalities has the same values for them): projections,
 * Q/K/V/O and feed-forward weights random orthogonal (norm-keeping scale), the second feed-forward
 * weight additionally scaled by 0.1 so an untrained layer stays close to attention mixing; type
 * embeddings and fusion token N(0, 0.02²); biases 0; layer-norm gains 1.
 */
final class AttentionBlock extends FusionBlock {
    /** Added to the score of an absent key: its softmax weight is exactly 0. */
    static final float MASKED = -1e30f;
    static final float LAYER_NORM_EPS = 1e-5f;

    private final int dimension;
    private final int heads;
    private final float dropout;
    private final Parameter[] projections;
    private final Parameter[] typeEmbeddings;
    private final Parameter fusionToken;
    private final TransformerLayer[] layers;
    private final Parameter finalGain;
    private final Parameter finalBias;

    AttentionBlock(NDManager manager, ModalityLayout layout, int dimension, int heads, int layerCount,
            int feedForward, float dropout, boolean useFusionToken, long seed) {
        super(layout);
        this.dimension = dimension;
        this.heads = heads;
        this.dropout = dropout;
        int d = dimension;
        int count = layout.count();
        projections = new Parameter[count];
        typeEmbeddings = new Parameter[count];
        for (int m = 0; m < count; m++) {
            String name = layout.modalities().get(m).name();
            projections[m] = parameter(manager, "projection_" + name, Parameter.Type.WEIGHT,
                    SeededInit.orthogonal(SeededInit.derive(seed, "attention", "projection", name), d,
                            layout.dimension(m)), new Shape(d, layout.dimension(m)));
            typeEmbeddings[m] = parameter(manager, "type_" + name, Parameter.Type.BIAS,
                    SeededInit.gaussian(SeededInit.derive(seed, "attention", "type", name), d, 0.02),
                    new Shape(d));
        }
        fusionToken = useFusionToken
                ? parameter(manager, "fusion_token", Parameter.Type.OTHER,
                        SeededInit.gaussian(SeededInit.derive(seed, "attention", "fusion-token"), d, 0.02),
                        new Shape(1, 1, d))
                : null;
        layers = new TransformerLayer[layerCount];
        TransformerLayer.Maker maker = (name, type, values, shape) -> parameter(manager, name, type, values, shape);
        for (int l = 0; l < layerCount; l++) {
            layers[l] = new TransformerLayer(maker, "attention", "layer" + l + "_", d, feedForward, seed);
        }
        finalGain = ones(manager, "final_norm_gain", d);
        finalBias = zeros(manager, "final_norm_bias", d);
    }

    private Parameter ones(NDManager manager, String name, int n) {
        return parameter(manager, name, Parameter.Type.GAMMA, SeededInit.filled(n, 1f), new Shape(n));
    }

    private Parameter zeros(NDManager manager, String name, int n) {
        return parameter(manager, name, Parameter.Type.BETA, new float[n], new Shape(n));
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
        for (int m = 0; m < count; m++) {
            w[m] = current(projections[m]);
            e[m] = current(typeEmbeddings[m]);
        }
        AttentionJavaPath.Layer[] values = new AttentionJavaPath.Layer[layers.length];
        for (int l = 0; l < layers.length; l++) {
            values[l] = layers[l].snapshot();
        }
        return new AttentionJavaPath(layout, dimension, heads, values.length == 0 ? 0 : values[0].ffn1Bias.length,
                w, e, fusionToken == null ? null : current(fusionToken), values, current(finalGain),
                current(finalBias));
    }

    @Override
    protected NDList compute(ParameterStore store, NDList inputs, boolean training) {
        NDArray mask = mask(inputs); // [B, M]
        long batch = mask.getShape().get(0);
        int count = layout.count();
        NDList tokens = new NDList(count);
        for (int m = 0; m < count; m++) {
            NDArray x = inputs.get(m);
            tokens.add(Linear.linear(x, value(store, projections[m], x, training),
                    value(store, typeEmbeddings[m], x, training)).head());
        }
        NDArray h = NDArrays.stack(tokens, 1); // [B, M, D]
        NDArray keys = mask;
        int offset = 0;
        if (fusionToken != null) {
            NDArray token = mask.getManager().zeros(new Shape(batch, 1, dimension))
                    .add(value(store, fusionToken, mask, training));
            h = token.concat(h, 1); // [B, S = M + 1, D]
            keys = mask.getManager().ones(new Shape(batch, 1)).concat(mask, 1);
            offset = 1;
        }
        NDArray additive = keys.sub(1f).mul(-MASKED).reshape(batch, 1, 1, count + offset);
        NDArray probabilities = null;
        for (TransformerLayer layer : layers) {
            NDArray[] result = layer.forward(store, h, additive, heads, dropout, training);
            h = result[0];
            probabilities = result[1];
        }
        h = layerNorm(h, value(store, finalGain, h, training), value(store, finalBias, h, training));
        NDArray fused;
        NDArray weights;
        if (fusionToken != null) {
            fused = h.get(new NDIndex(":, 0, :"));
            NDArray w = probabilities.get(new NDIndex(":, :, 0, 1:")).mean(new int[] {1}); // [B, M]
            weights = w.div(w.sum(new int[] {1}, true));
        } else {
            NDArray present = mask.expandDims(2); // [B, M, 1]
            NDArray total = mask.sum(new int[] {1}, true); // [B, 1]
            fused = h.mul(present).sum(new int[] {1}).div(total);
            // average the present queries' attention rows: [B, H, S, S] -> [B, S]
            NDArray rows = probabilities.mul(mask.reshape(batch, 1, count, 1)).sum(new int[] {2});
            weights = rows.mean(new int[] {1}).div(total);
        }
        return new NDList(fused, weights);
    }

    private NDArray layerNorm(NDArray x, NDArray gain, NDArray bias) {
        return TransformerLayer.layerNorm(x, gain, bias);
    }
}
