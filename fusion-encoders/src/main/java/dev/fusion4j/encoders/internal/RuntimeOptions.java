package dev.fusion4j.encoders.internal;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.encoders.ModelFormat;

import java.util.HashMap;
import java.util.Map;

/**
 * How a model's native runtime runs it: ONNX Runtime thread counts and thread spinning, given to DJL's
 * {@code OrtModel} as load options ({@code intraOpNumThreads}, {@code interOpNumThreads}, and a
 * {@code sessionOptions} object for spinning). TorchScript models ignore them: PyTorch's thread pools are
 * process-wide ({@code -Dai.djl.pytorch.num_threads}, {@code -Dai.djl.pytorch.num_interop_threads}).
 *
 * @param intraOpThreads threads one operator may use; 0 = ONNX Runtime's default (one per physical core)
 * @param interOpThreads threads running independent operators; 0 = ONNX Runtime's default
 * @param spinning whether idle ONNX Runtime workers spin waiting for work (ONNX Runtime's default, lower
 *     latency) or sleep (leaves the core to other work, e.g. a second encoder or image decoding)
 */
public record RuntimeOptions(int intraOpThreads, int interOpThreads, boolean spinning) {
    /** ONNX Runtime's own defaults (intra-op threads: one per physical core, spinning on). */
    public static final RuntimeOptions ORT_DEFAULTS = new RuntimeOptions(0, 0, true);

    /** System property overriding the default intra-op thread count of every encoder built after it is set. */
    public static final String INTRA_OP_THREADS_PROPERTY = "fusion4j.onnxruntime.intraOpThreads";

    /**
     * fusion4j's defaults: intra-op threads = half the available processors (at least 1), or the value of
     * {@value #INTRA_OP_THREADS_PROPERTY}. The text and image encoders of an embedder run at the same time,
     * so each gets half the cores; on a shared or busy machine one thread per model was up to 1.7x faster
     * than two on two cores (docs/performance.md).
     */
    public static RuntimeOptions defaults() {
        Integer configured = Integer.getInteger(INTRA_OP_THREADS_PROPERTY);
        int intra = configured != null ? configured : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        return new RuntimeOptions(intra, 0, true);
    }

    public RuntimeOptions {
        if (intraOpThreads < 0 || intraOpThreads > 1024) {
            throw new InvalidInputException("intraOpThreads must be in [0, 1024] (0 = the runtime's default), was "
                    + intraOpThreads);
        }
        if (interOpThreads < 0 || interOpThreads > 1024) {
            throw new InvalidInputException("interOpThreads must be in [0, 1024] (0 = the runtime's default), was "
                    + interOpThreads);
        }
    }

    /** Whether anything differs from the runtime's defaults. */
    boolean isDefault() {
        return equals(ORT_DEFAULTS);
    }

    /** The thread counts as DJL's string options (for URL loading through Criteria). */
    Map<String, String> djlThreadOptions() {
        Map<String, String> options = new HashMap<>();
        if (intraOpThreads > 0) {
            options.put("intraOpNumThreads", String.valueOf(intraOpThreads));
        }
        if (interOpThreads > 0) {
            options.put("interOpNumThreads", String.valueOf(interOpThreads));
        }
        return options;
    }

    /**
     * The load options for a model of {@code format}, or null for the defaults. For ONNX with spinning off,
     * {@code holder[0]} receives the {@code SessionOptions} object made for it, which the caller closes
     * with the model (DJL's OrtModel does not close session options it was handed).
     */
    Map<String, Object> loadOptions(ModelFormat format, AutoCloseable[] holder) {
        if (format != ModelFormat.ONNX || isDefault()) {
            return null;
        }
        Map<String, Object> options = new HashMap<>(djlThreadOptions());
        if (!spinning) {
            options.put("sessionOptions", OrtSessionOptions.noSpinning(holder));
        }
        return options;
    }

    /** Kept apart so that ONNX Runtime classes load only for ONNX models. */
    private static final class OrtSessionOptions {
        static Object noSpinning(AutoCloseable[] holder) {
            OrtSession.SessionOptions so = new OrtSession.SessionOptions();
            try {
                so.addConfigEntry("session.intra_op.allow_spinning", "0");
                so.addConfigEntry("session.inter_op.allow_spinning", "0");
            } catch (OrtException e) {
                so.close();
                throw new IllegalStateException("Could not configure ONNX Runtime: " + e.getMessage(), e);
            }
            holder[0] = so;
            return so;
        }
    }
}
