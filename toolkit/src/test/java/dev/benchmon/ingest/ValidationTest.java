package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ValidationTest {
    private static ValidationException invalid(String json) {
        return catchThrowableOfType(ValidationException.class, () -> BenchmarkResult.fromJson(json));
    }

    private static String fields(ValidationException e) {
        return e.problems().stream().map(Problem::field).sorted().toList().toString();
    }

    @Test
    void a_missing_model_version_is_named() {
        ValidationException e = invalid("{\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.9}}");
        assertThat(e.problems()).containsExactly(Problem.of("model_version", "is required"));
    }

    @Test
    void a_missing_dataset_version_is_named() {
        assertThat(fields(invalid("{\"model_version\":\"m\",\"metrics\":{\"f1\":0.9}}"))).isEqualTo("[dataset_version]");
    }

    @Test
    void a_blank_model_version_is_refused() {
        assertThat(invalid("{\"model_version\":\"  \",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1}}").getMessage())
                .contains("model_version: must not be blank");
    }

    @Test
    void an_empty_commit_sha_is_refused_saying_to_omit_it_or_give_the_commit() {
        ValidationException e = invalid("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"commit_sha\":\"\","
                + "\"metrics\":{\"f1\":1}}");
        assertThat(e.problems()).containsExactly(Problem.of("commit_sha", "must not be blank; omit it or give the commit"));
    }

    @Test
    void a_whitespace_only_branch_is_refused_as_blank_from_json_and_from_the_builder() {
        ValidationException e = invalid("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"branch\":\"  \","
                + "\"metrics\":{\"f1\":1}}");
        assertThat(e.problems()).containsExactly(Problem.of("branch", "must not be blank; omit it or give the branch"));
        assertThatThrownBy(() -> BenchmarkResult.builder("m", "d").branch("").metric("f1", 1).build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("branch: must not be blank");
    }

    @Test
    void a_blank_run_id_triggered_by_or_model_provider_is_refused_naming_each() {
        ValidationException e = invalid("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"run_id\":\"\","
                + "\"triggered_by\":\" \",\"model_provider\":\"\",\"metrics\":{\"f1\":1}}");
        assertThat(e.problems()).containsExactlyInAnyOrder(
                Problem.of("run_id", "must not be blank; omit it or give the run's id"),
                Problem.of("triggered_by", "must not be blank; omit it or give who started the run"),
                Problem.of("model_provider", "must not be blank; omit it or give the provider"));
    }

    @Test
    void empty_notes_an_empty_prompt_version_and_an_empty_tag_value_are_accepted() {
        // "" is the stored "no prompt"; an empty tag value is a tag without value; empty notes say nothing and harm nothing.
        BenchmarkResult r = BenchmarkResult.fromJson("{\"model_version\":\"m\",\"dataset_version\":\"d\","
                + "\"prompt_version\":\"\",\"notes\":\"\",\"tags\":{\"smoke\":\"\"},\"metrics\":{\"f1\":1}}");
        assertThat(r.notes()).isEmpty();
        assertThat(r.promptVersion()).isEmpty();
        assertThat(r.tags()).containsEntry("smoke", "");
    }

    @Test
    void empty_metrics_are_refused() {
        assertThat(invalid("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{}}").getMessage())
                .contains("metrics: must hold at least one metric");
    }

    @Test
    void a_non_numeric_metric_value_is_refused_with_its_name() {
        assertThat(invalid("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":\"0.9\"}}").getMessage())
                .contains("metrics.f1: must be a number, got a string \"0.9\"");
    }

    @Test
    void nan_is_refused() {
        assertThat(invalid("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":NaN}}").getMessage())
                .contains("metrics.f1: must be a finite number, got NaN");
    }

    @Test
    void infinity_is_refused_from_json_and_from_the_builder() {
        assertThat(invalid("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"x\":Infinity}}").getMessage())
                .contains("metrics.x: must be a finite number, got Infinity");
        assertThatThrownBy(() -> BenchmarkResult.builder("m", "d").metric("f1", Double.NEGATIVE_INFINITY).build())
                .hasMessageContaining("metrics.f1: must be a finite number, got -Infinity");
    }

    @Test
    void an_over_long_string_is_refused_with_its_length_and_the_limit() {
        String longName = "m".repeat(201);
        assertThatThrownBy(() -> BenchmarkResult.builder(longName, "d").metric("f1", 1).build())
                .hasMessageContaining("model_version: is 201 characters long; at most 200");
    }

    @Test
    void metric_names_are_kept_exactly_as_tools_write_them() {
        BenchmarkResult r = BenchmarkResult.fromJson("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":"
                + "{\"acc,none\":0.65,\"eval/loss\":2.46,\"tests/test_x.py::test_y[param]\":1,\"精度\":0.9,"
                + "\"exact match (strict)\":0.5}}");
        assertThat(r.metrics().keySet()).containsExactlyInAnyOrder("acc,none", "eval/loss",
                "tests/test_x.py::test_y[param]", "精度", "exact match (strict)");
    }

    @Test
    void a_metric_name_of_200_characters_is_accepted_and_one_of_201_refused() {
        assertThat(BenchmarkResult.builder("m", "d").metric("x".repeat(200), 1).build().metrics()).hasSize(1);
        assertThatThrownBy(() -> BenchmarkResult.builder("m", "d").metric("x".repeat(201), 1).build())
                .hasMessageContaining("is 201 characters long; at most 200");
    }

    @Test
    void a_metric_name_with_a_control_character_or_surrounding_space_is_refused() {
        assertThatThrownBy(() -> BenchmarkResult.builder("m", "d").metric("f\u00071", 1).build())
                .hasMessageContaining("control character U+0007");
        assertThatThrownBy(() -> BenchmarkResult.builder("m", "d").metric(" f1", 1).build())
                .hasMessageContaining("whitespace at the start or end");
    }

    @Test
    void a_metric_named_like_a_table_column_is_accepted() {
        assertThat(BenchmarkResult.builder("m", "d").metric("run_count", 3).build().metrics()).containsKey("run_count");
    }

    @Test
    void two_metrics_differing_only_in_case_are_refused() {
        assertThatThrownBy(() -> BenchmarkResult.builder("m", "d").metric("f1", 1).metric("F1", 1).build())
                .hasMessageContaining("only in case");
    }

    @Test
    void an_unknown_field_is_refused_with_the_allowed_fields() {
        assertThat(invalid("{\"zorb\":\"m\",\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1}}").getMessage())
                .contains("zorb: unknown field (allowed: model_version, dataset_version, prompt_version");
    }

    @Test
    void a_field_named_by_the_first_word_of_allowed_ones_is_refused_naming_them() {
        assertThat(invalid("{\"model_version\":\"m\",\"dataset\":\"d\",\"metrics\":{\"f1\":1}}").getMessage())
                .contains("dataset: unknown field (did you mean dataset_version?) (allowed: model_version, ");
    }

    @Test
    void a_mistyped_field_is_refused_naming_the_field_meant() {
        assertThat(invalid("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrcs\":{\"f1\":1}}").getMessage())
                .contains("metrcs: unknown field (did you mean metrics?) (allowed: model_version, ");
    }

    @Test
    void a_run_at_that_is_not_a_date_is_refused_with_an_example() {
        assertThat(invalid("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1},\"run_at\":\"yesterday\"}").getMessage())
                .contains("run_at: 'yesterday' is not a date-time; use ISO-8601 with a zone (2026-01-31T12:00:00Z");
    }

    @Test
    void a_run_at_far_in_the_future_is_refused() {
        Instant future = Instant.now().plus(3, ChronoUnit.DAYS);
        assertThatThrownBy(() -> BenchmarkResult.builder("m", "d").metric("f1", 1).runAt(future).build())
                .hasMessageContaining("run_at: is more than a day in the future");
    }

    @Test
    void a_nul_character_is_refused() {
        assertThatThrownBy(() -> BenchmarkResult.builder("m\u0000", "d").metric("f1", 1).build())
                .hasMessageContaining("model_version: holds the control character U+0000 (NUL)");
    }

    @Test
    void every_problem_of_a_batch_is_listed_with_its_index() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> BenchmarkResult.listFromJson(
                "[{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1}},"
                        + "{\"dataset_version\":\"d\",\"metrics\":{\"f1\":1}},"
                        + "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":true}}]"));
        assertThat(e.problems()).extracting(Problem::index).containsExactly(1, 2);
        assertThat(e.problems()).extracting(Problem::field).containsExactly("model_version", "metrics.f1");
    }

    @Test
    void malformed_json_is_reported_with_its_position() {
        assertThat(invalid("{\"model_version\": \"m\",,}").getMessage()).contains("body: is not valid JSON").contains("line 1");
    }

    @Test
    void timestamps_with_offsets_dates_and_local_times_are_read_as_utc() {
        assertThat(ResultJson.parseInstant("2026-01-31T13:00:00+01:00")).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(ResultJson.parseInstant("2026-01-31")).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
        assertThat(ResultJson.parseInstant("2026-01-31T12:00:00")).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
    }

    @Test
    void a_result_survives_a_round_trip_through_json() {
        BenchmarkResult r = BenchmarkResult.builder("m", "d").promptVersion("p").modelProvider("google")
                .environment("production").metric("f1", 0.9).metric("latency_ms", 412).runAt(Instant.parse("2026-01-01T00:00:00Z"))
                .commitSha("abc").branch("main").runId("7").triggeredBy("me").tag("suite", "nightly").notes("n")
                .metadata("gpu", "a100").idempotencyKey("k").build();
        assertThat(BenchmarkResult.fromJson(r.toJson())).isEqualTo(r);
    }

    @Test
    void to_string_is_one_readable_line() {
        BenchmarkResult r = BenchmarkResult.builder("m", "d").metric("f1", 0.9).metric("latency_ms", 412).build();
        assertThat(r.toString()).isEqualTo("BenchmarkResult[m / d @local: f1=0.9, latency_ms=412]");
    }
}
