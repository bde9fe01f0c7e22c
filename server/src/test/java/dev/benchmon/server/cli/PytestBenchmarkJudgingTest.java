package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.cli.PushCommandTest.Run;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code benchmon push --format pytest-benchmark --fail-on-regression} judges in a pytest-benchmark report, as
 * a CI job pushes it to a server: one slowdown is one alert per benchmark (on {@code mean}), and more rounds (a
 * longer {@code total}) is no regression.
 */
class PytestBenchmarkJudgingTest {
    private static final Path SAMPLE = Path.of("..", "toolkit", "src", "test", "resources", "adapters",
            "pytest-benchmark.json").toAbsolutePath().normalize();
    /** The stats that are times of one round: a slowdown multiplies each. */
    private static final Set<String> ROUND_TIMES = Set.of("min", "max", "mean", "median", "q1", "q3", "ld15iqr",
            "hd15iqr", "stddev", "iqr");

    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    /**
     * The sample report of run {@code day} (its datetime), every round time multiplied by {@code slower}, each
     * benchmark measured over {@code rounds} rounds ({@code total} the mean times the rounds, {@code ops} 1 / mean).
     */
    private Path report(int day, double slower, long rounds) throws IOException {
        ObjectNode root = (ObjectNode) ResultJson.mapper().readTree(Files.readString(SAMPLE));
        root.put("datetime", String.format("2026-02-%02dT12:00:00.000000", day));
        for (JsonNode b : root.path("benchmarks")) {
            ObjectNode stats = (ObjectNode) b.path("stats");
            ROUND_TIMES.forEach(s -> stats.put(s, stats.path(s).asDouble() * slower));
            double mean = stats.path("mean").asDouble();
            stats.put("rounds", rounds).put("total", mean * rounds).put("ops", 1 / mean);
        }
        return Files.writeString(dir.resolve("bench-" + day + ".json"), root.toString());
    }

    private static Run push(Path report, String model, String... more) {
        List<String> args = new ArrayList<>(List.of("push", report.toString(), "--format", "pytest-benchmark",
                "--model-version", model, "--server", server.url()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    /** The metric of each alert of the model, in any state. */
    private static List<String> alertedMetrics(String model) throws IOException {
        List<String> metrics = new ArrayList<>();
        ResultJson.mapper().readTree(server.get("/api/v1/alerts?model=" + model).body()).path("alerts")
                .forEach(a -> metrics.add(a.path("metric").asText()));
        return metrics;
    }

    private void baseline(String model) throws IOException {
        double[] noise = {1.00, 1.01, 0.99, 1.005};
        for (int day = 1; day <= noise.length; day++) {
            Run r = push(report(day, noise[day - 1], 5000), model, "--fail-on-regression");
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        }
    }

    @Test
    void a_slowdown_of_every_timing_stat_opens_one_alert_per_benchmark_on_its_mean() throws IOException {
        baseline("pt-slow");

        Run slow = push(report(10, 1.3, 5000), "pt-slow", "--fail-on-regression");

        assertThat(slow.exitCode()).as(slow.out() + slow.err()).isEqualTo(ExitCodes.REGRESSION);
        assertThat(alertedMetrics("pt-slow")).as("one alert per benchmark, on mean").containsExactly("mean", "mean");
    }

    @Test
    void a_slowdowns_line_shows_the_values_and_change_in_seconds_in_plain_digits() throws IOException {
        baseline("pt-line");

        Run slow = push(report(10, 1.6, 5000), "pt-line", "--fail-on-regression");

        // The sample's means are about 0.0001 s: the change was worded +6.73e-05 without a unit.
        // The change is said once, by the explanation (it was "(+59.6%, critical): +0.0000777 s (+59.6%)").
        assertThat(slow.out()).contains("test_y[param] @local  mean 0.0001303 s -> 0.0002080 s, critical: "
                        + "+0.0000777 s (+59.6%) vs the median",
                "test_decode @local  mean 0.002406 s -> 0.003840 s, critical: +0.00143 s (+59.6%) vs the median")
                .doesNotContain("e-0").doesNotContain("(+59.6%, critical)");
    }

    /**
     * Run-to-run noise of 6 to 10% on the times of runs 1 to 7, as a shared CI runner gives: over the 5% relative rule
     * of a metric of unknown kind, under the 25% of a time (also {@link GoogleBenchmarkJudgingTest}'s).
     */
    static final double[] NOISE = {1.00, 1.08, 0.93, 1.06, 0.91, 1.10, 0.94};

    @Test
    void timing_noise_of_up_to_ten_percent_in_a_young_series_is_no_regression() throws IOException {
        for (int day = 1; day <= NOISE.length; day++) {
            Run r = push(report(day, NOISE[day - 1], 5000), "pt-noise", "--fail-on-regression");

            assertThat(r.exitCode()).as("run " + day + ": " + r.out() + r.err()).isZero();
        }
        assertThat(alertedMetrics("pt-noise")).isEmpty();
    }

    @Test
    void a_forty_percent_slowdown_in_a_noisy_young_series_fails_the_push_with_one_alert_per_benchmark() throws IOException {
        for (int day = 1; day <= 4; day++) {
            assertThat(push(report(day, NOISE[day - 1], 5000), "pt-noisy-slow", "--fail-on-regression").exitCode()).isZero();
        }

        Run slow = push(report(5, 1.4, 5000), "pt-noisy-slow", "--fail-on-regression");

        assertThat(slow.exitCode()).as(slow.out() + slow.err()).isEqualTo(ExitCodes.REGRESSION);
        assertThat(alertedMetrics("pt-noisy-slow")).containsExactly("mean", "mean");
    }

    @Test
    void more_rounds_lengthen_total_but_are_no_regression() throws IOException {
        baseline("pt-rounds");

        Run more = push(report(10, 1.0, 8000), "pt-rounds", "--fail-on-regression");

        assertThat(more.exitCode()).as(more.out() + more.err()).isZero();
        assertThat(alertedMetrics("pt-rounds")).isEmpty();
    }
}
