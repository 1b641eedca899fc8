package dev.fusion4j.core.sum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Parameter;
import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.TestData;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightedSumFusionTest {
    private static final Modality AUDIO = TestData.AUDIO;

    @Test
    void fixedWeightsRenormaliseOverThePresentModalities() {
        // equal dimensions and no dimension set: identity projections
        try (WeightedSumFusion f = Fusions.weightedSum().weight(Modality.TEXT, 1).weight(Modality.IMAGE, 3)
                .bind(TestData.dims(Modality.TEXT, 2, Modality.IMAGE, 2, AUDIO, 2))) {
            assertThat(f.outputDimension()).isEqualTo(2);
            Embedding x = Embedding.of(3, 4); // normalised: (0.6, 0.8)
            Embedding y = Embedding.of(0, 2); // normalised: (0, 1)
            Embedding a = Embedding.of(-1, 0);
            // all present: weights 1, 3, 1 over 5
            assertThat(f.fuse(TestData.record(Modality.TEXT, x, Modality.IMAGE, y, AUDIO, a)).toArray())
                    .containsExactly(new float[] {(0.6f - 1f) / 5f, (0.8f + 3f) / 5f}, within(1e-6f));
            // audio absent: weights 1 and 3 renormalise over 4
            assertThat(f.fuse(TestData.record(Modality.TEXT, x, Modality.IMAGE, y)).toArray())
                    .containsExactly(new float[] {0.6f / 4f, (0.8f + 3f) / 4f}, within(1e-6f));
            // only the image: exactly the image
            assertThat(f.fuse(TestData.record(Modality.IMAGE, y)).toArray()).containsExactly(0f, 1f);
        }
    }

    @Test
    void learnedWeightsStartAsTheMeanOfThePresent() {
        try (WeightedSumFusion f = Fusions.weightedSum().mode(WeightMode.LEARNED)
                .bind(TestData.dims(Modality.TEXT, 2, Modality.IMAGE, 2))) {
            assertThat(f.fuse(TestData.record(Modality.TEXT, Embedding.of(1, 0), Modality.IMAGE, Embedding.of(0, 1)))
                    .toArray()).containsExactly(new float[] {0.5f, 0.5f}, within(1e-6f));
            assertThat(f.fuse(TestData.record(Modality.IMAGE, Embedding.of(0, 1))).toArray())
                    .containsExactly(new float[] {0f, 1f}, within(1e-6f));
        }
    }

    @Test
    void gatedWeightsAreASoftmaxOverPresentOfTheGateScores() {
        try (WeightedSumFusion f = Fusions.weightedSum().mode(WeightMode.GATED)
                .bind(TestData.dims(Modality.TEXT, 3, Modality.IMAGE, 3, AUDIO, 3))) {
            float[] g = parameter(f, "gate");
            float[] x = Embedding.of(1, 2, 2).normalized().toArray();
            float[] y = Embedding.of(-2, 1, 0).normalized().toArray();
            double sx = 0;
            double sy = 0;
            for (int i = 0; i < 3; i++) {
                sx += g[i] * Math.tanh(x[i]);
                sy += g[i] * Math.tanh(y[i]);
            }
            double wx = Math.exp(sx) / (Math.exp(sx) + Math.exp(sy));
            float[] z = f.fuse(TestData.record(Modality.TEXT, Embedding.of(1, 2, 2), Modality.IMAGE,
                    Embedding.of(-2, 1, 0))).toArray();
            for (int i = 0; i < 3; i++) {
                assertThat((double) z[i]).isCloseTo(wx * x[i] + (1 - wx) * y[i], within(1e-6));
            }
            assertThat(wx).as("the gate is not uniform").isNotCloseTo(0.5, within(0.01));
        }
    }

    @Test
    void projectionsKeepNormsAndAreSharedByModalityName() {
        Random random = new Random(7);
        ModalityEmbeddings record = TestData.record(Modality.TEXT, TestData.gaussian(random, 40),
                AUDIO, TestData.gaussian(random, 64));
        try (WeightedSumFusion three = Fusions.weightedSum().dimension(32)
                .bind(TestData.dims(Modality.TEXT, 40, Modality.IMAGE, 50, AUDIO, 64));
             WeightedSumFusion two = Fusions.weightedSum().dimension(32)
                .bind(TestData.dims(Modality.TEXT, 40, AUDIO, 64))) {
            assertThat(three.outputDimension()).isEqualTo(32);
            // the image absent from a three-modality strategy = a strategy without the image
            assertThat(TestData.maxDiff(three.fuse(record).toArray(), two.fuse(record).toArray())).isLessThan(1e-6);
            // a single unit input is projected with its norm kept in expectation (JL scale sqrt(in/out))
            double sum = 0;
            for (int i = 0; i < 200; i++) {
                sum += three.fuse(TestData.record(Modality.IMAGE, TestData.unit(random, 50))).norm();
            }
            assertThat(sum / 200).isCloseTo(1.0, within(0.05));
        }
    }

    @Test
    void unequalDimensionsProjectToTheSmallest() {
        try (WeightedSumFusion f = Fusions.weightedSum().bind(TestData.dims(Modality.TEXT, 6, Modality.IMAGE, 10))) {
            assertThat(f.outputDimension()).isEqualTo(6);
        }
    }

    private static float[] parameter(WeightedSumFusion f, String name) {
        for (var p : f.block().getParameters()) {
            if (p.getKey().equals(name)) {
                Parameter parameter = p.getValue();
                return parameter.getArray().toFloatArray();
            }
        }
        throw new AssertionError("no parameter " + name);
    }
}
