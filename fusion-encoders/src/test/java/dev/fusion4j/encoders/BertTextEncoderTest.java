package dev.fusion4j.encoders;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.IncompatibleModelException;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.ModelLoadException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** BertTextEncoder on the tiny BERT fixture (random weights, real MiniLM tokenizer), ONNX and TorchScript. */
class BertTextEncoderTest {
    private static final Path DIR = Fixtures.resource("models/bert-tiny");
    private static final Path TOKENIZER = DIR.resolve("tokenizer.json");
    private static BertTextEncoder onnx;
    private static BertTextEncoder torchscript;

    @BeforeAll
    static void load() {
        onnx = raw(DIR.resolve("bert-tiny.onnx")).build();
        torchscript = raw(DIR.resolve("bert-tiny.pt")).build();
    }

    @AfterAll
    static void close() {
        onnx.close();
        torchscript.close();
    }

    private static BertTextEncoder.Builder raw(Path model) {
        return BertTextEncoder.builder().model(ModelSource.path(model)).tokenizer(ModelSource.path(TOKENIZER))
                .normalize(false);
    }

    @Test
    void meanPoolingReproducesPyTorchReference() throws Exception {
        String json = Files.readString(DIR.resolve("reference.json"), StandardCharsets.UTF_8);
        double[] hidden = Fixtures.jsonNumbers(json, "last_hidden_state");
        double[] mask = Fixtures.jsonNumbers(json, "attention_mask");
        int seq = 6;
        int h = 32;
        String[] texts = {"hello world", "a dog on grass"};
        for (int i = 0; i < 2; i++) {
            float[] expected = new float[h];
            int count = 0;
            for (int t = 0; t < seq; t++) {
                if (mask[i * seq + t] == 0) {
                    continue;
                }
                count++;
                for (int j = 0; j < h; j++) {
                    expected[j] += (float) hidden[(i * seq + t) * h + j];
                }
            }
            for (int j = 0; j < h; j++) {
                expected[j] /= count;
            }
            assertThat(Fixtures.maxAbsDiff(onnx.encode(texts[i]).toArray(), expected)).isLessThan(1e-5);
            assertThat(Fixtures.maxAbsDiff(torchscript.encode(texts[i]).toArray(), expected)).isLessThan(1e-5);
        }
        assertThat(onnx.dimension()).isEqualTo(32);
        assertThat(torchscript.dimension()).isEqualTo(32);
    }

    @Test
    void onnxAndTorchScriptAgreeOnABatch() {
        List<String> texts = List.of("a cat", "the quick brown fox jumps over the lazy dog", "x",
                "multimodal embedding fusion on the JVM");
        List<Embedding> a = onnx.encodeAll(texts);
        List<Embedding> b = torchscript.encodeAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(Fixtures.maxAbsDiff(a.get(i).toArray(), b.get(i).toArray())).isLessThan(1e-5);
        }
    }

    @Test
    void batchEqualsOneAtATimeDespitePadding() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            texts.add("sentence number " + i + " " + "word ".repeat(i % 13));
        }
        List<Embedding> batch = onnx.encodeAll(texts);
        assertThat(batch).hasSize(70);
        for (int i = 0; i < texts.size(); i += 7) {
            assertThat(batch.get(i).cosine(onnx.encode(texts.get(i)))).isGreaterThan(0.99999);
        }
        assertThat(onnx.encodeAll(List.of())).isEmpty();
    }

    @Test
    void poolingModesDiffer() {
        try (BertTextEncoder cls = raw(DIR.resolve("bert-tiny.onnx")).pooling(Pooling.CLS).build();
             BertTextEncoder max = raw(DIR.resolve("bert-tiny.onnx")).pooling(Pooling.MAX).build()) {
            float[] mean = onnx.encode("hello world").toArray();
            float[] c = cls.encode("hello world").toArray();
            float[] m = max.encode("hello world").toArray();
            for (int j = 0; j < mean.length; j++) {
                assertThat(m[j]).isGreaterThanOrEqualTo(mean[j] - 1e-6f);
            }
            assertThat(c).isNotEqualTo(mean);
            assertThat(cls.id()).contains(":cls");
        }
    }

    @Test
    void normalisationGivesUnitVectors() {
        try (BertTextEncoder norm = raw(DIR.resolve("bert-tiny.onnx")).normalize(true).build()) {
            assertThat(norm.encode("hello world").norm()).isCloseTo(1.0, within(1e-5));
            assertThat(norm.encode("hello world").cosine(onnx.encode("hello world"))).isGreaterThan(0.99999);
        }
    }

    @Test
    void longTextIsTruncatedOrSplitIntoWindows() {
        String longText = "the cat sat on the mat and looked at the dog. ".repeat(40) + "zebra giraffe elephant";
        try (BertTextEncoder trunc = raw(DIR.resolve("bert-tiny.onnx")).maxLength(16).build();
             BertTextEncoder split = raw(DIR.resolve("bert-tiny.onnx")).maxLength(16)
                     .longText(LongTextMode.SPLIT_AND_AVERAGE).windowOverlap(4).build()) {
            // truncation keeps the first 14 content tokens, so changing the tail changes nothing
            assertThat(trunc.encode(longText)).isEqualTo(trunc.encode(longText + " tail words"));
            // splitting reads the whole text, so the tail matters
            assertThat(split.encode(longText)).isNotEqualTo(split.encode(longText + " tail words"));
            // a short text is one window either way
            assertThat(split.encode("a short text")).isEqualTo(trunc.encode("a short text"));
        }
    }

    @Test
    void veryLongTextWorksAndOverLimitIsRefused() {
        String text = "lorem ipsum dolor sit amet ".repeat(4000);
        assertThat(text.length()).isGreaterThan(100_000);
        assertThat(onnx.encode(text).dimension()).isEqualTo(32);
        try (BertTextEncoder small = raw(DIR.resolve("bert-tiny.onnx")).maxChars(1000).build()) {
            assertThatThrownBy(() -> small.encode(text)).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("maxChars");
        }
    }

    @Test
    void tenMegabytesOfTextIsRefusedByTheDefaultLimit() {
        String huge = "a".repeat(10_000_000);
        assertThatThrownBy(() -> onnx.encode(huge)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("10000000 characters").hasMessageContaining("maxChars");
    }

    @Test
    void closingWhileOtherThreadsEncodeIsSafe() throws Exception {
        BertTextEncoder enc = raw(DIR.resolve("bert-tiny.onnx")).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        try {
                            enc.encode("text number " + i);
                        } catch (IllegalStateException closed) {
                            return closed.getMessage().contains("closed") ? "closed" : "bad message";
                        }
                    }
                    return "finished";
                }));
            }
            Thread.sleep(20);
            enc.close();
            enc.close();
            for (Future<String> f : futures) {
                assertThat(f.get(2, TimeUnit.MINUTES)).isIn("closed", "finished");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThatThrownBy(() -> enc.encode("after")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void badTextIsInvalidInput() {
        assertThatThrownBy(() -> onnx.encode(null)).isInstanceOf(InvalidInputException.class).hasMessageContaining("null");
        assertThatThrownBy(() -> onnx.encode("")).isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> onnx.encode(" \n\t")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> onnx.encodeAll(java.util.Arrays.asList("ok", null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("index 1");
        assertThatThrownBy(() -> onnx.encodeAll(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void oddUnicodeStillEncodes() {
        assertThat(onnx.encode("\u200b\u200d zero width \u202e rtl \u05e9\u05dc\u05d5\u05dd").dimension()).isEqualTo(32);
        assertThat(onnx.encode("broken \ud800 surrogate").dimension()).isEqualTo(32);
        assertThat(onnx.encode("emoji \ud83d\udc36 dog").dimension()).isEqualTo(32);
    }

    @Test
    void modelLoadFailuresAreTyped(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> raw(tmp.resolve("missing.onnx")).build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> raw(Fixtures.resource("models/corrupt/corrupt.onnx")).build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("corrupt");
        assertThatThrownBy(() -> raw(Fixtures.resource("models/corrupt/corrupt.pt")).build())
                .isInstanceOf(ModelLoadException.class);
        assertThatThrownBy(() -> BertTextEncoder.builder()
                .model(ModelSource.path(DIR.resolve("bert-tiny.onnx")).format(ModelFormat.TORCHSCRIPT))
                .tokenizer(ModelSource.path(TOKENIZER)).build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("is in ONNX format but was given as TORCHSCRIPT");
        Path empty = Files.createFile(tmp.resolve("empty.onnx"));
        assertThatThrownBy(() -> raw(empty).build()).isInstanceOf(ModelLoadException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> BertTextEncoder.builder().model(ModelSource.path(DIR.resolve("bert-tiny.onnx")))
                .tokenizer(ModelSource.path(tmp.resolve("nope.json"))).build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("tokenizer");
        assertThatThrownBy(() -> raw(DIR).build()).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("several model files");
        Path noDir = tmp.resolve("no-such-model-dir");
        assertThatThrownBy(() -> BertTextEncoder.builder().model(ModelSource.path(noDir)).build())
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(noDir.toString()).hasMessageContaining("does not exist")
                .hasMessageNotContaining(tmp.resolve("tokenizer.json").toString());
        assertThatThrownBy(() -> BertTextEncoder.builder().model(ModelSource.url("https://example.org/model.onnx"))
                .tokenizer(ModelSource.path(TOKENIZER)).build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("offline");
    }

    @Test
    void aNonBertModelIsIncompatible() {
        assertThatThrownBy(() -> raw(Fixtures.resource("models/resnet-tiny/resnet-tiny.onnx")).build())
                .isInstanceOf(IncompatibleModelException.class).hasMessageContaining("input")
                .hasMessageContaining("CnnImageEncoder");
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFails() {
        BertTextEncoder enc = raw(DIR.resolve("bert-tiny.onnx")).build();
        enc.close();
        enc.close();
        assertThatThrownBy(() -> enc.encode("hello")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void eightThreadsGetTheSameVectorsAsOne() throws Exception {
        List<String> texts = List.of("alpha beta", "gamma delta epsilon", "a dog on grass", "hello world",
                "one two three four five six seven", "fusion");
        List<Embedding> expected = torchscript.encodeAll(texts);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                BertTextEncoder enc = t % 2 == 0 ? torchscript : onnx;
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 10; round++) {
                        for (int i = 0; i < texts.size(); i++) {
                            if (enc.encode(texts.get(i)).cosine(expected.get(i)) < 0.99999) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : futures) {
                assertThat(f.get(2, TimeUnit.MINUTES)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        // and the same thread's results are bit-identical on repeat
        assertThat(torchscript.encodeAll(texts)).isEqualTo(expected);
    }
}
