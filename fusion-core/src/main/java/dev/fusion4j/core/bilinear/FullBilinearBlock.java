package dev.fusion4j.core.bilinear;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.fusion4j.core.internal.FusionBlock;
import dev.fusion4j.core.internal.ModalityLayout;

/** DJL block of {@link FullBilinearFusion} (no parameters). */
final class FullBilinearBlock extends FusionBlock {

    FullBilinearBlock(ModalityLayout layout) {
        super(layout);
    }

    @Override
    public int outputDimension() {
        return (layout.dimension(0) + 1) * (layout.dimension(1) + 1);
    }

    @Override
    protected NDList compute(ParameterStore store, NDList inputs, boolean training) {
        NDArray x = extended(inputs.get(0));
        NDArray y = extended(inputs.get(1));
        long batch = x.getShape().get(0);
        NDArray outer = x.expandDims(2).mul(y.expandDims(1)).reshape(batch, outputDimension());
        NDArray signedSqrt = outer.sign().mul(outer.abs().sqrt());
        // the constant entry 1·1 keeps the norm at least 1: no division by zero
        return new NDList(signedSqrt.div(signedSqrt.norm(new int[] {1}, true)));
    }

    /** {@code [x, 1]}: absent inputs are zeros, so they become {@code (0, ..., 0, 1)}. */
    static NDArray extended(NDArray x) {
        return x.concat(x.getManager().ones(new Shape(x.getShape().get(0), 1)), 1);
    }
}
