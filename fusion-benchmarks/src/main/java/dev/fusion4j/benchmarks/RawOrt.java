package dev.fusion4j.benchmarks;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.fusion4j.encoders.internal.RuntimeOptions;

/** Opens an ONNX Runtime session straight through {@code ai.onnxruntime}, as DJL's OrtModel would. */
final class RawOrt {
    private RawOrt() {
    }

    /**
     * A session on {@code model} with the options DJL's {@code OrtModel} uses: a fresh {@code SessionOptions}
     * (ORT's defaults), plus the intra-op thread count (what fusion4j's {@code intraOpThreads(n)} passes to DJL
     * as {@code intraOpNumThreads}; 0 = fusion4j's default, -1 = ORT's own default) and the thread spinning
     * setting when not null. The
     * environment is the process-wide one DJL's OrtEngine created (initialised first so that both share it).
     */
    static OrtSession session(byte[] model, int intraOpThreads, Boolean spinning) {
        Engine.getEngine("OnnxRuntime");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            int threads = intraOpThreads == 0 ? RuntimeOptions.defaults().intraOpThreads() : intraOpThreads;
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            if (spinning != null) {
                options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
                options.addConfigEntry("session.inter_op.allow_spinning", spinning ? "1" : "0");
            }
            return env.createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalStateException("Could not open the ONNX model: " + e.getMessage(), e);
        }
    }

    static float[] l2Normalized(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        if (norm > 0) {
            double inv = 1.0 / Math.sqrt(norm);
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) (v[j] * inv);
            }
        }
        return v;
    }
}
