package dev.fusion4j.core.bilinear;

import dev.fusion4j.core.internal.Dense;
import dev.fusion4j.core.internal.JavaPath;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.PackedBatch;

/**
 * Plain-Java inference of {@link LowRankBilinearBlock} on a snapshot of its parameters:
 * {@code u_m = A_m x̂_m + b_m} for the present modalities ({@code b_m} alone where absent; {@code A_m}
 * ({@link Dense#columns}) streamed once per batch), the product {@code Π_m u_m} in modality order minus the constant
 * {@code Π_m b_m}, sum-pooled by the factor.
 */
final class LowRankJavaPath implements JavaPath {
    private final ModalityLayout layout;
    private final int rank;
    private final int factor;
    /** Factors {@code A_m} as {@link Dense#columns} ({@code [d_m][k]}). */
    private final float[][][] weights;
    private final float[][] constants;
    private final float[] constant;

    LowRankJavaPath(ModalityLayout layout, int rank, int factor, float[][] weights, float[][] constants) {
        this.layout = layout;
        this.rank = rank;
        this.factor = factor;
        this.weights = new float[weights.length][][];
        for (int m = 0; m < weights.length; m++) {
            this.weights[m] = Dense.columns(weights[m], rank, layout.dimension(m));
        }
        this.constants = constants;
        this.constant = new float[rank];
        java.util.Arrays.fill(constant, 1f);
        for (float[] b : constants) {
            for (int i = 0; i < rank; i++) {
                constant[i] *= b[i];
            }
        }
    }

    @Override
    public float[][] forward(PackedBatch batch, int outputs) {
        int size = batch.size();
        int out = rank / factor;
        float[][] product = new float[size][];
        float[][] u = new float[size][rank];
        for (int m = 0; m < layout.count(); m++) {
            for (float[] row : u) {
                java.util.Arrays.fill(row, 0f);
            }
            int[] rows = Dense.presentRows(batch, m);
            float[][] ys = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                ys[i] = u[rows[i]];
            }
            Dense.multiplyAdd(weights[m], batch, m, rows, ys);
            for (int r = 0; r < size; r++) {
                float[] ur = u[r];
                Dense.addBias(constants[m], ur);
                if (m == 0) {
                    product[r] = ur.clone();
                } else {
                    float[] pr = product[r];
                    for (int i = 0; i < rank; i++) {
                        pr[i] *= ur[i];
                    }
                }
            }
        }
        float[] z = new float[size * out];
        for (int r = 0; r < size; r++) {
            float[] pr = product[r];
            for (int i = 0; i < rank; i++) {
                pr[i] -= constant[i];
            }
            if (factor == 1) {
                System.arraycopy(pr, 0, z, r * out, rank);
            } else {
                Dense.sumPool(pr, factor, z, r * out, out);
            }
        }
        return new float[][] {z};
    }
}
