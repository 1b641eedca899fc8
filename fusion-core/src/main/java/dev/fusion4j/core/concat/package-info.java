/**
 * Concatenation fusion: {@link dev.fusion4j.core.concat.ConcatSpec} (settings, from
 * {@code Fusions.concat()}), {@link dev.fusion4j.core.concat.ConcatFusion} (the bound strategy) and
 * {@link dev.fusion4j.core.concat.ConcatBlock} (its DJL block, holding the fill vectors of absent
 * modalities as parameters).
 */
package dev.fusion4j.core.concat;
