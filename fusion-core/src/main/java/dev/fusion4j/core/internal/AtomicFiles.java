package dev.fusion4j.core.internal;

import dev.fusion4j.api.FusionException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe file replacement: the content goes to a temporary file in the target's directory, is forced to
 * disk, and is atomically renamed over the target (then the directory is forced). A crash at any moment leaves
 * either the old file or the new one, never half of one; at worst a {@code .tmp} file beside the target.
 */
public final class AtomicFiles {
    /** Writes a file's content; the stream is buffered and must not be closed by the body. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with what {@code body} writes.
     *
     * @param what what is saved, for the error message ("the model", "the index")
     * @throws FusionException if the file cannot be written or the file system cannot rename atomically
     */
    public static void write(Path target, String what, Body body) {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new FusionException("Cannot save " + what + " to " + file + ": the file system does not support"
                        + " an atomic rename in " + dir, e);
            }
            tmp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new FusionException("Cannot save " + what + " to " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
        }
    }

    /** Makes the rename durable where the platform can open a directory (Linux, macOS). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Windows cannot open a directory; the rename itself is still atomic
        }
    }
}
