package dev.fusion4j.core.internal;

/**
 * A plain-Java inference path of a {@link FusionBlock}: the same function as the block's forward pass
 * (inference mode), computed in Java on a snapshot of the parameter values taken when the path was
 * built. {@link NdFusionStrategy} uses it for batches of at most {@link #batchLimit()} records, where the fixed
 * cost of a sequence of native calls (~10 µs per DJL op) and PyTorch's batch-1 kernels lose to it, and rebuilds
 * it whenever the block's {@link FusionBlock#parameterVersion() parameter version} changes.
 *
 * <p>Implementations are immutable (scratch space, if any, per thread), deterministic bit for bit (fixed
 * summation order, no {@code Math.fma} contraction) and agree with the block to 1e-5 (relative for large
 * values; tested per strategy).
 */
public interface JavaPath {

    /**
     * Same as the block's outputs on {@code batch}: the first {@code outputs} outputs, each a flat row-major
     * {@code [size, width]} array.
     */
    float[][] forward(PackedBatch batch, int outputs);

    /**
     * Multiply-adds per record (upper bound: every modality present; an FFT butterfly counts 3): the strategy
     * takes this path only while {@code size · work()} is at most {@link NdFusionStrategy#JAVA_WORK_LIMIT}, a
     * guard for widths beyond those measured.
     */
    long work();

    /**
     * Largest batch this path takes ({@link NdFusionStrategy#JAVA_BATCH_LIMIT} by default): up to where it measured
     * faster than the block. Paths that stream their weights once per batch gain from batching as the block does; a
     * path whose cost per record does not fall with the batch (compact bilinear's FFTs) loses to the block's batched
     * native kernels after a record or two; a path that only copies (concatenation) wins at every size.
     */
    default int batchLimit() {
        return NdFusionStrategy.JAVA_BATCH_LIMIT;
    }
}
