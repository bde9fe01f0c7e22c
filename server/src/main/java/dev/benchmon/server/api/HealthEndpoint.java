package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.api.errors.ServiceUnavailableException;
import io.javalin.http.Context;

import java.lang.management.ManagementFactory;

/**
 * {@code GET /health}: 200 when the process runs and the database answers (and, with a read replica,
 * {@code BENCHMON_DB_READ_URL}, the replica too: every query reads it), else 503 with Retry-After.
 * {@code read_database} is there only with a replica. Open to everyone (load balancers and probes carry
 * no token); it reveals no data.
 */
public final class HealthEndpoint {
    private final Benchmon benchmon;

    public HealthEndpoint(Benchmon benchmon) {
        this.benchmon = benchmon;
    }

    public void get(Context ctx) {
        boolean database = benchmon.isHealthy();
        boolean replica = benchmon.hasReadReplica();
        boolean reads = !replica || benchmon.isReadHealthy();
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
            body.put("error", !database ? "the database does not answer; retry later"
                    : "the read database (the replica BENCHMON_DB_READ_URL names) does not answer, so every query "
                    + "fails; pushes still reach the database. Retry later");
            ctx.header("Retry-After",
                    ServiceUnavailableException.retryAfterSeconds(ServiceUnavailableException.DEFAULT_RETRY_AFTER));
        }
        ctx.status(ok ? 200 : 503).contentType("application/json; charset=utf-8").result(body.toString());
    }
}
