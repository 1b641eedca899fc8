package dev.fusion4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.core.search.ExactIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The label-free trainer on synthetic pairs: two noisy non-linear views of one hidden 8-d code per record. */
class PairTrainerTest {
    private static final Modality TEXT = Modality.TEXT;
    private static final Modality IMAGE = Modality.IMAGE;
    private static List<ModalityEmbeddings> train;
    private static List<ModalityEmbeddings> test;
    private static PairModel both;

    @BeforeAll
    static void data() {
        Synthetic.init();
        train = pairs(400, 11);
        test = pairs(200, 12);
        both = quick().seed(7).build().fit(train);
    }

    @AfterAll
    static void close() {
        both.close();
    }

    /** Each record: a hidden code z ~ N(0, I_8); text = tanh(A z) + noise (24-d), image = tanh(B z) + noise (40-d). */
    static List<ModalityEmbeddings> pairs(int n, long seed) {
        Random maps = new Random(5);
        float[][] a = gaussian(maps, 24, 8);
        float[][] b = gaussian(maps, 40, 8);
        Random random = new Random(seed);
        List<ModalityEmbeddings> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] z = new double[8];
            for (int j = 0; j < 8; j++) {
                z[j] = random.nextGaussian();
            }
            out.add(ModalityEmbeddings.builder().put(TEXT, view(a, z, random)).put(IMAGE, view(b, z, random)).build());
        }
        return out;
    }

    private static float[][] gaussian(Random random, int rows, int cols) {
        float[][] w = new float[rows][cols];
        for (float[] row : w) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) (random.nextGaussian() / Math.sqrt(cols));
            }
        }
        return w;
    }

    private static Embedding view(float[][] w, double[] z, Random random) {
        float[] v = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            double s = 0;
            for (int j = 0; j < z.length; j++) {
                s += w[i][j] * z[j];
            }
            v[i] = (float) (Math.tanh(s) + 0.1 * random.nextGaussian());
        }
        return Embedding.of(v);
    }

    private static PairTrainer.Builder quick() {
        return PairTrainer.builder().dimension(32).hiddenLayers(64).epochs(25).batchSize(64)
                .listener(PairListener.none());
    }

    private static List<ModalityEmbeddings> only(List<ModalityEmbeddings> records, Modality keep) {
        return records.stream().map(r -> ModalityEmbeddings.builder().put(keep, r.get(keep).orElseThrow()).build())
                .toList();
    }

    /** Share of queries whose own partner is among the k best of {@code gallery} (cosine, ExactIndex). */
    private static double recallAt(int k, List<Embedding> queries, List<Embedding> gallery) {
        ExactIndex<Integer> index = ExactIndex.create(gallery.get(0).dimension());
        for (int i = 0; i < gallery.size(); i++) {
            index.add(i, gallery.get(i));
        }
        int hits = 0;
        for (int i = 0; i < queries.size(); i++) {
            final int self = i;
            hits += index.search(queries.get(i), k).stream().anyMatch(h -> h.id() == self) ? 1 : 0;
        }
        return (double) hits / queries.size();
    }

    private static float[][] bits(List<Embedding> embeddings) {
        return embeddings.stream().map(Embedding::toArray).toArray(float[][]::new);
    }

    @Test
    void contrastiveAlignmentFindsTheHeldOutPartnerAcrossModalities() {
        List<Embedding> texts = both.embedAll(only(test, TEXT));
        List<Embedding> images = both.embedAll(only(test, IMAGE));
        double chance = 10.0 / test.size();
        double textToImage = recallAt(10, texts, images);
        double imageToText = recallAt(10, images, texts);
        assertThat(textToImage).isGreaterThan(0.6).isGreaterThan(10 * chance);
        assertThat(imageToText).isGreaterThan(0.6);
        // an untrained model (no epoch of training would be the same towers at random): a fresh seed, 1 epoch
        // of reconstruction only does not align the two spaces
        try (PairModel unaligned = quick().objective(PairObjective.RECONSTRUCTION).epochs(1).seed(3).build()
                .fit(train)) {
            double r = recallAt(10, unaligned.embedAll(only(test, TEXT)), unaligned.embedAll(only(test, IMAGE)));
            assertThat(r).isLessThan(textToImage / 2);
        }
    }

    @Test
    void sameSeedSameBitsOtherSeedOtherModel() {
        try (PairModel again = quick().seed(7).build().fit(train);
             PairModel other = quick().seed(8).build().fit(train)) {
            assertThat(bits(again.embedAll(test))).isDeepEqualTo(bits(both.embedAll(test)));
            assertThat(again.trainingSummary().trainLoss()).isEqualTo(both.trainingSummary().trainLoss());
            assertThat(other.trainingSummary().trainLoss()).isNotEqualTo(both.trainingSummary().trainLoss());
            assertThat(bits(other.embedAll(test.subList(0, 3)))[0]).isNotEqualTo(bits(both.embedAll(test.subList(0, 3)))[0]);
        }
    }

    @Test
    void saveAndLoadGiveTheSameBits(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("pairs.f4j");
        both.save(file);
        try (PairModel loaded = PairModel.load(file)) {
            assertThat(bits(loaded.embedAll(test))).isDeepEqualTo(bits(both.embedAll(test)));
            assertThat(loaded.objective()).isEqualTo(PairObjective.BOTH);
            assertThat(loaded.logitScale()).isEqualTo(both.logitScale());
            assertThat(loaded.trainingSummary()).isEqualTo(both.trainingSummary());
            assertThat(loaded.inputDimensions()).isEqualTo(Map.of(TEXT, 24, IMAGE, 40));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).containsExactly(file); // no temporary file left
        }
        assertThatThrownBy(() -> FusionModel.load(file)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("PairModel.load");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Path damaged = dir.resolve("damaged.f4j");
        Files.write(damaged, bytes);
        assertThatThrownBy(() -> PairModel.load(damaged)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> PairModel.load(dir.resolve("missing.f4j"))).isInstanceOf(ModelLoadException.class);
    }

    @Test
    void anAbsentModalityContributesNothingAndAnEmptyRecordIsRefused() {
        ModalityEmbeddings r = test.get(0);
        Embedding t = r.get(TEXT).orElseThrow();
        Embedding i = r.get(IMAGE).orElseThrow();
        Embedding textOnly = both.embed(ModalityEmbeddings.builder().put(TEXT, t).build());
        assertThat(textOnly.toArray()).isEqualTo(both.project(TEXT, t).toArray());
        assertThat(textOnly.dimension()).isEqualTo(32);
        // the joint embedding is the direction of u_text + u_image
        float[] u = textOnly.toArray();
        float[] v = both.project(IMAGE, i).toArray();
        float[] sum = new float[u.length];
        for (int k = 0; k < u.length; k++) {
            sum[k] = u[k] + v[k];
        }
        assertThat(both.embed(r).cosine(Embedding.of(sum))).isGreaterThan(0.99999f);
        assertThatThrownBy(() -> both.embed(ModalityEmbeddings.builder().build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no modality present");
        assertThatThrownBy(() -> both.project(Modality.named("audio"), t)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> both.embed(ModalityEmbeddings.builder().put(TEXT, i).build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dimension");
    }

    @Test
    void reconstructionLossDecreasesAndMaskedCodesStillReconstruct() {
        List<PairEpochMetrics> epochs = new ArrayList<>();
        try (PairModel model = quick().objective(PairObjective.RECONSTRUCTION).epochs(15).seed(4)
                .listener(epochs::add).build().fit(train)) {
            assertThat(epochs).hasSize(15);
            assertThat(epochs.get(14).reconstructionLoss()).isLessThan(0.7 * epochs.get(0).reconstructionLoss());
            assertThat(epochs.get(14).contrastiveLoss()).isZero();
            assertThat(model.logitScale()).isCloseTo(1 / 0.07, org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    @Test
    void inferenceIsTheSameOnEveryThreadAndInEveryBatch() throws Exception {
        List<ModalityEmbeddings> mixed = new ArrayList<>(test.subList(0, 40));
        mixed.addAll(only(test.subList(40, 60), TEXT));
        mixed.addAll(only(test.subList(60, 80), IMAGE));
        float[][] reference = bits(both.embedAll(mixed));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final int chunk = t + 1;
                futures.add(pool.submit(() -> {
                    List<Embedding> out = new ArrayList<>();
                    for (int s = 0; s < mixed.size(); s += chunk) {
                        out.addAll(both.embedAll(mixed.subList(s, Math.min(mixed.size(), s + chunk))));
                    }
                    return bits(out);
                }));
            }
            for (Future<float[][]> f : futures) {
                assertThat(f.get()).isDeepEqualTo(reference);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void badInputIsRefusedWithAMessageThatSaysWhatToDo() {
        PairTrainer trainer = quick().build();
        assertThatThrownBy(() -> trainer.fit(List.of())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> trainer.fit(only(train, TEXT))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("pairs");
        List<ModalityEmbeddings> unpaired = new ArrayList<>(only(train.subList(0, 10), TEXT));
        unpaired.addAll(only(train.subList(10, 20), IMAGE));
        assertThatThrownBy(() -> trainer.fit(unpaired)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("No record has two modalities");
        List<ModalityEmbeddings> withEmpty = new ArrayList<>(train.subList(0, 10));
        withEmpty.add(ModalityEmbeddings.builder().build());
        assertThatThrownBy(() -> trainer.fit(withEmpty)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Record 10");
        assertThatThrownBy(() -> PairTrainer.builder().temperature(0.001)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PairTrainer.builder().batchSize(1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> PairTrainer.builder().modalityMasking(1)).isInstanceOf(InvalidInputException.class);
    }
}
