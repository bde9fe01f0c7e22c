package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.alert.AlertFilter;
import dev.benchmon.alert.AlertState;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user reads on the dashboard's pages, over real HTTP on loopback, on a database of its own (environment
 * {@code ci}, dataset {@code d}, within the last week):
 * <ul>
 *   <li>{@code aaa-single}: one run (f1), the alphabetically first model;</li>
 *   <li>{@code beta}: five runs pushed over HTTP with f1, recall and latency_ms and full commit SHAs
 *       ({@code 000…0} to {@code 444…4}), the last worse in all three: regressions and open alerts;</li>
 *   <li>{@code gamma}: three runs (f1), the third excluded with the reason "third time";</li>
 *   <li>{@link #LONG}: a 200-character model name, two runs (f1).</li>
 * </ul>
 */
class PageReadabilityTest {
    private static final String LONG = "long-" + "x".repeat(190) + "-v1.2";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private static final Instant SINGLE_AT = NOW.minus(Duration.ofDays(6));
    @SharedServer
    private static TestServer server;
    private static int betaSeries;
    private static int gammaSeries;

    @BeforeAll
    static void seed() {
        double[] f1 = {0.90, 0.91, 0.89, 0.90, 0.70};
        double[] recall = {0.80, 0.81, 0.79, 0.80, 0.60};
        double[] latency = {100, 101, 99, 100, 150};
        for (int i = 0; i < f1.length; i++) {
            String body = "{\"model_version\":\"beta\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\""
                    + NOW.minus(Duration.ofDays(5 - i)) + "\",\"commit_sha\":\"" + sha(i) + "\",\"metrics\":{\"f1\":"
                    + f1[i] + ",\"recall\":" + recall[i] + ",\"latency_ms\":" + latency[i] + "}}";
            assertThat(server.postJson("/api/v1/results", body).statusCode()).isEqualTo(201);
        }
        server.benchmon().record(BenchmarkResult.builder("aaa-single", "d").environment("ci").runAt(SINGLE_AT)
                .metric("f1", 0.5).build());
        long third = 0;
        for (int i = 0; i < 3; i++) {
            third = server.benchmon().record(BenchmarkResult.builder("gamma", "d").environment("ci")
                    .runAt(NOW.minus(Duration.ofDays(3 - i))).metric("f1", 0.7 + i / 100.0).build()).transactionId();
        }
        server.benchmon().annotations().exclude(third, "third time", "tester");
        for (int i = 0; i < 2; i++) {
            server.benchmon().record(BenchmarkResult.builder(LONG, "d").environment("ci")
                    .runAt(NOW.minus(Duration.ofDays(2 - i))).metric("f1", 0.6).build());
        }
        betaSeries = seriesOf("beta");
        gammaSeries = seriesOf("gamma");
    }

    private static int seriesOf(String model) {
        return server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT id FROM series WHERE model_version = :m")
                .bind("m", model).mapTo(Integer.class).one());
    }

    /** A 40-character SHA of one repeated digit. */
    private static String sha(int i) {
        return String.valueOf(i).repeat(40);
    }

    private static String page(String path) {
        var r = server.get(path);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The options of the select with this id, as {@code value=label}, the selected ones marked with {@code *}. */
    private static List<String> options(String html, String id) {
        int start = html.indexOf("<select id=\"" + id + "\"");
        assertThat(start).as("select #" + id).isNotNegative();
        String select = html.substring(start, html.indexOf("</select>", start));
        Matcher m = Pattern.compile("<option value=\"([^\"]*)\"( selected)?>([^<]*)</option>").matcher(select);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add((m.group(2) == null ? "" : "*") + Html.unescape(m.group(1)) + "=" + Html.unescape(m.group(3)));
        }
        return out;
    }

    // ---- 1. the Regressions tab's Metric selector shows what its table holds ------------------------

    @Test
    void without_a_metric_the_regressions_selector_shows_all_metrics_selected_as_the_table_holds_them() {
        String html = page("/regressions?range=7d");

        assertThat(options(html, "f-metric")).startsWith("*=All metrics").contains("f1=f1", "recall=recall")
                .filteredOn(o -> o.startsWith("*")).hasSize(1);
        assertThat(Html.table(html, "regression-table")).extracting(row -> row.get(1))
                .contains("f1 ↑", "recall ↑", "latency_ms ↓");
    }

    @Test
    void applying_the_regressions_filters_unchanged_keeps_every_metric() {
        // The form sends the selected "All metrics" option's empty value.
        String html = page("/regressions?env=ci&range=7d&metric=");

        assertThat(options(html, "f-metric")).startsWith("*=All metrics");
        assertThat(Html.table(html, "regression-table")).hasSize(4); // header and beta's f1, recall and latency_ms
        assertThat(html).doesNotContain("role=\"alert\"");
    }

    @Test
    void with_a_metric_the_regressions_selector_shows_it_and_the_table_only_it() {
        String html = page("/regressions?range=7d&metric=recall");

        assertThat(options(html, "f-metric")).contains("=All metrics", "*recall=recall")
                .filteredOn(o -> o.startsWith("*")).hasSize(1);
        assertThat(Html.table(html, "regression-table")).hasSize(2); // header and beta's recall
    }

    @Test
    void the_other_tabs_chart_one_metric_and_offer_no_all_metrics_option() {
        assertThat(options(page("/trends?range=7d"), "f-metric")).noneMatch(o -> o.contains("All metrics"));
    }

    // ---- 2. alert tables shorten commit ranges as other tables shorten commits ----------------------

    @Test
    void the_alerts_table_shows_each_commit_of_a_range_by_12_characters_with_the_full_range_as_tooltip() {
        String html = page("/alerts?state=all");

        String range = sha(3) + ".." + sha(4);
        assertThat(html).contains("<span title=\"" + range + "\">333333333333..444444444444</span>");
        assertThat(Html.table(html, "alerts-table")).extracting(row -> row.get(5)).contains("333333333333..444444444444")
                .doesNotContain(range);
    }

    @Test
    void the_series_pages_alerts_table_shortens_commit_ranges_too() {
        assertThat(server.benchmon().alertBook().list(AlertFilter.states(AlertState.OPEN))).isNotEmpty();
        String html = page("/series/" + betaSeries);

        assertThat(Html.table(html, "series-alerts")).extracting(row -> row.get(5)).contains("333333333333..444444444444");
        assertThat(html).contains("title=\"" + sha(3) + ".." + sha(4) + "\"");
    }

    // ---- 3. long names wrap, with the whole name as tooltip; legends shorten ----------------------

    @Test
    void a_long_models_trend_legend_is_shortened_and_its_hover_names_it_whole() {
        String html = page("/trends?range=7d&model=" + enc(LONG));
        String chart = Html.chart(html, "trend_main");

        String shortened = LONG.substring(0, 26) + "…" + LONG.substring(200 - 13); // 40 characters, its end kept
        assertThat(chart).contains("name: \"" + shortened + "\",") // the legend entry
                .doesNotContain("name: \"" + LONG + "\"")
                .contains("text: [\"" + LONG + "\\u003cbr\\u003en=1") // the hover text names it whole
                .contains("hoverlabel: {namelength: 0}"); // and not shortened beside it
    }

    @Test
    void a_long_name_in_a_heading_has_its_whole_name_as_tooltip_and_headings_wrap() {
        String trends = page("/trends?range=7d&model=" + enc(LONG) + "&focus=" + enc(LONG));
        assertThat(Html.attribute(trends, "focus-title", "title")).isEqualTo(LONG);

        String series = page("/series/" + seriesOf(LONG));
        assertThat(Html.attribute(series, "series-title", "title")).startsWith(LONG);
        assertThat(page("/assets/dashboard.css")).contains("h1, h2, h3 { overflow-wrap: anywhere; }")
                .contains(".card-head > div { min-width: 0; }");
    }

    // ---- 4. the Snapshot's regression card says it counts verdicts, not alerts --------------------

    @Test
    void the_snapshot_card_counts_latest_verdicts_and_links_to_the_regressions_tab() {
        String html = page("/?range=7d");

        assertThat(html).doesNotContain("Open regressions")
                .contains("<div class=\"kpi-label\">Regressions (latest verdicts)</div>")
                .contains("latest run is beyond ").contains("; open alerts are counted on the Alerts tab");
        int card = html.indexOf("Regressions (latest verdicts)");
        String value = html.substring(html.indexOf("<div class=\"kpi-value\">", card), html.indexOf("</div>",
                html.indexOf("<div class=\"kpi-value\">", card)));
        assertThat(Html.hrefs(value)).containsExactly("/regressions?range=7d");
        assertThat(Html.text(value)).isEqualTo("3"); // beta's f1, recall and latency_ms
    }

    // ---- 6. the comparison's default reference has something to compare ----------------------------

    @Test
    void without_a_chosen_model_the_comparison_refers_to_the_model_with_the_most_runs_and_says_so() {
        String html = page("/compare?range=7d");

        assertThat(options(html, "f-ref")).contains("*beta=beta");
        assertThat(html).contains("<h2>Compared with beta</h2>")
                .contains("Reference: the model with the most f1 runs in this view; choose another here.")
                .doesNotContain("Nothing to compare");
    }

    @Test
    void the_default_reference_is_chosen_by_runs_counted_before_the_one_comparison_as_the_comparison_counts_them() {
        dev.benchmon.Filter week = dev.benchmon.Filter.all().withLast(Duration.ofDays(7));
        java.util.Map<String, Long> fromComparison = new java.util.TreeMap<>();
        for (var r : server.benchmon().compareModels(week, dev.benchmon.compare.CompareOptions.defaults())) {
            if (r.getString("metric").equals("f1")) {
                fromComparison.merge(r.getString("model_version"), (long) r.getInt("n"), Long::sum);
            }
        }

        // Counted from the rollups: the runs the comparison counts, without comparing.
        assertThat(server.benchmon().runsPerModel(week, "f1")).isEqualTo(fromComparison)
                .containsEntry("aaa-single", 1L).containsEntry("beta", 5L).containsEntry(LONG, 2L);
        assertThat(server.benchmon().runsPerModel(week, "recall")).containsOnlyKeys("beta");
        assertThat(ComparePage.mostRuns(java.util.Map.of("b", 5L, "a", 5L, "c", 1L), "c")).isEqualTo("a");
        assertThat(ComparePage.mostRuns(java.util.Map.of(), "c")).isEqualTo("c");
    }

    @Test
    void a_chosen_reference_is_kept() {
        String html = page("/compare?range=7d&ref=gamma");

        assertThat(options(html, "f-ref")).contains("*gamma=gamma");
        assertThat(html).doesNotContain("id=\"reference-note\"");
    }

    // ---- 7. a single point's time axis spans days, not milliseconds --------------------------------

    @Test
    void a_trend_of_one_point_spans_a_day_either_side() {
        String chart = Html.chart(page("/trends?range=7d&model=aaa-single&metric=f1"), "trend_main");

        Instant day = SINGLE_AT.truncatedTo(ChronoUnit.DAYS);
        assertThat(chart).contains("range: [\"" + day.minus(Duration.ofDays(1)) + "\", \"" + day.plus(Duration.ofDays(1))
                + "\"]");
    }

    @Test
    void a_trend_of_one_hourly_bucket_spans_an_hour_either_side_in_the_main_and_the_small_chart() {
        // One day's view is in hourly buckets; beta's newest run is the only one of it on its day.
        Instant run = NOW.minus(Duration.ofDays(1));
        String view = "range=custom&from=" + run.atZone(java.time.ZoneOffset.UTC).toLocalDate() + "&to="
                + run.atZone(java.time.ZoneOffset.UTC).toLocalDate();
        Instant hour = run.truncatedTo(ChronoUnit.HOURS);
        String range = "range: [\"" + hour.minus(Duration.ofHours(1)) + "\", \"" + hour.plus(Duration.ofHours(1)) + "\"]";

        assertThat(Html.chart(page("/trends?" + view + "&model=beta&metric=f1"), "trend_main")).contains(range);
        assertThat(page("/trends/small-chart?" + view + "&focus=beta&chart=f1")).contains(range);
    }

    @Test
    void a_series_page_chart_of_one_run_spans_a_day_either_side() {
        String html = page("/series/" + seriesOf("aaa-single"));

        assertThat(html).contains("\"xaxis\":{\"range\":[\"" + SINGLE_AT.minus(Duration.ofDays(1)) + "\",\""
                + SINGLE_AT.plus(Duration.ofDays(1)) + "\"]}");
    }

    @Test
    void a_chart_of_several_points_keeps_plotlys_own_range() {
        assertThat(Html.chart(page("/trends?range=7d&model=gamma&metric=f1"), "trend_main")).doesNotContain("range: [");
    }

    // ---- 8. an exclusion reason is shown as written ------------------------------------------------

    @Test
    void the_exclusion_badge_shows_the_reason_as_written() {
        String html = page("/series/" + gammaSeries);

        assertThat(html).contains("<span class=\"badge excluded\">Excluded: third time</span>");
        assertThat(page("/assets/dashboard.css")).contains(".badge.excluded { text-transform: none; }");
    }
}
