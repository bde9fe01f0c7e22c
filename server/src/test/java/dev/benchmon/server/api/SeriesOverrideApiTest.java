package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.benchmon.server.api.ResultsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/results} with a series parameter ({@code dataset_version}, {@code model_version}) that makes
 * results the body states apart one series: refused (400 naming the parameter) when they would be one run, stored with
 * a warning when they are runs at different run_at. Real HTTP on a loopback server.
 */
class SeriesOverrideApiTest {
    @SharedServer
    private static TestServer server;

    private static String lmEvalThreeTasks() throws IOException {
        return Files.readString(Path.of("..", "toolkit", "src", "test", "resources", "adapters", "lm-eval-three-tasks.json"));
    }

    /**
     * Asserts {@code r} is a 400 of one problem, of {@code field}, and that nothing of {@code model} is stored.
     *
     * @return the problem's message, to assert on
     */
    private static org.assertj.core.api.AbstractStringAssert<?> assertRefusedStoringNothing(HttpResponse<String> r,
                                                                                           String field, String model) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode details = json(r).get("details");
        assertThat(details).hasSize(1);
        assertThat(details.get(0).get("field").asText()).isEqualTo(field);
        assertThat(json(server.get("/api/v1/history?model=" + model)).path("rows")).isEmpty();
        return assertThat(details.get(0).get("message").asText());
    }

    @Test
    void aDatasetVersionThatMakesAnLmEvalFilesTasksOneRunIsA400NamingTheParameterAndStoresNothing() throws IOException {
        HttpResponse<String> r = server.postJson("/api/v1/results?format=lm-eval&model_version=api-merge"
                + "&dataset_version=harness-v1&run_id=4242", lmEvalThreeTasks());

        assertRefusedStoringNothing(r, "dataset_version", "api-merge").startsWith("dataset_version=harness-v1 would "
                        + "make the datasets hellaswag and arc_easy one series (api-merge / harness-v1 @local) in "
                        + "one run (run_id 4242, keyed without the results' run_at")
                .contains("leave the dataset_version parameter out, or send them in separate requests");
    }

    @Test
    void aModelVersionThatMakesTwoModelsOfBenchmonsOwnBodyOneRunIsA400() {
        HttpResponse<String> r = server.postJson("/api/v1/results?model_version=api-own", """
                [{"model_version":"a","dataset_version":"d","run_at":"2026-01-01T00:00:00Z","metrics":{"f1":0.5}},
                 {"model_version":"b","dataset_version":"d","run_at":"2026-01-01T00:00:00Z","metrics":{"f1":0.9}}]""");

        assertRefusedStoringNothing(r, "model_version", "api-own").startsWith("model_version=api-own would make the "
                + "models a and b one series");
    }

    @Test
    void modelsMadeOneSeriesAtDifferentRunAtAreStoredAsItsRunsWithAWarningSayingSo() {
        HttpResponse<String> r = server.postJson("/api/v1/results?model_version=api-runs", """
                [{"model_version":"a","dataset_version":"d","run_at":"2026-01-01T00:00:00Z","metrics":{"f1":0.5}},
                 {"model_version":"b","dataset_version":"d","run_at":"2026-01-02T00:00:00Z","metrics":{"f1":0.9}}]""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode warnings = json(r).get("warnings");
        assertThat(warnings.toString()).contains("model_version=api-runs put 2 of the input's models (a and b) into "
                + "one series (api-runs / d @local)");
        assertThat(json(server.get("/api/v1/history?model=api-runs")).path("rows")).hasSize(2);
    }
}
