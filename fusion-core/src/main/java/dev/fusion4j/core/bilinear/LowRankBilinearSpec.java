package dev.fusion4j.core.bilinear;

import dev.fusion4j.core.internal.DescribedSpec;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.internal.Checks;
import dev.fusion4j.core.internal.ModalityLayout;
import java.util.Map;

/**
 * Settings of {@link LowRankBilinearFusion}; immutable, every setter returns a new spec.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>rank k (from {@code lowRank(k)})</td><td>required</td></tr>
 *   <tr><td>{@link #factor(int)}</td><td>1: sum-pool factor f (MFB), must divide k; output k/f</td></tr>
 *   <tr><td>{@link #normalizeInputs(boolean)}</td><td>true</td></tr>
 *   <tr><td>{@link #seed(long)}</td><td>42</td></tr>
 * </table>
 */
public final class LowRankBilinearSpec implements FusionSpec, DescribedSpec {
    private final int rank;
    private final int factor;
    private final boolean normalizeInputs;
    private final long seed;

    LowRankBilinearSpec(int rank) {
        this(Checks.positive("Low-rank bilinear rank", rank), 1, true, 42);
    }

    private LowRankBilinearSpec(int rank, int factor, boolean normalizeInputs, long seed) {
        this.rank = rank;
        this.factor = factor;
        this.normalizeInputs = normalizeInputs;
        this.seed = seed;
    }

    /** Sum-pooling factor f: the output sums each run of f consecutive product entries (must divide k). */
    public LowRankBilinearSpec factor(int factor) {
        Checks.positive("Low-rank bilinear factor", factor);
        if (rank % factor != 0) {
            throw new InvalidInputException("Low-rank bilinear factor " + factor + " does not divide the rank " + rank
                    + ": choose k = output dimension x factor");
        }
        return new LowRankBilinearSpec(rank, factor, normalizeInputs, seed);
    }

    /** Whether each present input is L2-normalised first (default true). */
    public LowRankBilinearSpec normalizeInputs(boolean normalize) {
        return new LowRankBilinearSpec(rank, factor, normalize, seed);
    }

    /** Seed of the parameter initialisation (default 42). */
    public LowRankBilinearSpec seed(long seed) {
        return new LowRankBilinearSpec(rank, factor, normalizeInputs, seed);
    }

    @Override
    public LowRankBilinearFusion bind(Map<Modality, Integer> inputDimensions) {
        return new LowRankBilinearFusion(ModalityLayout.of(inputDimensions), rank, factor, normalizeInputs, seed);
    }

    @Override
    public String kind() {
        return "bilinear.lowRank";
    }

    @Override
    public Map<String, String> settings() {
        Map<String, String> s = new java.util.LinkedHashMap<>();
        s.put("rank", String.valueOf(rank));
        s.put("factor", String.valueOf(factor));
        s.put("normalizeInputs", String.valueOf(normalizeInputs));
        s.put("seed", String.valueOf(seed));
        return s;
    }

    @Override
    public String toString() {
        return "bilinear.lowRank(rank=" + rank + ", factor=" + factor + ", normalizeInputs=" + normalizeInputs
                + ", seed=" + seed + ")";
    }
}
