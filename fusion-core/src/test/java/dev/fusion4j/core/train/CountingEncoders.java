package dev.fusion4j.core.train;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.ImageEncoder;
import dev.fusion4j.api.ImageInput;
import dev.fusion4j.api.TextEncoder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Fake encoders that look their values up in a table and count every value they encode. */
final class CountingEncoders {
    private CountingEncoders() {
    }

    /** The shared part: a lookup table, a dimension and the counters. */
    private abstract static class Counting<V> {
        final AtomicInteger encoded = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        private final Map<V, Embedding> table;
        private final int dimension;

        Counting(Map<V, Embedding> table, int dimension) {
            this.table = table;
            this.dimension = dimension;
        }

        public int dimension() {
            return dimension;
        }

        public Embedding encode(V value) {
            return encodeAll(List.of(value)).get(0);
        }

        public List<Embedding> encodeAll(List<V> values) {
            calls.incrementAndGet();
            encoded.addAndGet(values.size());
            return values.stream().map(table::get).toList();
        }

        public void close() {
        }
    }

    static final class Text extends Counting<String> implements TextEncoder {
        Text(Map<String, Embedding> table, int dimension) {
            super(table, dimension);
        }

        @Override
        public String id() {
            return "counting-text:" + dimension();
        }
    }

    static final class Image extends Counting<ImageInput> implements ImageEncoder {
        Image(Map<ImageInput, Embedding> table, int dimension) {
            super(table, dimension);
        }

        @Override
        public String id() {
            return "counting-image:" + dimension();
        }
    }
}
