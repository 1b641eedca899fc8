package dev.fusion4j.spark;

import dev.fusion4j.spark.internal.EmbedderCache;

import java.util.Map;

/**
 * What this JVM (an executor, or the driver in local mode) has loaded for {@link FusionEmbedderTransformer}s.
 *
 * <p>Each distinct configuration (models, strategy or trained model, threads, batch size) is loaded once, by the
 * first task that needs it, and kept for every later task and job of the JVM. Its native memory is freed by
 * {@link #closeAll()} or, at the latest, by the JVM shutdown hook that closes everything when the executor exits.
 * Long-lived applications that move on to other models can call {@link #closeAll()} between jobs (never while a
 * job runs: its tasks would reload).
 */
public final class ExecutorEmbedders {
    private ExecutorEmbedders() {
    }

    /** Loads so far in this JVM, by a one-line description of each configuration. */
    public static Map<String, Integer> loads() {
        return EmbedderCache.loads();
    }

    /** Closes every cached encoder, model and embedder of this JVM and forgets the load counts. */
    public static void closeAll() {
        EmbedderCache.closeAll();
    }
}
