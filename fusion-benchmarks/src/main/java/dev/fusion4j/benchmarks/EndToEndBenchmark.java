package dev.fusion4j.benchmarks;

import dev.fusion4j.api.Embedding;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code embedAll} of (text, encoded JPEG) records with the bundled encoders and the default strategy
 * (concat), beside the raw parts: {@code rawSum} runs the raw text baseline then the raw image baseline
 * (decoding included) on the caller thread; {@code rawOverlap} runs the raw image baseline on a second
 * thread while the text encodes. {@code records} = 1 compares {@code embed} of one record.
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
    private RawMiniLm rawText;
    private RawMobileNet rawImage;
    private ExecutorService second;
    private List<MultimodalInput> inputs;
    private List<String> texts;
    private List<ImageInput> images;

    @Setup
    public void setUp() {
        text = Encoders.miniLm(threads, spinning);
        image = Encoders.mobileNet(threads, spinning);
        embedder = Fusion.builder().text(text).image(image).build();
        rawText = new RawMiniLm(threads, Encoders.spinning(spinning));
        rawImage = new RawMobileNet(threads, Encoders.spinning(spinning));
        second = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "raw-image");
            t.setDaemon(true);
            return t;
        });
        inputs = BenchData.records(records);
        texts = new ArrayList<>();
        images = new ArrayList<>();
        for (MultimodalInput in : inputs) {
            texts.add(in.text().orElseThrow());
            images.add(in.image().orElseThrow());
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        second.shutdownNow();
        embedder.close();
        text.close();
        image.close();
        rawText.close();
        rawImage.close();
    }

    @Benchmark
    public Object fusion4j() {
        return records == 1 ? embedder.embed(inputs.get(0)) : embedder.embedAll(inputs);
    }

    @Benchmark
    public Object rawSum() {
        return concat(rawText.encode(texts), rawImage.encode(images));
    }

    @Benchmark
    public Object rawOverlap() throws InterruptedException, ExecutionException {
        Future<float[][]> imageFeatures = second.submit(() -> rawImage.encode(images));
        float[][] textFeatures = rawText.encode(texts);
        return concat(textFeatures, imageFeatures.get());
    }

    /** What the default concat fusion does: each part L2-normalised, concatenated, the result normalised. */
    private static List<Embedding> concat(float[][] t, float[][] i) {
        List<Embedding> out = new ArrayList<>(t.length);
        for (int r = 0; r < t.length; r++) {
            float[] a = RawOrt.l2Normalized(t[r]);
            float[] b = RawOrt.l2Normalized(i[r]);
            float[] v = new float[a.length + b.length];
            System.arraycopy(a, 0, v, 0, a.length);
            System.arraycopy(b, 0, v, a.length, b.length);
            out.add(Embedding.of(RawOrt.l2Normalized(v)));
        }
        return out;
    }
}
