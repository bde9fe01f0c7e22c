package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.api.errors.ServiceUnavailableException;
import io.javalin.http.Context;

import java.lang.management.ManagementFactory;

/**
 * {@code GET /health}: 200 when the process runs and the database answers, else 503 with
 * Retry-After. Open to everyone (load balancers and probes carry no token); it reveals no data.
 */
public final class HealthEndpoint {
    private final Benchmon benchmon;

    public HealthEndpoint(Benchmon benchmon) {
        this.benchmon = benchmon;
    }

    public void get(Context ctx) {
        boolean database = benchmon.isHealthy();
        ObjectNode body = ResultJson.mapper().createObjectNode();
        body.put("status", database ? "ok" : "unavailable");
        body.put("process", "up");
        body.put("database", database ? "up" : "down");
        body.put("uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        if (!database) {
            body.put("error", "the database does not answer; retry later");
            ctx.header("Retry-After",
                    ServiceUnavailableException.retryAfterSeconds(ServiceUnavailableException.DEFAULT_RETRY_AFTER));
        }
        ctx.status(database ? 200 : 503).contentType("application/json; charset=utf-8").result(body.toString());
    }
}
