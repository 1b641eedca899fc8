/**
 * Clustering of embeddings: {@link dev.fusion4j.core.cluster.KMeans} (k-means++ seeding, Lloyd iterations,
 * restarts) returns a {@link dev.fusion4j.core.cluster.Clustering}; {@link dev.fusion4j.core.cluster.Silhouette}
 * scores any labelling. Both work in {@link dev.fusion4j.core.cluster.Distance#COSINE} (vectors L2-normalised
 * first, the usual choice for embeddings) or {@link dev.fusion4j.core.cluster.Distance#EUCLIDEAN} space.
 *
 * <p>Plain Java on float arrays, no dependency: seeded runs are deterministic bit for bit.
 */
package dev.fusion4j.core.cluster;
