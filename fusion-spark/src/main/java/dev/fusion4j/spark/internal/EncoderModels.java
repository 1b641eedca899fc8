package dev.fusion4j.spark.internal;

import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.encoders.BertTextEncoder;
import dev.fusion4j.encoders.CnnImageEncoder;
import dev.fusion4j.encoders.ModelSource;
import dev.fusion4j.models.BundledModels;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a model param into an encoder: {@value #BUNDLED_TEXT} / {@value #BUNDLED_IMAGE} (the models bundled in
 * fusion-models, on the class path of every executor), or a local directory present on every executor (for text: a
 * BERT-family ONNX or TorchScript file beside its {@code tokenizer.json}; for images: a CNN file, ImageNet
 * preprocessing).
 */
public final class EncoderModels {
    /** The bundled all-MiniLM-L6-v2. */
    public static final String BUNDLED_TEXT = "bundled:all-minilm-l6-v2";
    /** The bundled MobileNetV2. */
    public static final String BUNDLED_IMAGE = "bundled:mobilenet-v2";

    private EncoderModels() {
    }

    /** Refuses a name that is neither bundled nor a plausible path (checked on the driver, before any task). */
    public static void check(String model, String bundled, String what) {
        if (model.startsWith("bundled:") && !model.equals(bundled)) {
            throw new InvalidInputException("Unknown bundled " + what + " model '" + model + "': the bundled one is '"
                    + bundled + "'; anything else is a directory present on every executor");
        }
        if (model.isBlank()) {
            throw new InvalidInputException("The " + what + " model is empty: use '" + bundled
                    + "' or a directory present on every executor");
        }
    }

    /** A text encoder for {@code model} with {@code threads} ONNX Runtime intra-op threads. */
    public static TextEncoder text(String model, int threads) {
        if (model.equals(BUNDLED_TEXT)) {
            return BundledModels.miniLmTextBuilder().intraOpThreads(threads).build();
        }
        check(model, BUNDLED_TEXT, "text");
        Path dir = directory(model, "text");
        Path tokenizer = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizer)) {
            throw new InvalidInputException("The text model directory " + dir + " has no tokenizer.json: put the"
                    + " model's HuggingFace tokenizer.json beside its .onnx or .pt file");
        }
        return BertTextEncoder.builder().model(ModelSource.path(dir)).tokenizer(ModelSource.path(tokenizer))
                .intraOpThreads(threads).build();
    }

    /**
     * An image encoder for {@code model} with {@code threads} ONNX Runtime intra-op threads and
     * {@code preparationThreads} threads decoding images beside them (0: on the calling thread alone).
     */
    public static ImageEncoder image(String model, int threads, int preparationThreads) {
        if (model.equals(BUNDLED_IMAGE)) {
            return BundledModels.mobileNetV2ImageBuilder().intraOpThreads(threads)
                    .preparationThreads(preparationThreads).build();
        }
        check(model, BUNDLED_IMAGE, "image");
        return CnnImageEncoder.builder().model(ModelSource.path(directory(model, "image"))).intraOpThreads(threads)
                .preparationThreads(preparationThreads).build();
    }

    private static Path directory(String model, String what) {
        Path dir = Path.of(model.startsWith("file:") ? java.net.URI.create(model).getPath() : model);
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("The " + what + " model directory " + dir + " does not exist on this"
                    + " executor: copy it to every node (or ship it with spark-submit --archives) and give its local"
                    + " path");
        }
        return dir;
    }
}
