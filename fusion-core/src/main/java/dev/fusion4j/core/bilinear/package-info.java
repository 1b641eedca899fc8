/**
 * Bilinear (multiplicative) fusions on inputs extended by a constant 1 (Tensor Fusion, LMF), where an
 * absent modality is the identity {@code (0, ..., 0, 1)} of the product:
 * {@link dev.fusion4j.core.bilinear.BilinearSpecs} (what {@code Fusions.bilinear()} returns),
 * the full outer product ({@link dev.fusion4j.core.bilinear.FullBilinearSpec},
 * {@link dev.fusion4j.core.bilinear.FullBilinearFusion}), compact bilinear pooling by count sketch and
 * FFT ({@link dev.fusion4j.core.bilinear.CompactBilinearSpec},
 * {@link dev.fusion4j.core.bilinear.CompactBilinearFusion}, {@link dev.fusion4j.core.bilinear.CountSketch}),
 * and the low-rank product ({@link dev.fusion4j.core.bilinear.LowRankBilinearSpec},
 * {@link dev.fusion4j.core.bilinear.LowRankBilinearFusion}), each with its DJL block.
 */
package dev.fusion4j.core.bilinear;
