package dev.fusion4j.core.sum;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
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
 * DJL block of {@link WeightedSumFusion}. Parameters: the projections {@code P_m} ({@code [d, d_m]},
 * absent in identity mode), the weight logits {@code a} ({@code [M]}, LEARNED), the gate vector
 * {@code g} ({@code [d]}) and gate biases {@code c} ({@code [M]}) (GATED).
 */
final class WeightedSumBlock extends FusionBlock {
    /** Added to the logit of an absent modality: its softmax weight is exactly 0. */
    static final float MASKED = -1e30f;

    private final int dimension;
    private final WeightMode mode;
    private final float[] fixedWeights;
    private final Parameter[] projections;
    private final Parameter logits;
    private final Parameter gate;
    private final Parameter gateBias;

    WeightedSumBlock(NDManager manager, ModalityLayout layout, int dimension, boolean project, WeightMode mode,
            float[] fixedWeights, long seed) {
        super(layout);
        this.dimension = dimension;
        this.mode = mode;
        this.fixedWeights = fixedWeights;
        int count = layout.count();
        this.projections = new Parameter[project ? count : 0];
        for (int m = 0; m < projections.length; m++) {
            String name = layout.modalities().get(m).name();
            projections[m] = parameter(manager, "projection_" + name, Parameter.Type.WEIGHT,
                    SeededInit.orthogonal(SeededInit.derive(seed, "weighted-sum", "projection", name),
                            dimension, layout.dimension(m)),
                    new Shape(dimension, layout.dimension(m)));
        }
        this.logits = mode == WeightMode.LEARNED
                ? parameter(manager, "logits", Parameter.Type.OTHER, new float[count], new Shape(count)) : null;
        this.gate = mode == WeightMode.GATED
                ? parameter(manager, "gate", Parameter.Type.WEIGHT,
                        SeededInit.gaussian(SeededInit.derive(seed, "weighted-sum", "gate"), dimension, 1.0),
                        new Shape(dimension, 1))
                : null;
        this.gateBias = mode == WeightMode.GATED
                ? parameter(manager, "gate_bias", Parameter.Type.BIAS, new float[count], new Shape(count)) : null;
    }

    @Override
    public int outputDimension() {
        return dimension;
    }

    boolean projects() {
        return projections.length > 0;
    }

    @Override
    protected JavaPath javaPath() {
        float[][] p = null;
        if (projects()) {
            p = new float[projections.length][];
            for (int m = 0; m < p.length; m++) {
                p[m] = current(projections[m]);
            }
        }
        return new WeightedSumJavaPath(layout, dimension, mode, fixedWeights, p,
                logits == null ? null : current(logits), gate == null ? null : current(gate),
                gateBias == null ? null : current(gateBias));
    }

    /** Outputs: the fused {@code [B, d]} and the weights {@code [B, M]}. */
    @Override
    protected NDList compute(ParameterStore store, NDList inputs, boolean training) {
        int count = layout.count();
        NDList projected = new NDList(count);
        for (int m = 0; m < count; m++) {
            NDArray x = inputs.get(m);
            projected.add(projects() ? Linear.linear(x, value(store, projections[m], x, training)).head() : x);
        }
        NDArray stacked = NDArrays.stack(projected, 1); // [B, M, d]
        NDArray mask = mask(inputs);
        NDArray weights;
        if (mode == WeightMode.FIXED) {
            NDArray w = mask.mul(mask.getManager().create(fixedWeights));
            weights = w.div(w.sum(new int[] {1}, true));
        } else {
            NDArray scores;
            if (mode == WeightMode.LEARNED) {
                scores = mask.sub(1f).mul(-MASKED).add(value(store, logits, mask, training));
            } else {
                NDArray g = value(store, gate, mask, training);
                NDArray gated = stacked.tanh().matMul(g).squeeze(2); // [B, M]
                scores = gated.add(value(store, gateBias, mask, training)).add(mask.sub(1f).mul(-MASKED));
            }
            weights = scores.softmax(1);
        }
        NDArray fused = stacked.mul(weights.expandDims(2)).sum(new int[] {1});
        return new NDList(fused, weights);
    }
}
