package dev.fusion4j.encoders.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.PairList;
import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.encoders.ModelFormat;
import dev.fusion4j.encoders.ModelSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A loaded DJL model that many threads may run at once.
 *
 * <p>Each {@link #run} opens a sub-manager of the model's manager, builds the inputs in it, calls the
 * model's block directly (DJL's {@code Predictor} is not thread-safe; the underlying ONNX Runtime
 * session and TorchScript module are) and copies the outputs to Java arrays before the sub-manager,
 * and with it every native tensor of the call, is closed. Close waits for calls in flight and is
 * idempotent; a call after close throws {@link IllegalStateException}.
 */
public final class NativeModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NativeModel.class);

    static {
        Offline.optOutOfTelemetry();
        Offline.singleThreadedPyTorchByDefault();
    }

    private final Model model;
    private final ModelFormat format;
    private final String description;
    private final List<String> inputNames;
    private final CloseGuard guard;
    private final AutoCloseable extra;

    private NativeModel(Model model, ModelFormat format, String description) {
        this(model, format, description, null);
    }

    private NativeModel(Model model, ModelFormat format, String description, AutoCloseable extra) {
        this.guard = new CloseGuard("The model " + description);
        this.extra = extra;
        this.model = model;
        this.format = format;
        this.description = description;
        this.inputNames = readInputNames(model);
    }

    /**
     * Loads the model named by {@code source}.
     *
     * @param what what the model is for, used in messages ("text model", "image model")
     * @throws ModelLoadException if it is missing, unreadable, of the wrong format or corrupt
     */
    public static NativeModel load(ModelSource source, String what) {
        return load(source, what, RuntimeOptions.defaults());
    }

    /**
     * Loads the model named by {@code source} with the given runtime settings (ONNX Runtime threads).
     *
     * @throws ModelLoadException if it is missing, unreadable, of the wrong format or corrupt
     */
    public static NativeModel load(ModelSource source, String what, RuntimeOptions runtime) {
        return switch (source.kind()) {
            case PATH -> loadPath(source, what, runtime);
            case CLASSPATH -> loadClasspath(source, what, runtime);
            case URL -> loadUrl(source, what, runtime);
        };
    }

    private static NativeModel loadPath(ModelSource source, String what, RuntimeOptions runtime) {
        Path path = source.localPath().orElseThrow();
        Path file = ModelFiles.findModelFile(path, what);
        ModelFiles.checkAllowed(file, source.allowedDirectoryList(), what);
        source.expectedSha256().ifPresent(hex -> ModelFiles.checkSha256(ModelFiles.sha256(file, what), hex, file, what));
        ModelFormat format = ModelFiles.detectFormat(file, source.format().orElse(null), what);
        Model model = newModel(file.getFileName().toString(), format, what);
        AutoCloseable[] extra = new AutoCloseable[1];
        try {
            model.load(file, null, runtime.loadOptions(format, extra));
            return new NativeModel(model, format, "path:" + file, extra[0]);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            closeQuietly(extra[0]);
            throw loadFailure(what, "path:" + file, format, e);
        }
    }

    private static NativeModel loadClasspath(ModelSource source, String what, RuntimeOptions runtime) {
        String name = source.location();
        byte[] bytes;
        try (InputStream in = resourceStream(name)) {
            if (in == null) {
                throw new ModelLoadException("The " + what + " resource '" + name + "' is not on the class path:"
                        + " check the name and that the jar holding it is a dependency");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException("Could not read the " + what + " resource '" + name + "': " + e.getMessage(), e);
        }
        source.expectedSha256().ifPresent(hex -> ModelFiles.checkSha256(ModelFiles.sha256(bytes), hex, name, what));
        ModelFormat format = ModelFiles.detectFormat(bytes, name, source.format().orElse(null), what);
        String modelName = name.substring(name.lastIndexOf('/') + 1);
        Model model = newModel(modelName, format, what);
        AutoCloseable[] extra = new AutoCloseable[1];
        try {
            model.load(new java.io.ByteArrayInputStream(bytes), runtime.loadOptions(format, extra));
            deleteEngineTempDir(model);
            return new NativeModel(model, format, "classpath:" + name, extra[0]);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            deleteEngineTempDir(model);
            model.close();
            closeQuietly(extra[0]);
            throw loadFailure(what, "classpath:" + name, format, e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("Could not close {}", closeable, e);
        }
    }

    private static NativeModel loadUrl(ModelSource source, String what, RuntimeOptions runtime) {
        String url = source.location();
        if (!source.downloadAllowed()) {
            throw new ModelLoadException("The " + what + " URL '" + url + "' needs the network, and fusion4j is"
                    + " offline by default: download the model once and use ModelSource.path(..), or call"
                    + " .allowDownload(true) on the ModelSource");
        }
        if (Boolean.getBoolean("ai.djl.offline")) {
            throw new ModelLoadException("The " + what + " URL '" + url + "' needs the network but ai.djl.offline=true:"
                    + " use a local copy with ModelSource.path(..)");
        }
        ModelFormat format = source.format().orElseGet(() -> ModelFiles.formatFromUrl(url));
        if (format == null) {
            throw new ModelLoadException("Cannot tell the format of the " + what + " at '" + url + "': state it with"
                    + " ModelSource.url(..).format(ModelFormat.ONNX or TORCHSCRIPT)");
        }
        Criteria.Builder<NDList, NDList> builder = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelUrls(url)
                .optEngine(format.engine())
                .optTranslator(new NoopTranslator());
        if (format == ModelFormat.ONNX && !runtime.djlThreadOptions().isEmpty()) {
            builder.optOptions(runtime.djlThreadOptions());
        }
        Criteria<NDList, NDList> criteria = builder.build();
        try {
            NativeModel model = new NativeModel(criteria.loadModel(), format, url);
            if (format == ModelFormat.ONNX) {
                OrtTempFiles.removeExtractedOnce();
            }
            return model;
        } catch (Exception e) {
            throw loadFailure(what, url, format, e);
        }
    }

    private static InputStream resourceStream(String name) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        InputStream in = context == null ? null : context.getResourceAsStream(name);
        return in != null ? in : NativeModel.class.getClassLoader().getResourceAsStream(name);
    }

    private static Model newModel(String name, ModelFormat format, String what) {
        try {
            Engine engine = Engine.getEngine(format.engine());
            if (format == ModelFormat.ONNX) {
                OrtTempFiles.removeExtractedOnce(); // the engine has loaded ONNX Runtime's libraries by now
            }
            return engine.newModel(name, Device.cpu());
        } catch (RuntimeException e) {
            throw new ModelLoadException("The " + format.engine() + " engine needed for the " + what + " (" + format
                    + ") is not available: add ai.djl." + (format == ModelFormat.ONNX ? "onnxruntime:onnxruntime-engine"
                    : "pytorch:pytorch-engine and pytorch-native-cpu") + " to the class path (" + e.getMessage() + ")", e);
        }
    }

    private static ModelLoadException loadFailure(String what, String where, ModelFormat format, Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !reason.contains(cause.getMessage())) {
            reason += " (" + cause.getMessage() + ")";
        }
        return new ModelLoadException("Could not load the " + what + " from " + where + " as " + format + ": " + reason
                + ". Check that the file is a complete, uncorrupted " + format + " model", e);
    }

    /** DJL's load(InputStream) makes an empty temp directory per model; remove it now, not at JVM exit. */
    private static void deleteEngineTempDir(Model model) {
        Path dir = model.getModelPath();
        if (dir == null) {
            return;
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Path abs = dir.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "" : abs.getFileName().toString();
        if (abs.startsWith(tmp) && (name.startsWith("ort-model") || name.startsWith("pt-model"))) {
            try (Stream<Path> entries = Files.list(abs)) {
                if (entries.findAny().isEmpty()) {
                    Files.deleteIfExists(abs);
                }
            } catch (IOException e) {
                LOG.debug("Could not delete DJL temp directory {}", abs, e);
            }
        }
    }

    private static List<String> readInputNames(Model model) {
        try {
            PairList<String, Shape> description = model.describeInput();
            if (description == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (String key : description.keys()) {
                if (key == null) {
                    return List.of();
                }
                names.add(key);
            }
            return Collections.unmodifiableList(names);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The detected format. */
    public ModelFormat format() {
        return format;
    }

    /** Where the model came from, for identifiers and messages. */
    public String description() {
        return description;
    }

    /** The model's declared input names in order (ONNX); empty when the format has none (TorchScript). */
    public List<String> inputNames() {
        return inputNames;
    }

    /**
     * Runs the model once: {@code inputs} builds the input tensors in a call-scoped manager, {@code outputs}
     * copies what it needs out of the result; every native tensor of the call is freed before returning.
     */
    public <T> T run(Function<NDManager, NDList> inputs, Function<NDList, T> outputs) {
        return guard.call(() -> {
            try (NDManager call = model.getNDManager().newSubManager()) {
                NDList in = inputs.apply(call);
                NDList out = model.getBlock().forward(new ParameterStore(call, false), in, false);
                try {
                    return outputs.apply(out);
                } finally {
                    out.close();
                }
            }
        });
    }

    /** Waits for calls in flight, then frees the model; idempotent. */
    @Override
    public void close() {
        guard.close(() -> {
            try {
                model.close();
            } finally {
                closeQuietly(extra);
            }
        });
    }

    @Override
    public String toString() {
        return "NativeModel[" + description + ", " + format + "]";
    }
}
