package dev.fusion4j.core.bilinear;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dev.fusion4j.core.internal.FusionBlock;
import dev.fusion4j.core.internal.JavaPath;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.SeededInit;

/**
 * DJL block of {@link LowRankBilinearFusion}. Parameters per modality: {@code A_m} ({@code [k, d_m]},
 * random orthogonal with norm-keeping scale, seeded by modality name) and {@code b_m} ({@code [k]},
 * ones), together the factor {@code U_m = [A_m | b_m]} applied to {@code [x̂_m, 1]}.
 */
final class LowRankBilinearBlock extends FusionBlock {
    private final int rank;
    private final int factor;
    private final Parameter[] weights;
    private final Parameter[] constants;

    LowRankBilinearBlock(NDManager manager, ModalityLayout layout, int rank, int factor, long seed) {
        super(layout);
        this.rank = rank;
        this.factor = factor;
        weights = new Parameter[layout.count()];
        constants = new Parameter[layout.count()];
        for (int m = 0; m < layout.count(); m++) {
            String name = layout.modalities().get(m).name();
            weights[m] = parameter(manager, "factor_" + name, Parameter.Type.WEIGHT,
                    SeededInit.orthogonal(SeededInit.derive(seed, "low-rank", name), rank, layout.dimension(m)),
                    new Shape(rank, layout.dimension(m)));
            constants[m] = parameter(manager, "constant_" + name, Parameter.Type.BIAS, SeededInit.filled(rank, 1f),
                    new Shape(rank));
        }
    }

    @Override
    public int outputDimension() {
        return rank / factor;
    }

    @Override
    protected JavaPath javaPath() {
        float[][] a = new float[weights.length][];
        float[][] b = new float[constants.length][];
        for (int m = 0; m < a.length; m++) {
            a[m] = current(weights[m]);
            b[m] = current(constants[m]);
        }
        return new LowRankJavaPath(layout, rank, factor, a, b);
    }

    @Override
    protected NDList compute(ParameterStore store, NDList inputs, boolean training) {
        NDManager manager = mask(inputs).getManager();
        NDArray product = null;
        NDArray constant = manager.ones(new Shape(1, rank));
        for (int m = 0; m < layout.count(); m++) {
            NDArray x = inputs.get(m);
            NDArray b = value(store, constants[m], x, training);
            // U_m [x, 1] = A_m x + b_m; an absent x is zeros, giving exactly b_m
            NDArray u = Linear.linear(x, value(store, weights[m], x, training), b).head();
            product = product == null ? u : product.mul(u);
            constant = constant.mul(b);
        }
        NDArray centred = product.sub(constant);
        if (factor > 1) {
            long batch = centred.getShape().get(0);
            centred = centred.reshape(batch, rank / factor, factor).sum(new int[] {2});
        }
        return new NDList(centred);
    }
}
