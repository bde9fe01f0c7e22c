package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ingest.ResultJson;
import io.javalin.http.Context;

import java.util.List;

/**
 * {@code GET /api/v1}: what the API serves, one entry an endpoint (method, path, what it does, the token it needs), for
 * someone who found the server before its documentation (docs/QUICKREF.md). Open to all, as {@code /health} is: it
 * holds no data.
 */
final class ApiIndex {
    /** One endpoint: {@code token} is {@code read}, {@code write} or {@code triage} (when the server has tokens). */
    record Endpoint(String method, String path, String does, String token) {
    }

    /** Every route under {@link ApiRoutes#PREFIX}, as ApiRoutes and AlertEndpoints register them. */
    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/results", "push results: JSON (one, an array, or {\"results\": [...]}), JSON Lines or "
                    + "CSV (Content-Type: text/csv or ?format=csv), or a tool's output (?format=lm-eval, ...); "
                    + "?strict=true refuses NaN, null and non-number values instead of dropping them", "write"),
            new Endpoint("GET", "/snapshots", "the latest result of each series (filters: model, dataset, environment, "
                    + "prompt, metric, tag, since, last)", "read"),
            new Endpoint("GET", "/history", "results, newest first (limit=N, or limit=all with format=csv|jsonl)", "read"),
            new Endpoint("GET", "/trends", "a metric over time in buckets (metric=NAME, bucket=hour|day|week)", "read"),
            new Endpoint("GET", "/compare", "models side by side, or two results item by item (paired=true)", "read"),
            new Endpoint("GET", "/regressions", "each series' newest verdicts, as push judged them", "read"),
            new Endpoint("GET", "/change-points", "where a series' metrics shifted level, between which commits", "read"),
            new Endpoint("GET", "/meta", "the names the dashboard's filters offer, and the metric definitions", "read"),
            new Endpoint("GET", "/names", "type-ahead: models, datasets, environments, prompts or metrics by prefix",
                    "read"),
            new Endpoint("GET", "/metrics", "metric definitions: direction, unit, minimum effect", "read"),
            new Endpoint("GET", "/metrics/{name}", "one metric's definition", "read"),
            new Endpoint("PUT", "/metrics/{name}", "define a metric (direction, unit, min_effect, description); its "
                    + "series are judged again at once", "write"),
            new Endpoint("GET", "/alerts", "regression alerts (state=open|acknowledged|muted|expected|resolved|all)",
                    "read"),
            new Endpoint("GET", "/alerts/deliveries", "notifications sent for alerts, and their outcome", "read"),
            new Endpoint("GET", "/alerts/{id}", "one alert with its whole history", "read"),
            new Endpoint("POST", "/alerts/{id}/state", "triage: {\"state\": \"acknowledged\" (or expected, resolved, open, muted), \"comment\", \"actor\"}",
                    "triage"),
            new Endpoint("POST", "/alerts/{id}/unmute", "end the mute an alert is under", "triage"),
            new Endpoint("GET", "/runs/{id}/annotations", "a run's notes and exclusion", "read"),
            new Endpoint("POST", "/runs/{id}/annotations", "{\"kind\": \"note\" | \"excluded\" (left out of baselines) | \"included\", \"text\", \"actor\"}",
                    "triage"),
            new Endpoint("GET", "/mutes", "mutes in force", "read"),
            new Endpoint("POST", "/series/{id}/mutes", "mute a series' alerts: {\"metric\" (optional), \"reason\", \"until\": instant or \"for\": \"7d\"}", "triage"),
            new Endpoint("POST", "/series/{id}/unmute", "end a series' mute", "triage"));

    private ApiIndex() {
    }

    /**
     * Makes {@code config}'s server check, as it starts, that this index lists every API route it serves and serves
     * every route listed ({@link #requireListed}), from the routes Javalin reports as they are added (its
     * {@code handlerAdded} event; HTTP methods only, not before and after handlers). The index is a hand list, each
     * entry saying what it does and its token: a route added without an entry, or an entry left after its route went,
     * stops the start, so that {@code GET /api/v1} never lies. Call it before the routes are added.
     */
    static void checkOnStart(io.javalin.config.JavalinConfig config) {
        List<String> served = new java.util.ArrayList<>();
        config.events.handlerAdded(h -> {
            if (h.getHttpMethod().isHttpMethod()) {
                served.add(h.getHttpMethod().name() + " " + h.getPath());
            }
        });
        config.events.serverStarting(() -> requireListed(served));
    }

    /**
     * Checks the index against the routes a server registered ({@code served}: {@code "GET /api/v1/history"}, an HTTP
     * method and a path as Javalin's handlerAdded event names them; routes outside {@link ApiRoutes#PREFIX} and the
     * index itself are not its to list), once, as it starts ({@link #checkOnStart}).
     *
     * @throws IllegalStateException naming each API route served and not listed, and each listed and not served; or
     *                               when no route was recorded at all (the check could not run)
     */
    static void requireListed(java.util.Collection<String> served) {
        if (served.isEmpty()) {
            throw new IllegalStateException("no route was recorded, so GET " + ApiRoutes.PREFIX
                    + " cannot be checked against the routes served");
        }
        java.util.Set<String> listed = new java.util.LinkedHashSet<>();
        ENDPOINTS.forEach(e -> listed.add(e.method() + " " + ApiRoutes.PREFIX + e.path()));
        List<String> problems = new java.util.ArrayList<>();
        java.util.Set<String> api = new java.util.HashSet<>();
        for (String route : served) {
            String path = route.substring(route.indexOf(' ') + 1);
            if (!path.startsWith(ApiRoutes.PREFIX + "/") || path.equals(ApiRoutes.PREFIX + "/")) {
                continue;
            }
            api.add(route);
            if (!listed.contains(route)) {
                problems.add(route + " is served but not listed in ApiIndex.ENDPOINTS");
            }
        }
        listed.stream().filter(r -> !api.contains(r)).forEach(r -> problems.add(r + " is listed in ApiIndex.ENDPOINTS "
                + "but not served"));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("GET " + ApiRoutes.PREFIX + " does not match the API: "
                    + String.join("; ", problems));
        }
    }

    static void get(Context ctx) {
        ObjectNode root = ResultJson.mapper().createObjectNode();
        root.put("api", "benchmon").put("version", "v1").put("prefix", ApiRoutes.PREFIX)
                .put("tokens", "send 'Authorization: Bearer TOKEN' when the server has tokens: the read token for "
                        + "reads, the write token for pushes and definitions, the triage or write token for triage")
                .put("errors", "4xx and 5xx answers are JSON: {\"error\": ..., \"details\": [{\"field\": ..., "
                        + "\"message\": ...}]}");
        ArrayNode list = root.putArray("endpoints");
        for (Endpoint e : ENDPOINTS) {
            list.addObject().put("method", e.method()).put("path", ApiRoutes.PREFIX + e.path()).put("does", e.does())
                    .put("token", e.token());
        }
        list.addObject().put("method", "GET").put("path", "/health").put("does", "whether the database answers")
                .put("token", "none");
        list.addObject().put("method", "GET").put("path", "/metrics").put("does", "Prometheus metrics of this server")
                .put("token", "read");
        ctx.contentType("application/json; charset=utf-8").result(root.toString());
    }
}
