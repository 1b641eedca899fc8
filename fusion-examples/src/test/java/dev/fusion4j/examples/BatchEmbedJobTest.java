package dev.fusion4j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user-data job: bad rows are named and skipped, every good row is still written; the command line
 * refuses what it does not know, and every outcome has its exit code.
 */
class BatchEmbedJobTest {
    @TempDir
    Path dir;

    /** One run: its exit code and what it printed on each stream. */
    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BatchEmbedJob.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path goodCsv() throws IOException {
        return Files.writeString(dir.resolve("good.csv"), "text,image\nhello,\n", StandardCharsets.UTF_8);
    }

    @Test
    void badRowsAreListedAndTheRestIsWritten() throws Exception {
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
        Path jsonl = dir.resolve("out.jsonl");
        Result r = run("--input", csv.toString(), "--output", jsonl.toString());
        assertThat(r.code()).isEqualTo(BatchEmbedJob.SOME_ROWS_FAILED).isEqualTo(1);
        assertThat(r.out()).contains("3 of 6 rows written", "3 rows failed:", "row 3 (line 5): ", "nope.png",
                "row 4 (line 6): expected 2 or 3 fields", "row 5 (line 7): ").doesNotContain("row 1", "row 2", "row 6");
        assertThat(r.out()).as("no progress bar redraws off a terminal").doesNotContain("\r");
        assertThat(r.err()).isEmpty();
        List<String> lines = Files.readAllLines(jsonl);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("{\"row\":1,\"label\":\"animal\",\"embedding\":[");
        assertThat(lines.get(1)).startsWith("{\"row\":2,\"label\":\"other\",");
        assertThat(lines.get(2)).startsWith("{\"row\":6,");

        Path bin = dir.resolve("out.f32");
        assertThat(run("--input", csv.toString(), "--output", bin.toString(), "--strategy", "attention").code())
                .isEqualTo(1);
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

    @Test
    void everyRowWrittenExitsZero() throws Exception {
        Path jsonl = Files.writeString(dir.resolve("records.jsonl"), "\uFEFF{\"text\":\"a cat\",\"label\":\"animal\"}\n"
                + "{\"text\":\"a cup of coffee\"}\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("out.jsonl");
        Result r = run("--input", jsonl.toString(), "--output", out.toString(), "--strategy", "weighted-sum");
        assertThat(r.code()).isEqualTo(BatchEmbedJob.OK).isZero();
        assertThat(r.out()).contains("2 of 2 rows written").doesNotContain("failed", "\r");
        assertThat(r.err()).isEmpty();
        assertThat(Files.readAllLines(out)).extracting(l -> l.substring(0, 9))
                .containsExactly("{\"row\":1,", "{\"row\":2,");
    }

    @Test
    void helpListsTheOptionsTheStrategiesAndTheExitCodes() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().replaceAll("\\s+", " ")).as("wrapped lines joined")
                .contains("the fusion strategy: concat, weighted-sum, attention, low-rank, compact (default: concat)");
        assertThat(r.out()).contains("Usage: fusion-demo", "--input=FILE", "--output=FILE", "--strategy=NAME",
                "--version", "Exit codes:")
                .containsPattern("(?m)^\\s+0\\s+every row")
                .containsPattern("(?m)^\\s+1\\s+the output was written, but some rows were bad")
                .containsPattern("(?m)^\\s+2\\s+usage error")
                .containsPattern("(?m)^\\s+3\\s+nothing written");
    }

    @Test
    void versionIsTheBuildsVersion() {
        Result r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out().strip()).matches("fusion4j \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void anUnknownOptionIsRefusedBeforeAnythingIsRead() throws IOException {
        Path out = dir.resolve("out.jsonl");
        Result r = run("--input", goodCsv().toString(), "--output", out.toString(), "--batch-size", "8");
        assertThat(r.code()).isEqualTo(BatchEmbedJob.USAGE).isEqualTo(2);
        assertThat(r.err()).startsWith("error: Unknown options: '--batch-size', '8'").contains("--help");
        assertThat(r.out()).isEmpty();
        assertThat(out).doesNotExist();
    }

    @Test
    void anUnknownStrategyIsRefusedNamingTheAllowedOnes() throws IOException {
        Result r = run("--input", goodCsv().toString(), "--output", dir.resolve("o.jsonl").toString(),
                "--strategy", "fancy");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown strategy 'fancy': use one of concat, weighted-sum, attention, "
                + "low-rank, compact");
    }

    @Test
    void missingOrRepeatedOptionsAreUsageErrors() throws IOException {
        assertThat(run().code()).isEqualTo(2);
        Result noOutput = run("--input", goodCsv().toString());
        assertThat(noOutput.code()).isEqualTo(2);
        assertThat(noOutput.err()).contains("Missing required option: '--output=FILE'");
        assertThat(run("--input", "a.csv", "--input", "b.csv", "--output", "o.jsonl").code()).isEqualTo(2);
        assertThat(run("--input", "a.csv", "--output", "o.jsonl", "stray").code()).isEqualTo(2);
    }

    @Test
    void aMissingInputFileIsOneClearLine() {
        Path missing = dir.resolve("nope.csv");
        Result r = run("--input", missing.toString(), "--output", dir.resolve("o.jsonl").toString());
        assertThat(r.code()).isEqualTo(BatchEmbedJob.FAILED).isEqualTo(3);
        assertThat(r.err()).isEqualTo("error: input file " + missing + " does not exist" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnwritableOutputOrAnUnreadableInputFailsWithoutLoadingTheModels() throws IOException {
        Path csv = goodCsv();
        Result noDir = run("--input", csv.toString(), "--output", dir.resolve("no/such/dir/o.jsonl").toString());
        assertThat(noDir.code()).isEqualTo(3);
        assertThat(noDir.err()).hasLineCount(1).contains("cannot write", "does not exist");
        Result isDir = run("--input", csv.toString(), "--output", dir.toString());
        assertThat(isDir.code()).isEqualTo(3);
        assertThat(isDir.err()).hasLineCount(1).contains("it is a directory");
        Path noHeader = Files.writeString(dir.resolve("h.csv"), "hello,\n", StandardCharsets.UTF_8);
        Result r = run("--input", noHeader.toString(), "--output", dir.resolve("o.jsonl").toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).hasLineCount(1).contains("needs the header text,image[,label]");
        assertThat(dir.resolve("o.jsonl")).doesNotExist();
    }
}
