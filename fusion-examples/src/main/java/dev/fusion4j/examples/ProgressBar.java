package dev.fusion4j.examples;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long step. On an interactive terminal a one-line bar redrawn with {@code \r}:
 * {@code [##########..........]  50%  150/300  embedding images  3.1 s}. Anywhere else (a pipe, a log file, a
 * test) no {@code \r} and no bar: a plain line at most every {@value #PLAIN_INTERVAL_SECONDS} seconds while
 * the step runs, and one when it is done.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    static final long PLAIN_INTERVAL_SECONDS = 10;
    private static final long PLAIN_INTERVAL_NANOS = PLAIN_INTERVAL_SECONDS * 1_000_000_000L;
    private final PrintStream out;
    private final String label;
    private final int total;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long start;
    private long lastPlainLine;
    private int lastPercent = -1;

    /** A bar on {@code out}, drawn as a bar only when {@code out} is the console's standard output. */
    ProgressBar(PrintStream out, String label, int total) {
        this(out, label, total, out == System.out && System.console() != null, System::nanoTime);
    }

    /** {@code terminal}: whether {@code out} is an interactive terminal; {@code nanoClock}: the time in ns. */
    ProgressBar(PrintStream out, String label, int total, boolean terminal, LongSupplier nanoClock) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.lastPlainLine = start;
        update(0);
    }

    /** Shows {@code done} of the total; redraws only when the percentage changes. */
    synchronized void update(int done) {
        int shown = Math.min(done, total);
        int percent = (int) (100L * shown / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        long now = nanoClock.getAsLong();
        if (terminal) {
            int filled = WIDTH * percent / 100;
            out.print("\r  [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + status(percent, shown, now));
            out.flush();
        } else if (percent < 100 && now - lastPlainLine >= PLAIN_INTERVAL_NANOS) {
            lastPlainLine = now;
            out.println("  " + status(percent, shown, now));
        }
    }

    /** Completes the bar and ends the line (off a terminal: prints the final line). */
    synchronized void done() {
        update(total);
        out.println(terminal ? "" : "  " + status(100, total, nanoClock.getAsLong()));
    }

    private String status(int percent, int shown, long now) {
        double seconds = (now - start) / 1e9;
        return String.format(Locale.ROOT, "%3d%%  %d/%d  %s  %.1f s", percent, shown, total, label, seconds);
    }
}
