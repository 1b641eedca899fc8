package dev.fusion4j.benchmarks;

import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.core.Fusions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The cross-check of {@link CrossAttentionBenchmark} on a shared machine: the calling thread's CPU time per batch-1
 * {@code fuse} (both paths compute on that thread, so other processes' load does not count), the strategies measured
 * in alternating rounds of 500 calls after 300 warm-up calls, median of 7 rounds. Same records as the benchmark.
 *
 * <pre>{@code java -cp fusion-benchmarks/target/benchmarks.jar dev.fusion4j.benchmarks.CrossAttentionCpuTime}</pre>
 */
public final class CrossAttentionCpuTime {
    private CrossAttentionCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        ModalityEmbeddings record = BenchData.sequences(1, 12, 384, 9, 1280).get(0);
        Map<Modality, Integer> dims = new LinkedHashMap<>();
        dims.put(Modality.TEXT, 384);
        dims.put(Modality.IMAGE, 1280);
        Map<String, FusionStrategy> strategies = new LinkedHashMap<>();
        strategies.put("attention()", Fusions.attention().bind(dims));
        strategies.put("crossAttention() (D = F = 96, the default)", Fusions.crossAttention().bind(dims));
        strategies.put("crossAttention().feedForward(192)", Fusions.crossAttention().feedForward(192).bind(dims));
        strategies.put("crossAttention().dimension(128).feedForward(256)",
                Fusions.crossAttention().dimension(128).feedForward(256).bind(dims));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, double[]> rounds = new LinkedHashMap<>();
        strategies.keySet().forEach(k -> rounds.put(k, new double[7]));
        for (int round = 0; round < 7; round++) {
            for (Map.Entry<String, FusionStrategy> e : strategies.entrySet()) {
                ModalityEmbeddings r = e.getValue().usesSequences() ? record : record.withoutSequences();
                for (int i = 0; i < 300; i++) {
                    e.getValue().fuse(r);
                }
                long t0 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < 500; i++) {
                    e.getValue().fuse(r);
                }
                rounds.get(e.getKey())[round] = (mx.getCurrentThreadCpuTime() - t0) / 1e3 / 500;
            }
        }
        double base = median(rounds.get("attention()"));
        for (Map.Entry<String, double[]> e : rounds.entrySet()) {
            System.out.printf(Locale.ROOT, "%-40s median %6.0f us CPU per record, min %6.0f, %.2fx attention()%n",
                    e.getKey(), median(e.getValue()), Arrays.stream(e.getValue()).min().orElseThrow(),
                    median(e.getValue()) / base);
        }
        for (FusionStrategy s : strategies.values()) {
            Strategies.close(s);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
