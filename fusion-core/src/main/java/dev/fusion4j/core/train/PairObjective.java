package dev.fusion4j.core.train;

/**
 * What {@link PairTrainer} learns from unlabelled records (see {@code docs/pairs.md}).
 *
 * <ul>
 *   <li>{@link #RECONSTRUCTION}: a bimodal autoencoder (Ngiam et al. 2011): the shared code of a record, the mean
 *       of its present modalities' unit projections, must reconstruct every modality the record has, while
 *       {@link PairTrainer.Builder#modalityMasking(double) modality masking} shows only one of them for a share
 *       of the records;</li>
 *   <li>{@link #CONTRASTIVE}: symmetric InfoNCE (CLIP) between the unit projections of two modalities of the
 *       same record, with a learned, clamped temperature: text and image land in one space;</li>
 *   <li>{@link #BOTH}: the sum of the two (the contrastive term weighted by
 *       {@link PairTrainer.Builder#contrastiveWeight(double)}).</li>
 * </ul>
 */
public enum PairObjective {
    RECONSTRUCTION(true, false),
    CONTRASTIVE(false, true),
    BOTH(true, true);

    private final boolean reconstruction;
    private final boolean contrastive;

    PairObjective(boolean reconstruction, boolean contrastive) {
        this.reconstruction = reconstruction;
        this.contrastive = contrastive;
    }

    /** Whether the objective has the reconstruction term. */
    public boolean reconstructs() {
        return reconstruction;
    }

    /** Whether the objective has the InfoNCE term. */
    public boolean contrasts() {
        return contrastive;
    }
}
