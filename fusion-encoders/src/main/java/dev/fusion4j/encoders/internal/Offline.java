package dev.fusion4j.encoders.internal;

/**
 * Keeps DJL off the network. DJL "calls home" (an EC2 metadata request, then a telemetry URL) when
 * a tokenizer or engine starts, unless {@code ai.djl.offline} or {@code OPT_OUT_TRACKING} is set;
 * fusion4j promises to download nothing, so it opts out unless the application decided otherwise.
 */
public final class Offline {
    private static final String OPT_OUT = "OPT_OUT_TRACKING";

    private Offline() {
    }

    /** Sets {@code OPT_OUT_TRACKING=true} unless the environment or a system property already says. */
    public static void optOutOfTelemetry() {
        if (System.getenv(OPT_OUT) == null && System.getProperty(OPT_OUT) == null) {
            System.setProperty(OPT_OUT, "true");
        }
    }
}
