package dev.fusion4j.benchmarks;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline for the bundled text encoder: all-MiniLM-L6-v2 on the {@code ai.onnxruntime} API, tokenised
 * with DJL's HuggingFaceTokenizer {@code batchEncode} (padding to the longest, truncation at 256), mean
 * pooled over the attention mask and L2-normalised in plain Java — what an application would write by hand.
 */
final class RawMiniLm implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final OrtSession session;
    private final OrtEnvironment env;

    RawMiniLm(int intraOpThreads, Boolean spinning) {
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(
                    new ByteArrayInputStream(BenchData.resource(BenchData.MINILM_TOKENIZER)),
                    Map.of("addSpecialTokens", "true", "padding", "true", "truncation", "true",
                            "maxLength", String.valueOf(BenchData.MINILM_MAX_LENGTH)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        session = RawOrt.session(BenchData.resource(BenchData.MINILM_MODEL), intraOpThreads, spinning);
        env = OrtEnvironment.getEnvironment();
    }

    float[][] encode(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int n = encodings.length;
        int seq = encodings[0].getIds().length;
        long[] ids = new long[n * seq];
        long[] mask = new long[n * seq];
        long[] types = new long[n * seq];
        for (int i = 0; i < n; i++) {
            System.arraycopy(encodings[i].getIds(), 0, ids, i * seq, seq);
            System.arraycopy(encodings[i].getAttentionMask(), 0, mask, i * seq, seq);
            System.arraycopy(encodings[i].getTypeIds(), 0, types, i * seq, seq);
        }
        long[] shape = {n, seq};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
                int h = hidden.capacity() / (n * seq);
                float[] data = new float[hidden.capacity()];
                hidden.get(data);
                return meanPool(data, mask, n, seq, h);
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[][] meanPool(float[] data, long[] mask, int n, int seq, int h) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            double[] acc = new double[h];
            int count = 0;
            for (int t = 0; t < seq; t++) {
                if (mask[i * seq + t] == 0) {
                    continue;
                }
                count++;
                int off = (i * seq + t) * h;
                for (int j = 0; j < h; j++) {
                    acc[j] += data[off + j];
                }
            }
            float[] v = new float[h];
            for (int j = 0; j < h; j++) {
                v[j] = (float) (acc[j] / Math.max(1, count));
            }
            out[i] = RawOrt.l2Normalized(v);
        }
        return out;
    }

    @Override
    public void close() throws OrtException {
        try {
            session.close();
        } finally {
            tokenizer.close();
        }
    }
}
