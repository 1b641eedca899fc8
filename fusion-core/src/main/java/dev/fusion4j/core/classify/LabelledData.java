package dev.fusion4j.core.classify;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import java.util.List;

/** Checks of a training set: as many labels as embeddings, nothing null or empty, one dimension. */
final class LabelledData {
    private LabelledData() {
    }

    /** Validates the pair of lists and returns the common dimension. */
    static int check(List<Embedding> embeddings, List<String> labels) {
        if (embeddings == null || embeddings.isEmpty()) {
            throw new InvalidInputException("embeddings are " + (embeddings == null ? "null" : "empty")
                    + ": pass at least one training embedding");
        }
        if (labels == null || labels.size() != embeddings.size()) {
            throw new InvalidInputException("labels " + (labels == null ? "are null" : "has " + labels.size()
                    + " entries") + " but there are " + embeddings.size() + " embeddings: pass one label per"
                    + " embedding");
        }
        int d = embedding(embeddings, 0, -1).dimension();
        for (int i = 0; i < embeddings.size(); i++) {
            embedding(embeddings, i, d);
            if (labels.get(i) == null) {
                throw new InvalidInputException("labels[" + i + "] is null");
            }
        }
        return d;
    }

    /** {@code embeddings[i]}, checked non-null and of {@code dimension} (when non-negative). */
    static Embedding embedding(List<Embedding> embeddings, int i, int dimension) {
        return dimension(embeddings.get(i), "embeddings[" + i + "]", dimension);
    }

    /** {@code e} (called {@code what}), checked non-null and of {@code dimension} (when non-negative). */
    static Embedding dimension(Embedding e, String what, int dimension) {
        if (e == null) {
            throw new InvalidInputException(what + " is null");
        }
        if (dimension >= 0 && e.dimension() != dimension) {
            throw new InvalidInputException(what + " has dimension " + e.dimension() + " but the classifier"
                    + " was trained on " + dimension + "-dimensional embeddings");
        }
        return e;
    }
}
