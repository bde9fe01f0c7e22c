package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static dev.benchmon.server.cli.PushCommandTest.hourly;
import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code benchmon push} names each result of its summary by its number in the files and the id it is stored under: the
 * RUN that {@code benchmon alerts exclude} takes and the alerts' history names ("back within noise in run 2198").
 */
class PushStoredIdsTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    private final Instant t = Instant.now().minus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    /** The id the history gives {@code model}'s run with this f1 value. */
    private static long storedId(String model, double f1) throws IOException {
        JsonNode rows = ResultJson.mapper().readTree(server.get("/api/v1/history?model=" + model).body()).path("rows");
        for (JsonNode row : rows) {
            if (row.path("f1").asDouble() == f1) {
                return row.path("id").asLong();
            }
        }
        throw new AssertionError("no run of " + model + " with f1 " + f1 + " in " + rows);
    }

    /** Six steady runs of {@code model} (f1 0.9) and a drop to 0.5, the file's 7th result, pushed in one file. */
    private PushCommandTest.Run pushDrop(String model, Map<String, String> env) throws IOException {
        Path f = Files.writeString(dir.resolve("runs.jsonl"), hourly(model, t, 0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.5));
        return run(env, "", "push", f.toString(), "--server", server.url());
    }

    @Test
    void aRegressedResultIsNamedByItsNumberInTheFileAndTheIdItIsStoredUnder() throws IOException {
        PushCommandTest.Run r = pushDrop("push-ids", Map.of());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("regressions:\n  result 7 (id " + storedId("push-ids", 0.5)
                + ") push-ids / d @local  f1 0.9000 -> 0.5000");
    }

    @Test
    void theIdTheSummaryNamesIsTheRunThatAlertsExcludeTakes() throws IOException {
        PushCommandTest.Run r = pushDrop("push-ids-exclude", Map.of());
        String id = PushCommandTest.numbered(r.out(), 7).replaceAll("\\D*result 7 \\(id (\\d+)\\)", "$1");

        PushCommandTest.Run exclude = run("alerts", "exclude", id, "--reason", "a broken runner", "--server", server.url());

        assertThat(exclude.exitCode()).as(exclude.out() + exclude.err()).isZero();
        assertThat(exclude.out()).startsWith("run " + id + " excluded\n").contains("resolved");
    }

    @Test
    void theJobSummaryNamesARegressedResultByItsNumberAndStoredId() throws IOException {
        Path summary = dir.resolve("summary.md");

        pushDrop("push-ids-md", Map.of("GITHUB_STEP_SUMMARY", summary.toString()));

        assertThat(Files.readString(summary))
                .contains("| result | series | metric | baseline | current | change | severity |\n")
                .contains("| result 7 (id " + storedId("push-ids-md", 0.5) + ") | push-ids-md / d &#64;local | f1 | 0.9000 | "
                        + "0.5000 |");
    }

    @Test
    void theAlertLineSaysAlertAndNamesTheRunsOfItsRangeByTheIdsTheyAreStoredUnder() throws IOException {
        PushCommandTest.Run r = pushDrop("push-ids-alert", Map.of());

        assertThat(r.out()).containsPattern("\n  alert #\\d+ +open +push-ids-alert / d @local  f1 -40\\.0 points  id \\d+\\.\\.id "
                + storedId("push-ids-alert", 0.5) + "\n").doesNotContainPattern("#\\d+\\.\\.");
    }

    @Test
    void theJobSummaryNamesTheAlertAndTheRunsOfItsRangeAsTheTerminalDoes() throws IOException {
        Path summary = dir.resolve("summary.md");

        pushDrop("push-ids-alert-md", Map.of("GITHUB_STEP_SUMMARY", summary.toString()));

        assertThat(Files.readString(summary)).containsPattern("\n\\| \\[alert #\\d+\\]\\([^)]+\\) \\| \\*\\*open\\*\\* \\| "
                + "push-ids-alert-md / d &#64;local \\| f1 \\| -40\\.0 points \\| id \\d+\\.\\.id "
                + storedId("push-ids-alert-md", 0.5) + " \\|");
    }

    @Test
    void alertsListNamesTheRunsOfAnAlertsRangeAsThePushDid() throws IOException {
        PushCommandTest.Run push = pushDrop("push-ids-list", Map.of());
        java.util.regex.Matcher alert = java.util.regex.Pattern.compile("alert #(\\d+) .*  (id \\d+\\.\\.id \\d+)\n")
                .matcher(push.out());
        assertThat(alert.find()).as(push.out()).isTrue();

        PushCommandTest.Run list = run("alerts", "list", "--model", "push-ids-list", "--server", server.url());

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern(alert.group(1) + "\\s+open\\s+push-ids-list / d @local\\s+f1\\s+-40\\.0 points\\s+"
                + java.util.regex.Pattern.quote(alert.group(2)));
    }

    @Test
    void aCommitWhoseTextHoldsANumberSignIsShownAsItWasSent() throws IOException {
        StringBuilder runs = new StringBuilder();
        double[] f1 = {0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.5};
        for (int i = 0; i < f1.length; i++) {
            runs.append("{\"model_version\":\"push-ids-hash\",\"dataset_version\":\"d\",\"run_at\":\"")
                    .append(t.plus(i, ChronoUnit.HOURS)).append("\",\"commit_sha\":\"fix#12").append(i)
                    .append("\",\"metrics\":{\"f1\":").append(f1[i]).append("}}\n");
        }
        Path f = Files.writeString(dir.resolve("hash.jsonl"), runs);

        PushCommandTest.Run r = run("push", f.toString(), "--server", server.url());

        assertThat(r.out()).as(r.err()).containsPattern("\n  alert #\\d+ +open +push-ids-hash / d @local  f1 -40\\.0 points  "
                + "fix#125\\.\\.fix#126\n");
    }

    @Test
    void anotherFindingOfAResultIsNamedByItsNumberAndStoredId() throws IOException {
        Path f = Files.writeString(dir.resolve("up.jsonl"),
                hourly("push-ids-up", t, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.9));

        PushCommandTest.Run r = run("push", f.toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("other findings (never fail CI unless --fail-on-missing):\n  result 7 (id "
                + storedId("push-ids-up", 0.9) + ") push-ids-up / d @local  f1 ");
    }
}
