package dev.fusion4j.core.train;

import ai.djl.ndarray.types.Shape;
import dev.fusion4j.core.internal.ModalityLayout;
import dev.fusion4j.core.internal.PackedBatch;
import dev.fusion4j.core.internal.Softmax;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trust-weighted late fusion: how much a {@link FusionModel} believes each of its experts (the fusion network and
 * every modality's unimodal head) <em>for one record</em>, and the answer they give together.
 *
 * <h2>Maths</h2>
 * For a record with two or more modalities present, with {@code ℓ_e = log softmax(logits_e)} the log-probabilities
 * of expert {@code e ∈ {fused} ∪ {m present}}:
 * <pre>
 *   a_m(x) = log( (1/d_m) Σ_j ((x_mj − μ_mj) · s_mj)² )      atypicality of modality m (diagonal Mahalanobis,
 *                                                          μ, s from the training split)
 *   z_m(x) = (a_m(x) − c_m) / r_m                           standardised on the validation split (0 = typical)
 *   w_e(x) = softplus( g_e0 + Σ_{m present} g_em · z_m(x) )   the expert's trust in this record
 *   log p(y | x) = Σ_e w_e(x) ℓ_e(y) − log Σ_y' exp(Σ_e w_e(x) ℓ_e(y'))
 * </pre>
 * A weighted product of experts: an expert with weight 0 is ignored, weights above 1 sharpen it, and the gate
 * {@code g} lets an atypical input (an image drawn in a style the training set never had, a corrupted scan) move
 * belief from the experts that read it to those that do not. The gate is fitted after the network, on the
 * validation records (which neither the network nor the unimodal heads used for their weights until then), by
 * minimising the mean negative log-likelihood plus {@code λ‖g‖²} with Adam in Java: deterministic, a few
 * milliseconds. The unimodal heads are then fitted again on every training record, validation included (the gate
 * is kept): a record with one modality, which its head answers alone, then loses nothing against a probe.
 * It is the calibrated late fusion of Kittler et al. (1998) with a per-record, input-dependent weight in the spirit
 * of dynamic multimodal fusion (Zhang et al., ICML 2023), whose quality signal here is the distance of each
 * modality's embedding from its training distribution.
 *
 * <h2>Cost</h2>
 * Parameters: {@code E (1 + M)} gate values ({@code E = M + 1} experts) and {@code 2 d_m + 2} statistics per
 * modality. Per record: {@code 3 Σ d_m} FLOPs for the atypicalities, {@code E · C} for the combination.
 *
 * <p>File arrays: {@code trust.gate [E·(1+M)]} (row {@code e}: bias then one coefficient per modality; experts in
 * the order fused, then the layout's modalities), {@code trust.<modality>.mean|scale [d_m]} and
 * {@code trust.<modality>.typical [2]} ({@code c_m, r_m}).
 */
final class TrustWeights {
    static final String PREFIX = "trust.";
    static final String GATE = PREFIX + "gate";
    /** A log-probability floor, so that a label an expert never saw (probability 0) cannot give {@code 0 · −∞}. */
    static final double FLOOR = -50;
    /** Weight of the gate's L2 penalty. */
    static final double L2 = 1e-3;
    private static final int STEPS = 400;
    private static final double RATE = 0.05;

    private final ModalityLayout layout;
    private final float[] gate;
    private final float[][] mean;
    private final float[][] scale;
    private final float[][] typical;

    private TrustWeights(ModalityLayout layout, float[] gate, float[][] mean, float[][] scale, float[][] typical) {
        this.layout = layout;
        this.gate = gate;
        this.mean = mean;
        this.scale = scale;
        this.typical = typical;
    }

    /** Reads the arrays {@link #shapes} names from {@code values}. */
    static TrustWeights of(ModalityLayout layout, Map<String, float[]> values) {
        int count = layout.count();
        float[][] mean = new float[count][];
        float[][] scale = new float[count][];
        float[][] typical = new float[count][];
        for (int m = 0; m < count; m++) {
            String p = prefix(layout, m);
            mean[m] = values.get(p + "mean");
            scale[m] = values.get(p + "scale");
            typical[m] = values.get(p + "typical");
        }
        return new TrustWeights(layout, values.get(GATE), mean, scale, typical);
    }

    /** Names and shapes of the trust arrays, in file order. */
    static Map<String, Shape> shapes(ModalityLayout layout) {
        Map<String, Shape> s = new LinkedHashMap<>();
        int count = layout.count();
        s.put(GATE, new Shape((long) (count + 1) * (count + 1)));
        for (int m = 0; m < count; m++) {
            String p = prefix(layout, m);
            s.put(p + "mean", new Shape(layout.dimension(m)));
            s.put(p + "scale", new Shape(layout.dimension(m)));
            s.put(p + "typical", new Shape(2));
        }
        return s;
    }

    private static String prefix(ModalityLayout layout, int m) {
        return PREFIX + layout.modalities().get(m).name() + ".";
    }

    /** Number of experts: the fused network, then one per modality. */
    int experts() {
        return layout.count() + 1;
    }

    /** The raw atypicality {@code a_m} of the {@code d_m} values of {@code x} from {@code offset}. */
    private static double atypicality(float[] x, int offset, float[] mean, float[] scale) {
        double sum = 0;
        for (int j = 0; j < mean.length; j++) {
            double v = (x[offset + j] - mean[j]) * scale[j];
            sum += v * v;
        }
        return Math.log(sum / mean.length + 1e-12);
    }

    /** The standardised atypicality {@code z_m} of every modality of row {@code row} (0 where absent). */
    double[] atypicalities(PackedBatch raw, int row) {
        double[] z = new double[layout.count()];
        for (int m = 0; m < z.length; m++) {
            if (raw.present(row, m)) {
                double a = atypicality(raw.inputs()[m], row * layout.dimension(m), mean[m], scale[m]);
                z[m] = (a - typical[m][0]) / typical[m][1];
            }
        }
        return z;
    }

    /**
     * The trust {@code w_e} of every expert for a record with these atypicalities and presence (0 for the head of
     * an absent modality).
     */
    double[] weights(double[] z, boolean[] present) {
        return weights(gate, z, present);
    }

    private static double[] weights(float[] gate, double[] z, boolean[] present) {
        int count = z.length;
        double[] w = new double[count + 1];
        for (int e = 0; e <= count; e++) {
            if (e > 0 && !present[e - 1]) {
                continue;
            }
            w[e] = softplus(pre(gate, e, z, present));
        }
        return w;
    }

    private static double pre(float[] gate, int e, double[] z, boolean[] present) {
        int count = z.length;
        double u = gate[e * (count + 1)];
        for (int m = 0; m < count; m++) {
            if (present[m]) {
                u += gate[e * (count + 1) + 1 + m] * z[m];
            }
        }
        return u;
    }

    /**
     * Writes the combined log-probabilities of one record into {@code out[from, from + c)}: {@code Σ_e w_e ℓ_e},
     * normalised.
     *
     * @param logProbs per expert its log-softmax over the {@code c} labels (null for an absent modality's head)
     */
    static void combine(double[] w, double[][] logProbs, int c, double[] out, int from) {
        for (int j = 0; j < c; j++) {
            double s = 0;
            for (int e = 0; e < w.length; e++) {
                if (w[e] != 0) {
                    s += w[e] * Math.max(FLOOR, logProbs[e][j]);
                }
            }
            out[from + j] = s;
        }
        double log = Softmax.logSumExp(out, from, c);
        for (int j = 0; j < c; j++) {
            out[from + j] -= log;
        }
    }

    /** {@code log softmax} of {@code c} logits from {@code offset}, in double. */
    static double[] logSoftmax(float[] logits, int offset, int c) {
        double[] out = new double[c];
        for (int j = 0; j < c; j++) {
            out[j] = logits[offset + j];
        }
        double log = Softmax.logSumExp(out, 0, c);
        for (int j = 0; j < c; j++) {
            out[j] -= log;
        }
        return out;
    }

    /**
     * The atypicality statistics: per modality the mean and inverse scale of its inputs over the training rows
     * (as {@link TrainingRun#putStats}), and the centre and spread of {@code a_m} over the validation rows.
     *
     * @return the {@code trust.<modality>.*} arrays
     */
    static Map<String, float[]> statistics(ModalityLayout layout, PackedBatch raw, int[] train, int[] val) {
        Map<String, float[]> v = new LinkedHashMap<>();
        for (int m = 0; m < layout.count(); m++) {
            int d = layout.dimension(m);
            double[][] s = new double[2][d];
            int k = 0;
            for (int i : train) {
                if (raw.present(i, m)) {
                    TrainingRun.welford(s, raw.inputs()[m], i * d, ++k);
                }
            }
            String p = prefix(layout, m);
            TrainingRun.putStats(v, p, s, k);
            double sum = 0;
            double sq = 0;
            int n = 0;
            for (int i : val) {
                if (raw.present(i, m)) {
                    double a = atypicality(raw.inputs()[m], i * d, v.get(p + "mean"), v.get(p + "scale"));
                    sum += a;
                    sq += a * a;
                    n++;
                }
            }
            double centre = n > 0 ? sum / n : 0;
            double spread = n > 1 ? Math.sqrt(Math.max(0, sq / n - centre * centre)) : 1;
            v.put(p + "typical", new float[] {(float) centre, (float) Math.max(spread, 1e-3)});
        }
        return v;
    }

    /**
     * Fits the gate on validation records: {@code logProbs[i][e]} the log-softmax of expert {@code e} on record
     * {@code i} (null where unavailable), {@code z[i]} its atypicalities, {@code present[i]} its presence and
     * {@code y[i]} its label. Starts from {@code w_fused = 1}, {@code w_m = 0.5}, no dependence on {@code z}.
     * Deterministic: full-batch Adam in a fixed order.
     *
     * @return the {@code trust.gate} array
     */
    static float[] fitGate(double[][][] logProbs, double[][] z, boolean[][] present, int[] y, int count, int c) {
        int width = count + 1;
        double[] g = new double[width * width];
        for (int e = 0; e < width; e++) {
            g[e * width] = inverseSoftplus(e == 0 ? 1.0 : 0.5);
        }
        double[] m1 = new double[g.length];
        double[] m2 = new double[g.length];
        double b1 = 0.9;
        double b2 = 0.999;
        int n = y.length;
        double[] s = new double[c];
        for (int step = 1; step <= STEPS && n > 0; step++) {
            double[] grad = new double[g.length];
            float[] gf = toFloat(g);
            for (int i = 0; i < n; i++) {
                double[] w = weights(gf, z[i], present[i]);
                combine(w, logProbs[i], c, s, 0);
                // d(-log p_y)/d w_e = -(ℓ_e(y) - Σ_j p_j ℓ_e(j))
                for (int e = 0; e < width; e++) {
                    if (w[e] == 0) {
                        continue;
                    }
                    double[] l = logProbs[i][e];
                    double expected = 0;
                    for (int j = 0; j < c; j++) {
                        expected += Math.exp(s[j]) * Math.max(FLOOR, l[j]);
                    }
                    double dw = -(Math.max(FLOOR, l[y[i]]) - expected) / n;
                    double du = dw * sigmoid(pre(gf, e, z[i], present[i]));
                    grad[e * width] += du;
                    for (int m = 0; m < count; m++) {
                        if (present[i][m]) {
                            grad[e * width + 1 + m] += du * z[i][m];
                        }
                    }
                }
            }
            for (int k = 0; k < g.length; k++) {
                double gk = grad[k] + 2 * L2 * g[k];
                m1[k] = b1 * m1[k] + (1 - b1) * gk;
                m2[k] = b2 * m2[k] + (1 - b2) * gk * gk;
                double mh = m1[k] / (1 - Math.pow(b1, step));
                double vh = m2[k] / (1 - Math.pow(b2, step));
                g[k] -= RATE * mh / (Math.sqrt(vh) + 1e-8);
            }
        }
        return toFloat(g);
    }

    private static float[] toFloat(double[] g) {
        float[] f = new float[g.length];
        for (int k = 0; k < g.length; k++) {
            f[k] = (float) g[k];
        }
        return f;
    }

    static double softplus(double u) {
        return u > 30 ? u : Math.log1p(Math.exp(u));
    }

    private static double inverseSoftplus(double w) {
        return Math.log(Math.expm1(w));
    }

    private static double sigmoid(double u) {
        return 1 / (1 + Math.exp(-u));
    }
}
