package dev.fusion4j.api;

import java.util.List;

/**
 * Turns text into a fixed-size {@link Embedding}. Implementations are thread-safe and hold native
 * resources: close them when done ({@link #close()} is idempotent; any use after it throws
 * {@link IllegalStateException}).
 */
public interface TextEncoder extends AutoCloseable {

    /** Dimension of every embedding this encoder returns. */
    int dimension();

    /**
     * An identifier of the model and its settings (e.g. {@code "bert:all-minilm-l6-v2:mean:norm"}), recorded by
     * trained fusion models so they can refuse encoders they were not trained on.
     */
    String id();

    /**
     * Encodes one text.
     *
     * @throws InvalidInputException if the text is null or blank
     */
    Embedding encode(String text);

    /**
     * Encodes texts of a list of any length, batching internally; the result has one embedding per
     * text, in order, equal (to float rounding) to encoding each alone.
     *
     * @throws InvalidInputException if the list or any text is null or blank, naming its index
     */
    List<Embedding> encodeAll(List<String> texts);

    @Override
    void close();
}
