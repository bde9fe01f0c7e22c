package dev.benchmon.compare;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.RecordOutcome;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two model versions compared on their runs: the header counts the runs the means are over, those of each metric in
 * the comparison's own selection (A's dataset version and environment, any prompt), not every run of the series.
 * Runs that do not report the metric, and runs in another environment, are not among them.
 */
class RunMeansCountTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();
    private final List<BenchmarkResult> runs = new ArrayList<>();

    private void run(String model, String environment, String prompt, Map<String, Double> metrics) {
        int h = runs.size();
        BenchmarkResult.Builder b = BenchmarkResult.builder(model, "d").environment(environment).promptVersion(prompt)
                .runAt(T0.plusSeconds(h * 3600L)).runId("run-" + h).idempotencyKey("k" + h);
        metrics.forEach(b::metric);
        runs.add(b.build());
    }

    @Test
    void the_runs_counted_are_those_of_each_metric_in_the_compared_environment_and_a_range_when_they_differ() {
        run("b", "staging", "p1", Map.of("score", 0.1, "score2", 0.1)); // another environment
        for (int i = 0; i < 3; i++) {
            run("a", "ci", "p1", Map.of("score", 0.50 + 0.01 * i, "score2", 0.40 + 0.01 * i));
        }
        run("b", "ci", "p1", Map.of("score", 0.60, "score2", 0.50));
        run("b", "ci", "p1", Map.of("other", 1.0));                       // reports neither
        run("b", "ci", "p2", Map.of("score", 0.62));                      // another prompt, score only
        run("b", "ci", "p2", Map.of("other", 1.0));
        run("b", "ci", "p2", Map.of("score", 0.61, "score2", 0.52));
        run("b", "ci", "p2", Map.of("score", 0.63, "score2", 0.51));
        List<RecordOutcome> stored = bm.importAll(runs, n -> { });
        long newestB = stored.get(stored.size() - 1).transactionId();

        RunComparison c = bm.comparison("a", "b", "d", "ci", CompareOptions.defaults());

        assertThat(c.runToRunMetrics()).containsExactlyInAnyOrder("score", "score2");
        assertThat(c.runsB().runs()).as("score's runs of b in ci").isEqualTo(4);
        assertThat(c.runsB().fewestRuns()).as("score2's").isEqualTo(3);
        assertThat(c.runsB().newestResult()).isEqualTo(newestB);
        assertThat(c.runsA().runs()).isEqualTo(3);
        assertThat(c.runsA().fewestRuns()).isEqualTo(3);
        assertThat(c.toString()).contains("\nB: b on d @ci, prompt p2: means of its 3-4 runs from 2026-03-01 to 2026-03-01 "
                + "(newest: result id " + newestB + ")\n").contains("\nA (reference): a on d @ci, prompt p1: means of its 3 runs from ");
    }

    @Test
    void the_span_is_the_oldest_and_newest_counted_run_to_the_microsecond_whether_or_not_a_run_is_excluded() {
        // Runs six hours and a minute apart over four UTC days, none at a day's start, so a day's first run is not
        // its cell's start.
        Instant first = T0.plusSeconds(7 * 3600 + 123).plusNanos(456_000);
        for (int i = 0; i < 12; i++) {
            Instant at = first.plusSeconds(i * 6 * 3600L + i * 61L);
            for (String model : List.of("a", "b")) {
                runs.add(BenchmarkResult.builder(model, "d").environment("ci").runAt(at).runId(model + "-" + i)
                        .idempotencyKey(model + i).metric("score", (model.equals("a") ? 0.5 : 0.6) + 0.001 * i).build());
            }
        }
        List<RecordOutcome> stored = bm.importAll(runs, n -> { });
        Instant last = runs.get(runs.size() - 1).runAt();

        RunComparison fromRollups = bm.comparison("a", "b", "d", "ci", CompareOptions.defaults());
        assertThat(fromRollups.runsB().runs()).isEqualTo(12);
        assertThat(fromRollups.runsB().firstRunAt()).isEqualTo(first);
        assertThat(fromRollups.runsB().lastRunAt()).isEqualTo(last);
        assertThat(fromRollups.runsB().newestResult()).isEqualTo(stored.get(stored.size() - 1).transactionId());

        // Excluding b's first run sends the count to the log (the rollups count excluded runs): the same span without it.
        bm.annotations().exclude(stored.get(1).transactionId(), "runner lost its GPU", "ana");
        RunComparison fromLog = bm.comparison("a", "b", "d", "ci", CompareOptions.defaults());
        assertThat(fromLog.runsB().runs()).isEqualTo(11);
        assertThat(fromLog.runsB().firstRunAt()).isEqualTo(runs.get(3).runAt());
        assertThat(fromLog.runsB().lastRunAt()).isEqualTo(last);
        assertThat(fromLog.runsA().firstRunAt()).as("a's runs, none excluded").isEqualTo(first);
    }
}
