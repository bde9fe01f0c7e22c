package dev.benchmon.server.api;

import dev.benchmon.server.ServerContext;
import dev.benchmon.server.ServerSettings;
import dev.benchmon.server.api.errors.ErrorResponses;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;

/**
 * Declares the API on the app being configured: request ids, metrics, errors, and the routes with
 * their token checks. Every handler is a plain function of the request context.
 */
public final class ApiRoutes {
    /** Version prefix of the JSON API. */
    public static final String PREFIX = "/api/v1";

    private ApiRoutes() {
    }

    /** Adds the API to {@code config}; {@code metrics} collects request counts and latencies. */
    public static void register(JavalinConfig config, ServerContext context, ServerSettings settings, HttpMetrics metrics) {
        RoutesConfig routes = config.routes; // RequestIds::assign runs before every route (BenchmonServer)
        ApiIndex.checkOnStart(config); // first: it records the routes added after it
        config.requestLogger.http(metrics::record);
        ErrorResponses.register(routes);

        var tokens = context.tokens();
        var results = new ResultsEndpoint(context.benchmon(), settings.maxBodyBytes(), settings.maxResultsPerRequest(), metrics,
                context.alerting());
        var queries = new QueryEndpoints(context.benchmon());
        // The triage token is valid here, for triage and alert reads only: a write or another read with it is told so (403).
        java.util.function.Predicate<String> triageToken = context.alerting() == null ? presented -> false
                : context.alerting().triage()::isTriageToken;
        routes.get(PREFIX, ApiIndex::get);
        routes.get(PREFIX + "/", ApiIndex::get);
        routes.post(PREFIX + "/results", Auth.write(tokens, triageToken, results::post));
        routes.get(PREFIX + "/snapshots", Auth.read(tokens, triageToken, queries::snapshots));
        routes.get(PREFIX + "/history", Auth.read(tokens, triageToken, queries::history));
        routes.get(PREFIX + "/trends", Auth.read(tokens, triageToken, queries::trends));
        routes.get(PREFIX + "/compare", Auth.read(tokens, triageToken, new CompareEndpoint(context.benchmon())::get));
        routes.get(PREFIX + "/regressions", Auth.read(tokens, triageToken, queries::regressions));
        routes.get(PREFIX + "/change-points", Auth.read(tokens, triageToken, queries::changePoints));
        routes.get(PREFIX + "/meta", Auth.read(tokens, triageToken, queries::meta));
        routes.get(PREFIX + "/names", Auth.read(tokens, triageToken, new NamesEndpoint(context.benchmon())::get));
        dev.benchmon.server.alert.AlertEndpoints.register(routes, PREFIX, context.alerting());
        var metricDefs = new MetricsEndpoint(context.benchmon());
        routes.get(PREFIX + "/metrics", Auth.read(tokens, triageToken, metricDefs::list));
        routes.get(PREFIX + "/metrics/{name}", Auth.read(tokens, triageToken, metricDefs::get));
        routes.put(PREFIX + "/metrics/{name}", Auth.write(tokens, triageToken, metricDefs::put));
        routes.get("/health", new HealthEndpoint(context.benchmon())::get);
        routes.get("/metrics", Auth.read(tokens, triageToken, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.render())));
    }
}
