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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A push whose results are all stored already (an export pushed back, a job's push repeated): it stores nothing, so
 * {@code --fail-on-regression} has nothing of its own to fail on, and it says so.
 */
class PushOfStoredResultsTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    /** Six steady hourly runs of f1 0.9 a week ago, then the given values, an hour apart: the history of {@code model}. */
    private Path history(String model, double... then) throws IOException {
        Instant t = Instant.now().minus(7, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (; i < 6; i++) {
            sb.append(line(model, t.plus(i, ChronoUnit.HOURS), 0.9));
        }
        for (double v : then) {
            sb.append(line(model, t.plus(i++, ChronoUnit.HOURS), v));
        }
        return Files.writeString(dir.resolve(model + ".jsonl"), sb.toString());
    }

    private static String line(String model, Instant at, double f1) {
        return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"run_at\":\"" + at
                + "\",\"metrics\":{\"f1\":" + f1 + "}}\n";
    }

    /** Pushes each run of {@code file} on its own, as CI would have, so that each is judged as the newest. */
    private void pushOneByOne(Path file) throws IOException {
        for (String l : Files.readAllLines(file)) {
            Path one = Files.writeString(dir.resolve("one.json"), l);
            Run r = run("push", one.toString(), "--server", server.url());
            assertThat(r.exitCode()).as(r.out() + r.err()).isIn(0, 1);
        }
    }

    /** The history of {@code model} as {@code benchmon export history --format jsonl} writes it. */
    private Path exported(String model) {
        Path file = dir.resolve(model + "-export.jsonl");
        Run export = run("export", "history", "--server", server.url(), "--model", model, "--format", "jsonl",
                "-o", file.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        return file;
    }

    private static JsonNode alerts(String model) throws IOException {
        return ResultJson.mapper().readTree(server.get("/api/v1/alerts?model=" + model).body()).path("alerts");
    }

    @Test
    void pushingBackAnExportWhoseRegressionWasResolvedStoresNothingListsNoRegressionAndPasses() throws IOException {
        pushOneByOne(history("stored-resolved", 0.5, 0.9, 0.9));
        assertThat(alerts("stored-resolved")).as("the regression's alert, resolved by the runs back at 0.9")
                .singleElement().satisfies(a -> assertThat(a.path("state").asText()).isEqualTo("resolved"));

        Run again = run("push", exported("stored-resolved").toString(), "--server", server.url(), "--fail-on-regression");

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("stored   already present  standing regressions\n0        9                0\n")
                .contains("nothing new was stored: all 9 result(s) were already stored, so this push raises no "
                        + "regression or missing metric and fails neither --fail-on-regression nor --fail-on-missing")
                .doesNotContain("regressions:").doesNotContain("resolved").doesNotContain("alerts (");
    }

    @Test
    void pushingBackAnExportWhoseLastRunIsStillAnOpenRegressionStoresNothingAndPasses() throws IOException {
        pushOneByOne(history("stored-open", 0.5));
        assertThat(alerts("stored-open")).singleElement()
                .satisfies(a -> assertThat(a.path("state").asText()).isEqualTo("open"));

        Run again = run("push", exported("stored-open").toString(), "--server", server.url(), "--fail-on-regression");

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("nothing new was stored: all 7 result(s) were already stored")
                .doesNotContain("regressions:")
                .contains("alerts (1 open):")
                .contains("its runs in this push were all stored before: does not fail this push");
    }

    @Test
    void pushingBackAnExportStraightIntoTheDatabaseStoresNothingAndPassesAsOverTheServer() throws IOException {
        pushOneByOne(history("stored-db", 0.5));

        Run again = run("push", exported("stored-db").toString(), "--db", server.databaseUrl(), "--fail-on-regression");

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("nothing new was stored: all 7 result(s) were already stored")
                .doesNotContain("regressions:")
                .contains("its runs in this push were all stored before: does not fail this push");
    }

    @Test
    void theJobSummaryOfAPushThatStoredNothingSaysSoAndListsNoRegression() throws IOException {
        pushOneByOne(history("stored-md", 0.5));
        Path summary = dir.resolve("summary.md");

        Run again = run(Map.of("GITHUB_STEP_SUMMARY", summary.toString()), "", "push",
                exported("stored-md").toString(), "--server", server.url(), "--fail-on-regression");

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(Files.readString(summary)).contains("| 0 | 7 | 0 |")
                .contains("nothing new was stored&#58; all 7 result(s) were already stored")
                .contains("its runs in this push were all stored before&#58; does not fail this push")
                .doesNotContain("| series | metric | baseline |");
    }

    @Test
    void a_push_repeated_after_it_failed_fail_on_missing_stores_nothing_and_passes_saying_why() throws IOException {
        Path first = Files.writeString(dir.resolve("a.json"),
                "{\"model_version\":\"stored-missing\",\"dataset_version\":\"d\",\"metrics\":{\"a\":1.01,\"b\":2}}");
        Path lacksB = Files.writeString(dir.resolve("b.json"),
                "{\"model_version\":\"stored-missing\",\"dataset_version\":\"d\",\"metrics\":{\"a\":1.02},\"run_id\":\"55\"}");
        assertThat(run("push", first.toString(), "--server", server.url()).exitCode()).isZero();
        Run failed = run("push", lacksB.toString(), "--server", server.url(), "--fail-on-missing");
        assertThat(failed.exitCode()).as("the push that stored it said b is missing").isEqualTo(ExitCodes.REGRESSION);

        Run again = run("push", lacksB.toString(), "--server", server.url(), "--fail-on-missing");

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("nothing new was stored: all 1 result(s) were already stored, so this push "
                + "raises no regression or missing metric and fails neither --fail-on-regression nor --fail-on-missing");
    }

    @Test
    void aNewRegressionPushedWithResultsStoredBeforeStillFailsAndIsTheOnlyOneListed() throws IOException {
        pushOneByOne(history("stored-plus-new", 0.5));
        Path export = exported("stored-plus-new");
        Instant later = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Files.writeString(export, line("stored-plus-new", later, 0.4), java.nio.file.StandardOpenOption.APPEND);

        Run push = run("push", export.toString(), "--server", server.url(), "--fail-on-regression");

        assertThat(push.exitCode()).as(push.out() + push.err()).isEqualTo(ExitCodes.REGRESSION);
        assertThat(push.out()).contains("stored   already present  standing regressions\n1        7                1\n")
                .doesNotContain("nothing new was stored")
                .containsPattern("regressions:\n  result 8 \\(id \\d+\\) stored-plus-new / d @local  f1 0.9000 -> 0.4000")
                .doesNotContain("0.9000 -> 0.5000");
    }

    @Test
    void aRegressionWhoseFirstSendingWasStoredButItsAnswerLostStillFailsThePushThatSentItAgain() throws Exception {
        pushOneByOne(history("stored-lost-answer"));
        Path worse = Files.writeString(dir.resolve("worse.json"),
                line("stored-lost-answer", Instant.now().minus(1, ChronoUnit.DAYS), 0.5));
        AtomicInteger posts = new AtomicInteger();
        // A proxy that gave up on the first POST after the server had stored it: the push sends it again.
        try (ForwardingGateway gateway = new ForwardingGateway(server.url(), (line, answer) ->
                line.startsWith("POST ") && posts.incrementAndGet() == 1
                        ? new ForwardingGateway.Answer(502, "text/plain", "Bad Gateway".getBytes()) : answer)) {

            Run push = run("push", worse.toString(), "--server", gateway.url(), "--retry-delay", "0",
                    "--fail-on-regression");

            assertThat(posts.get()).isEqualTo(2);
            assertThat(push.exitCode()).as(push.out() + push.err()).isEqualTo(ExitCodes.REGRESSION);
            assertThat(push.out()).contains("0        1                1\n").doesNotContain("nothing new was stored")
                    .containsPattern("regressions:\n  result 1 \\(id \\d+\\) stored-lost-answer");
        }
    }
}
