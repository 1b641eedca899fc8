/**
 * Classification baselines on embeddings, used to compare text-only, image-only and fused embeddings:
 * {@link dev.fusion4j.core.classify.KnnClassifier} (cosine k-nearest neighbours, "kNN@1" by default) and
 * {@link dev.fusion4j.core.classify.LinearProbe} (multinomial logistic regression on standardised features,
 * giving a {@link dev.fusion4j.core.classify.LinearProbeModel}), scored with
 * {@link dev.fusion4j.core.classify.Metrics} and {@link dev.fusion4j.core.classify.ConfusionMatrix}.
 *
 * <p>Plain Java on float arrays; seeded and deterministic.
 */
package dev.fusion4j.core.classify;
