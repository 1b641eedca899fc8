package dev.fusion4j.spark.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The executor-JVM-wide cache of loaded embedders, one per {@link EmbedderConfig}: the first task of a
 * configuration loads its models (the others of that configuration wait for it, those of other configurations do
 * not), every later task and job reuses them. Loads are counted per configuration.
 *
 * <p>Lifecycle: what is cached stays loaded until {@link #closeAll()}, which a JVM shutdown hook also calls, so
 * the native memory of the encoders is freed when an executor exits. A load that fails is not cached: the next
 * task tries again (and fails the same way if the configuration is wrong, which fails the job with its message).
 */
public final class EmbedderCache {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedderCache.class);
    private static final Map<EmbedderConfig, Slot> SLOTS = new ConcurrentHashMap<>();
    private static final Map<EmbedderConfig, Integer> LOADS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(EmbedderCache::closeAll, "fusion4j-spark-close"));
    }

    private EmbedderCache() {
    }

    /** The embedder of {@code config}, loading it if this JVM has not yet. */
    public static LoadedEmbedder get(EmbedderConfig config, Supplier<byte[]> broadcastModel) {
        return SLOTS.computeIfAbsent(config, Slot::new).get(broadcastModel);
    }

    /** Successful loads in this JVM by configuration description, in no particular order. */
    public static Map<String, Integer> loads() {
        Map<String, Integer> out = new LinkedHashMap<>();
        LOADS.forEach((config, n) -> out.merge(config.describe(), n, Integer::sum));
        return out;
    }

    /** Closes and forgets every cached embedder (and the load counts); the next task loads again. */
    public static synchronized void closeAll() {
        List<Slot> slots = new ArrayList<>(SLOTS.values());
        SLOTS.clear();
        LOADS.clear();
        for (Slot slot : slots) {
            slot.close();
        }
    }

    /** One configuration's embedder, loaded on first use. */
    private static final class Slot {
        private final EmbedderConfig config;
        private LoadedEmbedder loaded;
        private boolean closed;

        Slot(EmbedderConfig config) {
            this.config = config;
        }

        synchronized LoadedEmbedder get(Supplier<byte[]> broadcastModel) {
            if (closed) {
                // closeAll ran between the lookup and here: load through a fresh slot
                return EmbedderCache.get(config, broadcastModel);
            }
            if (loaded == null) {
                long start = System.nanoTime();
                loaded = LoadedEmbedder.load(config, broadcastModel);
                LOADS.merge(config, 1, Integer::sum);
                LOG.info("fusion4j loaded {} in {} ms", config.describe(), (System.nanoTime() - start) / 1_000_000);
            }
            return loaded;
        }

        synchronized void close() {
            closed = true;
            if (loaded != null) {
                try {
                    loaded.close();
                } catch (RuntimeException e) {
                    LOG.warn("Could not close the fusion4j models of {}: {}", config.describe(), e.toString());
                }
                loaded = null;
            }
        }
    }
}
