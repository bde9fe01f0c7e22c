package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.api.errors.ServiceUnavailableException;
import io.javalin.http.Context;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health}: 200 when the process runs and the database answers (and, with a read replica,
 * {@code BENCHMON_DB_READ_URL}, the replica too: every query reads it), else 503 with Retry-After.
 * {@code read_database} is there only with a replica. Answers within about 2 s (both databases are probed at once,
 * each with a bounded wait; {@link #ANSWER_WITHIN} at most), also when neither answers. Open to everyone (load balancers and probes carry
 * no token); it reveals no data. Concurrent requests share one probe per database (two threads at most).
 */
public final class HealthEndpoint {
    private final Benchmon benchmon;
    private final SharedProbe primary;
    private final SharedProbe reads;

    public HealthEndpoint(Benchmon benchmon) {
        this.benchmon = benchmon;
        // At most one probe per database runs at a time (requests meanwhile share it), so two threads suffice; the
        // endpoint is open to everyone, and while a database hangs each request must not hold a thread of its own.
        ThreadPoolExecutor probes = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2),
                task -> {
                    Thread t = new Thread(task, "benchmon-health-probe");
                    t.setDaemon(true); // a probe still waiting never keeps the process alive
                    return t;
                });
        probes.allowCoreThreadTimeOut(true);
        this.primary = new SharedProbe(benchmon::isHealthy, probes);
        this.reads = new SharedProbe(benchmon::isReadHealthy, probes);
    }

    /** The longest {@code /health} waits for a database's answer; one that has not answered by then is down. */
    static final Duration ANSWER_WITHIN = Duration.ofMillis(2_500);

    /**
     * One database's probe, shared: a request that arrives while a probe runs waits for that one instead of starting
     * another; a request after it ends starts a fresh one (no answer is kept, so a database back up shows at once).
     */
    static final class SharedProbe {
        private final BooleanSupplier check;
        private final Executor executor;
        private CompletableFuture<Boolean> running;

        SharedProbe(BooleanSupplier check, Executor executor) {
            this.check = check;
            this.executor = executor;
        }

        /** Whether the database answered, completed within {@link #ANSWER_WITHIN} (false when it did not). */
        CompletableFuture<Boolean> answer() {
            CompletableFuture<Boolean> probe;
            synchronized (this) {
                if (running == null || running.isDone()) {
                    try {
                        running = CompletableFuture.supplyAsync(check::getAsBoolean, executor);
                    } catch (RejectedExecutionException e) {
                        return CompletableFuture.completedFuture(false); // probes of the last one still hang: down
                    }
                }
                probe = running;
            }
            // A dependent of its own: the timeout completes this request's answer, not the shared probe.
            return probe.thenApply(up -> up).completeOnTimeout(false, ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionally(e -> false);
        }
    }

    public void get(Context ctx) {
        boolean replica = benchmon.hasReadReplica();
        // Each probe is bounded (Database.isHealthy: about 2 s); with both databases down one after the other took
        // two pool timeouts (10 s), so they run side by side, and the answer never waits past ANSWER_WITHIN.
        CompletableFuture<Boolean> primaryProbe = primary.answer();
        CompletableFuture<Boolean> readProbe = replica ? reads.answer() : CompletableFuture.completedFuture(true);
        boolean database = primaryProbe.join();
        boolean reads = readProbe.join();
        boolean ok = database && reads;
        ObjectNode body = ResultJson.mapper().createObjectNode();
        body.put("status", ok ? "ok" : "unavailable");
        body.put("process", "up");
        body.put("database", database ? "up" : "down");
        if (replica) {
            body.put("read_database", reads ? "up" : "down");
        }
        body.put("uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        if (!ok) {
            body.put("error", !database && !reads ? "neither the database nor the read database (the replica "
                    + "BENCHMON_DB_READ_URL names) answers; retry later"
                    : !database ? "the database does not answer; retry later"
                    : "the read database (the replica BENCHMON_DB_READ_URL names) does not answer, so every query "
                    + "fails; pushes still reach the database. Retry later");
            ctx.header("Retry-After",
                    ServiceUnavailableException.retryAfterSeconds(ServiceUnavailableException.DEFAULT_RETRY_AFTER));
        }
        ctx.status(ok ? 200 : 503).contentType("application/json; charset=utf-8").result(body.toString());
    }
}
