package dev.benchmon.chart;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChartsTest {
    private static final String AWKWARD = "o'brien-<v2>";
    private static final String SCRIPT = "</script><script>alert(1)</script>";
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
    }

    @AfterAll
    static void close() {
        bm.close();
    }

    @Test
    void trend_names_reach_plotly_as_json_strings_not_html_entities() {
        String html = ChartHtml.fragment(Charts.trend(bm.timeSeries(Filter.all(), "f1", Bucket.HOUR)), "c1");
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
    void the_regression_chart_escapes_run_ids_once() {
        var history = bm.history(Filter.model(AWKWARD));
        String js = Charts.regression(history, "f1", 0.8, history.longColumn("id").get(0)).asJavascript("c7");
        assertThat(js).contains("run \\u0026lt;/script\\u0026gt;").doesNotContain("\\u0026amp;lt;");
    }

    @Test
    void the_cost_quality_chart_marks_the_pareto_front() {
        String js = Charts.costQuality(bm.compareModels(List.of("plain", AWKWARD), Duration.ofDays(1)), "f1", "latency_ms")
                .asJavascript("c4");
        assertThat(js).contains("Pareto front").contains("(Pareto)");
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
