package dev.fusion4j.core;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.core.internal.NdFusionStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A JMH-free micro measurement of every strategy (not a unit test: enabled only with
 * {@code -Dfusion4j.bench=true}). Run:
 * {@code ./mvnw -B -o -pl fusion-core -am test -Dtest=FusionMicroBench -Dfusion4j.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false} (options: {@code -Dfusion4j.bench.skipFull=true},
 * {@code -Dfusion4j.bench.clock=cpu}, {@code -Dfusion4j.bench.only=REGEX} on the row names).
 * Prints medians of µs per fused record for text 384-d + image 1280-d and for 768-d + 2048-d: {@code fuse} (the
 * path the strategy picks), batch 1 forced onto the plain-Java path ({@code fuseAllInJava}) and onto the DJL block
 * ({@code fuseAllOnBlock}), the same two at batch 8 (each pair measured in alternating runs, so both see the same
 * load), the path {@code fuseAll} takes at batch 8, and batch 256 ({@code fuseAll}).
 */
@EnabledIfSystemProperty(named = "fusion4j.bench", matches = "true")
class FusionMicroBench {
    /**
     * {@code -Dfusion4j.bench.clock=cpu}: time with the calling thread's CPU time instead of the wall clock. On a
     * shared machine (load above the core count) the wall clock mostly measures the wait for a core; the CPU time
     * of the calling thread is close to what an idle machine's wall clock shows, for both paths (the Java path
     * runs on the caller; PyTorch with one intra-op thread, the default, computes on the caller too).
     */
    private static final boolean CPU_CLOCK = "cpu".equals(System.getProperty("fusion4j.bench.clock"));
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private static long now() {
        return CPU_CLOCK ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    @Test
    void measure() {
        int[][] shapes = {{384, 1280}, {768, 2048}};
        System.out.printf("clock: %s; load average at start: %.2f%n", CPU_CLOCK ? "thread CPU time" : "wall",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("%-40s %10s %8s %10s %10s %10s %10s %10s %6s %10s%n", "strategy", "dims", "output",
                "fuse µs", "java b1", "block b1", "java b8/rec", "block b8/rec", "b8 by", "b256 µs/rec");
        for (int[] dims : shapes) {
            Map<Modality, Integer> in = new LinkedHashMap<>();
            in.put(Modality.TEXT, dims[0]);
            in.put(Modality.IMAGE, dims[1]);
            Map<String, FusionSpec> specs = new LinkedHashMap<>();
            specs.put("concat()", Fusions.concat());
            specs.put("weightedSum() (FIXED)", Fusions.weightedSum());
            specs.put("weightedSum().mode(GATED)", Fusions.weightedSum().mode(dev.fusion4j.core.sum.WeightMode.GATED));
            specs.put("attention() 256/4h/1L", Fusions.attention());
            specs.put("attention().layers(2)", Fusions.attention().layers(2));
            if (!Boolean.getBoolean("fusion4j.bench.skipFull")) {
                specs.put("bilinear().full()", Fusions.bilinear().full());
            }
            specs.put("bilinear().compact(8192)", Fusions.bilinear().compact(8192));
            specs.put("bilinear().lowRank(1200).factor(5)", Fusions.bilinear().lowRank(1200).factor(5));
            List<ModalityEmbeddings> records = records(256, dims);
            String only = System.getProperty("fusion4j.bench.only", ".*"); // regex on the row names
            for (Map.Entry<String, FusionSpec> e : specs.entrySet()) {
                if (!java.util.regex.Pattern.compile(only).matcher(e.getKey()).find()) {
                    continue;
                }
                long t0 = System.nanoTime();
                FusionStrategy s = e.getValue().bind(in);
                long bindMs = (System.nanoTime() - t0) / 1_000_000;
                try {
                    boolean full = e.getKey().contains("full");
                    NdFusionStrategy nd = (NdFusionStrategy) s;
                    List<ModalityEmbeddings> first = records.subList(0, 1);
                    boolean java = nd.usesJavaPath();
                    double[] pair = interleaved(9, full ? 20 : 100,
                            () -> (java ? nd.fuseAllInJava(first) : nd.fuseAllOnBlock(first)).get(0),
                            () -> nd.fuseAllOnBlock(first));
                    double one = median(7, full ? 20 : 100, () -> s.fuse(records.get(0)), 1);
                    double oneInJava = pair[0];
                    double oneOnBlock = pair[1];
                    if (!java && !full && nd.layout().count() > 0) {
                        try {
                            oneInJava = median(5, 50, () -> nd.fuseAllInJava(first), 1);
                        } catch (IllegalStateException none) {
                            oneInJava = Double.NaN;
                        }
                    }
                    List<ModalityEmbeddings> eight = records.subList(0, 8);
                    double[] pair8 = {Double.NaN, Double.NaN};
                    if (!full) {
                        pair8 = interleaved(7, 20, () -> nd.fuseAllInJava(eight), () -> nd.fuseAllOnBlock(eight));
                    }
                    String b8Path = nd.usesJavaPath() ? "java" : "block";
                    List<ModalityEmbeddings> batch = full ? records.subList(0, 64) : records;
                    double many = median(5, full ? 1 : 5, () -> s.fuseAll(batch), batch.size());
                    System.out.printf("%-40s %10s %8d %10.1f %10.1f %10.1f %10.1f %10.1f %6s %10.1f   (bind %d ms)%n",
                            e.getKey(), dims[0] + "+" + dims[1], s.outputDimension(), one, oneInJava, oneOnBlock,
                            pair8[0] / 8, pair8[1] / 8, b8Path, many, bindMs);
                } finally {
                    if (s instanceof AutoCloseable c) {
                        try {
                            c.close();
                        } catch (Exception ex) {
                            throw new IllegalStateException(ex);
                        }
                    }
                }
            }
        }
    }

    /**
     * Medians of µs per call of two bodies measured in alternating runs (same load for both), after warm-up.
     */
    private static double[] interleaved(int runs, int iterations, Runnable a, Runnable b) {
        for (int i = 0; i < iterations; i++) {
            a.run();
            b.run();
        }
        double[][] t = new double[2][runs];
        for (int r = 0; r < runs; r++) {
            for (int k = 0; k < 2; k++) {
                Runnable body = k == 0 ? a : b;
                long t0 = now();
                for (int i = 0; i < iterations; i++) {
                    body.run();
                }
                t[k][r] = (now() - t0) / 1000.0 / iterations;
            }
        }
        Arrays.sort(t[0]);
        Arrays.sort(t[1]);
        return new double[] {t[0][runs / 2], t[1][runs / 2]};
    }

    private static double median(int runs, int iterations, Runnable body, int recordsPerCall) {
        for (int i = 0; i < iterations; i++) {
            body.run(); // warm-up
        }
        double[] perRecord = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t = now();
            for (int i = 0; i < iterations; i++) {
                body.run();
            }
            perRecord[r] = (now() - t) / 1000.0 / iterations / recordsPerCall;
        }
        Arrays.sort(perRecord);
        return perRecord[runs / 2];
    }

    private static List<ModalityEmbeddings> records(int n, int[] dims) {
        Random random = new Random(1);
        List<ModalityEmbeddings> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ModalityEmbeddings.builder().put(Modality.TEXT, vector(random, dims[0]))
                    .put(Modality.IMAGE, vector(random, dims[1])).build());
        }
        return out;
    }

    private static Embedding vector(Random random, int d) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Embedding.of(v);
    }
}
