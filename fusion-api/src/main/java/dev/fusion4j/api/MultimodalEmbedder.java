package dev.fusion4j.api;

import java.util.List;

/**
 * Encoders plus a fusion strategy: turns a {@link MultimodalInput} with any modality absent (but not
 * all) into one embedding. Thread-safe. {@link #close()} releases what the embedder owns (never the
 * encoders handed to it unless it was told to own them); it is idempotent and any use after it
 * throws {@link IllegalStateException}.
 */
public interface MultimodalEmbedder extends AutoCloseable {

    /** Dimension of every embedding returned. */
    int dimension();

    /** Embeds one record. */
    Embedding embed(MultimodalInput input);

    /** Embeds records of a list of any length, batching each encoder and the fusion. */
    List<Embedding> embedAll(List<MultimodalInput> inputs);

    @Override
    void close();
}
