/**
 * Trainable fusion heads: {@link dev.fusion4j.core.train.FusionTrainer} trains a fusion strategy plus a small
 * MLP on labelled records with frozen encoder embeddings (and fits one linear unimodal head per modality, which
 * answers the records with only that modality present), and returns a
 * {@link dev.fusion4j.core.train.FusionModel}: a fusion strategy whose output is the last hidden layer, a
 * classifier ({@link dev.fusion4j.core.train.Prediction}), and a single-file artefact ({@code save}/{@code load},
 * SHA-256 checked, atomic write). Progress goes to a {@link dev.fusion4j.core.train.TrainingListener}
 * ({@link dev.fusion4j.core.train.EpochMetrics} per epoch, {@link dev.fusion4j.core.train.TrainingSummary} at the
 * end). The mechanisms, defaults and file layout are documented in {@code docs/training.md}.
 *
 * <p>Label-free fusion: {@link dev.fusion4j.core.train.PairTrainer} learns a joint embedding from unlabelled pairs
 * (bimodal reconstruction with modality masking and/or symmetric InfoNCE, {@link dev.fusion4j.core.train.PairObjective})
 * and returns a {@link dev.fusion4j.core.train.PairModel}, a fusion strategy in which text-only and image-only
 * records share one space (cross-modal search); progress goes to a {@link dev.fusion4j.core.train.PairListener}.
 * See {@code docs/pairs.md}.
 */
package dev.fusion4j.core.train;
