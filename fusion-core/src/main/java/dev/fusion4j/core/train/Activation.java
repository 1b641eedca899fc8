package dev.fusion4j.core.train;

import ai.djl.ndarray.NDArray;

/** Non-linearity of the hidden layers of a trained fusion head. */
public enum Activation {
    /** {@code max(0, x)}. */
    RELU,
    /** Gaussian error linear unit {@code x Φ(x)} (tanh approximation, as DJL computes it). */
    GELU;

    NDArray apply(NDArray x) {
        return this == RELU ? ai.djl.nn.Activation.relu(x) : ai.djl.nn.Activation.gelu(x);
    }
}
