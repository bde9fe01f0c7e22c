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
 * The toolkit's history and snapshot tables show a result's standard errors beside its values, as numbers. Series:
 * model "lm" on "arc" in ci, an older run with acc 0.47 (stderr 0.015) and f1 0.5 (none), and the latest with acc
 * 0.491 (stderr 0.014) and f1 0.52 (none); model "twin" with a metric really named acc_stderr beside acc and its
 * stderr; model "plain" without any stderr.
 */
class StderrColumnsTest {
    @AutoClose
    private static Benchmon bm;
    private static final Instant T = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        bm.recordAll(List.of(
                BenchmarkResult.builder("lm", "arc").environment("ci").runAt(T).metric("acc", 0.47).stderr("acc", 0.015)
                        .metric("f1", 0.5).build(),
                BenchmarkResult.builder("lm", "arc").environment("ci").runAt(T.plus(1, ChronoUnit.HOURS))
                        .metric("acc", 0.491).stderr("acc", 0.014).metric("f1", 0.52).build(),
                BenchmarkResult.builder("twin", "arc").environment("ci").runAt(T).metric("acc", 0.6)
                        .stderr("acc", 0.02).metric("acc_stderr", 0.3).build(),
                BenchmarkResult.builder("plain", "arc").environment("ci").runAt(T).metric("acc", 0.8).build()));
    }

    @Test
    void the_history_holds_each_runs_stderr_as_a_number_column_right_after_its_metric() {
        Table t = bm.history(Filter.model("lm"));

        assertThat(t.columnNames()).containsSubsequence("acc", "acc_stderr", "f1");
        assertThat(t.columnNames().indexOf("acc_stderr")).isEqualTo(t.columnNames().indexOf("acc") + 1);
        assertThat(t.doubleColumn("acc_stderr").asList()).containsExactly(0.014, 0.015);
    }

    @Test
    void a_metric_no_result_gave_a_stderr_for_gets_no_stderr_column() {
        assertThat(bm.history(Filter.model("lm")).columnNames()).doesNotContain("f1_stderr");
        assertThat(bm.history(Filter.model("plain")).columnNames()).noneMatch(c -> c.endsWith("_stderr"));
    }

    @Test
    void the_snapshot_holds_the_latest_runs_stderr() {
        Table t = bm.latestSnapshots(Filter.model("lm"));

        assertThat(t.doubleColumn("acc").get(0)).isEqualTo(0.491);
        assertThat(t.doubleColumn("acc_stderr").get(0)).isEqualTo(0.014);
    }

    @Test
    void a_metric_really_named_like_a_stderr_column_keeps_its_column_and_the_stderr_takes_the_next_name() {
        Table t = bm.latestSnapshots(Filter.model("twin"));

        assertThat(t.doubleColumn("acc_stderr").get(0)).isEqualTo(0.3);
        assertThat(t.doubleColumn("acc_stderr_2").get(0)).isEqualTo(0.02);
        assertThat(MetricColumns.columnOf(t, "acc_stderr")).isEqualTo("acc_stderr");
    }

    @Test
    void the_metrics_a_filter_names_bring_only_their_own_stderr() {
        Table t = bm.history(Filter.model("lm").withMetrics(List.of("f1")));

        assertThat(t.columnNames()).contains("f1").doesNotContain("acc", "acc_stderr");
    }
}
