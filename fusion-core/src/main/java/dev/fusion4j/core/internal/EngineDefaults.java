package dev.fusion4j.core.internal;

/**
 * Process-wide engine settings fusion4j chooses unless the application already did.
 *
 * <p>PyTorch's intra-op parallelism is the wrong default for fusion: the operators are small (microseconds to a
 * millisecond), and with two threads on a two-core machine that also runs the encoders, or with any other process
 * holding a core, a batch-1 call waited 10 to 80 times longer for its worker threads (docs/performance.md). So
 * fusion4j sets {@code ai.djl.pytorch.num_threads=1} and {@code ai.djl.pytorch.num_interop_threads=1} before the
 * PyTorch engine starts, only when they are unset; raise them with {@code -Dai.djl.pytorch.num_threads=N}. The
 * settings take effect only if the engine has not started yet (DJL reads them once).
 */
public final class EngineDefaults {
    private EngineDefaults() {
    }

    /** Applies the defaults (idempotent). */
    public static void apply() {
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
