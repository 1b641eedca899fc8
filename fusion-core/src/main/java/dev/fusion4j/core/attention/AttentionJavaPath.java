package dev.fusion4j.core.attention;

import dev.fusion4j.core.internal.Dense;
import dev.fusion4j.core.internal.JavaPath;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.PackedBatch;

/**
 * Plain-Java inference of {@link AttentionBlock} on a snapshot of its parameters (weights as
 * {@link Dense#columns}, each streamed once per batch). Per record, only the tokens that matter are computed: the fusion token (if
 * any) and the present modality tokens — an absent token is a masked key whose softmax weight is exactly 0,
 * so it influences nothing. With a fusion token, the last layer's queries, output projection and feed-forward
 * run for the fusion token alone (the only row pooled); keys and values for all live tokens. The fusion token
 * enters the first layer as a constant, so its first-layer query, key and value are computed once, when the
 * path is built. Then:
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
    /** Per modality {@code W_m} as {@link Dense#columns}. */
    private final float[][][] projections;
    private final float[][] typeEmbeddings;
    private final float[] token;
    private final Layer[] layers;
    private final float[] finalGain;
    private final float[] finalBias;
    /** The fusion token's first-layer query and key/value rows (its input is a constant), or null. */
    private final float[] tokenQuery;
    private final float[] tokenKeyValue;

    /** One layer's values (PyTorch layout as given; {@link #prepare} splits and turns weights into columns). */
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
        float[][] queryColumns;
        float[] queryBias;
        float[][] keyValueColumns;
        float[] keyValueBias;
        float[][] outColumns;
        float[][] ffn1Columns;
        float[][] ffn2Columns;

        /** Query rows {@code [0, D)} and key/value rows {@code [D, 3D)} of the packed projection, as columns. */
        void prepare(int d, int feedForward) {
            queryColumns = Dense.columns(java.util.Arrays.copyOfRange(qkvWeight, 0, d * d), d, d);
            keyValueColumns = Dense.columns(java.util.Arrays.copyOfRange(qkvWeight, d * d, 3 * d * d), 2 * d, d);
            queryBias = java.util.Arrays.copyOfRange(qkvBias, 0, d);
            keyValueBias = java.util.Arrays.copyOfRange(qkvBias, d, 3 * d);
            outColumns = Dense.columns(outWeight, d, d);
            ffn1Columns = Dense.columns(ffn1Weight, feedForward, d);
            ffn2Columns = Dense.columns(ffn2Weight, d, feedForward);
            qkvWeight = null;
            outWeight = null;
            ffn1Weight = null;
            ffn2Weight = null;
        }
    }

    /**
     * @param projections per modality {@code W_m [D, d_m]} (PyTorch layout)
     * @param token the fusion token, or null
     * @param layers layer values with weights in PyTorch layout
     */
    AttentionJavaPath(ModalityLayout layout, int dimension, int heads, int feedForward, float[][] projections,
            float[][] typeEmbeddings, float[] token, Layer[] layers, float[] finalGain, float[] finalBias) {
        this.layout = layout;
        this.dimension = dimension;
        this.heads = heads;
        this.feedForward = feedForward;
        this.fusionToken = token != null;
        this.projections = new float[projections.length][][];
        for (int m = 0; m < projections.length; m++) {
            this.projections[m] = Dense.columns(projections[m], dimension, layout.dimension(m));
        }
        this.typeEmbeddings = typeEmbeddings;
        this.token = token;
        for (Layer l : layers) {
            l.prepare(dimension, feedForward);
        }
        this.layers = layers;
        this.finalGain = finalGain;
        this.finalBias = finalBias;
        if (token != null && layers.length > 0) {
            float[] normed = new float[dimension];
            Dense.layerNorm(token, 0, dimension, layers[0].norm1Gain, layers[0].norm1Bias,
                    AttentionBlock.LAYER_NORM_EPS, normed);
            tokenQuery = Dense.affine(layers[0].queryColumns, layers[0].queryBias, new float[][] {normed}, 1)[0];
            tokenKeyValue = Dense.affine(layers[0].keyValueColumns, layers[0].keyValueBias, new float[][] {normed},
                    1)[0];
        } else {
            tokenQuery = null;
            tokenKeyValue = null;
        }
    }

    @Override
    public float[][] forward(PackedBatch batch, int outputs) {
        int count = layout.count();
        int offset = fusionToken ? 1 : 0;
        int tokens = count + offset;
        int size = batch.size();
        int d = dimension;
        // h[r·tokens + t]: the row of token t of record r (null: absent, never computed)
        float[][] h = new float[size * tokens][];
        int[] live = new int[size * tokens];
        int liveCount = 0;
        int[] pooled = new int[size * tokens];
        int pooledCount = 0;
        for (int r = 0; r < size; r++) {
            if (fusionToken) {
                h[r * tokens] = token.clone();
            }
        }
        for (int m = 0; m < count; m++) {
            int[] rows = Dense.presentRows(batch, m);
            float[][] ys = new float[rows.length][d];
            for (int i = 0; i < rows.length; i++) {
                h[rows[i] * tokens + offset + m] = ys[i];
            }
            Dense.multiplyAdd(projections[m], batch, m, rows, ys);
            for (float[] y : ys) {
                Dense.addBias(typeEmbeddings[m], y);
            }
        }
        for (int t = 0; t < h.length; t++) {
            if (h[t] != null) {
                live[liveCount++] = t;
                if (!fusionToken || t % tokens == 0) {
                    pooled[pooledCount++] = t;
                }
            }
        }
        float[] probabilities = null;
        for (int l = 0; l < layers.length; l++) {
            boolean last = l == layers.length - 1;
            probabilities = layer(layers[l], dimension, heads, feedForward, l == 0 ? tokenQuery : null,
                    l == 0 ? tokenKeyValue : null, h, tokens, live, liveCount, last ? pooled : live,
                    last ? pooledCount : liveCount);
        }
        float[][] normed = new float[h.length][];
        for (int i = 0; i < pooledCount; i++) {
            normed[pooled[i]] = new float[d];
            Dense.layerNorm(h[pooled[i]], 0, d, finalGain, finalBias, AttentionBlock.LAYER_NORM_EPS,
                    normed[pooled[i]]);
        }
        float[] fused = new float[size * d];
        float[] weights = new float[size * count];
        for (int r = 0; r < size; r++) {
            if (fusionToken) {
                System.arraycopy(normed[r * tokens], 0, fused, r * d, d);
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
     * Pre-norm layer {@code p} of width {@code d}, in place on the rows of {@code h} listed in {@code queries} (keys
     * and values from all {@code live} rows of the same record: records are consecutive blocks of {@code tokens}
     * rows, null rows are masked). Row 0 of each record is the fusion token; when {@code tokenQuery} is given (the
     * first layer), its query and key/value rows are those constants. Returns the attention probabilities
     * {@code [size·tokens (query), heads, tokens (key)]} (0 for masked keys and uncomputed queries).
     */
    static float[] layer(Layer p, int d, int heads, int feedForward, float[] tokenQuery, float[] tokenKeyValue,
            float[][] h, int tokens, int[] live, int liveCount, int[] queries, int queryCount) {
        int headDim = d / heads;
        float scale = 1.0f / (float) Math.sqrt(headDim);
        boolean constantToken = tokenQuery != null;
        // layer norm of every live row; keys/values of every live row, queries of the query rows (the fusion
        // token's first-layer ones are constants)
        float[][] normed = new float[h.length][];
        float[][] kv = rowsOf(d, new float[h.length][], live, liveCount, constantToken ? tokenKeyValue : null, tokens,
                h, normed, p.norm1Gain, p.norm1Bias, p.keyValueColumns, p.keyValueBias);
        float[][] q = rowsOf(d, new float[h.length][], queries, queryCount, constantToken ? tokenQuery : null, tokens,
                h, normed, p.norm1Gain, p.norm1Bias, p.queryColumns, p.queryBias);
        float[] probabilities = new float[h.length * heads * tokens];
        float[][] values = new float[h.length][];
        for (int i = 0; i < liveCount; i++) {
            values[live[i]] = java.util.Arrays.copyOfRange(kv[live[i]], d, 2 * d);
        }
        float[] weight = new float[d];
        float[][] contexts = new float[queryCount][d];
        double[] scores = new double[tokens];
        for (int qi = 0; qi < queryCount; qi++) {
            int t = queries[qi];
            int first = t - t % tokens;
            float[] query = q[t];
            float[] context = contexts[qi];
            for (int hd = 0; hd < heads; hd++) {
                int qOff = hd * headDim;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = first; k < first + tokens; k++) {
                    if (kv[k] == null) {
                        continue;
                    }
                    float dot = (float) Dense.dot(query, qOff, kv[k], qOff, headDim);
                    double s = dot * scale;
                    scores[k - first] = s;
                    max = Math.max(max, s);
                }
                double total = 0;
                for (int k = first; k < first + tokens; k++) {
                    if (kv[k] != null) {
                        double e = Math.exp(scores[k - first] - max);
                        scores[k - first] = e;
                        total += e;
                    }
                }
                int pOff = (t * heads + hd) * tokens;
                for (int k = first; k < first + tokens; k++) {
                    if (kv[k] != null) {
                        probabilities[pOff + k - first] = (float) (scores[k - first] / total);
                    }
                }
            }
            // context += p_k ⊙ v_k over the keys in order, every head at once (each element sums its own head's
            // products in key order, as a per-head loop would: the same bits, in a loop C2 vectorises)
            for (int k = first; k < first + tokens; k++) {
                if (kv[k] == null) {
                    continue;
                }
                for (int hd = 0; hd < heads; hd++) {
                    java.util.Arrays.fill(weight, hd * headDim, (hd + 1) * headDim,
                            probabilities[(t * heads + hd) * tokens + k - first]);
                }
                float[] value = values[k];
                for (int i = 0; i < d; i++) {
                    context[i] += weight[i] * value[i];
                }
            }
        }
        float[][] out = Dense.affine(p.outColumns, p.outBias, contexts, queryCount);
        for (int qi = 0; qi < queryCount; qi++) {
            float[] row = h[queries[qi]];
            for (int i = 0; i < d; i++) {
                row[i] += out[qi][i];
            }
            Dense.layerNorm(row, 0, d, p.norm2Gain, p.norm2Bias, AttentionBlock.LAYER_NORM_EPS, out[qi]);
        }
        float[][] hidden = Dense.affine(p.ffn1Columns, p.ffn1Bias, out, queryCount);
        for (float[] row : hidden) {
            for (int i = 0; i < feedForward; i++) {
                row[i] = Dense.gelu(row[i]);
            }
        }
        float[][] ffn = Dense.affine(p.ffn2Columns, p.ffn2Bias, hidden, queryCount);
        for (int qi = 0; qi < queryCount; qi++) {
            float[] row = h[queries[qi]];
            for (int i = 0; i < d; i++) {
                row[i] += ffn[qi][i];
            }
        }
        return probabilities;
    }

    /**
     * Into {@code into[t]} for the rows {@code t} listed: {@code W LN(h_t) + b} (LN with the given gain and bias,
     * kept in {@code normed}), or {@code constant} for a fusion-token row when given. Returns {@code into}.
     */
    private static float[][] rowsOf(int dimension, float[][] into, int[] rows, int count, float[] constant,
            int tokens, float[][] h, float[][] normed, float[] gain, float[] bias, float[][] cols, float[] affineBias) {
        float[][] xs = new float[count][];
        int[] targets = new int[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            int t = rows[i];
            if (constant != null && t % tokens == 0) {
                into[t] = constant;
                continue;
            }
            if (normed[t] == null) {
                normed[t] = new float[dimension];
                Dense.layerNorm(h[t], 0, dimension, gain, bias, AttentionBlock.LAYER_NORM_EPS, normed[t]);
            }
            xs[n] = normed[t];
            targets[n++] = t;
        }
        float[][] ys = Dense.affine(cols, affineBias, xs, n);
        for (int i = 0; i < n; i++) {
            into[targets[i]] = ys[i];
        }
        return into;
    }

    /** Mean of the layer-normed present modality tokens of record {@code r} (no fusion token). */
    private void meanOfPresent(PackedBatch batch, int r, float[][] normed, int tokens, float[] fused) {
        int d = dimension;
        int present = 0;
        for (int m = 0; m < layout.count(); m++) {
            if (batch.present(r, m)) {
                present++;
                float[] row = normed[r * tokens + m];
                for (int i = 0; i < d; i++) {
                    fused[r * d + i] += row[i];
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
