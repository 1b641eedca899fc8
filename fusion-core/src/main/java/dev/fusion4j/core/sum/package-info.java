/**
 * Weighted-sum fusion: {@link dev.fusion4j.core.sum.WeightedSumSpec} (settings, from
 * {@code Fusions.weightedSum()}), {@link dev.fusion4j.core.sum.WeightMode} (fixed, learned or gated
 * weights), {@link dev.fusion4j.core.sum.WeightedSumFusion} (the bound strategy) and
 * {@link dev.fusion4j.core.sum.WeightedSumBlock} (its DJL block: projections, weight logits, gate).
 */
package dev.fusion4j.core.sum;
