package dev.fusion4j.core.internal;

import java.util.Map;

/**
 * A fusion spec that can describe itself as plain strings, so that a saved model can record which strategy it
 * was trained with and rebuild it on load ({@code dev.fusion4j.core.train.SpecCodec} holds the inverse).
 *
 * <p>The kind names the strategy family ({@code concat}, {@code weightedSum}, {@code attention},
 * {@code bilinear.full}, {@code bilinear.compact}, {@code bilinear.lowRank}); the settings hold every value
 * needed to bind the same block (parameter values are saved separately). Values are strings so that longs
 * (seeds) survive a JSON round trip exactly.
 */
public interface DescribedSpec {

    /** The strategy family. */
    String kind();

    /** Every setting, by name, in a stable order. */
    Map<String, String> settings();
}
