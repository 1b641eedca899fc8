package dev.fusion4j.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Combines the unimodal embeddings of a record into one embedding.
 *
 * <p>A strategy is bound to an ordered set of modalities with known dimensions
 * ({@link #inputDimensions()}). Any subset of them may be absent from a record, but not all: an
 * absent modality contributes the neutral element of the strategy's operator. Implementations are
 * thread-safe and deterministic: the same input gives the same bits on every call and thread.
 */
public interface FusionStrategy {

    /** The modalities this strategy fuses, in their fixed order, with the dimension each expects. */
    Map<Modality, Integer> inputDimensions();

    /** Dimension of the fused embedding. */
    int outputDimension();

    /**
     * Whether this strategy reads the records' {@link EmbeddingSequence}s (token and region level fusion); an embedder
     * then asks its {@link SequenceTextEncoder}s and {@link SequenceImageEncoder}s for them. False by default.
     */
    default boolean usesSequences() {
        return false;
    }

    /**
     * Fuses one record.
     *
     * @throws InvalidInputException if no modality is present, a modality is unknown to this
     *     strategy, or an embedding has the wrong dimension (the message names the modality and
     *     both dimensions)
     */
    Embedding fuse(ModalityEmbeddings embeddings);

    /** Fuses many records; implementations batch. The default fuses one at a time. */
    default List<Embedding> fuseAll(List<ModalityEmbeddings> records) {
        if (records == null) {
            throw new InvalidInputException("Records list is null: pass a list (possibly empty)");
        }
        List<Embedding> out = new ArrayList<>(records.size());
        for (ModalityEmbeddings r : records) {
            out.add(fuse(r));
        }
        return out;
    }
}
