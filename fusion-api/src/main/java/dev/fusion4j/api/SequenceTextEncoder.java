package dev.fusion4j.api;

import java.util.List;

/**
 * A {@link TextEncoder} that also returns the per-token hidden states its pooled embedding was computed from, for
 * fusion strategies that attend to individual tokens. Thread-safe, like every encoder.
 */
public interface SequenceTextEncoder extends TextEncoder {

    /**
     * Encodes one text: the pooled embedding (the same as {@link #encode}) and the token hidden states, one position
     * per token the model saw (special tokens included, no padding).
     *
     * @throws InvalidInputException if the text is null or blank
     */
    EncodedSequence encodeSequence(String text);

    /**
     * Encodes texts of a list of any length, batching internally; one result per text, in order.
     *
     * @throws InvalidInputException if the list or any text is null or blank, naming its index
     */
    List<EncodedSequence> encodeSequenceAll(List<String> texts);
}
