package dev.fusion4j.examples.emoji;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmojiDatasetTest {
    private final List<EmojiRecord> records = EmojiDataset.load(Fixtures.miniDir());

    private Map<String, EmojiRecord> byName() {
        return records.stream().collect(Collectors.toMap(EmojiRecord::name, r -> r));
    }

    @Test
    void keepsOnlyImagedNonComponentTopLevelEntriesSortedBySortOrder() {
        assertThat(records).extracting(EmojiRecord::unified).containsExactly(
                "1F600", "1FAE3", "1F939", "1F939-200D-2642-FE0F", "1F939-200D-2640-FE0F", "1F3C3",
                "1F3C3-200D-2642-FE0F-200D-27A1-FE0F", "1F46F", "1F46F-200D-2642-FE0F", "1F46F-200D-2640-FE0F",
                "1F9D1-200D-2695-FE0F", "1F468-200D-2695-FE0F", "1F469-200D-2695-FE0F", "1F475", "1F9D1-200D-1F9B0",
                "1F46A", "1F468-200D-1F469-200D-1F466", "1F9D1-200D-1F9D1-200D-1F9D2");
    }

    @Test
    void skipsComponentSkinTonesMissingAndUnflaggedImages() {
        assertThat(records).extracting(EmojiRecord::category).doesNotContain("Component");
        assertThat(records).extracting(EmojiRecord::unified)
                .doesNotContain("1F939-1F3FB", "1F44B-1F3FD", "1F47B", "1F680");
        assertThat(records).extracting(EmojiRecord::name).noneMatch(n -> n.contains("skin tone"));
    }

    @Test
    void lowerCasesNamesFallsBackToShortNameAndPointsAtTheImageFile() {
        EmojiRecord grinning = records.get(0);
        assertThat(grinning.name()).isEqualTo("grinning face");
        assertThat(grinning.category()).isEqualTo("Smileys & Emotion");
        assertThat(grinning.subcategory()).isEqualTo("face-smiling");
        assertThat(grinning.image().path()).contains(Fixtures.miniDir().resolve("img/google/64/1f600.png"));
        assertThat(records.get(1).name()).isEqualTo("face with peeking eye");
    }

    @Test
    void groupsGenderPersonAndFamilyForms() {
        Map<String, EmojiRecord> r = byName();
        assertThat(List.of("juggling", "man juggling", "woman juggling")).extracting(n -> r.get(n).group())
                .containsOnly("juggling");
        assertThat(List.of("woman with bunny ears", "men with bunny ears", "women with bunny ears"))
                .extracting(n -> r.get(n).group()).containsOnly("with bunny ears");
        assertThat(List.of("health worker", "man health worker", "woman health worker"))
                .extracting(n -> r.get(n).group()).containsOnly("health worker");
        assertThat(List.of("family", "family: man, woman, boy", "family: adult, adult, child"))
                .extracting(n -> r.get(n).group()).containsOnly("family");
        assertThat(List.of("runner", "man running facing right")).extracting(n -> r.get(n).group())
                .containsOnly("runner");
        assertThat(List.of("older woman", "person: red hair")).extracting(n -> r.get(n).group())
                .containsOnly("person");
        assertThat(r.get("grinning face").group()).isEqualTo("grinning face");
        assertThat(records.stream().map(EmojiRecord::group).distinct()).hasSize(8);
    }

    @Test
    void nameRulesStripPersonWordsQualifiersAndDirection() {
        assertThat(EmojiGroups.keyOfName("Man Juggling")).isEqualTo("juggling");
        assertThat(EmojiGroups.keyOfName("person juggling")).isEqualTo("juggling");
        assertThat(EmojiGroups.keyOfName("people with bunny ears")).isEqualTo("with bunny ears");
        assertThat(EmojiGroups.keyOfName("kiss: woman, man")).isEqualTo("kiss");
        assertThat(EmojiGroups.keyOfName("couple with heart: man, man")).isEqualTo("couple with heart");
        assertThat(EmojiGroups.keyOfName("two men holding hands")).isEqualTo("holding hands");
        assertThat(EmojiGroups.keyOfName("man and woman holding hands")).isEqualTo("holding hands");
        assertThat(EmojiGroups.keyOfName("older person")).isEqualTo("person");
        assertThat(EmojiGroups.keyOfName("woman: blond hair")).isEqualTo("person");
        assertThat(EmojiGroups.keyOfName("pregnant man")).isEqualTo("pregnant");
        assertThat(EmojiGroups.keyOfName("woman walking facing right")).isEqualTo("walking");
        assertThat(EmojiGroups.keyOfName("mx claus")).isEqualTo("father christmas");
        assertThat(EmojiGroups.keyOfName("snowman")).isEqualTo("snowman");
        assertThat(EmojiGroups.keyOfName("womans hat")).isEqualTo("womans hat");
    }

    /** Apple's package has Google's schema: the same rules pick the same records, with Apple's pictures. */
    @Test
    void anAppleStyleFolderGivesTheSameRecordsWithItsOwnImages(@TempDir Path tmp) throws Exception {
        Path apple = tmp.resolve("emoji-apple");
        Files.createDirectories(apple.resolve("img/apple"));
        Files.writeString(apple.resolve("emoji.json"), Files.readString(
                Fixtures.miniDir().resolve("emoji.json")).replace("has_img_google", "has_img_apple"));
        try (var pngs = Files.list(Fixtures.miniDir().resolve("img/google/64"))) {
            Files.createDirectories(apple.resolve("img/apple/64"));
            for (Path png : pngs.toList()) {
                Files.copy(png, apple.resolve("img/apple/64").resolve(png.getFileName()));
            }
        }
        List<EmojiRecord> loaded = EmojiDataset.load(apple);
        assertThat(loaded).extracting(EmojiRecord::unified)
                .containsExactlyElementsOf(records.stream().map(EmojiRecord::unified).toList());
        assertThat(loaded.get(0).image().path()).contains(apple.resolve("img/apple/64/1f600.png"));
        // Google's flag does not count for Apple's pictures
        assertThat(EmojiDataset.load(Fixtures.miniDir(), "apple")).isEmpty();
        assertThatThrownBy(() -> EmojiDataset.load(apple, "samsung")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[google, apple]");
        Files.createDirectories(apple.resolve("img/google/64"));
        assertThatThrownBy(() -> EmojiDataset.load(apple)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("the styles [google, apple]");
    }

    @Test
    void missingFolderSaysHowToFetch(@TempDir Path empty) {
        assertThatThrownBy(() -> EmojiDataset.load(empty)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("tools/emoji-data/fetch.sh");
    }

    @Test
    void fullDataSetWhenFetched() {
        Optional<Path> dir = EmojiDataset.findDataDir();
        assumeTrue(dir.isPresent(), "data/emoji not fetched (tools/emoji-data/fetch.sh)");
        List<EmojiRecord> all = EmojiDataset.load(dir.get());
        assertThat(all).hasSize(1906);
        assertThat(all).extracting(EmojiRecord::unified).doesNotHaveDuplicates();
        assertThat(all.stream().map(EmojiRecord::category).distinct()).hasSize(9).doesNotContain("Component");
        assertThat(all.stream().map(EmojiRecord::group).distinct().count()).isBetween(1600L, 1800L);
    }
}
