package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The series page shows a CI re-run's latest attempt only, as the history API and the toolkit's history do
 * ({@code benchmark_results_current}); the log keeps every attempt. On the shared page fixture, a series of its own
 * (environment {@code reruns}): run gh-1 pushed with f1 0.1, then re-run with 0.8; run gh-2 with 0.8.
 */
class SeriesPageAttemptsTest {
    private static final String MODEL = "rerun-model";
    private static final Rerun RERUN = Rerun.record(DashboardFixture.shared());
    private final DashboardFixture f = DashboardFixture.shared();

    /** The series, recorded once for the class, and the transaction id of its superseded attempt. */
    private record Rerun(int series, long superseded) {
        static Rerun record(DashboardFixture f) {
            Instant first = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MINUTES);
            long superseded = f.benchmon.record(run("gh-1", first, 0.1)).transactionId();
            f.benchmon.record(run("gh-1", first, 0.8));
            f.benchmon.record(run("gh-2", first.plus(Duration.ofDays(1)), 0.8));
            // The log keeps both attempts of gh-1.
            List<Integer> attempts = f.benchmon.jdbi().withHandle(h -> h.createQuery(
                    "SELECT attempt FROM benchmark_transactions WHERE model_version = :m ORDER BY id")
                    .bind("m", MODEL).mapTo(Integer.class).list());
            assertThat(attempts).containsExactly(1, 2, 1);
            return new Rerun(f.benchmon.jdbi().withHandle(h -> h.createQuery("SELECT id FROM series WHERE model_version = :m")
                    .bind("m", MODEL).mapTo(Integer.class).one()), superseded);
        }

        private static BenchmarkResult run(String runId, Instant at, double f1) {
            return BenchmarkResult.builder(MODEL, "known-set").environment("reruns").runId(runId).runAt(at)
                    .metric("f1", f1).build();
        }
    }

    @Test
    void theChartPlotsTheLatestAttemptOfEachRunOnly() {
        String html = f.get("/series/" + RERUN.series()).body();
        String chart = html.substring(html.indexOf("id=\"series_chart_0\""), html.indexOf("</script>",
                html.indexOf("id=\"series_chart_0\"")));

        assertThat(chart).contains("\"y\":[0.8,0.8]").doesNotContain("0.1");
    }

    @Test
    void theRunsTableAndCsvListTheLatestAttemptOfEachRunOnly() {
        String html = f.get("/series/" + RERUN.series()).body();
        List<List<String>> runs = Html.table(html, "series-runs");
        String csv = f.get("/series/" + RERUN.series() + "/runs.csv").body();

        assertThat(runs).hasSize(3); // the header and two runs
        assertThat(runs.stream().map(r -> r.get(1))).doesNotContain(String.valueOf(RERUN.superseded()));
        assertThat(csv.lines()).hasSize(3);
        assertThat(csv).doesNotContain("," + RERUN.superseded() + ",");
    }
}
