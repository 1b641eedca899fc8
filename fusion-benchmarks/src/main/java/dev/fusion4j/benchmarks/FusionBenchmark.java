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

/**
 * Every fusion strategy on cached random embeddings of the bundled encoders' dimensions (text 384, image
 * 1280): {@code fuse} of one record (batch 1) or {@code fuseAll} of 256.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FusionBenchmark extends ShortRun {
    @Param({"concat", "weightedSum", "attention", "fullBilinear", "compactBilinear", "lowRankBilinear"})
    public String strategy;

    /** Records per call: 1 uses {@code fuse}, more use {@code fuseAll}. */
    @Param({"1", "256"})
    public int batch;

    private FusionStrategy fusion;
    private List<ModalityEmbeddings> records;

    @Setup
    public void setUp() {
        fusion = Strategies.bind(strategy, 384, 1280);
        records = BenchData.embeddings(batch, 384, 1280);
    }

    @TearDown
    public void tearDown() throws Exception {
        Strategies.close(fusion);
    }

    @Benchmark
    public Object fuse() {
        return batch == 1 ? fusion.fuse(records.get(0)) : fusion.fuseAll(records);
    }

}
