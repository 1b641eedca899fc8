package dev.fusion4j.examples.emoji;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.TextEncoder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Shared test data: the emoji-mini fixture and fake deterministic encoders. */
final class Fixtures {
    private Fixtures() {
    }

    /** The hand-written emoji.json fixture folder on the test class path. */
    static Path miniDir() {
        try {
            return Path.of(Fixtures.class.getResource("/emoji-mini/emoji.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record whose image is a few bytes (never decoded by the fakes). */
    static EmojiRecord record(String unified, String name, String group) {
        return new EmojiRecord(unified, name, "Objects", "tool", ImageInput.of(unified.getBytes(StandardCharsets.UTF_8)),
                group);
    }

    /** A deterministic vector from a seed string. */
    static float[] vector(String seed, int dimension) {
        SplittableRandom random = new SplittableRandom(Arrays.hashCode(seed.getBytes(StandardCharsets.UTF_8)));
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** Encodes a text to {@link #vector(String, int)} of it, counting the texts it encodes. */
    static final class FakeText implements TextEncoder {
        final AtomicInteger encoded = new AtomicInteger();
        private final String id;

        FakeText(String id) {
            this.id = id;
        }

        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public Embedding encode(String text) {
            encoded.incrementAndGet();
            return Embedding.of(vector(text, dimension()));
        }

        @Override
        public List<Embedding> encodeAll(List<String> texts) {
            return texts.stream().map(this::encode).toList();
        }

        @Override
        public void close() {
        }
    }

    /** Encodes an image to {@link #vector(String, int)} of its bytes, counting the images it encodes. */
    static final class FakeImage implements ImageEncoder {
        final AtomicInteger encoded = new AtomicInteger();

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public String id() {
            return "fake-image";
        }

        @Override
        public Embedding encode(ImageInput image) {
            encoded.incrementAndGet();
            return Embedding.of(vector(new String(image.readBytes(), StandardCharsets.ISO_8859_1), dimension()));
        }

        @Override
        public List<Embedding> encodeAll(List<ImageInput> images) {
            return images.stream().map(this::encode).toList();
        }

        @Override
        public void close() {
        }
    }
}
