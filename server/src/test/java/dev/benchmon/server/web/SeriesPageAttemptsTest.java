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
 * (environment {@code reruns}): run gh-1 pushed with f1 0.1, then re-run with 0.8; run gh-2 with 0.8. In environment
 * {@code reruns-escaped}, a run whose CI run id holds HTML, pushed three times.
 */
class SeriesPageAttemptsTest {
    private static final String MODEL = "rerun-model";
    private static final Rerun RERUN = Rerun.record(DashboardFixture.shared());
    private final DashboardFixture f = DashboardFixture.shared();

    /** A CI run id as a user's CI may name it, with characters HTML must escape. */
    private static final String HTML_RUN_ID = "rerun-\"3\"<&>";

    /**
     * The series, recorded once for the class, the transaction ids of its superseded attempt and of the attempt that
     * superseded it, and of the first and third attempts of {@link #HTML_RUN_ID}.
     */
    private record Rerun(int series, long superseded, long latest, long htmlFirst, long htmlThird) {
        static Rerun record(DashboardFixture f) {
            Instant first = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MINUTES);
            long superseded = f.benchmon.record(run("gh-1", first, 0.1)).transactionId();
            long latest = f.benchmon.record(run("gh-1", first, 0.8)).transactionId();
            f.benchmon.record(run("gh-2", first.plus(Duration.ofDays(1)), 0.8));
            long htmlFirst = f.benchmon.record(escaped(first, 0.1)).transactionId();
            f.benchmon.record(escaped(first, 0.2));
            long htmlThird = f.benchmon.record(escaped(first, 0.3)).transactionId();
            // The log keeps both attempts of gh-1.
            List<Integer> attempts = f.benchmon.jdbi().withHandle(h -> h.createQuery(
                    "SELECT attempt FROM benchmark_transactions WHERE model_version = :m AND environment = 'reruns' ORDER BY id")
                    .bind("m", MODEL).mapTo(Integer.class).list());
            assertThat(attempts).containsExactly(1, 2, 1);
            return new Rerun(f.benchmon.jdbi().withHandle(h -> h.createQuery("SELECT id FROM series WHERE model_version = :m"
                    + " AND environment = 'reruns'").bind("m", MODEL).mapTo(Integer.class).one()), superseded, latest,
                    htmlFirst, htmlThird);
        }

        private static BenchmarkResult escaped(Instant at, double f1) {
            return BenchmarkResult.builder(MODEL, "known-set").environment("reruns-escaped").runId(HTML_RUN_ID).runAt(at)
                    .metric("f1", f1).build();
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

    @Test
    void theRunPageOfASupersededAttemptSaysWhichAttemptOfWhichCiRunItIsAndLinksTheAttemptThatSupersededIt() {
        String html = f.get("/runs/" + RERUN.superseded()).body();

        assertThat(Html.text(Html.byId(html, "superseded-notice"))).startsWith("Attempt 1 of CI run gh-1, superseded by run "
                + RERUN.latest() + " (attempt 2)");
        assertThat(Html.byId(html, "superseded-notice")).contains("href=\"/runs/" + RERUN.latest() + "\"");
    }

    @Test
    void theRunPageOfTheLatestAttemptSaysNothingOfAttempts() {
        String html = f.get("/runs/" + RERUN.latest()).body();

        assertThat(html).doesNotContain("superseded-notice");
    }

    @Test
    void theSupersededNoticeNamesTheLatestOfSeveralAttemptsWithTheCiRunIdEscaped() {
        String html = f.get("/runs/" + RERUN.htmlFirst()).body();

        assertThat(Html.byId(html, "superseded-notice")).contains("rerun-&quot;3&quot;&lt;&amp;&gt;")
                .doesNotContain(HTML_RUN_ID).contains("href=\"/runs/" + RERUN.htmlThird() + "\"").contains("(attempt 3)");
    }
}
