package dev.fusion4j.encoders;

import dev.fusion4j.api.InvalidInputException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a model comes from: a file or directory ({@link #path(Path)}), a class-path resource
 * ({@link #classpath(String)}), or a DJL URL ({@link #url(String)}: {@code file://}, {@code djl://},
 * {@code https://}, ...).
 *
 * <p>Offline by default: a URL that needs the network is refused with a
 * {@link dev.fusion4j.api.ModelLoadException} unless {@link #allowDownload(boolean)} is set, and even then when
 * {@code ai.djl.offline=true}. Immutable: the {@code with}-style methods return new instances.
 *
 * <pre>{@code
 * ModelSource.path(Path.of("models/resnet50"))              // a directory with one .onnx or .pt file
 * ModelSource.path(Path.of("model.onnx")).format(ModelFormat.ONNX)
 * ModelSource.url("djl://ai.djl.pytorch/resnet18_embedding").allowDownload(true)
 * }</pre>
 */
public final class ModelSource {
    /** What kind of location a source names. */
    public enum Kind { PATH, CLASSPATH, URL }

    private final Kind kind;
    private final Path path;
    private final String location;
    private final ModelFormat format;
    private final boolean allowDownload;

    private ModelSource(Kind kind, Path path, String location, ModelFormat format, boolean allowDownload) {
        this.kind = kind;
        this.path = path;
        this.location = location;
        this.format = format;
        this.allowDownload = allowDownload;
    }

    /** A model file, or a directory holding exactly one {@code .onnx} or {@code .pt} model file. */
    public static ModelSource path(Path path) {
        if (path == null) {
            throw new InvalidInputException("Model path is null: pass the model file or its directory");
        }
        return new ModelSource(Kind.PATH, path, path.toString(), null, false);
    }

    /** A model file on the class path, e.g. {@code "dev/fusion4j/models/x.onnx"} (no leading slash needed). */
    public static ModelSource classpath(String resource) {
        if (resource == null || resource.isBlank()) {
            throw new InvalidInputException("Class-path resource name is null or blank: pass e.g. \"models/model.onnx\"");
        }
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        return new ModelSource(Kind.CLASSPATH, null, name, null, false);
    }

    /** A DJL URL. {@code file:} URLs are read as paths; other schemes need {@link #allowDownload(boolean)}. */
    public static ModelSource url(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidInputException("Model URL is null or blank: pass e.g. \"file:///models/bert\" or \"djl://...\"");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("Model URL '" + url + "' is malformed: " + e.getMessage(), e);
        }
        if (uri.getScheme() == null) {
            throw new InvalidInputException("Model URL '" + url + "' has no scheme: use file://, djl://, https://"
                    + " or ModelSource.path(..) for a local file");
        }
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            return new ModelSource(Kind.PATH, Path.of(uri), url, null, false);
        }
        return new ModelSource(Kind.URL, null, url, null, false);
    }

    /** States the format instead of detecting it; a file of another format is then refused. */
    public ModelSource format(ModelFormat format) {
        return new ModelSource(kind, path, location, Objects.requireNonNull(format, "format"), allowDownload);
    }

    /** Lets a network URL be fetched (DJL caches it under ~/.djl.ai). Off by default. */
    public ModelSource allowDownload(boolean allow) {
        return new ModelSource(kind, path, location, format, allow);
    }

    public Kind kind() {
        return kind;
    }

    /** The local path, for {@link Kind#PATH} sources (including {@code file:} URLs). */
    public Optional<Path> localPath() {
        return Optional.ofNullable(path);
    }

    /** The path, resource name or URL as given. */
    public String location() {
        return location;
    }

    /** The format stated with {@link #format(ModelFormat)}, if any. */
    public Optional<ModelFormat> format() {
        return Optional.ofNullable(format);
    }

    public boolean downloadAllowed() {
        return allowDownload;
    }

    /** A description for messages and identifiers, e.g. {@code "classpath:models/x.onnx"}. */
    public String describe() {
        return switch (kind) {
            case PATH -> "path:" + location;
            case CLASSPATH -> "classpath:" + location;
            case URL -> location;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSource s && kind == s.kind && location.equals(s.location) && format == s.format
                && allowDownload == s.allowDownload;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, location, format, allowDownload);
    }

    @Override
    public String toString() {
        return "ModelSource[" + describe() + (format != null ? ", " + format : "") + "]";
    }
}
