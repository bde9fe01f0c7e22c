package dev.benchmon.server.cli;

import dev.benchmon.db.EmbeddedPostgresServer;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code benchmon import} stopped by Ctrl-C or SIGTERM: one or two lines saying what is stored, instead of the stack
 * traces and SQL of a chunk whose database went away under it. At JVM shutdown (before this process leaves an embedded
 * PostgreSQL, which it stops when no other process uses it: {@link EmbeddedPostgresServer#runBeforeShutdown}), {@link #stop} asks the import to stop at
 * its next chunk boundary and waits up to {@link #WAIT} for it: the chunk being written then commits, the import
 * says how far it got ({@link #stopped}), and the database stops with no statement running. A chunk that takes
 * longer is rolled back (the database stops under it), and the shutdown step says so itself; what the import's
 * thread then fails with is not printed ({@link #reported}).
 *
 * <p>Running the same import again stores the rest: every result has an idempotency key (its own, or one derived
 * from its run id and run_at or from its whole content, {@code IdempotencyKeys}), so a result already stored is
 * recognised and skipped.
 */
final class ImportInterruption {
    /** How long the shutdown waits for the chunk being written to commit. */
    static final long WAIT = 10;

    private final PrintWriter err;
    private final long total;
    private final boolean terminal;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean reported = new AtomicBoolean();
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile long stored;
    /** The shutdown hook of its own, when the database is not an embedded one; else null. */
    private volatile Thread hook;

    /** Thrown from the progress callback at a chunk boundary once a shutdown asked the import to stop. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("interrupted", null, false, false);
        }
    }

    private ImportInterruption(PrintWriter err, long total, boolean terminal) {
        this.err = err;
        this.total = total;
        this.terminal = terminal;
    }

    /**
     * Watches an import of {@code total} results: before this process leaves {@code embedded} at shutdown (every user
     * of an embedded server runs such steps first, and the last one stops it), else in a shutdown hook of its own (an
     * external database rolls the chunk back when this process's connection goes).
     */
    static ImportInterruption watch(EmbeddedPostgresServer embedded, PrintWriter err, long total, boolean terminal) {
        ImportInterruption watch = new ImportInterruption(err, total, terminal);
        if (embedded != null) {
            embedded.runBeforeShutdown(watch::stop);
        } else {
            watch.hook = new Thread(watch::stop, "benchmon-import-interrupted");
            Runtime.getRuntime().addShutdownHook(watch.hook);
        }
        return watch;
    }

    /** Blocks the import's thread for good: the JVM is shutting down, and halts once the shutdown steps are done. */
    static void awaitExit() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // still exiting
            }
        }
    }

    /** After each committed chunk: {@code done} results are stored; throws {@link Stopped} when a shutdown asked to stop. */
    void committed(long done) {
        stored = done;
        if (requested.get()) {
            throw new Stopped();
        }
    }

    /** The import ended (done, failed, or {@link Stopped}): a shutdown waiting for it goes on. */
    void settled() {
        settled.countDown();
        Thread own = hook;
        if (own != null && !requested.get()) {
            try {
                Runtime.getRuntime().removeShutdownHook(own); // a JVM running many imports (tests) keeps none
            } catch (IllegalStateException shuttingDown) {
                // it runs now, and finds the import ended
            }
        }
    }

    /** The import stopped at a chunk boundary as asked: says what is stored. */
    void stopped() {
        say(false);
    }

    /**
     * {@code true} once a shutdown said what is stored: whatever the import's thread fails with next (its database
     * stopped under it) is the interruption, said already.
     */
    boolean reported() {
        return reported.get();
    }

    /** {@code true} once a shutdown asked the import to stop. */
    boolean requested() {
        return requested.get();
    }

    private void stop() {
        requested.set(true);
        try {
            if (settled.await(WAIT, TimeUnit.SECONDS)) {
                return; // stopped at a chunk boundary (and said so), or ended
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        say(true);
    }

    private void say(boolean chunkRolledBack) {
        if (!reported.compareAndSet(false, true)) {
            return;
        }
        long done = stored;
        long chunks = done / dev.benchmon.ingest.ResultWriter.CHUNK_SIZE + (done % dev.benchmon.ingest.ResultWriter.CHUNK_SIZE == 0 ? 0 : 1);
        String line;
        if (done >= total && total > 0) {
            line = String.format(Locale.ROOT, "interrupted: all %,d result(s) are stored, but judging them was cut "
                    + "short%n  run `benchmon metrics recompute --open-alerts` to judge them and open their alerts "
                    + "(importing the file again stores nothing, and so opens no alert)", done);
        } else {
            String rest = chunkRolledBack ? "the chunk being written was rolled back" : "the rest was not written";
            String what = done == 0 ? "interrupted: nothing was stored (" + rest + ")"
                    : String.format(Locale.ROOT, "interrupted: %,d of the input's %,d result(s) are stored (chunk%s "
                    + "committed); %s", done, total, chunks == 1 ? " 1" : "s 1-" + chunks, rest);
            line = what + String.format("%n  run the same import again to store the rest: results already stored "
                    + "are recognised by their idempotency keys and skipped%n  then `benchmon metrics recompute "
                    + "--open-alerts`: the runs stored before the interruption open no alert through the import");
        }
        err.println((terminal ? System.lineSeparator() : "") + line);
        err.flush();
    }
}
