package dev.fusion4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * A DJL block computing a fusion, so that a trainer can optimise its {@link Parameter}s.
 *
 * <p>Input convention: an {@link NDList} of the {@code M} per-modality arrays {@code x_m} of shape
 * {@code [B, d_m]} (zeros where absent, already L2-normalised if the strategy normalises), followed by
 * the presence mask of shape {@code [B, M]} (1 present, 0 absent). Output: an {@link NDList} whose head
 * is the fused {@code [B, out]} array; a block may append extra outputs (attention weights).
 *
 * <p>Parameters are created already initialised (deterministic values computed in Java) on the
 * strategy's long-lived manager. Implementations must put an input (child-manager) array first in
 * every binary operation, so results attach to the per-call manager, never to the parameter manager.
 */
public abstract class FusionBlock extends AbstractBlock {
    protected final ModalityLayout layout;

    protected FusionBlock(ModalityLayout layout) {
        this.layout = layout;
    }

    /** Dimension of the fused output. */
    public abstract int outputDimension();

    /** Adds a parameter holding {@code values} with {@code shape}, created on {@code manager}. */
    protected final Parameter parameter(NDManager manager, String name, Parameter.Type type, float[] values,
            Shape shape) {
        NDArray array = manager.create(values, shape);
        return addParameter(Parameter.builder().setName(name).setType(type).optArray(array).build());
    }

    /** The current value of {@code parameter} from the store (no copy). */
    protected static NDArray value(ParameterStore store, Parameter parameter, NDArray like, boolean training) {
        return store.getValue(parameter, like.getDevice(), training);
    }

    /** The presence mask (last input). */
    protected static NDArray mask(NDList inputs) {
        return inputs.get(inputs.size() - 1);
    }

    /** Column {@code m} of the mask as {@code [B, 1]}. */
    protected static NDArray presence(NDList inputs, int m) {
        return mask(inputs).get(new NDIndex().addAllDim().addSliceDim(m, m + 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outputDimension())};
    }
}
