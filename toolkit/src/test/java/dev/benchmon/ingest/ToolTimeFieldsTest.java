package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.RecordOutcome;
import dev.benchmon.ValidationException;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Google Benchmark {@code context.date}, pytest-benchmark {@code datetime} and MLflow {@code start_time}, which earlier
 * versions dropped without a word when they could not read them, read as lm-eval's {@code date} is: a form they read is
 * the same run_at (and key) as before, another is read as benchmon's JSON reads a run_at (keyed as stored before,
 * without run_at), and one that is no point in time is refused naming the field as the file writes it. Through the
 * public API, in a real database.
 */
class ToolTimeFieldsTest {
    private static final String PYTEST_DATETIME = "\"datetime\": \"2026-01-31T12:00:00.123456\"";
    private static final String GOOGLE_DATE = "\"date\": \"2026-01-31T12:00:00+01:00\"";
    private static final String MLFLOW_START = "\"start_time\": \"1700000000123\"";

    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    @ParameterizedTest(name = "{1}: {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // each was dropped without a word and the results stored at arrival, but the last, refused naming run_at
            "pytest-benchmark.json | pytest-benchmark | " + PYTEST_DATETIME + " | \"datetime\": \"last tuesday\" | "
                    + "datetime: 'last tuesday' is not a date-time; use ISO-8601 with a zone",
            "mlflow-run.json       | mlflow           | " + MLFLOW_START + "    | \"start_time\": \"soon\"          | "
                    + "run.info.start_time: 'soon' is not a date-time; use ISO-8601",
            "google-benchmark.json | google-benchmark | " + GOOGLE_DATE + "     | \"date\": true                    | "
                    + "context.date: must be a date-time string or epoch number, got",
            "google-benchmark.json | google-benchmark | " + GOOGLE_DATE + "     | \"date\": \"2999/01/31-12:00:00\" | "
                    + "context.date: is more than a day in the future (2999-01-31T12:00:00Z)"})
    void a_date_that_is_no_point_in_time_or_out_of_range_is_refused_naming_the_field_as_the_file_writes_it(
            String sample, String format, String written, String unreadable, String problem) {
        String file = resource(sample).replace(written, unreadable);

        assertThatThrownBy(() -> BenchmarkResult.from(format, file))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("nothing was stored")
                .hasMessageContaining(problem)
                .hasMessageNotContaining("run_at");
    }

    @Test
    void an_mlflow_search_answer_names_the_run_whose_start_time_is_refused() {
        String run = "{\"info\": {\"run_id\": \"r%d\", \"start_time\": %s}, \"data\": {\"metrics\": [{\"key\": \"acc\", "
                + "\"value\": 0.5}]}}";
        String search = "{\"runs\": [" + run.formatted(0, "1700000000123") + ", " + run.formatted(1, "-5") + "]}";

        assertThatThrownBy(() -> BenchmarkResult.from("mlflow", search, new ResultOverrides("m", "d", null)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("runs[1].info.start_time: is before 1970 (1969-12-31T23:59:55Z)");
    }

    @Test
    void files_stored_by_earlier_versions_with_a_date_they_read_imported_again_store_nothing_twice() {
        List<BenchmarkResult> results = List.of(resource("pytest-benchmark.json"), resource("google-benchmark.json"),
                resource("mlflow-run.json")).stream().flatMap(f -> BenchmarkResult.from("auto", f).stream()).toList();
        assertThat(results).extracting(BenchmarkResult::runAt).doesNotContainNull();
        bm.recordAll(results.stream().map(r -> r.toBuilder().idempotencyKey(null).build()).toList()); // keyed on arrival

        assertThat(bm.recordAll(results)).hasSize(results.size()).noneMatch(RecordOutcome::created);
        assertThat(stored()).isEqualTo(results.size());
    }

    @Test
    void a_pytest_datetime_earlier_versions_ignored_is_now_run_at_and_a_file_they_stored_is_not_stored_twice() {
        String file = resource("pytest-benchmark.json").replace(PYTEST_DATETIME, "\"datetime\": \"2026-01-31\"");
        List<BenchmarkResult> now = BenchmarkResult.from("pytest-benchmark", file);
        assertThat(now).extracting(BenchmarkResult::runAt).containsOnly(Instant.parse("2026-01-31T00:00:00Z"));
        // Earlier versions read no run_at from a date without a time: stored at arrival, keyed without run_at.
        bm.recordAll(now.stream().map(r -> r.toBuilder().runAt(null).idempotencyKey(null).build()).toList());

        assertThat(bm.recordAll(BenchmarkResult.from("pytest-benchmark", file))).hasSize(2).noneMatch(RecordOutcome::created);
        assertThat(stored()).isEqualTo(2);
    }

    @Test
    void a_google_benchmark_date_in_epoch_seconds_is_read_as_a_numeric_run_at_and_stored_once() {
        String file = resource("google-benchmark.json").replace(GOOGLE_DATE, "\"date\": 1769860800");
        bm.recordAll(BenchmarkResult.from("google-benchmark", file));

        assertThat(bm.recordAll(BenchmarkResult.from("google-benchmark", file))).hasSize(2).noneMatch(RecordOutcome::created);
        assertThat(storedRunAts()).hasSize(2).containsOnly(Instant.parse("2026-01-31T12:00:00Z"));
    }

    @Test
    void an_mlflow_start_time_as_iso_text_earlier_versions_ignored_is_run_at_and_a_run_they_stored_is_not_stored_twice() {
        String file = resource("mlflow-run.json").replace(MLFLOW_START, "\"start_time\": \"2023-11-14T22:13:20Z\"");
        BenchmarkResult now = BenchmarkResult.from("mlflow", file).get(0);
        assertThat(now.runAt()).isEqualTo(Instant.parse("2023-11-14T22:13:20Z"));
        bm.record(now.toBuilder().runAt(null).idempotencyKey(null).build());

        assertThat(bm.record(now).created()).isFalse();
        assertThat(stored()).isEqualTo(1);
    }

    @Test
    void two_mlflow_runs_at_one_millisecond_one_numeric_and_one_iso_each_keep_the_key_earlier_versions_gave_them() {
        String numeric = resource("mlflow-run.json");
        String iso = numeric.replace(MLFLOW_START, "\"start_time\": \"2023-11-14T22:13:20.123Z\"")
                .replace("6f1a2b3c4d5e6f708192a3b4c5d6e7f8", "0000000000000000000000000000000b");
        // Earlier versions stored the numeric run at its start_time and the ISO one without run_at (they ignored it)
        BenchmarkResult a = BenchmarkResult.from("mlflow", numeric).get(0);
        BenchmarkResult b = BenchmarkResult.from("mlflow", iso).get(0);
        assertThat(b.runAt()).isEqualTo(a.runAt()).isEqualTo(Instant.parse("2023-11-14T22:13:20.123Z"));
        bm.record(a.toBuilder().idempotencyKey(null).build());
        bm.record(b.toBuilder().runAt(null).idempotencyKey(null).build());

        String search = "{\"runs\": [" + runOf(numeric) + ", " + runOf(iso) + "]}";
        List<BenchmarkResult> both = BenchmarkResult.from("mlflow", search);

        assertThat(bm.recordAll(both)).hasSize(2).noneMatch(RecordOutcome::created);
        assertThat(stored()).isEqualTo(2);
    }

    /** The run object of a runs/get answer ({@code {"run": {...}}}). */
    private static String runOf(String get) {
        return get.substring(get.indexOf('{', 1), get.lastIndexOf('}'));
    }

    private long stored() {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions").mapTo(Long.class).one());
    }

    private List<Instant> storedRunAts() {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT run_at FROM benchmark_transactions ORDER BY id")
                .mapTo(OffsetDateTime.class).list()).stream().map(OffsetDateTime::toInstant).toList();
    }

    private static String resource(String name) {
        try (InputStream in = ToolTimeFieldsTest.class.getResourceAsStream("/adapters/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(text).containsAnyOf(PYTEST_DATETIME, GOOGLE_DATE, MLFLOW_START);
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
