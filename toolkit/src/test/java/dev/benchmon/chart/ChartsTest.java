package dev.benchmon.chart;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.ValidationException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChartsTest {
    private static final String AWKWARD = "o'brien-<v2>";
    private static final String SCRIPT = "</script><script>alert(1)</script>";
    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        Instant t = Instant.now().minus(Duration.ofHours(5));
        for (int i = 0; i < 3; i++) {
            bm.record(BenchmarkResult.builder(AWKWARD, "d").runAt(t.plusSeconds(i * 3600L)).metric("f1", 0.8 + i / 100.0)
                    .metric("latency_ms", 100).commitSha("abc" + i).runId(SCRIPT).build());
            bm.record(BenchmarkResult.builder("plain", "d").runAt(t.plusSeconds(i * 3600L)).metric("f1", 0.7)
                    .metric("latency_ms", 50).build());
        }
        // Two models on two dataset versions in two environments, as the demo data has them: compareModels gives
        // a row per model, dataset version and environment.
        for (String model : List.of("wide-v1", "wide-v2")) {
            for (String dataset : List.of("set-a", "set-b")) {
                for (String environment : List.of("ci", "production")) {
                    for (int i = 0; i < 2; i++) {
                        bm.record(BenchmarkResult.builder(model, dataset).environment(environment)
                                .runAt(t.plusSeconds(i * 3600L)).metric("f1", 0.8 + i / 100.0)
                                .metric("analysis_cost", 0.02 + i / 1000.0).build());
                    }
                }
            }
        }
        // Two models on two tasks, each the other's better on one: a front per task holds both of its models.
        recordFront("front-small", "gsm8k", 0.55, 0.002, t);
        recordFront("front-large", "gsm8k", 0.70, 0.010, t);
        recordFront("front-small", "squad-v2", 0.78, 0.002, t);
        recordFront("front-large", "squad-v2", 0.85, 0.012, t);
    }

    private static void recordFront(String model, String dataset, double f1, double cost, Instant at) {
        bm.record(BenchmarkResult.builder(model, dataset).environment("ci").runAt(at).metric("f1", f1)
                .metric("analysis_cost", cost).build());
    }

    /** The category labels of the bars of a comparison chart, in order. */
    private static List<String> barLabels(String js) {
        return Pattern.compile("x: \\[\"([^\"]*)\"\\]").matcher(js).results().map(m -> m.group(1)).toList();
    }

    @Test
    void trend_names_reach_plotly_as_json_strings_not_html_entities() {
        // Two models on one dataset and environment: each line is named by its model alone.
        String html = ChartHtml.fragment(Charts.trend(bm.timeSeries(Filter.models(List.of(AWKWARD, "plain")), "f1",
                Bucket.HOUR)), "c1");
        assertThat(html).contains("name: \"o\\u0027brien-\\u0026lt;v2\\u0026gt;\"");
        assertThat(html).doesNotContain("&#39;").doesNotContain(AWKWARD);
    }

    @Test
    void hover_text_cannot_close_the_script_element() {
        String html = ChartHtml.fragment(Charts.trend(bm.timeSeries(Filter.all(), "f1", Bucket.HOUR)), "c2");
        assertThat(html).doesNotContain("</script><script>").doesNotContain("alert(1)</script>");
        assertThat(html.indexOf("</script>")).isEqualTo(html.lastIndexOf("</script>")); // only the figure's own
    }

    @Test
    void the_comparison_chart_draws_error_bars_of_one_stddev() {
        var comparison = bm.compareModels(List.of("plain", AWKWARD), Duration.ofDays(1));
        double sd = comparison.where(comparison.stringColumn("model_version").isEqualTo(AWKWARD)
                .and(comparison.stringColumn("metric").isEqualTo("f1"))).doubleColumn("stddev").get(0);
        String js = Charts.comparison(comparison, "f1").asJavascript("c3");
        assertThat(sd).isCloseTo(0.01, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(js).contains("error_y: {type: 'data', array: [" + sd + "]");
    }

    @Test
    void comparison_bar_categories_show_awkward_names_as_written() {
        String js = Charts.comparison(bm.compareModels(List.of("plain", AWKWARD), Duration.ofDays(1)), "f1").asJavascript("c6");
        // Plotly reads its own markup in category labels: <v2> must arrive as &lt;v2&gt; (JSON-encoded)
        assertThat(js).contains("x: [\"o\\u0027brien-\\u0026lt;v2\\u0026gt;\"]");
    }

    @Test
    void comparison_bars_of_several_dataset_versions_and_environments_each_name_theirs() {
        var comparison = bm.compareModels(List.of("wide-v1", "wide-v2"), Duration.ofDays(1));
        String js = Charts.comparison(comparison, "f1").asJavascript("c8");
        assertThat(barLabels(js)).hasSize(8).doesNotHaveDuplicates()
                .contains("wide-v1 · set-a @ci", "wide-v1 · set-b @production", "wide-v2 · set-a @production");
        // each bar full width at its own label, not one slot of eight in every category
        assertThat(js).contains("barmode: 'overlay'");
    }

    @Test
    void comparison_bars_are_labelled_as_the_difference_chart_labels_the_same_rows() {
        var comparison = bm.compareModels(Filter.models(List.of("wide-v1", "wide-v2")).withLast(Duration.ofDays(1)),
                dev.benchmon.compare.CompareOptions.defaults());
        String bars = Charts.comparison(comparison, "f1").asJavascript("c9");
        String dots = DifferenceChart.forMetric(comparison, "f1", 300).asJavascript("c10");
        // The difference chart draws the non-reference rows: each of their labels names one bar.
        assertThat(barLabels(bars)).contains("wide-v2 · set-a @ci", "wide-v2 · set-b @production");
        assertThat(dots).contains("\"wide-v2 · set-a @ci\"", "\"wide-v2 · set-b @production\"");
    }

    @Test
    void the_difference_chart_draws_its_dots_on_a_numeric_value_axis() {
        var comparison = bm.compareModels(List.of("wide-v1", "wide-v2"), Duration.ofDays(1));
        String js = DifferenceChart.forMetric(comparison, "f1", 300).asJavascript("d1");
        // The dashed zero line (the first trace, which Plotly types the axes by) runs at x = 0 from the first row's
        // label to the last's; swapped, it made the value axis categorical and no dot was drawn.
        assertThat(js).containsPattern("var trace0 =\\s*\\{\\s*x: \\[\"0\\.0\"(,\"0\\.0\")*\\],\\s*y: \\[\"wide-v2 · ");
        // The axes are typed, not left to Plotly's guess from data jsplot writes as strings.
        assertThat(js).containsPattern("xaxis: \\{[^}]*type: 'linear'").containsPattern("yaxis: \\{[^}]*type: 'category'");
    }

    @Test
    void the_difference_chart_keeps_its_rows_in_table_order_with_more_than_two_rows() {
        double[] none = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        String js = DifferenceChart.of("t", "diff", List.of("first", "second", "third", "fourth"),
                new double[]{1, 2, 3, 4}, none, none, List.of("a", "b", "c", "d"), 300).asJavascript("d2");
        // Plotly orders categories by first use across traces, and the zero line is the first trace: it names every
        // row, bottom-up (so the first row is on top), not only the first and the last.
        assertThat(categories(js, 0)).containsExactly("fourth", "third", "second", "first");
        assertThat(categories(js, 1)).containsExactly("fourth", "third", "second", "first");
    }

    private static List<String> categories(String js, int trace) {
        var m = Pattern.compile("var trace" + trace + " =\\s*\\{\\s*x: \\[[^\\]]*\\],\\s*y: \\[([^\\]]*)\\]").matcher(js);
        assertThat(m.find()).as("trace %s in %s", trace, js).isTrue();
        return Pattern.compile("\"([^\"]*)\"").matcher(m.group(1)).results().map(r -> r.group(1)).toList();
    }

    @Test
    void a_trend_has_a_line_per_series_named_as_the_comparison_names_its_rows() {
        String js = Charts.trend(bm.timeSeries(Filter.model("wide-v1"), "f1", Bucket.HOUR)).asJavascript("t1");
        List<String> lines = Pattern.compile("mode: 'lines\\+markers'.*?name: \"([^\"]*)\"", Pattern.DOTALL).matcher(js)
                .results().map(m -> m.group(1)).toList();
        assertThat(lines).containsExactly("wide-v1 · set-a @ci", "wide-v1 · set-a @production", "wide-v1 · set-b @ci",
                "wide-v1 · set-b @production");
        // One series: the model alone names it.
        assertThat(Charts.trend(bm.timeSeries(Filter.model("plain"), "f1", Bucket.HOUR)).asJavascript("t2"))
                .contains("name: \"plain\"").doesNotContain("plain · ");
    }

    @Test
    void axis_titles_carry_the_unit_of_the_metric_definitions_given() {
        var comparison = bm.compareModels(List.of("wide-v1", "wide-v2"), Duration.ofDays(1));
        var definitions = bm.metricDefinitions();
        assertThat(Charts.costQuality(comparison, "f1", "analysis_cost", definitions).asJavascript("u1"))
                .contains("\"analysis_cost (USD, mean)\"", "\"f1 (ratio, mean)\"");
        assertThat(Charts.comparison(comparison, "analysis_cost", Charts.DEFAULT_HEIGHT, definitions).asJavascript("u2"))
                .contains("\"analysis_cost (USD)\"");
        assertThat(Charts.trend(bm.timeSeries(Filter.model("wide-v1"), "analysis_cost", Bucket.HOUR), "cost",
                Charts.DEFAULT_HEIGHT, List.of(), definitions).asJavascript("u3")).contains("\"analysis_cost (USD)\"");
        var history = bm.history(Filter.model("plain"));
        assertThat(Charts.regression(history, "latency_ms", 50, history.longColumn("id").get(0), Double.NaN, List.of(),
                definitions).asJavascript("u4")).contains("\"latency_ms (ms)\"");
        assertThat(DifferenceChart.forMetric(comparison, "analysis_cost", 300, definitions).asJavascript("u5"))
                .contains("\"analysis_cost difference (USD, model − wide-v1)\"");
        // Without definitions the titles are as before.
        assertThat(Charts.costQuality(comparison, "f1", "analysis_cost").asJavascript("u6"))
                .contains("\"analysis_cost (mean)\"");
    }

    @Test
    void a_history_table_given_to_the_trend_chart_is_refused_naming_the_columns_and_the_query_it_needs() {
        var history = bm.history(Filter.all().withLimit(3));
        assertThatThrownBy(() -> Charts.trend(history))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.problems()).singleElement().extracting(ValidationException.Problem::field)
                                .isEqualTo("trend"))
                .hasMessageStartingWith("invalid argument: trend: needs a table from bm.timeSeries(filter, metric, bucket)")
                .hasMessageContaining("bucket, model_version, metric, mean")
                .hasMessageContaining("lacks bucket, metric, mean")
                .hasMessageNotContaining("nothing was stored");
    }

    @Test
    void a_height_out_of_range_is_refused_naming_height() {
        var comparison = bm.compareModels(List.of("wide-v1", "wide-v2"), Duration.ofDays(1));
        assertThatThrownBy(() -> Charts.comparison(comparison, "f1", 20))
                .isInstanceOf(dev.benchmon.InvalidArgumentException.class)
                .hasMessage("invalid argument: height: must be between 100 and 4000 pixels, got 20");
    }

    @Test
    void a_table_other_than_the_metric_definitions_is_refused_as_definitions() {
        var comparison = bm.compareModels(List.of("wide-v1", "wide-v2"), Duration.ofDays(1));
        assertThatThrownBy(() -> Charts.costQuality(comparison, "f1", "analysis_cost", comparison))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("invalid argument: definitions: needs a table from bm.metricDefinitions() (columns name, unit)");
    }

    @Test
    void a_quality_metric_on_the_cost_axis_is_refused_naming_costMetric() {
        var comparison = bm.compareModels(List.of("wide-v1", "wide-v2"), Duration.ofDays(1));
        assertThatThrownBy(() -> Charts.costQuality(comparison, "analysis_cost", "f1"))
                .isInstanceOf(dev.benchmon.InvalidArgumentException.class)
                .hasMessage("invalid argument: costMetric: 'f1' is not a cost (a time, price or memory, lower is better: "
                        + "latency_ms, cost_usd, peak_memory_mb), and a front against it means nothing; "
                        + "Charts.costMetrics(bm.metricDefinitions()) lists the costs");
    }

    @Test
    void a_quality_metric_on_the_cost_axis_is_refused_with_the_definitions_too() {
        var comparison = bm.compareModels(List.of("wide-v1", "wide-v2"), Duration.ofDays(1));
        assertThatThrownBy(() -> Charts.costQuality(comparison, "analysis_cost", "f1", bm.metricDefinitions()))
                .isInstanceOf(dev.benchmon.InvalidArgumentException.class)
                .hasMessageStartingWith("invalid argument: costMetric: 'f1' is not a cost");
    }

    @Test
    void a_metric_that_its_unit_makes_a_cost_is_a_cost_axis_with_the_definitions_and_refused_without_them() {
        bm.defineMetric("sprocket", dev.benchmon.MetricDirection.LOWER_IS_BETTER, "s", null);
        for (String model : List.of("unit-cost-a", "unit-cost-b")) {
            bm.record(BenchmarkResult.builder(model, "d").metric("f1", model.endsWith("a") ? 0.7 : 0.8)
                    .metric("sprocket", model.endsWith("a") ? 3.0 : 5.0).build());
        }
        var comparison = bm.compareModels(List.of("unit-cost-a", "unit-cost-b"), Duration.ofDays(1));

        assertThat(Charts.costQuality(comparison, "f1", "sprocket", bm.metricDefinitions()).asJavascript("w1"))
                .contains("\"sprocket (s, mean)\"");
        assertThatThrownBy(() -> Charts.costQuality(comparison, "f1", "sprocket"))
                .isInstanceOf(dev.benchmon.InvalidArgumentException.class)
                .hasMessageEndingWith("(a metric that its unit makes a cost, such as ms or USD, is known as one when "
                        + "bm.metricDefinitions() is passed as definitions)");
    }

    @Test
    void the_regression_chart_escapes_run_ids_once() {
        var history = bm.history(Filter.model(AWKWARD));
        String js = Charts.regression(history, "f1", 0.8, history.longColumn("id").get(0)).asJavascript("c7");
        assertThat(js).contains("run \\u0026lt;/script\\u0026gt;").doesNotContain("\\u0026amp;lt;");
    }

    @Test
    void the_regression_chart_draws_the_metric_named_not_its_case_twin_or_a_fixed_column() {
        Instant t = Instant.now().minus(Duration.ofHours(2));
        bm.record(BenchmarkResult.builder("twins", "d").runAt(t).metric("F1", 0.123).metric("run_at", 7.5).build());
        bm.record(BenchmarkResult.builder("twins", "d").runAt(t.plusSeconds(60)).metric("f1", 0.987).build());
        var history = bm.history(Filter.model("twins"));
        long id = history.longColumn("id").get(0);

        assertThat(Charts.regression(history, "f1", 0.9, id).asJavascript("c10")).contains("0.987").doesNotContain("0.123");
        assertThat(Charts.regression(history, "F1", 0.1, id).asJavascript("c11")).contains("0.123").doesNotContain("0.987");
        assertThat(Charts.regression(history, "run_at", 7, id).asJavascript("c12")).contains("7.5");
    }

    @Test
    void hover_text_names_the_whole_commit_sha() {
        String sha = "0123456789abcdef0123456789abcdef01234567";
        bm.record(BenchmarkResult.builder("whole-sha", "d").runAt(Instant.now().minus(Duration.ofHours(1))).metric("f1", 0.9)
                .commitSha(sha).build());
        var history = bm.history(Filter.model("whole-sha"));

        assertThat(Charts.trend(bm.timeSeries(Filter.model("whole-sha"), "f1", Bucket.HOUR)).asJavascript("c8"))
                .contains("commit " + sha);
        assertThat(Charts.regression(history, "f1", 0.9, history.longColumn("id").get(0)).asJavascript("c9"))
                .contains("commit " + sha);
    }

    @Test
    void a_trend_draws_min_max_bands_for_up_to_three_lines_only() {
        // wide-v1 has four series (two dataset versions in two environments), plain one.
        String four = Charts.trend(bm.timeSeries(Filter.model("wide-v1"), "f1", Bucket.HOUR)).asJavascript("c10");
        String one = Charts.trend(bm.timeSeries(Filter.model("plain"), "f1", Bucket.HOUR)).asJavascript("c11");

        assertThat(Pattern.compile("var trace\\d+ =").matcher(four).results().count()).isEqualTo(4);
        assertThat(four).doesNotContain("tonexty");
        assertThat(Pattern.compile("var trace\\d+ =").matcher(one).results().count()).isEqualTo(3);
        assertThat(one).contains("tonexty");
    }

    @Test
    void each_point_of_a_trend_line_keeps_its_own_hover_text() {
        String js = Charts.trend(bm.timeSeries(Filter.model(AWKWARD), "f1", Bucket.HOUR)).asJavascript("c12");

        // Three hourly points, each with its own commit, in one array after the line's name.
        assertThat(js).containsPattern("text: \\[\"[^\"]*commit abc0[^\"]*\",\"[^\"]*commit abc1[^\"]*\",\"[^\"]*commit abc2");
    }

    @Test
    void a_trend_draws_the_marks_of_the_series_it_draws_only() {
        var trend = bm.timeSeries(Filter.model("plain"), "f1", Bucket.HOUR);
        Instant at = trend.instantColumn("bucket").get(0);
        var ours = new dev.benchmon.query.ChartMark(dev.benchmon.query.ChartMark.Kind.NOTE, at, 0.7, "plain / d @local",
                "our note");
        var hidden = new dev.benchmon.query.ChartMark(dev.benchmon.query.ChartMark.Kind.NOTE, at, 0.7,
                "a line left out / d @local", "the note of a line left out");

        String js = Charts.trend(trend, "f1", 300, List.of(ours, hidden)).asJavascript("c13");

        assertThat(js).contains("our note").doesNotContain("the note of a line left out");
    }

    @Test
    void a_change_point_of_an_hourly_trend_sits_on_its_hours_point_not_between_two() {
        var trend = bm.timeSeries(Filter.model("plain"), "f1", Bucket.HOUR); // named "f1 by hour"
        Instant run = bm.history(Filter.model("plain")).instantColumn("run_at").get(0); // minutes past its hour
        Instant hour = run.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        assertThat(trend.instantColumn("bucket").asList()).contains(hour).doesNotContain(run);
        var change = new dev.benchmon.query.ChartMark(dev.benchmon.query.ChartMark.Kind.CHANGE_POINT, run, 0.7,
                "plain / d @local", "f1 shifted");

        String js = Charts.trend(trend, "f1", 300, List.of(change)).asJavascript("c15");

        // The dotted line and the triangle of the change point: x at the hour's start, where the line's point is.
        List<String> xs = java.util.Arrays.stream(js.split("var trace")).filter(t -> t.contains("name: \"change points\""))
                .map(t -> t.substring(t.indexOf("x: [") + 4, t.indexOf(']', t.indexOf("x: [")))).toList();
        String at = "\"" + hour + "\"";
        assertThat(xs).containsExactly(at + "," + at, at);
    }

    @Test
    void the_cost_quality_chart_marks_the_pareto_front() {
        String js = Charts.costQuality(bm.compareModels(List.of("plain", AWKWARD), Duration.ofDays(1)), "f1", "latency_ms")
                .asJavascript("c4");
        assertThat(js).contains("Pareto front").contains("(Pareto)");
    }

    @Test
    void the_cost_quality_chart_draws_each_model_once_in_one_colour_with_a_point_per_task() {
        String js = Charts.costQuality(bm.compareModels(List.of("wide-v1", "wide-v2"), Duration.ofDays(1)), "f1",
                "analysis_cost").asJavascript("c16");

        List<String> traces = java.util.Arrays.stream(js.split("var trace")).filter(t -> t.contains("mode: 'markers'")).toList();
        List<String> models = traces.stream().map(t -> t.replaceAll("(?s).*name: \"([^\"]*)\".*", "$1")).toList();
        assertThat(models).hasSize(2).anyMatch(n -> n.startsWith("wide-v1")).anyMatch(n -> n.startsWith("wide-v2"));
        // Each model's points in one colour, sized point by point (large on its task's front).
        assertThat(traces).allMatch(t -> Pattern.compile("color: '#[0-9a-fA-F]{6}'").matcher(t).results().count() == 1,
                "one colour").allMatch(t -> Pattern.compile("size: \\[[0-9.]+(, ?[0-9.]+){3}\\]").matcher(t).find(), "four sizes");
        // Each point's hover text names its task: the model has four, one per dataset version and environment.
        assertThat(js).contains("\"wide-v1 · set-a @ci", "\"wide-v1 · set-a @production", "\"wide-v1 · set-b @ci",
                "\"wide-v1 · set-b @production");
    }

    @Test
    void the_cost_quality_chart_draws_a_front_line_per_dataset_through_that_datasets_models_only() {
        String js = Charts.costQuality(bm.compareModels(List.of("front-small", "front-large"), Duration.ofDays(1)), "f1",
                "analysis_cost").asJavascript("c14");

        // Each dashed line joins the two models of its dataset, cheapest first; none joins squad-v2's 0.78 to gsm8k's.
        List<String> fronts = Pattern.compile("y: \\[([^\\]]*)\\],.*?name: \"(Pareto front[^\"]*)\"", Pattern.DOTALL)
                .matcher(js).results().map(m -> m.group(2) + ": " + m.group(1).replaceAll("[\" ]", "")).toList();
        assertThat(fronts).containsExactly("Pareto front · gsm8k @ci: 0.55,0.7", "Pareto front · squad-v2 @ci: 0.78,0.85");
    }

    @Test
    void a_standalone_page_loads_plotly_from_the_given_location_and_never_a_cdn() {
        String page = ChartHtml.page(Charts.trend(bm.timeSeries("plain", "f1", Duration.ofDays(1))), "f1", "/assets/plotly.min.js");
        assertThat(page).contains("<script src=\"/assets/plotly.min.js\"></script>").doesNotContain("cdn").doesNotContain("https://");
    }

    @Test
    void the_regression_chart_shows_the_history_the_baseline_and_the_point() {
        var history = bm.history(Filter.model("plain"));
        long id = history.longColumn("id").get(0);
        String js = Charts.regression(history, "f1", 0.7, id).asJavascript("c5");
        assertThat(js).contains("baseline 0.7000").contains("\"regression\"");
    }
}
