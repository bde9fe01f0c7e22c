package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.alert.AlertState;
import dev.benchmon.detect.DetectionOverrides;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run page's "Metrics against the series baseline" shows the detection engine's baseline of the run, as
 * {@code /api/v1/regressions} and the alerts use it: a CI re-run's superseded attempt is no baseline of the attempt
 * that superseded it, and an alert marked expected starts the baseline at its run. On the shared page fixture, series
 * of their own (model {@code run-page-baseline}).
 */
class RunPageBaselineTest {
    private static final String MODEL = "run-page-baseline";
    private final DashboardFixture f = DashboardFixture.shared();

    private long push(String environment, String runId, Instant at, double f1) {
        BenchmarkResult r = BenchmarkResult.builder(MODEL, "known-set").environment(environment).runId(runId).runAt(at)
                .metric("f1", f1).build();
        return f.benchmon.recordJudged(List.of(r), Map.of(), DetectionOverrides.NONE).outcomes().get(0).transactionId();
    }

    /** The f1 row of the run page's metrics table: metric, value, baseline, change, baseline runs. */
    private List<String> f1Row(long run) {
        List<List<String>> rows = Html.table(f.get("/runs/" + run).body(), "run-metrics");
        return rows.stream().filter(r -> r.get(0).equals("f1")).findFirst().orElseThrow();
    }

    @Test
    void a_re_run_is_compared_with_the_runs_before_it_not_with_its_own_earlier_attempt() {
        Instant t0 = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MINUTES);
        for (int i = 0; i < 4; i++) {
            push("page-reruns", "gh-" + i, t0.plus(Duration.ofHours(i)), 0.80);
        }
        push("page-reruns", "gh-4", t0.plus(Duration.ofHours(4)), 0.10); // a broken first attempt
        long retried = push("page-reruns", "gh-4", t0.plus(Duration.ofHours(4)), 0.80);

        List<String> row = f1Row(retried);

        assertThat(row.get(2)).isEqualTo("0.8");  // the mean with the attempt it superseded was 0.66
        assertThat(row.get(3)).isEqualTo("+0.0 points"); // f1 is a proportion: in points, as its verdict says
        assertThat(row.get(4)).isEqualTo("4");
    }

    @Test
    void after_an_alert_marked_expected_the_baseline_starts_at_its_run() {
        Instant t0 = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MINUTES);
        for (int i = 0; i < 6; i++) {
            push("page-expected", "gh-" + i, t0.plus(Duration.ofHours(i)), 0.90);
        }
        long dropped = push("page-expected", "gh-6", t0.plus(Duration.ofHours(6)), 0.70);
        long alert = f.benchmon.alertBook().forRuns(List.of(dropped)).get(0).id();
        f.benchmon.setAlertState(alert, AlertState.EXPECTED, "ana", "new tokenizer");
        long next = push("page-expected", "gh-7", t0.plus(Duration.ofHours(7)), 0.70);

        List<String> row = f1Row(next);

        assertThat(row.get(2)).isEqualTo("0.7");  // the mean of the five runs before it was 0.86
        assertThat(row.get(4)).isEqualTo("1");
        String page = f.get("/runs/" + next).body();
        assertThat(page).contains("the detection engine's baseline");
    }
}
