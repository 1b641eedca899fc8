package dev.fusion4j.core.train;

import java.util.List;

/**
 * The architecture of the trained part on top of a fusion strategy, as recorded in a saved model.
 *
 * @param hiddenLayers widths of the hidden layers, first to last; the last is the embedding dimension
 * @param activation non-linearity after every hidden layer
 * @param auxiliaryHeads whether each modality has a unimodal head (a fitted linear probe) that classifies the
 *     records with only that modality present
 * @param inputSkip whether the first hidden layer also reads the standardised (normalised) inputs themselves,
 *     next to the strategy's output: the concatenation every strategy can fall back on
 * @param trustWeights whether records with two or more modalities present are answered by the trust-weighted
 *     product of the network and the unimodal heads ({@link TrustWeights}); needs {@code auxiliaryHeads}
 */
record HeadShape(List<Integer> hiddenLayers, Activation activation, boolean auxiliaryHeads, boolean inputSkip,
        boolean trustWeights) {

    HeadShape {
        hiddenLayers = List.copyOf(hiddenLayers);
    }

    /** A head without the input skip (files written before it existed). */
    HeadShape(List<Integer> hiddenLayers, Activation activation, boolean auxiliaryHeads) {
        this(hiddenLayers, activation, auxiliaryHeads, false, false);
    }

    /** This head with or without trust weights. */
    HeadShape withTrustWeights(boolean trust) {
        return new HeadShape(hiddenLayers, activation, auxiliaryHeads, inputSkip, trust);
    }

    /** Width of the last hidden layer: the embedding dimension. */
    int embeddingDimension() {
        return hiddenLayers.get(hiddenLayers.size() - 1);
    }
}
