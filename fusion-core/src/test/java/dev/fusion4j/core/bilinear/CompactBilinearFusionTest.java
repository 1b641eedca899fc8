package dev.fusion4j.core.bilinear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.Modality;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.TestData;
import dev.fusion4j.core.internal.SeededInit;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompactBilinearFusionTest {

    /** Circular convolution by its definition, in double. */
    private static double[] convolve(double[] a, double[] b) {
        int n = a.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[(i + j) % n] += a[i] * b[j];
            }
        }
        return out;
    }

    private static double[] sketch(CountSketch c, float[] x) {
        float[] s = c.apply(x);
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i];
        }
        return out;
    }

    private static float[] extended(Embedding e, boolean present, int d) {
        float[] x = new float[d + 1];
        if (present) {
            System.arraycopy(e.normalized().toArray(), 0, x, 0, d);
        }
        x[d] = 1;
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void isTheCircularConvolutionOfTheCountSketchesOfTheOneExtendedInputs() {
        Random random = new Random(21);
        int dim = 32;
        try (CompactBilinearFusion f = Fusions.bilinear().compact(dim).seed(9)
                .bind(TestData.dims(Modality.TEXT, 5, Modality.IMAGE, 7, TestData.AUDIO, 3))) {
            CountSketch ct = CountSketch.of(SeededInit.derive(9, "compact", "text"), 6, dim);
            CountSketch ci = CountSketch.of(SeededInit.derive(9, "compact", "image"), 8, dim);
            CountSketch ca = CountSketch.of(SeededInit.derive(9, "compact", "audio"), 4, dim);
            Embedding t = TestData.gaussian(random, 5);
            Embedding i = TestData.gaussian(random, 7);
            Embedding a = TestData.gaussian(random, 3);
            float[] all = f.fuse(TestData.record(Modality.TEXT, t, Modality.IMAGE, i, TestData.AUDIO, a)).toArray();
            double[] expected = convolve(convolve(sketch(ct, extended(t, true, 5)), sketch(ci, extended(i, true, 7))),
                    sketch(ca, extended(a, true, 3)));
            for (int j = 0; j < dim; j++) {
                assertThat((double) all[j]).isCloseTo(expected[j], within(1e-5));
            }
            // image absent: its sketch is the single bucket s(7) at h(7); the result is the rest, shifted and signed
            float[] noImage = f.fuse(TestData.record(Modality.TEXT, t, TestData.AUDIO, a)).toArray();
            double[] rest = convolve(sketch(ct, extended(t, true, 5)), sketch(ca, extended(a, true, 3)));
            int shift = ci.bucket(7);
            for (int j = 0; j < dim; j++) {
                assertThat((double) noImage[j]).isCloseTo(ci.sign(7) * rest[Math.floorMod(j - shift, dim)], within(1e-5));
            }
        }
    }

    /**
     * Tensor sketch (Pham and Pagh 2013): E[<C₁x ⊛ C₂y, C₁x' ⊛ C₂y'>] = <x,x'><y,y'>, variance at most
     * 3 Π||·||² / D (= 3/D for unit vectors). The mean over n independent seeds must be within 4 standard
     * errors, sqrt(3 / (D n)), and the spread of single estimates must shrink like 1/D.
     */
    @Test
    void innerProductsOfSketchesApproximateTheProductOfInnerProducts() {
        int d = 16;
        int seeds = 400;
        Random random = new Random(22);
        float[] x = TestData.unit(random, d).toArray();
        float[] x2 = TestData.unit(random, d).toArray();
        float[] y = TestData.unit(random, d).toArray();
        float[] y2 = TestData.unit(random, d).toArray();
        double target = dot(toDouble(x), toDouble(x2)) * dot(toDouble(y), toDouble(y2));
        for (int dim : new int[] {64, 256}) {
            double sum = 0;
            double sumSq = 0;
            for (int s = 0; s < seeds; s++) {
                CountSketch c1 = CountSketch.of(SeededInit.derive(s, "x"), d, dim);
                CountSketch c2 = CountSketch.of(SeededInit.derive(s, "y"), d, dim);
                double estimate = dot(convolve(sketch(c1, x), sketch(c2, y)), convolve(sketch(c1, x2), sketch(c2, y2)));
                sum += estimate;
                sumSq += (estimate - target) * (estimate - target);
            }
            double mean = sum / seeds;
            assertThat(mean).as("mean at D=%d", dim).isCloseTo(target, within(4 * Math.sqrt(3.0 / (dim * seeds))));
            assertThat(sumSq / seeds).as("mean squared error at D=%d", dim).isLessThan(3.0 / dim);
        }
    }

    /** Through the strategy (1-extended inputs): E[<z, z'>] = (<x̂,x̂'> + 1)(<ŷ,ŷ'> + 1), variance ≤ 3·4·4/D. */
    @Test
    void theStrategyApproximatesTheProductOfExtendedInnerProducts() {
        int d = 12;
        int dim = 1024;
        int seeds = 100;
        Random random = new Random(23);
        Embedding x = TestData.unit(random, d);
        Embedding x2 = TestData.unit(random, d);
        Embedding y = TestData.unit(random, d);
        Embedding y2 = TestData.unit(random, d);
        double target = (x.dot(x2) + 1) * (y.dot(y2) + 1);
        double sum = 0;
        for (int s = 0; s < seeds; s++) {
            try (CompactBilinearFusion f = Fusions.bilinear().compact(dim).seed(s)
                    .bind(TestData.dims(Modality.TEXT, d, Modality.IMAGE, d))) {
                List<Embedding> z = f.fuseAll(List.of(TestData.record(Modality.TEXT, x, Modality.IMAGE, y),
                        TestData.record(Modality.TEXT, x2, Modality.IMAGE, y2)));
                sum += z.get(0).dot(z.get(1));
            }
        }
        assertThat(sum / seeds).isCloseTo(target, within(4 * Math.sqrt(48.0 / (dim * seeds))));
    }

    private static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
