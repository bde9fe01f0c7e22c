package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.api.errors.ServiceUnavailableException;
import io.javalin.http.Context;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health}: 200 when the process runs and the database answers (and, with a read replica,
 * {@code BENCHMON_DB_READ_URL}, the replica too: every query reads it), else 503 with Retry-After.
 * {@code read_database} is there only with a replica. Answers within about 2 s (both databases are probed at once,
 * each with a bounded wait; {@link #ANSWER_WITHIN} at most), also when neither answers. Open to everyone (load balancers and probes carry
 * no token); it reveals no data.
 */
public final class HealthEndpoint {
    private final Benchmon benchmon;

    public HealthEndpoint(Benchmon benchmon) {
        this.benchmon = benchmon;
    }

    /** The longest {@code /health} waits for a database's answer; one that has not answered by then is down. */
    static final Duration ANSWER_WITHIN = Duration.ofMillis(2_500);

    /** Daemon threads for the probes, so that a probe still waiting never keeps the process alive. */
    private static final ExecutorService PROBES = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "benchmon-health-probe");
        t.setDaemon(true);
        return t;
    });

    private static CompletableFuture<Boolean> probe(BooleanSupplier check) {
        return CompletableFuture.supplyAsync(check::getAsBoolean, PROBES)
                .completeOnTimeout(false, ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(e -> false);
    }

    public void get(Context ctx) {
        boolean replica = benchmon.hasReadReplica();
        // Each probe is bounded (Database.isHealthy: about 2 s); with both databases down one after the other took
        // two pool timeouts (10 s), so they run side by side, and the answer never waits past ANSWER_WITHIN.
        CompletableFuture<Boolean> primaryProbe = probe(benchmon::isHealthy);
        CompletableFuture<Boolean> readProbe = replica ? probe(benchmon::isReadHealthy)
                : CompletableFuture.completedFuture(true);
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
