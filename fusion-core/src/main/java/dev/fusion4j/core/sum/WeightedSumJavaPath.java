package dev.fusion4j.core.sum;

import dev.fusion4j.core.internal.Dense;
import dev.fusion4j.core.internal.JavaPath;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.PackedBatch;

/**
 * Plain-Java inference of {@link WeightedSumBlock} on a snapshot of its parameters: the projections
 * {@code y_m = P_m x̂_m} of the present modalities only (weights as {@link Dense#columns}, streamed once per batch), the
 * weights (fixed, softmax of the logits, or softmax of {@code g·tanh(y_m) + b_m}, over the present modalities,
 * in double) and {@code z = Σ_m w_m y_m} in modality order. Outputs the fused rows and the weights.
 */
final class WeightedSumJavaPath implements JavaPath {
    private final ModalityLayout layout;
    private final int dimension;
    private final WeightMode mode;
    private final float[] fixedWeights;
    /** Projections as {@link Dense#columns} ({@code [d_m][d]}), or null (identity). */
    private final float[][][] projections;
    private final float[] logits;
    private final float[] gate;
    private final float[] gateBias;

    WeightedSumJavaPath(ModalityLayout layout, int dimension, WeightMode mode, float[] fixedWeights,
            float[][] projections, float[] logits, float[] gate, float[] gateBias) {
        this.layout = layout;
        this.dimension = dimension;
        this.mode = mode;
        this.fixedWeights = fixedWeights;
        this.projections = projections == null ? null : new float[projections.length][][];
        this.logits = logits;
        this.gate = gate;
        this.gateBias = gateBias;
        if (projections != null) {
            for (int m = 0; m < projections.length; m++) {
                this.projections[m] = Dense.columns(projections[m], dimension, layout.dimension(m));
            }
        }
    }

    @Override
    public float[][] forward(PackedBatch batch, int outputs) {
        int count = layout.count();
        int size = batch.size();
        int d = dimension;
        // projected[m][r]: y_m of record r (zeros where absent)
        float[][][] projected = new float[count][size][];
        for (int m = 0; m < count; m++) {
            float[] x = batch.inputs()[m];
            if (projections == null) {
                for (int r = 0; r < size; r++) {
                    projected[m][r] = java.util.Arrays.copyOfRange(x, r * d, r * d + d); // identity
                }
            } else {
                int[] rows = Dense.presentRows(batch, m);
                float[][] ys = new float[rows.length][];
                for (int r = 0; r < size; r++) {
                    projected[m][r] = new float[d];
                }
                for (int i = 0; i < rows.length; i++) {
                    ys[i] = projected[m][rows[i]];
                }
                Dense.multiplyAdd(projections[m], batch, m, rows, ys);
            }
        }
        float[] fused = new float[size * d];
        float[] weights = new float[size * count];
        double[] scores = new double[count];
        float[] sum = new float[d];
        for (int r = 0; r < size; r++) {
            rowWeights(batch, r, projected, scores, weights);
            java.util.Arrays.fill(sum, 0f);
            for (int m = 0; m < count; m++) {
                float w = weights[r * count + m];
                if (w == 0f) {
                    continue;
                }
                float[] y = projected[m][r];
                for (int i = 0; i < d; i++) {
                    sum[i] += w * y[i];
                }
            }
            System.arraycopy(sum, 0, fused, r * d, d);
        }
        return outputs == 1 ? new float[][] {fused} : new float[][] {fused, weights};
    }

    /** The weights of row {@code r} into {@code weights[r·M, +M)}: 0 where absent, summing to 1. */
    private void rowWeights(PackedBatch batch, int r, float[][][] projected, double[] scores, float[] weights) {
        int count = layout.count();
        if (mode == WeightMode.FIXED) {
            float total = 0f;
            for (int m = 0; m < count; m++) {
                total += batch.present(r, m) ? fixedWeights[m] : 0f;
            }
            for (int m = 0; m < count; m++) {
                weights[r * count + m] = batch.present(r, m) ? fixedWeights[m] / total : 0f;
            }
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < count; m++) {
            if (!batch.present(r, m)) {
                continue;
            }
            double s;
            if (mode == WeightMode.LEARNED) {
                s = logits[m];
            } else {
                float[] y = projected[m][r];
                s = 0;
                for (int i = 0; i < dimension; i++) {
                    s += gate[i] * tanh(y[i]);
                }
                s += gateBias[m];
            }
            scores[m] = s;
            max = Math.max(max, s);
        }
        double total = 0;
        for (int m = 0; m < count; m++) {
            if (batch.present(r, m)) {
                scores[m] = Math.exp(scores[m] - max);
                total += scores[m];
            }
        }
        for (int m = 0; m < count; m++) {
            weights[r * count + m] = batch.present(r, m) ? (float) (scores[m] / total) : 0f;
        }
    }

    /**
     * {@code tanh v} from the intrinsic {@link Math#exp} ({@code (1 − e^{−2|v|}) / (1 + e^{−2|v|})}, signed): within
     * about 1e-16 of {@link Math#tanh}, which (fdlibm, not intrinsic) cost ~40 ns a call, 60 µs per 768-d record pair.
     */
    static double tanh(double v) {
        double t = Math.exp(-2 * Math.abs(v));
        double r = (1 - t) / (1 + t);
        return v < 0 ? -r : r;
    }
}
