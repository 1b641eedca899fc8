/**
 * Shared machinery of the fusion strategies; <strong>not API</strong>, may change without notice.
 *
 * <ul>
 *   <li>{@link dev.fusion4j.core.internal.ModalityLayout}: the ordered modalities and dimensions a
 *       strategy is bound to; validates records and packs them into per-modality float batches plus a
 *       presence mask ({@link dev.fusion4j.core.internal.PackedBatch}).</li>
 *   <li>{@link dev.fusion4j.core.internal.NdFusionStrategy}: base class of every strategy that runs on
 *       DJL NDArrays: owns the long-lived parameter {@code NDManager}, opens a child manager per call,
 *       guards {@code close()} against in-flight calls.</li>
 *   <li>{@link dev.fusion4j.core.internal.FusionBlock}: base DJL block with the fusion input convention
 *       ({@code [x_0 .. x_{M-1}, mask]} in, {@code [B, out]} out).</li>
 *   <li>{@link dev.fusion4j.core.internal.SeededInit}: deterministic, plain-Java parameter initialisation
 *       (random orthogonal projections from seeded rotations, per-modality seeds).</li>
 *   <li>{@link dev.fusion4j.core.internal.Checks}: argument validation with teaching messages.</li>
 *   <li>{@link dev.fusion4j.core.internal.Softmax}: the stable softmax of the classifiers' plain-Java
 *       inference ({@code LinearProbeModel}, {@code FusionModel}).</li>
 *   <li>{@link dev.fusion4j.core.internal.Scalars}: multiplication and division by a Java number that keeps
 *       the scalar alive for the backward pass (DJL's {@code mul(Number)} frees it too early).</li>
 * </ul>
 */
package dev.fusion4j.core.internal;
