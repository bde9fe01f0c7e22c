package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.benchmon.server.api.ResultsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-input corpus (issue 12): hundreds of requests across every endpoint with control
 * characters, NUL, lone surrogates, surrounding whitespace, out-of-range dates, duplicate keys,
 * unknown names and bad option values. Each must answer a 4xx JSON error naming the parameter or
 * field at fault (for unknown names: a 404 listing the known ones) and store nothing, or be one of
 * the documented valid edge cases ({@link #VALID_EDGE_CASES}), which must answer 2xx.
 *
 * <p>Runs on the embedded PostgreSQL and, when {@code BENCHMON_TEST_DB_URL} is set (as {@code .ci/run}
 * does), on that external server too.
 */
class HostileInputCorpusTest {
    private static final Map<String, TestServer> SERVERS = new LinkedHashMap<>();

    /**
     * One request and what it must answer.
     *
     * @param status 400, 404 or 415, or 201/200 for a documented valid edge case
     * @param field  the details[].field the error must name (for a 404: the kind of name), or null
     */
    record Case(String method, String path, String body, String contentType, int status, String field) {
        @Override
        public String toString() {
            return method + " " + path + (body == null ? "" : " " + abbreviate(body)) + " -> " + status
                    + (field == null ? "" : " naming " + field);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** Hostile values of a name parameter, URL-encoded, and the status each must get. */
    private static final Map<String, Integer> NAME_VALUES = new LinkedHashMap<>();

    static {
        NAME_VALUES.put("a%00b", 400);           // NUL
        NAME_VALUES.put("bel%07", 400);          // a control character
        NAME_VALUES.put("x%1B%5B31m", 400);      // an ANSI escape sequence
        NAME_VALUES.put("trail%20", 400);        // trailing whitespace
        NAME_VALUES.put("%20lead", 400);         // leading whitespace
        NAME_VALUES.put("lone%ED%A0%80x", 400);  // a UTF-8-encoded lone surrogate
        NAME_VALUES.put("nonexistent_name", 404); // a well-formed name the database does not hold
    }

    private static final List<String> GET_ENDPOINTS = List.of("/api/v1/snapshots?", "/api/v1/history?",
            "/api/v1/trends?metric=f1&", "/api/v1/compare?", "/api/v1/regressions?");
    private static final List<String> NAME_PARAMS = List.of("environment", "model", "dataset", "prompt", "provider",
            "metric");

    /** Requests that look hostile but are valid, and why (also in docs: names are any text, kept exactly). */
    static final List<Case> VALID_EDGE_CASES = List.of(
            // A metric name with a comma, slash and non-ASCII letters, stored and found exactly.
            new Case("POST", "/api/v1/results", "{\"model_version\":\"m1\",\"dataset_version\":\"lm eval\",\"environment\":\"ci\","
                    + "\"metrics\":{\"acc,none\":0.5,\"eval/loss\":1,\"精度\":0.9}}", "application/json", 201, null),
            // A NaN among finite metrics is dropped with a warning; the rest is stored.
            new Case("POST", "/api/v1/results", "{\"model_version\":\"m1\",\"dataset_version\":\"d1\",\"environment\":\"ci\","
                    + "\"metrics\":{\"f1\":0.7,\"loss\":NaN}}", "application/json", 201, null),
            // A date-time without a zone is read as UTC (with a warning).
            new Case("POST", "/api/v1/results", "{\"model_version\":\"m1\",\"dataset_version\":\"d1\",\"environment\":\"ci\","
                    + "\"metrics\":{\"f1\":0.71},\"run_at\":\"2026-01-02 03:04:05\"}", "application/json", 201, null),
            // Inner spaces and Unicode in a filter value are a name like any other.
            new Case("GET", "/api/v1/snapshots?metric=acc%2Cnone", null, null, 200, null),
            new Case("GET", "/api/v1/history?model=m1,m2", null, null, 200, null),
            new Case("GET", "/api/v1/history?since=2026-01-01&until=9999-12-31", null, null, 200, null),
            new Case("GET", "/api/v1/history?since=1700000000", null, null, 200, null));

    static Stream<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        // Name parameters on every filtered endpoint.
        for (String endpoint : GET_ENDPOINTS) {
            for (String param : NAME_PARAMS) {
                if (endpoint.contains("trends") && param.equals("metric")) {
                    continue; // the trend's subject, given once: covered below
                }
                NAME_VALUES.forEach((value, status) -> cases.add(
                        new Case("GET", endpoint + param + "=" + value, null, null, status, param)));
            }
            // Tags: key=value, each part a name.
            cases.add(get(endpoint + "tag=suite%3Da%00b", 400, "tag"));
            cases.add(get(endpoint + "tag=suite%3Dnightly%20", 400, "tag"));
            cases.add(get(endpoint + "tag=%20suite%3Dnightly", 400, "tag"));
            cases.add(get(endpoint + "tag=novalue", 400, "tag"));
            cases.add(get(endpoint + "tag=suite%3Dweekly", 404, "tag"));
            // Dates past PostgreSQL's range, not dates at all, and a negative number (1969, not a time ago).
            for (String since : List.of("%2B294277-01-01", "294277-01-01", "99999-01-01", "yesterday", "2026-13-45",
                    "1e20", "2026-01-01T25:00:00Z", "9999999999999999", "-1")) {
                cases.add(get(endpoint + "since=" + since, 400, "since"));
            }
            cases.add(get(endpoint + "until=%2B294277-01-01", 400, "until"));
            cases.add(get(endpoint + "until=0000-00-00", 400, "until"));
            cases.add(get(endpoint + "since=2026-02-01&until=2026-01-01", 400, "until"));
            for (String last : List.of("999999w", "-5d", "0d", "P1000000D", "soon")) {
                cases.add(get(endpoint + "last=" + last, 400, "last"));
            }
            cases.add(get(endpoint + "format=xml", 400, "format"));
            cases.add(get(endpoint + "format=csv%00", 400, "format"));
            cases.add(get(endpoint + "colour=red", 400, "colour"));
            cases.add(get(endpoint + "evil%00name=1", 400, "evil\\u0000name"));
        }
        cases.add(get("/api/v1/history?limit=0", 400, "limit"));
        cases.add(get("/api/v1/history?limit=100001", 400, "limit"));
        cases.add(get("/api/v1/history?limit=1&limit=2", 400, "limit"));
        cases.add(get("/api/v1/trends", 400, "metric"));
        cases.add(get("/api/v1/trends?metric=f1&bucket=year", 400, "bucket"));
        cases.add(get("/api/v1/trends?metric=nonexistent_metric", 404, "metric"));
        cases.add(get("/api/v1/trends?metric=f%00", 400, "metric"));
        cases.add(get("/api/v1/trends?metric=f1%20", 400, "metric"));
        // Regression options.
        cases.add(get("/api/v1/regressions?threshold=-1", 400, "threshold"));
        cases.add(get("/api/v1/regressions?threshold=NaN", 400, "threshold"));
        cases.add(get("/api/v1/regressions?threshold=abc", 400, "threshold"));
        cases.add(get("/api/v1/regressions?absolute_threshold=-0.1", 400, "absolute_threshold"));
        cases.add(get("/api/v1/regressions?window=0", 400, "window"));
        cases.add(get("/api/v1/regressions?window=1001", 400, "window"));
        cases.add(get("/api/v1/regressions?baseline=average", 400, "baseline"));
        cases.add(get("/api/v1/regressions?baseline=pinned", 400, "baseline"));
        cases.add(get("/api/v1/regressions?baseline=pinned&baseline_transaction=-5", 400, "baseline"));
        cases.add(get("/api/v1/regressions?baseline_transaction=-5", 400, "baseline_transaction"));
        cases.add(get("/api/v1/regressions?baseline_transaction=abc", 400, "baseline_transaction"));
        cases.add(get("/api/v1/regressions?baseline_transaction=999999999", 400, "baseline_transaction"));
        cases.add(get("/api/v1/regressions?only_regressions=maybe", 400, "only_regressions"));
        cases.add(get("/api/v1/meta?format=xml", 400, "format"));
        cases.add(get("/api/v1/meta?model=m1", 400, "model"));

        // Writes: each must store nothing.
        String ok = "\"dataset_version\":\"d1\",\"metrics\":{\"f1\":0.5}";
        cases.add(post("{\"model_version\":\"a\\u0000b\"," + ok + "}", 400, "model_version"));
        cases.add(post("{\"model_version\":\"bel\\u0007\"," + ok + "}", 400, "model_version"));
        cases.add(post("{\"model_version\":\"lone\\ud800x\"," + ok + "}", 400, "model_version"));
        cases.add(post("{\"model_version\":\"lone\\udc00\"," + ok + "}", 400, "model_version"));
        cases.add(post("{\"model_version\":\"trail \"," + ok + "}", 400, "model_version"));
        cases.add(post("{\"model_version\":\" lead\"," + ok + "}", 400, "model_version"));
        cases.add(post("{\"model_version\":\"m\\u00a0\"," + ok + "}", 400, "model_version"));
        cases.add(post("{\"model_version\":\"dupA\",\"model_version\":\"dupB\"," + ok + "}", 400, "model_version"));
        cases.add(post("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1,\"f1\":2}}", 400, "metrics.f1"));
        cases.add(post("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1,\"F1\":2}}", 400, "metrics.f1"));
        cases.add(post("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f\\u00001\":1}}", 400, "metrics.f\u00001"));
        cases.add(post("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"" + "x".repeat(201) + "\":1}}", 400,
                "metrics." + "x".repeat(37) + "...")); // a name beyond 200 characters is quoted cut, as long values are
        cases.add(post("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{}}", 400, "metrics"));
        // Beyond double range: refused as too large (not read as Infinity and dropped, leaving "a" stored).
        cases.add(post("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1e400,\"a\":1}}", 400, "metrics.f1"));
        cases.add(post("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"loss\":NaN}}", 400, "metrics"));
        cases.add(post("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"loss\":null}}", 400, "metrics"));
        for (String env : List.of("\"a\\u0000b\"", "\" prod\"", "\"prod\\n\"", "7")) {
            cases.add(post("{\"model_version\":\"m\",\"environment\":" + env + "," + ok + "}", 400, "environment"));
        }
        for (String field : List.of("prompt_version", "model_provider", "commit_sha", "branch", "run_id", "triggered_by",
                "idempotency_key")) {
            cases.add(post("{\"model_version\":\"m\",\"" + field + "\":\"x\\u0000\"," + ok + "}", 400, field));
            cases.add(post("{\"model_version\":\"m\",\"" + field + "\":\"x \"," + ok + "}", 400, field));
        }
        cases.add(post("{\"model_version\":\"m\",\"notes\":\"a\\u0000b\"," + ok + "}", 400, "notes"));
        cases.add(post("{\"model_version\":\"m\",\"tags\":{\"k\":\"a\\u0000b\"}," + ok + "}", 400, "tags.k"));
        cases.add(post("{\"model_version\":\"m\",\"tags\":{\"k \":\"v\"}," + ok + "}", 400, "tags.k "));
        cases.add(post("{\"model_version\":\"m\",\"metadata\":{\"k\":\"a\\u0000b\"}," + ok + "}", 400, "metadata"));
        cases.add(post("{\"model_version\":\"m\",\"metadata\":{\"k\":[\"\\ud800\"]}," + ok + "}", 400, "metadata"));
        for (String runAt : List.of("\"+294277-01-01\"", "\"294277-01-01T00:00:00Z\"", "\"yesterday\"", "1e20",
                "\"2026-02-30T00:00:00Z\"", "true", "\"3000-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59Z\"")) {
            cases.add(post("{\"model_version\":\"m\",\"run_at\":" + runAt + "," + ok + "}", 400, "run_at"));
        }
        cases.add(post("{\"model_version\":\"m\",\"colour\":\"red\"," + ok + "}", 400, "colour"));
        cases.add(post("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1},\"stderr\":{\"f2\":0.1}}", 400,
                "stderr.f2"));
        cases.add(post("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1},\"n\":0.5}", 400, "n"));
        // Example ids and slices: a lone surrogate has no UTF-8 form (the driver would store '?').
        cases.add(post("{\"model_version\":\"m\"," + ok + ",\"examples\":[{\"id\":\"\\ud800\",\"score\":1}]}", 400,
                "examples[0].id"));
        cases.add(post("{\"model_version\":\"m\"," + ok + ",\"examples\":[{\"id\":\"\\ud800\",\"score\":1},"
                + "{\"id\":\"\\udbff\",\"score\":0}]}", 400, "examples[1].id"));
        cases.add(post("{\"model_version\":\"m\"," + ok + ",\"examples\":[{\"id\":\"q1\",\"score\":1,"
                + "\"slice\":{\"topic\":\"a\\udc00\"}}]}", 400, "examples[0].slice.topic"));
        cases.add(post("{\"model_version\":\"m\"," + ok + ",\"examples\":[{\"id\":\"q1\",\"score\":1,"
                + "\"slice\":{\"t\\ud800\":\"a\"}}]}", 400, "examples[0].slice"));
        cases.add(post("{\"results\":[{\"model_version\":\"m\"," + ok + "}],\"metric_definitions\":{\"f1\":{\"direction\":\"up\"}}}",
                400, "metric_definitions.f1.direction"));
        cases.add(post("{\"results\":[{\"model_version\":\"m\"," + ok + "}],\"extra\":1}", 400, "extra"));
        cases.add(post("{\"results\":{}}", 400, "results"));
        cases.add(post("[1, 2]", 400, "result"));
        cases.add(post("{\"model_version\":\"m\",", 400, "body"));
        cases.add(post("", 400, "body"));
        cases.add(post("[]", 400, "body"));
        cases.add(new Case("POST", "/api/v1/results?strict=true", "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"f1\":0.5,\"loss\":NaN}}", "application/json", 400, "metrics.loss"));
        cases.add(new Case("POST", "/api/v1/results?strict=maybe", "{\"model_version\":\"m\"," + ok + "}",
                "application/json", 400, "strict"));
        cases.add(new Case("POST", "/api/v1/results?model=m", "{\"model_version\":\"m\"," + ok + "}",
                "application/json", 400, "model"));
        cases.add(new Case("POST", "/api/v1/results", "{\"model_version\":\"m\"," + ok + "}", "text/plain", 415, null));
        cases.add(new Case("POST", "/api/v1/results", "{\"model_version\":\"m\"," + ok + "}", null, 415, null));
        return Stream.concat(cases.stream(), VALID_EDGE_CASES.stream());
    }

    private static Case get(String path, int status, String field) {
        return new Case("GET", path, null, null, status, field);
    }

    private static Case post(String body, int status, String field) {
        return new Case("POST", "/api/v1/results", body, "application/json", status, field);
    }

    /** The databases to run on: the embedded one, and BENCHMON_TEST_DB_URL's when it is set. */
    static Stream<String> targets() {
        String external = System.getenv("BENCHMON_TEST_DB_URL");
        return external == null || external.isBlank() ? Stream.of("embedded") : Stream.of("embedded", "external");
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> requests() {
        return targets().flatMap(t -> corpus().map(c -> org.junit.jupiter.params.provider.Arguments.of(t, c)));
    }

    private static synchronized TestServer server(String target) {
        return SERVERS.computeIfAbsent(target, t -> {
            TestServer s = t.equals("embedded") ? TestServer.start()
                    : TestServer.onExternal(System.getenv("BENCHMON_TEST_DB_URL"),
                    System.getenv().getOrDefault("BENCHMON_TEST_DB_USER", "postgres"),
                    System.getenv("BENCHMON_TEST_DB_PASSWORD"));
            // Names the corpus's "unknown" values are checked against.
            HttpResponse<String> seeded = s.postJson("/api/v1/results", "[{\"model_version\":\"m1\",\"dataset_version\":\"d1\","
                    + "\"environment\":\"ci\",\"model_provider\":\"prov\",\"tags\":{\"suite\":\"nightly\"},"
                    + "\"run_at\":\"2026-01-01T00:00:00Z\",\"metrics\":{\"f1\":0.8}},{\"model_version\":\"m2\","
                    + "\"dataset_version\":\"d1\",\"environment\":\"ci\",\"run_at\":\"2026-01-01T00:00:00Z\",\"metrics\":{\"f1\":0.6}}]");
            assertThat(seeded.statusCode()).as(seeded.body()).isEqualTo(201);
            return s;
        });
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(TestServer::close);
        SERVERS.clear();
    }

    private static long storedRows(TestServer s) {
        return s.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions")
                .mapTo(Long.class).one());
    }

    @Test
    void the_corpus_holds_at_least_150_requests_across_every_endpoint() {
        List<Case> all = corpus().toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(150);
        assertThat(all).extracting(c -> c.path().replaceAll("\\?.*", "")).contains("/api/v1/snapshots",
                "/api/v1/history", "/api/v1/trends", "/api/v1/compare", "/api/v1/regressions", "/api/v1/meta",
                "/api/v1/results");
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("requests")
    void each_hostile_request_answers_a_json_error_naming_the_problem_and_stores_nothing(String target, Case c) {
        TestServer s = server(target);
        long before = storedRows(s);
        HttpResponse<String> r = c.method().equals("GET") ? s.get(c.path())
                : s.post(c.path(), c.body(), c.contentType());
        long after = storedRows(s);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(c.status());
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = json(r);
        if (c.status() >= 400) {
            assertThat(after).as("nothing stored").isEqualTo(before);
            assertThat(body.get("error").asText()).isNotBlank();
            assertThat(body.get("status").asInt()).isEqualTo(c.status());
            if (c.field() != null) {
                assertThat(body.get("details").findValuesAsText("field")).as(r.body()).contains(c.field());
            }
            if (c.status() == 404) {
                assertThat(body.get("error").asText()).contains("(known: ");
            }
            assertThat(r.body()).doesNotContain("SQLSTATE", "retrying will not help");
            if (c.method().equals("GET")) {
                assertThat(body.get("error").asText()).doesNotContain("nothing was stored");
            }
        }
    }
}
