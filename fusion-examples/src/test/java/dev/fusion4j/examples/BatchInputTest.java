package dev.fusion4j.examples;

import dev.fusion4j.api.Modality;
import dev.fusion4j.examples.BatchInput.Failure;
import dev.fusion4j.examples.BatchInput.Parsed;
import dev.fusion4j.examples.BatchInput.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batch job's reader: RFC 4180 CSV, a byte-order mark, row numbers as a user counts them, JSONL. */
class BatchInputTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    /** Reading {@code file} fails as a whole, with a message that contains {@code message}. */
    private static void assertUnreadable(Path file, String message) {
        assertThatThrownBy(() -> BatchInput.read(file)).isInstanceOf(BatchInput.InputFileException.class)
                .hasMessageContaining(message);
    }

    @Test
    void quotedCommasQuotesAndLineBreaksStayInsideOneField() throws IOException {
        Files.write(dir.resolve("dog.jpg"), new byte[] {1});
        Parsed parsed = BatchInput.read(write("r.csv", String.join("\r\n",
                "text,image,label",
                "\"first line\nsecond, with a comma and \"\"quotes\"\"\",dog.jpg,\"a, b\"",
                "plain text,,other",
                "")));
        assertThat(parsed.failures()).isEmpty();
        assertThat(parsed.rows()).extracting(Row::number).containsExactly(1, 2);
        assertThat(parsed.rows()).extracting(Row::line).containsExactly(2L, 4L);
        Row first = parsed.rows().get(0);
        assertThat(first.input().text()).contains("first line\nsecond, with a comma and \"quotes\"");
        assertThat(first.input().modalities()).isEqualTo(Set.of(Modality.TEXT, Modality.IMAGE));
        assertThat(first.label()).isEqualTo("a, b");
        assertThat(parsed.rows().get(1).input().modalities()).isEqualTo(Set.of(Modality.TEXT));
        assertThat(parsed.rows().get(1).label()).isEqualTo("other");
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderIsSkipped() throws IOException {
        Parsed csv = BatchInput.read(write("bom.csv", "\uFEFFText,Image\nhello,\n"));
        assertThat(csv.failures()).isEmpty();
        assertThat(csv.rows()).singleElement().satisfies(r -> {
            assertThat(r.input().text()).contains("hello");
            assertThat(r.label()).isNull();
        });
        Parsed jsonl = BatchInput.read(write("bom.jsonl", "\uFEFF{\"text\":\"hello\"}\n"));
        assertThat(jsonl.failures()).isEmpty();
        assertThat(jsonl.rows()).extracting(Row::number).containsExactly(1);
    }

    @Test
    void badRowsKeepTheRecordNumberAndTheLineTheyStartOn() throws IOException {
        Parsed parsed = BatchInput.read(write("r.csv", String.join("\n",
                "text,image",
                "\"two\nlines\",",
                "",
                "too,many,fields,here",
                ",",
                "a missing picture,nope.png",
                "fine,")));
        assertThat(parsed.rows()).extracting(Row::number).containsExactly(1, 6);
        assertThat(parsed.failures()).extracting(Failure::number).containsExactly(3, 4, 5);
        assertThat(parsed.failures()).extracting(Failure::line).containsExactly(5L, 6L, 7L);
        assertThat(parsed.failures().get(0)).hasToString(
                "row 3 (line 5): expected 2 or 3 fields (text,image[,label]), found 4");
        assertThat(parsed.failures().get(2).reason()).contains("nope.png").contains("does not exist");
    }

    @Test
    void aCsvNeedsItsHeader() throws IOException {
        assertUnreadable(write("r.csv", "hello,dog.jpg\n"), "needs the header text,image[,label], found hello,dog.jpg");
        assertUnreadable(write("empty.csv", ""), "is empty");
    }

    @Test
    void brokenQuotingStopsTheReadAtTheLineWhereTheRecordStarts() throws IOException {
        assertUnreadable(write("r.csv", "text,image\nok,\n\"never closed,\nmore,\nand more,\n"),
                "r.csv, line 3: not valid CSV (EOF reached before encapsulated token finished)");
        assertUnreadable(write("s.csv", "text,image\n\"quoted\"tail,\n"), "s.csv, line 2: not valid CSV");
    }

    @Test
    void notUtf8IsAnInputError() throws IOException {
        byte[] latin1 = "text,image\ncaf\u00e9,\n".getBytes(StandardCharsets.ISO_8859_1);
        assertUnreadable(Files.write(dir.resolve("r.csv"), latin1), "r.csv is not UTF-8 text");
    }

    @Test
    void jsonlRowsAreLinesAndBadLinesAreFailures() throws IOException {
        Parsed parsed = BatchInput.read(write("r.jsonl", String.join("\n",
                "{\"text\":\"a cat\",\"label\":\"animal\"}",
                "",
                "[1,2]",
                "{\"text\":{\"nested\":true}}",
                "{not json",
                "{\"text\":\"a dog\",\"image\":null}")));
        assertThat(parsed.rows()).extracting(Row::number).containsExactly(1, 6);
        assertThat(parsed.rows().get(0).label()).isEqualTo("animal");
        assertThat(parsed.failures()).extracting(Failure::number).containsExactly(3, 4, 5);
        assertThat(parsed.failures().get(0)).hasToString("row 3: expected a JSON object with text, image, label; "
                + "found [1,2]");
        assertThat(parsed.failures().get(1).reason()).contains("\"text\" must be a string");
    }
}
