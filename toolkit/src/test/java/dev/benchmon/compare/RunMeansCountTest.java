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
}
