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
 * Issue 17: batch-1 {@code fuse} of the token/region cross-attention strategy beside the pooled attention strategy,
 * on the same records: 12 MiniLM-width token states (384) and 3 × 3 MobileNetV2-width regions (1280), the shape of an
 * emoji name and picture. The pooled strategy gets the records' pooled embeddings (it ignores the sequences);
 *
 * <pre>{@code java -cp fusion-benchmarks/target/benchmarks.jar dev.fusion4j.benchmarks.BenchMain CrossAttentionBenchmark}</pre>
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CrossAttentionBenchmark extends ShortRun {
    @Param({"attention", "crossAttention"})
    public String strategy;

    /** Text tokens per record (regions: 9). */
    @Param({"12"})
    public int tokens;

    private FusionStrategy fusion;
    private ModalityEmbeddings record;

    @Setup
    public void setUp() {
        fusion = Strategies.bind(strategy, 384, 1280);
        List<ModalityEmbeddings> records = BenchData.sequences(1, tokens, 384, 9, 1280);
        record = strategy.equals("attention") ? records.get(0).withoutSequences() : records.get(0);
        if (!fusion.fuse(record).equals(fusion.fuse(record))) {
            throw new IllegalStateException(strategy + " gave two results for one record");
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        Strategies.close(fusion);
    }

    @Benchmark
    public Object fuse() {
        return fusion.fuse(record);
    }
}
