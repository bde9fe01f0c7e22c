package dev.benchmon.server.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code benchmon push} to a server stopped by Ctrl-C or SIGTERM while it sends its requests: says at JVM shutdown how
 * many results the server's answers confirmed as stored, and that the same push again is safe, as
 * {@link ImportInterruption} does for an import; the push itself exited 130 or 143 saying nothing. Each request is its
 * own transaction, so what the answered ones stored stays stored; the one being sent when the stop came may have been
 * stored too, its answer never read. Running the same push again skips all of them: every result carries its
 * idempotency key ({@link PushCommand#againAdvice}).
 */
final class PushInterruption implements AutoCloseable {
    private final PrintWriter err;
    private final int total;
    private final int batchSize;
    private final boolean terminal;
    private final Thread hook = new Thread(this::say, "benchmon-push-interrupted");
    /** Results of the requests the server answered, the oldest by run_at ({@link SendOrder}). */
    private volatile int acknowledged;
    /** Whether a request is on its way, its answer not yet read. */
    private volatile boolean sending;

    private PushInterruption(PrintWriter err, int total, int batchSize, boolean terminal) {
        this.err = err;
        this.total = total;
        this.batchSize = batchSize;
        this.terminal = terminal;
    }

    /**
     * Watches a push of {@code total} results in requests of {@code batchSize} until {@link #close}: a shutdown
     * meanwhile says what is stored. {@code terminal}: a progress bar may hold the line, so the words start a new one.
     */
    static PushInterruption watch(PrintWriter err, int total, int batchSize, boolean terminal) {
        PushInterruption watch = new PushInterruption(err, total, batchSize, terminal);
        Runtime.getRuntime().addShutdownHook(watch.hook);
        return watch;
    }

    /** A request is about to be sent. */
    void sending() {
        sending = true;
    }

    /** The server answered the requests holding the first {@code results} results (in send order) as stored. */
    void answered(int results) {
        acknowledged = results;
        sending = false;
    }

    /** The push's requests are over (answered, or failed with a message of their own): a later shutdown says nothing. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook); // a JVM running many pushes (tests) keeps none
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now, and says what was stored
        }
    }

    private void say() {
        int done = acknowledged;
        int requests = (total + batchSize - 1) / batchSize;
        int answered = (done + batchSize - 1) / batchSize;
        String line;
        if (done >= total) {
            line = String.format(Locale.ROOT, "interrupted: all %,d result(s) are stored (the server answered all %d "
                    + "request(s)); the summary was cut short", total, requests);
        } else {
            String stored = done == 0 ? "interrupted: the server confirmed no result as stored"
                    : String.format(Locale.ROOT, "interrupted: %,d of %,d result(s), the oldest by run_at, are stored "
                    + "(the server answered requests 1-%d of %d)", done, total, answered, requests);
            line = stored + (sending ? String.format(Locale.ROOT, "; request %d was being sent, and the server may have "
                    + "stored it without its answer arriving", answered + 1) : "");
        }
        err.println((terminal ? System.lineSeparator() : "") + line + String.format("%n  running the same push again "
                + "is safe%s: results already stored are recognised by their idempotency keys and skipped",
                done >= total ? "" : " and stores the rest"));
        err.flush();
    }
}
