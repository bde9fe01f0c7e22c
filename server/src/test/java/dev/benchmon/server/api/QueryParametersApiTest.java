package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.InvalidArgumentException;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;

import static dev.benchmon.server.api.ResultsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The read API's parameters over HTTP: each refused by the toolkit's own rule, and one an endpoint does not take
 * refused as unknown only. Model "qp-m" with one result of f1 on dataset "d".
 */
class QueryParametersApiTest {
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        server.benchmon().record(BenchmarkResult.builder("qp-m", "d").metric("f1", 0.9).build());
        server.benchmon().record(BenchmarkResult.builder("qp-day", "d").runAt(java.time.Instant.parse("2026-11-30T15:00:00Z"))
                .metric("f1", 0.9).build());
    }

    private static int historyRows(String range) {
        HttpResponse<String> r = server.get("/api/v1/history?model=qp-day&" + range);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).get("row_count").asInt();
    }

    @Test
    void an_until_date_alone_takes_in_the_whole_of_that_day_as_the_dashboards_to_date_does() {
        assertThat(historyRows("since=2026-11-30&until=2026-11-30")).isEqualTo(1);
        assertThat(historyRows("until=2026-11-30")).isEqualTo(1);
        assertThat(historyRows("until=2026-11-29")).isZero();
    }

    @Test
    void an_until_time_stays_the_exclusive_end_it_names() {
        assertThat(historyRows("until=2026-11-30T00:00:00Z")).isZero();
        assertThat(historyRows("until=2026-11-30T15:00:00Z")).isZero();
        assertThat(historyRows("until=2026-11-30T15:00:01Z")).isEqualTo(1);
    }

    @Test
    void an_until_day_before_since_is_a_400_naming_until_and_the_day_as_typed() {
        JsonNode problem = onlyProblem(server.get("/api/v1/history?since=2026-12-05&until=2026-11-30"));

        assertThat(problem.path("field").asText()).isEqualTo("until");
        assertThat(problem.path("message").asText())
                .isEqualTo("until 2026-11-30 (through the end of that day, UTC) must be after since 2026-12-05");
    }

    @Test
    void an_until_time_not_after_since_is_a_400_naming_both_times_as_typed() {
        HttpResponse<String> r = server.get("/api/v1/snapshots?since=2026-11-30T12:00:00Z&until=2026-11-30%2012:00");
        JsonNode problem = onlyProblem(r);

        assertThat(problem.path("field").asText()).isEqualTo("until");
        assertThat(problem.path("message").asText())
                .isEqualTo("until 2026-11-30 12:00 must be after since 2026-11-30T12:00:00Z");
        assertThat(json(r).path("error").asText()).isEqualTo("invalid query parameter 'until': until 2026-11-30 12:00 "
                + "must be after since 2026-11-30T12:00:00Z");
    }

    @Test
    void since_and_until_read_a_lower_case_t_and_z_and_a_leap_second_as_a_run_at_is_read() {
        assertThat(historyRows("since=2026-11-30t15:00:00z")).isEqualTo(1);
        assertThat(historyRows("until=2026-11-30t15:00:00z")).isZero();
        assertThat(historyRows("since=2016-12-31T23:59:60Z&until=2026-11-30T15:00:01Z")).isEqualTo(1);
    }

    @Test
    void an_offset_whose_plus_the_url_made_a_space_is_a_400_saying_to_write_it_as_percent_2b() {
        JsonNode problem = onlyProblem(server.get("/api/v1/history?since=2026-11-30T16:00:00+01:00"));

        assertThat(problem.path("field").asText()).isEqualTo("since");
        assertThat(problem.path("message").asText()).startsWith("'2026-11-30T16:00:00 01:00' is not a date-time")
                .endsWith("; a '+' in a URL's query means a space: write the offset's '+' as %2B "
                        + "(2026-11-30T16:00:00%2B01:00) or give the time in UTC with Z");
        assertThat(historyRows("since=2026-11-30T16:00:00%2B01:00")).isEqualTo(historyRows("since=2026-11-30T15:00:00Z"));
    }

    @Test
    void a_since_of_minus_zero_is_epoch_zero_not_a_negative_number() {
        assertThat(historyRows("since=-0")).isEqualTo(historyRows("since=0"));
    }

    // -1 was read as epoch seconds, 1969-12-31T23:59:59Z: since=-1 answered every result, as if it were a time ago.
    @Test
    void a_negative_since_is_a_400_naming_since_not_every_result_from_before_1970_on() {
        JsonNode problem = onlyProblem(server.get("/api/v1/history?since=-1"));

        assertThat(problem.path("field").asText()).isEqualTo("since");
        assertThat(problem.path("message").asText()).isEqualTo("'-1' is a negative number, epoch seconds before 1970 "
                + "(1969-12-31T23:59:59Z) and so before any result, not a time ago; give a date-time such as 2026-01-31, "
                + "or for the latest days' results last=7d");
    }

    @Test
    void a_negative_until_is_a_400_naming_until_not_an_empty_answer() {
        JsonNode problem = onlyProblem(server.get("/api/v1/history?until=-1.5"));

        assertThat(problem.path("field").asText()).isEqualTo("until");
        assertThat(problem.path("message").asText()).startsWith("'-1.5' is a negative number, epoch seconds before 1970 "
                + "(1969-12-31T23:59:58.500Z)").doesNotContain("last=");
    }

    /** The one problem of a 400 answer (and that there is one only). */
    private static JsonNode onlyProblem(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode details = json(r).get("details");
        assertThat(details).as(r.body()).hasSize(1);
        return details.get(0);
    }

    @Test
    void a_threshold_above_1_is_a_400_naming_threshold_in_the_words_the_java_api_refuses_it() {
        InvalidArgumentException java = catchThrowableOfType(
                () -> server.benchmon().detectRegressions("qp-m", 5), InvalidArgumentException.class);

        JsonNode problem = onlyProblem(server.get("/api/v1/regressions?threshold=5"));

        assertThat(problem.get("field").asText()).isEqualTo("threshold");
        assertThat(problem.get("message").asText()).isEqualTo(java.problems().get(0).message())
                .contains("at most 1").contains("(500%)");
    }

    @Test
    void a_threshold_of_1e300_is_a_400_naming_threshold_without_a_percentage_it_could_not_be() {
        JsonNode problem = onlyProblem(server.get("/api/v1/regressions?threshold=1e300"));

        assertThat(problem.get("field").asText()).isEqualTo("threshold");
        assertThat(problem.get("message").asText()).contains("at most 1").endsWith("got 1.0E300");
    }

    @Test
    void a_threshold_that_is_no_number_is_refused_stating_the_fraction_rule() {
        JsonNode problem = onlyProblem(server.get("/api/v1/regressions?threshold=five"));

        assertThat(problem.get("message").asText()).isEqualTo(
                "must be a finite number >= 0 and at most 1, a fraction of the baseline (0.05 means 5%), got 'five'");
    }

    @Test
    void a_negative_absolute_threshold_is_refused_as_a_number_in_the_metrics_own_unit_not_a_fraction() {
        JsonNode problem = onlyProblem(server.get("/api/v1/regressions?absolute_threshold=-5"));

        assertThat(problem.get("field").asText()).isEqualTo("absolute_threshold");
        assertThat(problem.get("message").asText()).contains(">= 0 in the metric's own unit").contains("got -5.0")
                .doesNotContain("0.05 means 5%");
    }

    @Test
    void an_absolute_threshold_above_1_is_taken_as_it_is_in_the_metrics_unit() {
        HttpResponse<String> r = server.get("/api/v1/regressions?absolute_threshold=5");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        // taken (a client of the simple rule keeps working), not applied by the engine: a warning, not an option
        assertThat(json(r).path("options").has("absolute_threshold")).isFalse();
        assertThat(json(r).path("warnings").findValuesAsText("field")).containsExactly("absolute_threshold");
    }

    /** limit=0 where limit is not taken: one problem, unknown, not also the range of a limit it may not give. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/v1/snapshots?limit=0", "/api/v1/trends?metric=f1&limit=0",
            "/api/v1/regressions?limit=0", "/api/v1/compare?model=qp-m&limit=0", "/api/v1/meta?limit=0"})
    void a_parameter_the_endpoint_does_not_take_is_only_reported_as_unknown(String target) {
        JsonNode problem = onlyProblem(server.get(target));

        assertThat(problem.get("field").asText()).isEqualTo("limit");
        assertThat(problem.get("message").asText()).startsWith("unknown query parameter (allowed here: ");
    }

    @Test
    void the_value_of_a_parameter_the_endpoint_does_not_take_is_not_checked_for_its_encoding_either() {
        JsonNode problem = onlyProblem(server.get("/api/v1/snapshots?limit=%ED%A0%80"));

        assertThat(problem.get("message").asText()).startsWith("unknown query parameter");
    }
}
