package dev.fusion4j.encoders;

/** How a BERT-family encoder turns per-token hidden states into one vector. */
public enum Pooling {
    /** Mean of the hidden states of the real (unpadded) tokens, special tokens included (sentence-transformers). */
    MEAN,
    /** The hidden state of the first token ([CLS]). */
    CLS,
    /** Element-wise maximum over the real tokens. */
    MAX
}
