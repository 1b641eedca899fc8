package dev.fusion4j.examples.emoji;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fusion4j.api.Embedding;
import dev.fusion4j.api.Modality;
import dev.fusion4j.api.TrainingExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
    private final List<EmojiRecord> records = EmojiDataset.load(Fixtures.miniDir());
    @TempDir
    Path dir;

    private static CachedEmbeddings load(Path dir, List<EmojiRecord> records, Fixtures.FakeText text,
            Fixtures.FakeImage image) {
        return EmbeddingCache.load(dir, records, text, image);
    }

    private void assertHoldsTheFakeVectors(CachedEmbeddings cached) throws IOException {
        for (EmojiRecord r : records) {
            assertThat(cached.text(r).toArray()).containsExactly(Fixtures.vector(r.name(), 3));
            String png = new String(Files.readAllBytes(r.image().path().orElseThrow()),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(cached.image(r).toArray()).containsExactly(Fixtures.vector(png, 2));
        }
    }

    @Test
    void embedsOnceThenReadsTheFileBack() throws IOException {
        Fixtures.FakeText text = new Fixtures.FakeText("fake-text");
        Fixtures.FakeImage image = new Fixtures.FakeImage();
        CachedEmbeddings first = load(dir, records, text, image);
        assertThat(text.encoded).hasValue(records.size());
        assertThat(image.encoded).hasValue(records.size());
        assertThat(EmbeddingCache.cacheFile(dir, text, image)).exists();
        assertHoldsTheFakeVectors(first);

        Fixtures.FakeText text2 = new Fixtures.FakeText("fake-text");
        Fixtures.FakeImage image2 = new Fixtures.FakeImage();
        CachedEmbeddings again = load(dir, records, text2, image2);
        assertThat(text2.encoded).hasValue(0);
        assertThat(image2.encoded).hasValue(0);
        assertThat(again.size()).isEqualTo(records.size());
        assertHoldsTheFakeVectors(again);
        assertThat(Files.list(dir)).hasSize(1);  // no temporary file left
    }

    @Test
    void embedsOnlyNewOrRenamedRecordsAndKeepsTheRest() {
        load(dir, records.subList(0, 10), new Fixtures.FakeText("fake-text"), new Fixtures.FakeImage());
        List<EmojiRecord> changed = new ArrayList<>(records);
        EmojiRecord renamed = records.get(0);
        changed.set(0, new EmojiRecord(renamed.unified(), "grinning face, renamed", renamed.category(),
                renamed.subcategory(), renamed.image(), renamed.group()));
        Fixtures.FakeText text = new Fixtures.FakeText("fake-text");
        CachedEmbeddings cached = load(dir, changed, text, new Fixtures.FakeImage());
        assertThat(text.encoded).hasValue(records.size() - 10 + 1);
        assertThat(cached.text(changed.get(0)).toArray()).containsExactly(Fixtures.vector("grinning face, renamed", 3));

        Fixtures.FakeText after = new Fixtures.FakeText("fake-text");
        load(dir, records.subList(5, 15), after, new Fixtures.FakeImage());
        assertThat(after.encoded).as("a subset of what the file holds").hasValue(0);
    }

    @Test
    void recomputesADamagedFile() throws IOException {
        Fixtures.FakeText text = new Fixtures.FakeText("fake-text");
        load(dir, records, text, new Fixtures.FakeImage());
        Path file = EmbeddingCache.cacheFile(dir, text, new Fixtures.FakeImage());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 7));
        Fixtures.FakeText again = new Fixtures.FakeText("fake-text");
        assertHoldsTheFakeVectors(load(dir, records, again, new Fixtures.FakeImage()));
        assertThat(again.encoded).hasValue(records.size());
        assertThat(file).hasSize(bytes.length);

        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertHoldsTheFakeVectors(load(dir, records, new Fixtures.FakeText("fake-text"), new Fixtures.FakeImage()));
    }

    @Test
    void otherEncodersGetAnotherFile() {
        Fixtures.FakeImage image = new Fixtures.FakeImage();
        assertThat(EmbeddingCache.cacheFile(dir, new Fixtures.FakeText("a"), image))
                .isNotEqualTo(EmbeddingCache.cacheFile(dir, new Fixtures.FakeText("b"), image));
    }

    @Test
    void givesModalityViewsAndTrainingExamples() {
        CachedEmbeddings cached = load(dir, records, new Fixtures.FakeText("fake-text"), new Fixtures.FakeImage());
        EmojiRecord r = records.get(2);
        assertThat(cached.both(r).modalities()).containsExactly(Modality.TEXT, Modality.IMAGE);
        assertThat(cached.both(r).get(Modality.IMAGE)).contains(cached.image(r));
        assertThat(cached.textOnly(r).asMap()).containsOnlyKeys(Modality.TEXT);
        assertThat(cached.imageOnly(r).asMap()).containsOnlyKeys(Modality.IMAGE);
        List<TrainingExample> examples = cached.examples(records, EmojiRecord::subcategory);
        assertThat(examples).hasSize(records.size());
        assertThat(examples.get(2).label()).isEqualTo(r.subcategory());
        assertThat(examples.get(2).embeddings()).contains(cached.both(r));
        assertThat(cached.examples(records, EmojiRecord::category, cached::textOnly).get(2).embeddings())
                .contains(cached.textOnly(r));
        assertThat(cached.textDimension()).isEqualTo(3);
        assertThat(cached.imageDimension()).isEqualTo(2);
    }

    @Test
    void refusesUnknownRecordsAndDuplicateCodes() {
        CachedEmbeddings cached = load(dir, records.subList(0, 3), new Fixtures.FakeText("fake-text"),
                new Fixtures.FakeImage());
        assertThatThrownBy(() -> cached.text(records.get(5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(records.get(5).unified());
        List<EmojiRecord> twice = List.of(records.get(0), records.get(0));
        assertThatThrownBy(() -> load(dir, twice, new Fixtures.FakeText("fake-text"), new Fixtures.FakeImage()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1F600");
    }

    @Test
    void embeddingsAreValues() {
        CachedEmbeddings cached = load(dir, records, new Fixtures.FakeText("fake-text"), new Fixtures.FakeImage());
        Embedding e = cached.text(records.get(0));
        assertThat(e).isEqualTo(Embedding.of(Fixtures.vector("grinning face", 3)));
    }
}
