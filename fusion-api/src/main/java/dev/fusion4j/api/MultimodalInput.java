package dev.fusion4j.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One record to embed: a value per modality, any of them absent, at least one present.
 *
 * <p>A value is a text ({@link String}), an image ({@link ImageInput}) or an embedding computed
 * elsewhere ({@link Embedding}, for modalities fusion4j has no encoder for). The embedder encodes
 * each present value with the encoder registered for its modality; a modality not put is absent and
 * handled by the fusion strategy's missing-modality rule.
 *
 * <pre>{@code
 * MultimodalInput.of("a dog on grass", ImageInput.of(Path.of("dog.jpg")));
 * MultimodalInput.textOnly("a dog on grass");
 * MultimodalInput.builder().text("a song").embedding(Modality.named("audio"), audioVector).build();
 * }</pre>
 */
public final class MultimodalInput {
    private final Map<Modality, Object> values;

    private MultimodalInput(Map<Modality, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** A record with both a text and an image. */
    public static MultimodalInput of(String text, ImageInput image) {
        return builder().text(text).image(image).build();
    }

    /** A record with only a text; the image is absent. */
    public static MultimodalInput textOnly(String text) {
        return builder().text(text).build();
    }

    /** A record with only an image; the text is absent. */
    public static MultimodalInput imageOnly(ImageInput image) {
        return builder().image(image).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The present modalities in the order they were put. */
    public Set<Modality> modalities() {
        return values.keySet();
    }

    /** Whether {@code modality} is present. */
    public boolean has(Modality modality) {
        return values.containsKey(modality);
    }

    /** The text of {@link Modality#TEXT}, if present. */
    public Optional<String> text() {
        return text(Modality.TEXT);
    }

    /** The image of {@link Modality#IMAGE}, if present. */
    public Optional<ImageInput> image() {
        return image(Modality.IMAGE);
    }

    /** The text value of {@code modality}, empty if absent or not a text. */
    public Optional<String> text(Modality modality) {
        return typed(modality, String.class);
    }

    /** The image value of {@code modality}, empty if absent or not an image. */
    public Optional<ImageInput> image(Modality modality) {
        return typed(modality, ImageInput.class);
    }

    /** The precomputed embedding of {@code modality}, empty if absent or not an embedding. */
    public Optional<Embedding> embedding(Modality modality) {
        return typed(modality, Embedding.class);
    }

    /** The value of {@code modality} (a String, ImageInput or Embedding), if present. */
    public Optional<Object> value(Modality modality) {
        return Optional.ofNullable(values.get(modality));
    }

    private <T> Optional<T> typed(Modality modality, Class<T> type) {
        Object v = values.get(modality);
        return type.isInstance(v) ? Optional.of(type.cast(v)) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultimodalInput other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("MultimodalInput[");
        boolean first = true;
        for (Map.Entry<Modality, Object> e : values.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(e.getKey()).append('=');
            if (e.getValue() instanceof String s) {
                sb.append('"').append(s.length() > 40 ? s.substring(0, 40) + "..." : s).append('"');
            } else {
                sb.append(e.getValue());
            }
        }
        return sb.append(']').toString();
    }

    /** Collects modality values; {@link #build()} checks that at least one is present. */
    public static final class Builder {
        private final Map<Modality, Object> values = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets the {@link Modality#TEXT} value. */
        public Builder text(String text) {
            return text(Modality.TEXT, text);
        }

        /** Sets the {@link Modality#IMAGE} value. */
        public Builder image(ImageInput image) {
            return image(Modality.IMAGE, image);
        }

        /** Sets a text value for {@code modality}; it must be non-null and not blank. */
        public Builder text(Modality modality, String text) {
            if (text == null) {
                throw new InvalidInputException("Text for modality '" + modality + "' is null: leave the"
                        + " modality out (e.g. MultimodalInput.imageOnly) to mark it absent");
            }
            if (text.isBlank()) {
                throw new InvalidInputException("Text for modality '" + modality + "' is empty or blank:"
                        + " leave the modality out to mark it absent");
            }
            return put(modality, text);
        }

        /** Sets an image value for {@code modality}. */
        public Builder image(Modality modality, ImageInput image) {
            if (image == null) {
                throw new InvalidInputException("Image for modality '" + modality + "' is null: leave the"
                        + " modality out (e.g. MultimodalInput.textOnly) to mark it absent");
            }
            return put(modality, image);
        }

        /** Sets a precomputed embedding for {@code modality} (used as is, not encoded). */
        public Builder embedding(Modality modality, Embedding embedding) {
            if (embedding == null) {
                throw new InvalidInputException("Embedding for modality '" + modality + "' is null: leave the"
                        + " modality out to mark it absent");
            }
            return put(modality, embedding);
        }

        private Builder put(Modality modality, Object value) {
            if (modality == null) {
                throw new InvalidInputException("Modality is null: use Modality.TEXT, Modality.IMAGE or Modality.named(..)");
            }
            values.put(modality, value);
            return this;
        }

        /**
         * @throws InvalidInputException if no modality was set
         */
        public MultimodalInput build() {
            if (values.isEmpty()) {
                throw new InvalidInputException("A MultimodalInput needs at least one modality: set a text,"
                        + " an image or an embedding");
            }
            return new MultimodalInput(new LinkedHashMap<>(values));
        }
    }
}
