package dev.fusion4j.core.sum;

/** How {@link WeightedSumFusion} weighs the modalities; weights always renormalise over the present ones. */
public enum WeightMode {
    /** User-given positive weights {@code c_m} (default all 1: the mean): {@code w_m = p_m c_m / Σ p_n c_n}. */
    FIXED,
    /** Learned scalars {@code a_m} (initialised to 0: the mean): {@code w = softmax over present of a}. */
    LEARNED,
    /**
     * Per-record gate from the projected inputs {@code y_m}: {@code w = softmax over present of
     * (g · tanh(y_m) + c_m)}, with a learned gate vector {@code g} (seeded N(0, 1) init) and learned
     * biases {@code c_m} (0).
     */
    GATED
}
