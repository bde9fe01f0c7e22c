package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/compare}'s refusals of a and b, and what its rows say, over real HTTP on the shared server. */
class CompareParametersApiTest {
    @SharedServer
    private static TestServer server;

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return ResultJson.mapper().readTree(r.body());
    }

    @Test
    void empty_a_and_b_are_a_400_naming_each_and_nothing_else() throws IOException {
        HttpResponse<String> r = server.get("/api/v1/compare?paired=true&a=&b=");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("details").findValuesAsText("field")).containsExactly("a", "b");
        assertThat(json(r).get("details").findValuesAsText("message")).allMatch(m -> m.startsWith("is empty"));
    }

    @Test
    void an_empty_a_without_b_is_a_400_naming_a_as_empty_and_b_as_missing() throws IOException {
        HttpResponse<String> r = server.get("/api/v1/compare?paired=true&a=");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("details").findValuesAsText("field")).containsExactly("a", "b");
        assertThat(json(r).get("details").get(0).path("message").asText()).startsWith("is empty");
        assertThat(json(r).get("details").get(1).path("message").asText()).startsWith("paired=true compares two things");
    }

    @Test
    void an_unknown_a_names_the_parameter_and_the_value_and_where_to_find_names() throws IOException {
        server.postJson("/api/v1/results", "{\"model_version\":\"cmp-params-known\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"f1\":0.5}}");

        HttpResponse<String> r = server.get("/api/v1/compare?paired=true&a=nope%3Cx%3E&b=cmp-params-known");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).path("error").asText()).startsWith("a: no model or result is named 'nope<x>' (known: ")
                .contains("cmp-params-known").endsWith("give a model version (GET /api/v1/meta lists them), a "
                        + "result id as #123 or a CI run id as run:555");
        assertThat(json(r).get("details").findValuesAsText("field")).containsExactly("a");
    }

    @Test
    void a_row_the_reference_has_no_result_beside_says_nothing_was_compared_not_the_difference_only() throws IOException {
        for (String body : new String[] {
                "{\"model_version\":\"cmp-noref-a\",\"dataset_version\":\"d-a\",\"metrics\":{\"f1\":0.5}}",
                "{\"model_version\":\"cmp-noref-b\",\"dataset_version\":\"d-b\",\"metrics\":{\"f1\":0.6}}"}) {
            assertThat(server.postJson("/api/v1/results", body).statusCode()).isEqualTo(201);
        }

        JsonNode rows = json(server.get("/api/v1/compare?model=cmp-noref-a,cmp-noref-b")).get("rows");

        JsonNode b = java.util.stream.StreamSupport.stream(rows.spliterator(), false)
                .filter(r -> r.path("model_version").asText().equals("cmp-noref-b")).findFirst().orElseThrow();
        assertThat(b.path("reference").asText()).isEqualTo("cmp-noref-a");
        assertThat(b.path("method").asText()).isEqualTo("no_reference");
        assertThat(b.path("diff").isNull()).isTrue();
    }
}
