package dev.fusion4j.examples;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line console progress bar: {@code [##########..........]  50%  150/300  embedding images  3.1 s}. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final String label;
    private final int total;
    private final long start = System.nanoTime();
    private int lastPercent = -1;

    ProgressBar(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        update(0);
    }

    /** Shows {@code done} of the total; redraws only when the percentage changes. */
    synchronized void update(int done) {
        int percent = (int) (100L * Math.min(done, total) / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = WIDTH * percent / 100;
        out.printf(Locale.ROOT, "\r  [%s%s] %3d%%  %d/%d  %s  %.1f s", "#".repeat(filled), ".".repeat(WIDTH - filled),
                percent, Math.min(done, total), total, label, (System.nanoTime() - start) / 1e9);
        out.flush();
    }

    /** Completes the bar and ends the line. */
    synchronized void done() {
        update(total);
        out.println();
    }
}
