package dev.fusion4j.benchmarks;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.TextEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bundled text encoder (all-MiniLM-L6-v2) through fusion4j ({@code encodeAll}) beside the same model,
 * tokenisation and pooling on the raw {@code ai.onnxruntime} API ({@link RawMiniLm}).
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TextEncoderBenchmark extends ShortRun {
    /** Texts per call. */
    @Param({"1", "8", "32"})
    public int batch;

    /** ONNX Runtime intra-op threads; 0 = the library default, -1 = ONNX Runtime's own default. */
    @Param({"0"})
    public int threads;

    /** ONNX Runtime thread spinning: "default" (the library's), "true" or "false". */
    @Param({"default"})
    public String spinning;

    private TextEncoder fusion4j;
    private RawMiniLm raw;
    private List<String> texts;

    @Setup
    public void setUp() throws Exception {
        fusion4j = Encoders.miniLm(threads, spinning);
        raw = new RawMiniLm(threads, Encoders.spinning(spinning));
        texts = BenchData.texts(batch);
        Check.sameVectors("text", fusion4j.encodeAll(texts), raw.encode(texts));
    }

    @TearDown
    public void tearDown() throws Exception {
        fusion4j.close();
        raw.close();
    }

    @Benchmark
    public List<Embedding> fusion4j() {
        return fusion4j.encodeAll(texts);
    }

    @Benchmark
    public float[][] raw() {
        return raw.encode(texts);
    }
}
