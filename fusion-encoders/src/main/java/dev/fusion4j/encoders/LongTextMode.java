package dev.fusion4j.encoders;

/** What a text encoder does with a text longer than its maximum token length. */
public enum LongTextMode {
    /** Keep the first {@code maxLength} tokens (special tokens included); the rest is ignored. */
    TRUNCATE,
    /**
     * Split the tokens into windows of {@code maxLength} (each with its own special tokens, neighbouring
     * windows overlapping by the configured number of tokens), pool each window, and average the window
     * vectors weighted by their number of content tokens. Costs one forward pass per window.
     */
    SPLIT_AND_AVERAGE
}
