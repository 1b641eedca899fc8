package dev.fusion4j.spark.internal;

import dev.fusion4j.api.FusionException;
import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.core.train.FusionModel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Moves trained {@link FusionModel} files between the driver, the cluster file system and executors. A model is
 * loaded from a local file, so a model on HDFS, S3 or any Hadoop file system is first copied to a temporary local
 * file (once per executor JVM and configuration: the executor cache calls this only when it loads).
 */
public final class ModelFiles {
    /** The {@code fusionModel} value prefix that stands for a broadcast model ({@code broadcast:SHA-256}). */
    public static final String BROADCAST_PREFIX = "broadcast:";

    private ModelFiles() {
    }

    /** Whether {@code where} is a local path (no scheme, or {@code file:}). */
    static boolean isLocal(String where) {
        try {
            String scheme = URI.create(where).getScheme();
            // a one-letter scheme is a Windows drive (C:\models\m.f4m)
            return scheme == null || scheme.equals("file") || scheme.length() == 1;
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    /** A local file holding the model at {@code where}: the file itself when local, else a temporary copy. */
    static Path localCopy(String where) {
        if (isLocal(where)) {
            Path local = where.startsWith("file:") ? Path.of(URI.create(where)) : Path.of(where);
            if (!Files.isRegularFile(local)) {
                throw new ModelLoadException("The fusion model " + local + " does not exist on this executor: put it"
                        + " on a file system every executor reads (hdfs://, s3a://, ...) or ship it as broadcast"
                        + " bytes (ModelShipping.broadcast)");
            }
            return local;
        }
        try {
            Path tmp = Files.createTempFile("fusion4j-model-", ".f4m");
            tmp.toFile().deleteOnExit();
            org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(where);
            FileSystem fs = remote.getFileSystem(new Configuration());
            fs.copyToLocalFile(false, remote, new org.apache.hadoop.fs.Path(tmp.toUri()), true);
            return tmp;
        } catch (IOException e) {
            throw new ModelLoadException("Could not copy the fusion model " + where + " to this executor: "
                    + e.getMessage() + ". Check the path and that the executors can read it", e);
        }
    }

    /** Copies the local file {@code local} to {@code target} on its (Hadoop) file system, replacing it. */
    public static void upload(Path local, String target, Configuration hadoop) {
        try {
            org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(target);
            FileSystem fs = remote.getFileSystem(hadoop);
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), remote);
        } catch (IOException e) {
            throw new FusionException("Could not write the fusion model to " + target + ": " + e.getMessage()
                    + ". Check that the directory exists and is writable", e);
        }
    }

    /** The bytes {@code model} saves to. */
    public static byte[] bytes(FusionModel model) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("fusion4j-model-");
            Path file = dir.resolve("model.f4m");
            model.save(file);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the fusion model to a temporary file", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The model saved as {@code bytes}. */
    static FusionModel fromBytes(byte[] bytes) {
        if (bytes == null) {
            throw new ModelLoadException("The broadcast fusion model is missing: give the stage the Broadcast that"
                    + " ModelShipping.broadcast returned (setFusionModelBroadcast)");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("fusion4j-model-");
            Path file = dir.resolve("model.f4m");
            Files.write(file, bytes);
            return FusionModel.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the broadcast fusion model to a temporary file", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless; the OS cleans it
        }
    }
}
