package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main Trends chart draws at most {@value TrendsPage#MAX_CHARTED_LINES} lines, also of chosen models, and each small
 * chart at most {@value TrendsSmallChart#MAX_SMALL_LINES}: one model
 * that lm-eval ran on 30 tasks, a task a day (25 hours apart, so each is newest in its own daily bucket),
 * task-00 the oldest and task-29 the newest, is 30 lines (12 such models were 600).
 */
class TrendsLineCapPageTest {
    private static final int TASKS = 30;
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        Instant now = Instant.now();
        List<BenchmarkResult> results = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            results.add(BenchmarkResult.builder("many-tasks", String.format(Locale.ROOT, "task-%02d", i)).environment("ci")
                    .runAt(now.minus(Duration.ofHours(25L * (TASKS - i)))).metric("f1", 0.5).build());
        }
        server.benchmon().importAll(results, n -> { });
    }

    @Test
    void a_chosen_model_on_more_tasks_than_the_cap_draws_the_lines_with_the_newest_results_and_says_so() {
        HttpResponse<String> r = server.get("/trends?range=90d&model=many-tasks&metric=f1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        List<String> lines = meanLines(r.body());
        assertThat(lines).hasSize(TrendsPage.MAX_CHARTED_LINES)
                .contains("many-tasks · task-06 @ci", "many-tasks · task-29 @ci")
                .doesNotContain("many-tasks · task-00 @ci", "many-tasks · task-05 @ci");
        assertThat(Html.text(r.body().replaceAll("(?s).*<p class=\"sub\" id=\"charted-note\">(.*?)</p>.*", "$1")))
                .isEqualTo("Showing 24 of 30 lines, those with the newest f1 results; narrow by dataset or environment"
                        + " in the filter bar to chart others.");
    }

    @Test
    void each_small_chart_draws_the_newest_series_up_to_its_own_cap_and_says_so() {
        String page = server.get("/trends?range=90d&model=many-tasks&metric=f1").body();
        HttpResponse<String> r = server.get(Html.smallCharts(page).get("f1"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        assertThat(meanLines(r.body(), TrendsSmallChart.divId("f1"))).hasSize(TrendsSmallChart.MAX_SMALL_LINES)
                .contains("many-tasks · task-29 @ci", "many-tasks · task-22 @ci")
                .doesNotContain("many-tasks · task-21 @ci", "many-tasks · task-00 @ci");
        assertThat(Html.text(r.body().replaceAll("(?s).*<p class=\"sub chart-note\">(.*?)</p>.*", "$1")))
                .isEqualTo("Draws 8 of the 30 series of many-tasks (those with the newest results); narrow by"
                        + " dataset or environment in the filter bar to see the others.");
        assertThat(page).doesNotContain("id=\"small-note\"");
    }

    /** The names of the main chart's mean lines (the traces drawn with markers). */
    private static List<String> meanLines(String html) {
        return meanLines(html, "trend_main");
    }

    /** The names of the mean lines of the chart {@code id}. */
    private static List<String> meanLines(String html, String id) {
        String chart = Html.chart(html, id);
        Pattern name = Pattern.compile("name: \"([^\"]*)\"");
        return Arrays.stream(chart.split("var trace")).filter(t -> t.contains("mode: 'lines+markers'"))
                .map(t -> name.matcher(t).results().findFirst().orElseThrow().group(1)).toList();
    }
}
