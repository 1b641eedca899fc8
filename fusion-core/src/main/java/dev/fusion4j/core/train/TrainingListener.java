package dev.fusion4j.core.train;

import dev.fusion4j.api.Modality;

/**
 * Receives the progress of {@link FusionTrainer#fit}. Called on the fitting thread; an exception thrown by
 * a listener aborts the fit. Every method but {@link #onEpoch} has an empty default.
 */
public interface TrainingListener {

    /** Raw examples are being embedded: {@code done} of {@code total} values of {@code modality} encoded. */
    default void onEmbedding(Modality modality, int done, int total) {
    }

    /** Training starts with these many training and validation examples and classes. */
    default void onStart(int trainExamples, int validationExamples, int classes) {
    }

    /** One epoch has finished. */
    void onEpoch(EpochMetrics metrics);

    /** Training has finished; the model holds the weights {@code summary} describes. */
    default void onEnd(TrainingSummary summary) {
    }

    /** A listener that ignores everything. */
    static TrainingListener none() {
        return metrics -> { };
    }
}
