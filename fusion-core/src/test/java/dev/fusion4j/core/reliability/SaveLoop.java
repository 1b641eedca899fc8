package dev.fusion4j.core.reliability;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.core.search.EmbeddingIndex;
import dev.fusion4j.core.search.ExactIndex;
import dev.fusion4j.core.search.HnswIndex;
import dev.fusion4j.core.search.IdCodec;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Child-JVM program for {@link CrashSafetyTest}: saves an index to the same file over and over, each
 * generation with a different number of entries, until it is killed. Prints "saved N" after each save.
 */
public final class SaveLoop {
    private SaveLoop() {
    }

    /** An empty 32-d index of the kind; HNSW with a light graph (M 16, beam 100): the test is about files, not recall. */
    static EmbeddingIndex<Long> newIndex(String kind) {
        return kind.equals("hnsw")
                ? HnswIndex.builder().dimension(32).m(16).beamWidth(100).<Long>build()
                : ExactIndex.create(32);
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String kind = args[1];
        for (int generation = 1; ; generation++) {
            EmbeddingIndex<Long> index = newIndex(kind);
            fill(index, 2_000 + generation, generation);
            index.save(file, IdCodec.longs());
            System.out.println("saved " + generation);
            System.out.flush();
        }
    }

    /** Deterministic content: {@code count} entries whose ids are 0..count-1. */
    static void fill(EmbeddingIndex<Long> index, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (long id = 0; id < count; id++) {
            float[] v = new float[index.dimension()];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) random.nextGaussian();
            }
            index.add(id, Embedding.of(v));
        }
    }
}
