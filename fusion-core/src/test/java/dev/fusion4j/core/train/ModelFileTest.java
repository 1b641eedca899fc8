package dev.fusion4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.IncompatibleModelException;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.ModalityEmbeddings;
import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.api.TrainingExample;
import dev.fusion4j.core.FusionSpec;
import dev.fusion4j.core.Fusions;
import dev.fusion4j.core.sum.WeightMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ModelFileTest {
    private static List<TrainingExample> train;
    private static List<ModalityEmbeddings> probe;
    private static FusionModel concat;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainOnce() {
        Synthetic.init();
        train = Synthetic.views(20, 4, 0.3, 0.3, 11);
        List<ModalityEmbeddings> records = new ArrayList<>(Synthetic.records(Synthetic.views(3, 4, 0.3, 0.3, 12)));
        records.addAll(Synthetic.only(train.subList(0, 4), Modality.TEXT));
        records.addAll(Synthetic.only(train.subList(4, 8), Modality.IMAGE));
        probe = records;
        concat = fit(Fusions.concat());
    }

    @AfterAll
    static void close() {
        concat.close();
    }

    static FusionModel fit(FusionSpec spec) {
        return FusionTrainer.builder().strategy(spec).hiddenLayers(24, 16).epochs(15).learningRate(3e-3).modalityDropout(0.2)
                .encoderIds(Map.of(Modality.TEXT, "fake-text:32", Modality.IMAGE, "fake-image:48"))
                .listener(TrainingListener.none()).seed(5).build().fit(train);
    }

    static Stream<FusionSpec> strategies() {
        return Stream.of(Fusions.concat().presenceBits(true), Fusions.weightedSum().mode(WeightMode.GATED).dimension(16),
                Fusions.weightedSum().mode(WeightMode.LEARNED), Fusions.attention().dimension(16).heads(2),
                Fusions.bilinear().full(), Fusions.bilinear().compact(128), Fusions.bilinear().lowRank(32).factor(2));
    }

    @ParameterizedTest
    @MethodSource("strategies")
    void everyStrategyTrainsAndRoundTripsBitForBit(FusionSpec spec) {
        Path file = dir.resolve("model.f4j");
        try (FusionModel model = fit(spec)) {
            model.save(file);
            try (FusionModel again = FusionModel.load(file)) {
                assertThat(again.strategyDescription()).isEqualTo(model.strategyDescription());
                assertThat(again.labels()).isEqualTo(model.labels());
                assertThat(again.trainingSummary()).isEqualTo(model.trainingSummary());
                assertThat(again.encoderIds()).isEqualTo(model.encoderIds());
                List<Embedding> a = model.embedAll(probe);
                List<Embedding> b = again.embedAll(probe);
                for (int i = 0; i < a.size(); i++) {
                    assertThat(b.get(i).toArray()).containsExactly(a.get(i).toArray());
                }
                assertThat(again.predictAll(probe)).isEqualTo(model.predictAll(probe));
                assertThat(again.embed(probe.get(0)).toArray()).containsExactly(model.embed(probe.get(0)).toArray());
            }
            assertThat(Synthetic.modelAccuracy(model, Synthetic.records(train), Synthetic.labels(train))).isGreaterThan(0.5);
        }
    }

    @Test
    void saveReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("m.f4j");
        Files.writeString(file, "old");
        concat.save(file);
        concat.save(file);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("m.f4j");
        }
        byte[] bytes = Files.readAllBytes(file);
        assertThat(Arrays.copyOf(bytes, 8)).isEqualTo(ModelFile.MAGIC);
    }

    @Test
    void truncatedFileIsAModelLoadException() throws IOException {
        byte[] bytes = saved();
        for (int length : new int[] {0, 7, 20, bytes.length / 2, bytes.length - 1}) {
            Path cut = dir.resolve("cut" + length);
            Files.write(cut, Arrays.copyOf(bytes, length));
            assertThatThrownBy(() -> FusionModel.load(cut)).isInstanceOf(ModelLoadException.class);
        }
        assertThatThrownBy(() -> FusionModel.load(dir.resolve("missing"))).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("No model file");
    }

    @Test
    void flippedBitFailsTheChecksum() throws IOException {
        byte[] bytes = saved();
        bytes[bytes.length - 100] ^= 0x10;
        Path file = dir.resolve("flipped");
        Files.write(file, bytes);
        assertThatThrownBy(() -> FusionModel.load(file)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("SHA-256");
    }

    @ParameterizedTest
    @CsvSource({"3, upgrade fusion4j", "1, train the model again"})
    void otherFormatVersionsAreRefusedWithWhatToDo(int version, String advice) throws IOException {
        Path file = dir.resolve("v" + version);
        Files.write(file, rewriteHeader(saved(), "\"formatVersion\":2", "\"formatVersion\":" + version));
        assertThatThrownBy(() -> FusionModel.load(file)).isInstanceOf(IncompatibleModelException.class)
                .hasMessageContaining("version " + version).hasMessageContaining(advice);
    }

    @Test
    void unimodalHeadsAreSavedAndTheHeaderMustAnnounceThem() throws IOException {
        byte[] bytes = saved();
        Map<String, float[]> values = ModelFile.decode(bytes, "saved").values();
        assertThat(values.get("unimodal.text.weight")).hasSize(4 * 32);
        assertThat(values.get("unimodal.image.bias")).hasSize(4);
        Path without = dir.resolve("noheads.f4j");
        Files.write(without, rewriteHeader(bytes, "\"unimodalHeads\":true", "\"unimodalHeads\":false"));
        assertThatThrownBy(() -> FusionModel.load(without)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("unimodal.text.weight");
    }

    @Test
    void auxiliaryPathsAreTrainingOnlyAndTheirWeightIsRecorded() throws IOException {
        // concat was fitted with the default auxiliary loss weight 0.5: its aux paths existed during training
        byte[] bytes = saved();
        ModelFile.Contents contents = ModelFile.decode(bytes, "saved");
        assertThat(contents.values().keySet()).isNotEmpty().noneMatch(n -> n.startsWith(FusionNetwork.AUX));
        assertThat(contents.header().training()).containsEntry("auxiliaryLossWeight", "0.5");
        Path file = dir.resolve("saved.f4j");
        try (FusionModel again = FusionModel.load(file)) {
            for (int i = 0; i < probe.size(); i++) {
                assertThat(again.embed(probe.get(i)).toArray()).containsExactly(concat.embed(probe.get(i)).toArray());
            }
            assertThat(again.predictAll(probe)).isEqualTo(concat.predictAll(probe));
        }
    }

    @Test
    void inputSkipIsRecordedInTheHeaderAndOlderHeadersLoadWithoutIt() throws IOException {
        byte[] bytes = saved();
        assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("\"inputSkip\":true");
        Path without = dir.resolve("noskip.f4j");
        Files.write(without, rewriteHeader(bytes, "\"inputSkip\":true", "\"inputSkip\":false"));
        assertThatThrownBy(() -> FusionModel.load(without)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("hidden0.weight");
        try (FusionModel plain = FusionTrainer.builder().hiddenLayers(16).epochs(3).inputSkip(false)
                .listener(TrainingListener.none()).seed(5).build().fit(train)) {
            Path file = dir.resolve("plain.f4j");
            plain.save(file);
            byte[] old = rewriteHeader(Files.readAllBytes(file), ",\"inputSkip\":false", "");
            assertThat(new String(old, StandardCharsets.ISO_8859_1)).doesNotContain("inputSkip");
            Path oldFile = dir.resolve("old.f4j");  // a header from before the input skip existed
            Files.write(oldFile, old);
            try (FusionModel again = FusionModel.load(oldFile)) {
                assertThat(again.predictAll(probe)).isEqualTo(plain.predictAll(probe));
            }
        }
    }

    @Test
    void headerLyingAboutDimensionsIsRefused() throws IOException {
        Path file = dir.resolve("lying");
        Files.write(file, rewriteHeader(saved(), "\"dimension\":32", "\"dimension\":33"));
        assertThatThrownBy(() -> FusionModel.load(file)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("shape");
    }

    @Test
    void incompatibleDimensionsOrEncodersAreRefused() {
        assertThatThrownBy(() -> concat.checkCompatible(Map.of(Modality.TEXT, 384, Modality.IMAGE, 48)))
                .isInstanceOf(IncompatibleModelException.class).hasMessageContaining("'text'")
                .hasMessageContaining("32").hasMessageContaining("384");
        assertThatThrownBy(() -> concat.checkCompatible(Map.of(Modality.TEXT, 32)))
                .isInstanceOf(IncompatibleModelException.class).hasMessageContaining("'image'");
        concat.checkCompatible(Map.of(Modality.TEXT, 32, Modality.IMAGE, 48));
        concat.checkEncoder(Modality.TEXT, "fake-text:32");
        assertThatThrownBy(() -> concat.checkEncoder(Modality.TEXT, "bert:other"))
                .isInstanceOf(IncompatibleModelException.class).hasMessageContaining("fake-text:32");
    }

    private byte[] saved() throws IOException {
        Path file = dir.resolve("saved.f4j");
        concat.save(file);
        return Files.readAllBytes(file);
    }

    /** Replaces text in the JSON header, fixing the header length and the checksum. */
    private static byte[] rewriteHeader(byte[] bytes, String from, String to) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int length = b.getInt(8);
        String json = new String(bytes, 12, length, StandardCharsets.UTF_8);
        assertThat(json).contains(from);
        byte[] header = json.replace(from, to).getBytes(StandardCharsets.UTF_8);
        int rest = bytes.length - 32 - (12 + length);
        ByteBuffer out = ByteBuffer.allocate(12 + header.length + rest + 32).order(ByteOrder.LITTLE_ENDIAN);
        out.put(bytes, 0, 8).putInt(header.length).put(header).put(bytes, 12 + length, rest);
        out.put(ModelFile.sha256(out.array(), out.position()));
        return out.array();
    }
}
