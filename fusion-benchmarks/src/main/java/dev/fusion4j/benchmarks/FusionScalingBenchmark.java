package dev.fusion4j.benchmarks;

import dev.fusion4j.api.FusionStrategy;
import dev.fusion4j.api.ModalityEmbeddings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** How each strategy's cost grows with the embedding dimension: both modalities at d, {@code fuseAll} of 16. */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FusionScalingBenchmark extends ShortRun {
    @Param({"concat", "weightedSum", "attention", "fullBilinear", "compactBilinear", "lowRankBilinear"})
    public String strategy;

    /** Dimension of both inputs. */
    @Param({"256", "768", "2048"})
    public int d;

    /** Records per {@code fuseAll}. */
    @Param({"16"})
    public int batch;

    private FusionStrategy fusion;
    private List<ModalityEmbeddings> records;

    @Setup
    public void setUp() {
        fusion = Strategies.bind(strategy, d, d);
        records = BenchData.embeddings(batch, d, d);
    }

    @TearDown
    public void tearDown() throws Exception {
        Strategies.close(fusion);
    }

    @Benchmark
    public Object fuseAll() {
        return fusion.fuseAll(records);
    }
}
