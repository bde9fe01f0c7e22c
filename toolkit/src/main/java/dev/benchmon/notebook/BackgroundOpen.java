package dev.benchmon.notebook;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmonException;

import java.io.PrintStream;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * {@link Benchmon#open()} started early on a background thread and collected later, so that a
 * session's own start-up work overlaps the database's. The JShell startup script
 * ({@code notebooks/benchmon.jsh}) calls {@link #begin()} first, so the embedded PostgreSQL starts
 * while JShell compiles the rest of the script, and ends with {@code var bm = BackgroundOpen.awaitOrExplain(System.err)}
 * (on a database that cannot open: {@code bm} is {@code null} and the reason and what to do are printed).
 *
 * <p>Progress lines of a first start (initdb, migrations) are printed by the background thread as
 * they happen. Errors are those of {@link Benchmon#open(Map)}, thrown by {@link #get()} unwrapped.
 */
public final class BackgroundOpen {
    private static BackgroundOpen session; // the one begin() started in this JVM

    private final CompletableFuture<Benchmon> opening = new CompletableFuture<>();

    private BackgroundOpen(Map<String, String> env) {
        Thread t = new Thread(() -> {
            try {
                opening.complete(Benchmon.open(env));
            } catch (Throwable e) {
                opening.completeExceptionally(e);
            }
        }, "benchmon-open");
        t.setDaemon(true); // an exit while the database starts is not held up by this thread
        t.start();
    }

    /** Starts {@link Benchmon#open(Map)} with {@code env} on a daemon thread named {@code benchmon-open}. */
    public static BackgroundOpen start(Map<String, String> env) {
        return new BackgroundOpen(Map.copyOf(env));
    }

    /**
     * Waits for the open and returns its {@link Benchmon} (the same one on every call). Throws what
     * {@link Benchmon#open(Map)} threw (a {@link dev.benchmon.ConfigurationException} or
     * {@link dev.benchmon.DatabaseException} naming the setting or database at fault), not a wrapper.
     */
    public Benchmon get() {
        try {
            return opening.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the benchmon database was opening", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new CompletionException(cause);
        }
    }

    /** Starts {@link Benchmon#open()} in the background for this JVM's session, unless it was started already. */
    public static synchronized void begin() {
        if (session == null) {
            session = start(System.getenv());
        }
    }

    /** The session's {@link Benchmon}: waits for the open {@link #begin()} started (starting it now if none was); see {@link #get()}. */
    public static Benchmon await() {
        BackgroundOpen s;
        synchronized (BackgroundOpen.class) {
            begin();
            s = session;
        }
        return s.get();
    }

    /**
     * {@link #await()} for the JShell startup script: the session's {@link Benchmon}, or, when it cannot open (a
     * {@link BenchmonException}: a database that does not exist, a refused login, a bad setting), {@code null} after
     * printing to {@code err} one line with the reason and one with what to do next, instead of a stack trace.
     */
    public static Benchmon awaitOrExplain(PrintStream err) {
        try {
            return await();
        } catch (BenchmonException e) {
            err.println("benchmon: cannot open bm: " + e.getMessage());
            err.println(NOT_OPEN_HINT);
            return null;
        }
    }

    /** What to do when {@code bm} did not open: the environment of a running JShell is fixed, so it names the ways that work. */
    public static final String NOT_OPEN_HINT = "bm is not open: fix the cause above, then type  var bm = Benchmon.open()"
            + "  (a running session keeps its BENCHMON_DB_URL: to change it, /exit and start again with it fixed)";
}
