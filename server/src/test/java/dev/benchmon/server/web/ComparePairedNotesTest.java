package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Compare page's item-by-item section says what its values are and why a row has no interval, as
 * {@code benchmon compare} does. A new user's trial: pn-a with three runs of accuracy (0.8, 0.9, then 0.5), pn-b with
 * one (0.84), no items, stderr or n: the statistics table compares the runs' means (0.733 against 0.84), the
 * item-by-item table the two latest results (0.5 against 0.84), and the page said nothing about the difference.
 */
class ComparePairedNotesTest {
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        double[] a = {0.8, 0.9, 0.5};
        for (int i = 0; i < a.length; i++) {
            server.benchmon().record(BenchmarkResult.builder("pn-a", "pn-set").environment("ci")
                    .runAt(now.minus(3 - i, ChronoUnit.HOURS)).metric("accuracy", a[i]).build());
        }
        server.benchmon().record(BenchmarkResult.builder("pn-b", "pn-set").environment("ci")
                .runAt(now.minus(30, ChronoUnit.MINUTES)).metric("accuracy", 0.84).build());
    }

    private static String page() {
        HttpResponse<String> r = server.get("/compare?model=pn-a&model=pn-b&ref=pn-a&vs=pn-b&range=7d");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void the_item_by_item_table_says_its_values_are_the_results_own_not_the_run_means_above() {
        String html = page();

        assertThat(html).contains("<p class=\"sub\" id=\"paired-values\">The values below are these two results' own, "
                + "not the means of the runs the statistics table above shows.</p>");
        assertThat(Html.table(html, "paired-table").get(1).subList(0, 4)).containsExactly("accuracy", "0.5", "0.84", "+0.34");
    }

    @Test
    void a_row_without_an_interval_is_explained_by_the_notes_the_command_line_prints() {
        assertThat(page()).contains("<p class=\"sub paired-note\">Note: no interval for accuracy: the latest results carry "
                + "no shared items (examples), stderr or n for them, and A or B has fewer than 2 runs to judge run-to-run "
                + "variation on; push results with stderr and n, or more runs</p>");
    }
}
