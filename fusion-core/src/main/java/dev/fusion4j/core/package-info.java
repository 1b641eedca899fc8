/**
 * fusion4j core entry points: {@link dev.fusion4j.core.Fusion#builder()} assembles encoders and a fusion
 * strategy into a {@link dev.fusion4j.api.MultimodalEmbedder}; {@link dev.fusion4j.core.Fusions} creates the
 * strategy specs ({@link dev.fusion4j.core.FusionSpec}) of every family.
 *
 * <p>The strategies live in sub-packages, one per family: {@code concat}, {@code sum} (weighted sum),
 * {@code attention}, {@code bilinear} (full, compact, low-rank). {@code internal} holds shared machinery
 * and is not API.
 */
package dev.fusion4j.core;
