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

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that held a definition of {@code mean} without a unit before its first pytest-benchmark push (declared by
 * hand, or stated by another file): a file's definition never replaces a stored one, so {@code mean} stays of unknown
 * kind until the command docs/CHANGES.md gives is run; after it, {@code mean} is a time and timing noise passes.
 */
class PytestBenchmarkUnitlessMeanTest {
    private static final Path SAMPLE = Path.of("..", "toolkit", "src", "test", "resources", "adapters",
            "pytest-benchmark.json").toAbsolutePath().normalize();
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    private Path report(int day, double slower) throws IOException {
        ObjectNode root = (ObjectNode) ResultJson.mapper().readTree(Files.readString(SAMPLE));
        root.put("datetime", String.format("2026-02-%02dT12:00:00.000000", day));
        for (JsonNode b : root.path("benchmarks")) {
            ObjectNode stats = (ObjectNode) b.path("stats");
            stats.put("mean", stats.path("mean").asDouble() * slower);
        }
        return Files.writeString(dir.resolve("bench-" + day + ".json"), root.toString());
    }

    private static String kindOfMean() throws IOException {
        return ResultJson.mapper().readTree(server.get("/api/v1/metrics/mean").body()).path("kind").asText();
    }

    @Test
    void a_mean_defined_without_a_unit_is_judged_as_a_time_once_defined_again_with_unit_s() throws IOException {
        Run before = run("metrics", "define", "mean", "--direction", "lower_is_better", "--server", server.url());
        assertThat(before.exitCode()).as(before.err()).isZero();
        assertThat(push(1).exitCode()).isZero();
        assertThat(kindOfMean()).as("the file's unit s does not replace the stored definition").isEqualTo("unknown");

        Run fix = run("metrics", "define", "mean", "--direction", "lower_is_better", "--unit", "s", "--server", server.url());

        assertThat(fix.exitCode()).as(fix.err()).isZero();
        assertThat(kindOfMean()).isEqualTo("time");
        for (int day = 2; day <= PytestBenchmarkJudgingTest.NOISE.length; day++) {
            Run r = push(day);
            assertThat(r.exitCode()).as("run " + day + ": " + r.out() + r.err()).isZero();
        }
    }

    private Run push(int day) throws IOException {
        return run("push", report(day, PytestBenchmarkJudgingTest.NOISE[day - 1]).toString(), "--format", "pytest-benchmark",
                "--model-version", "pt-unitless", "--server", server.url(), "--fail-on-regression");
    }
}
