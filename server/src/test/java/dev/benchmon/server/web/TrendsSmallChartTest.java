package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static dev.benchmon.server.web.DashboardFixture.OBRIEN;
import static dev.benchmon.server.web.DashboardFixture.SCRIPT;
import static dev.benchmon.server.web.SnapshotPageTest.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Trends page's small charts are fragments of their own ({@code GET /trends/small-chart}), which the page names in
 * its placeholders and its script fetches: on the shared page fixture, o'brien-&lt;v2&gt; reports f1 (0.9, 0.9, 0.8)
 * and latency_ms in staging over the last three days.
 */
class TrendsSmallChartTest {
    private static final String VIEW = "/trends/small-chart?env=staging&range=7d";
    private final DashboardFixture f = DashboardFixture.shared();

    private HttpResponse<String> chart(String query) {
        return f.get(VIEW + query);
    }

    @Test
    void aKnownMetricOfTheFocusModelIsItsPlotlyChartWithTheSecurityHeaders() {
        HttpResponse<String> r = chart("&focus=" + enc(OBRIEN) + "&chart=f1");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(Dashboard.CONTENT_SECURITY_POLICY);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String script = Html.chart(r.body(), TrendsSmallChart.divId("f1"));
        assertThat(script).contains("Plotly.newPlot").contains("\"f1 (ratio)\"").contains("y: [\"0.9\"");
        // A fragment, not a page: no layout, no second copy of Plotly.
        assertThat(r.body()).doesNotContain("<html").doesNotContain("<script src=");
    }

    @Test
    void thePagesPlaceholdersNameTheFragmentOfEachMetricOfTheFocusModelWhichAnswers() {
        String html = f.get("/trends?env=staging&range=7d&metric=f1&focus=" + enc(OBRIEN)).body();

        Map<String, String> small = Html.smallCharts(html);
        assertThat(small).containsOnlyKeys("f1", "latency_ms");
        assertThat(small.get("latency_ms")).isEqualTo("/trends/small-chart?env=staging&range=7d&focus="
                + enc(OBRIEN) + "&chart=latency_ms");
        assertThat(Html.chart(f.get(small.get("latency_ms")).body(), TrendsSmallChart.divId("latency_ms")))
                .contains("\"latency_ms (ms)\"");
        // The page itself draws only its main chart.
        assertThat(html.split("Plotly.newPlot", -1)).hasSize(2);
    }

    @Test
    void aMissingFocusIsA400NamingIt() {
        assertRefused(chart("&chart=f1"), "focus: name the model whose chart this is");
    }

    @Test
    void anUnknownFocusIsA400NamingItEscaped() {
        HttpResponse<String> r = chart("&focus=" + enc("<b>nobody</b>") + "&chart=f1");

        assertRefused(r, "focus: unknown model '<b>nobody</b>'");
        assertThat(r.body()).contains("&lt;b&gt;nobody&lt;/b&gt;").doesNotContain("<b>");
    }

    @Test
    void aMissingOrRepeatedChartIsA400NamingIt() {
        assertRefused(chart("&focus=" + enc(OBRIEN)), "chart: name the metric to chart");
        assertRefused(chart("&focus=" + enc(OBRIEN) + "&chart="), "chart: name the metric to chart");
        assertRefused(chart("&focus=" + enc(OBRIEN) + "&chart=f1&chart=latency_ms"), "chart: name one metric (given 2)");
    }

    @Test
    void anUnknownChartIsA400NamingItEscapedWithoutListingTheKnownOnes() {
        HttpResponse<String> r = chart("&focus=" + enc(OBRIEN) + "&chart=" + enc(SCRIPT));

        assertRefused(r, "chart: unknown metric '" + SCRIPT + "'");
        assertThat(r.body()).doesNotContain("<script>");
    }

    @Test
    void aValueHoldingAControlCharacterIsA400NamingItAsThePagesDo() {
        assertRefused(chart("&dataset=known-set%01&focus=" + enc(OBRIEN) + "&chart=f1"),
                "dataset: holds the control character U+0001 at position 9; text may hold any character but control"
                        + " characters");
    }

    @Test
    void aValueNotValidUtf8IsA400NamingItAsThePagesDo() {
        HttpResponse<String> r = chart("&focus=%C0%AF&chart=f1");

        assertRefused(r, "focus: is not valid percent-encoded UTF-8 ('%C0%AF'; a lone surrogate or a broken byte"
                + " sequence); send UTF-8 text");
        assertThat(r.body()).doesNotContain("\uFFFD");
    }

    @Test
    void aPageWithAValueItDidNotUnderstandHasSmallChartsThatDrawWhatItDrew() {
        // The page drops 'nowhere' with a notice and draws staging; its charts' URLs carry the value as given.
        HttpResponse<String> page = f.get("/trends?env=staging,nowhere&range=7d&metric=f1&focus=" + enc(OBRIEN));
        assertThat(page.statusCode()).isEqualTo(400);
        String url = Html.smallCharts(page.body()).get("f1");

        HttpResponse<String> r = f.get(url);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Html.chart(r.body(), TrendsSmallChart.divId("f1")))
                .isEqualTo(Html.chart(chart("&focus=" + enc(OBRIEN) + "&chart=f1").body(), TrendsSmallChart.divId("f1")));
    }

    @Test
    void anUnknownRangeOrParameterFallsBackAsThePageDoesInsteadOfRefusing() {
        String asThePageDrawsIt = Html.chart(f.get("/trends/small-chart?env=staging&focus=" + enc(OBRIEN) + "&chart=f1").body(),
                TrendsSmallChart.divId("f1"));

        HttpResponse<String> r = f.get("/trends/small-chart?env=staging&range=forever&modle=x&focus=" + enc(OBRIEN) + "&chart=f1");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Html.chart(r.body(), TrendsSmallChart.divId("f1"))).isEqualTo(asThePageDrawsIt);
    }

    @Test
    void knownNamesAfterManyUnknownOnesOfTheirKindAreKeptAsOnThePage() {
        // After the first unknown environment the fragment answers the others from the list of environments: staging,
        // named last, must still be found there (and the unknown ones dropped), so the chart is the staging chart.
        StringBuilder envs = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            envs.append("nowhere-").append(i).append(',');
        }
        String asThePageDrawsIt = Html.chart(chart("&focus=" + enc(OBRIEN) + "&chart=f1").body(), TrendsSmallChart.divId("f1"));

        HttpResponse<String> r = f.get("/trends/small-chart?range=7d&env=" + envs + "staging&focus=" + enc(OBRIEN) + "&chart=f1");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Html.chart(r.body(), TrendsSmallChart.divId("f1"))).isEqualTo(asThePageDrawsIt);
    }

    @Test
    void aKnownNameHoldingACommaIsOneNameAsOnThePage() {
        // The fragment checks the names it is given one by one; "a,b" is known, so it is not split into a and b.
        Instant at = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(4));
        f.benchmon.record(BenchmarkResult.builder("comma-model", "a,b").environment("commas").runAt(at)
                .metric("f1", 0.3).idempotencyKey("small-chart-comma-ab").build());
        f.benchmon.record(BenchmarkResult.builder("comma-model", "a").environment("commas").runAt(at)
                .metric("f1", 0.6).idempotencyKey("small-chart-comma-a").build());

        HttpResponse<String> r = f.get("/trends/small-chart?env=commas&range=7d&dataset=" + enc("a,b")
                + "&focus=comma-model&chart=f1");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Html.chart(r.body(), TrendsSmallChart.divId("f1"))).contains("y: [\"0.3\"").doesNotContain("0.6");
    }

    @Test
    void aMetricTheModelHasNoResultsOfInTheViewIsAShortMessageNamingBothEscaped() {
        // The demo data's metrics are known; the fixture's own models report only f1 and latency_ms.
        String other = f.benchmon.metrics().stream().filter(m -> !m.equals("f1") && !m.equals("latency_ms"))
                .findFirst().orElseThrow();
        HttpResponse<String> r = chart("&focus=" + enc(SCRIPT) + "&chart=" + enc(other));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Html.text(r.body())).isEqualTo("No " + other + " results for " + SCRIPT + " in this view.");
        assertThat(r.body()).doesNotContain("<script");
    }

    @Test
    void namesWithMarkupAreEscapedInThePlaceholderAndReachTheChartAsJson() {
        String model = "esc-\"model\"<&>";
        String metric = "m<i>'x'</i>&";
        Instant at = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(2));
        f.benchmon.record(BenchmarkResult.builder(model, "d").environment("escapes").runAt(at).metric(metric, 0.25)
                .idempotencyKey("small-chart-escapes").build());
        String html = f.get("/trends?env=escapes&range=7d&metric=" + enc(metric)).body();

        assertThat(html).contains("data-metric=\"m&lt;i&gt;&#39;x&#39;&lt;/i&gt;&amp;\"")
                .contains("<h3 class=\"chart-label\">m&lt;i&gt;&#39;x&#39;&lt;/i&gt;&amp;</h3>")
                .doesNotContain("<i>");
        String url = Html.smallCharts(html).get(metric);
        assertThat(url).isEqualTo("/trends/small-chart?env=escapes&range=7d&focus=" + enc(model) + "&chart=" + enc(metric));
        HttpResponse<String> r = f.get(url);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("<i>").doesNotContain(model);
        assertThat(Html.chart(r.body(), TrendsSmallChart.divId(metric))).contains("y: [\"0.25\"");
    }

    @Test
    void aChartOfMoreSeriesThanItsCapSaysHowManyItDraws() {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));
        for (int i = 0; i <= TrendsSmallChart.MAX_SMALL_LINES; i++) {
            f.benchmon.record(BenchmarkResult.builder("nine-sets", "set-" + i).environment("capped").runAt(at)
                    .metric("f1", 0.5).idempotencyKey("nine-sets-" + i).build());
        }
        HttpResponse<String> r = f.get("/trends/small-chart?env=capped&range=7d&focus=nine-sets&chart=f1");

        assertThat(Html.text(r.body().replaceAll("(?s).*<p class=\"sub chart-note\">(.*?)</p>.*", "$1")))
                .isEqualTo("Draws 8 of the 9 series of nine-sets (those with the newest results); narrow by dataset or"
                        + " environment in the filter bar to see the others.");
    }

    private static void assertRefused(HttpResponse<String> r, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(Html.text(r.body())).isEqualTo(message);
        assertThat(r.body()).startsWith("<p class=\"chart-error\">");
    }
}
