package dev.fusion4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The same input gives the same bits in another JVM: a second JVM runs {@link DeterminismProbe}. */
class CrossJvmDeterminismTest {

    @Test
    void everyStrategyGivesTheSameBitsInASecondJvm() throws IOException, InterruptedException {
        Map<String, String> here = DeterminismProbe.fingerprints();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dai.djl.offline=true", "-Xmx2g", DeterminismProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("second JVM output: %s", output).isZero();
        Map<String, String> there = new LinkedHashMap<>();
        for (String line : output.strip().split("\n")) {
            String[] parts = line.strip().split(" ");
            if (parts.length == 2) {
                there.put(parts[0], parts[1]);
            }
        }
        assertThat(there).as("second JVM output: %s", output).containsExactlyEntriesOf(here);
        assertThat(here.keySet()).containsAll(List.of("concat", "attention-token", "bilinear-compact", "default-full"));
    }
}
