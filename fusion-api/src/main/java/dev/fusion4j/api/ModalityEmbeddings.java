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
 */
public final class ModalityEmbeddings {
    private static final ModalityEmbeddings EMPTY = new ModalityEmbeddings(Map.of());

    private final Map<Modality, Embedding> embeddings;

    private ModalityEmbeddings(Map<Modality, Embedding> embeddings) {
        this.embeddings = embeddings;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof ModalityEmbeddings other && embeddings.equals(other.embeddings);
    }

    @Override
    public int hashCode() {
        return embeddings.hashCode();
    }

    @Override
    public String toString() {
        return "ModalityEmbeddings" + embeddings;
    }

    /** Collects present modalities; putting a modality twice replaces its embedding. */
    public static final class Builder {
        private final Map<Modality, Embedding> embeddings = new LinkedHashMap<>();

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
            return this;
        }

        public ModalityEmbeddings build() {
            return embeddings.isEmpty() ? EMPTY
                    : new ModalityEmbeddings(Collections.unmodifiableMap(new LinkedHashMap<>(embeddings)));
        }
    }
}
