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

    /** {@code GET /api/v1/alerts/{id}}: {@code {"alert": {...}, "history": [...]}}. */
    static JsonNode alertWithHistory(TestServer server, long id) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/alerts/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ResultJson.mapper().readTree(r.body());
    }
}
