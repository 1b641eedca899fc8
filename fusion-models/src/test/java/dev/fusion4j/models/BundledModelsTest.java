package dev.fusion4j.models;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.TextEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

/** The real bundled models on real sentences and photos. */
class BundledModelsTest {
    private static TextEncoder text;
    private static ImageEncoder image;

    @BeforeAll
    static void load() {
        text = BundledModels.miniLmText();
        image = BundledModels.mobileNetV2Image();
    }

    @AfterAll
    static void close() {
        text.close();
        image.close();
    }

    static ImageInput photo(String name) {
        try {
            return ImageInput.of(Path.of(BundledModelsTest.class.getClassLoader().getResource("images/" + name).toURI()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void miniLmIs384dAndNormalised() {
        assertThat(text.dimension()).isEqualTo(384);
        assertThat(text.encode("a dog on grass").norm()).isCloseTo(1.0, within(1e-5));
        assertThat(text.id()).contains("all-minilm-l6-v2");
    }

    @Test
    void closeSentencesScoreHigherThanUnrelatedOnes() {
        String[][] triples = {
            {"A man is playing a guitar.", "Someone is playing an instrument.", "The stock market fell sharply today."},
            {"A dog runs across the park.", "A puppy is running on the grass.", "The recipe needs two cups of flour."},
            {"How do I reset my password?", "I forgot my login credentials.", "Volcanoes erupt when magma rises."},
            {"The rocket launched into orbit.", "A spacecraft lifted off into space.", "She knitted a warm wool scarf."},
            {"I love eating fresh strawberries.", "Berries are my favourite fruit.", "The train was delayed by snow."},
        };
        for (String[] t : triples) {
            Embedding anchor = text.encode(t[0]);
            double close = anchor.cosine(text.encode(t[1]));
            double far = anchor.cosine(text.encode(t[2]));
            assertThat(close).as("%s ~ %s vs %s", t[0], t[1], t[2]).isGreaterThan(far + 0.25);
        }
    }

    @Test
    void textBatchEqualsOneAtATime() {
        List<String> texts = List.of("grinning face", "a cup of hot coffee", "rocket", "a red apple on a table",
                "the quick brown fox jumps over the lazy dog", "cat");
        List<Embedding> batch = text.encodeAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(batch.get(i).cosine(text.encode(texts.get(i)))).isGreaterThan(0.9999);
        }
    }

    @Test
    void mobileNetIs1280d() {
        assertThat(image.dimension()).isEqualTo(1280);
    }

    @Test
    void animalsAreCloserToEachOtherThanToObjects() {
        List<String> animals = List.of("dog.jpg", "chelsea.png", "horses.jpg", "giraffe.jpg", "eagle.jpg");
        List<String> objects = List.of("coffee.png", "rocket.png");
        List<Embedding> a = image.encodeAll(animals.stream().map(BundledModelsTest::photo).toList());
        List<Embedding> o = image.encodeAll(objects.stream().map(BundledModelsTest::photo).toList());
        // every animal's nearest neighbour among all seven photos is another animal
        for (int i = 0; i < a.size(); i++) {
            double bestAnimal = -1;
            for (int j = 0; j < a.size(); j++) {
                if (j != i) {
                    bestAnimal = Math.max(bestAnimal, a.get(i).cosine(a.get(j)));
                }
            }
            for (Embedding obj : o) {
                assertThat(bestAnimal).as(animals.get(i)).isGreaterThan(a.get(i).cosine(obj));
            }
        }
        // on average an animal is closer to the other animals than to the objects
        for (int i = 0; i < a.size(); i++) {
            double toAnimals = 0;
            for (int j = 0; j < a.size(); j++) {
                if (j != i) {
                    toAnimals += a.get(i).cosine(a.get(j)) / (a.size() - 1);
                }
            }
            double toObjects = 0;
            for (Embedding obj : o) {
                toObjects += a.get(i).cosine(obj) / o.size();
            }
            assertThat(toAnimals).as(animals.get(i)).isGreaterThan(toObjects);
        }
    }

    @Test
    void imageBatchEqualsOneAtATime() {
        List<ImageInput> images = List.of(photo("dog.jpg"), photo("coffee.png"), photo("rocket.png"));
        List<Embedding> batch = image.encodeAll(images);
        for (int i = 0; i < images.size(); i++) {
            assertThat(batch.get(i).cosine(image.encode(images.get(i)))).isGreaterThan(0.9999);
        }
    }

    @Test
    void badInputThroughTheBundledModels() {
        assertThatThrownBy(() -> text.encode(null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> text.encode("")).isInstanceOf(InvalidInputException.class);
        assertThat(text.encode("word ".repeat(20_000)).dimension()).isEqualTo(384);
        assertThatThrownBy(() -> image.encode(ImageInput.of(new byte[0]))).isInstanceOf(InvalidInputException.class);
        for (String valid : List.of("gray16.png", "cmyk.jpg")) {
            assertThat(image.encode(photo(valid)).dimension()).isEqualTo(1280);
        }
    }

    @Test
    void eightThreadsShareOneEncoder() throws Exception {
        List<String> texts = List.of("a dog", "a cat", "a rocket", "a cup of coffee");
        List<Embedding> expectedText = text.encodeAll(texts);
        List<ImageInput> images = List.of(photo("dog.jpg"), photo("coffee.png"));
        List<Embedding> expectedImages = image.encodeAll(images);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < texts.size(); i++) {
                        if (text.encode(texts.get(i)).cosine(expectedText.get(i)) < 0.99999) {
                            return false;
                        }
                    }
                    for (int i = 0; i < images.size(); i++) {
                        if (image.encode(images.get(i)).cosine(expectedImages.get(i)) < 0.99999) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : futures) {
                assertThat(f.get(3, TimeUnit.MINUTES)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
