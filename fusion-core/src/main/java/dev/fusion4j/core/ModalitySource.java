package dev.fusion4j.core;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.EncodedSequence;
import dev.fusion4j.api.SequenceImageEncoder;
import dev.fusion4j.api.SequenceTextEncoder;
import dev.fusion4j.api.FusionException;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.TextEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * Where the embedding of one modality comes from: an encoder of values of some type (texts, images),
 * or the caller (a precomputed {@link Embedding} in the record).
 */
sealed interface ModalitySource {

    /** Dimension of the embeddings this source gives. */
    int dimension();

    /** What values this source takes, for messages. */
    String accepts();

    /** Checks that {@code value} is what this source takes. */
    boolean accepts(Object value);

    /** How to give this source what it takes, for the message refusing another value of {@code modality}. */
    String fix(Modality modality);

    /** What a record's value is, in the words of {@link #accepts()}. */
    static String describe(Object value) {
        if (value instanceof Embedding e) {
            return "a precomputed Embedding of dimension " + e.dimension();
        }
        if (value instanceof String) {
            return "text (a String)";
        }
        if (value instanceof ImageInput) {
            return "an image (an ImageInput)";
        }
        return "a " + value.getClass().getSimpleName();
    }

    /** The Java expression naming {@code modality}, for messages. */
    static String expression(Modality modality) {
        if (modality.equals(Modality.TEXT)) {
            return "Modality.TEXT";
        }
        if (modality.equals(Modality.IMAGE)) {
            return "Modality.IMAGE";
        }
        return "Modality.named(\"" + modality.name() + "\")";
    }

    /** Embeds the values (already type-checked) in one batch call, one result per value, in order. */
    List<Embedding> embedAll(Modality modality, List<Object> values);

    /** Embeds one value (already type-checked). */
    Embedding embed(Modality modality, Object value);

    /**
     * Embeds one value (already type-checked) with its sequence when the encoder gives one ({@link EncodedSequence}),
     * else as {@link #embed} (an {@link Embedding}).
     */
    default Object embedWithSequence(Modality modality, Object value) {
        return embed(modality, value);
    }

    /** {@link #embedWithSequence} of many values in one batch call. */
    default List<?> embedAllWithSequences(Modality modality, List<Object> values) {
        return embedAll(modality, values);
    }

    /** Closes the encoder, if any. */
    void close();

    /** A source encoding texts. */
    static ModalitySource text(TextEncoder encoder) {
        SequenceTextEncoder seq = encoder instanceof SequenceTextEncoder s ? s : null;
        return new Encoded<>(String.class, "text (a String)", encoder::dimension, encoder::encode, encoder::encodeAll,
                seq == null ? null : seq::encodeSequence, seq == null ? null : seq::encodeSequenceAll, encoder::close);
    }

    /** A source encoding images. */
    static ModalitySource image(ImageEncoder encoder) {
        SequenceImageEncoder seq = encoder instanceof SequenceImageEncoder s ? s : null;
        return new Encoded<>(ImageInput.class, "an image (an ImageInput)", encoder::dimension, encoder::encode,
                encoder::encodeAll, seq == null ? null : seq::encodeSequence,
                seq == null ? null : seq::encodeSequenceAll, encoder::close);
    }

    /**
     * Values of type {@code T} encoded by an encoder, given as its operations.
     *
     * @param type the value type the encoder takes
     * @param description what it takes, for messages
     * @param oneWithSequence the encoder's sequence operation, or null when it has none (likewise {@code
     *     manyWithSequence})
     */
    record Encoded<T>(Class<T> type, String description, IntSupplier dimensionOf, Function<T, Embedding> one,
            Function<List<T>, List<Embedding>> many, Function<T, EncodedSequence> oneWithSequence,
            Function<List<T>, List<EncodedSequence>> manyWithSequence, Runnable closer) implements ModalitySource {
        @Override
        public int dimension() {
            return dimensionOf.getAsInt();
        }

        @Override
        public String accepts() {
            return description;
        }

        @Override
        public boolean accepts(Object value) {
            return type.isInstance(value);
        }

        @Override
        public String fix(Modality modality) {
            String m = expression(modality);
            String put = type == String.class ? ".text(" + m + ", \"...\")" : ".image(" + m + ", ImageInput.of(..))";
            return "put " + accepts() + " in the record with MultimodalInput.builder()" + put + ", or, to pass"
                    + " precomputed embeddings for it, build the embedder with Fusion.builder().embedding(" + m + ", "
                    + dimension() + ") instead of an encoder";
        }

        @Override
        public List<Embedding> embedAll(Modality modality, List<Object> values) {
            return many(modality, values, many);
        }

        @Override
        public Embedding embed(Modality modality, Object value) {
            return one(modality, value, one);
        }

        @Override
        public Object embedWithSequence(Modality modality, Object value) {
            return oneWithSequence == null ? embed(modality, value) : one(modality, value, oneWithSequence);
        }

        @Override
        public List<?> embedAllWithSequences(Modality modality, List<Object> values) {
            return manyWithSequence == null ? embedAll(modality, values) : many(modality, values, manyWithSequence);
        }

        /** {@code encode} of one value, refusing a null result. */
        private <R> R one(Modality modality, Object value, Function<T, R> encode) {
            R out = encode.apply(type.cast(value));
            if (out == null) {
                throw new FusionException("The encoder of modality '" + modality + "' returned null: an encoder"
                        + " must return an embedding or throw");
            }
            return out;
        }

        /** {@code encode} of the values in one call, refusing a result of another length. */
        private <R> List<R> many(Modality modality, List<Object> values, Function<List<T>, List<R>> encode) {
            List<T> typed = new ArrayList<>(values.size());
            values.forEach(v -> typed.add(type.cast(v)));
            List<R> out = encode.apply(typed);
            if (out == null || out.size() != values.size()) {
                throw new FusionException("The encoder of modality '" + modality + "' returned "
                        + (out == null ? "null" : out.size() + " embeddings") + " for " + values.size()
                        + " inputs: an encoder must return one embedding per input");
            }
            return out;
        }

        @Override
        public void close() {
            closer.run();
        }
    }

    /** Embeddings computed by the caller, used as they are. */
    record Precomputed(int dimension) implements ModalitySource {
        @Override
        public String accepts() {
            return "a precomputed Embedding of dimension " + dimension;
        }

        @Override
        public boolean accepts(Object value) {
            return value instanceof Embedding;
        }

        @Override
        public String fix(Modality modality) {
            String m = expression(modality);
            return "the embedder was built with Fusion.builder().embedding(" + m + ", " + dimension + "), so put the"
                    + " embedding in the record with MultimodalInput.builder().embedding(" + m + ", embedding), or"
                    + " build the embedder with an encoder for it (Fusion.builder().encoder(" + m + ", ..)) to pass"
                    + " raw values";
        }

        @Override
        public List<Embedding> embedAll(Modality modality, List<Object> values) {
            List<Embedding> out = new ArrayList<>(values.size());
            for (Object v : values) {
                out.add(embed(modality, v));
            }
            return out;
        }

        @Override
        public Embedding embed(Modality modality, Object value) {
            Embedding e = (Embedding) value;
            if (e.dimension() != dimension) {
                throw new InvalidInputException("The precomputed embedding of modality '" + modality
                        + "' has dimension " + e.dimension() + " but the embedder was built with dimension "
                        + dimension + " for it");
            }
            return e;
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
