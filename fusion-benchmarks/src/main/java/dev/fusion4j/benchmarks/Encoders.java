package dev.fusion4j.benchmarks;

import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.encoders.BertTextEncoder;
import dev.fusion4j.encoders.CnnImageEncoder;
import dev.fusion4j.encoders.ModelFormat;
import dev.fusion4j.encoders.ModelSource;
import dev.fusion4j.encoders.Pooling;
import dev.fusion4j.models.BundledModels;

/**
 * The bundled encoders: exactly {@link BundledModels} when the thread settings are the library defaults
 * ({@code threads = 0}, {@code spinning = "default"}), else the same configuration with ONNX Runtime
 * threads set explicitly ({@code threads = -1}: ONNX Runtime's own default, one per physical core).
 */
final class Encoders {
    private Encoders() {
    }

    static boolean isDefault(int threads, String spinning) {
        return threads == 0 && "default".equals(spinning);
    }

    /** The spinning setting as a Boolean, null for the default. */
    static Boolean spinning(String spinning) {
        return "default".equals(spinning) ? null : Boolean.valueOf(spinning);
    }

    static TextEncoder miniLm(int threads, String spinning) {
        if (isDefault(threads, spinning)) {
            return BundledModels.miniLmText();
        }
        BertTextEncoder.Builder b = BertTextEncoder.builder()
                .model(ModelSource.classpath(BenchData.MINILM_MODEL).format(ModelFormat.ONNX))
                .tokenizer(ModelSource.classpath(BenchData.MINILM_TOKENIZER))
                .pooling(Pooling.MEAN)
                .normalize(true)
                .maxLength(BenchData.MINILM_MAX_LENGTH)
                .name("all-minilm-l6-v2")
                .intraOpThreads(Math.max(0, threads));
        if (spinning(spinning) != null) {
            b.threadSpinning(spinning(spinning));
        }
        return b.build();
    }

    static ImageEncoder mobileNet(int threads, String spinning) {
        if (isDefault(threads, spinning)) {
            return BundledModels.mobileNetV2Image();
        }
        CnnImageEncoder.Builder b = CnnImageEncoder.builder()
                .model(ModelSource.classpath(BenchData.MOBILENET_MODEL).format(ModelFormat.ONNX))
                .preprocessing(BundledModels.mobileNetV2Preprocessing())
                .name("mobilenet-v2-1.0-224")
                .intraOpThreads(Math.max(0, threads));
        if (spinning(spinning) != null) {
            b.threadSpinning(spinning(spinning));
        }
        return b.build();
    }
}
