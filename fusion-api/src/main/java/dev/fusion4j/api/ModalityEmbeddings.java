package dev.fusion4j.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The unimodal embeddings of one record, keyed by modality in insertion order. A modality that was
 * not put is absent: this is the presence mask a fusion strategy works from. It may be empty (every
 * modality absent); fusion strategies reject such a record with an {@link InvalidInputException}.
 *
 * <p>A present modality may also carry its {@link EmbeddingSequence} (token hidden states, image regions) beside the
 * pooled embedding, of the same width: sequence-level strategies ({@code Fusions.crossAttention()}) attend to it,
 * pooled strategies ignore it. Sequences ride along everywhere a record goes (fusion, {@link TrainingExample},
 * caches), so no other type had to change for them. A sequence never stands alone: presence is still the pooled
 * embedding.
 */
public final class ModalityEmbeddings {
    private static final ModalityEmbeddings EMPTY = new ModalityEmbeddings(Map.of());

    private final Map<Modality, Embedding> embeddings;
    private final Map<Modality, EmbeddingSequence> sequences;

    private ModalityEmbeddings(Map<Modality, Embedding> embeddings) {
        this(embeddings, Map.of());
    }

    private ModalityEmbeddings(Map<Modality, Embedding> embeddings, Map<Modality, EmbeddingSequence> sequences) {
        this.embeddings = embeddings;
        this.sequences = sequences;
    }

    /** Copies the map, keeping its iteration order; keys and values must be non-null. */
    public static ModalityEmbeddings of(Map<Modality, Embedding> embeddings) {
        if (embeddings == null) {
            throw new InvalidInputException("Embeddings map is null: pass a map (possibly empty)");
        }
        Builder b = builder();
        embeddings.forEach(b::put);
        return b.build();
    }

    /** No modality present. */
    public static ModalityEmbeddings empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The embedding of {@code modality}, or empty when it is absent. */
    public Optional<Embedding> get(Modality modality) {
        return Optional.ofNullable(embeddings.get(modality));
    }

    /** Whether {@code modality} is present. */
    public boolean isPresent(Modality modality) {
        return embeddings.containsKey(modality);
    }

    /** The present modalities in insertion order. */
    public Set<Modality> modalities() {
        return embeddings.keySet();
    }

    /** Number of present modalities. */
    public int size() {
        return embeddings.size();
    }

    public boolean isEmpty() {
        return embeddings.isEmpty();
    }

    /** An unmodifiable view, in insertion order. */
    public Map<Modality, Embedding> asMap() {
        return embeddings;
    }

    /** The sequence of {@code modality}, or empty when it is absent or was given without one. */
    public Optional<EmbeddingSequence> sequence(Modality modality) {
        return Optional.ofNullable(sequences.get(modality));
    }

    /** The modalities that carry a sequence, with it (unmodifiable, insertion order; often empty). */
    public Map<Modality, EmbeddingSequence> sequences() {
        return sequences;
    }

    /** The same record without its sequences (what a pooled cache stores). */
    public ModalityEmbeddings withoutSequences() {
        return sequences.isEmpty() ? this : new ModalityEmbeddings(embeddings);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModalityEmbeddings other && embeddings.equals(other.embeddings)
                && sequences.equals(other.sequences);
    }

    @Override
    public int hashCode() {
        return 31 * embeddings.hashCode() + sequences.hashCode();
    }

    @Override
    public String toString() {
        return "ModalityEmbeddings" + embeddings + (sequences.isEmpty() ? "" : " with sequences " + sequences);
    }

    /** Collects present modalities; putting a modality twice replaces its embedding (and drops its sequence). */
    public static final class Builder {
        private final Map<Modality, Embedding> embeddings = new LinkedHashMap<>();
        private final Map<Modality, EmbeddingSequence> sequences = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder put(Modality modality, Embedding embedding) {
            if (modality == null) {
                throw new InvalidInputException("Modality is null: use Modality.TEXT, Modality.IMAGE or Modality.named(..)");
            }
            if (embedding == null) {
                throw new InvalidInputException("Embedding for modality '" + modality + "' is null: do not put"
                        + " an absent modality; leaving it out marks it absent");
            }
            embeddings.put(modality, embedding);
            sequences.remove(modality);
            return this;
        }

        /**
         * Puts a present modality with its pooled embedding and the sequence it was pooled from.
         *
         * @throws InvalidInputException if any argument is null or the sequence width is not the embedding's
         *     dimension
         */
        public Builder put(Modality modality, Embedding embedding, EmbeddingSequence sequence) {
            put(modality, embedding);
            if (sequence == null) {
                throw new InvalidInputException("Sequence for modality '" + modality + "' is null: use"
                        + " put(modality, embedding) for a modality without one");
            }
            if (sequence.width() != embedding.dimension()) {
                throw new InvalidInputException("Sequence for modality '" + modality + "' has width "
                        + sequence.width() + " but its embedding has dimension " + embedding.dimension()
                        + ": both must come from the same encoder layer");
            }
            sequences.put(modality, sequence);
            return this;
        }

        /** Puts what a sequence encoder returned: its pooled embedding and its sequence. */
        public Builder putEncoded(Modality modality, EncodedSequence encoded) {
            if (encoded == null) {
                throw new InvalidInputException("Encoded sequence for modality '" + modality + "' is null");
            }
            return put(modality, encoded.pooled(), encoded.sequence());
        }

        public ModalityEmbeddings build() {
            if (embeddings.isEmpty()) {
                return EMPTY;
            }
            return new ModalityEmbeddings(Collections.unmodifiableMap(new LinkedHashMap<>(embeddings)),
                    sequences.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(sequences)));
        }
    }
}
