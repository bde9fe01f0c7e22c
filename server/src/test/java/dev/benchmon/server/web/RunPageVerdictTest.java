package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.detect.DetectionOverrides;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run page's verdict of a run is the one the engine gave it: the verdict stored for the run (judged with the
 * series' alert memory) while it is the newest the engine judged, not a second judgement without that memory. On the
 * shared page fixture, series of their own (model {@code run-page-verdict}): f1 steady about 0.90 for nine runs, then
 * down to about 0.70 (an alert opens at the first run down).
 */
class RunPageVerdictTest {
    private static final String MODEL = "run-page-verdict";
    private static final double[] STEADY_THEN_DOWN = {0.90, 0.91, 0.90, 0.89, 0.90, 0.91, 0.90, 0.89, 0.90, 0.70, 0.70,
            0.71, 0.70};
    private final DashboardFixture f = DashboardFixture.shared();

    /** Pushes the first {@code count} runs of {@link #STEADY_THEN_DOWN} to a series of its own; their ids. */
    private List<Long> push(String environment, int count) {
        return push(environment, "f1", 1, count);
    }

    /** As {@link #push(String, int)}, the values {@code scale} times those of f1, as {@code metric}. */
    private List<Long> push(String environment, String metric, double scale, int count) {
        Instant t0 = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.MINUTES);
        List<Long> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BenchmarkResult r = BenchmarkResult.builder(MODEL, "known-set").environment(environment).runId("gh-" + i)
                    .runAt(t0.plus(Duration.ofHours(i))).metric(metric, scale * STEADY_THEN_DOWN[i]).build();
            runs.add(f.benchmon.recordJudged(List.of(r), Map.of(), DetectionOverrides.NONE).outcomes().get(0)
                    .transactionId());
        }
        return runs;
    }

    /** The f1 verdict on the run page (the metrics table's last column). */
    private String verdict(long run) {
        return row(run, "f1").get(5);
    }

    /** The run page's row of {@code metric}: metric, value, baseline, change, baseline runs, verdict. */
    private List<String> row(long run, String metric) {
        List<List<String>> rows = Html.table(f.get("/runs/" + run).body(), "run-metrics");
        return rows.stream().filter(r -> r.get(0).equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void the_run_after_the_one_that_raised_the_alert_is_shown_as_already_alerted_and_the_raising_run_is_not() {
        List<Long> runs = push("page-already-alerted", 11); // run 9 opens the alert, run 10 stays down

        String raised = verdict(runs.get(9));
        String following = verdict(runs.get(10));

        assertThat(following).startsWith("regression, already alerted: -20.0 points");
        assertThat(raised).startsWith("regression: -20.0 points").doesNotContain("already alerted");
        assertThat(f.benchmon.alertBook().forRuns(List.of(runs.get(9)))).singleElement()
                .satisfies(a -> assertThat(a.transactionId()).isEqualTo(runs.get(9)));
    }

    @Test
    void a_run_the_engine_judged_ok_because_its_change_point_was_already_reported_is_shown_ok() {
        // Run 12: the new level's change point is confirmed, but its shift was alerted at run 9: ok (judged again
        // without the alert memory, it was a new regression "(change point)").
        List<Long> runs = push("page-change-point-reported", 13);

        assertThat(verdict(runs.get(12))).startsWith("ok: within noise");
    }

    // The change column states a change in the unit the verdict beside it does (the engine's rule: points for a
    // proportion within [0, 1], else percent of the baseline), so the two numbers of one row agree.

    @Test
    void an_accuracy_like_metrics_change_is_stated_in_points_as_its_verdict_states_it() {
        List<Long> runs = push("page-change-in-points", 10); // run 9: 0.90 -> 0.70

        List<String> f1 = row(runs.get(9), "f1");

        assertThat(f1.get(3)).isEqualTo("\u221220.0 points");
        assertThat(f1.get(5)).startsWith("regression: -20.0 points");
    }

    @Test
    void a_change_of_a_metric_that_is_no_proportion_stays_in_percent_of_the_baseline() {
        List<Long> runs = push("page-change-in-percent", "latency_ms", 100, 10); // run 9: 90 -> 70 ms, faster

        List<String> latency = row(runs.get(9), "latency_ms");

        assertThat(latency.get(3)).isEqualTo("\u221222.2%");
        assertThat(latency.get(5)).contains("(-22.2%)").doesNotContain("points");
    }

    @Test
    void a_metric_with_a_unit_states_its_value_baseline_and_change_in_that_unit() {
        // latency_ms is defined with unit ms (the schema's default definitions): 90 -> 70 ms.
        List<Long> runs = push("page-change-with-unit", "latency_ms", 100, 10);

        List<String> latency = row(runs.get(9), "latency_ms");

        assertThat(latency.get(1)).isEqualTo("70 ms");
        assertThat(latency.get(2)).isEqualTo("90 ms");
        assertThat(latency.get(5)).startsWith("improvement: -20.0 ms (-22.2%)");
    }

    @Test
    void a_change_within_noise_is_stated_in_the_metrics_unit_too() {
        List<Long> runs = push("page-ok-with-unit", "latency_ms", 100, 9); // steady about 90 ms

        assertThat(row(runs.get(8), "latency_ms").get(5)).containsPattern("^ok: within noise: [+-]?[0-9.,]+ ms ");
    }

    @Test
    void a_metric_without_a_unit_states_its_values_and_change_as_bare_numbers() {
        List<Long> runs = push("page-change-without-unit", "page_score_total", 100, 10); // no definition, no unit

        List<String> score = row(runs.get(9), "page_score_total");

        assertThat(score.get(1)).isEqualTo("70");
        assertThat(score.get(2)).isEqualTo("90");
        assertThat(score.get(5)).contains("-20.0 (-22.2%)");
    }

    @Test
    void a_change_of_unknown_direction_is_explained_once_as_the_engine_stored_it() {
        // A metric no rule gives a direction (no name pattern, not defined): 9.0 -> 7.0 is a change, direction unknown.
        List<Long> runs = push("page-direction-unknown", "page_zorblax", 10, 10);

        String verdict = row(runs.get(9), "page_zorblax").get(5);

        assertThat(verdict).startsWith("changed_direction_unknown: changed (direction unknown): ");
        assertThat(verdict.split("changed \\(direction unknown\\)", -1)).hasSize(2);
        assertThat(verdict.split("declare it: ", -1)).hasSize(2);
    }
}
