package dev.fusion4j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The user-data job: bad rows are named (row and line) and skipped, every good row is still written. */
class BatchEmbedJobTest {

    @Test
    void badRowsAreListedAndTheRestIsWritten(@TempDir Path dir) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/samples/dog.jpg")) {
            Files.write(dir.resolve("dog.jpg"), in.readAllBytes());
        }
        Files.write(dir.resolve("broken.png"), new byte[] {1, 2, 3});
        Path csv = dir.resolve("records.csv");
        Files.writeString(csv, "\uFEFF" + String.join("\n",
                "text,image,label",
                "\"a dog, next to a bike\",dog.jpg,animal",
                "\"just some text\nover two lines\",,other",
                "a missing picture,nope.png,animal",
                "too,many,fields,here",
                "a broken picture,broken.png,other",
                ",dog.jpg,animal",
                ""), StandardCharsets.UTF_8);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path jsonl = dir.resolve("out.jsonl");
        int code = BatchEmbedJob.run(new String[] {"--input", csv.toString(), "--output", jsonl.toString()},
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String printed = log.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(2);
        assertThat(printed).contains("3 of 6 rows written", "3 rows failed:", "row 3 (line 5): ", "nope.png",
                "row 4 (line 6): expected 2 or 3 fields", "row 5 (line 7): ").doesNotContain("row 1", "row 2", "row 6");
        List<String> lines = Files.readAllLines(jsonl);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("{\"row\":1,\"label\":\"animal\",\"embedding\":[");
        assertThat(lines.get(1)).startsWith("{\"row\":2,\"label\":\"other\",");
        assertThat(lines.get(2)).startsWith("{\"row\":6,");

        Path bin = dir.resolve("out.f32");
        assertThat(BatchEmbedJob.run(new String[] {"--input", csv.toString(), "--output", bin.toString(),
                "--strategy", "attention"}, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isEqualTo(2);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        b.get(magic);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("F4JEMB01");
        int count = b.getInt();
        int dim = b.getInt();
        assertThat(count).isEqualTo(3);
        assertThat(dim).isEqualTo(256);
        assertThat(b.remaining()).isEqualTo(count * (4 + 4 * dim));
        assertThat(b.getInt()).isEqualTo(1);
    }
}
