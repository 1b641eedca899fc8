package dev.fusion4j.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A bar redrawn with {@code \r} on a terminal; plain, sparse lines in a log. */
class ProgressBarTest {
    private static final long SECOND = 1_000_000_000L;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong(42 * SECOND);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** 100 steps of one second each, then done. */
    private void runHundredSeconds(ProgressBar bar) {
        for (int i = 1; i <= 100; i++) {
            clock.addAndGet(SECOND);
            bar.update(i);
        }
        bar.done();
    }

    @Test
    void offATerminalItWritesAPlainLineEveryTenSecondsAndNoCarriageReturn() {
        runHundredSeconds(new ProgressBar(out, "embedding", 100, false, clock::get));
        String log = printed();
        assertThat(log).doesNotContain("\r").doesNotContain("[#");
        assertThat(log.lines()).hasSize(10).allMatch(l -> l.endsWith(" s") && l.contains("embedding"));
        assertThat(log.lines().findFirst()).contains("   10%  10/100  embedding  10.0 s");
        assertThat(log.lines().reduce((a, b) -> b)).contains("  100%  100/100  embedding  100.0 s");
    }

    @Test
    void aShortStepOffATerminalPrintsOnlyItsFinalLine() {
        ProgressBar bar = new ProgressBar(out, "loading", 2, false, clock::get);
        bar.update(1);
        clock.addAndGet(SECOND / 2);
        bar.done();
        assertThat(printed()).isEqualTo("  100%  2/2  loading  0.5 s" + System.lineSeparator());
    }

    @Test
    void onATerminalItRedrawsOneLineWithCarriageReturns() {
        runHundredSeconds(new ProgressBar(out, "embedding", 100, true, clock::get));
        String screen = printed();
        assertThat(screen.chars().filter(c -> c == '\r')).hasSize(101);   // 0%, then each percent
        assertThat(screen.split("\n", -1)).as("one line, then the newline of done()").hasSize(2);
        assertThat(screen).startsWith("\r  [" + ".".repeat(30) + "]   0%  0/100")
                .endsWith("\r  [" + "#".repeat(30) + "] 100%  100/100  embedding  100.0 s" + System.lineSeparator());
    }

    @Test
    void aStreamThatIsNotTheConsoleGetsNoBar() {
        ProgressBar bar = new ProgressBar(out, "work", 4);
        bar.update(2);
        bar.done();
        assertThat(printed()).doesNotContain("\r").contains("100%  4/4  work").hasLineCount(1);
    }
}
