package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /api/v1/results stores an accuracy sent as a percentage as sent (201) and says in {@code warnings} that a share
 * belongs in [0, 1], naming the field; a fraction gets no such warning.
 */
class ProportionRangeApiTest {
    @SharedServer
    private static TestServer server;

    @Test
    void a_percentage_of_a_proportion_is_stored_with_a_warning_naming_the_field() throws Exception {
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"range-api\","
                + "\"dataset_version\":\"d\",\"run_id\":\"r1\",\"metrics\":{\"exact_match\":71.2}}");

        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode body = ResultJson.mapper().readTree(r.body());
        assertThat(body.path("created").asInt()).isEqualTo(1);
        assertThat(body.path("warnings")).singleElement().satisfies(w -> {
            assertThat(w.path("field").asText()).isEqualTo("metrics.exact_match");
            assertThat(w.path("code").asText()).isEqualTo("proportion_out_of_range");
            assertThat(w.path("message").asText()).startsWith("71.2 is outside [0, 1], though exact_match is a proportion")
                    .contains("0.712 for 71.2%");
        });
    }

    @Test
    void a_fraction_gets_no_warning() throws Exception {
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"range-api\","
                + "\"dataset_version\":\"d2\",\"run_id\":\"r2\",\"metrics\":{\"exact_match\":0.712}}");

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(ResultJson.mapper().readTree(r.body()).path("warnings")).isEmpty();
    }

    @Test
    void a_single_post_is_checked_against_the_units_the_database_defines() throws Exception {
        server.benchmon().defineMetric("range_api_pass_share", dev.benchmon.MetricDirection.HIGHER_IS_BETTER, "ratio", null)
                .defineMetric("range_api_accuracy", dev.benchmon.MetricDirection.HIGHER_IS_BETTER, "%", null);

        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"range-api\","
                + "\"dataset_version\":\"d3\",\"run_id\":\"r3\",\"metrics\":{\"range_api_pass_share\":87.5,"
                + "\"range_api_accuracy\":87.5}}");

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(ResultJson.mapper().readTree(r.body()).path("warnings")).singleElement().satisfies(w -> {
            assertThat(w.path("field").asText()).isEqualTo("metrics.range_api_pass_share");
            assertThat(w.path("message").asText()).contains("its definition's unit is 'ratio'");
        });
    }

    @Test
    void a_batch_is_checked_against_the_units_defined_before_it_and_those_it_states() throws Exception {
        // Defined before the push, not stated in it: a unit-less name read as a proportion, and a share in percent.
        server.benchmon().defineMetric("range_batch_solved", dev.benchmon.MetricDirection.HIGHER_IS_BETTER, "ratio", null)
                .defineMetric("range_batch_pass_share", dev.benchmon.MetricDirection.HIGHER_IS_BETTER, "%", null);

        HttpResponse<String> r = server.postJson("/api/v1/results", """
                {"metric_definitions": {"range_batch_win_share": {"direction": "higher_is_better", "unit": "ratio"}},
                 "results": [
                   {"model_version": "range-api", "dataset_version": "d4", "run_id": "r4",
                    "metrics": {"range_batch_solved": 87.5, "range_batch_pass_share": 87.5}},
                   {"model_version": "range-api", "dataset_version": "d5", "run_id": "r5",
                    "metrics": {"range_batch_win_share": 61.0}}]}""");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode warnings = ResultJson.mapper().readTree(r.body()).path("warnings");
        assertThat(warnings).extracting(w -> w.path("field").asText())
                .containsExactlyInAnyOrder("metrics.range_batch_solved", "metrics.range_batch_win_share");
        assertThat(warnings).allSatisfy(w -> assertThat(w.path("message").asText())
                .contains("its definition's unit is 'ratio'"));
    }
}
