package dev.fusion4j.core.train;

/**
 * How a {@link PairModel} was trained, kept with the model and in its file. The figures are those of the epoch
 * whose weights the model holds (the lowest validation objective, or the last epoch without a validation split).
 *
 * @param epochsRun epochs actually run
 * @param bestEpoch 1-based epoch whose weights the model holds
 * @param trainLoss training objective at that epoch (mean over its batches, masking on)
 * @param valLoss validation objective at that epoch ({@code NaN} without a validation split)
 * @param valRecallAt1 recall@1 of the first modality's projections finding the second's among the validation
 *     records ({@code NaN} without a validation split)
 * @param logitScale the learned InfoNCE logit scale {@code 1/τ} at that epoch (the initial one when the objective
 *     has no contrastive term)
 * @param trainRecords records trained on
 * @param validationRecords records held out
 * @param seconds wall-clock seconds of the whole fit, encoding of raw inputs included
 */
public record PairSummary(int epochsRun, int bestEpoch, double trainLoss, double valLoss, double valRecallAt1,
        double logitScale, int trainRecords, int validationRecords, double seconds) {
}
