package dev.fusion4j.spark;

import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.attention.AttentionSpec;
import dev.fusion4j.core.bilinear.CompactBilinearSpec;
import dev.fusion4j.core.bilinear.LowRankBilinearSpec;
import dev.fusion4j.core.concat.ConcatSpec;
import dev.fusion4j.core.sum.WeightMode;
import dev.fusion4j.core.sum.WeightedSumSpec;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Fusion strategies written as one string, so that a Spark ML stage can hold its strategy as a plain
 * {@code String} param (and a saved {@code Pipeline} keeps it as JSON).
 *
 * <p>The form is {@code name} or {@code name(key=value,key=value)}:
 *
 * <table>
 *   <caption>Strategy specs</caption>
 *   <tr><th>name</th><th>keys (defaults as in {@link Fusions})</th></tr>
 *   <tr><td>{@code concat}</td><td>{@code presenceBits}, {@code normalizeInputs}</td></tr>
 *   <tr><td>{@code weighted-sum}</td><td>{@code dimension}, {@code mode} (FIXED, LEARNED, GATED), {@code seed},
 *       {@code normalizeInputs}</td></tr>
 *   <tr><td>{@code attention}</td><td>{@code dimension}, {@code heads}, {@code layers}, {@code feedForward},
 *       {@code fusionToken}, {@code seed}, {@code normalizeInputs}</td></tr>
 *   <tr><td>{@code low-rank}</td><td>{@code rank} (default 1024), {@code factor}, {@code seed},
 *       {@code normalizeInputs}</td></tr>
 *   <tr><td>{@code compact}</td><td>{@code dimension} (default 8192), {@code seed}, {@code normalizeInputs}</td></tr>
 *   <tr><td>{@code full}</td><td>{@code normalizeInputs}</td></tr>
 * </table>
 *
 * <p>For example {@code attention(dimension=256,heads=4)} is {@code Fusions.attention().dimension(256).heads(4)}.
 */
public final class StrategySpecs {
    private static final Map<String, Set<String>> KEYS = Map.of(
            "concat", Set.of("presenceBits", "normalizeInputs"),
            "weighted-sum", Set.of("dimension", "mode", "seed", "normalizeInputs"),
            "attention", Set.of("dimension", "heads", "layers", "feedForward", "fusionToken", "seed", "normalizeInputs"),
            "low-rank", Set.of("rank", "factor", "seed", "normalizeInputs"),
            "compact", Set.of("dimension", "seed", "normalizeInputs"),
            "full", Set.of("normalizeInputs"));

    private StrategySpecs() {
    }

    /**
     * The spec {@code text} describes.
     *
     * @throws InvalidInputException if the name is unknown, a key does not belong to it, or a value is malformed
     */
    public static FusionSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("The strategy spec is empty: use one of " + KEYS.keySet()
                    + ", e.g. \"concat\" or \"attention(dimension=256,heads=4)\"");
        }
        String spec = text.strip();
        int open = spec.indexOf('(');
        String name = (open < 0 ? spec : spec.substring(0, open)).strip().toLowerCase(Locale.ROOT);
        Map<String, String> settings = open < 0 ? Map.of() : settings(spec, open);
        Set<String> allowed = KEYS.get(name);
        if (allowed == null) {
            throw new InvalidInputException("Unknown fusion strategy '" + name + "' in \"" + text + "\": use one of "
                    + KEYS.keySet());
        }
        for (String key : settings.keySet()) {
            if (!allowed.contains(key)) {
                throw new InvalidInputException("The strategy '" + name + "' has no setting '" + key + "' (in \"" + text
                        + "\"): its settings are " + allowed);
            }
        }
        try {
            return build(name, new Settings(settings));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("A number in the strategy spec \"" + text + "\" is malformed: "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, String> settings(String spec, int open) {
        if (!spec.endsWith(")")) {
            throw new InvalidInputException("The strategy spec \"" + spec + "\" opens '(' but does not end with ')':"
                    + " write name(key=value,key=value)");
        }
        Map<String, String> out = new LinkedHashMap<>();
        String body = spec.substring(open + 1, spec.length() - 1).strip();
        if (body.isEmpty()) {
            return out;
        }
        for (String pair : body.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new InvalidInputException("'" + pair.strip() + "' in the strategy spec \"" + spec
                        + "\" is not key=value");
            }
            String key = pair.substring(0, eq).strip();
            if (out.put(key, pair.substring(eq + 1).strip()) != null) {
                throw new InvalidInputException("The strategy spec \"" + spec + "\" sets '" + key + "' twice");
            }
        }
        return out;
    }

    private static FusionSpec build(String name, Settings s) {
        return switch (name) {
            case "concat" -> {
                ConcatSpec c = Fusions.concat();
                c = s.has("presenceBits") ? c.presenceBits(s.bool("presenceBits")) : c;
                yield s.has("normalizeInputs") ? c.normalizeInputs(s.bool("normalizeInputs")) : c;
            }
            case "weighted-sum" -> {
                WeightedSumSpec w = Fusions.weightedSum();
                w = s.has("dimension") ? w.dimension(s.integer("dimension")) : w;
                w = s.has("mode") ? w.mode(mode(s.get("mode"))) : w;
                w = s.has("seed") ? w.seed(Long.parseLong(s.get("seed"))) : w;
                yield s.has("normalizeInputs") ? w.normalizeInputs(s.bool("normalizeInputs")) : w;
            }
            case "attention" -> {
                AttentionSpec a = Fusions.attention();
                a = s.has("dimension") ? a.dimension(s.integer("dimension")) : a;
                a = s.has("heads") ? a.heads(s.integer("heads")) : a;
                a = s.has("layers") ? a.layers(s.integer("layers")) : a;
                a = s.has("feedForward") ? a.feedForward(s.integer("feedForward")) : a;
                a = s.has("fusionToken") ? a.fusionToken(s.bool("fusionToken")) : a;
                a = s.has("seed") ? a.seed(Long.parseLong(s.get("seed"))) : a;
                yield s.has("normalizeInputs") ? a.normalizeInputs(s.bool("normalizeInputs")) : a;
            }
            case "low-rank" -> {
                LowRankBilinearSpec l = Fusions.bilinear().lowRank(s.has("rank") ? s.integer("rank") : 1024);
                l = s.has("factor") ? l.factor(s.integer("factor")) : l;
                l = s.has("seed") ? l.seed(Long.parseLong(s.get("seed"))) : l;
                yield s.has("normalizeInputs") ? l.normalizeInputs(s.bool("normalizeInputs")) : l;
            }
            case "compact" -> {
                CompactBilinearSpec c = s.has("dimension") ? Fusions.bilinear().compact(s.integer("dimension"))
                        : Fusions.bilinear().compact();
                c = s.has("seed") ? c.seed(Long.parseLong(s.get("seed"))) : c;
                yield s.has("normalizeInputs") ? c.normalizeInputs(s.bool("normalizeInputs")) : c;
            }
            case "full" -> s.has("normalizeInputs")
                    ? Fusions.bilinear().full().normalizeInputs(s.bool("normalizeInputs"))
                    : Fusions.bilinear().full();
            default -> throw new IllegalStateException("unreachable: " + name);
        };
    }

    private static WeightMode mode(String value) {
        try {
            return WeightMode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("Unknown weighted-sum mode '" + value + "': use one of "
                    + java.util.Arrays.toString(WeightMode.values()), e);
        }
    }

    /** The key=value pairs of one spec. */
    private record Settings(Map<String, String> values) {
        boolean has(String key) {
            return values.containsKey(key);
        }

        String get(String key) {
            return values.get(key);
        }

        int integer(String key) {
            return Integer.parseInt(values.get(key));
        }

        boolean bool(String key) {
            String v = values.get(key);
            if (!v.equals("true") && !v.equals("false")) {
                throw new InvalidInputException("The strategy setting " + key + "=" + v + " is not true or false");
            }
            return Boolean.parseBoolean(v);
        }
    }
}
