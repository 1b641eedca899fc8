package dev.fusion4j.core.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.EmbeddingSequence;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.TestData;
import dev.fusion4j.core.train.FusionModel;
import dev.fusion4j.core.train.FusionTrainer;
import dev.fusion4j.core.train.Prediction;
import dev.fusion4j.core.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrossAttentionFusionTest {
    private static final Modality TEXT = Modality.TEXT;
    private static final Modality IMAGE = Modality.IMAGE;
    private static final Map<Modality, Integer> DIMS = TestData.dims(TEXT, 12, IMAGE, 20);
    private static final CrossAttentionSpec SPEC = Fusions.crossAttention().dimension(16).heads(4).layers(2)
            .feedForward(24).maxSequenceLength(8).seed(3);

    static EmbeddingSequence sequence(Random random, int length, int width) {
        float[] v = new float[length * width];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return EmbeddingSequence.of(width, v);
    }

    /** A record with the given sequence lengths (0: absent; -1: present without a sequence). */
    static ModalityEmbeddings record(Random random, int textLength, int imageLength) {
        ModalityEmbeddings.Builder b = ModalityEmbeddings.builder();
        put(b, random, TEXT, 12, textLength);
        put(b, random, IMAGE, 20, imageLength);
        return b.build();
    }

    private static void put(ModalityEmbeddings.Builder b, Random random, Modality m, int width, int length) {
        if (length == -1) {
            b.put(m, TestData.gaussian(random, width));
        } else if (length > 0) {
            EmbeddingSequence s = sequence(random, length, width);
            b.put(m, s.mean(), s);
        }
    }

    static List<ModalityEmbeddings> mixed(long seed) {
        Random random = new Random(seed);
        List<ModalityEmbeddings> records = new ArrayList<>();
        int[][] shapes = {{3, 4}, {7, 4}, {1, 1}, {5, 0}, {0, 4}, {-1, 4}, {6, -1}, {2, 8}, {8, 2}, {0, -1}};
        for (int[] s : shapes) {
            records.add(record(random, s[0], s[1]));
        }
        return records;
    }

    @Test
    void javaPathAgreesWithTheBlockOnEveryPresencePatternAndLength() {
        try (CrossAttentionFusion f = SPEC.bind(DIMS)) {
            List<ModalityEmbeddings> records = mixed(1);
            List<Embedding> java = f.fuseAllInJava(records);
            List<Embedding> block = f.fuseAllOnBlock(records);
            for (int i = 0; i < records.size(); i++) {
                assertThat(TestData.maxDiff(java.get(i).toArray(), block.get(i).toArray()))
                        .as("record %d", i).isLessThan(1e-5);
            }
        }
    }

    @Test
    void aRecordGivesTheSameBitsAloneAndInAnyBatchPaddedToAnyLength() {
        try (CrossAttentionFusion f = SPEC.bind(DIMS)) {
            List<ModalityEmbeddings> records = mixed(2);
            List<Embedding> batch = f.fuseAll(records);
            List<Embedding> reversed = f.fuseAll(reverse(records));
            for (int i = 0; i < records.size(); i++) {
                assertThat(f.fuse(records.get(i))).isEqualTo(batch.get(i));
                assertThat(reversed.get(records.size() - 1 - i)).isEqualTo(batch.get(i));
            }
        }
    }

    private static <T> List<T> reverse(List<T> list) {
        List<T> r = new ArrayList<>(list);
        java.util.Collections.reverse(r);
        return r;
    }

    @Test
    void anAbsentModalityIsAFullyMaskedSequence() {
        Random random = new Random(4);
        ModalityEmbeddings textOnly = record(random, 5, 0);
        ModalityEmbeddings imageOnly = record(random, 0, 4);
        try (CrossAttentionFusion both = SPEC.bind(DIMS);
             CrossAttentionFusion text = SPEC.bind(TestData.dims(TEXT, 12));
             CrossAttentionFusion image = SPEC.bind(TestData.dims(IMAGE, 20))) {
            // same per-modality and shared parameters (seeded by name and role): masking equals leaving the modality out
            assertThat(TestData.maxDiff(both.fuse(textOnly).toArray(), text.fuse(textOnly).toArray())).isLessThan(1e-6);
            assertThat(TestData.maxDiff(both.fuse(imageOnly).toArray(), image.fuse(imageOnly).toArray()))
                    .isLessThan(1e-6);
            AttendedSequences a = both.fuseWithAttention(textOnly);
            assertThat(a.weights(IMAGE)).isEmpty();
            assertThat(a.share(TEXT)).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void theTokensMatterNotOnlyTheirMean() {
        Random random = new Random(5);
        EmbeddingSequence s = sequence(random, 4, 12);
        float[] v = s.toArray();
        float[] swapped = v.clone(); // same tokens, other order: same mean, other positions
        System.arraycopy(v, 0, swapped, 12, 12);
        System.arraycopy(v, 12, swapped, 0, 12);
        EmbeddingSequence t = EmbeddingSequence.of(12, swapped);
        Embedding image = TestData.gaussian(random, 20);
        try (CrossAttentionFusion f = SPEC.bind(DIMS)) {
            Embedding a = f.fuse(ModalityEmbeddings.builder().put(TEXT, s.mean(), s).put(IMAGE, image).build());
            Embedding b = f.fuse(ModalityEmbeddings.builder().put(TEXT, t.mean(), t).put(IMAGE, image).build());
            Embedding pooled = f.fuse(ModalityEmbeddings.builder().put(TEXT, s.mean()).put(IMAGE, image).build());
            assertThat(TestData.maxDiff(a.toArray(), b.toArray())).isGreaterThan(1e-4);
            assertThat(TestData.maxDiff(a.toArray(), pooled.toArray())).isGreaterThan(1e-4);
        }
    }

    @Test
    void attentionWeightsAreDistributionsAndTheEmbeddingIsFusesBits() {
        Random random = new Random(6);
        ModalityEmbeddings r = record(random, 5, 4);
        try (CrossAttentionFusion f = SPEC.bind(DIMS)) {
            AttendedSequences a = f.fuseWithAttention(r);
            assertThat(a.embedding()).isEqualTo(f.fuse(r));
            assertThat(a.length(TEXT)).isEqualTo(5);
            assertThat(a.length(IMAGE)).isEqualTo(4);
            assertThat(a.share(TEXT) + a.share(IMAGE)).isCloseTo(1.0, within(1e-5));
            for (int layer = 0; layer < a.layers(); layer++) {
                for (int word = 0; word < 5; word++) {
                    double[] toRegions = a.attention(layer, TEXT, word, IMAGE);
                    double[] toWords = a.attention(layer, TEXT, word, TEXT);
                    double sum = Arrays.stream(toRegions).sum() + Arrays.stream(toWords).sum();
                    assertThat(sum).isBetween(0.0, 1.0 + 1e-5);
                    assertThat(Arrays.stream(toRegions).min().orElseThrow()).isGreaterThan(0.0);
                }
            }
            assertThatThrownBy(() -> a.attention(0, TEXT, 5, IMAGE)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("has 5");
        }
    }

    @Test
    void theDefaultsHoldTheParametersDocsFusionStrategiesStates() {
        try (CrossAttentionFusion f = Fusions.crossAttention().bind(TestData.dims(TEXT, 384, IMAGE, 1280))) {
            long parameters = f.block().getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            assertThat(parameters).isEqualTo(285_024);
            assertThat(f.outputDimension()).isEqualTo(96);
        }
    }

    @Test
    void badSequencesAreTypedErrorsThatSayWhatToDo() {
        Random random = new Random(7);
        try (CrossAttentionFusion f = SPEC.bind(DIMS)) {
            assertThatThrownBy(() -> f.fuse(record(random, 9, 2))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("9 positions").hasMessageContaining("maxSequenceLength");
            EmbeddingSequence wide = sequence(random, 2, 13);
            assertThatThrownBy(() -> f.fuse(ModalityEmbeddings.builder().put(TEXT, wide.mean(), wide).build()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("dimension 13")
                    .hasMessageContaining("expects 12");
            assertThatThrownBy(() -> f.fuse(ModalityEmbeddings.empty())).isInstanceOf(InvalidInputException.class);
        }
        assertThatThrownBy(() -> Fusions.crossAttention().dimension(10).heads(4).bind(DIMS))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("divisible");
    }

    @Test
    void identicalBitsOnEightThreadsAndNoNativeArrayOutlivesACall() throws Exception {
        List<ModalityEmbeddings> records = mixed(8);
        try (CrossAttentionFusion f = SPEC.bind(DIMS)) {
            List<Embedding> expected = f.fuseAll(records);
            int arrays = f.liveNativeArrays();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<List<Embedding>>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int shift = t;
                    futures.add(pool.submit(() -> {
                        List<Embedding> out = new ArrayList<>();
                        for (int i = 0; i < records.size(); i++) {
                            out.add(f.fuse(records.get((i + shift) % records.size())));
                        }
                        List<Embedding> aligned = new ArrayList<>(out);
                        for (int i = 0; i < records.size(); i++) {
                            aligned.set((i + shift) % records.size(), out.get(i));
                        }
                        return aligned;
                    }));
                }
                for (Future<List<Embedding>> future : futures) {
                    assertThat(future.get()).isEqualTo(expected);
                }
            } finally {
                pool.shutdownNow();
            }
            f.fuseAllOnBlock(records);
            assertThat(f.liveNativeArrays()).isEqualTo(arrays);
        }
    }

    /**
     * A task only token order answers: the label is which of two marker tokens comes first in the text; the marker
     * set, and so the mean of the tokens, is the same for both classes. Trains, predicts far above chance, saves and
     * loads to the same predictions, and keeps answering with the image absent.
     */
    @Test
    void trainsOnATaskThePooledMeanCannotSolveAndSurvivesSaveAndLoad(@TempDir Path dir) {
        Random random = new Random(9);
        float[] a = TestData.unit(random, 12).toArray();
        float[] b = TestData.unit(random, 12).toArray();
        List<TrainingExample> train = new ArrayList<>();
        List<ModalityEmbeddings> test = new ArrayList<>();
        List<String> testLabels = new ArrayList<>();
        for (int i = 0; i < 360; i++) {
            boolean aFirst = random.nextBoolean();
            float[] v = new float[3 * 12];
            System.arraycopy(aFirst ? a : b, 0, v, 0, 12);
            System.arraycopy(aFirst ? b : a, 0, v, 12, 12);
            float[] noise = TestData.gaussian(random, 12).toArray();
            for (int j = 0; j < 12; j++) {
                v[24 + j] = 0.3f * noise[j];
            }
            EmbeddingSequence s = EmbeddingSequence.of(12, v);
            EmbeddingSequence image = sequence(random, 2, 20);
            ModalityEmbeddings r = ModalityEmbeddings.builder().put(TEXT, s.mean(), s)
                    .put(IMAGE, image.mean(), image).build();
            String label = aFirst ? "a-first" : "b-first";
            if (i < 300) {
                train.add(TrainingExample.of(r, label));
            } else {
                test.add(r);
                testLabels.add(label);
            }
        }
        FusionTrainer trainer = FusionTrainer.builder().strategy(SPEC).hiddenLayers(16).epochs(40).seed(2)
                .listener(TrainingListener.none()).build();
        try (FusionModel model = trainer.fit(train)) {
            double accuracy = accuracy(model.predictAll(test), testLabels);
            assertThat(accuracy).isGreaterThan(0.9);
            Path file = dir.resolve("cross.f4j");
            model.save(file);
            try (FusionModel again = FusionModel.load(file)) {
                for (ModalityEmbeddings r : test) {
                    assertThat(again.embed(r)).isEqualTo(model.embed(r));
                }
            }
            List<ModalityEmbeddings> textOnly = test.stream()
                    .map(r -> ModalityEmbeddings.builder().put(TEXT, r.get(TEXT).orElseThrow(),
                            r.sequence(TEXT).orElseThrow()).build()).toList();
            assertThat(model.predictAll(textOnly)).hasSize(test.size());
        }
    }

    private static double accuracy(List<Prediction> predictions, List<String> labels) {
        int hits = 0;
        for (int i = 0; i < labels.size(); i++) {
            hits += predictions.get(i).label().equals(labels.get(i)) ? 1 : 0;
        }
        return hits / (double) labels.size();
    }
}
