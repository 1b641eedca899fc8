package dev.fusion4j.encoders.image;

import dev.fusion4j.encoders.image.ImagePreprocessor.Interpolation;

/**
 * The weights of a one-dimensional resampling from {@code inSize} to {@code outSize} samples, for the
 * output samples {@code from .. from + count - 1} only (the centre crop), computed as Pillow's
 * {@code ImagingResample} does: output sample {@code i} is centred on {@code (i + 0.5) * scale} in the
 * input, and when {@code antialias} and downscaling, the filter is widened by the scale factor so that
 * every input sample contributes (torchvision {@code antialias=True}). Weights are normalised to sum
 * to 1, which also handles the borders. NEAREST takes the input sample under the output centre.
 *
 * <p>Immutable; the arrays are never changed after construction.
 */
final class ResampleKernel {
    final int inSize;
    final int outSize;
    final int from;
    /** First input sample of each output sample. */
    final int[] start;
    /** Number of input samples of each output sample. */
    final int[] taps;
    /** Weights, {@code stride} per output sample (computed in double, normalised, then stored as float). */
    final double[] weights;
    final int stride;

    private ResampleKernel(int inSize, int outSize, int from, int[] start, int[] taps, double[] weights,
            int stride) {
        this.inSize = inSize;
        this.outSize = outSize;
        this.from = from;
        this.start = start;
        this.taps = taps;
        this.weights = weights;
        this.stride = stride;
    }

    boolean matches(int in, int out, int first, int count) {
        return inSize == in && outSize == out && from == first && start.length == count;
    }

    static ResampleKernel create(int inSize, int outSize, int from, int count, Interpolation interpolation,
            boolean antialias) {
        double scale = (double) inSize / outSize;
        int[] start = new int[count];
        int[] taps = new int[count];
        if (interpolation == Interpolation.NEAREST) {
            double[] weights = new double[count];
            for (int i = 0; i < count; i++) {
                // floor((i + 0.5) * in / out) in integers: exact where the centre falls on a pixel edge
                long centre = (2L * (from + i) + 1) * inSize / (2L * outSize);
                start[i] = (int) Math.min(centre, inSize - 1);
                taps[i] = 1;
                weights[i] = 1;
            }
            return new ResampleKernel(inSize, outSize, from, start, taps, weights, 1);
        }
        double filterScale = antialias && scale > 1 ? scale : 1;
        double support = support(interpolation) * filterScale;
        int stride = (int) Math.ceil(support) * 2 + 1;
        double[] weights = new double[count * stride];
        for (int i = 0; i < count; i++) {
            double center = (from + i + 0.5) * scale;
            int min = Math.max((int) (center - support + 0.5), 0);
            int max = Math.min((int) (center + support + 0.5), inSize);
            int base = i * stride;
            double total = 0;
            int n = 0;
            int first = -1;
            for (int x = min; x < max; x++) {
                double w = filter(interpolation, (x - center + 0.5) / filterScale);
                if (w == 0 && n == 0) {
                    continue; // trim leading zero taps
                }
                if (first < 0) {
                    first = x;
                }
                weights[base + n++] = w;
                total += w;
            }
            while (n > 1 && weights[base + n - 1] == 0) {
                n--; // trim trailing zero taps
            }
            if (n == 0 || total == 0) { // cannot happen for these filters; keep a valid kernel anyway
                first = Math.min(Math.max((int) center, 0), inSize - 1);
                weights[base] = 1;
                n = 1;
                total = 1;
            }
            for (int j = 0; j < n; j++) {
                weights[base + j] /= total;
            }
            start[i] = first;
            taps[i] = n;
        }
        return new ResampleKernel(inSize, outSize, from, start, taps, weights, stride);
    }

    private static double support(Interpolation interpolation) {
        return switch (interpolation) {
            case BOX -> 0.5;
            case BICUBIC -> 2;
            default -> 1;
        };
    }

    /** Pillow's filters; bicubic uses a = -0.5 as Pillow and torchvision's antialiased bicubic do. */
    private static double filter(Interpolation interpolation, double x) {
        switch (interpolation) {
            case BOX:
                return x > -0.5 && x <= 0.5 ? 1 : 0;
            case BICUBIC: {
                double a = -0.5;
                double t = Math.abs(x);
                if (t < 1) {
                    return ((a + 2) * t - (a + 3)) * t * t + 1;
                }
                return t < 2 ? (((t - 5) * t + 8) * t - 4) * a : 0;
            }
            default: {
                double t = Math.abs(x);
                return t < 1 ? 1 - t : 0;
            }
        }
    }
}
