package dev.fusion4j.api;

/**
 * What a sequence encoder returns for one input, from one forward pass: the pooled {@link Embedding} (exactly what
 * the encoder's {@code encode} returns) and the {@link EmbeddingSequence} it was pooled from (token hidden states,
 * or image regions), of the same width.
 *
 * @param pooled the pooled embedding
 * @param sequence the sequence, {@code sequence.width() == pooled.dimension()}
 */
public record EncodedSequence(Embedding pooled, EmbeddingSequence sequence) {

    /**
     * @throws InvalidInputException if either is null or their widths differ
     */
    public EncodedSequence {
        if (pooled == null || sequence == null) {
            throw new InvalidInputException("An encoded sequence needs both the pooled embedding and the sequence");
        }
        if (pooled.dimension() != sequence.width()) {
            throw new InvalidInputException("Pooled embedding has dimension " + pooled.dimension()
                    + " but the sequence has width " + sequence.width() + ": both must come from the same layer");
        }
    }
}
