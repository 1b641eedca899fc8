package dev.fusion4j.spark;

import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.core.train.FusionModel;
import dev.fusion4j.spark.internal.ModelFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Two ways to get a {@link FusionModel} trained on the driver to the executors:
 *
 * <ul>
 *   <li>{@link #upload}: a file on the cluster file system ({@code hdfs://}, {@code s3a://}, or a shared mount);
 *       give its URI to {@link FusionEmbedderTransformer#setFusionModel(String)}. Each executor copies it once per
 *       JVM. The stage and a pipeline holding it save and load: use this for anything you keep.</li>
 *   <li>{@link #broadcast}: the model's bytes as a Spark broadcast variable, for
 *       {@link FusionEmbedderTransformer#setFusionModelBroadcast(Broadcast)}. Needs no shared file system, but
 *       lives only as long as this application, so such a stage cannot be saved.</li>
 * </ul>
 */
public final class ModelShipping {
    private ModelShipping() {
    }

    /**
     * Saves {@code model} to {@code target} (any Hadoop file system URI, or a local path every executor sees),
     * replacing a file there, and returns {@code target}.
     */
    public static String upload(FusionModel model, SparkSession spark, String target) {
        if (model == null || target == null || target.isBlank()) {
            throw new InvalidInputException("upload needs a model and a target URI, e.g. hdfs:///models/m.f4m");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("fusion4j-upload-");
            Path file = dir.resolve("model.f4m");
            model.save(file);
            ModelFiles.upload(file, target, spark.sparkContext().hadoopConfiguration());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not make a temporary directory for the model", e);
        } finally {
            if (dir != null) {
                dir.resolve("model.f4m").toFile().delete();
                dir.toFile().delete();
            }
        }
    }

    /** Broadcasts the bytes {@code model} saves to (a few MB for a typical fusion head). */
    public static Broadcast<byte[]> broadcast(FusionModel model, SparkSession spark) {
        if (model == null) {
            throw new InvalidInputException("The model to broadcast is null");
        }
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(ModelFiles.bytes(model));
    }

    /** The hex SHA-256 of {@code bytes} (what keys a broadcast model in the executor cache). */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }
}
