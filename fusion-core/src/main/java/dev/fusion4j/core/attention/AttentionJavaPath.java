package dev.fusion4j.core.attention;

import dev.fusion4j.core.internal.Dense;
import dev.fusion4j.core.internal.JavaPath;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.PackedBatch;

/**
 * Plain-Java inference of {@link AttentionBlock} on a snapshot of its parameters (weights transposed so each
 * is streamed once per batch). Per record, only the tokens that matter are computed: the fusion token (if
 * any) and the present modality tokens — an absent token is a masked key whose softmax weight is exactly 0,
 * so it influences nothing. With a fusion token, the last layer's queries, output projection and feed-forward
 * run for the fusion token alone (the only row pooled); keys and values for all live tokens. Then:
 * {@code t_m = W_m x̂_m + e_m}; per pre-norm layer {@code h += W_o softmax(q kᵀ/√(D/h)) v + b_o} (per head,
 * over the live keys, in double) and {@code h += W_2 GELU(W_1 LN(h) + b_1) + b_2} (exact GELU,
 * {@link Dense#gelu}); the final layer norm; the fusion token, or the mean over the present tokens. The
 * attention weights are those of the last layer, as the block reports them.
 */
final class AttentionJavaPath implements JavaPath {
    private final ModalityLayout layout;
    private final int dimension;
    private final int heads;
    private final int feedForward;
    private final boolean fusionToken;
    private final float[][] projections;
    private final float[][] typeEmbeddings;
    private final float[] token;
    private final Layer[] layers;
    private final float[] finalGain;
    private final float[] finalBias;

    /** One layer's values; weights transposed to {@code [in, out]}. */
    static final class Layer {
        float[] norm1Gain;
        float[] norm1Bias;
        float[] qkvWeight;
        float[] qkvBias;
        float[] outWeight;
        float[] outBias;
        float[] norm2Gain;
        float[] norm2Bias;
        float[] ffn1Weight;
        float[] ffn1Bias;
        float[] ffn2Weight;
        float[] ffn2Bias;
    }

    /**
     * @param projections per modality {@code W_m [D, d_m]} (PyTorch layout; transposed here)
     * @param token the fusion token, or null
     * @param layers layer values with weights in PyTorch layout (transposed here)
     */
    AttentionJavaPath(ModalityLayout layout, int dimension, int heads, int feedForward, float[][] projections,
            float[][] typeEmbeddings, float[] token, Layer[] layers, float[] finalGain, float[] finalBias) {
        this.layout = layout;
        this.dimension = dimension;
        this.heads = heads;
        this.feedForward = feedForward;
        this.fusionToken = token != null;
        this.projections = projections;
        for (int m = 0; m < projections.length; m++) {
            projections[m] = Dense.transpose(projections[m], dimension, layout.dimension(m));
        }
        this.typeEmbeddings = typeEmbeddings;
        this.token = token;
        for (Layer l : layers) {
            l.qkvWeight = Dense.transpose(l.qkvWeight, 3 * dimension, dimension);
            l.outWeight = Dense.transpose(l.outWeight, dimension, dimension);
            l.ffn1Weight = Dense.transpose(l.ffn1Weight, feedForward, dimension);
            l.ffn2Weight = Dense.transpose(l.ffn2Weight, dimension, feedForward);
        }
        this.layers = layers;
        this.finalGain = finalGain;
        this.finalBias = finalBias;
    }

    /** Projections, then per layer and token Q/K/V, output and feed-forward maps. */
    @Override
    public long work() {
        long tokens = layout.count() + (fusionToken ? 1 : 0);
        long perToken = 4L * dimension * dimension + 2L * dimension * feedForward;
        return (long) layout.totalDimension() * dimension + layers.length * tokens * perToken;
    }

    @Override
    public float[][] forward(PackedBatch batch, int outputs) {
        int count = layout.count();
        int offset = fusionToken ? 1 : 0;
        int tokens = count + offset;
        int size = batch.size();
        int d = dimension;
        // h: [size · tokens, D]; row (r, t) at r·tokens + t
        float[] h = new float[size * tokens * d];
        int[] live = new int[size * tokens];
        int liveCount = 0;
        int[] pooled = new int[size * tokens];
        int pooledCount = 0;
        for (int r = 0; r < size; r++) {
            if (fusionToken) {
                System.arraycopy(token, 0, h, r * tokens * d, d);
                live[liveCount++] = r * tokens;
                pooled[pooledCount++] = r * tokens;
            }
        }
        for (int m = 0; m < count; m++) {
            int[] rows = Dense.presentRows(batch, m);
            int[] target = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                target[i] = rows[i] * tokens + offset + m;
                live[liveCount++] = target[i];
                if (!fusionToken) {
                    pooled[pooledCount++] = target[i];
                }
            }
            Dense.multiplyAdd(projections[m], layout.dimension(m), d, batch.inputs()[m], rows, h, target, rows.length);
            Dense.addBias(typeEmbeddings[m], h, target, target.length);
        }
        java.util.Arrays.sort(live, 0, liveCount);
        java.util.Arrays.sort(pooled, 0, pooledCount);
        float[] probabilities = null;
        for (int l = 0; l < layers.length; l++) {
            boolean last = l == layers.length - 1;
            probabilities = layer(layers[l], h, tokens, size, live, liveCount,
                    last ? pooled : live, last ? pooledCount : liveCount);
        }
        float[] normed = new float[h.length];
        for (int i = 0; i < pooledCount; i++) {
            Dense.layerNorm(h, pooled[i] * d, d, finalGain, finalBias, AttentionBlock.LAYER_NORM_EPS, normed);
        }
        float[] fused = new float[size * d];
        float[] weights = new float[size * count];
        for (int r = 0; r < size; r++) {
            if (fusionToken) {
                System.arraycopy(normed, r * tokens * d, fused, r * d, d);
            } else {
                meanOfPresent(batch, r, normed, tokens, fused);
            }
            if (outputs > 1) {
                attentionWeights(batch, r, probabilities, tokens, weights);
            }
        }
        return outputs == 1 ? new float[][] {fused} : new float[][] {fused, weights};
    }

    /**
     * One pre-norm layer, in place on {@code h}, for the rows in {@code queries} (keys and values from all
     * {@code live} rows of the same record). Returns the attention probabilities {@code [size·tokens (query),
     * heads, tokens (key)]} (0 for masked keys and uncomputed queries).
     */
    private float[] layer(Layer p, float[] h, int tokens, int size, int[] live, int liveCount, int[] queries,
            int queryCount) {
        int d = dimension;
        int headDim = d / heads;
        float scale = 1.0f / (float) Math.sqrt(headDim);
        float[] normed = new float[h.length];
        for (int i = 0; i < liveCount; i++) {
            Dense.layerNorm(h, live[i] * d, d, p.norm1Gain, p.norm1Bias, AttentionBlock.LAYER_NORM_EPS, normed);
        }
        float[] qkv = new float[size * tokens * 3 * d];
        Dense.multiplyAdd(p.qkvWeight, d, 3 * d, normed, qkv, live, liveCount);
        Dense.addBias(p.qkvBias, qkv, live, liveCount);
        float[] probabilities = new float[size * tokens * heads * tokens];
        float[] context = new float[size * tokens * d];
        double[] scores = new double[tokens];
        for (int qi = 0; qi < queryCount; qi++) {
            int q = queries[qi];
            int record = q / tokens;
            for (int hd = 0; hd < heads; hd++) {
                int qOff = q * 3 * d + hd * headDim;
                double max = Double.NEGATIVE_INFINITY;
                for (int ki = 0; ki < liveCount; ki++) {
                    int k = live[ki];
                    if (k / tokens != record) {
                        continue;
                    }
                    float dot = (float) Dense.dot(qkv, qOff, qkv, k * 3 * d + d + hd * headDim, headDim);
                    double s = dot * scale;
                    scores[k - record * tokens] = s;
                    max = Math.max(max, s);
                }
                double total = 0;
                for (int ki = 0; ki < liveCount; ki++) {
                    int k = live[ki];
                    if (k / tokens == record) {
                        double e = Math.exp(scores[k - record * tokens] - max);
                        scores[k - record * tokens] = e;
                        total += e;
                    }
                }
                int pOff = (q * heads + hd) * tokens;
                int cOff = q * d + hd * headDim;
                for (int ki = 0; ki < liveCount; ki++) {
                    int k = live[ki];
                    if (k / tokens != record) {
                        continue;
                    }
                    float prob = (float) (scores[k - record * tokens] / total);
                    probabilities[pOff + k - record * tokens] = prob;
                    int vOff = k * 3 * d + 2 * d + hd * headDim;
                    for (int i = 0; i < headDim; i++) {
                        context[cOff + i] += prob * qkv[vOff + i];
                    }
                }
            }
        }
        float[] out = new float[h.length];
        Dense.multiplyAdd(p.outWeight, d, d, context, out, queries, queryCount);
        Dense.addBias(p.outBias, out, queries, queryCount);
        for (int qi = 0; qi < queryCount; qi++) {
            int o = queries[qi] * d;
            for (int i = 0; i < d; i++) {
                h[o + i] += out[o + i];
            }
            Dense.layerNorm(h, o, d, p.norm2Gain, p.norm2Bias, AttentionBlock.LAYER_NORM_EPS, normed);
        }
        float[] hidden = new float[size * tokens * feedForward];
        Dense.multiplyAdd(p.ffn1Weight, d, feedForward, normed, hidden, queries, queryCount);
        Dense.addBias(p.ffn1Bias, hidden, queries, queryCount);
        for (int qi = 0; qi < queryCount; qi++) {
            int o = queries[qi] * feedForward;
            for (int i = 0; i < feedForward; i++) {
                hidden[o + i] = Dense.gelu(hidden[o + i]);
            }
        }
        java.util.Arrays.fill(out, 0f);
        Dense.multiplyAdd(p.ffn2Weight, feedForward, d, hidden, out, queries, queryCount);
        Dense.addBias(p.ffn2Bias, out, queries, queryCount);
        for (int qi = 0; qi < queryCount; qi++) {
            int o = queries[qi] * d;
            for (int i = 0; i < d; i++) {
                h[o + i] += out[o + i];
            }
        }
        return probabilities;
    }

    /** Mean of the layer-normed present modality tokens of record {@code r} (no fusion token). */
    private void meanOfPresent(PackedBatch batch, int r, float[] normed, int tokens, float[] fused) {
        int d = dimension;
        int present = 0;
        for (int m = 0; m < layout.count(); m++) {
            if (batch.present(r, m)) {
                present++;
                int t = (r * tokens + m) * d;
                for (int i = 0; i < d; i++) {
                    fused[r * d + i] += normed[t + i];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            fused[r * d + i] /= present;
        }
    }

    /**
     * The block's per-modality weights of record {@code r} from the last layer's probabilities: the fusion
     * token's row averaged over heads and renormalised over the modality keys; or, without a fusion token,
     * the present queries' rows summed, averaged over heads and divided by the number present.
     */
    private void attentionWeights(PackedBatch batch, int r, float[] probabilities, int tokens, float[] weights) {
        int count = layout.count();
        int offset = fusionToken ? 1 : 0;
        double[] w = new double[count];
        int present = 0;
        for (int q = 0; q < tokens; q++) {
            boolean query = fusionToken ? q == 0 : batch.present(r, q);
            if (!query) {
                continue;
            }
            present++;
            for (int hd = 0; hd < heads; hd++) {
                int pOff = ((r * tokens + q) * heads + hd) * tokens;
                for (int m = 0; m < count; m++) {
                    w[m] += probabilities[pOff + offset + m];
                }
            }
        }
        double total = 0;
        for (int m = 0; m < count; m++) {
            total += w[m];
        }
        for (int m = 0; m < count; m++) {
            weights[r * count + m] = (float) (fusionToken ? w[m] / total : w[m] / heads / present);
        }
    }
}
