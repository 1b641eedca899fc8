package dev.fusion4j.core.internal;

import ai.djl.ndarray.NDArray;

/**
 * Multiplication and division by a Java number of arrays that may be part of an autograd graph.
 *
 * <p>DJL's {@code NDArray.mul(Number)} and {@code div(Number)} on the PyTorch engine wrap the number in a temporary
 * array backed by a Java direct buffer and close it as soon as the forward op returns, while PyTorch's autograd graph
 * keeps that scalar for the backward pass ({@code d(x s)/dx = s}). Once a garbage collection has freed the buffer,
 * the backward pass reads freed memory and scales the gradient by whatever it holds: same-seed training was then
 * occasionally not reproducible, or NaN, on a loaded machine (docs/reliability.md). Here the scalar is an array on
 * {@code x}'s manager (the call's or the batch's), so it lives until that manager closes, after the backward pass.
 * The result is bit-identical to {@code x.mul(s)} / {@code x.div(s)}.
 *
 * <p>Use these for every scalar multiplication or division of an array that may carry a gradient. Adding or
 * subtracting a number is safe (the backward pass does not read the scalar), and so is any op on arrays that never
 * require a gradient (masks, inputs).
 */
public final class Scalars {
    private Scalars() {
    }

    /** {@code x * s}, the scalar kept alive on {@code x}'s manager. */
    public static NDArray mul(NDArray x, float s) {
        return x.mul(x.getManager().create(s));
    }

    /** {@code x / s}, the scalar kept alive on {@code x}'s manager. */
    public static NDArray div(NDArray x, float s) {
        return x.div(x.getManager().create(s));
    }
}
