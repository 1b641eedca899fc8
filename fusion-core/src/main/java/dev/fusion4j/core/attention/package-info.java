/**
 * Attention fusion. Pooled: {@link dev.fusion4j.core.attention.AttentionSpec} (settings, from
 * {@code Fusions.attention()}), {@link dev.fusion4j.core.attention.AttentionFusion} (the bound
 * strategy), {@link dev.fusion4j.core.attention.AttendedEmbedding} (a fused embedding with the
 * per-modality attention weights) and {@link dev.fusion4j.core.attention.AttentionBlock} (its DJL block:
 * modality projections and type embeddings, fusion token, pre-norm transformer layers). Token- and region-level
 * (issue 17): {@link dev.fusion4j.core.attention.CrossAttentionSpec} ({@code Fusions.crossAttention()}),
 * {@link dev.fusion4j.core.attention.CrossAttentionFusion} (a transformer over the joint sequence of every
 * modality's tokens and regions), {@link dev.fusion4j.core.attention.AttendedSequences} (its attention weights for
 * inspection) and {@link dev.fusion4j.core.attention.CrossAttentionBlock}. Both blocks share
 * {@link dev.fusion4j.core.attention.TransformerLayer} and the plain-Java layer of
 * {@link dev.fusion4j.core.attention.AttentionJavaPath}.
 */
package dev.fusion4j.core.attention;
