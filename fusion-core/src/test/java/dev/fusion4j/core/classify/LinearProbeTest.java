package dev.fusion4j.core.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

    /** Gaussian blobs: {@code perClass} examples of each of {@code classes} classes, labels "c0", "c1", ... */
    private record Blobs(List<Embedding> x, List<String> y) {
        static Blobs of(long seed, float[][] centres, int perClass, double noise) {
            Random random = new Random(seed);
            List<Embedding> x = new ArrayList<>();
            List<String> y = new ArrayList<>();
            for (int p = 0; p < perClass; p++) {
                for (int c = 0; c < centres.length; c++) {
                    float[] v = new float[centres[c].length];
                    for (int j = 0; j < v.length; j++) {
                        v[j] = (float) (centres[c][j] + noise * random.nextGaussian());
                    }
                    x.add(Embedding.of(v));
                    y.add("c" + c);
                }
            }
            return new Blobs(x, y);
        }
    }

    private static float[][] centres(long seed, int classes, int d, double spread) {
        Random random = new Random(seed);
        float[][] out = new float[classes][d];
        for (float[] c : out) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) (spread * random.nextGaussian());
            }
        }
        return out;
    }

    @Test
    void handCheckedTwoClassOptimum() {
        // x = -1 -> "A", x = +1 -> "B". By symmetry W_B = -W_A = w, bias 0, and the regularised loss
        // log(1 + e^{-2w}) + lambda w^2 is minimal where sigmoid(-2w) = lambda w.
        double lambda = 0.1;
        double lo = 0;
        double hi = 10;
        for (int i = 0; i < 200; i++) {
            double w = (lo + hi) / 2;
            if (1 / (1 + Math.exp(2 * w)) > lambda * w) {
                lo = w;
            } else {
                hi = w;
            }
        }
        double w = lo;
        LinearProbeModel model = LinearProbe.builder().weightDecay(lambda).learningRate(0.01).epochs(3000)
                .batchSize(Integer.MAX_VALUE).build()
                .fit(List.of(Embedding.of(-1), Embedding.of(1)), List.of("A", "B"));
        assertThat(model.classes()).containsExactly("A", "B");
        assertThat(model.probabilities(Embedding.of(1)).get("B")).isCloseTo(1 / (1 + Math.exp(-2 * w)),
                within(1e-3));
        assertThat(model.probabilities(Embedding.of(0)).get("B")).isCloseTo(0.5, within(1e-6));
        assertThat(model.trainingLoss()).isCloseTo(Math.log(1 + Math.exp(-2 * w)) + lambda * w * w, within(1e-5));
        assertThat(model.predict(Embedding.of(-0.2f))).isEqualTo("A");
        assertThat(model.predict(Embedding.of(7))).isEqualTo("B");
    }

    @Test
    void separableSyntheticDataIsLearnedAndDeterministic() {
        float[][] centres = centres(1, 12, 48, 1.0);
        Blobs train = Blobs.of(2, centres, 30, 0.6);
        Blobs test = Blobs.of(3, centres, 20, 0.6);
        LinearProbe probe = LinearProbe.builder().epochs(40).seed(5).build();
        LinearProbeModel model = probe.fit(train.x(), train.y());
        assertThat(Metrics.accuracy(test.y(), model.predictAll(test.x()))).isGreaterThanOrEqualTo(0.95);
        Map<String, Double> p = model.probabilities(test.x().get(0));
        assertThat(p.keySet()).containsExactlyElementsOf(model.classes());
        assertThat(p.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
        LinearProbeModel again = probe.fit(train.x(), train.y());
        assertThat(again.probabilities(test.x().get(0))).isEqualTo(p);
        assertThat(again.trainingLoss()).isEqualTo(model.trainingLoss());
    }

    @Test
    void standardisationHandlesBadlyScaledAndConstantFeatures() {
        List<Embedding> x = new ArrayList<>();
        List<String> y = new ArrayList<>();
        Random random = new Random(4);
        for (int i = 0; i < 200; i++) {
            boolean positive = i % 2 == 0;
            // feature 0 decides the class but is tiny; feature 1 is huge noise; feature 2 is constant
            x.add(Embedding.of((float) ((positive ? 1e-3 : -1e-3) + 2e-4 * random.nextGaussian()),
                    (float) (1e4 * random.nextGaussian()), 5f));
            y.add(positive ? "pos" : "neg");
        }
        LinearProbeModel model = LinearProbe.train(x, y);
        assertThat(Metrics.accuracy(y, model.predictAll(x))).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void seventyClassesOf1664DimensionsTrainInSeconds() {
        float[][] centres = centres(6, 70, 1664, 0.2);
        Blobs train = Blobs.of(7, centres, 21, 1.0); // 1,470 examples
        Blobs test = Blobs.of(8, centres, 5, 1.0);
        long start = System.nanoTime();
        LinearProbeModel model = LinearProbe.builder().build().fit(train.x(), train.y());
        long ms = (System.nanoTime() - start) / 1_000_000;
        double accuracy = Metrics.accuracy(test.y(), model.predictAll(test.x()));
        start = System.nanoTime();
        double knn = Metrics.accuracy(test.y(), KnnClassifier.fit(train.x(), train.y()).predictAll(test.x()));
        long knnMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("linear probe 1470 x 1664 x 70 classes, defaults: %d ms, test accuracy %.3f;"
                + " kNN@1 %d ms, accuracy %.3f%n", ms, accuracy, knnMs, knn);
        assertThat(accuracy).isGreaterThan(0.95).isGreaterThan(knn);
        assertThat(ms).isLessThan(60_000);
        LinearProbeModel oneThread = LinearProbe.builder().threads(1).build().fit(train.x(), train.y());
        assertThat(oneThread.probabilities(test.x().get(3))).isEqualTo(model.probabilities(test.x().get(3)));
        assertThat(oneThread.trainingLoss()).isEqualTo(model.trainingLoss());
    }

    @Test
    void badInputsAreClearErrors() {
        List<Embedding> two = List.of(Embedding.of(1, 0), Embedding.of(0, 1));
        assertThatThrownBy(() -> LinearProbe.train(two, List.of("a", "a")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("single class");
        assertThatThrownBy(() -> LinearProbe.train(two, List.of("a"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("has 1 entries");
        assertThatThrownBy(() -> LinearProbe.builder().learningRate(0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("learningRate");
        assertThatThrownBy(() -> LinearProbe.builder().weightDecay(-1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> LinearProbe.builder().epochs(0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("epochs");
        LinearProbeModel model = LinearProbe.train(two, List.of("a", "b"));
        assertThatThrownBy(() -> model.predict(Embedding.of(1, 2, 3))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimension 3");
        assertThatThrownBy(() -> model.probabilities(null)).isInstanceOf(InvalidInputException.class);
    }
}
