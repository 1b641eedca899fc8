package dev.fusion4j.spark.internal;

import dev.fusion4j.api.FusionException;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.MultimodalEmbedder;
import dev.fusion4j.api.TextEncoder;
import dev.fusion4j.core.Fusion;
import dev.fusion4j.core.train.FusionModel;
import dev.fusion4j.spark.StrategySpecs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What one executor JVM holds for one {@link EmbedderConfig}: the encoders, the trained model if any, and the
 * embedder over them. It owns all of them and {@link #close()} frees their native memory.
 */
public final class LoadedEmbedder implements AutoCloseable {
    private final List<AutoCloseable> owned;
    private final MultimodalEmbedder embedder;

    private LoadedEmbedder(List<AutoCloseable> owned, MultimodalEmbedder embedder) {
        this.owned = owned;
        this.embedder = embedder;
    }

    /**
     * Loads the encoders and the strategy or trained model of {@code config}; on failure closes what it had
     * loaded and rethrows.
     *
     * @param broadcastModel the bytes of a broadcast {@code FusionModel}, read only when {@code config} names one
     */
    static LoadedEmbedder load(EmbedderConfig config, Supplier<byte[]> broadcastModel) {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            int threads = config.intraOpThreadsPerEncoder();
            Fusion.Builder builder = Fusion.builder().batchSize(config.batchSize())
                    .concurrentEncoding(config.concurrentEncoders());
            TextEncoder text = null;
            ImageEncoder image = null;
            if (config.textModel() != null) {
                text = EncoderModels.text(config.textModel(), threads);
                owned.add(text);
                builder.text(text);
            }
            if (config.imageModel() != null) {
                image = EncoderModels.image(config.imageModel(), threads, config.imagePreparationThreads());
                owned.add(image);
                builder.image(image);
            }
            if (config.fusionModel() != null) {
                FusionModel model = loadModel(config.fusionModel(), broadcastModel);
                owned.add(model);
                if (text != null) {
                    model.checkEncoder(Modality.TEXT, text.id());
                }
                if (image != null) {
                    model.checkEncoder(Modality.IMAGE, image.id());
                }
                builder.strategy(model);
            } else {
                builder.strategy(StrategySpecs.parse(config.strategy()));
            }
            MultimodalEmbedder embedder = builder.build();
            owned.add(0, embedder);
            return new LoadedEmbedder(owned, embedder);
        } catch (RuntimeException | Error e) {
            closeAll(owned, e);
            throw e;
        }
    }

    private static FusionModel loadModel(String where, Supplier<byte[]> broadcastModel) {
        if (where.startsWith(ModelFiles.BROADCAST_PREFIX)) {
            return ModelFiles.fromBytes(broadcastModel.get());
        }
        Path local = ModelFiles.localCopy(where);
        return FusionModel.load(local);
    }

    /** The embedder (thread-safe; shared by every task of this JVM that has the same configuration). */
    public MultimodalEmbedder embedder() {
        return embedder;
    }

    /** Closes the embedder, then the model and encoders (idempotent: each of them is). */
    @Override
    public void close() {
        RuntimeException failure = closeAll(owned, null);
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException closeAll(List<AutoCloseable> owned, Throwable primary) {
        RuntimeException failure = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (failure == null) {
                    failure = e instanceof RuntimeException re ? re
                            : new FusionException("Could not close " + c + ": " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }
}
