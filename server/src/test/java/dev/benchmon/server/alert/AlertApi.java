package dev.benchmon.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.TestServer;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert endpoints as this package's tests call them over HTTP, each answer's status checked. */
final class AlertApi {
    private AlertApi() {
    }

    /** {@code POST /api/v1/runs/{run}/annotations} by ana: the 201 answer. */
    static JsonNode annotate(TestServer server, long run, String kind, String text) throws Exception {
        HttpResponse<String> r = server.postJson("/api/v1/runs/" + run + "/annotations",
                "{\"kind\": \"" + kind + "\", \"text\": \"" + text + "\", \"actor\": \"ana\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ResultJson.mapper().readTree(r.body());
    }

    /** The first run of these tests' series: run h of a series runs h hours after it. */
    static final java.time.Instant T0 = java.time.Instant.parse("2026-01-01T00:00:00Z");

    /**
     * {@code POST /api/v1/results} of one run of {@code model / d @ci}: run {@code h} (at T0 + h hours, commit c{h}, CI
     * run 100 + h) with {@code metric} = {@code value}; the id it is stored under.
     */
    static long push(TestServer server, String model, int h, String metric, double value) throws Exception {
        HttpResponse<String> r = server.postJson("/api/v1/results", "[{\"model_version\":\"" + model
                + "\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\"" + T0.plusSeconds(3600L * h)
                + "\",\"commit_sha\":\"c" + h + "\",\"run_id\":\"" + (100 + h) + "\",\"metrics\":{\"" + metric
                + "\":" + value + "}}]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ResultJson.mapper().readTree(r.body()).path("results").get(0).path("id").asLong();
    }

    /** The one alert of series {@code model}, as {@code GET /api/v1/alerts?model=} lists it (checked to be one). */
    static JsonNode onlyAlert(TestServer server, String model) throws Exception {
        JsonNode list = ResultJson.mapper().readTree(server.get("/api/v1/alerts?model=" + model).body());
        assertThat(list.path("alerts")).as(list.toString()).hasSize(1);
        return list.path("alerts").get(0);
    }

    /** {@code GET /api/v1/alerts/{id}}: {@code {"alert": {...}, "history": [...]}}. */
    static JsonNode alertWithHistory(TestServer server, long id) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/alerts/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ResultJson.mapper().readTree(r.body());
    }
}
