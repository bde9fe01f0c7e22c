package dev.benchmon.notebook;

import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.compare.RunComparison;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tables the toolkit returns, printed as JShell prints them ({@code toString()}) on the demo history (wider than
 * the line): each row says what it is about (its series' names that vary and its metric) before its values, and the
 * line naming the columns left out gives a call that shows them.
 */
class PrintedTablesTest {
    private static final Pattern HIDDEN = Pattern.compile("call selectColumns\\(([^)]*)\\) on this table\\)");

    private static Benchmon bm;

    @BeforeAll
    static void demo() {
        bm = TestDatabases.fresh();
        assertThat(bm.loadDemoData()).isPositive();
        bm.alertOnNewestRuns(); // the demo's regressions as alerts, as serve --demo opens them
    }

    @AfterAll
    static void close() {
        bm.close();
    }

    /** The column names of the printed header (the line under the title). */
    private static List<String> header(Table t) {
        return Arrays.asList(t.toString().lines().skip(2).findFirst().orElseThrow().strip().split(" +"));
    }

    @Test
    void a_comparison_of_two_models_shows_each_rows_metric_before_its_values() {
        Table t = bm.compareModels(List.of("medgemma-v1.2", "medgemma-v1.3"), Duration.ofDays(7));

        assertThat(t.rowCount()).isGreaterThan(15); // a metric per row: analysis_cost, f1, ... of each model
        List<String> header = header(t);
        assertThat(header).containsSubsequence("model_version", "dataset_version", "environment", "metric", "mean");
        assertThat(header.indexOf("metric")).isLessThan(header.indexOf("mean"));
        assertThat(t.toString()).contains("analysis_cost", "recall").doesNotContain("more columns: metric");
    }

    @Test
    void a_comparison_cut_to_the_width_keeps_the_difference_to_the_reference_before_the_spread() {
        Table t = bm.compareModels(List.of("medgemma-v1.2", "medgemma-v1.3"), Duration.ofDays(7));

        List<String> header = header(t);
        assertThat(header).contains("metric", "mean", "diff_to_first");
        assertThat(t.toString()).contains("more columns: ");
    }

    @Test
    void regression_checks_history_snapshots_and_trends_show_what_each_row_is_about_first() {
        List<String> checks = header(bm.detectRegressions(Filter.all(), RegressionOptions.defaults()));
        assertThat(checks).containsSubsequence("model_version", "dataset_version", "environment", "metric", "baseline");

        List<String> oneModel = header(bm.detectRegressions("medgemma-v1.3"));
        assertThat(oneModel.subList(0, 3)).containsExactly("dataset_version", "environment", "metric");

        List<String> history = header(bm.history(Filter.all().withLimit(20)));
        assertThat(history).containsSubsequence("model_version", "dataset_version", "environment", "f1");

        List<String> latest = header(bm.latestSnapshots());
        assertThat(latest).containsSubsequence("model_version", "dataset_version", "environment", "f1");

        // A trend's rows are buckets of the series (dataset, environment) its line is drawn from.
        List<String> trend = header(bm.timeSeries("medgemma-v1.2", "f1", Duration.ofDays(30)));
        assertThat(trend.subList(0, 3)).containsExactly("bucket", "dataset_version", "environment");
    }

    @Test
    void a_comparison_of_two_model_versions_on_their_runs_says_so_and_that_bs_newest_run_is_under_an_alert() {
        RunComparison c = bm.comparison("medgemma-v1.2", "medgemma-v1.3", "benchmark-set-v3", "production",
                CompareOptions.defaults());

        List<String> lines = c.toString().lines().toList();
        assertThat(c.runsB().metrics()).contains("recall");
        assertThat(lines.get(3)).startsWith("B: medgemma-v1.3 on benchmark-set-v3 @production, prompt analysis-v5: means of "
                + "its " + c.runsB().runs() + " runs from ").endsWith("(newest: result id " + c.runsB().newestResult() + ")");
        assertThat(c.alerts()).extracting(RunComparison.NewestRunAlert::metric).contains("recall");
        assertThat(lines.get(4)).startsWith("warning: B's newest run (result id " + c.runsB().newestResult()
                + ") is under ").contains("recall -15.8 points (critical, open alert #");
    }

    @Test
    void the_columns_left_out_are_named_with_a_call_that_shows_them_whatever_the_tables_variable_is_called() {
        for (Table t : List.of(bm.compareModels(List.of("medgemma-v1.2", "medgemma-v1.3"), Duration.ofDays(7)),
                bm.latestSnapshots(), bm.detectRegressions(Filter.all(), RegressionOptions.defaults()))) {
            String text = t.toString().replace('\n', ' ');

            // JShell names it $2, latest, ...: no variable is named, least of all a "t" the user never declared.
            assertThat(text).contains("more columns: ").doesNotContain("t.selectColumns");
            Matcher m = HIDDEN.matcher(text);
            assertThat(m.find()).as(text).isTrue();
            List<String> names = new ArrayList<>();
            Matcher quoted = Pattern.compile("\"([^\"]+)\"").matcher(m.group(1));
            while (quoted.find()) {
                names.add(quoted.group(1));
            }
            // The call as shown works on the table and shows columns that were left out.
            assertThat(names).isNotEmpty();
            Table shown = t.selectColumns(names.toArray(String[]::new));
            assertThat(shown.columnNames()).containsExactlyElementsOf(names);
            assertThat(header(t)).doesNotContainAnyElementsOf(names);
        }
    }
}
