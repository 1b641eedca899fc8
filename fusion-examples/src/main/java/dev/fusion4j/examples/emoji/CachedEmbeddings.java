package dev.fusion4j.examples.emoji;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The text (name) and image embeddings of a fixed set of emoji, made by {@link EmbeddingCache#load}. Immutable
 * and thread-safe.
 */
public final class CachedEmbeddings {
    private final Map<String, Embedding> text;
    private final Map<String, Embedding> image;
    private final int textDimension;
    private final int imageDimension;

    CachedEmbeddings(Map<String, Embedding> text, Map<String, Embedding> image, int textDimension,
            int imageDimension) {
        this.text = Map.copyOf(text);
        this.image = Map.copyOf(image);
        this.textDimension = textDimension;
        this.imageDimension = imageDimension;
    }

    /** The number of records held. */
    public int size() {
        return text.size();
    }

    public int textDimension() {
        return textDimension;
    }

    public int imageDimension() {
        return imageDimension;
    }

    /**
     * The embedding of the record's name.
     *
     * @throws IllegalArgumentException if the record was not among those loaded
     */
    public Embedding text(EmojiRecord record) {
        return lookup(text, record);
    }

    /**
     * The embedding of the record's image.
     *
     * @throws IllegalArgumentException if the record was not among those loaded
     */
    public Embedding image(EmojiRecord record) {
        return lookup(image, record);
    }

    /** Both modalities, TEXT then IMAGE. */
    public ModalityEmbeddings both(EmojiRecord record) {
        return ModalityEmbeddings.builder().put(Modality.TEXT, text(record)).put(Modality.IMAGE, image(record)).build();
    }

    /** The text alone (IMAGE absent). */
    public ModalityEmbeddings textOnly(EmojiRecord record) {
        return ModalityEmbeddings.builder().put(Modality.TEXT, text(record)).build();
    }

    /** The image alone (TEXT absent). */
    public ModalityEmbeddings imageOnly(EmojiRecord record) {
        return ModalityEmbeddings.builder().put(Modality.IMAGE, image(record)).build();
    }

    /** Training examples with both modalities, labelled by {@code label} (e.g. {@code EmojiRecord::subcategory}). */
    public List<TrainingExample> examples(List<EmojiRecord> records, Function<EmojiRecord, String> label) {
        return examples(records, label, this::both);
    }

    /**
     * Training examples with the modalities {@code view} picks, e.g. {@code cached::textOnly}.
     */
    public List<TrainingExample> examples(List<EmojiRecord> records, Function<EmojiRecord, String> label,
            Function<EmojiRecord, ModalityEmbeddings> view) {
        List<TrainingExample> examples = new ArrayList<>(records.size());
        for (EmojiRecord r : records) {
            examples.add(TrainingExample.of(view.apply(r), label.apply(r)));
        }
        return examples;
    }

    private static Embedding lookup(Map<String, Embedding> embeddings, EmojiRecord record) {
        Embedding e = embeddings.get(record.unified());
        if (e == null) {
            throw new IllegalArgumentException("No cached embedding for " + record + ": pass it to"
                    + " EmbeddingCache.load with the other records");
        }
        return e;
    }

    @Override
    public String toString() {
        return "CachedEmbeddings[" + size() + " records, text " + textDimension + "-d, image " + imageDimension + "-d]";
    }
}
