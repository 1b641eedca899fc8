package dev.fusion4j.encoders.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes the native libraries ONNX Runtime's Java binding extracted for this JVM, and their directory.
 *
 * <p>ONNX Runtime 1.21.1 ({@code ai.onnxruntime.OnnxRuntime.init}) extracts {@code libonnxruntime.so} and
 * {@code libonnxruntime4j_jni.so} into a fresh {@code java.io.tmpdir/onnxruntime-java<digits>} and registers
 * the files, then the directory, for {@code deleteOnExit}; the JVM deletes in reverse order, so the
 * directory is tried first, while still full, and one empty directory is left behind per JVM. Once the
 * libraries are loaded they are no longer needed on disk (on Linux a mapped file can be unlinked; the
 * mapping stays valid), so right after fusion4j has loaded the engine this deletes them and then the
 * directory, if it is then empty.
 *
 * <p>Only what this process provably extracted is touched: files named {@code libonnxruntime*.so} that
 * {@code /proc/self/maps} shows mapped, whose parent is named {@code onnxruntime-java<digits>} directly under
 * {@code java.io.tmpdir}. Where there is no {@code /proc/self/maps} (macOS, Windows) nothing is done and
 * ONNX Runtime's empty directory remains. Failures are logged at DEBUG and never fail model loading.
 */
public final class OrtTempFiles {
    private static final Logger LOG = LoggerFactory.getLogger(OrtTempFiles.class);
    private static final Path MAPS = Path.of("/proc/self/maps");
    /** address perms offset dev inode pathname; the path may hold spaces. */
    private static final Pattern MAPPING = Pattern.compile("^\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\d+\\s+(/.*)$");
    private static final Pattern LIBRARY = Pattern.compile("libonnxruntime[^/]*\\.so");
    private static final Pattern DIRECTORY = Pattern.compile("onnxruntime-java\\d+");
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private OrtTempFiles() {
    }

    /** Runs {@link #removeExtracted} the first time it is called in this JVM (call it after ONNX Runtime is loaded). */
    public static void removeExtractedOnce() {
        if (!DONE.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!Files.isReadable(MAPS)) {
                LOG.debug("No {}: leaving ONNX Runtime's extracted libraries to its own deleteOnExit", MAPS);
                return;
            }
            List<Path> removed = removeExtracted(Files.readAllLines(MAPS), Path.of(System.getProperty("java.io.tmpdir")));
            LOG.debug("Removed ONNX Runtime's extracted native files {}", removed);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not remove ONNX Runtime's extracted native libraries", e);
        }
    }

    /**
     * Deletes the mapped ONNX Runtime libraries listed in {@code maps} (lines of {@code /proc/<pid>/maps})
     * that lie in an {@code onnxruntime-java<digits>} directory directly under {@code tmpDir}, then each such
     * directory if it is then empty.
     *
     * @return the files and directories deleted
     */
    static List<Path> removeExtracted(List<String> maps, Path tmpDir) {
        Set<Path> roots = new LinkedHashSet<>();
        roots.add(tmpDir.toAbsolutePath().normalize());
        try {
            roots.add(tmpDir.toRealPath()); // the kernel prints resolved paths
        } catch (IOException e) {
            // a missing tmpdir holds nothing of ours
        }
        Set<Path> files = new LinkedHashSet<>();
        for (String line : maps) {
            Matcher m = MAPPING.matcher(line);
            if (!m.matches() || m.group(1).endsWith(" (deleted)")) {
                continue;
            }
            Path file = Path.of(m.group(1));
            Path dir = file.getParent();
            if (dir != null && dir.getFileName() != null && LIBRARY.matcher(file.getFileName().toString()).matches()
                    && DIRECTORY.matcher(dir.getFileName().toString()).matches() && roots.contains(dir.getParent())) {
                files.add(file);
            }
        }
        List<Path> removed = new ArrayList<>();
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path file : files) {
            dirs.add(file.getParent());
            try {
                if (Files.deleteIfExists(file)) {
                    removed.add(file);
                }
            } catch (IOException e) {
                LOG.debug("Could not delete {}", file, e);
            }
        }
        for (Path dir : dirs) {
            try {
                Files.delete(dir);
                removed.add(dir);
            } catch (DirectoryNotEmptyException e) {
                LOG.debug("Leaving {}: it holds files this process did not map", dir);
            } catch (IOException e) {
                LOG.debug("Could not delete {}", dir, e);
            }
        }
        return removed;
    }
}
