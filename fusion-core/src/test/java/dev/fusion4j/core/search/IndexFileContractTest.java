package dev.fusion4j.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.InvalidInputException;
import dev.fusion4j.api.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Behaviour every {@link EmbeddingIndex} shares: persistence, its failure modes, and argument checks. */
class IndexFileContractTest {
    @TempDir
    Path dir;

    static Stream<String> kinds() {
        return Stream.of("exact", "hnsw");
    }

    private static EmbeddingIndex<Long> newIndex(String kind, int d) {
        return kind.equals("exact") ? ExactIndex.create(d) : HnswIndex.create(d);
    }

    private static EmbeddingIndex<Long> filled(String kind) {
        return IndexTestSupport.fill(newIndex(kind, 24), IndexTestSupport.gaussians(3, 300, 24));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void saveAndLoadGiveIdenticalResults(String kind) throws IOException {
        EmbeddingIndex<Long> index = filled(kind);
        Path file = dir.resolve("index.f4j");
        index.save(file, IdCodec.longs());
        EmbeddingIndex<Long> again = EmbeddingIndex.load(file, IdCodec.longs());
        assertThat(again.getClass()).isEqualTo(index.getClass());
        assertThat(again.size()).isEqualTo(index.size());
        assertThat(again.dimension()).isEqualTo(24);
        for (Embedding q : IndexTestSupport.gaussians(4, 20, 24)) {
            assertThat(again.search(q, 10)).isEqualTo(index.search(q, 10));
        }
        assertThat(Files.list(dir).toList()).as("no temporary file is left").containsExactly(file);
        index.save(file, IdCodec.longs()); // overwrite in place
        assertThat(EmbeddingIndex.load(file, IdCodec.longs()).size()).isEqualTo(300);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void stringIdsRoundTrip(String kind) {
        EmbeddingIndex<String> index = kind.equals("exact") ? ExactIndex.create(3) : HnswIndex.create(3);
        index.add("ünïcødé id", Embedding.of(1, 0, 0));
        index.add("", Embedding.of(0, 1, 0));
        Path file = dir.resolve("strings.f4j");
        index.save(file, IdCodec.strings());
        EmbeddingIndex<String> again = EmbeddingIndex.load(file, IdCodec.strings());
        assertThat(again.search(Embedding.of(1, 0.1f, 0), 1).get(0).id()).isEqualTo("ünïcødé id");
        assertThat(again.contains("")).isTrue();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void truncatedOrCorruptFilesFailWithModelLoadException(String kind) throws IOException {
        Path file = dir.resolve("index.f4j");
        filled(kind).save(file, IdCodec.longs());
        byte[] bytes = Files.readAllBytes(file);

        IntFunction<Path> truncated = length -> write("cut" + length, Arrays.copyOf(bytes, length));
        for (int length : new int[] {0, 5, 30, bytes.length / 2, bytes.length - 1}) {
            assertThatThrownBy(() -> EmbeddingIndex.load(truncated.apply(length), IdCodec.longs()))
                    .isInstanceOf(ModelLoadException.class);
        }
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x10;
        assertThatThrownBy(() -> EmbeddingIndex.load(write("flipped", flipped), IdCodec.longs()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("corrupt");
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> EmbeddingIndex.load(write("longer", longer), IdCodec.longs()))
                .isInstanceOf(ModelLoadException.class);
        assertThatThrownBy(() -> EmbeddingIndex.load(write("text", "hello".repeat(20).getBytes()),
                IdCodec.longs())).isInstanceOf(ModelLoadException.class).hasMessageContaining("not a fusion4j index");
        assertThatThrownBy(() -> EmbeddingIndex.load(dir.resolve("missing"), IdCodec.longs()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> EmbeddingIndex.load(file, IdCodec.strings()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'long' id codec");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void loadingTheOtherKindExplicitlyIsRefused(String kind) {
        Path file = dir.resolve("index.f4j");
        filled(kind).save(file, IdCodec.longs());
        if (kind.equals("exact")) {
            assertThatThrownBy(() -> HnswIndex.load(file, IdCodec.longs())).isInstanceOf(ModelLoadException.class);
            assertThat(ExactIndex.load(file, IdCodec.longs()).size()).isEqualTo(300);
        } else {
            assertThatThrownBy(() -> ExactIndex.load(file, IdCodec.longs())).isInstanceOf(ModelLoadException.class);
            assertThat(HnswIndex.load(file, IdCodec.longs()).size()).isEqualTo(300);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void badInputsAreClearErrors(String kind) {
        EmbeddingIndex<Long> index = newIndex(kind, 4);
        assertThatThrownBy(() -> index.search(Embedding.of(1, 2, 3, 4), 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("index is empty");
        index.add(1L, Embedding.of(1, 2, 3, 4));
        assertThatThrownBy(() -> index.search(Embedding.of(1, 2, 3), 3))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dimension 3")
                .hasMessageContaining("4-dimensional");
        assertThatThrownBy(() -> index.add(2L, Embedding.of(1, 2, 3, 4, 5)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("dimension 5");
        assertThatThrownBy(() -> index.search(Embedding.of(1, 2, 3, 4), 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("k must be at least 1, got 0");
        assertThatThrownBy(() -> index.search(null, 1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("query is null");
        assertThatThrownBy(() -> index.add(null, Embedding.of(1, 2, 3, 4)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("id is null");
        assertThatThrownBy(() -> index.add(3L, null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("embedding is null");
        assertThatThrownBy(() -> index.save(null, IdCodec.longs())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> index.save(dir.resolve("x"), null)).isInstanceOf(InvalidInputException.class);
        assertThat(index.search(Embedding.of(1, 2, 3, 4), 5)).as("k larger than the index").hasSize(1);
        assertThat(index.remove(1L)).isTrue();
        assertThat(index.remove(1L)).isFalse();
        assertThatThrownBy(() -> index.search(Embedding.of(1, 2, 3, 4), 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("index is empty");
        assertThatThrownBy(() -> ExactIndex.builder().build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("dimension");
        assertThatThrownBy(() -> HnswIndex.builder().dimension(4).m(0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("m must be at least 1");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void replacingAnIdKeepsOneEntry(String kind) {
        EmbeddingIndex<Long> index = newIndex(kind, 3);
        index.add(7L, Embedding.of(1, 0, 0));
        index.add(8L, Embedding.of(0, 1, 0));
        index.add(7L, Embedding.of(0, 0, 1));
        assertThat(index.size()).isEqualTo(2);
        List<SearchHit<Long>> hits = index.search(Embedding.of(0, 0, 2), 5);
        assertThat(hits).containsExactly(new SearchHit<>(7L, 1f), new SearchHit<>(8L, 0f));
    }

    private Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
