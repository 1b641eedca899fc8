package dev.fusion4j.core.search;

/**
 * One search result: the id the caller indexed and its cosine similarity to the query, in [-1, 1]
 * (computed in float on the L2-normalised vectors, so it may differ from
 * {@link dev.fusion4j.api.Embedding#cosine} in the last bits).
 *
 * @param id    the id given to {@link EmbeddingIndex#add}
 * @param score cosine similarity, higher is closer
 * @param <K>   the id type
 */
public record SearchHit<K>(K id, float score) {
}
