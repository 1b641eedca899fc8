package dev.fusion4j.core.train;

import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.attention.AttentionSpec;
import dev.fusion4j.core.attention.CrossAttentionSpec;
import dev.fusion4j.core.bilinear.FullBilinearSpec;
import dev.fusion4j.core.internal.DescribedSpec;
import dev.fusion4j.core.sum.WeightMode;
import dev.fusion4j.core.sum.WeightedSumSpec;
import java.util.Map;

/**
 * Writes a {@link FusionSpec} as its kind and settings ({@link DescribedSpec}) and rebuilds it from them with
 * the public spec setters, so a saved model binds the same block on load (its parameter values come from
 * the file).
 */
final class SpecCodec {
    private SpecCodec() {
    }

    /** The description of {@code spec}; specs from {@link Fusions} all describe themselves. */
    static DescribedSpec describe(FusionSpec spec) {
        if (spec instanceof DescribedSpec d) {
            return d;
        }
        throw new InvalidInputException("Fusion spec " + spec + " cannot be trained and saved: use a spec from"
                + " Fusions (concat, weightedSum, attention, crossAttention, bilinear)");
    }

    /** Rebuilds the spec of {@code kind} with {@code settings}. */
    static FusionSpec rebuild(String kind, Map<String, String> s) {
        try {
            return switch (kind) {
                case "concat" -> Fusions.concat().normalizeInputs(bool(s, "normalizeInputs"))
                        .presenceBits(bool(s, "presenceBits"));
                case "weightedSum" -> weightedSum(s);
                case "attention" -> {
                    AttentionSpec a = Fusions.attention().dimension(integer(s, "dimension"))
                            .heads(integer(s, "heads")).layers(integer(s, "layers"))
                            .feedForward(integer(s, "feedForward")).dropout(Float.parseFloat(get(s, "dropout")))
                            .fusionToken(bool(s, "fusionToken")).normalizeInputs(bool(s, "normalizeInputs"));
                    yield a.seed(Long.parseLong(get(s, "seed")));
                }
                case "crossAttention" -> {
                    CrossAttentionSpec c = Fusions.crossAttention().dimension(integer(s, "dimension"))
                            .heads(integer(s, "heads")).layers(integer(s, "layers"))
                            .feedForward(integer(s, "feedForward")).dropout(Float.parseFloat(get(s, "dropout")))
                            .maxSequenceLength(integer(s, "maxSequenceLength"))
                            .normalizeInputs(bool(s, "normalizeInputs"));
                    yield c.seed(Long.parseLong(get(s, "seed")));
                }
                case "bilinear.full" -> {
                    FullBilinearSpec f = Fusions.bilinear().full().maxOutputSize(Long.parseLong(get(s, "maxOutputSize")));
                    yield f.normalizeInputs(bool(s, "normalizeInputs"));
                }
                case "bilinear.compact" -> Fusions.bilinear().compact(integer(s, "dimension"))
                        .normalizeInputs(bool(s, "normalizeInputs")).seed(Long.parseLong(get(s, "seed")));
                case "bilinear.lowRank" -> Fusions.bilinear().lowRank(integer(s, "rank")).factor(integer(s, "factor"))
                        .normalizeInputs(bool(s, "normalizeInputs")).seed(Long.parseLong(get(s, "seed")));
                default -> throw new ModelLoadException("Unknown fusion strategy kind '" + kind + "' in the model"
                        + " header: the file was written by another version of fusion4j or altered");
            };
        } catch (NumberFormatException | InvalidInputException e) {
            throw new ModelLoadException("Invalid settings " + s + " for fusion strategy '" + kind
                    + "' in the model header: " + e.getMessage(), e);
        }
    }

    private static WeightedSumSpec weightedSum(Map<String, String> s) {
        WeightedSumSpec w = Fusions.weightedSum().mode(WeightMode.valueOf(get(s, "mode")))
                .normalizeInputs(bool(s, "normalizeInputs")).seed(Long.parseLong(get(s, "seed")));
        int dimension = integer(s, "dimension");
        if (dimension > 0) {
            w = w.dimension(dimension);
        }
        for (Map.Entry<String, String> e : s.entrySet()) {
            if (e.getKey().startsWith("weight.")) {
                w = w.weight(Modality.named(e.getKey().substring("weight.".length())), Double.parseDouble(e.getValue()));
            }
        }
        return w;
    }

    private static String get(Map<String, String> s, String key) {
        String v = s.get(key);
        if (v == null) {
            throw new ModelLoadException("The model header lacks the strategy setting '" + key + "'");
        }
        return v;
    }

    private static int integer(Map<String, String> s, String key) {
        return Integer.parseInt(get(s, key));
    }

    private static boolean bool(Map<String, String> s, String key) {
        String v = get(s, key);
        if (!v.equals("true") && !v.equals("false")) {
            throw new ModelLoadException("Strategy setting '" + key + "' is not a boolean: " + v);
        }
        return Boolean.parseBoolean(v);
    }
}
