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
 * "No regressions" on the Regressions tab says when latest runs could not be judged at all: a new user's first push
 * has no baseline, and "no series' latest run is worse than its noise allows" read as a verdict on it. Models: re-one
 * with one run; re-steady with two equal runs; re-grown with two runs of f1, the second adding recall.
 */
class RegressionsEmptyStateTest {
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        server.benchmon().record(BenchmarkResult.builder("re-one", "re-set").environment("ci")
                .runAt(now.minus(1, ChronoUnit.HOURS)).metric("f1", 0.8).build());
        for (int i = 0; i < 2; i++) {
            server.benchmon().record(BenchmarkResult.builder("re-steady", "re-set").environment("ci")
                    .runAt(now.minus(2 - i, ChronoUnit.HOURS)).metric("f1", 0.8).build());
        }
        server.benchmon().record(BenchmarkResult.builder("re-grown", "re-set").environment("ci")
                .runAt(now.minus(2, ChronoUnit.HOURS)).metric("f1", 0.8).build());
        server.benchmon().record(BenchmarkResult.builder("re-grown", "re-set").environment("ci")
                .runAt(now.minus(1, ChronoUnit.HOURS)).metric("f1", 0.8).metric("recall", 0.7).build());
    }

    private static String page(String query) {
        HttpResponse<String> r = server.get("/regressions?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void a_first_run_alone_is_said_not_judged_yet_rather_than_within_noise() {
        String html = page("model=re-one&range=7d");

        assertThat(html).contains("<strong>No regressions.</strong> <span id=\"no-baseline-note\">Nothing is judged yet: "
                + "the latest runs here have no earlier run of their metrics to be judged against (1 metric in 1 series: "
                + "a first run, a new metric, or a baseline restarted).</span>")
                .doesNotContain("worse than its noise allows");
    }

    @Test
    void a_first_run_beside_judged_ones_is_counted_after_the_verdict() {
        String html = page("model=re-one&model=re-steady&range=7d");

        assertThat(html).contains("No series' latest run is worse than its noise allows. <span id=\"no-baseline-note\">"
                + "1 metric in 1 series has no earlier run to be judged against yet (a first run, a new metric, or a "
                + "baseline restarted).</span>");
    }

    /** A series of many runs that adds a metric has no first run: its new metric alone has no baseline. */
    @Test
    void a_metric_new_to_an_established_series_is_counted_as_a_metric_not_as_a_series_first_run() {
        String html = page("model=re-grown&range=7d");

        assertThat(html).contains("No series' latest run is worse than its noise allows. <span id=\"no-baseline-note\">"
                + "1 metric in 1 series has no earlier run to be judged against yet").doesNotContain("Nothing is judged yet");
    }

    @Test
    void judged_series_alone_say_the_verdict_alone() {
        assertThat(page("model=re-steady&range=7d")).contains("No series' latest run is worse than its noise allows.</p>")
                .doesNotContain("no-baseline-note");
    }
}
