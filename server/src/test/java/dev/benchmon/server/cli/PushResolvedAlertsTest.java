package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static dev.benchmon.server.cli.PushCommandTest.hourly;
import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code benchmon push} says which alerts its own runs resolved, and only those, in the terminal and the job summary. */
class PushResolvedAlertsTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    private final Instant t = Instant.now().minus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** {@code benchmon push FILE MORE... --server URL} (or {@code --db JDBC_URL}), FILE holding {@code jsonl}. */
    private PushCommandTest.Run push(boolean db, Map<String, String> env, String name, String jsonl, String... more)
            throws IOException {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("push", file(name, jsonl).toString()));
        args.addAll(java.util.List.of(more));
        args.addAll(db ? java.util.List.of("--db", server.databaseUrl()) : java.util.List.of("--server", server.url()));
        return run(env, "", args.toArray(String[]::new));
    }

    /** Six steady runs of {@code model} (f1 0.9), then a drop to 0.5: its f1 alert is open. Returns the alert's id. */
    private long openAlert(String model) throws IOException {
        assertThat(push(false, Map.of(), "steady.jsonl", hourly(model, t, 0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9)).exitCode())
                .isZero();
        PushCommandTest.Run drop = push(false, Map.of(), "drop.jsonl", hourly(model, t, 6, 0.5));
        assertThat(drop.out()).as(drop.out() + drop.err()).contains("alerts (1 open):");
        JsonNode alerts = ResultJson.mapper().readTree(server.get("/api/v1/alerts?model=" + model).body()).path("alerts");
        assertThat(alerts).hasSize(1);
        return alerts.get(0).path("id").asLong();
    }

    private static String resolvedLine(long id, String model) {
        return "resolved: alert #" + id + " f1 (" + model + " / d @local) back at the old level in this push";
    }

    @ParameterizedTest(name = "with --db: {0}")
    @ValueSource(booleans = {false, true})
    void aPushWhoseRunIsBackAtTheOldLevelSaysWhichAlertItResolved(boolean db) throws IOException {
        String model = "push-says-resolved-" + db;
        long id = openAlert(model);

        PushCommandTest.Run back = push(db, Map.of(), "back.jsonl", hourly(model, t, 7, 0.9), "--fail-on-regression");

        assertThat(back.exitCode()).as(back.out() + back.err()).isZero();
        assertThat(back.out()).contains("\n" + resolvedLine(id, model) + "\n").doesNotContain("alerts (");
    }

    /**
     * A run past the old level on the good side is back too: f1 0.9, a drop to 0.5, then 0.99. It kept the alert open
     * and failed --fail-on-regression on "open alert #N" (a new user's walkthrough, 2026-12-07), since the band that
     * resolved an alert was half the change on either side of the baseline.
     */
    @Test
    void aPushWhoseRunIsPastTheOldLevelOnTheGoodSideResolvesTheAlertAndPasses() throws IOException {
        String model = "push-past-old-level";
        long id = openAlert(model);

        PushCommandTest.Run better = push(false, Map.of(), "better.jsonl", hourly(model, t, 7, 0.99), "--fail-on-regression");

        assertThat(better.exitCode()).as(better.out() + better.err()).isZero();
        assertThat(better.out()).contains("\n" + resolvedLine(id, model) + "\n").doesNotContain("alerts (");
    }

    @Test
    void theJobSummarySaysWhichAlertThePushResolved() throws IOException {
        String model = "push-says-resolved-md";
        long id = openAlert(model);
        Path summary = dir.resolve("summary.md");

        push(false, Map.of("GITHUB_STEP_SUMMARY", summary.toString()), "back.jsonl", hourly(model, t, 7, 0.9));

        assertThat(Files.readString(summary)).containsPattern("\n- resolved: alert \\[?#" + id + "\\b[^\n]* f1 \\("
                        + java.util.regex.Pattern.quote(MarkdownText.cell(model + " / d @local"))
                        + "\\) back at the old level in this push\n")
                .doesNotContain("#### Alerts");
    }

    @Test
    void aRegressionWhoseAlertALaterRequestResolvedIsCountedAsAResolvedRegressionInTheTerminalAndTheJobSummary()
            throws IOException {
        String model = "push-dip-one-request";
        assertThat(push(false, Map.of(), "steady.jsonl", hourly(model, t, 0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9)).exitCode())
                .isZero();
        Path summary = dir.resolve("summary.md");

        PushCommandTest.Run r = push(false, Map.of("GITHUB_STEP_SUMMARY", summary.toString()), "dip.jsonl",
                hourly(model, t, 6, 0.5, 0.9, 0.9), "--batch-size", "1", "--fail-on-regression");

        // One run a request: the drop's request opens its alert, a later one resolves it. The count said 0 beside the
        // list of the regression whose alert the push resolved.
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("stored   already present  standing regressions\n3        0                1 (resolved in "
                        + "this push)\n")
                .containsPattern("\n" + java.util.regex.Pattern.quote(PushSummary.RESOLVED_TITLE) + ":\n  result 1 \\(id \\d+\\) "
                        + model);
        assertThat(Files.readString(summary)).contains("| stored | already present | standing regressions |\n|---:|---:|---:|\n"
                + "| 3 | 0 | 1 (resolved in this push) |\n");
    }

    @Test
    void aPushThatStoresNothingNewDoesNotSayAgainThatAnAlertResolvedBeforeIsResolved() throws IOException {
        String model = "push-resent-resolved";
        long id = openAlert(model);
        String dropAndBack = hourly(model, t, 6, 0.5, 0.9);
        PushCommandTest.Run first = push(false, Map.of(), "back.jsonl", hourly(model, t, 7, 0.9));
        assertThat(first.out()).contains(resolvedLine(id, model));

        // The drop's run names the alert (resolved now): the answer lists it, though this push resolved nothing.
        PushCommandTest.Run again = push(false, Map.of(), "again.jsonl", dropAndBack, "--fail-on-regression");

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("nothing new was stored").doesNotContain("resolved: alert");
    }

    @Test
    void aCiReRunThatStillRegressesResolvesNothingInWordsThoughItReplacesTheFirstAttemptsAlert() throws IOException {
        String model = "push-rerun-still-down";
        assertThat(push(false, Map.of(), "steady.jsonl", hourly(model, t, 0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9)).exitCode())
                .isZero();
        // A tool's file of CI run 4242, keyed without its run_at (the re-run's tool writes another time).
        String attempt = "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"run_at\":\"%s\","
                + "\"run_at_sent\":false,\"run_id\":\"4242\",\"metrics\":{\"f1\":%s}}\n";
        assertThat(push(false, Map.of(), "first.jsonl", attempt.formatted(t.plus(6, ChronoUnit.HOURS), "0.5")).out())
                .contains("alerts (1 open):");

        // Attempt 2, an hour later and as low, replaces attempt 1: the metric is not back at the old level, so the push
        // must not say an alert resolved, whichever alert stays open for it.
        PushCommandTest.Run rerun = push(false, Map.of(), "rerun.jsonl",
                attempt.formatted(t.plus(7, ChronoUnit.HOURS), "0.52"), "--fail-on-regression");

        assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isEqualTo(ExitCodes.REGRESSION);
        assertThat(rerun.out()).contains("alerts (1 open):").doesNotContain("resolved: alert");
    }

    @Test
    void anAlertALaterRequestOfThePushResolvedIsSaidOnceAndFailsNothing() throws IOException {
        String model = "push-batches-resolved";
        assertThat(push(false, Map.of(), "steady.jsonl", hourly(model, t, 0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9)).exitCode())
                .isZero();

        // One run a request: the drop's request answers the alert open, the next one's answer says it resolved it.
        PushCommandTest.Run r = push(false, Map.of(), "dip.jsonl", hourly(model, t, 6, 0.5, 0.9, 0.9), "--batch-size",
                "1", "--fail-on-regression");

        long id = ResultJson.mapper().readTree(server.get("/api/v1/alerts?model=" + model).body())
                .at("/alerts/0/id").asLong();
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out().split(java.util.regex.Pattern.quote(resolvedLine(id, model)), -1)).hasSize(2);
    }
}
