package dev.fusion4j.encoders.internal;

import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.encoders.ModelFormat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the model file in a directory and tells its format from its first bytes: a TorchScript file
 * is a ZIP archive ({@code PK\3\4}); an ONNX file is a protocol buffer whose first field is the IR version
 * (tag byte {@code 0x08}).
 */
public final class ModelFiles {
    private static final int SNIFF_BYTES = 8;

    private ModelFiles() {
    }

    /** The model file itself, or the single {@code .onnx}/{@code .pt} file in a directory. */
    public static Path findModelFile(Path path, String what) {
        if (!Files.exists(path)) {
            throw new ModelLoadException("The " + what + " file " + path + " does not exist: check the path");
        }
        if (Files.isRegularFile(path)) {
            return path;
        }
        List<Path> candidates;
        try (Stream<Path> files = Files.list(path)) {
            candidates = files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return n.endsWith(".onnx") || n.endsWith(".pt") || n.endsWith(".torchscript");
                    })
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new ModelLoadException("Could not list the " + what + " directory " + path + ": " + e.getMessage(), e);
        }
        if (candidates.isEmpty()) {
            throw new ModelLoadException("The " + what + " directory " + path + " holds no .onnx or .pt file:"
                    + " put the model there or pass the model file itself");
        }
        if (candidates.size() > 1) {
            throw new ModelLoadException("The " + what + " directory " + path + " holds several model files " + candidates
                    .stream().map(p -> p.getFileName().toString()).collect(Collectors.toList())
                    + ": pass the one to use with ModelSource.path(file)");
        }
        return candidates.get(0);
    }

    /** Refuses a model file that does not lie under one of {@code allowed} (empty = anywhere), links resolved. */
    public static void checkAllowed(Path file, List<Path> allowed, String what) {
        if (allowed.isEmpty()) {
            return;
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw new ModelLoadException("Could not resolve the " + what + " file " + file + ": " + e.getMessage(), e);
        }
        for (Path dir : allowed) {
            Path realDir;
            try {
                realDir = dir.toRealPath();
            } catch (IOException e) {
                continue;
            }
            if (real.startsWith(realDir)) {
                return;
            }
        }
        throw new ModelLoadException("The " + what + " file " + file + " (" + real + ") is outside the allowed"
                + " directories " + allowed + ": move it there or widen ModelSource.allowedDirectories(..)");
    }

    /** SHA-256 of a file, lower-case hex. */
    public static String sha256(Path file, String what) {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new ModelLoadException("Could not read the " + what + " file " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 of bytes, lower-case hex. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    /** Refuses content whose SHA-256 is not the expected one. */
    public static void checkSha256(String actual, String expected, Object where, String what) {
        if (!actual.equals(expected)) {
            throw new ModelLoadException("The " + what + " " + where + " has SHA-256 " + actual + " but " + expected
                    + " was expected: the file was changed or replaced; refusing to load it");
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Detects the format of a file; a stated format that disagrees with the content is an error. */
    public static ModelFormat detectFormat(Path file, ModelFormat stated, String what) {
        byte[] head = new byte[SNIFF_BYTES];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, SNIFF_BYTES);
        } catch (IOException e) {
            throw new ModelLoadException("Could not read the " + what + " file " + file + ": " + e.getMessage(), e);
        }
        return detect(head, n, file.toString(), stated, what);
    }

    /** Detects the format of bytes read from {@code name}. */
    public static ModelFormat detectFormat(byte[] bytes, String name, ModelFormat stated, String what) {
        return detect(bytes, Math.min(bytes.length, SNIFF_BYTES), name, stated, what);
    }

    /** The format a URL names by its extension or DJL group, or null when it does not say. */
    public static ModelFormat formatFromUrl(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.endsWith(".onnx") || u.contains("ai.djl.onnxruntime")) {
            return ModelFormat.ONNX;
        }
        if (u.endsWith(".pt") || u.contains("ai.djl.pytorch")) {
            return ModelFormat.TORCHSCRIPT;
        }
        return null;
    }

    private static ModelFormat detect(byte[] head, int n, String name, ModelFormat stated, String what) {
        if (n == 0) {
            throw new ModelLoadException("The " + what + " file " + name + " is empty: it is not a model; replace it with"
                    + " a complete ONNX or TorchScript file");
        }
        ModelFormat sniffed = null;
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            sniffed = ModelFormat.TORCHSCRIPT;
        } else if (head[0] == 0x08) {
            sniffed = ModelFormat.ONNX;
        }
        if (stated != null && sniffed != null && stated != sniffed) {
            throw new ModelLoadException("The " + what + " file " + name + " is in " + sniffed + " format but was given as "
                    + stated + ": load it with ModelSource.format(ModelFormat." + sniffed + ") or convert it to " + stated);
        }
        if (sniffed != null) {
            return sniffed;
        }
        if (stated != null) {
            return stated;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".onnx")) {
            return ModelFormat.ONNX;
        }
        throw new ModelLoadException("The " + what + " file " + name + " is neither an ONNX model nor a TorchScript"
                + " archive (unrecognised first bytes): check that it is a complete model file");
    }
}
