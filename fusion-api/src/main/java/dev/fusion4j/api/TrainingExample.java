package dev.fusion4j.api;

import java.util.Objects;
import java.util.Optional;

/**
 * One labelled record for training a fusion model: either precomputed unimodal embeddings, or a raw
 * {@link MultimodalInput} that the trainer encodes once with the encoders it was given.
 */
public final class TrainingExample {
    private final ModalityEmbeddings embeddings;
    private final MultimodalInput input;
    private final String label;

    private TrainingExample(ModalityEmbeddings embeddings, MultimodalInput input, String label) {
        if (label == null || label.isBlank()) {
            throw new InvalidInputException("Training label is null or blank: every example needs a class label");
        }
        this.embeddings = embeddings;
        this.input = input;
        this.label = label;
    }

    /** An example from precomputed embeddings (at least one modality present). */
    public static TrainingExample of(ModalityEmbeddings embeddings, String label) {
        if (embeddings == null || embeddings.isEmpty()) {
            throw new InvalidInputException("Training example for label '" + label + "' has no embeddings:"
                    + " at least one modality must be present");
        }
        return new TrainingExample(embeddings, null, label);
    }

    /** An example from a raw record; the trainer needs encoders for its modalities. */
    public static TrainingExample of(MultimodalInput input, String label) {
        if (input == null) {
            throw new InvalidInputException("Training example input for label '" + label + "' is null");
        }
        return new TrainingExample(null, input, label);
    }

    /** The precomputed embeddings, if this example was made from them. */
    public Optional<ModalityEmbeddings> embeddings() {
        return Optional.ofNullable(embeddings);
    }

    /** The raw record, if this example was made from one. */
    public Optional<MultimodalInput> input() {
        return Optional.ofNullable(input);
    }

    public String label() {
        return label;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingExample t && Objects.equals(embeddings, t.embeddings)
                && Objects.equals(input, t.input) && label.equals(t.label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(embeddings, input, label);
    }

    @Override
    public String toString() {
        return "TrainingExample[" + label + ", " + (embeddings != null ? embeddings : input) + "]";
    }
}
