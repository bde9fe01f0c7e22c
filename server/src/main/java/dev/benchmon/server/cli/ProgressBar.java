package dev.benchmon.server.cli;

import java.io.PrintWriter;

/**
 * The one-line progress bar {@code import} and {@code push} draw on standard error while they write: redrawn in place
 * ({@code \r}) on a terminal, nothing at all otherwise (a CI log or a file gets the summary alone).
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean shown;
    private final long total;
    private boolean open;

    /** A bar of {@code total} items on {@code err}, drawn only when {@code terminal}. */
    ProgressBar(PrintWriter err, boolean terminal, long total) {
        this.err = err;
        this.shown = terminal;
        this.total = total;
    }

    /** {@code [#########.....] done/total}, 30 marks wide. */
    static String text(long done, long total) {
        int filled = total == 0 ? WIDTH : (int) (done * WIDTH / total);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total;
    }

    /** Redraws the bar at {@code done} of the total. */
    void update(long done) {
        if (shown) {
            err.print("\r" + text(done, total));
            err.flush();
            open = true;
        }
    }

    /** Ends the bar's line, so that what is printed next starts on a line of its own; a no-op when none is drawn. */
    void end() {
        if (open) {
            err.println();
            err.flush();
            open = false;
        }
    }
}
