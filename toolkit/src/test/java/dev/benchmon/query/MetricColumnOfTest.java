package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MetricColumns#columnOf} finds a metric's own column in a history table, also when the metric is named like
 * one of the table's fixed number columns ({@code id}, {@code attempt}), which come first, or like a standard-error
 * column: one run of model "ids" on "arc" with metrics id 41, attempt 7 and f1 0.9; of model "twins", one on "upper" with F1 0.1
 * and a newer one on "lower" with f1 0.2 (stderr 0.01) and a metric f1_stderr 0.3.
 */
class MetricColumnOfTest {
    @AutoClose
    private static Benchmon bm;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        bm.recordAll(List.of(BenchmarkResult.builder("ids", "arc").environment("ci")
                .runAt(Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))
                .metric("id", 41).metric("attempt", 7).metric("f1", 0.9).build(),
                BenchmarkResult.builder("twins", "upper").environment("ci")
                        .runAt(Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))
                        .metric("F1", 0.1).build(),
                BenchmarkResult.builder("twins", "lower").environment("ci")
                        .runAt(Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))
                        .metric("f1", 0.2).stderr("f1", 0.01).metric("f1_stderr", 0.3).build()));
    }

    @Test
    void a_metric_named_like_a_fixed_number_column_is_found_in_its_own_column_not_the_fixed_one() {
        Table history = bm.history(Filter.model("ids"));

        assertThat(MetricColumns.columnOf(history, "id")).isEqualTo("metric:id");
        assertThat(MetricColumns.columnOf(history, "attempt")).isEqualTo("metric:attempt");
        assertThat(history.doubleColumn(MetricColumns.columnOf(history, "attempt")).get(0)).isEqualTo(7.0);
    }

    @Test
    void a_metric_named_like_a_stderr_column_is_its_own_column_not_the_standard_errors_of_a_case_twin() {
        Table history = bm.history(Filter.model("twins")); // newest first: lower, then upper

        assertThat(history.stringColumn("dataset_version").get(0)).isEqualTo("lower");
        assertThat(history.doubleColumn(MetricColumns.columnOf(history, "f1_stderr")).get(0)).isEqualTo(0.3);
        assertThat(history.doubleColumn(MetricColumns.columnOf(history, "f1")).get(0)).isEqualTo(0.2);
        assertThat(history.doubleColumn(MetricColumns.columnOf(history, "F1")).get(1)).isEqualTo(0.1);
    }

    @Test
    void any_other_metric_is_its_column_of_its_own_name() {
        assertThat(MetricColumns.columnOf(bm.history(Filter.model("ids")), "f1")).isEqualTo("f1");
    }
}
