package dev.fusion4j.core.classify;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.core.internal.Checks;
import dev.fusion4j.core.search.ExactIndex;
import dev.fusion4j.core.search.SearchHit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cosine k-nearest-neighbour classifier over a fixed training set (an {@link ExactIndex} inside): the label
 * most common among the k most similar training embeddings; on a tie in votes, the tied label whose nearest
 * member is closest wins (so k = 2 behaves as k = 1 on disagreement). Equal similarities rank the earlier
 * training example first. Immutable and thread-safe.
 *
 * <p>Cost: O(n·d) per prediction; {@link #predictAll} batches queries through {@link ExactIndex#searchAll}.
 *
 * <pre>{@code
 * KnnClassifier knn1 = KnnClassifier.fit(trainEmbeddings, trainLabels);          // kNN@1
 * KnnClassifier knn5 = KnnClassifier.builder().k(5).fit(trainEmbeddings, trainLabels);
 * }</pre>
 */
public final class KnnClassifier {
    private final int k;
    private final ExactIndex<Integer> index;
    private final List<String> labels;

    private KnnClassifier(int k, List<Embedding> embeddings, List<String> labels) {
        int d = LabelledData.check(embeddings, labels);
        this.k = k;
        this.labels = List.copyOf(labels);
        this.index = ExactIndex.create(d);
        for (int i = 0; i < embeddings.size(); i++) {
            index.add(i, embeddings.get(i));
        }
    }

    /** A 1-nearest-neighbour classifier on the given training set. */
    public static KnnClassifier fit(List<Embedding> embeddings, List<String> labels) {
        return builder().fit(embeddings, labels);
    }

    /** A builder for other values of k. */
    public static Builder builder() {
        return new Builder();
    }

    /** Neighbours that vote. */
    public int k() {
        return k;
    }

    /** Dimension of the training embeddings. */
    public int dimension() {
        return index.dimension();
    }

    /** The predicted label of {@code embedding}. */
    public String predict(Embedding embedding) {
        LabelledData.dimension(embedding, "embedding", dimension());
        return vote(index.search(embedding, k));
    }

    /** The predicted label of each embedding, in order. */
    public List<String> predictAll(List<Embedding> embeddings) {
        if (embeddings == null) {
            throw new InvalidInputException("embeddings is null: pass a list of embeddings to classify");
        }
        for (int i = 0; i < embeddings.size(); i++) {
            LabelledData.embedding(embeddings, i, dimension());
        }
        List<String> out = new ArrayList<>(embeddings.size());
        for (List<SearchHit<Integer>> hits : index.searchAll(embeddings, k)) {
            out.add(vote(hits));
        }
        return out;
    }

    /** Majority vote over {@code hits} (best first); ties go to the label seen first. */
    private String vote(List<SearchHit<Integer>> hits) {
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (SearchHit<Integer> hit : hits) {
            votes.merge(labels.get(hit.id()), 1, Integer::sum);
        }
        String best = null;
        int bestVotes = 0;
        for (Map.Entry<String, Integer> entry : votes.entrySet()) {
            if (entry.getValue() > bestVotes) {
                best = entry.getKey();
                bestVotes = entry.getValue();
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "KnnClassifier[k=" + k + ", examples=" + labels.size() + ", dimension=" + dimension() + "]";
    }

    /** Settings of a {@link KnnClassifier}. */
    public static final class Builder {
        private int k = 1;

        private Builder() {
        }

        /** Neighbours that vote; default 1. */
        public Builder k(int k) {
            this.k = Checks.positive("k", k);
            return this;
        }

        /**
         * A classifier on this training set.
         *
         * @throws InvalidInputException if the lists are null, empty, of different sizes, or hold nulls or mixed
         *     dimensions
         */
        public KnnClassifier fit(List<Embedding> embeddings, List<String> labels) {
            return new KnnClassifier(k, embeddings, labels);
        }
    }
}
