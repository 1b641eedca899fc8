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
}
