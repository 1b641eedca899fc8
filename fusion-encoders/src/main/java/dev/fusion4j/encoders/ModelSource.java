package dev.fusion4j.encoders;

import dev.fusion4j.api.InvalidInputException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    private final String sha256;
    private final List<Path> allowedDirectories;

    private ModelSource(Kind kind, Path path, String location, ModelFormat format, boolean allowDownload,
                        String sha256, List<Path> allowedDirectories) {
        this.kind = kind;
        this.path = path;
        this.location = location;
        this.format = format;
        this.allowDownload = allowDownload;
        this.sha256 = sha256;
        this.allowedDirectories = allowedDirectories;
    }

    private ModelSource(Kind kind, Path path, String location) {
        this(kind, path, location, null, false, null, List.of());
    }

    /** A model file, or a directory holding exactly one {@code .onnx} or {@code .pt} model file. */
    public static ModelSource path(Path path) {
        if (path == null) {
            throw new InvalidInputException("Model path is null: pass the model file or its directory");
        }
        return new ModelSource(Kind.PATH, path, path.toString());
    }

    /** A model file on the class path, e.g. {@code "dev/fusion4j/models/x.onnx"} (no leading slash needed). */
    public static ModelSource classpath(String resource) {
        if (resource == null || resource.isBlank()) {
            throw new InvalidInputException("Class-path resource name is null or blank: pass e.g. \"models/model.onnx\"");
        }
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        return new ModelSource(Kind.CLASSPATH, null, name);
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
            return new ModelSource(Kind.PATH, Path.of(uri), url);
        }
        return new ModelSource(Kind.URL, null, url);
    }

    /** States the format instead of detecting it; a file of another format is then refused. */
    public ModelSource format(ModelFormat format) {
        return new ModelSource(kind, path, location, Objects.requireNonNull(format, "format"), allowDownload, sha256,
                allowedDirectories);
    }

    /** Lets a network URL be fetched (DJL caches it under ~/.djl.ai). Off by default. */
    public ModelSource allowDownload(boolean allow) {
        return new ModelSource(kind, path, location, format, allow, sha256, allowedDirectories);
    }

    /**
     * Requires the model file's SHA-256 to be {@code hex} (64 hex digits); a file with any other content is
     * refused with a {@link dev.fusion4j.api.ModelLoadException} before the engine sees it. Model files are
     * code-like inputs (TorchScript holds a program, ONNX a graph that native kernels run): pin what you load.
     */
    public ModelSource sha256(String hex) {
        if (hex == null || !hex.matches("[0-9a-fA-F]{64}")) {
            throw new InvalidInputException("SHA-256 '" + hex + "' is not 64 hexadecimal digits");
        }
        return new ModelSource(kind, path, location, format, allowDownload, hex.toLowerCase(java.util.Locale.ROOT),
                allowedDirectories);
    }

    /**
     * Allows loading only from below these directories (after resolving symbolic links); a model elsewhere is
     * refused with a {@link dev.fusion4j.api.ModelLoadException}. Only for {@link Kind#PATH} sources.
     */
    public ModelSource allowedDirectories(Path... directories) {
        if (kind != Kind.PATH) {
            throw new InvalidInputException("allowedDirectories applies to path sources, not " + describe());
        }
        if (directories == null || directories.length == 0) {
            throw new InvalidInputException("allowedDirectories needs at least one directory");
        }
        List<Path> dirs = new ArrayList<>();
        for (Path d : directories) {
            dirs.add(Objects.requireNonNull(d, "directory").toAbsolutePath().normalize());
        }
        return new ModelSource(kind, path, location, format, allowDownload, sha256, List.copyOf(dirs));
    }

    /** The expected SHA-256 (lower-case hex), if one was set. */
    public Optional<String> expectedSha256() {
        return Optional.ofNullable(sha256);
    }

    /** The directories a path source must lie under; empty means anywhere. */
    public List<Path> allowedDirectoryList() {
        return allowedDirectories;
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
                && allowDownload == s.allowDownload && Objects.equals(sha256, s.sha256)
                && allowedDirectories.equals(s.allowedDirectories);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, location, format, allowDownload, sha256, allowedDirectories);
    }

    @Override
    public String toString() {
        return "ModelSource[" + describe() + (format != null ? ", " + format : "") + "]";
    }
}
