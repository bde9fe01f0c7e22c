package dev.benchmon.server.web;

import dev.benchmon.Filter;
import dev.benchmon.alert.RunRecords;
import org.junit.jupiter.api.Test;

import static dev.benchmon.server.web.DashboardFixture.OBRIEN;
import static dev.benchmon.server.web.DashboardFixture.SCRIPT;
import static dev.benchmon.server.web.SnapshotPageTest.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every chart of the dashboard titles a metric's axis with the unit its definition gives, as the toolkit's charts do
 * when given the definitions: the shared fixture's metrics are two of those every database starts with defined
 * (latency_ms in ms, f1 a ratio; {@code benchmon metrics define NAME --unit U} sets others). Titles reach the page as
 * JSON strings inside the chart's script. Their hover text names commits by the whole SHA (the tables show 12 characters
 * with the whole SHA as tooltip; a chart's hover text has nothing more to point at).
 */
class ChartUnitsTest {
    private final DashboardFixture f = DashboardFixture.shared();

    private String page(String path) {
        var r = f.get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    @Test
    void theTrendOfAMetricWithAUnitHasItOnItsValueAxis() {
        String html = page("/trends?env=staging&range=7d&metric=latency_ms");

        assertThat(Html.chart(html, "trend_main")).contains("\"latency_ms (ms)\"");
    }

    @Test
    void eachSmallTrendCarriesTheUnitOfItsOwnMetric() {
        String html = page("/trends?env=staging&range=7d&metric=f1&focus=" + enc(OBRIEN));
        String latency = page(Html.smallCharts(html).get("latency_ms"));

        assertThat(Html.chart(latency, TrendsSmallChart.divId("latency_ms"))).contains("\"latency_ms (ms)\"");
        assertThat(Html.chart(html, "trend_main")).doesNotContain("(ms)").contains("\"f1 (ratio)\"");
    }

    @Test
    void theDifferenceChartOfAMetricWithAUnitHasItOnItsAxis() {
        String html = page("/compare?env=staging&range=7d&model=" + enc(OBRIEN) + "&model=" + enc(SCRIPT));

        assertThat(html).contains("\"latency_ms difference (ms, model \u2212 o\\u0027brien-\\u0026lt;v2\\u0026gt;)\"");
    }

    @Test
    void theCostQualityScatterHasTheUnitOnTheCostAxis() {
        String html = page("/compare?env=staging&range=7d&quality=f1&cost=latency_ms");

        assertThat(Html.chart(html, "compare_scatter")).contains("\"latency_ms (ms, mean)\"").contains("\"f1 (ratio, mean)\"");
    }

    @Test
    void theRegressionDetailOfAMetricWithAUnitHasItOnItsValueAxis() {
        long lastRun = f.benchmon.history(Filter.model(OBRIEN)).longColumn("id").asList().stream()
                .max(Long::compare).orElseThrow();
        String html = page("/regressions?env=staging&range=7d&sel=" + lastRun + ":latency_ms");

        assertThat(Html.chart(html, "regression_detail")).contains("\"latency_ms (ms)\"");
    }

    @Test
    void chartHoverTextNamesTheWholeCommitSha() {
        int series = new RunRecords(f.benchmon.jdbi()).seriesIds().get(OBRIEN + " / known-set / p-1 @staging");
        long lastRun = f.benchmon.history(Filter.model(OBRIEN)).longColumn("id").asList().stream()
                .max(Long::compare).orElseThrow();
        String sha = DashboardFixture.OBRIEN_LAST_SHA;

        assertThat(Html.chart(page("/series/" + series), "series_chart_0")).contains(" · commit " + sha + "\\u003cbr\\u003ef1 = 0.8");
        assertThat(Html.chart(page("/trends?env=staging&range=7d&metric=f1"), "trend_main")).contains("commit " + sha);
        assertThat(Html.chart(page("/regressions?env=staging&range=7d&sel=" + lastRun + ":f1"), "regression_detail"))
                .contains("commit " + sha);
    }

    @Test
    void theSeriesPageChartHasTheUnitOnItsAxisAndInItsHoverText() {
        int series = new RunRecords(f.benchmon.jdbi()).seriesIds().get(OBRIEN + " / known-set / p-1 @staging");
        String html = page("/series/" + series);

        String latency = Html.chart(html, "series_chart_1"); // metrics by name: f1, latency_ms
        assertThat(latency).contains("\"latency_ms (ms)\"").contains("latency_ms = 90 ms");
        // A proportion's unit names its axis; its values read as they are (0.8, as push and the run page write it).
        assertThat(Html.chart(html, "series_chart_0")).contains("\"f1 (ratio)\"").contains("f1 = 0.8")
                .doesNotContain("0.8 ratio").doesNotContain(" ms");
    }
}
