package dev.fusion4j.core.train;

/**
 * How a {@link FusionModel} was trained, kept with the model and in its saved file.
 *
 * <p>The metrics are those of the epoch whose weights the model holds: the best validation epoch when early
 * stopping restored it, else the last epoch.
 *
 * @param epochsRun epochs actually run (early stopping may end before the maximum)
 * @param bestEpoch 1-based epoch whose weights the model holds
 * @param trainLoss training objective at that epoch
 * @param trainAccuracy training accuracy at that epoch
 * @param trainMacroF1 training macro-F1 at that epoch
 * @param valLoss validation objective at that epoch ({@code NaN} without a validation split)
 * @param valAccuracy validation accuracy ({@code NaN} without a validation split)
 * @param valMacroF1 validation macro-F1 ({@code NaN} without a validation split)
 * @param trainExamples examples trained on
 * @param validationExamples examples held out for validation
 * @param seconds wall-clock seconds of the whole fit, embedding of raw examples included
 */
public record TrainingSummary(int epochsRun, int bestEpoch, double trainLoss, double trainAccuracy,
        double trainMacroF1, double valLoss, double valAccuracy, double valMacroF1, int trainExamples,
        int validationExamples, double seconds) {

    static TrainingSummary of(int epochsRun, EpochMetrics best, int trainExamples, int validationExamples,
            double seconds) {
        return new TrainingSummary(epochsRun, best.epoch(), best.trainLoss(), best.trainAccuracy(),
                best.trainMacroF1(), best.valLoss(), best.valAccuracy(), best.valMacroF1(), trainExamples,
                validationExamples, seconds);
    }
}
