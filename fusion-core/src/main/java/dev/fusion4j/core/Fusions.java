package dev.fusion4j.core;

import dev.fusion4j.core.internal.EngineDefaults;
import dev.fusion4j.core.attention.AttentionSpec;
import dev.fusion4j.core.attention.CrossAttentionSpec;
import dev.fusion4j.core.bilinear.BilinearSpecs;
import dev.fusion4j.core.concat.ConcatSpec;
import dev.fusion4j.core.sum.WeightedSumSpec;

/**
 * Factory of fusion strategy specs, the starting point of every strategy:
 *
 * <pre>{@code
 * Fusions.concat().presenceBits(true)
 * Fusions.weightedSum().mode(WeightMode.GATED).dimension(512)
 * Fusions.attention().dimension(256).heads(4).layers(2)
 * Fusions.bilinear().full()
 * Fusions.bilinear().compact(8192)
 * Fusions.bilinear().lowRank(1200).factor(5)
 * }</pre>
 *
 * <p>Specs are immutable; hand one to {@link Fusion.Builder#strategy(FusionSpec)}, or bind it yourself
 * with {@link FusionSpec#bind}. The maths of each strategy is documented on its bound class
 * ({@code ConcatFusion}, {@code WeightedSumFusion}, {@code AttentionFusion}, {@code FullBilinearFusion},
 * {@code CompactBilinearFusion}, {@code LowRankBilinearFusion}).
 */
public final class Fusions {
    static {
        EngineDefaults.apply();
    }

    private Fusions() {
    }

    /** Concatenation of the inputs (absent: a fill vector, zeros by default). */
    public static ConcatSpec concat() {
        return new ConcatSpec();
    }

    /** Weighted sum of the inputs projected to a common dimension (weights renormalise over present). */
    public static WeightedSumSpec weightedSum() {
        return new WeightedSumSpec();
    }

    /** A small transformer over one token per modality (absent: masked keys). */
    public static AttentionSpec attention() {
        return new AttentionSpec();
    }

    /**
     * Token- and region-level fusion (MMBT-style): a small transformer over every modality's sequence (a text's
     * tokens, an image's regions; records carry them in {@link dev.fusion4j.api.ModalityEmbeddings}), so words can
     * attend to parts of the image. An absent modality is a fully masked sequence.
     */
    public static CrossAttentionSpec crossAttention() {
        return new CrossAttentionSpec();
    }

    /** The bilinear (product) family: {@code full()}, {@code compact(D)}, {@code lowRank(k)}. */
    public static BilinearSpecs bilinear() {
        return new BilinearSpecs();
    }
}
