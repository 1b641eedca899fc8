/**
 * Attention fusion: {@link dev.fusion4j.core.attention.AttentionSpec} (settings, from
 * {@code Fusions.attention()}), {@link dev.fusion4j.core.attention.AttentionFusion} (the bound
 * strategy), {@link dev.fusion4j.core.attention.AttendedEmbedding} (a fused embedding with the
 * per-modality attention weights) and {@link dev.fusion4j.core.attention.AttentionBlock} (its DJL block:
 * modality projections and type embeddings, fusion token, pre-norm transformer layers).
 */
package dev.fusion4j.core.attention;
