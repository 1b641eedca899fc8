package dev.fusion4j.core.train;

/**
 * One epoch of {@link PairTrainer#fit}, reported to {@link PairListener#onEpoch}.
 *
 * @param epoch 1-based
 * @param trainLoss mean training objective over the epoch's batches (modality masking on)
 * @param reconstructionLoss its reconstruction term (mean squared error per standardised coordinate; 0 when
 *     the objective has none)
 * @param contrastiveLoss its InfoNCE term, unweighted (0 when the objective has none)
 * @param valLoss the objective on the validation records ({@code NaN} without a validation split)
 * @param valRecallAt1 recall@1 between the first two modalities' projections on the validation records
 * @param logitScale the InfoNCE logit scale {@code 1/τ} after the epoch
 * @param seconds wall-clock seconds of the epoch
 */
public record PairEpochMetrics(int epoch, double trainLoss, double reconstructionLoss, double contrastiveLoss,
        double valLoss, double valRecallAt1, double logitScale, double seconds) {
}
