package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
import dev.benchmon.UnknownNameException;
import dev.benchmon.ValidationException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Names as tools write them, found again exactly; unknown names of every kind refused listing the known
 * ones; attempts of a re-run CI job. Series: model "lm/evalé" on "gsm8k" in ci with metrics "acc,none",
 * "eval/loss" and "run_at" (a metric named like a column), tagged suite=nightly; model "b" in production.
 */
class NamesAndAttemptsTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;
    private static final Instant T = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        bm.recordAll(List.of(
                BenchmarkResult.builder("lm/evalé", "gsm8k").environment("ci").runAt(T).runId("run-1")
                        .metric("acc,none", 0.61).metric("eval/loss", 2.4).metric("run_at", 7).tag("suite", "nightly").build(),
                BenchmarkResult.builder("b", "gsm8k").environment("production").runAt(T).metric("acc,none", 0.5)
                        .modelProvider("openai").build()));
    }

    @Test
    void metric_names_come_back_exactly_as_sent_as_table_columns() {
        Table t = bm.latestSnapshots(Filter.model("lm/evalé").withMetrics(List.of("acc,none", "eval/loss")));
        assertThat(t.doubleColumn("acc,none").get(0)).isEqualTo(0.61);
        assertThat(t.doubleColumn("eval/loss").get(0)).isEqualTo(2.4);
    }

    @Test
    void a_metric_named_like_a_fixed_column_gets_the_documented_reversible_prefix() {
        Table t = bm.history(Filter.model("lm/evalé"));
        assertThat(t.instantColumn("run_at").get(0)).isEqualTo(T);
        assertThat(t.doubleColumn("metric:run_at").get(0)).isEqualTo(7.0);
        assertThat(MetricColumns.metricName("metric:run_at")).isEqualTo("run_at");
        assertThat(MetricColumns.metricName("acc,none")).isEqualTo("acc,none");
        assertThat(MetricColumns.columnName("metric:x", List.of("run_at"))).isEqualTo("metric:metric:x");
        assertThat(MetricColumns.metricName("metric:metric:x")).isEqualTo("metric:x");
    }

    @Test
    void table_columns_of_case_twins_are_unique_ignoring_case_and_map_back_to_each_metric() {
        List<String> metrics = List.of("F1", "f1", "ID", "id", "METRIC:x", "metric:x", "f1_2", "2:f1");
        List<String> columns = MetricColumns.tableColumnNames(metrics, List.of("id", "run_at"));

        assertThat(columns).containsExactly("F1", "metric:2:f1", "metric:ID", "metric:2:id", "metric:METRIC:x",
                "metric:2:metric:x", "f1_2", "2:f1");
        assertThat(columns.stream().map(c -> c.toLowerCase(java.util.Locale.ROOT)).distinct()).hasSize(metrics.size());
        assertThat(columns.stream().map(MetricColumns::metricName).toList()).isEqualTo(metrics);
    }

    @Test
    void as_stored_columns_keep_case_twins_and_prefix_only_a_clash_with_a_fixed_column() {
        List<String> metrics = List.of("F1", "f1", "ID", "id", "metric:x");
        List<String> columns = MetricColumns.asStoredColumnNames(metrics, List.of("id", "run_at"));

        assertThat(columns).containsExactly("F1", "f1", "metric:ID", "metric:id", "metric:metric:x");
        assertThat(columns.stream().map(MetricColumns::metricName).toList()).isEqualTo(metrics);
    }

    @Test
    void an_unknown_environment_is_an_error_listing_the_known_ones() {
        assertThatThrownBy(() -> bm.latestSnapshots(Filter.environment("prod")))
                .isInstanceOf(UnknownNameException.class)
                .hasMessage("unknown environment 'prod' (known: ci, production)");
    }

    @Test
    void every_kind_of_unknown_name_is_an_error_listing_the_known_ones() {
        assertThatThrownBy(() -> bm.history(Filter.all().withDatasets("mmlu")))
                .hasMessageContaining("unknown dataset 'mmlu' (known: gsm8k)");
        assertThatThrownBy(() -> bm.history(Filter.all().withPrompts("p1")))
                .hasMessageContaining("unknown prompt 'p1' (known: \"\")"); // the series without a prompt version
        assertThatThrownBy(() -> bm.compareModels(Filter.all().withProviders("google")))
                .hasMessageContaining("unknown provider 'google' (known: openai)");
        assertThatThrownBy(() -> bm.latestSnapshots(Filter.all().withMetrics("nonexistent_metric")))
                .hasMessageContaining("unknown metric 'nonexistent_metric' (known: acc,none, eval/loss, run_at)");
        assertThatThrownBy(() -> bm.detectRegressions(Filter.all().withTag("suite", "weekly"), RegressionOptions.defaults()))
                .hasMessageContaining("unknown tag 'suite=weekly' (known: suite=nightly)");
        assertThatThrownBy(() -> bm.timeSeries(Filter.environment("prod"), "acc,none", Bucket.DAY))
                .isInstanceOf(UnknownNameException.class);
        assertThatThrownBy(() -> bm.summary(Filter.all().withModels(List.of("b", "c"))))
                .hasMessageContaining("unknown model 'c'");
    }

    @Test
    void collection_overloads_exist_for_every_list_filter() {
        Filter f = Filter.all().withEnvironments(List.of("ci")).withModels(List.of("lm/evalé")).withDatasets(List.of("gsm8k"))
                .withPrompts(List.of("")).withMetrics(List.of("acc,none"));
        assertThat(bm.latestSnapshots(f).rowCount()).isEqualTo(1);
        assertThat(bm.latestSnapshots(Filter.environments(List.of("ci", "production"))).rowCount()).isEqualTo(2);
    }

    @Test
    void a_filter_name_with_a_control_character_or_surrounding_space_is_refused_not_trimmed() {
        assertThatThrownBy(() -> Filter.environment("a\u0000b"))
                .isInstanceOf(ValidationException.class).hasMessageContaining("environment: holds the control character U+0000");
        assertThatThrownBy(() -> Filter.model("trail "))
                .isInstanceOf(ValidationException.class).hasMessageContaining("model: has whitespace at the start or end");
    }

    @Test
    void a_ci_rerun_with_new_numbers_is_a_new_attempt_and_queries_use_the_latest() {
        BenchmarkResult first = BenchmarkResult.builder("rerun", "d").environment("ci").runId("gh-77").metric("f1", 0.5).build();
        BenchmarkResult rerun = BenchmarkResult.builder("rerun", "d").environment("ci").runId("gh-77").metric("f1", 0.9).build();
        bm.record(first);
        bm.record(first); // a retry of the same push: no new attempt
        bm.record(rerun);
        List<Integer> attempts = bm.jdbi().withHandle(h -> h.createQuery(
                "SELECT attempt FROM benchmark_transactions WHERE model_version = 'rerun' ORDER BY id").mapTo(Integer.class).list());
        assertThat(attempts).containsExactly(1, 2);
        Table history = bm.history(Filter.model("rerun"));
        assertThat(history.rowCount()).isEqualTo(1);
        assertThat(history.doubleColumn("f1").get(0)).isEqualTo(0.9);
        assertThat(history.intColumn("attempt").get(0)).isEqualTo(2);
        Table compare = bm.compareModels(Filter.model("rerun"));
        assertThat(compare.intColumn("n").get(0)).isEqualTo(1);
        assertThat(bm.latestSnapshots(Filter.model("rerun")).doubleColumn("f1").get(0)).isEqualTo(0.9);
    }

    @Test
    void a_rerun_sent_with_its_run_at_is_a_new_attempt_found_in_that_month() {
        // run_at is part of the run key, so the writer looks for earlier attempts in run_at's month only.
        Instant at = T.minus(40, ChronoUnit.DAYS);
        BenchmarkResult first = BenchmarkResult.builder("rerun-at", "d").runId("gh-78").runAt(at).metric("f1", 0.5).build();
        BenchmarkResult rerun = BenchmarkResult.builder("rerun-at", "d").runId("gh-78").runAt(at).metric("f1", 0.9).build();
        bm.record(first);
        bm.record(rerun);
        bm.record(BenchmarkResult.builder("rerun-at", "d").runId("gh-78").runAt(at).metric("f1", 0.7).build());
        List<Integer> attempts = bm.jdbi().withHandle(h -> h.createQuery(
                "SELECT attempt FROM benchmark_transactions WHERE model_version = 'rerun-at' ORDER BY id").mapTo(Integer.class).list());
        assertThat(attempts).containsExactly(1, 2, 3);
        Table history = bm.history(Filter.model("rerun-at"));
        assertThat(history.rowCount()).isEqualTo(1);
        assertThat(history.doubleColumn("f1").get(0)).isEqualTo(0.7);
    }

    @Test
    void the_partial_days_at_the_edges_of_a_window_leave_a_superseded_attempt_out_too() {
        // The window starts within the run's day, so that day is read from the log rather than the rollups.
        Instant at = T.plusSeconds(3_600);
        bm.record(BenchmarkResult.builder("rerun-edge", "d").runId("gh-79").runAt(at).metric("f1", 0.5).build());
        bm.record(BenchmarkResult.builder("rerun-edge", "d").runId("gh-79").runAt(at).metric("f1", 0.9).build());
        Filter window = Filter.model("rerun-edge").withSince(T).withUntil(at.plusSeconds(60));
        Table compare = bm.compareModels(window);
        assertThat(compare.intColumn("n").get(0)).isEqualTo(1);
        assertThat(compare.doubleColumn("mean").get(0)).isEqualTo(0.9);
        assertThat(bm.summary(window).runs()).isEqualTo(1);
    }

    @Test
    void rebuilding_the_rollups_rebuilds_the_latest_attempts_that_leave_superseded_ones_out() {
        bm.record(BenchmarkResult.builder("rerun-rebuilt", "d").runId("gh-80").metric("f1", 0.5).build());
        bm.record(BenchmarkResult.builder("rerun-rebuilt", "d").runId("gh-80").metric("f1", 0.9).build());
        // As if the re-run had come in without the log's trigger (a data-only restore).
        bm.jdbi().useHandle(h -> h.execute("DELETE FROM benchmark_latest_attempts"));
        assertThat(bm.history(Filter.model("rerun-rebuilt")).rowCount()).isEqualTo(2);
        bm.jdbi().useHandle(h -> h.execute("SELECT rebuild_benchmark_rollups()"));
        assertThat(bm.history(Filter.model("rerun-rebuilt")).rowCount()).isEqualTo(1);
    }

    @Test
    void results_of_one_run_written_together_are_one_attempt() {
        bm.recordAll(List.of(
                BenchmarkResult.builder("steps", "d").runId("job-1").runAt(T.plusSeconds(1)).metric("loss", 3).build(),
                BenchmarkResult.builder("steps", "d").runId("job-1").runAt(T.plusSeconds(2)).metric("loss", 2).build(),
                BenchmarkResult.builder("steps", "e").runId("job-1").metric("loss", 1).build()));
        assertThat(bm.history(Filter.model("steps")).rowCount()).isEqualTo(3);
        List<Integer> attempts = bm.jdbi().withHandle(h -> h.createQuery(
                "SELECT attempt FROM benchmark_transactions WHERE model_version = 'steps'").mapTo(Integer.class).list());
        assertThat(attempts).containsOnly(1);
    }

    @Test
    void every_read_of_the_log_leaves_out_the_superseded_attempts_of_its_own_series_only() {
        // Series rerun-read/gsm8k@ci: run gh-90 re-run (0.5 superseded by 0.9), a result without a run id (0.7) and
        // a run tried once (0.6). Series rerun-read/gsm8k@production: a run with the same run id, tried once (0.4),
        // which the other series' re-run does not supersede. (Names and metric known already: the test of unknown
        // names lists the known ones.)
        bm.record(BenchmarkResult.builder("rerun-read", "gsm8k").environment("ci").runId("gh-90").runAt(T).metric("acc,none", 0.5).build());
        bm.record(BenchmarkResult.builder("rerun-read", "gsm8k").environment("ci").runId("gh-90").runAt(T).metric("acc,none", 0.9).build());
        bm.record(BenchmarkResult.builder("rerun-read", "gsm8k").environment("ci").runAt(T.plusSeconds(60)).metric("acc,none", 0.7).build());
        bm.record(BenchmarkResult.builder("rerun-read", "gsm8k").environment("ci").runId("gh-91").runAt(T.plusSeconds(120)).metric("acc,none", 0.6).build());
        bm.record(BenchmarkResult.builder("rerun-read", "gsm8k").environment("production").runId("gh-90").runAt(T).metric("acc,none", 0.4).build());
        Filter oneSeries = Filter.model("rerun-read").withDatasets("gsm8k").withPrompts("").withEnvironments("ci");
        Filter model = Filter.model("rerun-read");

        assertThat(bm.history(oneSeries).doubleColumn("acc,none").asList()).containsExactly(0.6, 0.7, 0.9);
        assertThat(bm.history(model).doubleColumn("acc,none").asList()).containsExactlyInAnyOrder(0.6, 0.7, 0.9, 0.4);
        assertThat(streamedAcc(oneSeries)).containsExactly(0.6, 0.7, 0.9); // read in one statement
        assertThat(streamedAcc(oneSeries.withMetrics("acc,none"))).containsExactly(0.6, 0.7, 0.9); // streamed in two passes
        assertThat(streamedAcc(model)).containsExactlyInAnyOrder(0.6, 0.7, 0.9, 0.4);
        java.io.StringWriter jsonLines = new java.io.StringWriter();
        assertThat(bm.writeHistoryAsJsonLines(oneSeries, jsonLines)).isEqualTo(3);
        assertThat(jsonLines.toString().lines()).hasSize(3).noneMatch(line -> line.contains("0.5"));
    }

    @Test
    void the_log_reads_hold_the_same_rows_as_the_current_results_view_for_every_filter_shape() {
        // Two series of model rerun-eq, each with a re-run (one superseded attempt each), one tagged and one with a
        // provider, and a result without a run id. (Names and metric known already, as above.)
        for (String environment : List.of("ci", "production")) {
            for (double value : new double[] {0.1, 0.2}) {
                bm.record(BenchmarkResult.builder("rerun-eq", "gsm8k").environment(environment).runId("gh-" + environment)
                        .runAt(T).metric("acc,none", value).tag("suite", "nightly").build());
            }
            bm.record(BenchmarkResult.builder("rerun-eq", "gsm8k").environment(environment).runAt(T.plusSeconds(60))
                    .modelProvider("openai").metric("acc,none", 0.3).build());
        }
        Filter ci = Filter.model("rerun-eq").withDatasets("gsm8k").withPrompts("").withEnvironments("ci");
        for (Filter filter : List.of(Filter.all(), Filter.model("rerun-eq"), Filter.models(List.of("rerun-eq", "b")),
                Filter.model("rerun-eq").withEnvironments("ci", "production"), ci,
                ci.withSince(T.minusSeconds(1)).withUntil(T.plusSeconds(30)), ci.withTag("suite", "nightly"),
                ci.withProviders("openai"), Filter.model("rerun-eq").withTag("suite", "nightly"))) {
            Instant now = Instant.now();
            FilterSql view = FilterSql.of(filter, "t", "t", "t.run_at", now);
            FilterSql log = FilterSql.ofCurrentLog(filter, "t", now);
            List<Long> expected = bm.jdbi().withHandle(h -> view.bind(h.createQuery(
                    "SELECT t.id FROM benchmark_results_current t" + view.where() + " ORDER BY t.id")).mapTo(Long.class).list());
            List<Long> actual = bm.jdbi().withHandle(h -> log.bind(h.createQuery(
                    log.with() + "SELECT t.id FROM benchmark_transactions t" + log.where() + " ORDER BY t.id")).mapTo(Long.class).list());
            assertThat(actual).as(filter.toString()).isNotEmpty().isEqualTo(expected);
        }
    }

    @Test
    void a_history_of_one_series_reads_its_superseded_attempts_once_not_once_per_row_or_month() {
        Filter oneSeries = Filter.model("rerun").withDatasets("d").withPrompts("").withEnvironments("ci");
        FilterSql where = FilterSql.ofCurrentLog(oneSeries, "t", Instant.now());
        List<String> lines = bm.jdbi().withHandle(h -> where.bind(h.createQuery("EXPLAIN " + where.with()
                + "SELECT t.id FROM benchmark_transactions t" + where.where() + " ORDER BY t.run_at DESC LIMIT 1000"))
                .mapTo(String.class).list());
        String plan = String.join("\n", lines);
        assertThat(plan).contains("CTE superseded").contains("CTE Scan on superseded").contains("Anti Join")
                .doesNotContain("benchmark_latest_attempts_pkey");
    }

    /** The acc,none values of a streamed history, in the order of its rows. */
    private static List<Double> streamedAcc(Filter filter) {
        List<Double> accValues = new ArrayList<>();
        int[] acc = {-1};
        bm.streamHistory(filter, new ResultStream.Sink() {
            @Override
            public void columns(List<ResultStream.Column> columns) {
                acc[0] = columns.stream().map(ResultStream.Column::name).toList().indexOf("acc,none");
            }

            @Override
            public void row(Object[] row) {
                accValues.add(Double.parseDouble(String.valueOf(row[acc[0]]))); // a Double, or the number's text
            }
        });
        return accValues;
    }
}
