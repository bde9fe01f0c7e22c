package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Locale;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code benchmon push --format google-benchmark --fail-on-regression} judges in a young series of Google
 * Benchmark reports, as a CI job pushes them to a server: {@code real_time} is a time, so run-to-run noise of up to 10%
 * passes (the 25% relative rule of a time while the series is young) and a 40% slowdown fails, with one alert: the
 * other times and rates of the benchmark are tracked, not judged, unless the user defines their direction.
 */
class GoogleBenchmarkJudgingTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    /**
     * The report of run {@code day}: one benchmark, its times in microseconds multiplied by {@code slower}, its
     * items per second divided by it.
     */
    private Path report(int day, double slower) throws IOException {
        String json = String.format(Locale.ROOT, """
                {"context": {"date": "2026-03-%02dT12:00:00+00:00", "host_name": "ci-runner", "executable": "./parse_bench",
                             "num_cpus": 2, "library_build_type": "release"},
                 "benchmarks": [{"name": "BM_Parse/4096", "family_index": 0, "per_family_instance_index": 0,
                                 "run_name": "BM_Parse/4096", "run_type": "iteration", "repetitions": 1,
                                 "repetition_index": 0, "threads": 1, "iterations": 5000,
                                 "real_time": %.4f, "cpu_time": %.4f, "time_unit": "us", "items_per_second": %.1f}]}
                """, day, 120.0 * slower, 118.0 * slower, 8.4e6 / slower);
        return Files.writeString(dir.resolve("gbench-" + day + ".json"), json);
    }

    private static Run push(Path report, String model) {
        return run("push", report.toString(), "--format", "google-benchmark", "--model-version", model,
                "--server", server.url(), "--fail-on-regression");
    }

    /** Four runs with up to 10% timing noise, each passing, then the push of a run 40% slower. */
    private Run slowdownAfterFourNoisyRuns(String model) throws IOException {
        for (int day = 1; day <= 4; day++) {
            assertThat(push(report(day, PytestBenchmarkJudgingTest.NOISE[day - 1]), model).exitCode()).isZero();
        }
        return push(report(5, 1.4), model);
    }

    /** The metric of each alert of the model, in any state. */
    private static List<String> alertedMetrics(String model) throws IOException {
        List<String> metrics = new ArrayList<>();
        JsonNode alerts = ResultJson.mapper().readTree(server.get("/api/v1/alerts?model=" + model).body()).path("alerts");
        alerts.forEach(a -> metrics.add(a.path("metric").asText()));
        return metrics;
    }

    @Test
    void timing_noise_of_up_to_ten_percent_in_a_young_series_is_no_regression() throws IOException {
        for (int day = 1; day <= PytestBenchmarkJudgingTest.NOISE.length; day++) {
            Run r = push(report(day, PytestBenchmarkJudgingTest.NOISE[day - 1]), "gb-noise");

            assertThat(r.exitCode()).as("run " + day + ": " + r.out() + r.err()).isZero();
        }
        assertThat(alertedMetrics("gb-noise")).isEmpty();
    }

    @Test
    void a_forty_percent_slowdown_in_a_noisy_young_series_fails_the_push_with_an_alert_on_real_time() throws IOException {
        Run slow = slowdownAfterFourNoisyRuns("gb-slow");

        assertThat(slow.exitCode()).as(slow.out() + slow.err()).isEqualTo(ExitCodes.REGRESSION);
        assertThat(alertedMetrics("gb-slow")).contains("real_time");
    }

    @Test
    void one_slowdown_raises_one_alert_on_real_time_not_one_per_time_and_rate() throws IOException {
        Run slow = slowdownAfterFourNoisyRuns("gb-one");

        assertThat(slow.exitCode()).as(slow.out() + slow.err()).isEqualTo(ExitCodes.REGRESSION);
        assertThat(alertedMetrics("gb-one")).containsExactly("real_time");
    }

    @Test
    void cpu_time_is_judged_once_the_user_defines_its_direction() throws IOException {
        assertThat(run("metrics", "define", "cpu_time", "--direction", "lower_is_better", "--unit", "ns",
                "--server", server.url()).exitCode()).isZero();
        try {
            Run slow = slowdownAfterFourNoisyRuns("gb-cpu");

            assertThat(slow.exitCode()).as(slow.out() + slow.err()).isEqualTo(ExitCodes.REGRESSION);
            assertThat(alertedMetrics("gb-cpu")).containsExactlyInAnyOrder("real_time", "cpu_time");
        } finally { // the shared server's other tests expect the file's own definition
            run("metrics", "define", "cpu_time", "--direction", "none", "--unit", "ns", "--server", server.url());
        }
    }
}
