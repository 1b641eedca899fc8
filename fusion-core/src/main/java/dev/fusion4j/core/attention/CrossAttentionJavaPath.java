package dev.fusion4j.core.attention;

import dev.fusion4j.core.internal.Dense;
import dev.fusion4j.core.internal.JavaPath;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.PackedBatch;
import dev.fusion4j.core.internal.PackedSequences;

/**
 * Plain-Java inference of {@link CrossAttentionBlock} on a snapshot of its parameters. Per record only its valid
 * positions are computed (a padded or absent position is a masked key whose softmax weight is exactly 0): each
 * valid token or region {@code x̂_{m,i}} becomes {@code W_m x̂_{m,i} + e_m + p_{m,i}}, the fusion token enters the
 * first layer as a constant (its query, key and value computed once, when the path is built), every layer but the
 * last runs on all rows, the last one's query, output map and feed-forward on the fusion token alone
 * ({@link AttentionJavaPath#layer}); then the final layer norm of the fusion token. Each record is computed from its
 * own rows in a fixed order, so it gives the same bits alone, in any batch, padded to any length.
 *
 * <p>Outputs: 1, the fused {@code [B, D]}; 2, the fusion token's last-layer attention {@code [B, S − 1]} as the block
 * reports it ({@code S} = 1 + the batch's padded lengths); 3 (inspection only, no block equivalent), every layer's
 * head-averaged attention {@code [L, B, S, S]} with every query computed (the fused output is the same bits).
 */
final class CrossAttentionJavaPath implements JavaPath {
    private final ModalityLayout layout;
    private final int dimension;
    private final int heads;
    private final int feedForward;
    private final float[][][] projections;
    private final float[][] typeEmbeddings;
    private final float[][] positions;
    private final float[] token;
    private final AttentionJavaPath.Layer[] layers;
    private final float[] finalGain;
    private final float[] finalBias;
    private final float[] tokenQuery;
    private final float[] tokenKeyValue;

    CrossAttentionJavaPath(ModalityLayout layout, int dimension, int heads, int feedForward, float[][] projections,
            float[][] typeEmbeddings, float[][] positions, float[] token, AttentionJavaPath.Layer[] layers,
            float[] finalGain, float[] finalBias) {
        this.layout = layout;
        this.dimension = dimension;
        this.heads = heads;
        this.feedForward = feedForward;
        this.projections = new float[projections.length][][];
        for (int m = 0; m < projections.length; m++) {
            this.projections[m] = Dense.columns(projections[m], dimension, layout.dimension(m));
        }
        this.typeEmbeddings = typeEmbeddings;
        this.positions = positions;
        this.token = token;
        for (AttentionJavaPath.Layer l : layers) {
            l.prepare(dimension, feedForward);
        }
        this.layers = layers;
        this.finalGain = finalGain;
        this.finalBias = finalBias;
        float[] normed = new float[dimension];
        Dense.layerNorm(token, 0, dimension, layers[0].norm1Gain, layers[0].norm1Bias, AttentionBlock.LAYER_NORM_EPS,
                normed);
        tokenQuery = Dense.affine(layers[0].queryColumns, layers[0].queryBias, new float[][] {normed}, 1)[0];
        tokenKeyValue = Dense.affine(layers[0].keyValueColumns, layers[0].keyValueBias, new float[][] {normed}, 1)[0];
    }

    @Override
    public float[][] forward(PackedBatch batch, int outputs) {
        int count = layout.count();
        PackedSequences[] sequences = batch.sequences();
        int size = batch.size();
        int d = dimension;
        int[] offsets = new int[count];
        int tokens = 1;
        for (int m = 0; m < count; m++) {
            offsets[m] = tokens;
            tokens += sequences[m].length();
        }
        float[][] h = new float[size * tokens][];
        for (int r = 0; r < size; r++) {
            h[r * tokens] = token.clone();
        }
        for (int m = 0; m < count; m++) {
            embed(m, sequences[m], size, tokens, offsets[m], h);
        }
        int[] live = new int[h.length];
        int liveCount = 0;
        int[] pooled = new int[size];
        for (int t = 0; t < h.length; t++) {
            if (h[t] != null) {
                live[liveCount++] = t;
            }
        }
        for (int r = 0; r < size; r++) {
            pooled[r] = r * tokens;
        }
        boolean inspect = outputs >= 3;
        float[][] probabilities = new float[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            boolean last = l == layers.length - 1 && !inspect;
            probabilities[l] = AttentionJavaPath.layer(layers[l], d, heads, feedForward, l == 0 ? tokenQuery : null,
                    l == 0 ? tokenKeyValue : null, h, tokens, live, liveCount, last ? pooled : live,
                    last ? size : liveCount);
        }
        float[] fused = new float[size * d];
        for (int r = 0; r < size; r++) {
            Dense.layerNorm(h[r * tokens], 0, d, finalGain, finalBias, AttentionBlock.LAYER_NORM_EPS, h[r * tokens]);
            System.arraycopy(h[r * tokens], 0, fused, r * d, d);
        }
        if (outputs == 1) {
            return new float[][] {fused};
        }
        float[] weights = fusionTokenWeights(probabilities[layers.length - 1], size, tokens);
        if (!inspect) {
            return new float[][] {fused, weights};
        }
        float[] all = new float[layers.length * size * tokens * tokens];
        for (int l = 0; l < layers.length; l++) {
            float[] p = probabilities[l];
            for (int q = 0; q < size * tokens; q++) {
                int out = (l * size * tokens + q) * tokens;
                for (int hd = 0; hd < heads; hd++) {
                    int in = (q * heads + hd) * tokens;
                    for (int k = 0; k < tokens; k++) {
                        all[out + k] += p[in + k] / heads;
                    }
                }
            }
        }
        return new float[][] {fused, weights, all};
    }

    /** Rows {@code W_m x̂ + e_m + p_i} of the valid positions of modality {@code m}, into {@code h}. */
    private void embed(int m, PackedSequences s, int size, int tokens, int offset, float[][] h) {
        int d = dimension;
        int width = s.width();
        int n = 0;
        for (int r = 0; r < size; r++) {
            n += s.validLength(r);
        }
        float[][] xs = new float[n][];
        int[] xOffsets = new int[n];
        int[] targets = new int[n];
        int[] position = new int[n];
        int k = 0;
        for (int r = 0; r < size; r++) {
            int valid = s.validLength(r);
            for (int i = 0; i < valid; i++) {
                xs[k] = s.values();
                xOffsets[k] = (r * s.length() + i) * width;
                targets[k] = r * tokens + offset + i;
                position[k++] = i;
            }
        }
        float[][] ys = new float[n][d];
        Dense.multiplyAdd(projections[m], xs, xOffsets, ys, n);
        for (int i = 0; i < n; i++) {
            float[] y = ys[i];
            float[] type = typeEmbeddings[m];
            float[] pos = positions[m];
            int p = position[i] * d;
            for (int j = 0; j < d; j++) {
                y[j] = (y[j] + type[j]) + pos[p + j];
            }
            h[targets[i]] = y;
        }
    }

    /** The fusion token's row averaged over heads and renormalised over the other keys: {@code [size, tokens − 1]}. */
    private float[] fusionTokenWeights(float[] probabilities, int size, int tokens) {
        float[] weights = new float[size * (tokens - 1)];
        for (int r = 0; r < size; r++) {
            double[] w = new double[tokens - 1];
            double total = 0;
            for (int hd = 0; hd < heads; hd++) {
                int off = ((r * tokens) * heads + hd) * tokens;
                for (int k = 1; k < tokens; k++) {
                    w[k - 1] += probabilities[off + k];
                }
            }
            for (double v : w) {
                total += v;
            }
            for (int k = 0; k < tokens - 1; k++) {
                weights[r * (tokens - 1) + k] = (float) (w[k] / total);
            }
        }
        return weights;
    }
}
