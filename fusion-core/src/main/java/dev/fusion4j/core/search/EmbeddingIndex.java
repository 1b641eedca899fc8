package dev.fusion4j.core.search;

import dev.fusion4j.api.Embedding;
import java.nio.file.Path;
import java.util.List;

/**
 * A mutable set of embeddings, each under an id of the caller's type, searchable by cosine similarity.
 *
 * <p>Implementations are thread-safe: searches run concurrently, {@link #add} and {@link #remove} take an
 * exclusive lock. Stored vectors are L2-normalised, so an index answers cosine similarity; an all-zero vector
 * is stored as is and scores 0 against everything.
 *
 * <p>Errors are {@link dev.fusion4j.api.InvalidInputException}s naming the argument: a null id or embedding,
 * an embedding or query whose dimension differs from {@link #dimension()}, {@code k <= 0}, or a search on an
 * empty index (an empty index has no answer, and silently returning nothing hides a forgotten indexing step).
 *
 * @param <K> the id type; ids are compared with {@code equals}/{@code hashCode}
 */
public interface EmbeddingIndex<K> {

    /** Dimension every indexed embedding and query must have. */
    int dimension();

    /** Number of ids currently indexed. */
    int size();

    /** Indexes {@code embedding} under {@code id}, replacing what {@code id} held before. */
    void add(K id, Embedding embedding);

    /** Removes {@code id}; returns whether it was present. */
    boolean remove(K id);

    /** Whether {@code id} is indexed. */
    boolean contains(K id);

    /**
     * The {@code min(k, size())} ids most similar to {@code query}, best first; equal scores are ordered
     * deterministically (by internal row, which is insertion order until removals move rows).
     */
    List<SearchHit<K>> search(Embedding query, int k);

    /**
     * Writes the index to {@code file} atomically: a temporary file in the same directory is written, forced
     * to disk and renamed over {@code file}, so a crash never leaves a half-written index. The file carries a
     * magic header, a format version and a CRC-32 of its content.
     *
     * @param codec writes the ids; pass the same codec to {@link #load}
     * @throws dev.fusion4j.api.FusionException if the file cannot be written
     */
    void save(Path file, IdCodec<K> codec);

    /**
     * Reads an index written by {@link #save}, whichever implementation wrote it.
     *
     * @param codec reads the ids; must be the codec (same {@link IdCodec#name()}) the index was saved with
     * @throws dev.fusion4j.api.ModelLoadException if the file is missing, not an index, truncated or corrupt
     * @throws dev.fusion4j.api.InvalidInputException if {@code codec} is not the one the file was written with
     */
    static <K> EmbeddingIndex<K> load(Path file, IdCodec<K> codec) {
        IndexFile.Contents<K> contents = IndexFile.read(file, codec);
        return switch (contents.header().kind()) {
            case EXACT -> ExactIndex.restore(contents);
            case HNSW -> HnswIndex.restore(contents);
        };
    }
}
