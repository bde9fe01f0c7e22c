package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages of a project whose names outgrow a screen (issue 9: 5,000 models and W&B summaries of hundreds of
 * metrics made the snapshot a table of millions of cells and Trends a chart of every model): the snapshot shows
 * {@value SnapshotTable#PAGE_ROWS} series a page and at most {@value SnapshotTable#MAX_METRIC_COLUMNS} metric
 * columns, the CSV holds everything, and Trends charts at most {@value TrendsPage#MAX_CHARTED_LINES} series, chosen
 * models or not (also when a name in the request is unknown: the page answers 400 with what the rest selects).
 */
class ManyNamesPagesTest {
    private static final int MODELS = 450;
    private static final int WIDE_METRICS = 80;
    private static final Instant T0 = Instant.now().minusSeconds(86_400);
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        List<BenchmarkResult> results = new ArrayList<>();
        for (int i = 0; i < MODELS; i++) {
            results.add(BenchmarkResult.builder(String.format(Locale.ROOT, "m-%03d", i), "d").environment("ci")
                    .runAt(T0.plusSeconds(i)).metric("f1", 0.5 + i / 1_000.0).build());
        }
        for (int run = 0; run < 2; run++) {
            BenchmarkResult.Builder b = BenchmarkResult.builder("wide", "d").environment("ci").runAt(T0.minusSeconds(3_600 * (run + 1)));
            for (int m = 0; m < WIDE_METRICS; m++) {
                b.metric(String.format(Locale.ROOT, "train/w_%02d", m), m + run / 10.0);
            }
            results.add(b.build());
        }
        server.benchmon().importAll(results, n -> { });
    }

    @Test
    void the_snapshot_shows_a_page_of_series_with_a_link_to_the_next() {
        String html = page("/?range=30d");
        List<List<String>> table = Html.table(html, "snapshot-table");
        assertThat(table).hasSize(SnapshotTable.PAGE_ROWS + 1); // the header row and one page
        assertThat(table.get(1).get(0)).isEqualTo("m-000");
        assertThat(Html.text(fragment(html, "snapshot-foot"))).startsWith("Series 1–200 of 451 · next");
        assertThat(html).contains("href=\"/?range=30d&amp;page=2\" rel=\"next\"");
    }

    @Test
    void the_last_page_holds_the_rest_and_links_back() {
        String html = page("/?range=30d&page=3");
        assertThat(Html.table(html, "snapshot-table")).hasSize(451 - 2 * SnapshotTable.PAGE_ROWS + 1);
        assertThat(Html.text(fragment(html, "snapshot-foot"))).startsWith("Series 401–451 of 451 · previous");
    }

    @Test
    void sorting_applies_to_every_series_before_paging() {
        List<List<String>> table = Html.table(page("/?range=30d&sort=m:f1&order=desc"), "snapshot-table");
        assertThat(table.get(1).get(0)).isEqualTo(String.format(Locale.ROOT, "m-%03d", MODELS - 1));
    }

    @Test
    void a_page_shows_at_most_the_column_limit_of_metrics_and_counts_the_others() {
        String html = page("/?range=30d&sort=model&order=desc"); // "wide" first
        List<List<String>> table = Html.table(html, "snapshot-table");
        assertThat(table.get(1).get(0)).isEqualTo("wide");
        assertThat(table.get(0)).hasSize(4 + SnapshotTable.MAX_METRIC_COLUMNS + 4);
        // The page's rows report f1 and wide's 80 metrics: 81, of which 50 are columns.
        assertThat(Html.text(fragment(html, "snapshot-foot"))).contains("31 more metrics these series report are not shown");
    }

    @Test
    void the_focus_metric_is_a_column_even_beyond_the_limit() {
        String html = page("/?range=30d&sort=model&order=desc&metric=train/w_79");
        assertThat(Html.table(html, "snapshot-table").get(0)).contains("train/w_79");
    }

    @Test
    void the_metric_the_rows_are_sorted_by_is_a_column_even_beyond_the_limit() {
        String html = page("/?range=30d&sort=m:train/w_79&order=desc"); // only "wide" reports it: first
        assertThat(Html.table(html, "snapshot-table").get(0)).contains("train/w_79");
    }

    @Test
    void filters_and_tabs_start_again_on_the_first_page() {
        String html = page("/?range=30d&page=2");
        assertThat(html).doesNotContain("name=\"page\"") // not carried by the filter form
                .contains("href=\"/trends?range=30d\""); // nor by the tab links
    }

    @Test
    void the_csv_holds_every_series_and_every_metric() {
        HttpResponse<String> r = server.get("/snapshot.csv?range=30d");
        assertThat(r.statusCode()).isEqualTo(200);
        List<List<String>> rows = SnapshotPageTest.Csv.parse(r.body());
        assertThat(rows).hasSize(451 + 1);
        List<String> header = rows.get(0);
        assertThat(header).hasSize(4 + 1 + WIDE_METRICS + 4);
        List<String> wide = rows.stream().filter(row -> row.get(0).equals("wide")).findFirst().orElseThrow();
        assertThat(wide.get(header.indexOf("f1"))).isEmpty();
        assertThat(wide.get(header.indexOf("train/w_79"))).isEqualTo("79.0"); // as the API's CSV writes a double
        assertThat(wide.subList(5, 5 + WIDE_METRICS)).doesNotContain("");
    }

    @Test
    void trends_without_chosen_models_charts_the_series_with_the_newest_results_of_the_metric() {
        String html = page("/trends?range=30d&metric=f1");
        assertThat(Html.text(fragment(html, "charted-note"))).isEqualTo("Showing 24 of 450 lines, those with the newest f1"
                + " results; narrow by dataset or environment, or choose models, in the filter bar to chart others.");
        // The newest results are the last models written, m-449 down to m-426 (the focus list names m-000 to m-099).
        assertThat(modelsNamedFrom400(html)).hasSize(TrendsPage.MAX_CHARTED_LINES).contains("m-449", "m-426")
                .doesNotContain("m-425");
    }

    @Test
    void a_window_with_an_end_chooses_the_models_from_its_days() {
        String from = T0.atZone(ZoneOffset.UTC).toLocalDate().toString();
        String to = T0.atZone(ZoneOffset.UTC).toLocalDate().plusDays(2).toString();
        String html = page("/trends?range=custom&from=" + from + "&to=" + to + "&metric=f1");
        assertThat(Html.text(fragment(html, "charted-note"))).startsWith("Showing 24 of 450 lines");
        assertThat(modelsNamedFrom400(html)).hasSize(TrendsPage.MAX_CHARTED_LINES).contains("m-449", "m-426")
                .doesNotContain("m-425");
    }

    @Test
    void an_unknown_model_answers_400_naming_it_and_charts_no_more_than_without_a_choice() {
        // The page shows what the other filters select, as for any problem (5,000 models once charted in full).
        HttpResponse<String> r = server.get("/trends?range=30d&metric=f1&model=no-such-model");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("no-such-model").contains("id=\"charted-note\"");
        assertThat(modelsNamedFrom400(r.body())).hasSize(TrendsPage.MAX_CHARTED_LINES);
    }

    @Test
    void trends_of_a_model_with_more_metrics_than_the_limit_draws_the_limit_and_the_chosen_one() {
        String html = page("/trends?range=30d&model=wide&metric=train/w_50");
        assertThat(Html.text(fragment(html, "small-note"))).isEqualTo("Showing " + TrendsPage.MAX_SMALL_CHARTS + " of the "
                + WIDE_METRICS + " metrics wide reported in this range (the chosen metric and the first others by name);"
                + " choose a metric above to chart another.");
        // The first 23 by name, then the chosen one.
        assertThat(Html.smallCharts(html).keySet()).hasSize(TrendsPage.MAX_SMALL_CHARTS)
                .contains("train/w_00", "train/w_22", "train/w_50").doesNotContain("train/w_23", "train/w_49");
    }

    @Test
    void trends_of_a_model_within_the_limit_draws_every_metric_without_a_note() {
        String html = page("/trends?range=30d&metric=f1&focus=m-001");
        assertThat(html).doesNotContain("id=\"small-note\"");
        assertThat(Html.smallCharts(html)).hasSize(1);
    }

    /** The distinct model names m-400 to m-449 in the main trend chart (its element through its script). */
    private static Set<String> modelsNamedFrom400(String html) {
        int start = html.indexOf("trend_main"); // the chart's div, then its script
        assertThat(start).as("the main trend chart").isNotNegative();
        String chart = html.substring(start, html.indexOf("</script>", start));
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("m-4\\d\\d").matcher(chart);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static String page(String path) {
        HttpResponse<String> r = server.get(path);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** The element with {@code id} through its closing tag (no nesting of the same tag inside). */
    private static String fragment(String html, String id) {
        Matcher m = Pattern.compile("<(\\w+)[^>]*id=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</\\1>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("element #" + id).isTrue();
        return m.group(2);
    }
}
