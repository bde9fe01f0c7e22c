package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

import static dev.benchmon.server.web.DashboardFixture.OBRIEN;
import static dev.benchmon.server.web.DashboardFixture.SCRIPT;
import static org.assertj.core.api.Assertions.assertThat;

class SnapshotPageTest {
    private final DashboardFixture f = DashboardFixture.shared();
    private static final String STAGING_WEEK = "?env=staging&range=7d";

    /** QUICKREF: a value not understood is named in a notice above the page, which still renders (status 400). */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "/?range=30d&page=-1     | page: must be a page number from 1, got &#39;-1&#39;",
            "/?range=30d&page=abc    | page: must be a page number from 1, got &#39;abc&#39;",
            "/?range=30d&sort=nosuch | sort: unknown column &#39;nosuch&#39;",
            "/?range=30d&order=sideways | order: must be asc or desc, got &#39;sideways&#39;"})
    void a_page_sort_or_order_not_understood_is_named_in_a_notice(String path, String notice) {
        HttpResponse<String> r = f.get(path);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>" + notice).contains("snapshot-table");
    }

    @Test
    void a_page_past_the_last_shows_the_last_page_with_a_notice_and_status_200() {
        // A bookmarked or refreshing URL after the data shrank: valid, only adjusted.
        HttpResponse<String> r = f.get("/?range=30d&page=999");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<li>page: 999 is past the last page (1); showing the last page</li>")
                .contains("snapshot-table").doesNotContain("role=\"alert\"");
    }

    @Test
    void an_unknown_sort_names_every_sortable_column() {
        assertThat(f.get("/?range=30d&sort=nosuch").body()).contains("(known: model, dataset, prompt, environment, run_at,"
                + " runs, commit, run, or m: and a metric&#39;s column label)");
    }

    @Test
    void theTableShowsTheLatestValueOfEverySeriesInTheFilter() {
        List<List<String>> table = Html.table(f.get("/" + STAGING_WEEK).body(), "snapshot-table");

        assertThat(table.get(0)).containsExactly("Model", "Dataset", "Prompt", "Environment", "f1", "latency_ms",
                "Last run (UTC)", "Runs", "Commit", "Run");
        assertThat(table).hasSize(3);
        assertThat(table.get(1).subList(0, 6)).containsExactly(SCRIPT, "known-set", "p-1", "staging", "0.72", "205");
        assertThat(table.get(2).subList(0, 6)).containsExactly(OBRIEN, "known-set", "p-1", "staging", "0.8", "90");
        assertThat(table.get(2).subList(7, 10)).containsExactly("3", "0b0b0b0b1234", DashboardFixture.OBRIEN_LAST_RUN);
    }

    /** The cards count the time range's runs; the Runs column counts every run of a series, and says so. */
    @Test
    void the_runs_column_says_it_counts_every_run_of_the_series_not_the_time_range() {
        String html = f.get("/" + STAGING_WEEK).body();

        assertThat(html).containsPattern("<th scope=\"col\"[^>]* title=\"All runs of the series, not only those in the "
                + "time range\"><a [^>]*><span class=\"label\">Runs</span>");
        assertThat(html).containsPattern("<th scope=\"col\"[^>]* title=\"The CI run \\(run_id\\) of the series&#39; last "
                + "result\"><a [^>]*><span class=\"label\">Run</span>");
    }

    @Test
    void metricsAreColouredAgainstTheirBaselineInTheMetricsDirection() {
        String html = f.get("/" + STAGING_WEEK).body();

        // f1 0.8 against a mean of 0.9: an 11% drop, a regression; latency 90 against 100: lower is better.
        assertThat(html).containsPattern("<td class=\"regressed num\" title=\"baseline 0.9 \\(2 runs\\), change \u221211.1%, [a-z]+ regression\">0.8</td>");
        assertThat(html).contains("<td class=\"better num\" title=\"baseline 100 (2 runs), change \u221210.0%\">90</td>");
        // f1 0.72 against 0.705 is better; latency 205 against 205 is unchanged.
        assertThat(html).contains("<td class=\"better num\" title=\"baseline 0.705 (2 runs), change +2.1%\">0.72</td>");
        assertThat(html).contains("<td class=\"same num\" title=\"baseline 205 (2 runs), change +0.0%\">205</td>");
    }

    /**
     * A new user's trial: accuracy 0.9 in runs n1 and n2, then 0.5 in n3, which is excluded (a flaky GPU node). The
     * Current Snapshot shows the newest run that counts, n2's 0.9, judged against n1 (unchanged), and never n3's 0.5
     * labelled "same"; including n3 again shows it, judged against n1 and n2.
     */
    @Test
    void anExcludedRunsValueIsNotTheCurrentValueAndIncludingItAgainShowsIt() {
        Instant at = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        long n3 = 0;
        double[] accuracy = {0.9, 0.9, 0.5};
        for (int i = 0; i < 3; i++) {
            n3 = f.benchmon.record(BenchmarkResult.builder("nb-model", "d1").environment("excluded-run")
                    .metric("accuracy", accuracy[i]).runId("n" + (i + 1)).runAt(at.plus(Duration.ofHours(i)))
                    .idempotencyKey("excluded-run-" + i).build()).transactionId();
        }
        f.benchmon.annotations().exclude(n3, "flaky GPU node", "ana");

        String excluded = f.get("/?model=nb-model&env=excluded-run&range=7d").body();

        List<List<String>> table = Html.table(excluded, "snapshot-table");
        assertThat(table).hasSize(2);
        assertThat(table.get(1).subList(0, 5)).containsExactly("nb-model", "d1", "", "excluded-run", "0.9");
        assertThat(excluded).contains("<td class=\"same num\" title=\"baseline 0.9 (1 run), change +0.0%\">0.9</td>")
                .doesNotContain(">0.5</td>");

        f.benchmon.annotations().annotate(n3, "included", "the node was fine", "ana");

        assertThat(f.get("/?model=nb-model&env=excluded-run&range=7d").body()).containsPattern(
                "<td class=\"regressed num\" title=\"baseline 0.9 \\(2 runs\\), change \u221244.4%, [a-z]+ regression\">0.5</td>");
    }

    @Test
    void aMetricOfUnknownDirectionIsNeitherBetterNorWorseAndItsColumnSaysSo() {
        for (int i = 0; i < 4; i++) { // widgets: neither defined nor in the dictionary
            f.benchmon.record(BenchmarkResult.builder("widget-model", "set").environment("unknown-dir")
                    .metric("widgets", i < 3 ? 100 : 60).runAt(java.time.Instant.now().minusSeconds(3600L * (4 - i)))
                    .idempotencyKey("unknown-dir-" + i).build());
        }

        String html = f.get("/?env=unknown-dir&range=7d").body();

        assertThat(html).contains("<span class=\"dir\" title=\"direction unknown: declare it with benchmon metrics define\">·</span>");
        assertThat(html).contains("<td class=\"changed num\" title=\"baseline 100 (3 runs), change −40.0%\">60</td>");
    }

    @Test
    void kpiCardsCountSeriesRunsModelsAndRegressions() {
        String html = f.get("/" + STAGING_WEEK).body();

        assertThat(kpi(html, "Series tracked")).isEqualTo("2");
        assertThat(kpi(html, "Runs in window")).isEqualTo("6");
        assertThat(kpi(html, "Models")).isEqualTo("2");
        assertThat(kpi(html, SnapshotPage.REGRESSIONS_CARD)).isEqualTo("1");
        assertThat(kpi(html, "Last ingest")).isNotEqualTo("never");
    }

    @Test
    void theRegressionsCardSaysItCountsMetricsAndInHowManySeries() {
        String html = f.get("/" + STAGING_WEEK).body();

        assertThat(kpiDetail(html, SnapshotPage.REGRESSIONS_CARD))
                .startsWith("1 metric in 1 series whose latest run is beyond ").endsWith("; open alerts are counted on the Alerts tab");
    }

    @Test
    void namesWithQuotesAndAngleBracketsAreEscapedAsText() {
        String html = f.get("/" + STAGING_WEEK).body();

        assertThat(html).doesNotContain("<script>alert(1)</script>").doesNotContain("<v2>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("o&#39;brien-&lt;v2&gt;");
    }

    @Test
    void choosingAModelNarrowsTheTableAndKeepsTheOtherFilters() {
        String html = f.get("/" + STAGING_WEEK + "&model=" + enc(OBRIEN)).body();

        List<List<String>> table = Html.table(html, "snapshot-table");
        assertThat(table).hasSize(2);
        assertThat(table.get(1).get(0)).isEqualTo(OBRIEN);
        // Tab links carry every filter.
        assertThat(html).contains("href=\"/trends?env=staging&amp;range=7d&amp;model=o%27brien-%3Cv2%3E\"");
    }

    @Test
    void sortingByAMetricOrdersTheRowsAndIsInTheUrl() {
        List<List<String>> desc = Html.table(f.get("/?range=30d&sort=m:f1&order=desc").body(), "snapshot-table");
        List<List<String>> asc = Html.table(f.get("/?range=30d&sort=m:f1&order=asc").body(), "snapshot-table");

        int col = desc.get(0).indexOf("f1");
        List<Double> f1 = desc.subList(1, desc.size()).stream().map(r -> r.get(col))
                .map(v -> v.isEmpty() ? Double.NEGATIVE_INFINITY : Double.parseDouble(v)).toList();
        assertThat(f1).hasSizeGreaterThan(10).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(asc.get(1).get(col)).isEqualTo(String.valueOf(f1.stream().filter(Double::isFinite).min(Double::compare).orElseThrow()));
    }

    @Test
    void theCsvDownloadHoldsWhatTheTableShows() {
        String query = "?range=30d&sort=m:latency_ms&order=asc";
        List<List<String>> shown = shownWithFullCommits(f.get("/" + query).body());
        HttpResponse<String> csv = f.get("/snapshot.csv" + query);

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
        assertThat(csv.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).contains("attachment"));
        assertThat(asShown(Csv.parse(csv.body()))).isEqualTo(shown);
        assertThat(shown).hasSizeGreaterThan(10);
    }

    /**
     * The CSV as the page shows it: each last run's ISO-8601 instant to the minute, and each metric value (the
     * columns between Environment and the last run) rounded to the page's six significant digits.
     */
    static List<List<String>> asShown(List<List<String>> csv) {
        int runAt = csv.get(0).indexOf("Last run (UTC)");
        int firstMetric = csv.get(0).indexOf("Environment") + 1;
        java.time.format.DateTimeFormatter minutes = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                .withZone(java.time.ZoneOffset.UTC);
        List<List<String>> out = new java.util.ArrayList<>(List.of(csv.get(0)));
        for (List<String> row : csv.subList(1, csv.size())) {
            List<String> shown = new java.util.ArrayList<>(row);
            shown.set(runAt, minutes.format(Instant.parse(row.get(runAt))));
            for (int c = firstMetric; c < runAt; c++) {
                shown.set(c, row.get(c).isEmpty() ? "" : Formats.number(Double.parseDouble(row.get(c))));
            }
            out.add(shown);
        }
        return out;
    }

    /** The snapshot table's text as the page shows it, but each commit as its full SHA (the cell's tooltip). */
    static List<List<String>> shownWithFullCommits(String html) {
        List<List<String>> text = Html.table(html, "snapshot-table");
        List<List<String>> raw = Html.rawTable(html, "snapshot-table");
        int commit = text.get(0).indexOf("Commit");
        List<List<String>> out = new java.util.ArrayList<>(List.of(text.get(0)));
        for (int i = 1; i < text.size(); i++) {
            List<String> row = new java.util.ArrayList<>(text.get(i));
            java.util.regex.Matcher title = java.util.regex.Pattern.compile("title=\"([^\"]*)\"").matcher(raw.get(i).get(commit));
            row.set(commit, title.find() ? Html.unescape(title.group(1)) : "");
            out.add(row);
        }
        return out;
    }

    @Test
    void theCsvDownloadHoldsFullCommitShasWhereThePageShortensThem() {
        String html = f.get("/" + STAGING_WEEK).body();
        List<List<String>> csv = Csv.parse(f.get("/snapshot.csv" + STAGING_WEEK).body());

        assertThat(Html.table(html, "snapshot-table").get(2).get(8)).isEqualTo("0b0b0b0b1234");
        assertThat(html).contains("title=\"" + DashboardFixture.OBRIEN_LAST_SHA + "\"");
        assertThat(csv.get(2).get(8)).isEqualTo(DashboardFixture.OBRIEN_LAST_SHA);
        assertThat(asShown(csv)).isEqualTo(shownWithFullCommits(html));
    }

    @Test
    void theCsvDownloadHoldsTheLastRunAsAnIsoInstantWhereThePageShowsItsMinute() {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(1)).plusMillis(22_125);
        f.benchmon.record(BenchmarkResult.builder("timed-model", "timed-set").environment("csv-time").runAt(at)
                .metric("f1", 0.5).idempotencyKey("dashboard-csv-time").build());

        List<List<String>> table = Html.table(f.get("/?env=csv-time&range=7d").body(), "snapshot-table");
        List<List<String>> csv = Csv.parse(f.get("/snapshot.csv?env=csv-time&range=7d").body());

        int runAt = csv.get(0).indexOf("Last run (UTC)");
        assertThat(table.get(1).get(runAt)).isEqualTo(at.toString().substring(0, 16).replace('T', ' ')); // yyyy-MM-dd HH:mm
        // As the API's CSV writes instants (Instant.toString): the seconds and milliseconds the minute drops.
        assertThat(csv.get(1).get(runAt)).isEqualTo(at.toString()).endsWith(":22.125Z");
    }

    @Test
    void theCsvDownloadHoldsMetricValuesUnroundedWhereThePageShowsSixDigits() {
        f.benchmon.record(BenchmarkResult.builder("precise-model", "precise-set").environment("csv-digits")
                .metric("f1", 0.123456789012).idempotencyKey("dashboard-csv-digits").build());

        List<List<String>> table = Html.table(f.get("/?env=csv-digits&range=7d").body(), "snapshot-table");
        List<List<String>> csv = Csv.parse(f.get("/snapshot.csv?env=csv-digits&range=7d").body());

        int f1 = csv.get(0).indexOf("f1");
        assertThat(table.get(1).get(f1)).isEqualTo("0.123457");
        assertThat(csv.get(1).get(f1)).isEqualTo("0.123456789012");
    }

    @Test
    void theCsvDownloadNamesMetricsDifferingOnlyInCaseAsStored() {
        f.benchmon.record(BenchmarkResult.builder("case-caps", "case-set").environment("csv-case")
                .metric("F1", 0.4).idempotencyKey("dashboard-csv-case-caps").build());
        f.benchmon.record(BenchmarkResult.builder("case-m1", "case-set").environment("csv-case")
                .metric("f1", 0.5).idempotencyKey("dashboard-csv-case-m1").build());

        List<List<String>> csv = Csv.parse(f.get("/snapshot.csv?env=csv-case&range=7d").body());

        assertThat(csv.get(0)).contains("F1", "f1").doesNotContain("f1_2");
        assertThat(csv).hasSize(3);
        assertThat(csv.get(1).get(csv.get(0).indexOf("F1"))).isEqualTo("0.4");
        assertThat(csv.get(2).get(csv.get(0).indexOf("f1"))).isEqualTo("0.5");
    }

    @Test
    void theCsvDownloadGuardsTextThatASpreadsheetWouldRunButNotNegativeNumbers() {
        f.benchmon.record(BenchmarkResult.builder("-neg-model", "@set").environment("csv-guard")
                .metric("delta", -0.5).idempotencyKey("dashboard-csv-guard").build());

        List<List<String>> csv = Csv.parse(f.get("/snapshot.csv?env=csv-guard&range=7d").body());

        assertThat(csv).hasSize(2);
        assertThat(csv.get(1).subList(0, 2)).containsExactly("'-neg-model", "'@set");
        assertThat(csv.get(1)).contains("-0.5").doesNotContain("'-0.5");
    }

    @Test
    void theCsvLinkCarriesTheCurrentFilters() {
        String html = f.get("/" + STAGING_WEEK).body();

        assertThat(Html.attribute(html, "csv-link", "href")).isEqualTo("/snapshot.csv?env=staging&range=7d");
        assertThat(asShown(Csv.parse(f.get("/snapshot.csv" + STAGING_WEEK).body()))).isEqualTo(shownWithFullCommits(html));
    }

    @Test
    void anInvalidFilterIsNamedAndAnsweredWith400() {
        HttpResponse<String> r = f.get("/?range=fortnight&from=yesterday&env=nowhere");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("range: unknown range &#39;fortnight&#39;")
                .contains("from: &#39;yesterday&#39; is not a date-time; use ISO-8601")
                .contains("env: unknown environment &#39;nowhere&#39;") // the parameter as typed
                .contains("id=\"snapshot-table\"");
    }

    @Test
    void aCustomDateRangeLimitsTheSeriesToThoseDays() {
        String html = f.get("/?range=custom&from=2000-01-01&to=2000-01-31").body();

        assertThat(html).contains("No series match these filters.");
        assertThat(kpi(html, "Runs in window")).isEqualTo("0");
    }

    @Test
    void aCustomEndDateBeyondFourYearDigitsIsNamedAndAnsweredWith400() {
        HttpResponse<String> r = f.get("/?range=custom&to=%2B999999999-12-31");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("to: &#39;+999999999-12-31&#39; is not a date-time; use ISO-8601")
                .contains("id=\"snapshot-table\"");
    }

    @Test
    void theLastDayOfYear9999IsACustomEndDate() {
        HttpResponse<String> r = f.get("/?range=custom&from=2000-01-01&to=9999-12-31");
        HttpResponse<String> trends = f.get("/trends?range=custom&from=2000-01-01&to=9999-12-31");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(trends.statusCode()).as(trends.body()).isEqualTo(200);
    }

    /** The value of the KPI card labelled {@code label}, as text. */
    static String kpi(String html, String label) {
        int i = html.indexOf("<div class=\"kpi-label\">" + label + "</div>");
        assertThat(i).as("KPI " + label).isPositive();
        int v = html.indexOf("<div class=\"kpi-value\">", i);
        return Html.text(html.substring(v, html.indexOf("</div>", v + 5) + 6));
    }

    static String kpiDetail(String html, String label) {
        int i = html.indexOf("<div class=\"kpi-label\">" + label + "</div>");
        assertThat(i).as("KPI " + label).isPositive();
        int d = html.indexOf("<div class=\"kpi-detail\"", i);
        return Html.text(html.substring(d, html.indexOf("</div>", d) + 6));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** RFC 4180 reading, enough for the dashboard's CSV. */
    static final class Csv {
        static List<List<String>> parse(String text) {
            List<List<String>> rows = new java.util.ArrayList<>();
            List<String> row = new java.util.ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') { field.append('"'); i++; }
                    else if (c == '"') quoted = false;
                    else field.append(c);
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString()); field.setLength(0);
                } else if (c == '\r') {
                    // part of the CRLF line end
                } else if (c == '\n') {
                    row.add(field.toString()); field.setLength(0); rows.add(row); row = new java.util.ArrayList<>();
                } else {
                    field.append(c);
                }
            }
            return rows.stream().map(r -> Arrays.asList(r.toArray(String[]::new))).toList();
        }
    }
}
