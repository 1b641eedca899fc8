package dev.fusion4j.core.search;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.core.internal.Checks;

/** Argument checks shared by the indexes; every failure names the argument and the fix. */
final class IndexChecks {
    private IndexChecks() {
    }

    static <K> K id(K id) {
        if (id == null) {
            throw new InvalidInputException("id is null: index embeddings under non-null ids");
        }
        return id;
    }

    /** Checks {@code embedding} (called {@code what}: "embedding", "query") is non-null and of dimension. */
    static Embedding embedding(String what, Embedding embedding, int dimension) {
        if (embedding == null) {
            throw new InvalidInputException(what + " is null");
        }
        if (embedding.dimension() != dimension) {
            throw new InvalidInputException(what + " has dimension " + embedding.dimension()
                    + " but the index holds " + dimension + "-dimensional embeddings: use the same encoder"
                    + " and fusion for indexing and querying");
        }
        return embedding;
    }

    static int k(int k) {
        return Checks.positive("k", k);
    }

    static void notEmpty(int size) {
        if (size == 0) {
            throw new InvalidInputException("index is empty: add embeddings before searching");
        }
    }

    static int dimension(int dimension) {
        return Checks.positive("dimension", dimension);
    }
}
