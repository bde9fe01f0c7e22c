package dev.benchmon.server.cli;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code benchmon backtest} replays the detector over stored history, for the series the user names. */
class BacktestCommandTest {
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        for (int i = 0; i < 12; i++) {
            server.benchmon().record(BenchmarkResult.builder("bt-model", "d").environment("ci").runId("bt-" + i)
                    .metric("f1", 0.80 + (i % 3) / 1000.0).build());
        }
    }

    /** A minimum effect is above 0 as push's is, and the refusal names the flag typed (it named min_effect). */
    @Test
    void a_min_effect_of_zero_is_refused_naming_the_option_as_push_does() {
        PushCommandTest.Run r = run("backtest", "--db", server.databaseUrl(), "--model", "bt-model", "--min-effect", "0");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("error: invalid --min-effect: must be a number > 0 in the metric's unit, or a "
                + "percentage above 0 such as 2%, got '0'");
        assertThat(run("backtest", "--help").out().replaceAll("\\s+", " ")).contains("--min-effect=X Smallest change "
                + "that matters, above 0: a number in the metric's unit, or a percentage like 2%.");
    }

    /** A read takes the shared check of --db with --home (DatabaseOptions), as import and push do. */
    @Test
    void backtest_with_both_home_and_db_is_refused_not_read_from_db_alone(@TempDir Path dir) {
        PushCommandTest.Run r = run("backtest", "--home", dir.toString(), "--db", server.databaseUrl(), "--model", "bt-model");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: give either --db or --home, not both");
        assertThat(r.out()).isEmpty();
    }

    /** It started at 2.5 sd, so a target that 2 sd (or anything lower) also met was said to need 2.5. */
    @Test
    void a_target_every_setting_meets_suggests_the_most_sensitive_one_tried_two_noise_sd() {
        PushCommandTest.Run r = run("backtest", "--db", server.databaseUrl(), "--model", "bt-model", "--target-rate", "100");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("suggested: --sensitivity 2.0 (at most 100.0 alerts per 100 runs on this history)");
    }

    @Test
    void a_named_model_is_replayed_run_by_run() {
        PushCommandTest.Run r = run("backtest", "--db", server.databaseUrl(), "--model", "bt-model", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"metric\":\"f1\"").contains("\"runs\":12");
    }

    /** The rate alone sent a user looking for the run by hand: the replay names each run it alerted on. */
    @Test
    void the_runs_the_replay_alerted_on_are_listed_by_result_id_under_the_table() throws Exception {
        for (int i = 0; i < 16; i++) {
            server.benchmon().record(BenchmarkResult.builder("bt-drop", "d").environment("ci").runId("bt-drop-" + i)
                    .runAt(java.time.Instant.parse("2026-11-01T00:00:00Z").plus(i, java.time.temporal.ChronoUnit.DAYS))
                    .metric("f1", i < 14 ? 0.80 + (i % 3) / 1000.0 : 0.70).build());
        }
        var history = dev.benchmon.ingest.ResultJson.mapper().readTree(
                server.get("/api/v1/history?model=bt-drop&limit=3").body()).path("rows");
        String dropId = history.get(1).path("id").asText(); // the first of the two low runs (bt-drop-14)

        PushCommandTest.Run text = run("backtest", "--db", server.databaseUrl(), "--model", "bt-drop");
        PushCommandTest.Run json = run("backtest", "--db", server.databaseUrl(), "--model", "bt-drop", "--json");

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(history.get(1).path("run_id").asText()).isEqualTo("bt-drop-14");
        assertThat(text.out()).contains("alerted runs, newest first:\n  #" + dropId
                + "  2026-11-15T00:00:00Z  bt-drop / d @ci  f1  -");
        var alerted = dev.benchmon.ingest.ResultJson.mapper().readTree(json.out()).path("series").get(0).path("alerted_runs");
        assertThat(alerted).hasSize(1);
        assertThat(alerted.get(0).path("id").asText()).isEqualTo(dropId);
    }

    /** A series name over 50 characters pushed its row's numbers right of the header's. */
    @Test
    void the_table_lines_up_when_a_series_name_is_longer_than_50_characters() {
        String longModel = "bt-" + "x".repeat(70);
        for (int i = 0; i < 3; i++) {
            server.benchmon().record(BenchmarkResult.builder(longModel, "d").environment("ci").runId("bt-long-" + i)
                    .metric("f1", 0.80).build());
        }

        PushCommandTest.Run r = run("backtest", "--db", server.databaseUrl(), "--model", "bt-model", "--model", longModel);

        assertThat(r.exitCode()).as(r.err()).isZero();
        java.util.List<String> lines = r.out().lines().filter(l -> !l.startsWith("suggested")).toList();
        assertThat(lines).hasSize(4).anyMatch(l -> l.contains(longModel));
        int header = lines.get(0).indexOf("runs");
        for (String line : lines.subList(1, lines.size())) {
            assertThat(line.length()).as(line).isEqualTo(lines.get(0).length());
            assertThat(line.substring(header - 1, header + 4)).as(line).matches(" +\\d+");
        }
    }

    /** Eight steady runs of {@code model}, then a run 20 points worse; returns that run's id. */
    private static long steadyThenWorse(String model) {
        for (int i = 0; i < 8; i++) {
            server.benchmon().record(BenchmarkResult.builder(model, "d").environment("ci").runId(model + "-" + i)
                    .metric("f1", 0.80 + (i % 3) / 1000.0).build());
        }
        return server.benchmon().record(BenchmarkResult.builder(model, "d").environment("ci").runId(model + "-bad")
                .metric("f1", 0.60).build()).transactionId();
    }

    /** The re-run replaces its first attempt, as in the engine's histories: it is not judged against it. */
    @Test
    void a_ci_re_run_replaces_its_first_attempt_in_the_replay() {
        steadyThenWorse("bt-rerun");
        server.benchmon().record(BenchmarkResult.builder("bt-rerun", "d").environment("ci").runId("bt-rerun-bad")
                .metric("f1", 0.801).build()); // the same CI run again, fixed: attempt 2

        PushCommandTest.Run r = run("backtest", "--db", server.databaseUrl(), "--model", "bt-rerun", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"runs\":9").contains("\"alerts\":0");
    }

    /** A run pushed after newer ones (a back-fill) is late: push says it opens no alert, and the replay agrees. */
    @Test
    void a_late_run_opens_no_alert_in_the_replay_as_its_push_opened_none() {
        java.time.Instant day0 = java.time.Instant.parse("2026-10-01T00:00:00Z");
        for (int i = 0; i < 12; i++) {
            if (i != 8) {
                server.benchmon().record(BenchmarkResult.builder("bt-late", "d").environment("ci").runId("bt-late-" + i)
                        .runAt(day0.plus(i, java.time.temporal.ChronoUnit.DAYS)).metric("f1", 0.80 + (i % 3) / 1000.0).build());
            }
        }
        server.benchmon().record(BenchmarkResult.builder("bt-late", "d").environment("ci").runId("bt-late-8")
                .runAt(day0.plus(8, java.time.temporal.ChronoUnit.DAYS)).metric("f1", 0.60).build()); // 20 points worse, late

        PushCommandTest.Run r = run("backtest", "--db", server.databaseUrl(), "--model", "bt-late", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"runs\":12").contains("\"alerts\":0").contains("\"alerted_runs\":[]");
    }

    @Test
    void an_excluded_run_is_left_out_of_the_replay() {
        long bad = steadyThenWorse("bt-excluded");
        assertThat(run("alerts", "exclude", String.valueOf(bad), "--reason", "broken runner", "--db",
                server.databaseUrl()).exitCode()).isZero();

        PushCommandTest.Run r = run("backtest", "--db", server.databaseUrl(), "--model", "bt-excluded", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"runs\":8").contains("\"alerts\":0");
    }

    @Test
    void an_unknown_model_is_invalid_input_listing_the_known_ones() {
        PushCommandTest.Run r = run("backtest", "--db", server.databaseUrl(), "--model", "bt-modle");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("bt-modle").contains("bt-model");
        assertThat(r.out()).isEmpty();
    }
}
