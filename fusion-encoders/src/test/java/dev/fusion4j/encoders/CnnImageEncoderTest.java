package dev.fusion4j.encoders;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.IncompatibleModelException;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.ModelLoadException;
import dev.fusion4j.encoders.image.ImagePreprocessor;
import dev.fusion4j.encoders.internal.NativeModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The ResNet path: a tiny torchvision-structured ResNet as TorchScript and ONNX, on real photos. */
class CnnImageEncoderTest {
    private static final Path DIR = Fixtures.resource("models/resnet-tiny");
    private static final List<String> PHOTOS = List.of("dog.jpg", "eagle.jpg", "giraffe.jpg", "horses.jpg",
            "person.jpg", "chelsea.png", "coffee.png", "rocket.png");
    private static CnnImageEncoder onnx;
    private static CnnImageEncoder torchscript;

    @BeforeAll
    static void load() {
        onnx = CnnImageEncoder.builder().model(ModelSource.path(DIR.resolve("resnet-tiny.onnx"))).build();
        torchscript = CnnImageEncoder.builder().model(ModelSource.path(DIR.resolve("resnet-tiny.pt"))).build();
    }

    @AfterAll
    static void close() {
        onnx.close();
        torchscript.close();
    }

    static ImageInput photo(String name) {
        return ImageInput.of(Fixtures.resource("images/" + name));
    }

    @Test
    void dimensionIsReadFromTheModel() {
        assertThat(onnx.dimension()).isEqualTo(64);
        assertThat(torchscript.dimension()).isEqualTo(64);
        assertThat(onnx.id()).contains("resize256").endsWith(":64");
    }

    @Test
    void referenceTensorReproducesPyTorchInBothFormats() throws IOException {
        float[] input = Fixtures.floats("models/resnet-tiny/reference-input.bin");
        float[] expected = Fixtures.floats("models/resnet-tiny/reference-output.bin");
        for (String file : List.of("resnet-tiny.onnx", "resnet-tiny.pt")) {
            try (NativeModel model = NativeModel.load(ModelSource.path(DIR.resolve(file)), "image model")) {
                float[] out = model.run(m -> new NDList(m.create(FloatBuffer.wrap(input), new Shape(2, 3, 224, 224),
                        DataType.FLOAT32)), o -> o.get(0).toFloatArray());
                assertThat(Fixtures.maxAbsDiff(out, expected)).as(file).isLessThan(1e-5);
            }
        }
    }

    @Test
    void torchScriptAndOnnxGiveIdenticalFeaturesOnRealPhotos() {
        List<ImageInput> images = PHOTOS.stream().map(CnnImageEncoderTest::photo).toList();
        List<Embedding> a = onnx.encodeAll(images);
        List<Embedding> b = torchscript.encodeAll(images);
        for (int i = 0; i < images.size(); i++) {
            assertThat(Fixtures.maxAbsDiff(a.get(i).toArray(), b.get(i).toArray())).as(PHOTOS.get(i)).isLessThan(1e-5);
        }
        // different photos give different features
        assertThat(a.get(0)).isNotEqualTo(a.get(6));
    }

    @Test
    void batchEqualsOneAtATime() {
        List<ImageInput> images = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            images.add(photo(PHOTOS.get(i % PHOTOS.size())));
        }
        List<Embedding> batch = onnx.encodeAll(images);
        assertThat(batch).hasSize(40);
        for (int i = 0; i < PHOTOS.size(); i++) {
            assertThat(batch.get(i).cosine(onnx.encode(images.get(i)))).isGreaterThan(0.9999);
            assertThat(batch.get(i + PHOTOS.size())).isEqualTo(batch.get(i));
        }
    }

    private static CnnImageEncoder onnxWith(int batchSize, boolean prefetch) {
        return CnnImageEncoder.builder().model(ModelSource.path(DIR.resolve("resnet-tiny.onnx")))
                .batchSize(batchSize).prefetch(prefetch).build();
    }

    private static List<ImageInput> photos(int n) {
        List<ImageInput> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(photo(PHOTOS.get(i % PHOTOS.size())));
        }
        return images;
    }

    @Test
    void prefetchingGivesTheSameBitsAsPreparingThenRunning() {
        List<ImageInput> images = photos(20);
        for (int batchSize : new int[] {1, 3, 8, 32}) {
            try (CnnImageEncoder pipelined = onnxWith(batchSize, true);
                 CnnImageEncoder sequential = onnxWith(batchSize, false)) {
                List<Embedding> expected = sequential.encodeAll(images);
                for (int round = 0; round < 3; round++) {
                    assertThat(pipelined.encodeAll(images)).as("batch %d", batchSize).isEqualTo(expected);
                }
                assertThat(pipelined.encodeAll(images.subList(0, 1))).isEqualTo(expected.subList(0, 1));
                assertThat(pipelined.encodeAll(List.of())).isEmpty();
            }
        }
    }

    @Test
    void withNoPreparationThreadsTheCallerPreparesEveryImageAndTheBitsAreTheSame() {
        List<ImageInput> images = photos(20);
        try (CnnImageEncoder helped = onnxWith(3, true);
             CnnImageEncoder alone = CnnImageEncoder.builder().model(ModelSource.path(DIR.resolve("resnet-tiny.onnx")))
                     .batchSize(3).preparationThreads(0).build()) {
            List<Embedding> expected = helped.encodeAll(images);
            Set<Thread> before = preparationThreads();
            assertThat(alone.encodeAll(images)).isEqualTo(expected);
            assertThat(alone.encodeAll(images.subList(0, 1))).isEqualTo(expected.subList(0, 1));
            assertThat(preparationThreads()).as("no preparation thread was started").isSubsetOf(before);
        }
        assertThatThrownBy(() -> CnnImageEncoder.builder().preparationThreads(-1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("0 or more");
    }

    @Test
    void aFailingImageIsReportedByItsIndexWhateverBatchItIsPreparedIn() {
        ImageInput broken = ImageInput.of(new byte[] {1, 2, 3});
        try (CnnImageEncoder pipelined = onnxWith(3, true); CnnImageEncoder sequential = onnxWith(3, false)) {
            assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
                for (int[] bad : new int[][] {{1}, {4, 8}, {8}, {9}, {5, 6}}) {
                    List<ImageInput> images = new ArrayList<>(photos(10));
                    for (int i : bad) {
                        images.set(i, broken);
                    }
                    for (int round = 0; round < 3; round++) {
                        for (CnnImageEncoder encoder : List.of(pipelined, sequential)) {
                            assertThatThrownBy(() -> encoder.encodeAll(images)).isInstanceOf(InvalidInputException.class)
                                    .hasMessageStartingWith("Image at index " + bad[0] + ":");
                        }
                    }
                }
                // the encoder is still usable after failures
                assertThat(pipelined.encodeAll(photos(7))).isEqualTo(sequential.encodeAll(photos(7)));
            });
        }
    }

    @Test
    void preparationThreadsAreDaemonsAndEndWithTheEncoder() throws InterruptedException {
        Set<Thread> before = preparationThreads();
        CnnImageEncoder encoder = onnxWith(2, true);
        encoder.encodeAll(photos(9));
        Set<Thread> mine = preparationThreads();
        mine.removeAll(before);
        assertThat(mine).isNotEmpty().allMatch(Thread::isDaemon);
        encoder.close();
        for (Thread thread : mine) {
            thread.join(10_000);
            assertThat(thread.isAlive()).as(thread.getName()).isFalse();
        }
    }

    private static Set<Thread> preparationThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("fusion4j-image-prep-")) {
                threads.add(thread);
            }
        }
        return threads;
    }

    @Test
    void awkwardButValidImagesEncode() throws IOException {
        for (String name : List.of("gray16.png", "cmyk.jpg", "alpha.png", "anim.gif", "image.bmp")) {
            assertThat(onnx.encode(photo(name)).dimension()).as(name).isEqualTo(64);
        }
        BufferedImage one = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        one.setRGB(0, 0, 0xff8800);
        assertThat(onnx.encode(ImageInput.of(one)).dimension()).isEqualTo(64);
        BufferedImage grey = new BufferedImage(30, 20, BufferedImage.TYPE_BYTE_GRAY);
        assertThat(onnx.encode(ImageInput.of(grey)).dimension()).isEqualTo(64);
        // the same picture as PNG bytes and as a file decodes the same
        byte[] bytes = Files.readAllBytes(Fixtures.resource("images/chelsea.png"));
        assertThat(onnx.encode(ImageInput.of(bytes))).isEqualTo(onnx.encode(photo("chelsea.png")));
    }

    @Test
    void brokenImagesAreInvalidInput() throws IOException {
        byte[] png = Files.readAllBytes(Fixtures.resource("images/chelsea.png"));
        byte[] jpg = Files.readAllBytes(Fixtures.resource("images/dog.jpg"));
        byte[] random = new byte[5000];
        new java.util.Random(3).nextBytes(random);
        List<byte[]> broken = List.of(new byte[0], Arrays.copyOf(png, png.length / 2), Arrays.copyOf(jpg, jpg.length / 3),
                random, "this is not an image".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (byte[] b : broken) {
            assertThatThrownBy(() -> onnx.encode(ImageInput.of(b))).isInstanceOf(InvalidInputException.class);
        }
        assertThatThrownBy(() -> onnx.encode(ImageInput.of(Path.of("/no/such/image.png"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("/no/such/image.png");
        assertThatThrownBy(() -> onnx.encodeAll(List.of(photo("dog.jpg"), ImageInput.of(new byte[0]))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("index 1");
        assertThatThrownBy(() -> onnx.encode(null)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void hugeDeclaredDimensionsAreRefusedBeforeDecoding() throws IOException {
        byte[] bomb = pngHeader(50_000, 50_000);
        long start = System.nanoTime();
        assertThatThrownBy(() -> onnx.encode(ImageInput.of(bomb))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("50000").hasMessageContaining("maxPixels");
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        // the limit is configurable: a small limit refuses an ordinary photo
        try (CnnImageEncoder strict = CnnImageEncoder.builder().model(ModelSource.path(DIR.resolve("resnet-tiny.onnx")))
                .preprocessing(ImagePreprocessor.builder().maxPixels(1000).build()).build()) {
            assertThatThrownBy(() -> strict.encode(photo("dog.jpg"))).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("1000");
        }
    }

    /** A PNG signature and IHDR chunk declaring {@code w x h} RGB pixels, and nothing else. */
    static byte[] pngHeader(int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        data.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream c = new DataOutputStream(chunk);
        c.writeBytes("IHDR");
        c.writeInt(w);
        c.writeInt(h);
        c.write(new byte[] {8, 2, 0, 0, 0});
        byte[] body = chunk.toByteArray();
        data.writeInt(13);
        data.write(body);
        CRC32 crc = new CRC32();
        crc.update(body);
        data.writeInt((int) crc.getValue());
        return out.toByteArray();
    }

    @Test
    void modelProblemsAreTyped() {
        assertThatThrownBy(() -> CnnImageEncoder.builder()
                .model(ModelSource.path(DIR.resolve("resnet-tiny.onnx")).format(ModelFormat.TORCHSCRIPT)).build())
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("ONNX");
        assertThatThrownBy(() -> CnnImageEncoder.builder()
                .model(ModelSource.path(Fixtures.resource("models/corrupt/corrupt.pt"))).build())
                .isInstanceOf(ModelLoadException.class);
        assertThatThrownBy(() -> CnnImageEncoder.builder()
                .model(ModelSource.path(Fixtures.resource("models/bert-tiny/bert-tiny.onnx"))).build())
                .isInstanceOf(IncompatibleModelException.class).hasMessageContaining("text (BERT-family) model")
                .hasMessageContaining("BertTextEncoder").hasMessageNotContaining("preprocessing");
        assertThatThrownBy(() -> CnnImageEncoder.builder().build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("model");
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFails() {
        CnnImageEncoder enc = CnnImageEncoder.builder().model(ModelSource.path(DIR.resolve("resnet-tiny.onnx"))).build();
        enc.close();
        enc.close();
        assertThatThrownBy(() -> enc.encode(photo("dog.jpg"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void eightThreadsGetTheSameVectorsAsOne() throws Exception {
        List<ImageInput> images = PHOTOS.stream().map(CnnImageEncoderTest::photo).toList();
        List<Embedding> expected = torchscript.encodeAll(images);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 3; round++) {
                        for (int i = 0; i < images.size(); i++) {
                            if (!torchscript.encode(images.get(i)).equals(expected.get(i))
                                    && torchscript.encode(images.get(i)).cosine(expected.get(i)) < 0.99999) {
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
    }
}
