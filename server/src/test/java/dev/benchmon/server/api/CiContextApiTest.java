package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static dev.benchmon.server.api.ResultsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CI job's push over plain HTTP, as {@code curl --data @results.json} sends it: the run's context in the query, and
 * a re-run of the job (same run_id) reported as the run's next attempt. Real HTTP on an open loopback server.
 */
class CiContextApiTest {
    @SharedServer
    private static TestServer server;

    private static String lmEvalFile() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("..", "toolkit", "src", "test", "resources",
                    "adapters", "lm-eval-results.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode historyRows(String model) {
        return json(server.get("/api/v1/history?model=" + model)).path("rows");
    }

    @Test
    void aToolsFilePostedWithTheRunsContextInTheQueryIsStoredWithIt() {
        HttpResponse<String> r = server.postJson("/api/v1/results?format=lm-eval&model_version=ctx-lm&environment=ci"
                + "&commit_sha=abc&branch=main&run_id=7001&triggered_by=ana", lmEvalFile());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).at("/results/0/series").asText()).endsWith("@ci");
        JsonNode rows = historyRows("ctx-lm");
        assertThat(rows).hasSize(3).allSatisfy(row -> {
            assertThat(row.path("environment").asText()).isEqualTo("ci");
            assertThat(row.path("commit_sha").asText()).isEqualTo("abc");
            assertThat(row.path("branch").asText()).isEqualTo("main");
            assertThat(row.path("run_id").asText()).isEqualTo("7001");
            assertThat(row.path("triggered_by").asText()).isEqualTo("ana");
        });
    }

    @Test
    void theQuerysContextReplacesWhatTheBodySaysAsPushsFlagsReplaceAFiles() {
        HttpResponse<String> r = server.postJson("/api/v1/results?environment=ci&run_id=7002",
                "{\"model_version\":\"ctx-own\",\"dataset_version\":\"d\",\"environment\":\"local\",\"run_id\":\"1\","
                        + "\"commit_sha\":\"kept\",\"metrics\":{\"f1\":0.5}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode row = historyRows("ctx-own").get(0);
        assertThat(row.path("environment").asText()).isEqualTo("ci");
        assertThat(row.path("run_id").asText()).isEqualTo("7002");
        assertThat(row.path("commit_sha").asText()).as("a field the query leaves alone").isEqualTo("kept");
    }

    @Test
    void aBadContextParameterIsA400NamingItOnceAndStoresNothing() {
        HttpResponse<String> r = server.postJson("/api/v1/results?format=lm-eval&model_version=ctx-bad&environment=%20",
                lmEvalFile());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("details")).singleElement().satisfies(d -> {
            assertThat(d.get("field").asText()).isEqualTo("environment");
            assertThat(d.get("message").asText()).contains("blank");
        });
        assertThat(historyRows("ctx-bad")).isEmpty();
    }

    private static String run(String model, double f1) {
        return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_id\":\"9001\","
                + "\"run_at\":\"2026-11-30T10:00:00Z\",\"metrics\":{\"f1\":" + f1 + "}}";
    }

    @Test
    void aCiReRunIsReportedAsItsRunsNextAttempt() {
        JsonNode first = json(server.postJson("/api/v1/results", run("rerun-api", 0.80)));
        JsonNode again = json(server.postJson("/api/v1/results", run("rerun-api", 0.82)));

        assertThat(first.at("/results/0/attempt").asInt()).isEqualTo(1);
        assertThat(again.at("/results/0/status").asText()).isEqualTo("created");
        assertThat(again.at("/results/0/attempt").asInt()).as(again.toString()).isEqualTo(2);
    }
}
