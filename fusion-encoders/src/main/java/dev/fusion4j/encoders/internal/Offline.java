package dev.fusion4j.encoders.internal;

/**
 * Process-wide DJL settings fusion4j chooses unless the application did: no network, one PyTorch thread.
 *
 * <p>Keeps DJL off the network. DJL "calls home" (an EC2 metadata request, then a telemetry URL) when
 * a tokenizer or engine starts, unless {@code ai.djl.offline} or {@code OPT_OUT_TRACKING} is set;
 * fusion4j promises to download nothing, so it opts out unless the application decided otherwise.
 */
public final class Offline {
    private static final String OPT_OUT = "OPT_OUT_TRACKING";

    private Offline() {
    }

    /**
     * PyTorch intra-op and inter-op threads default to 1 unless set: small operators on a shared machine wait
     * far longer for worker threads than they compute (docs/performance.md). Raise with
     * {@code -Dai.djl.pytorch.num_threads=N}; read once, when the PyTorch engine starts.
     */
    public static void singleThreadedPyTorchByDefault() {
        for (String key : new String[] {"ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads"}) {
            if (System.getProperty(key) == null) {
                System.setProperty(key, "1");
            }
        }
    }

    /** Sets {@code OPT_OUT_TRACKING=true} unless the environment or a system property already says. */
    public static void optOutOfTelemetry() {
        if (System.getenv(OPT_OUT) == null && System.getProperty(OPT_OUT) == null) {
            System.setProperty(OPT_OUT, "true");
        }
    }
}
