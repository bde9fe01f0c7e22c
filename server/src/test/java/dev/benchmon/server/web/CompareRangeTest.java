package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static dev.benchmon.server.web.SnapshotPageTest.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Compare page applies the filter bar (time range, environment) to every part of it: the item-by-item section's
 * run means and the count of models the default comparison chose from. On the shared page fixture, models of their
 * own: {@code cmprange-a} and {@code cmprange-b} on dataset {@code cmprange-d} in environment {@code cmprange-e}, each
 * with four runs 40 to 43 days ago and three in the last three days (f1 without stderr, so judged run to run); and in
 * environment {@code cmpcount-env} seven models with two recent runs each, one more whose only run is 60 days old, and
 * one with recent runs of latency_ms alone.
 */
class CompareRangeTest {
    private static final String A = "cmprange-a";
    private static final String B = "cmprange-b";
    private static final String COUNT_ENV = "cmpcount-env";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    private final DashboardFixture f = DashboardFixture.shared();

    static {
        List<BenchmarkResult> results = new ArrayList<>();
        for (String model : List.of(A, B)) {
            double shift = model.equals(A) ? 0 : 0.05;
            for (int d : new int[]{43, 42, 41, 40, 3, 2, 1}) {
                results.add(BenchmarkResult.builder(model, "cmprange-d").environment("cmprange-e")
                        .runAt(NOW.minus(Duration.ofDays(d))).metric("f1", 0.6 + shift + (d % 3) * 0.01).build());
            }
        }
        for (int m = 1; m <= 7; m++) {
            for (int d = 1; d <= 2; d++) {
                results.add(BenchmarkResult.builder("cmpcount-" + m, "cmpcount-d").environment(COUNT_ENV)
                        .runAt(NOW.minus(Duration.ofDays(d))).metric("f1", 0.5 + m * 0.01 + d * 0.001).build());
            }
        }
        results.add(BenchmarkResult.builder("cmpcount-old", "cmpcount-d").environment(COUNT_ENV)
                .runAt(NOW.minus(Duration.ofDays(60))).metric("f1", 0.5).build());
        for (int d = 1; d <= 2; d++) { // recent, but without the focus metric f1
            results.add(BenchmarkResult.builder("cmpcount-latency-only", "cmpcount-d").environment(COUNT_ENV)
                    .runAt(NOW.minus(Duration.ofDays(d))).metric("latency_ms", 100 + d).build());
        }
        DashboardFixture.shared().benchmon.recordAll(results);
    }

    /** The item-by-item section's header lines (what A's and B's values are), as text. */
    private static String pairedHeader(String html) {
        int start = html.indexOf("id=\"paired-header\"");
        assertThat(start).as("an item-by-item header in the page").isPositive();
        return Html.text(html.substring(html.indexOf('>', start) + 1, html.indexOf("</div>", start)));
    }

    @Test
    void item_by_item_takes_the_means_of_the_runs_in_the_pages_time_range() {
        String page = f.get("/compare?range=7d&model=" + enc(A + "," + B)).body();

        assertThat(pairedHeader(page)).contains("means of its 3 runs").doesNotContain("7 runs");
        assertThat(Html.table(page, "paired-table")).anySatisfy(row -> assertThat(row).contains("Welch's t-test on run-to-run variation"));
    }

    @Test
    void the_compare_page_names_each_method_in_words_in_its_tables_notes_and_chart_hovers() {
        String page = f.get("/compare?range=7d&model=" + enc(A + "," + B)).body();

        // (the JSON API keeps the ids: PairedComparisonTest, ComparedValuesEverywhereTest)
        assertThat(Html.text(page)).contains("Welch's t-test on run-to-run variation").doesNotContain("run_to_run_welch");
    }

    @Test
    void item_by_item_over_all_time_takes_every_run() {
        String page = f.get("/compare?range=all&model=" + enc(A + "," + B)).body();

        assertThat(pairedHeader(page)).contains("means of its 7 runs");
    }

    @Test
    void the_item_by_item_footnote_names_the_method_used_not_stderr_that_was_never_given() {
        String page = f.get("/compare?range=7d&model=" + enc(A + "," + B)).body();

        List<String> notes = Html.paragraphs(page).stream().filter(p -> p.startsWith("These results carry no shared"))
                .toList();
        assertThat(notes).singleElement().satisfies(n -> assertThat(n).contains("run-to-run", "(Welch's t-test on run-to-run variation)")
                .doesNotContain("stderr or n"));
    }

    @Test
    void the_models_compared_are_counted_among_those_the_filter_selects() {
        HttpResponse<String> r = f.get("/compare?env=" + COUNT_ENV);

        assertThat(r.statusCode()).isEqualTo(200);
        // Seven models have f1 runs in the environment in the last 30 days; cmpcount-old's only run is older, and
        // cmpcount-latency-only has no f1.
        String html = r.body();
        int note = html.indexOf("id=\"shown-note\"");
        assertThat(note).as("a note on the models compared").isPositive();
        assertThat(Html.text(html.substring(html.indexOf('>', note) + 1, html.indexOf("</p>", note))))
                .startsWith("Compared: 5 of the 7 models with f1 runs in this view,");
    }

    @Test
    void one_model_chosen_is_told_to_choose_another_not_about_dataset_versions() {
        String page = f.get("/compare?model=" + A).body();

        assertThat(Html.text(Html.byId(page, "one-model-note"))).isEqualTo("Choose at least two models to compare: only "
                + A + " is chosen in the filter bar.");
        assertThat(page).doesNotContain("The reference needs results on the same dataset version");
    }
}
