package dev.fusion4j.core.bilinear;

import dev.fusion4j.core.internal.Dense;
import dev.fusion4j.core.internal.JavaPath;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.PackedBatch;

/**
 * Plain-Java inference of {@link LowRankBilinearBlock} on a snapshot of its parameters:
 * {@code u_m = A_m x̂_m + b_m} for the present modalities ({@code b_m} alone where absent; transposed
 * {@code A_m} streamed once per batch), the product {@code Π_m u_m} in modality order minus the constant
 * {@code Π_m b_m}, sum-pooled by the factor.
 */
final class LowRankJavaPath implements JavaPath {
    private final ModalityLayout layout;
    private final int rank;
    private final int factor;
    /** Transposed factors {@code A_mᵀ [d_m, k]}. */
    private final float[][] weights;
    private final float[][] constants;
    private final float[] constant;

    LowRankJavaPath(ModalityLayout layout, int rank, int factor, float[][] weights, float[][] constants) {
        this.layout = layout;
        this.rank = rank;
        this.factor = factor;
        this.weights = new float[weights.length][];
        for (int m = 0; m < weights.length; m++) {
            this.weights[m] = Dense.transpose(weights[m], rank, layout.dimension(m));
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
    public long work() {
        return (long) rank * (layout.totalDimension() + layout.count());
    }

    @Override
    public float[][] forward(PackedBatch batch, int outputs) {
        int size = batch.size();
        int out = rank / factor;
        float[] product = new float[size * rank];
        float[] u = new float[size * rank];
        int[] all = Dense.range(size);
        for (int m = 0; m < layout.count(); m++) {
            java.util.Arrays.fill(u, 0f);
            int[] rows = Dense.presentRows(batch, m);
            Dense.multiplyAdd(weights[m], layout.dimension(m), rank, batch.inputs()[m], u, rows, rows.length);
            Dense.addBias(constants[m], u, all, size);
            if (m == 0) {
                System.arraycopy(u, 0, product, 0, u.length);
            } else {
                for (int i = 0; i < product.length; i++) {
                    product[i] *= u[i];
                }
            }
        }
        float[] z = new float[size * out];
        for (int r = 0; r < size; r++) {
            int p0 = r * rank;
            for (int i = 0; i < rank; i++) {
                product[p0 + i] -= constant[i];
            }
            if (factor == 1) {
                System.arraycopy(product, p0, z, r * out, rank);
            } else {
                float[] row = java.util.Arrays.copyOfRange(product, p0, p0 + rank);
                Dense.sumPool(row, factor, z, r * out, out);
            }
        }
        return new float[][] {z};
    }
}
