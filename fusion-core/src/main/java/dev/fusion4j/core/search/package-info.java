/**
 * Nearest-neighbour search over embeddings: an {@link dev.fusion4j.core.search.EmbeddingIndex} maps ids of the
 * caller's type to embeddings and answers top-k cosine queries.
 *
 * <ul>
 *   <li>{@link dev.fusion4j.core.search.ExactIndex}: brute force over one contiguous row-major array; exact,
 *       O(n·d) per query, the right choice up to a few hundred thousand vectors.</li>
 *   <li>{@link dev.fusion4j.core.search.HnswIndex}: approximate, on Lucene's HNSW graph; O(log n)-ish per
 *       query, recall tuned by {@code efSearch}.</li>
 * </ul>
 *
 * <p>Both are thread-safe (many concurrent searches, one writer at a time), L2-normalise what they store, and
 * save to a single self-checking file ({@link dev.fusion4j.core.search.EmbeddingIndex#save}) read back by
 * {@link dev.fusion4j.core.search.EmbeddingIndex#load}; ids are written by an
 * {@link dev.fusion4j.core.search.IdCodec}.
 */
package dev.fusion4j.core.search;
