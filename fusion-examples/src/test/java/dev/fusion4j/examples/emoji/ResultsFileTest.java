package dev.fusion4j.examples.emoji;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsFileTest {

    @Test
    void aSectionIsInsertedBeforeTheNamedOneThenReplacedInPlace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("results.md");
        Files.writeString(file, "# Title\n\n## A\n\na\n\n## Z\n\nz\n");
        ResultsFile.replaceSection(file, "## M", "## M\n\nfirst\n", "## Z");
        assertThat(Files.readString(file)).isEqualTo("# Title\n\n## A\n\na\n\n## M\n\nfirst\n\n## Z\n\nz\n");
        ResultsFile.replaceSection(file, "## M", "## M\n\nsecond\n", "## Z");
        assertThat(Files.readString(file)).isEqualTo("# Title\n\n## A\n\na\n\n## M\n\nsecond\n\n## Z\n\nz\n");
        ResultsFile.replaceSection(file, "## Q", "## Q\n\nq\n", "## none");
        assertThat(Files.readString(file)).endsWith("## Z\n\nz\n\n## Q\n\nq\n");
    }

    @Test
    void aHandWrittenReadingSurvivesARunThatRewritesItsSection(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("results.md");
        Files.writeString(file, "## A\n\nold table\n\n### Reading\n\n- by hand\n\n## Z\n\nz\n");
        ResultsFile.replaceSection(file, "## A", "## A\n\nnew table\n", "## Z");
        assertThat(Files.readString(file)).isEqualTo("## A\n\nnew table\n\n### Reading\n\n- by hand\n\n## Z\n\nz\n");
        // the last section keeps its reading too, and a run that writes its own reading replaces the old one
        Files.writeString(file, "## Z\n\nz\n\n### Reading\n\n- kept\n");
        ResultsFile.replaceSection(file, "## Z", "## Z\n\nz2\n", "## none");
        assertThat(Files.readString(file)).isEqualTo("## Z\n\nz2\n\n### Reading\n\n- kept\n");
        ResultsFile.replaceSection(file, "## Z", "## Z\n\nz3\n\n### Reading\n\n- new\n", "## none");
        assertThat(Files.readString(file)).isEqualTo("## Z\n\nz3\n\n### Reading\n\n- new\n");
    }
}
