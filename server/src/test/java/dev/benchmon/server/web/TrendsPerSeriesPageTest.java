package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trends draw a line per series, never a model's average over its datasets: on the shared page fixture, a model of its
 * own (environment {@code two-tasks}) that lm-eval ran on two tasks, hellaswag (f1 0.5732) and arc_easy (0.8013), a
 * day ago.
 */
class TrendsPerSeriesPageTest {
    static final String MODEL = "two-task-model";
    static final String ENVIRONMENT = "two-tasks";
    private static final boolean RECORDED = record(DashboardFixture.shared());
    private final DashboardFixture f = DashboardFixture.shared();

    static boolean record(DashboardFixture f) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(1));
        for (String[] task : new String[][] {{"hellaswag", "0.5732"}, {"arc_easy", "0.8013"}}) {
            f.benchmon.record(BenchmarkResult.builder(MODEL, task[0]).environment(ENVIRONMENT).runAt(at)
                    .metric("f1", Double.parseDouble(task[1])).idempotencyKey("two-tasks-" + task[0]).build());
        }
        return true;
    }

    /** The names and y values of a chart's mean lines (the traces drawn with markers), in order. */
    private static List<String> meanLines(String html, String divId) {
        String chart = Html.chart(html, divId);
        Pattern y = Pattern.compile("y: \\[\"([^\"]*)\"\\]");
        Pattern name = Pattern.compile("name: \"([^\"]*)\"");
        return Arrays.stream(chart.split("var trace")).filter(t -> t.contains("mode: 'lines+markers'"))
                .map(t -> name.matcher(t).results().findFirst().orElseThrow().group(1) + " = "
                        + y.matcher(t).results().findFirst().orElseThrow().group(1))
                .toList();
    }

    /** The fragment of the page's small chart of {@code metric}, fetched as the page's script fetches it. */
    private String smallChart(String page, String metric) {
        String url = Html.smallCharts(page).get(metric);
        assertThat(url).as("small chart of " + metric).isNotNull();
        return f.get(url).body();
    }

    @Test
    void aModelOnTwoDatasetsIsTwoLinesNamedByDatasetEachWithItsOwnMean() {
        assertThat(RECORDED).isTrue();
        String html = f.get("/trends?env=" + ENVIRONMENT + "&range=7d&metric=f1&focus=" + MODEL).body();

        assertThat(meanLines(html, "trend_main")).containsExactly(MODEL + " · arc_easy @" + ENVIRONMENT + " = 0.8013",
                MODEL + " · hellaswag @" + ENVIRONMENT + " = 0.5732");
        // The model's small multiples draw the same two lines.
        assertThat(meanLines(smallChart(html, "f1"), TrendsSmallChart.divId("f1"))).containsExactly(MODEL + " · arc_easy @" + ENVIRONMENT + " = 0.8013",
                MODEL + " · hellaswag @" + ENVIRONMENT + " = 0.5732");
        assertThat(html).contains("One line per series");
    }

    @Test
    void withoutAFocusModelTheSmallChartsShowAModelWithResultsInTheView() {
        assertThat(RECORDED).isTrue();
        // Only this model has results in its environment; the database's first model by name has none there.
        String html = f.get("/trends?env=" + ENVIRONMENT + "&range=7d&metric=f1").body();

        assertThat(html).contains("All metrics of " + MODEL);
        assertThat(meanLines(smallChart(html, "f1"), TrendsSmallChart.divId("f1"))).hasSize(2);
    }
}
