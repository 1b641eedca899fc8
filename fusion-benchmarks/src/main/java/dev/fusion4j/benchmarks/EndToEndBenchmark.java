package dev.fusion4j.benchmarks;

import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.MultimodalInput;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.core.Fusion;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code embedAll} of (text, encoded JPEG) records with the bundled encoders and the default strategy
 * (concat), beside the raw parts ({@link RawEndToEnd}): {@code rawSum} runs the raw text baseline then the
 * raw image baseline (decoding included) on the caller thread; {@code rawOverlap} runs the raw image baseline
 * on a second thread while the text encodes. {@code records} = 1 compares {@code embed} of one record.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EndToEndBenchmark extends ShortRun {
    /** Records per call. */
    @Param({"1", "8", "32", "128"})
    public int records;

    /** ONNX Runtime intra-op threads of both encoders; 0 = the library default, -1 = ONNX Runtime's own default. */
    @Param({"0"})
    public int threads;

    /** ONNX Runtime thread spinning: "default" (the library's), "true" or "false". */
    @Param({"default"})
    public String spinning;

    private TextEncoder text;
    private ImageEncoder image;
    private MultimodalEmbedder embedder;
    private RawEndToEnd raw;
    private List<MultimodalInput> inputs;
    private List<String> texts;
    private List<ImageInput> images;

    @Setup
    public void setUp() {
        text = Encoders.miniLm(threads, spinning);
        image = Encoders.mobileNet(threads, spinning);
        embedder = Fusion.builder().text(text).image(image).build();
        raw = new RawEndToEnd(threads, Encoders.spinning(spinning));
        inputs = BenchData.records(records);
        texts = BenchData.texts(inputs);
        images = BenchData.images(inputs);
    }

    @TearDown
    public void tearDown() throws Exception {
        embedder.close();
        text.close();
        image.close();
        raw.close();
    }

    @Benchmark
    public Object fusion4j() {
        return records == 1 ? embedder.embed(inputs.get(0)) : embedder.embedAll(inputs);
    }

    @Benchmark
    public Object rawSum() {
        return raw.sum(texts, images);
    }

    @Benchmark
    public Object rawOverlap() throws InterruptedException, ExecutionException {
        return raw.overlap(texts, images);
    }
}
