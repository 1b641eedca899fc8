package dev.fusion4j.benchmarks;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bundled image encoder (MobileNetV2) through fusion4j ({@code encodeAll} of encoded 640x480 JPEGs)
 * beside the same decoding, preprocessing and model on the raw {@code ai.onnxruntime} API
 * ({@link RawMobileNet}); {@code rawForwardOnly} is the model call alone on an already prepared tensor and
 * {@code preprocessOnly} the decoding and preprocessing alone, to show where the time goes.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ImageEncoderBenchmark extends ShortRun {
    /** Images per call. */
    @Param({"1", "8", "32"})
    public int batch;

    /** ONNX Runtime intra-op threads; 0 = the library default, -1 = ONNX Runtime's own default. */
    @Param({"0"})
    public int threads;

    /** ONNX Runtime thread spinning: "default" (the library's), "true" or "false". */
    @Param({"default"})
    public String spinning;

    private ImageEncoder fusion4j;
    private RawMobileNet raw;
    private List<ImageInput> images;
    private float[] prepared;

    @Setup
    public void setUp() throws Exception {
        fusion4j = Encoders.mobileNet(threads, spinning);
        raw = new RawMobileNet(threads, Encoders.spinning(spinning));
        images = BenchData.images(batch);
        prepared = raw.prepare(images);
        Check.sameVectors("image", fusion4j.encodeAll(images), raw.encode(images));
    }

    @TearDown
    public void tearDown() throws Exception {
        fusion4j.close();
        raw.close();
    }

    @Benchmark
    public List<Embedding> fusion4j() {
        return fusion4j.encodeAll(images);
    }

    @Benchmark
    public float[][] raw() {
        return raw.encode(images);
    }

    @Benchmark
    public float[][] rawForwardOnly() {
        return raw.forward(prepared, batch);
    }

    @Benchmark
    public float[] preprocessOnly() {
        return raw.prepare(images);
    }
}
