package dev.fusion4j.spark.internal;

import java.io.Serializable;

/**
 * Everything that decides what an executor loads for a {@code FusionEmbedderTransformer}: the key of the executor
 * cache, so two stages (or two jobs) with the same models, strategy, threads and batch size share one load.
 * Column names are not part of it: they do not change what is loaded.
 *
 * @param textModel the text model ({@link EncoderModels}), or null when the stage reads no text
 * @param imageModel the image model, or null when the stage reads no image
 * @param strategy the strategy spec ({@code dev.fusion4j.spark.StrategySpecs}); unused when a model is given
 * @param fusionModel where the trained {@code FusionModel} is (a path or URI, or {@code broadcast:SHA-256} for
 *     broadcast bytes), or null for the strategy spec
 * @param threads native threads one task may use (resolved on the executor, at least 1)
 * @param batchSize records per {@code embedAll} call
 */
public record EmbedderConfig(String textModel, String imageModel, String strategy, String fusionModel, int threads,
        int batchSize) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The number of encoders this configuration loads (1 or 2). */
    public int encoders() {
        return (textModel != null ? 1 : 0) + (imageModel != null ? 1 : 0);
    }

    /**
     * Whether the embedder runs its encoders at the same time: only when the task has a thread for each
     * ({@code threads >= encoders}); a one-thread task with a text and an image encodes one after the other on the
     * task's own thread, so that it uses the one core Spark reserved for it.
     */
    public boolean concurrentEncoders() {
        return threads >= encoders();
    }

    /**
     * ONNX Runtime intra-op threads of each encoder: the task's threads split between its encoders when they run
     * at the same time, all of them for each when they run one after the other (at least 1).
     */
    public int intraOpThreadsPerEncoder() {
        return Math.max(1, concurrentEncoders() ? threads / Math.max(1, encoders()) : threads);
    }

    /**
     * Threads that decode and preprocess images beside the encoders': the task's threads left over after the
     * encoders' intra-op threads (0 unless they do not divide evenly: the images are then decoded on the thread that
     * runs the image model, one batch after the other).
     */
    public int imagePreparationThreads() {
        int atOnce = concurrentEncoders() ? encoders() : 1;
        return Math.max(0, threads - atOnce * intraOpThreadsPerEncoder());
    }

    /** A one-line description (what the load counts are keyed by). */
    public String describe() {
        return "text=" + textModel + ", image=" + imageModel + ", "
                + (fusionModel != null ? "model=" + fusionModel : "strategy=" + strategy)
                + ", threads=" + threads + ", batch=" + batchSize;
    }
}
