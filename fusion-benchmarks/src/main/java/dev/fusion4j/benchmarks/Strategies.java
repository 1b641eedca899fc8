package dev.fusion4j.benchmarks;

import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.Fusions;

import java.util.LinkedHashMap;
import java.util.Map;

/** The strategies benchmarked, by name, with the settings the docs quote. */
final class Strategies {
    private Strategies() {
    }

    static FusionSpec spec(String name, int textDim, int imageDim) {
        return switch (name) {
            case "concat" -> Fusions.concat();
            case "weightedSum" -> Fusions.weightedSum();
            case "attention" -> Fusions.attention();
            case "crossAttention" -> Fusions.crossAttention();
            case "fullBilinear" -> Fusions.bilinear().full()
                    .maxOutputSize((long) (textDim + 1) * (imageDim + 1));
            case "compactBilinear" -> Fusions.bilinear().compact(8192);
            case "lowRankBilinear" -> Fusions.bilinear().lowRank(1200).factor(5);
            case "lowRank512" -> Fusions.bilinear().lowRank(512); // the rank of the evaluation (docs/results.md)
            default -> throw new IllegalArgumentException("Unknown strategy " + name);
        };
    }

    static FusionStrategy bind(String name, int textDim, int imageDim) {
        Map<Modality, Integer> dims = new LinkedHashMap<>();
        dims.put(Modality.TEXT, textDim);
        dims.put(Modality.IMAGE, imageDim);
        return spec(name, textDim, imageDim).bind(dims);
    }

    static void close(FusionStrategy strategy) throws Exception {
        if (strategy instanceof AutoCloseable c) {
            c.close();
        }
    }
}
