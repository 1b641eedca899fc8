package dev.fusion4j.core.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.concurrent.atomic.AtomicLong;

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
 *
 * <p><b>Parameter version.</b> A block may offer a plain-Java inference path ({@link #javaPath()}), built on
 * a snapshot of its parameter values. The snapshot is keyed on {@link #parameterVersion()}, which moves
 * whenever the values may have changed:
 * <ul>
 *   <li>every forward pass in training mode bumps it and marks the parameters <em>in flux</em>: an optimizer
 *       step (AdamW updates the arrays in place, unseen by the block) follows a training forward, so from then
 *       on the strategy computes on the block, which always reads the live values, until
 *   <li>{@link #parametersChanged()}, the invalidation hook, is called: whoever writes parameter values
 *       ({@code getArray().set(..)}, an optimizer loop when it is done) calls it; the next call re-snapshots.
 * </ul>
 * So an untrained or loaded strategy is fast, a strategy under training is exact, and a trained one is fast
 * again once its trainer calls the hook.
 */
public abstract class FusionBlock extends AbstractBlock {
    protected final ModalityLayout layout;
    private final AtomicLong parameterVersion = new AtomicLong();
    private volatile boolean inFlux;

    protected FusionBlock(ModalityLayout layout) {
        this.layout = layout;
    }

    /** A counter that moves whenever parameter values may have changed (see the class comment). */
    public final long parameterVersion() {
        return parameterVersion.get();
    }

    /** Whether a training forward ran since the last {@link #parametersChanged()} (values may be changing). */
    public final boolean parametersInFlux() {
        return inFlux;
    }

    /**
     * Invalidation hook: the parameter values were changed (or training is over); the plain-Java path
     * re-snapshots them on its next call.
     */
    public final void parametersChanged() {
        inFlux = false;
        parameterVersion.incrementAndGet();
    }

    /**
     * A plain-Java inference path on a snapshot of the current parameter values, or null if this block has
     * none (the strategy then always computes on the block). Called under the strategy's read lock.
     */
    protected JavaPath javaPath() {
        return null;
    }

    /** A copy of the current value of {@code parameter} (one native read). */
    protected static float[] current(Parameter parameter) {
        return parameter.getArray().toFloatArray();
    }

    @Override
    protected final NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (training && !getParameters().isEmpty()) {
            inFlux = true;
            parameterVersion.incrementAndGet();
        }
        return compute(store, inputs, training);
    }

    /** The forward pass (see the class comment for the input and output convention). */
    protected abstract NDList compute(ParameterStore store, NDList inputs, boolean training);

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
