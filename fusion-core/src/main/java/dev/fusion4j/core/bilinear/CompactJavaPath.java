package dev.fusion4j.core.bilinear;

import dev.fusion4j.core.internal.JavaPath;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.PackedBatch;

/**
 * Plain-Java inference of {@link CompactBilinearBlock} (only for a power-of-two {@code D}; otherwise the
 * strategy computes on the block). Per record: the count sketch of each present {@code [x̂_m, 1]}; their
 * circular convolution through a double-precision radix-2 FFT ({@link Fft}) — two real sketches share one
 * complex transform ({@code a + i b}, separated by Hermitian symmetry), the product spectrum goes back
 * through one inverse transform; a single present modality needs no transform at all. An absent modality's
 * sketch is the single signed bucket {@code s_m(d_m) e_{h_m(d_m)}}, so it is applied exactly as a circular
 * shift by {@code h_m(d_m)} with sign {@code s_m(d_m)} instead of a transform.
 */
final class CompactJavaPath implements JavaPath {
    private final ModalityLayout layout;
    private final int dimension;
    private final CountSketch[] sketches;
    private final Fft fft;
    /** Per-thread scratch space of one record. */
    private final ThreadLocal<Scratch> scratch;

    /** Work arrays of length D. */
    private static final class Scratch {
        final double[] re;
        final double[] im;
        final double[] pr;
        final double[] pi;
        final float[] a;
        final float[] b;

        Scratch(int n) {
            re = new double[n];
            im = new double[n];
            pr = new double[n];
            pi = new double[n];
            a = new float[n];
            b = new float[n];
        }
    }

    CompactJavaPath(ModalityLayout layout, int dimension, CountSketch[] sketches) {
        this.layout = layout;
        this.dimension = dimension;
        this.sketches = sketches;
        this.fft = new Fft(dimension);
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(dimension));
    }

    /** Transforms: one per pair of modalities and the inverse; {@code D/2 · log2 D} butterflies each. */
    @Override
    public long work() {
        long transforms = (layout.count() + 1) / 2 + 1;
        return transforms * 3L * (dimension / 2) * Integer.numberOfTrailingZeros(dimension) + layout.totalDimension();
    }

    @Override
    public float[][] forward(PackedBatch batch, int outputs) {
        float[] z = new float[batch.size() * dimension];
        for (int r = 0; r < batch.size(); r++) {
            fuseRow(batch, r, z, r * dimension);
        }
        return new float[][] {z};
    }

    private void fuseRow(PackedBatch batch, int r, float[] z, int z0) {
        int n = dimension;
        int count = layout.count();
        int[] present = new int[count];
        int p = 0;
        for (int m = 0; m < count; m++) {
            if (batch.present(r, m)) {
                present[p++] = m;
            }
        }
        Scratch s = scratch.get();
        float[] conv = s.a;
        if (p == 1) {
            java.util.Arrays.fill(conv, 0f);
            sketch(batch, r, present[0], conv);
        } else {
            double[] re = s.re;
            double[] im = s.im;
            double[] pr = s.pr;
            double[] pi = s.pi;
            java.util.Arrays.fill(pr, 1.0);
            java.util.Arrays.fill(pi, 0.0);
            float[] a = s.a;
            float[] b = s.b;
            for (int i = 0; i < p; i += 2) {
                java.util.Arrays.fill(a, 0f);
                java.util.Arrays.fill(b, 0f);
                sketch(batch, r, present[i], a);
                boolean pair = i + 1 < p;
                if (pair) {
                    sketch(batch, r, present[i + 1], b);
                }
                for (int k = 0; k < n; k++) {
                    re[k] = a[k];
                    im[k] = b[k];
                }
                fft.transform(re, im, false);
                multiplySpectra(re, im, pair, pr, pi);
            }
            fft.transform(pr, pi, true);
            for (int k = 0; k < n; k++) {
                conv[k] = (float) (pr[k] / n);
            }
        }
        // absent modalities: circular shift by the constant's bucket, times its sign
        int shift = 0;
        float sign = 1f;
        for (int m = 0; m < count; m++) {
            if (!batch.present(r, m)) {
                int d = layout.dimension(m);
                shift = (shift + sketches[m].bucket(d)) % n;
                sign *= sketches[m].sign(d);
            }
        }
        for (int k = 0; k < n; k++) {
            z[z0 + (k + shift) % n] = sign * conv[k];
        }
    }

    /** Count sketch of {@code [x̂_m, 1]} of row {@code r} into {@code out} (zeroed by the caller), in float. */
    private void sketch(PackedBatch batch, int r, int m, float[] out) {
        int d = layout.dimension(m);
        CountSketch sketch = sketches[m];
        sketch.addTo(batch.inputs()[m], r * d, d, out, 0);
        out[sketch.bucket(d)] += sketch.sign(d);
    }

    /**
     * Multiplies {@code (pr, pi)} by the spectra held in {@code Z = FFT(a + i b)}: {@code A_k = (Z_k + conj
     * Z_{−k}) / 2} and, if {@code pair}, {@code B_k = (Z_k − conj Z_{−k}) / 2i}.
     */
    private void multiplySpectra(double[] re, double[] im, boolean pair, double[] pr, double[] pi) {
        int n = dimension;
        for (int k = 0; k < n; k++) {
            int c = (n - k) & (n - 1);
            double ar = 0.5 * (re[k] + re[c]);
            double ai = 0.5 * (im[k] - im[c]);
            double fr = ar;
            double fi = ai;
            if (pair) {
                double br = 0.5 * (im[k] + im[c]);
                double bi = -0.5 * (re[k] - re[c]);
                fr = ar * br - ai * bi;
                fi = ar * bi + ai * br;
            }
            double xr = pr[k] * fr - pi[k] * fi;
            double xi = pr[k] * fi + pi[k] * fr;
            pr[k] = xr;
            pi[k] = xi;
        }
    }
}
