package dev.fusion4j.core.bilinear;

import dev.fusion4j.core.internal.JavaPath;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.PackedBatch;

/**
 * Plain-Java inference of {@link CompactBilinearBlock} (only for a power-of-two {@code D}; otherwise the
 * strategy computes on the block). Per record: the count sketch of each present {@code [x̂_m, 1]}, scattered
 * straight into bit-reversed order (the forward transform then needs no permutation pass); their circular
 * convolution through a double-precision radix-2 FFT ({@link Fft}) — two real sketches share one complex
 * transform of size D ({@code a + i b}, separated by Hermitian symmetry), and the real result comes back
 * through one complex transform of size D/2 (even and odd samples as real and imaginary parts); a single
 * present modality needs no transform at all. An absent modality's sketch is the single signed bucket
 * {@code s_m(d_m) e_{h_m(d_m)}}, so it is applied exactly as a circular shift by {@code h_m(d_m)} with sign
 * {@code s_m(d_m)} instead of a transform.
 */
final class CompactJavaPath implements JavaPath {
    private final ModalityLayout layout;
    private final int dimension;
    private final CountSketch[] sketches;
    /** Per modality: the bucket of each input index (the constant's last), in the bit-reversed order of D. */
    private final int[][] reversedBuckets;
    private final Fft fft;
    /** Size D/2, for the inverse of a real result (null when D < 2). */
    private final Fft half;
    /** {@code cos(2πk/D)}, {@code sin(2πk/D)}, {@code k < D/2}. */
    private final double[] cos;
    private final double[] sin;
    /** Per-thread scratch space of one record. */
    private final ThreadLocal<Scratch> scratch;

    /** Work arrays. */
    private static final class Scratch {
        final double[] re;
        final double[] im;
        final double[] pr;
        final double[] pi;
        final double[] qr;
        final double[] qi;
        final float[] conv;

        Scratch(int n) {
            re = new double[n];
            im = new double[n];
            pr = new double[n];
            pi = new double[n];
            qr = new double[Math.max(1, n / 2)];
            qi = new double[Math.max(1, n / 2)];
            conv = new float[n];
        }
    }

    CompactJavaPath(ModalityLayout layout, int dimension, CountSketch[] sketches) {
        this.layout = layout;
        this.dimension = dimension;
        this.sketches = sketches;
        this.fft = new Fft(dimension);
        this.half = dimension >= 2 ? new Fft(dimension / 2) : null;
        this.reversedBuckets = new int[sketches.length][];
        for (int m = 0; m < sketches.length; m++) {
            int d = layout.dimension(m);
            reversedBuckets[m] = new int[d + 1];
            for (int i = 0; i <= d; i++) {
                reversedBuckets[m][i] = fft.reversed(sketches[m].bucket(i));
            }
        }
        int h = dimension / 2;
        cos = new double[h];
        sin = new double[h];
        for (int k = 0; k < h; k++) {
            double angle = 2 * Math.PI * k / dimension;
            cos[k] = StrictMath.cos(angle);
            sin[k] = StrictMath.sin(angle);
        }
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(dimension));
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
        float[] conv = s.conv;
        if (p == 1 || n == 1) {
            java.util.Arrays.fill(conv, 0f);
            if (n == 1) {
                conv[0] = 1f;
                for (int i = 0; i < p; i++) {
                    float[] single = new float[1];
                    sketch(batch, r, present[i], single);
                    conv[0] *= single[0];
                }
            } else {
                sketch(batch, r, present[0], conv);
            }
        } else {
            double[] re = s.re;
            double[] im = s.im;
            double[] pr = s.pr;
            double[] pi = s.pi;
            java.util.Arrays.fill(pr, 0, n / 2 + 1, 1.0);
            java.util.Arrays.fill(pi, 0, n / 2 + 1, 0.0);
            for (int i = 0; i < p; i += 2) {
                java.util.Arrays.fill(re, 0.0);
                java.util.Arrays.fill(im, 0.0);
                scatterReversed(batch, r, present[i], re);
                boolean pair = i + 1 < p;
                if (pair) {
                    scatterReversed(batch, r, present[i + 1], im);
                }
                fft.transformReversed(re, im, false);
                multiplySpectra(re, im, pair, pr, pi);
            }
            inverseReal(pr, pi, s, conv);
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
        int wrap = n - shift; // conv[k] goes to (k + shift) mod n
        for (int k = 0; k < wrap; k++) {
            z[z0 + shift + k] = sign * conv[k];
        }
        for (int k = wrap; k < n; k++) {
            z[z0 + k - wrap] = sign * conv[k];
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
     * Count sketch of {@code [x̂_m, 1]} of row {@code r} added to {@code out} at bit-reversed positions, each
     * bucket summed in float in index order (as {@link CountSketch#addTo} sums), held in double.
     */
    private void scatterReversed(PackedBatch batch, int r, int m, double[] out) {
        int d = layout.dimension(m);
        CountSketch sketch = sketches[m];
        int[] buckets = reversedBuckets[m];
        float[] x = batch.inputs()[m];
        int x0 = r * d;
        for (int i = 0; i < d; i++) {
            int b = buckets[i];
            out[b] = (float) out[b] + sketch.sign(i) * x[x0 + i];
        }
        out[buckets[d]] = (float) out[buckets[d]] + sketch.sign(d);
    }

    /**
     * Multiplies {@code (pr, pi)} by the spectra held in {@code Z = FFT(a + i b)}: {@code A_k = (Z_k + conj
     * Z_{−k}) / 2} and, if {@code pair}, {@code B_k = (Z_k − conj Z_{−k}) / 2i}; for {@code k ≤ D/2} only (the
     * product of real sequences' spectra is Hermitian, exactly so as computed here: the rest is its conjugate).
     */
    private void multiplySpectra(double[] re, double[] im, boolean pair, double[] pr, double[] pi) {
        int n = dimension;
        for (int k = 0; k <= n / 2; k++) {
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

    /**
     * {@code conv = IFFT(P) / D} for a Hermitian spectrum {@code P} (a real result; given for {@code k ≤ N}) through
     * one transform of
     * size {@code N = D/2}: {@code x_{2m} + i x_{2m+1} = Σ_{k<N} (E_k + i O_k) e^{2πimk/N}} with {@code E_k = P_k +
     * P_{k+N}} and {@code O_k = (P_k − P_{k+N}) e^{2πik/D}}.
     */
    private void inverseReal(double[] pr, double[] pi, Scratch s, float[] conv) {
        int n = dimension;
        int h = n / 2;
        double[] qr = s.qr;
        double[] qi = s.qi;
        for (int k = 0; k < h; k++) {
            double hr = pr[h - k]; // P_{k+N} = conj P_{N−k}
            double hi = -pi[h - k];
            double er = pr[k] + hr;
            double ei = pi[k] + hi;
            double dr = pr[k] - hr;
            double di = pi[k] - hi;
            double or = dr * cos[k] - di * sin[k];
            double oi = dr * sin[k] + di * cos[k];
            qr[k] = er - oi; // E + i O
            qi[k] = ei + or;
        }
        half.transform(qr, qi, true);
        for (int m = 0; m < h; m++) {
            conv[2 * m] = (float) (qr[m] / n);
            conv[2 * m + 1] = (float) (qi[m] / n);
        }
    }
}
