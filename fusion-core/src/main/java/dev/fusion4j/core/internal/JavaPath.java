package dev.fusion4j.core.internal;

/**
 * A plain-Java inference path of a {@link FusionBlock}: the same function as the block's forward pass
 * (inference mode), computed in Java on a snapshot of the parameter values taken when the path was
 * built. {@link NdFusionStrategy} runs every inference call on it, whatever the batch size, and rebuilds it
 * whenever the block's {@link FusionBlock#parameterVersion() parameter version} changes.
 *
 * <p>Implementations are immutable (scratch space, if any, per thread), deterministic bit for bit (fixed
 * summation order, no {@code Math.fma} contraction), compute each record independently of the others in its
 * batch (the same bits alone or in any batch) and agree with the block to 1e-5 (relative for large values;
 * tested per strategy).
 */
public interface JavaPath {

    /**
     * Same as the block's outputs on {@code batch}: the first {@code outputs} outputs, each a flat row-major
     * {@code [size, width]} array.
     */
    float[][] forward(PackedBatch batch, int outputs);

}
