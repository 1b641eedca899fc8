package dev.fusion4j.core.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.util.Pair;
import ai.djl.nn.Parameter;
import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.TestData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttentionFusionTest {
    private static final Modality AUDIO = TestData.AUDIO;

    @ParameterizedTest(name = "fusionToken={0}")
    @ValueSource(booleans = {true, false})
    void anAbsentModalityEqualsAttentionOverThePresentTokensAlone(boolean fusionToken) {
        AttentionSpec spec = Fusions.attention().dimension(16).heads(4).layers(2).fusionToken(fusionToken);
        Random random = new Random(11);
        ModalityEmbeddings record = TestData.record(Modality.TEXT, TestData.gaussian(random, 6),
                AUDIO, TestData.gaussian(random, 8));
        try (AttentionFusion three = spec.bind(TestData.dims(Modality.TEXT, 6, Modality.IMAGE, 10, AUDIO, 8));
             AttentionFusion two = spec.bind(TestData.dims(Modality.TEXT, 6, AUDIO, 8))) {
            AttendedEmbedding a = three.fuseWithAttention(record);
            AttendedEmbedding b = two.fuseWithAttention(record);
            assertThat(TestData.maxDiff(a.embedding().toArray(), b.embedding().toArray())).isLessThan(1e-5);
            assertThat(a.weights().get(Modality.IMAGE)).isEqualTo(0.0);
            assertThat(a.weights().get(Modality.TEXT)).isCloseTo(b.weights().get(Modality.TEXT), within(1e-6));
            assertThat(a.weights().get(AUDIO)).isCloseTo(b.weights().get(AUDIO), within(1e-6));
            // and the image, when present, changes the result
            ModalityEmbeddings withImage = TestData.record(Modality.TEXT, record.get(Modality.TEXT).orElseThrow(),
                    Modality.IMAGE, TestData.gaussian(random, 10), AUDIO, record.get(AUDIO).orElseThrow());
            assertThat(TestData.maxDiff(three.fuse(withImage).toArray(), a.embedding().toArray())).isGreaterThan(1e-3);
        }
    }

    @ParameterizedTest(name = "fusionToken={0}")
    @ValueSource(booleans = {true, false})
    void matchesAHandWrittenTransformer(boolean fusionToken) {
        AttentionSpec spec = Fusions.attention().dimension(8).heads(2).layers(2).feedForward(12)
                .fusionToken(fusionToken).seed(5);
        Random random = new Random(12);
        try (AttentionFusion f = spec.bind(TestData.dims(Modality.TEXT, 5, Modality.IMAGE, 7, AUDIO, 3))) {
            Map<String, float[]> p = parameters(f);
            List<ModalityEmbeddings> records = List.of(
                    TestData.record(Modality.TEXT, TestData.gaussian(random, 5), Modality.IMAGE,
                            TestData.gaussian(random, 7), AUDIO, TestData.gaussian(random, 3)),
                    TestData.record(Modality.IMAGE, TestData.gaussian(random, 7)),
                    TestData.record(AUDIO, TestData.gaussian(random, 3), Modality.TEXT, TestData.gaussian(random, 5)));
            List<AttendedEmbedding> fused = f.fuseAllWithAttention(records);
            for (int r = 0; r < records.size(); r++) {
                double[][] expected = reference(p, records.get(r), List.of(Modality.TEXT, Modality.IMAGE, AUDIO),
                        new int[] {5, 7, 3}, 8, 2, 2, fusionToken);
                float[] z = fused.get(r).embedding().toArray();
                for (int i = 0; i < 8; i++) {
                    assertThat((double) z[i]).as("record %d, output %d", r, i).isCloseTo(expected[0][i], within(1e-4));
                }
                double total = 0;
                int m = 0;
                for (Modality modality : List.of(Modality.TEXT, Modality.IMAGE, AUDIO)) {
                    double w = fused.get(r).weights().get(modality);
                    assertThat(w).as("weight of %s in record %d", modality, r).isCloseTo(expected[1][m++], within(1e-5));
                    total += w;
                }
                assertThat(total).isCloseTo(1.0, within(1e-5));
            }
        }
    }

    @Test
    void refusesHeadsThatDoNotDivideTheDimension() {
        assertThatThrownBy(() -> Fusions.attention().dimension(10).heads(4).bind(TestData.dims(Modality.TEXT, 3)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not divisible");
        assertThatThrownBy(() -> Fusions.attention().dropout(1f)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void fuseWithAttentionReturnsTheSameEmbeddingAsFuse() {
        Random random = new Random(13);
        try (AttentionFusion f = Fusions.attention().dimension(16).heads(2)
                .bind(TestData.dims(Modality.TEXT, 4, Modality.IMAGE, 4))) {
            ModalityEmbeddings r = TestData.record(Modality.TEXT, TestData.gaussian(random, 4));
            AttendedEmbedding a = f.fuseWithAttention(r);
            assertThat(a.embedding()).isEqualTo(f.fuse(r));
            assertThat(a.weights()).containsExactly(Map.entry(Modality.TEXT, 1.0), Map.entry(Modality.IMAGE, 0.0));
        }
    }

    @ParameterizedTest(name = "fusionToken={0}")
    @ValueSource(booleans = {true, false})
    void javaPathAttentionWeightsAgreeWithTheBlockForEverySubset(boolean fusionToken) {
        Map<Modality, Integer> dims = TestData.dims(Modality.TEXT, 6, Modality.IMAGE, 10, TestData.AUDIO, 8);
        try (AttentionFusion f = Fusions.attention().dimension(16).heads(4).layers(2).fusionToken(fusionToken)
                .bind(dims)) {
            List<ModalityEmbeddings> records = TestData.allPatterns(dims, 21);
            List<AttendedEmbedding> expected = f.fuseAllWithAttentionOnBlock(records);
            for (int i = 0; i < records.size(); i++) {
                AttendedEmbedding a = f.fuseWithAttention(records.get(i));
                assertThat(TestData.maxDiff(a.embedding().toArray(), expected.get(i).embedding().toArray()))
                        .isLessThan(1e-5);
                for (Modality m : dims.keySet()) {
                    assertThat(a.weights().get(m)).as("record %d, %s", i, m)
                            .isCloseTo(expected.get(i).weights().get(m), within(1e-6));
                    if (!records.get(i).modalities().contains(m)) {
                        assertThat(a.weights().get(m)).isZero();
                    }
                }
            }
            // a batch the Java path takes (with 2 layers, up to 3 records) matches its records one by one
            assertThat(f.usesJavaPath()).isTrue();
            assertThat(f.fuseAllWithAttention(records.subList(0, 3))).isEqualTo(
                    records.subList(0, 3).stream().map(f::fuseWithAttention).toList());
        }
    }

    private static Map<String, float[]> parameters(AttentionFusion f) {
        Map<String, float[]> out = new HashMap<>();
        for (Pair<String, Parameter> p : f.block().getParameters()) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /** The transformer of AttentionFusion written out in double: returns {fused, weights}. */
    static double[][] reference(Map<String, float[]> p, ModalityEmbeddings record, List<Modality> modalities,
            int[] dims, int d, int heads, int layers, boolean fusionToken) {
        int count = modalities.size();
        int offset = fusionToken ? 1 : 0;
        int s = count + offset;
        double[][] h = new double[s][];
        boolean[] present = new boolean[s];
        if (fusionToken) {
            h[0] = toDouble(p.get("fusion_token"));
            present[0] = true;
        }
        for (int m = 0; m < count; m++) {
            Modality modality = modalities.get(m);
            double[] x = new double[dims[m]];
            if (record.isPresent(modality)) {
                float[] v = record.get(modality).orElseThrow().normalized().toArray();
                for (int i = 0; i < v.length; i++) {
                    x[i] = v[i];
                }
                present[m + offset] = true;
            }
            h[m + offset] = add(matVec(p.get("projection_" + modality.name()), x, d), toDouble(p.get("type_" + modality.name())));
        }
        double[][][] probabilities = null;
        int hd = d / heads;
        for (int l = 0; l < layers; l++) {
            String n = "layer" + l + "_";
            double[][] q = new double[s][];
            double[][] k = new double[s][];
            double[][] v = new double[s][];
            float[] qkv = p.get(n + "qkv_weight");
            for (int t = 0; t < s; t++) {
                double[] normed = layerNorm(h[t], p.get(n + "norm1_gain"), p.get(n + "norm1_bias"));
                double[] all = add(matVec(qkv, normed, 3 * d), toDouble(p.get(n + "qkv_bias")));
                q[t] = java.util.Arrays.copyOfRange(all, 0, d);
                k[t] = java.util.Arrays.copyOfRange(all, d, 2 * d);
                v[t] = java.util.Arrays.copyOfRange(all, 2 * d, 3 * d);
            }
            probabilities = new double[heads][s][s];
            double[][] context = new double[s][d];
            for (int head = 0; head < heads; head++) {
                for (int a = 0; a < s; a++) {
                    double[] scores = new double[s];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int b = 0; b < s; b++) {
                        if (!present[b]) {
                            scores[b] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double dot = 0;
                        for (int i = 0; i < hd; i++) {
                            dot += q[a][head * hd + i] * k[b][head * hd + i];
                        }
                        scores[b] = dot / Math.sqrt(hd);
                        max = Math.max(max, scores[b]);
                    }
                    double sum = 0;
                    for (int b = 0; b < s; b++) {
                        scores[b] = Math.exp(scores[b] - max);
                        sum += scores[b];
                    }
                    for (int b = 0; b < s; b++) {
                        probabilities[head][a][b] = scores[b] / sum;
                        for (int i = 0; i < hd; i++) {
                            context[a][head * hd + i] += probabilities[head][a][b] * v[b][head * hd + i];
                        }
                    }
                }
            }
            for (int t = 0; t < s; t++) {
                h[t] = add(h[t], add(matVec(p.get(n + "out_weight"), context[t], d), toDouble(p.get(n + "out_bias"))));
                double[] normed = layerNorm(h[t], p.get(n + "norm2_gain"), p.get(n + "norm2_bias"));
                double[] hidden = add(matVec(p.get(n + "ffn1_weight"), normed, p.get(n + "ffn1_bias").length),
                        toDouble(p.get(n + "ffn1_bias")));
                for (int i = 0; i < hidden.length; i++) {
                    hidden[i] = 0.5 * hidden[i] * (1 + erf(hidden[i] / Math.sqrt(2)));
                }
                h[t] = add(h[t], add(matVec(p.get(n + "ffn2_weight"), hidden, d), toDouble(p.get(n + "ffn2_bias"))));
            }
        }
        double[] fused = new double[d];
        double[] weights = new double[count];
        if (fusionToken) {
            fused = layerNorm(h[0], p.get("final_norm_gain"), p.get("final_norm_bias"));
            double total = 0;
            for (int m = 0; m < count; m++) {
                for (int head = 0; head < heads; head++) {
                    weights[m] += probabilities[head][0][m + 1] / heads;
                }
                total += weights[m];
            }
            for (int m = 0; m < count; m++) {
                weights[m] /= total;
            }
        } else {
            int n = 0;
            for (int t = 0; t < s; t++) {
                if (present[t]) {
                    fused = add(fused, layerNorm(h[t], p.get("final_norm_gain"), p.get("final_norm_bias")));
                    n++;
                    for (int m = 0; m < count; m++) {
                        for (int head = 0; head < heads; head++) {
                            weights[m] += probabilities[head][t][m] / heads;
                        }
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                fused[i] /= n;
            }
            for (int m = 0; m < count; m++) {
                weights[m] /= n;
            }
        }
        return new double[][] {fused, weights};
    }

    private static double[] matVec(float[] w, double[] x, int rows) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < x.length; c++) {
                y[r] += w[r * x.length + c] * x[c];
            }
        }
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    private static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    private static double[] layerNorm(double[] x, float[] gain, float[] bias) {
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean) / x.length;
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (x[i] - mean) / Math.sqrt(var + AttentionBlock.LAYER_NORM_EPS) * gain[i] + bias[i];
        }
        return out;
    }

    /** erf to about 1e-7 (Abramowitz and Stegun 7.1.26). */
    private static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return Math.signum(x) * y;
    }
}
