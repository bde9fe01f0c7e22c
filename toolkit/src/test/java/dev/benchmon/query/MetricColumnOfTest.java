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
 * one of the table's fixed number columns ({@code id}, {@code attempt}), which come first: one run of model "ids" on
 * "arc" with metrics id 41, attempt 7 and f1 0.9.
 */
class MetricColumnOfTest {
    @AutoClose
    private static Benchmon bm;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        bm.recordAll(List.of(BenchmarkResult.builder("ids", "arc").environment("ci")
                .runAt(Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS))
                .metric("id", 41).metric("attempt", 7).metric("f1", 0.9).build()));
    }

    @Test
    void a_metric_named_like_a_fixed_number_column_is_found_in_its_own_column_not_the_fixed_one() {
        Table history = bm.history(Filter.model("ids"));

        assertThat(MetricColumns.columnOf(history, "id")).isEqualTo("metric:id");
        assertThat(MetricColumns.columnOf(history, "attempt")).isEqualTo("metric:attempt");
        assertThat(history.doubleColumn(MetricColumns.columnOf(history, "attempt")).get(0)).isEqualTo(7.0);
    }

    @Test
    void any_other_metric_is_its_column_of_its_own_name() {
        assertThat(MetricColumns.columnOf(bm.history(Filter.model("ids")), "f1")).isEqualTo("f1");
    }
}
