package dev.fusion4j.core.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import dev.fusion4j.core.internal.Scalars;
import dev.fusion4j.core.internal.SeededInit;

/**
 * The parameters and the DJL forward pass of one pre-norm transformer layer, shared by {@link AttentionBlock} (one
 * token per modality) and {@link CrossAttentionBlock} (one token per text token and image region):
 *
 * <pre>
 *   H = H + W_o MHSA(LN_1(H), key mask) + b_o          MHSA: softmax(Q Kᵀ/√(D/h) + mask) V per head
 *   H = H + W_2 GELU(W_1 LN_2(H) + b_1) + b_2
 * </pre>
 *
 * <p>Init (seeded by {@code namespace} and the layer prefix): Q/K/V/O and feed-forward weights random orthogonal,
 * the second feed-forward weight × 0.1 (an untrained layer stays close to attention mixing), biases 0, gains 1.
 * Parameters: {@code 4D² + 2·D·F} weights, {@code 9D + F} gains and biases (D width, F feed-forward width).
 */
final class TransformerLayer {
    /** Creates a block parameter (the block's {@code parameter(manager, ..)}). */
    interface Maker {
        Parameter make(String name, Parameter.Type type, float[] values, Shape shape);
    }

    final Parameter norm1Gain;
    final Parameter norm1Bias;
    final Parameter qkvWeight;
    final Parameter qkvBias;
    final Parameter outWeight;
    final Parameter outBias;
    final Parameter norm2Gain;
    final Parameter norm2Bias;
    final Parameter ffn1Weight;
    final Parameter ffn1Bias;
    final Parameter ffn2Weight;
    final Parameter ffn2Bias;

    /** Creates the parameters {@code <prefix>norm1_gain}, ... in this order (the order a saved model lists them). */
    TransformerLayer(Maker maker, String namespace, String prefix, int d, int feedForward, long seed) {
        norm1Gain = ones(maker, prefix + "norm1_gain", d);
        norm1Bias = zeros(maker, prefix + "norm1_bias", d);
        float[] qkv = new float[3 * d * d];
        for (int j = 0; j < 3; j++) {
            float[] w = SeededInit.orthogonal(SeededInit.derive(seed, namespace, prefix + "qkv" + j), d, d);
            System.arraycopy(w, 0, qkv, j * d * d, d * d);
        }
        qkvWeight = maker.make(prefix + "qkv_weight", Parameter.Type.WEIGHT, qkv, new Shape(3L * d, d));
        qkvBias = zeros(maker, prefix + "qkv_bias", 3 * d);
        outWeight = maker.make(prefix + "out_weight", Parameter.Type.WEIGHT,
                SeededInit.orthogonal(SeededInit.derive(seed, namespace, prefix + "out"), d, d), new Shape(d, d));
        outBias = zeros(maker, prefix + "out_bias", d);
        norm2Gain = ones(maker, prefix + "norm2_gain", d);
        norm2Bias = zeros(maker, prefix + "norm2_bias", d);
        ffn1Weight = maker.make(prefix + "ffn1_weight", Parameter.Type.WEIGHT,
                SeededInit.orthogonal(SeededInit.derive(seed, namespace, prefix + "ffn1"), feedForward, d),
                new Shape(feedForward, d));
        ffn1Bias = zeros(maker, prefix + "ffn1_bias", feedForward);
        float[] ffn2 = SeededInit.orthogonal(SeededInit.derive(seed, namespace, prefix + "ffn2"), d, feedForward);
        for (int i = 0; i < ffn2.length; i++) {
            ffn2[i] *= 0.1f;
        }
        ffn2Weight = maker.make(prefix + "ffn2_weight", Parameter.Type.WEIGHT, ffn2, new Shape(d, feedForward));
        ffn2Bias = zeros(maker, prefix + "ffn2_bias", d);
    }

    static Parameter ones(Maker maker, String name, int n) {
        return maker.make(name, Parameter.Type.GAMMA, SeededInit.filled(n, 1f), new Shape(n));
    }

    static Parameter zeros(Maker maker, String name, int n) {
        return maker.make(name, Parameter.Type.BETA, new float[n], new Shape(n));
    }

    /** A snapshot of the current values for the plain-Java path. */
    AttentionJavaPath.Layer snapshot() {
        AttentionJavaPath.Layer v = new AttentionJavaPath.Layer();
        v.norm1Gain = current(norm1Gain);
        v.norm1Bias = current(norm1Bias);
        v.qkvWeight = current(qkvWeight);
        v.qkvBias = current(qkvBias);
        v.outWeight = current(outWeight);
        v.outBias = current(outBias);
        v.norm2Gain = current(norm2Gain);
        v.norm2Bias = current(norm2Bias);
        v.ffn1Weight = current(ffn1Weight);
        v.ffn1Bias = current(ffn1Bias);
        v.ffn2Weight = current(ffn2Weight);
        v.ffn2Bias = current(ffn2Bias);
        return v;
    }

    private static float[] current(Parameter p) {
        return p.getArray().toFloatArray();
    }

    /**
     * One layer on {@code h [B, S, D]} with the additive key mask {@code [B, 1, 1, S]}: the new {@code h} and the
     * attention probabilities {@code [B, heads, S, S]}.
     */
    NDArray[] forward(ParameterStore store, NDArray h, NDArray additive, int heads, float dropout, boolean training) {
        Shape shape = h.getShape();
        long batch = shape.get(0);
        long tokens = shape.get(1);
        int dimension = (int) shape.get(2);
        int headDim = dimension / heads;
        NDArray normed = layerNorm(h, value(store, norm1Gain, h, training), value(store, norm1Bias, h, training));
        NDArray qkv = Linear.linear(normed, value(store, qkvWeight, h, training),
                value(store, qkvBias, h, training)).head(); // [B, S, 3D]
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
        NDArray out = Linear.linear(context, value(store, outWeight, h, training),
                value(store, outBias, h, training)).head();
        h = h.add(maybeDropout(out, dropout, training));
        NDArray normed2 = layerNorm(h, value(store, norm2Gain, h, training), value(store, norm2Bias, h, training));
        NDArray hidden = Activation.gelu(Linear.linear(normed2, value(store, ffn1Weight, h, training),
                value(store, ffn1Bias, h, training)).head());
        NDArray ffn = Linear.linear(hidden, value(store, ffn2Weight, h, training),
                value(store, ffn2Bias, h, training)).head();
        return new NDArray[] {h.add(maybeDropout(ffn, dropout, training)), probabilities};
    }

    private static NDArray value(ParameterStore store, Parameter parameter, NDArray like, boolean training) {
        return store.getValue(parameter, like.getDevice(), training);
    }

    private static NDArray maybeDropout(NDArray x, float dropout, boolean training) {
        return training && dropout > 0 ? Dropout.dropout(x, dropout, true).head() : x;
    }

    /** Layer norm over the last axis (PyTorch's {@code layer_norm}, eps {@link AttentionBlock#LAYER_NORM_EPS}). */
    static NDArray layerNorm(NDArray x, NDArray gain, NDArray bias) {
        long d = x.getShape().get(x.getShape().dimension() - 1);
        return x.getNDArrayInternal().layerNorm(x, new Shape(d), gain, bias, AttentionBlock.LAYER_NORM_EPS).head();
    }
}
