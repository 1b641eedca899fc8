package dev.fusion4j.benchmarks;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.encoders.image.ImagePreprocessor;
import dev.fusion4j.models.BundledModels;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The baseline for the bundled image encoder: MobileNetV2 on the {@code ai.onnxruntime} API, fed the same
 * tensor preparation (fusion4j's {@link ImagePreprocessor} with the bundled model's settings, images of a
 * batch decoded in parallel into one NCHW float array).
 */
final class RawMobileNet implements AutoCloseable {
    private final OrtSession session;
    private final OrtEnvironment env;
    private final String input;
    private final ImagePreprocessor preprocessor = BundledModels.mobileNetV2Preprocessing();

    RawMobileNet(int intraOpThreads, Boolean spinning) {
        session = RawOrt.session(BenchData.resource(BenchData.MOBILENET_MODEL), intraOpThreads, spinning);
        env = OrtEnvironment.getEnvironment();
        input = session.getInputNames().iterator().next();
    }

    /** Decoded, resized and normalised images of a batch, as one NCHW array. */
    float[] prepare(List<ImageInput> images) {
        int per = preprocessor.size();
        float[] pixels = new float[images.size() * per];
        IntStream.range(0, images.size()).parallel().forEach(i -> preprocessor.preprocessInto(images.get(i), pixels, i * per));
        return pixels;
    }

    float[][] encode(List<ImageInput> images) {
        return forward(prepare(images), images.size());
    }

    float[][] forward(float[] pixels, int n) {
        long[] shape = {n, preprocessor.channels(), preprocessor.height(), preprocessor.width()};
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), shape);
             OrtSession.Result result = session.run(Map.of(input, tensor))) {
            FloatBuffer features = ((OnnxTensor) result.get(0)).getFloatBuffer();
            int d = features.capacity() / n;
            float[][] out = new float[n][d];
            for (int i = 0; i < n; i++) {
                features.get(out[i]);
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
