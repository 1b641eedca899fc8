package dev.fusion4j.core.train;

/**
 * What one training epoch achieved, reported to {@link TrainingListener#onEpoch}.
 *
 * <p>Training figures come from the epoch's own mini-batches (dropout and modality dropout on, weights
 * changing during the epoch, as Keras reports them); validation figures from one pass in inference mode at
 * the end of the epoch. The training loss is the whole training objective (fused cross-entropy plus the
 * training-only auxiliary cross-entropies weighted by {@link FusionTrainer.Builder#auxiliaryLossWeight}); the
 * validation loss is the fused cross-entropy alone, the objective early stopping watches. Accuracy and macro-F1
 * are those of {@link FusionModel#predict}, which routes single-modality records to their unimodal head.
 * Validation values are {@code NaN} when there is no validation split.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean training objective over the epoch's batches
 * @param trainAccuracy accuracy of the training batches' predictions
 * @param trainMacroF1 macro-F1 of the training batches' predictions
 * @param valLoss fused (class-weighted) cross-entropy on the validation split, without the auxiliary term
 * @param valAccuracy accuracy on the validation split
 * @param valMacroF1 macro-F1 on the validation split
 * @param seconds wall-clock seconds of this epoch (training and validation)
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double trainMacroF1, double valLoss,
        double valAccuracy, double valMacroF1, double seconds) {

    /** Whether validation figures are present. */
    public boolean hasValidation() {
        return !Double.isNaN(valLoss);
    }
}
