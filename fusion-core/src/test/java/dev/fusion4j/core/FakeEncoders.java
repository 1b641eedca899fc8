package dev.fusion4j.core;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.TextEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** Deterministic in-test encoders: the embedding is a Gaussian vector seeded by a hash of the input. */
final class FakeEncoders {
    private FakeEncoders() {
    }

    static Embedding vector(long seed, int dimension) {
        Random random = new Random(seed);
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Embedding.of(v);
    }

    /** Text encoder; texts equal to "fail" throw an InvalidInputException. Records every encodeAll batch size. */
    static final class Text implements TextEncoder {
        final int dimension;
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();

        Text(int dimension) {
            this.dimension = dimension;
        }

        @Override
        public int dimension() {
            return dimension;
        }

        @Override
        public String id() {
            return "fake-text-" + dimension;
        }

        @Override
        public Embedding encode(String text) {
            if (closed.get()) {
                throw new IllegalStateException("closed");
            }
            if (text.equals("fail")) {
                throw new InvalidInputException("fake text encoder refuses 'fail'");
            }
            return vector(text.hashCode(), dimension);
        }

        @Override
        public List<Embedding> encodeAll(List<String> texts) {
            batches.add(texts.size());
            List<Embedding> out = new ArrayList<>();
            texts.forEach(t -> out.add(encode(t)));
            return out;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    /** Image encoder over encoded bytes. Records every encodeAll batch size. */
    static final class Image implements ImageEncoder {
        final int dimension;
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        /** The thread of every {@code encodeAll} call, in order. */
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final AtomicBoolean closed = new AtomicBoolean();

        Image(int dimension) {
            this.dimension = dimension;
        }

        static ImageInput image(int i) {
            return ImageInput.of(new byte[] {(byte) i, (byte) (i >> 8), 42});
        }

        @Override
        public int dimension() {
            return dimension;
        }

        @Override
        public String id() {
            return "fake-image-" + dimension;
        }

        @Override
        public Embedding encode(ImageInput image) {
            if (closed.get()) {
                throw new IllegalStateException("closed");
            }
            return vector(31L * Arrays.hashCode(image.readBytes()) + 7, dimension);
        }

        @Override
        public List<Embedding> encodeAll(List<ImageInput> images) {
            batches.add(images.size());
            threads.add(Thread.currentThread());
            List<Embedding> out = new ArrayList<>();
            images.forEach(i -> out.add(encode(i)));
            return out;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
