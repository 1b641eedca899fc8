package dev.fusion4j.core.train;

import dev.fusion4j.api.Modality;

/**
 * Receives the progress of {@link PairTrainer#fit}, on the fitting thread; an exception thrown here aborts the
 * fit. Every method but {@link #onEpoch} has an empty default.
 */
public interface PairListener {

    /** Raw inputs are being encoded: {@code done} of {@code total} values of {@code modality}. */
    default void onEmbedding(Modality modality, int done, int total) {
    }

    /** Training starts with these many training and validation records. */
    default void onStart(int trainRecords, int validationRecords) {
    }

    /** One epoch has finished. */
    void onEpoch(PairEpochMetrics metrics);

    /** Training has finished. */
    default void onEnd(PairSummary summary) {
    }

    /** A listener that ignores everything. */
    static PairListener none() {
        return metrics -> { };
    }

    /** Logs one line per epoch through SLF4J ({@code dev.fusion4j.core.train.PairTrainer}, INFO). */
    static PairListener logging() {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PairTrainer.class);
        return new PairListener() {
            @Override
            public void onEpoch(PairEpochMetrics m) {
                log.info(String.format(java.util.Locale.ROOT, "pairs epoch %3d  loss %.4f (reconstruction %.4f,"
                        + " contrastive %.4f)  val %.4f  val recall@1 %.3f  1/τ %.2f  %.2f s", m.epoch(), m.trainLoss(),
                        m.reconstructionLoss(), m.contrastiveLoss(), m.valLoss(), m.valRecallAt1(), m.logitScale(),
                        m.seconds()));
            }

            @Override
            public void onEnd(PairSummary s) {
                log.info(String.format(java.util.Locale.ROOT, "pairs done: %d epochs, best %d, %.1f s", s.epochsRun(),
                        s.bestEpoch(), s.seconds()));
            }
        };
    }
}
