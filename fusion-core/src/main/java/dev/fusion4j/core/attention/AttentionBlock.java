package dev.fusion4j.core.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import dev.fusion4j.core.internal.FusionBlock;
import dev.fusion4j.core.internal.JavaPath;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.Scalars;
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
    private final Layer[] layers;
    private final Parameter finalGain;
    private final Parameter finalBias;

    /** The parameters of one pre-norm transformer layer. */
    private static final class Layer {
        Parameter norm1Gain;
        Parameter norm1Bias;
        Parameter qkvWeight;
        Parameter qkvBias;
        Parameter outWeight;
        Parameter outBias;
        Parameter norm2Gain;
        Parameter norm2Bias;
        Parameter ffn1Weight;
        Parameter ffn1Bias;
        Parameter ffn2Weight;
        Parameter ffn2Bias;
    }

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
        layers = new Layer[layerCount];
        for (int l = 0; l < layerCount; l++) {
            String p = "layer" + l + "_";
            Layer layer = new Layer();
            layer.norm1Gain = ones(manager, p + "norm1_gain", d);
            layer.norm1Bias = zeros(manager, p + "norm1_bias", d);
            float[] qkv = new float[3 * d * d];
            for (int j = 0; j < 3; j++) {
                float[] w = SeededInit.orthogonal(SeededInit.derive(seed, "attention", p + "qkv" + j), d, d);
                System.arraycopy(w, 0, qkv, j * d * d, d * d);
            }
            layer.qkvWeight = parameter(manager, p + "qkv_weight", Parameter.Type.WEIGHT, qkv, new Shape(3L * d, d));
            layer.qkvBias = zeros(manager, p + "qkv_bias", 3 * d);
            layer.outWeight = parameter(manager, p + "out_weight", Parameter.Type.WEIGHT,
                    SeededInit.orthogonal(SeededInit.derive(seed, "attention", p + "out"), d, d), new Shape(d, d));
            layer.outBias = zeros(manager, p + "out_bias", d);
            layer.norm2Gain = ones(manager, p + "norm2_gain", d);
            layer.norm2Bias = zeros(manager, p + "norm2_bias", d);
            layer.ffn1Weight = parameter(manager, p + "ffn1_weight", Parameter.Type.WEIGHT,
                    SeededInit.orthogonal(SeededInit.derive(seed, "attention", p + "ffn1"), feedForward, d),
                    new Shape(feedForward, d));
            layer.ffn1Bias = zeros(manager, p + "ffn1_bias", feedForward);
            float[] ffn2 = SeededInit.orthogonal(SeededInit.derive(seed, "attention", p + "ffn2"), d, feedForward);
            for (int i = 0; i < ffn2.length; i++) {
                ffn2[i] *= 0.1f;
            }
            layer.ffn2Weight = parameter(manager, p + "ffn2_weight", Parameter.Type.WEIGHT, ffn2,
                    new Shape(d, feedForward));
            layer.ffn2Bias = zeros(manager, p + "ffn2_bias", d);
            layers[l] = layer;
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
            Layer p = layers[l];
            AttentionJavaPath.Layer v = new AttentionJavaPath.Layer();
            v.norm1Gain = current(p.norm1Gain);
            v.norm1Bias = current(p.norm1Bias);
            v.qkvWeight = current(p.qkvWeight);
            v.qkvBias = current(p.qkvBias);
            v.outWeight = current(p.outWeight);
            v.outBias = current(p.outBias);
            v.norm2Gain = current(p.norm2Gain);
            v.norm2Bias = current(p.norm2Bias);
            v.ffn1Weight = current(p.ffn1Weight);
            v.ffn1Bias = current(p.ffn1Bias);
            v.ffn2Weight = current(p.ffn2Weight);
            v.ffn2Bias = current(p.ffn2Bias);
            values[l] = v;
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
        for (Layer layer : layers) {
            NDArray[] result = layer(store, layer, h, additive, training);
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

    /** One pre-norm layer: h + MHSA(LN(h)), then + FFN(LN(.)); returns the new h and the attention probabilities. */
    private NDArray[] layer(ParameterStore store, Layer p, NDArray h, NDArray additive, boolean training) {
        Shape shape = h.getShape();
        long batch = shape.get(0);
        long tokens = shape.get(1);
        int headDim = dimension / heads;
        NDArray normed = layerNorm(h, value(store, p.norm1Gain, h, training), value(store, p.norm1Bias, h, training));
        NDArray qkv = Linear.linear(normed, value(store, p.qkvWeight, h, training),
                value(store, p.qkvBias, h, training)).head(); // [B, S, 3D]
        NDArray split = qkv.reshape(batch, tokens, 3, heads, headDim).transpose(2, 0, 3, 1, 4); // [3, B, H, S, Dh]
        NDArray q = split.get(0);
        NDArray k = split.get(1);
        NDArray v = split.get(2);
        NDArray scores = Scalars.mul(q.matMul(k.transpose(0, 1, 3, 2)), 1.0f / (float) Math.sqrt(headDim))
                .add(additive);
        NDArray probabilities = scores.softmax(-1); // [B, H, S, S]
        NDArray attended = probabilities;
        if (training && dropout > 0) {
            attended = Dropout.dropout(probabilities, dropout, true).head();
        }
        NDArray context = attended.matMul(v).transpose(0, 2, 1, 3).reshape(batch, tokens, dimension);
        NDArray out = Linear.linear(context, value(store, p.outWeight, h, training),
                value(store, p.outBias, h, training)).head();
        h = h.add(maybeDropout(out, training));
        NDArray normed2 = layerNorm(h, value(store, p.norm2Gain, h, training), value(store, p.norm2Bias, h, training));
        NDArray hidden = Activation.gelu(Linear.linear(normed2, value(store, p.ffn1Weight, h, training),
                value(store, p.ffn1Bias, h, training)).head());
        NDArray ffn = Linear.linear(hidden, value(store, p.ffn2Weight, h, training),
                value(store, p.ffn2Bias, h, training)).head();
        return new NDArray[] {h.add(maybeDropout(ffn, training)), probabilities};
    }

    private NDArray maybeDropout(NDArray x, boolean training) {
        return training && dropout > 0 ? Dropout.dropout(x, dropout, true).head() : x;
    }

    private NDArray layerNorm(NDArray x, NDArray gain, NDArray bias) {
        return x.getNDArrayInternal().layerNorm(x, new Shape(dimension), gain, bias, LAYER_NORM_EPS).head();
    }
}
