package dev.benchmon.server.cli;

import dev.benchmon.alert.Links;
import dev.benchmon.server.ServerSettings;
import dev.benchmon.server.Tokens;
import dev.benchmon.server.alert.AlertSettings;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code benchmon push --fail-on-regression} and {@code benchmon alerts ...} in-process against a real
 * server with write, read and triage tokens: a regression fails CI while its alert is open and stops
 * failing once someone acknowledges it, expects it or mutes the series.
 */
class AlertsCommandTest {
    private TestServer server;
    private Map<String, String> env;
    private int hour;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        server = TestServer.start(ServerSettings.defaults().withTokens(Tokens.of("w-tok", "r-tok"))
                .withAlerts(AlertSettings.none().withTriageToken("t-tok")
                        .withLinks(new Links("https://gitlab.com/acme/models", "https://ci.example/{run_id}"))));
        env = new HashMap<>(Map.of("BENCHMON_SERVER", server.url(), "BENCHMON_WRITE_TOKEN", "w-tok",
                "BENCHMON_TRIAGE_TOKEN", "t-tok", "BENCHMON_ACTOR", "ana"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private PushCommandTest.Run push(double f1, String... extra) throws IOException {
        int h = hour++;
        Path f = dir.resolve("r" + h + ".json");
        Files.writeString(f, "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\"2026-01-01T"
                + String.format("%02d", h) + ":00:00Z\",\"commit_sha\":\"c" + h + "\",\"run_id\":\"" + (500 + h)
                + "\",\"metrics\":{\"f1\":" + f1 + "}}");
        String[] args = new String[2 + extra.length];
        args[0] = "push";
        args[1] = f.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        Map<String, String> e = new HashMap<>(env);
        e.remove("BENCHMON_TRIAGE_TOKEN");
        return run(e, "", args);
    }

    private long regressionAlert() throws IOException {
        for (int i = 0; i < 4; i++) {
            assertThat(push(0.90, "--fail-on-regression").exitCode()).isZero();
        }
        PushCommandTest.Run r = push(0.80, "--fail-on-regression");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.REGRESSION);
        Matcher m = Pattern.compile("#(\\d+)\\s+open").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void an_open_alert_fails_the_push_and_an_acknowledged_one_no_longer_does() throws IOException {
        long id = regressionAlert();

        PushCommandTest.Run ack = run(env, "", "alerts", "ack", String.valueOf(id), "-m", "bisecting the tokenizer");
        assertThat(ack.exitCode()).as(ack.err()).isZero();
        assertThat(ack.out()).contains("alert " + id + " is now acknowledged");

        PushCommandTest.Run again = push(0.80, "--fail-on-regression"); // still regressed: the same alert follows
        assertThat(again.exitCode()).as(again.out()).isZero();
        assertThat(again.out()).contains("#" + id).contains("acknowledged");
    }

    @Test
    void a_push_that_fails_on_regression_names_the_open_alerts_that_fail_it_on_stderr() throws IOException {
        for (int i = 0; i < 4; i++) {
            push(0.90, "--fail-on-regression");
        }

        PushCommandTest.Run r = push(0.80, "--fail-on-regression");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.REGRESSION);
        Matcher m = Pattern.compile("#(\\d+)\\s+open").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(r.err()).contains("failed (--fail-on-regression): open alert #" + m.group(1) + " f1 (m / d @ci) of "
                + "what this push stored; acknowledge, expect or mute it (benchmon alerts ack ID)");
    }

    @Test
    void resolving_an_alert_the_detector_resolved_says_it_was_resolved_and_records_the_persons_resolve() throws IOException {
        long id = regressionAlert();
        push(0.90); // back at the old level: the detector resolves it
        assertThat(server.benchmon().alertBook().get(id).state().sqlName()).isEqualTo("resolved");

        PushCommandTest.Run r = run(env, "", "alerts", "resolve", String.valueOf(id), "-m", "reverted the tokenizer");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("alert " + id + " is resolved, as it was; recorded now as ana's resolve too (m / d")
                .doesNotContain("is now resolved");
        assertThat(server.benchmon().alertBook().history(id)).last()
                .satisfies(e -> assertThat(e.actor() + ": " + e.comment()).isEqualTo("ana: reverted the tokenizer"));
    }

    @Test
    void muting_an_alert_a_series_mute_silenced_says_it_was_muted_and_records_the_persons_mute() throws IOException {
        long id = regressionAlert();
        int series = server.benchmon().alertBook().get(id).seriesId();
        assertThat(run(env, "", "alerts", "mute", "--series-id", String.valueOf(series), "--metric", "f1", "--reason",
                "runner migration", "--for", "7d").exitCode()).isZero();
        assertThat(server.benchmon().alertBook().get(id).state().sqlName()).isEqualTo("muted");

        PushCommandTest.Run r = run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "flaky tokenizer");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("alert " + id + " is muted, as it was; recorded now as ana's mute too (m / d")
                .doesNotContain("is now muted");
    }

    /** An unknown run is said as the server or the toolkit words it: nothing typed was an invalid value. */
    @org.junit.jupiter.params.ParameterizedTest(name = "with --db: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void including_an_unknown_run_says_it_is_not_found_not_that_the_run_is_invalid(boolean db) {
        PushCommandTest.Run r = run(env, "", alerts(db, List.of("include", "999999")));

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("run 999999 not found").doesNotContain("invalid", "fix the problem above")
                .as("where a run's id is found").contains("the id column of benchmon export");
    }

    @Test
    void acknowledging_an_unknown_alert_on_a_server_says_where_the_alerts_ids_are_listed() {
        PushCommandTest.Run r = run(env, "", "alerts", "ack", "999999");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("alert 999999 not found").contains("benchmon alerts list shows the alerts and their ids");
    }

    @Test
    void a_push_that_passes_says_nothing_of_failing() throws IOException {
        PushCommandTest.Run r = push(0.90, "--fail-on-regression");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.err()).doesNotContain("failed");
    }

    /** On a server or with --db: said once, exit 2, nothing changed. */
    @org.junit.jupiter.params.ParameterizedTest(name = "with --db: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void a_resolved_alert_is_not_acknowledged_and_the_refusal_says_to_reopen_it(boolean db) throws IOException {
        long id = regressionAlert();
        assertThat(run(env, "", "alerts", "resolve", String.valueOf(id), "-m", "reverted").exitCode()).isZero();

        PushCommandTest.Run ack = run(env, "", alerts(db, List.of("ack", String.valueOf(id))));

        assertThat(ack.exitCode()).as(ack.out() + ack.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(ack.err()).contains("alert " + id + " is resolved, so there is nothing to acknowledge")
                .contains("benchmon alerts reopen " + id)
                .as("no input was wrong: the refusal says what to do instead, not to fix the command")
                .doesNotContain("fix the problem above", "state:");
        assertThat(ack.err().split("nothing to acknowledge", -1)).as("said once").hasSize(2);
        PushCommandTest.Run list = run(env, "", "alerts", "list", "--state", "resolved");
        assertThat(list.out()).as("nothing changed").containsPattern("(?m)^" + id + "\\s+resolved\\s");
    }

    @Test
    void a_resolved_alert_is_not_muted_and_the_refusal_says_how_to_mute_its_series_metric() throws IOException {
        long id = regressionAlert();
        assertThat(run(env, "", "alerts", "resolve", String.valueOf(id), "-m", "reverted").exitCode()).isZero();

        PushCommandTest.Run mute = run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "noisy", "--for", "7d");

        assertThat(mute.exitCode()).as(mute.out() + mute.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(mute.err()).contains("alert " + id + " is resolved, so there is nothing to mute")
                .containsPattern("benchmon alerts mute --series-id \\d+ --metric f1 --reason TEXT --for 7d");
        PushCommandTest.Run list = run(env, "", "alerts", "list", "--state", "resolved");
        assertThat(list.out()).as("nothing changed").containsPattern("(?m)^" + id + "\\s+resolved\\s");
        assertThat(run(env, "", "alerts", "list", "--state", "muted").out()).doesNotContainPattern("(?m)^" + id + "\\s");
    }

    @Test
    void reopen_opens_a_resolved_alert_again_and_it_fails_the_next_regressed_push() throws IOException {
        long id = regressionAlert();
        assertThat(run(env, "", "alerts", "resolve", String.valueOf(id), "-m", "looked fixed").exitCode()).isZero();

        PushCommandTest.Run reopen = run(env, "", "alerts", "reopen", String.valueOf(id), "-m", "it is back");

        assertThat(reopen.exitCode()).as(reopen.out() + reopen.err()).isZero();
        assertThat(reopen.out()).contains("alert " + id + " is now open (m / d @ci f1 ");
        assertThat(push(0.80, "--fail-on-regression").exitCode()).isEqualTo(ExitCodes.REGRESSION);
    }

    @Test
    void reopen_of_an_open_alert_changes_nothing_and_says_so() throws IOException {
        long id = regressionAlert();

        PushCommandTest.Run reopen = run(env, "", "alerts", "reopen", String.valueOf(id));

        assertThat(reopen.exitCode()).as(reopen.out() + reopen.err()).isZero();
        assertThat(reopen.out()).startsWith("alert " + id + " is already open (since ").contains(" by benchmon")
                .endsWith("; nothing changed\n");
        PushCommandTest.Run show = run(env, "", "alerts", "show", String.valueOf(id));
        assertThat(show.out().substring(show.out().indexOf("history:\n")).lines().skip(1).toList()).hasSize(1);
    }

    @Test
    void show_prints_what_the_alert_found_and_its_history_oldest_first() throws IOException {
        long id = regressionAlert();
        assertThat(run(env, "", "alerts", "ack", String.valueOf(id), "-m", "bisecting the tokenizer").exitCode()).isZero();

        PushCommandTest.Run show = run(env, "", "alerts", "show", String.valueOf(id));

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).startsWith("alert " + id + "\n").contains("  state ", "acknowledged\n")
                .containsPattern("\\n  series +m / d @ci \\(series id \\d+\\)\\n")
                .containsPattern("\\n  metric +f1\\n")
                .containsPattern("\\n  commits +c3\\.\\.c4  https://gitlab\\.com/acme/models/-/compare/c3\\.\\.\\.c4\\n")
                .contains("(CI run 504)  https://ci.example/504");
        String history = show.out().substring(show.out().indexOf("history:\n"));
        assertThat(history.lines().skip(1).toList()).hasSize(2);
        assertThat(history).containsPattern("\\n  \\S+Z  open by benchmon \\(detector\\)")
                .containsPattern("\\n  \\S+Z  acknowledged by ana \\(cli\\): bisecting the tokenizer\\n");
    }

    @Test
    void show_of_an_alert_that_does_not_exist_says_so_with_exit_2() {
        PushCommandTest.Run show = run(env, "", "alerts", "show", "999999");

        assertThat(show.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(show.err()).contains("alert 999999 not found");
    }

    @Test
    void an_expected_change_becomes_the_baseline_and_passes() throws IOException {
        long id = regressionAlert();

        assertThat(run(env, "", "alerts", "expect", String.valueOf(id), "-m", "new tokenizer").exitCode()).isZero();

        PushCommandTest.Run next = push(0.80, "--fail-on-regression");
        assertThat(next.exitCode()).as(next.out()).isZero();
        PushCommandTest.Run list = run(env, "", "alerts", "list", "--state", "expected");
        assertThat(list.out()).contains(String.valueOf(id)).contains("expected").contains("m / d @ci").contains("c3..c4");
    }

    @Test
    void a_blank_benchmon_server_counts_as_unset_so_the_list_goes_to_benchmon_url() throws IOException {
        long id = regressionAlert();
        Map<String, String> shell = new HashMap<>(env);
        shell.put("BENCHMON_URL", shell.remove("BENCHMON_SERVER"));
        shell.put("BENCHMON_SERVER", " ");

        PushCommandTest.Run list = run(shell, "", "alerts", "list");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains(String.valueOf(id));
    }

    @Test
    void a_state_the_server_refuses_is_said_in_the_servers_words_alone_without_the_request_line() {
        PushCommandTest.Run list = run(env, "", "alerts", "list", "--state", "bogus");

        assertThat(list.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        // The refusal names --state already; the URL would show the query's internal limit=101, which nobody typed.
        assertThat(list.err()).startsWith("error: invalid --state: ").doesNotContain("limit=", "/api/v1", "was refused");
    }

    @Test
    void a_blank_entry_in_the_state_list_is_dropped_as_the_server_drops_it() throws IOException {
        long id = regressionAlert();

        PushCommandTest.Run list = run(env, "", "alerts", "list", "--state", "open, ");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains(String.valueOf(id));
    }

    @Test
    void the_job_summary_shows_alerts_with_state_and_links() throws IOException {
        Path summary = dir.resolve("summary.md");
        env.put("GITHUB_STEP_SUMMARY", summary.toString());
        long id = regressionAlert();

        String md = Files.readString(summary);
        assertThat(md).contains("#### Alerts (1 open)")
                .contains("[alert #" + id + "](" + server.url() + "alerts/" + id + ")")
                .contains("| **open** | m / d &#64;ci | f1 | -10.0 points | [c3..c4](https://gitlab.com/acme/models/-/compare/c3...c4) "
                        + "| [504](https://ci.example/504) |");
    }

    @Test
    void muting_a_metric_the_series_does_not_report_names_the_series_metrics_not_every_metric() throws IOException {
        long id = regressionAlert();
        int series = server.benchmon().alertBook().get(id).seriesId();
        Path other = dir.resolve("other.json"); // another series' metrics: not the muted series' to list
        Files.writeString(other, "{\"model_version\":\"other\",\"dataset_version\":\"d\",\"metrics\":"
                + "{\"loss\":1.5,\"latency_ms\":30}}");
        Map<String, String> pushing = new HashMap<>(env);
        pushing.remove("BENCHMON_TRIAGE_TOKEN");
        assertThat(run(pushing, "", "push", other.toString()).exitCode()).isZero();
        String expected = "unknown metric 'nope' (metrics of series " + series + ": f1)";

        PushCommandTest.Run cli = run(env, "", "alerts", "mute", "--series-id", String.valueOf(series), "--metric", "nope",
                "--reason", "runner migration", "--for", "7d");
        PushCommandTest.Run local = run(Map.of(), "", "alerts", "mute", "--series-id", String.valueOf(series), "--metric",
                "nope", "--reason", "runner migration", "--for", "7d", "--db", server.databaseUrl());
        var api = server.postJson("/api/v1/series/" + series + "/mutes", "{\"metric\": \"nope\", \"reason\": \"x\", \"for\": \"7d\"}",
                "Authorization", "Bearer t-tok");

        assertThat(cli.exitCode()).isNotZero();
        assertThat(cli.err()).contains(expected).doesNotContain("loss", "latency_ms");
        assertThat(local.exitCode()).isNotZero();
        assertThat(local.err()).contains(expected).doesNotContain("loss", "latency_ms");
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(api.body()).contains(expected).doesNotContain("loss", "latency_ms");
        assertThat(server.benchmon().alertBook().get(id).state().sqlName()).isEqualTo("open");
    }

    @Test
    void muting_the_series_and_excluding_a_run_from_the_command_line() throws IOException {
        long id = regressionAlert();
        int series = server.benchmon().alertBook().get(id).seriesId();

        PushCommandTest.Run mute = run(env, "", "alerts", "mute", "--series-id", String.valueOf(series), "--metric", "f1",
                "--reason", "runner migration", "--for", "7d");
        assertThat(mute.exitCode()).as(mute.err()).isZero();
        assertThat(server.benchmon().alertBook().get(id).state().sqlName()).isEqualTo("muted");

        long run = server.benchmon().alertBook().get(id).transactionId();
        PushCommandTest.Run exclude = run(env, "", "alerts", "exclude", String.valueOf(run), "--reason", "bad push");
        assertThat(exclude.exitCode()).as(exclude.err()).isZero();
        assertThat(exclude.out()).contains("run " + run + " excluded").contains("alert " + id + " resolved");
        assertThat(server.benchmon().annotations().exclusionReason(run)).isEqualTo("bad push");
    }

    @Test
    void unmuting_a_series_metric_ends_its_mute_early_and_opens_the_alert_it_silenced() throws IOException {
        long id = regressionAlert();
        int series = server.benchmon().alertBook().get(id).seriesId();
        assertThat(run(env, "", "alerts", "mute", "--series-id", String.valueOf(series), "--metric", "f1",
                "--reason", "runner migration", "--for", "7d").exitCode()).isZero();

        PushCommandTest.Run unmute = run(env, "", "alerts", "unmute", "--series-id", String.valueOf(series), "--metric", "f1",
                "--reason", "migration done");

        assertThat(unmute.exitCode()).as(unmute.err()).isZero();
        assertThat(unmute.out()).containsPattern("series " + series + " metric f1: mute \\d+ ended")
                .contains("alert " + id + " is now open");
        long mute = server.benchmon().annotations().mutes(series, null).get(0).id();
        assertThat(server.benchmon().alertBook().history(id)).last().satisfies(e -> assertThat(
                List.of(e.state().sqlName(), e.actor(), e.source(), e.comment()))
                .containsExactly("open", "ana", "mute", "mute " + mute + " ended early: migration done"));
        assertThat(server.benchmon().annotations().mutes(series, java.time.Instant.now())).isEmpty();
        assertThat(server.benchmon().annotations().mutes(series, null)).singleElement()
                .satisfies(m -> assertThat(List.of(m.endedBy(), m.endReason())).containsExactly("ana", "migration done"));
        assertThat(push(0.80, "--fail-on-regression").exitCode()).as("open again: fails CI").isEqualTo(ExitCodes.REGRESSION);
    }

    /** {@link #regressionAlert}, acknowledged, and its series then muted for 7 days: an alert no unmute may open. */
    private long acknowledgedAlertOfAMutedSeries() throws IOException {
        long id = regressionAlert();
        int series = server.benchmon().alertBook().get(id).seriesId();
        assertThat(run(env, "", "alerts", "ack", String.valueOf(id), "-m", "bisecting").exitCode()).isZero();
        assertThat(run(env, "", "alerts", "mute", "--series-id", String.valueOf(series), "--reason", "runner migration",
                "--for", "7d").exitCode()).isZero();
        return id;
    }

    @Test
    void unmuting_with_db_an_alert_that_is_not_muted_together_with_its_series_is_refused_and_ends_no_mute() throws IOException {
        long id = acknowledgedAlertOfAMutedSeries();
        int series = server.benchmon().alertBook().get(id).seriesId();

        PushCommandTest.Run both = run(env, "", "alerts", "unmute", String.valueOf(id), "--series-id", String.valueOf(series),
                "--db", server.databaseUrl());

        assertThat(both.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(both.err()).contains("alert " + id + " is acknowledged, not muted, so there is nothing to unmute");
        assertThat(server.benchmon().annotations().mutes(series, java.time.Instant.now())).as("the mute is still in force")
                .hasSize(1);
    }

    @Test
    void unmuting_through_the_server_a_series_with_an_alert_that_is_not_muted_is_refused_and_ends_no_mute() throws IOException {
        long id = acknowledgedAlertOfAMutedSeries();
        int series = server.benchmon().alertBook().get(id).seriesId();

        PushCommandTest.Run both = run(env, "", "alerts", "unmute", String.valueOf(id), "--series-id", String.valueOf(series));

        assertThat(both.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(both.err()).contains("alert " + id + " is acknowledged, not muted, so there is nothing to unmute")
                .doesNotContain("alert_id");
        assertThat(server.benchmon().annotations().mutes(series, java.time.Instant.now())).as("the mute is still in force")
                .hasSize(1);
    }

    @Test
    void unmuting_an_alert_a_person_muted_opens_it_and_an_alert_that_is_not_muted_is_refused() throws IOException {
        long id = regressionAlert();
        assertThat(run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "flaky").exitCode()).isZero();

        PushCommandTest.Run unmute = run(env, "", "alerts", "unmute", String.valueOf(id), "--reason", "not flaky after all");
        PushCommandTest.Run again = run(env, "", "alerts", "unmute", String.valueOf(id), "--db", server.databaseUrl());

        assertThat(unmute.exitCode()).as(unmute.err()).isZero();
        assertThat(unmute.out()).contains("alert " + id + " is now open");
        assertThat(server.benchmon().alertBook().history(id)).extracting(e -> e.state().sqlName(), e -> e.comment())
                .endsWith(org.assertj.core.groups.Tuple.tuple("muted", "flaky"),
                        org.assertj.core.groups.Tuple.tuple("open", "not flaky after all"));
        assertThat(again.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(again.err()).contains("alert " + id + " is open, not muted, so there is nothing to unmute");
        assertThat(server.benchmon().alertBook().history(id)).hasSize(3);
    }

    @Test
    void unmuting_an_alert_acknowledged_before_it_was_muted_returns_it_to_acknowledged_and_the_next_push_passes()
            throws IOException {
        long id = regressionAlert();
        assertThat(run(env, "", "alerts", "ack", String.valueOf(id), "-m", "looking").exitCode()).isZero();
        assertThat(run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "noisy").exitCode()).isZero();

        PushCommandTest.Run unmute = run(env, "", "alerts", "unmute", String.valueOf(id));
        PushCommandTest.Run next = push(0.80, "--fail-on-regression"); // still regressed: someone is on it

        assertThat(unmute.exitCode()).as(unmute.err()).isZero();
        assertThat(unmute.out()).contains("alert " + id + " is now acknowledged");
        assertThat(server.benchmon().alertBook().history(id)).extracting(e -> e.state().sqlName())
                .endsWith("acknowledged", "muted", "acknowledged");
        assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
    }

    @Test
    void a_refused_unmute_of_an_open_alert_prints_the_servers_reason_once() throws IOException {
        long id = regressionAlert();

        PushCommandTest.Run unmute = run(env, "", "alerts", "unmute", String.valueOf(id));

        assertThat(unmute.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(unmute.err().split("not muted, so there is nothing to unmute", -1)).as(unmute.err()).hasSize(2);
    }

    @Test
    void unmuting_a_series_with_db_and_a_series_without_a_mute_in_force_is_refused() throws IOException {
        long id = regressionAlert();
        int series = server.benchmon().alertBook().get(id).seriesId();
        assertThat(run(env, "", "alerts", "mute", "--series-id", String.valueOf(series), "--reason", "runner migration",
                "--for", "7d", "--db", server.databaseUrl()).exitCode()).isZero();

        PushCommandTest.Run metricOnly = run(env, "", "alerts", "unmute", "--series-id", String.valueOf(series), "--metric", "f1");
        PushCommandTest.Run unmute = run(env, "", "alerts", "unmute", "--series-id", String.valueOf(series), "--db",
                server.databaseUrl());
        PushCommandTest.Run none = run(env, "", "alerts", "unmute", "--series-id", String.valueOf(series));

        assertThat(metricOnly.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(metricOnly.err()).contains("invalid --metric: f1 has no mute of its own in force; it is muted by mute", "of every metric of series " + series);
        assertThat(unmute.exitCode()).as(unmute.err()).isZero();
        assertThat(unmute.out()).contains("alert " + id + " is now open");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(none.err()).contains("series " + series + " has no mute in force");
    }

    /** The API's rule, the same words: --for 99999d muted until the year 2300. */
    @Test
    void a_mute_for_longer_than_365_days_is_invalid_input_before_anything_is_sent() throws IOException {
        long id = regressionAlert();

        PushCommandTest.Run days = run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "r", "--for", "99999d");
        PushCommandTest.Run until = run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "r", "--until",
                "2300-01-01T00:00:00Z");

        assertThat(days.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(days.err()).contains("invalid --for: must be at most 365 days (365d, 52w): a mute silences");
        assertThat(until.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(until.err()).contains("invalid --until: must be at most 365 days from now");
        assertThat(server.benchmon().alertBook().get(id).state().sqlName()).isEqualTo("open");
    }

    /** An alert muted for a period ({@code alerts mute ID --for 2h}), its series and the series mute its mute created. */
    private record MutedForAPeriod(long alert, int series, dev.benchmon.alert.Mute mute) {
    }

    private MutedForAPeriod mutedForAPeriod() throws IOException {
        long id = regressionAlert();
        int series = server.benchmon().alertBook().get(id).seriesId();
        assertThat(run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "runner migration", "--for", "2h")
                .exitCode()).isZero();
        return new MutedForAPeriod(id, series, server.benchmon().annotations().mutes(series, java.time.Instant.now()).get(0));
    }

    /** "--for D" read as if the alert's mute ended with the period; the alert's own mute, a person's, has no expiry. */
    @Test
    void muting_an_alert_for_a_period_says_the_alert_itself_stays_muted_until_unmuted() throws IOException {
        long id = regressionAlert();

        PushCommandTest.Run r = run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "runner migration", "--for", "2h");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("; alert " + id + " itself stays muted until unmuted (benchmon alerts unmute " + id + ")");
    }

    @Test
    void unmuting_an_alert_muted_for_a_period_ends_the_series_mute_its_mute_created_and_the_next_regression_opens()
            throws IOException {
        MutedForAPeriod m = mutedForAPeriod();
        long id = m.alert();
        int series = m.series();
        var mute = m.mute();

        PushCommandTest.Run unmute = run(env, "", "alerts", "unmute", String.valueOf(id), "--reason", "migration done");

        assertThat(unmute.exitCode()).as(unmute.err()).isZero();
        assertThat(unmute.out()).contains("alert " + id + " is now open", "the mute of series " + series + " metric f1 (mute "
                + mute.id() + "), created when alert " + id + " was muted, ended with its unmute")
                .doesNotContain("stays in force");
        assertThat(server.benchmon().annotations().mutes(series, java.time.Instant.now())).isEmpty();
        assertThat(server.benchmon().annotations().mutes(series, null).get(0).endReason())
                .isEqualTo("alert " + id + ", whose mute created it, unmuted: migration done");
        assertThat(push(0.90).exitCode()).isZero(); // back at the baseline: the alert resolves
        PushCommandTest.Run next = push(0.78, "--fail-on-regression");
        assertThat(next.exitCode()).as(next.out() + next.err()).isEqualTo(ExitCodes.REGRESSION);
        assertThat(next.out()).containsPattern("#\\d+\\s+open").doesNotContain("#" + id + " ");
    }

    @Test
    void resolving_an_alert_muted_for_a_period_ends_the_series_mute_its_mute_created_and_says_so() throws IOException {
        MutedForAPeriod m = mutedForAPeriod();
        long id = m.alert();
        int series = m.series();
        var mute = m.mute();

        PushCommandTest.Run resolve = run(env, "", "alerts", "resolve", String.valueOf(id), "-m", "fixed upstream");

        assertThat(resolve.exitCode()).as(resolve.err()).isZero();
        assertThat(resolve.out()).contains("alert " + id + " is now resolved", "the mute of series " + series
                + " metric f1 (mute " + mute.id() + "), created when alert " + id + " was muted, ended when it was resolved");
        assertThat(server.benchmon().annotations().mutes(series, java.time.Instant.now())).isEmpty();
        assertThat(server.benchmon().annotations().mutes(series, null).get(0).endReason())
                .isEqualTo("alert " + id + ", whose mute created it, resolved: fixed upstream");
    }

    @Test
    void unmuting_an_alert_leaves_a_series_mute_made_on_its_own_in_force_and_says_how_to_end_it() throws IOException {
        long id = regressionAlert();
        int series = server.benchmon().alertBook().get(id).seriesId();
        assertThat(run(env, "", "alerts", "mute", "--series-id", String.valueOf(series), "--metric", "f1", "--reason",
                "noisy runner", "--for", "2h").exitCode()).isZero();
        assertThat(run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "runner migration").exitCode()).isZero();
        var mute = server.benchmon().annotations().mutes(series, java.time.Instant.now()).get(0);

        PushCommandTest.Run unmute = run(env, "", "alerts", "unmute", String.valueOf(id));

        assertThat(unmute.exitCode()).as(unmute.err()).isZero();
        String end = "benchmon alerts unmute --series-id " + series + " --metric f1";
        assertThat(unmute.out()).contains("alert " + id + " is now open", "the mute of series " + series + " metric f1 (mute "
                + mute.id() + ") stays in force until " + mute.endsAt() + ": new alerts of f1 open muted until then; end it with `"
                + end + "`");
        assertThat(unmute.out()).doesNotContain("ended with its unmute");
        assertThat(server.benchmon().annotations().mutes(series, java.time.Instant.now())).extracting(m -> m.id())
                .containsExactly(mute.id());
        assertThat(push(0.90).exitCode()).isZero(); // back at the baseline: the alert resolves
        PushCommandTest.Run next = push(0.78, "--fail-on-regression");
        assertThat(next.exitCode()).as("the new alert opens muted: " + next.out()).isZero();
        assertThat(next.out()).containsPattern("#\\d+\\s+muted");
        // the command it names works, as printed
        PushCommandTest.Run ended = run(env, "", "alerts", "unmute", "--series-id", String.valueOf(series), "--metric", "f1");
        assertThat(ended.exitCode()).as(ended.err()).isZero();
        assertThat(server.benchmon().annotations().mutes(series, java.time.Instant.now())).isEmpty();
    }

    @Test
    void muting_an_alert_that_is_muted_already_says_since_when_and_stores_nothing() throws IOException {
        long id = regressionAlert();
        assertThat(run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "flaky runner").exitCode()).isZero();
        var muted = server.benchmon().alertBook().history(id);

        PushCommandTest.Run again = run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "still flaky", "--as", "bo");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("alert " + id + " is already muted (since " + muted.get(muted.size() - 1).at()
                + " by ana: flaky runner)").doesNotContain("is now muted");
        assertThat(server.benchmon().alertBook().history(id)).as("no second event").isEqualTo(muted);
    }

    @Test
    void a_series_mute_is_recorded_in_the_alerts_history_with_its_expiry_in_iso_8601() throws IOException {
        long id = regressionAlert();
        int series = server.benchmon().alertBook().get(id).seriesId();

        assertThat(run(env, "", "alerts", "mute", "--series-id", String.valueOf(series), "--reason", "runner migration",
                "--for", "7d", "--db", server.databaseUrl()).exitCode()).isZero();

        assertThat(server.benchmon().alertBook().history(id)).last().extracting(e -> e.comment()).asString()
                .matches("mute \\d+ until \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ: runner migration");
    }

    @Test
    void unmuting_a_metric_with_a_mute_of_its_own_ends_it_and_leaves_the_whole_series_mute_in_force() throws IOException {
        long id = regressionAlert();
        int series = server.benchmon().alertBook().get(id).seriesId();
        String db = server.databaseUrl();
        assertThat(run(env, "", "alerts", "mute", "--series-id", String.valueOf(series), "--metric", "f1", "--reason",
                "flaky f1", "--for", "14d", "--db", db).exitCode()).isZero();
        assertThat(run(env, "", "alerts", "mute", "--series-id", String.valueOf(series), "--reason", "runner migration",
                "--for", "7d", "--db", db).exitCode()).isZero();

        PushCommandTest.Run metricOnly = run(env, "", "alerts", "unmute", "--series-id", String.valueOf(series), "--metric",
                "f1", "--db", db);

        assertThat(metricOnly.exitCode()).as(metricOnly.err()).isZero();
        assertThat(server.benchmon().alertBook().get(id).state().sqlName()).isEqualTo("muted");
        assertThat(server.benchmon().annotations().mutes(series, java.time.Instant.now()))
                .extracting(m -> m.metric()).containsExactly((String) null);
    }

    @Test
    void excluding_the_first_run_of_a_drop_that_persists_says_the_alert_stays_open_and_where_its_change_starts_now() throws IOException {
        long id = regressionAlert();
        long first = server.benchmon().alertBook().get(id).transactionId();
        push(0.80);
        long second = server.benchmon().alertBook().get(id).lastTransactionId();

        PushCommandTest.Run exclude = run(env, "", "alerts", "exclude", String.valueOf(first), "--reason", "bad push");

        assertThat(exclude.exitCode()).as(exclude.err()).isZero();
        assertThat(exclude.out()).contains("alert " + id + " stays open: its change persists without run " + first
                + "; it starts at run " + second);
    }

    @Test
    void including_the_first_run_of_a_drop_again_says_the_alert_stays_open_and_its_change_starts_there_again() throws IOException {
        long id = regressionAlert();
        long first = server.benchmon().alertBook().get(id).transactionId();
        push(0.80);
        assertThat(run(env, "", "alerts", "exclude", String.valueOf(first), "--reason", "bad push").exitCode()).isZero();

        PushCommandTest.Run include = run(env, "", "alerts", "include", String.valueOf(first), "--reason", "it was fine");

        assertThat(include.exitCode()).as(include.err()).isZero();
        assertThat(include.out()).contains("alert " + id + " stays open: its change starts at run " + first);
    }

    /**
     * A deeper run (0.70) escalated the drop's alert, which then followed a run back at the drop's level (0.80):
     * excluding the deeper run only grades the alert again, and the command says so with its grade now.
     */
    @Test
    void excluding_a_run_that_escalated_an_alert_says_the_alert_is_regraded_and_its_severity_now() throws IOException {
        long id = regressionAlert();
        push(0.70);
        long deeper = server.benchmon().alertBook().get(id).lastTransactionId();
        push(0.80);
        dev.benchmon.alert.Alert escalated = server.benchmon().alertBook().get(id);
        assertThat(escalated.nowSeverity()).as("escalated by the deeper run").isNotEqualTo(escalated.severity());

        PushCommandTest.Run exclude = run(env, "", "alerts", "exclude", String.valueOf(deeper), "--reason", "bad push");

        assertThat(exclude.exitCode()).as(exclude.err()).isZero();
        assertThat(exclude.out()).contains("alert " + id + " stays open; without run " + deeper
                + " its severity now is " + escalated.severity());
    }

    /** A glitch's run excluded (its alert resolves) and included again (its alert opens again), on a server or with --db. */
    @org.junit.jupiter.params.ParameterizedTest(name = "with --db: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void including_an_excluded_run_again_reopens_the_alert_its_exclusion_resolved(boolean db) throws IOException {
        long id = regressionAlert();
        long run = server.benchmon().alertBook().get(id).transactionId();
        assertThat(run(env, "", alerts(db, List.of("exclude", String.valueOf(run), "--reason", "bad push"))).exitCode())
                .isZero();

        PushCommandTest.Run include = run(env, "", alerts(db, List.of("include", String.valueOf(run), "--reason",
                "the push was fine")));

        assertThat(include.exitCode()).as(include.err()).isZero();
        assertThat(include.out()).contains("run " + run + " included again")
                .contains("alert " + id + " reopened: open again, its change starts at run " + run);
        assertThat(server.benchmon().annotations().exclusionReason(run)).isNull();
        assertThat(server.benchmon().alertBook().get(id).state().sqlName()).isEqualTo("open");
        assertThat(server.benchmon().alertBook().history(id)).last()
                .satisfies(e -> assertThat(List.of(e.actor(), e.comment()))
                        .containsExactly("ana", "run " + run + " included again: the push was fine"));
    }

    /** Including a run that is not excluded is refused, exit 2, on a server or with --db, and stores no annotation. */
    @org.junit.jupiter.params.ParameterizedTest(name = "with --db: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void including_a_run_that_is_not_excluded_is_refused_and_stores_nothing(boolean db) throws IOException {
        long id = regressionAlert();
        long run = server.benchmon().alertBook().get(id).transactionId();
        var history = server.benchmon().alertBook().history(id);

        PushCommandTest.Run include = run(env, "", alerts(db, List.of("include", String.valueOf(run), "--reason", "x")));

        assertThat(include.exitCode()).as(include.out() + include.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(include.err()).contains("run " + run + " is not excluded, so there is nothing to include again")
                .as("no input was wrong").doesNotContain("invalid", "fix the problem above");
        assertThat(include.out()).doesNotContain("included again");
        assertThat(server.benchmon().annotations().ofRun(run)).as("no annotation").isEmpty();
        assertThat(server.benchmon().alertBook().history(id)).isEqualTo(history);
    }

    /** Excluding an excluded run again is refused naming since when, by whom and why; the first reason stays. */
    @org.junit.jupiter.params.ParameterizedTest(name = "with --db: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void excluding_a_run_that_is_excluded_already_is_refused_and_keeps_its_reason(boolean db) throws IOException {
        long id = regressionAlert();
        long run = server.benchmon().alertBook().get(id).transactionId();
        assertThat(run(env, "", alerts(db, List.of("exclude", String.valueOf(run), "--reason", "bad push"))).exitCode())
                .isZero();

        PushCommandTest.Run again = run(env, "", alerts(db, List.of("exclude", String.valueOf(run), "--reason", "other",
                "--as", "bo")));

        assertThat(again.exitCode()).as(again.out() + again.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(again.err()).containsPattern("run " + run + " is excluded already, since "
                + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z by ana: bad push; to exclude it for another reason")
                .doesNotContain("invalid");
        assertThat(server.benchmon().annotations().exclusionReason(run)).isEqualTo("bad push");
        assertThat(server.benchmon().annotations().ofRun(run)).as("one annotation").hasSize(1);
    }

    @Test
    void acknowledging_an_acknowledged_alert_says_so_and_appends_no_event() throws IOException {
        long id = regressionAlert();
        assertThat(run(env, "", "alerts", "ack", String.valueOf(id), "-m", "bisecting").exitCode()).isZero();
        var history = server.benchmon().alertBook().history(id);

        PushCommandTest.Run again = run(env, "", "alerts", "ack", String.valueOf(id), "--as", "bo");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("alert " + id + " is already acknowledged (since " + history.get(history.size() - 1).at()
                + " by ana: bisecting); nothing changed").doesNotContain("is now");
        assertThat(server.benchmon().alertBook().history(id)).as("no second event").isEqualTo(history);
    }

    @Test
    void a_multi_line_comment_stays_on_the_one_line_of_already_acknowledged_and_keeps_its_indent_in_show()
            throws IOException {
        long id = regressionAlert();
        assertThat(run(env, "", "alerts", "ack", String.valueOf(id), "-m", "bisecting:\n  - c3\n  - c4", "--as", "ana")
                .exitCode()).isZero();

        PushCommandTest.Run again = run(env, "", "alerts", "ack", String.valueOf(id));
        PushCommandTest.Run show = run(env, "", "alerts", "show", String.valueOf(id));

        assertThat(again.out().strip()).doesNotContain("\n").endsWith("by ana: bisecting: / - c3 / - c4); nothing changed");
        assertThat(show.out()).contains("acknowledged by ana (cli): bisecting:\n        - c3\n        - c4\n");
    }

    @Test
    void muting_an_alert_for_a_period_twice_keeps_one_series_mute() throws IOException {
        long id = regressionAlert();
        int series = server.benchmon().alertBook().get(id).seriesId();
        assertThat(run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "r", "--for", "7d").exitCode()).isZero();
        var first = server.benchmon().annotations().mutes(series, java.time.Instant.now());

        PushCommandTest.Run again = run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "r2", "--for", "7d");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(first).hasSize(1);
        var now = server.benchmon().annotations().mutes(series, java.time.Instant.now());
        assertThat(now).extracting(m -> m.id()).containsExactly(first.get(0).id());
        assertThat(now.get(0).expiresAt()).as("the same period asked again: not extended").isEqualTo(first.get(0).expiresAt());
        assertThat(again.out()).contains("alert " + id + " is already muted")
                .contains("series " + series + " metric f1 is already muted until " + first.get(0).expiresAt() + " (mute "
                        + first.get(0).id() + ": r); no second mute stored")
                .doesNotContain("extended");
        // the one mute, created by the first mute of the alert, ends with its unmute
        PushCommandTest.Run unmute = run(env, "", "alerts", "unmute", String.valueOf(id));
        assertThat(unmute.out().lines().filter(l -> l.contains("ended with its unmute"))).as(unmute.out()).hasSize(1);
        assertThat(server.benchmon().annotations().mutes(series, java.time.Instant.now())).isEmpty();
    }

    @Test
    void including_an_excluded_run_needs_no_reason_and_records_included_again() throws IOException {
        long id = regressionAlert();
        long run = server.benchmon().alertBook().get(id).transactionId();
        assertThat(run(env, "", "alerts", "exclude", String.valueOf(run), "--reason", "bad push").exitCode()).isZero();

        PushCommandTest.Run include = run(env, "", "alerts", "include", String.valueOf(run));

        assertThat(include.exitCode()).as(include.err()).isZero();
        assertThat(include.out()).contains("run " + run + " included again");
        assertThat(server.benchmon().annotations().exclusionReason(run)).isNull();
        assertThat(server.benchmon().annotations().ofRun(run)).last()
                .satisfies(a -> assertThat(List.of(a.kind(), a.text())).containsExactly("included", "included again"));
    }

    @Test
    void without_as_or_any_user_variable_the_triage_is_recorded_as_the_os_user_as_the_help_of_as_says() throws IOException {
        long id = regressionAlert();
        env.remove("BENCHMON_ACTOR"); // and no GITHUB_ACTOR or USER: the command sees only this map

        PushCommandTest.Run ack = run(env, "", "alerts", "ack", String.valueOf(id), "-m", "looking");
        PushCommandTest.Run help = run(env, "", "alerts", "ack", "--help");

        assertThat(ack.exitCode()).as(ack.err()).isZero();
        assertThat(server.benchmon().alertBook().history(id)).last().satisfies(e -> assertThat(List.of(e.actor(),
                e.comment())).containsExactly(System.getProperty("user.name"), "looking"));
        assertThat(help.out().replaceAll("\\s+", " "))
                .contains("(default: $BENCHMON_ACTOR, else $GITHUB_ACTOR, else $USER, else the OS user name, else 'cli')");
    }

    @Test
    void an_account_without_a_name_is_recorded_as_cli_as_the_help_of_as_says() {
        // The JDK's user.name of a uid without a passwd entry (a container's) is "?"; an empty one names nobody either.
        assertThat(new AlertsCommand.Actor().name(Map.of(), "?")).isEqualTo("cli");
        assertThat(new AlertsCommand.Actor().name(Map.of(), " ")).isEqualTo("cli");
        assertThat(new AlertsCommand.Actor().name(Map.of("USER", "ana"), "root")).isEqualTo("ana");
    }

    @Test
    void excluding_a_run_still_needs_a_reason_and_the_help_says_include_undoes_it_without_one() throws IOException {
        long id = regressionAlert();
        long run = server.benchmon().alertBook().get(id).transactionId();

        PushCommandTest.Run exclude = run(env, "", "alerts", "exclude", String.valueOf(run));
        PushCommandTest.Run help = run(env, "", "alerts", "include", "--help");

        assertThat(exclude.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(exclude.err()).contains("--reason");
        assertThat(server.benchmon().annotations().exclusionReason(run)).isNull();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("[--reason=TEXT]", "default: \"included again\"");
    }

    /**
     * One alert in each state, and a second open one: listed open (newest first), acknowledged, muted, expected,
     * resolved, whenever each was opened (the resolved alert is the newest but one).
     */
    @Test
    void alerts_list_orders_by_state_open_acknowledged_muted_expected_resolved_and_newest_first_within_a_state()
            throws IOException {
        String[] models = {"ack", "mut", "exp", "open1", "res", "open2"};
        Map<String, Long> ids = new HashMap<>();
        for (String model : models) { // each a series of its own with a regression, opened in this order
            for (int i = 0; i < 5; i++) {
                Path f = dir.resolve(model + i + ".json");
                Files.writeString(f, "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"environment\":\"ci\","
                        + "\"run_at\":\"2026-01-02T0" + i + ":00:00Z\",\"metrics\":{\"f1\":" + (i < 4 ? 0.90 : 0.80) + "}}");
                assertThat(run(env, "", "push", f.toString()).exitCode()).isZero();
            }
            ids.put(model, server.benchmon().alertBook().list(dev.benchmon.alert.AlertFilter.all()).stream()
                    .filter(a -> a.modelVersion().equals(model)).findFirst().orElseThrow().id());
        }
        assertThat(run(env, "", "alerts", "ack", String.valueOf(ids.get("ack"))).exitCode()).isZero();
        assertThat(run(env, "", "alerts", "mute", String.valueOf(ids.get("mut")), "--reason", "flaky").exitCode()).isZero();
        assertThat(run(env, "", "alerts", "expect", String.valueOf(ids.get("exp"))).exitCode()).isZero();
        assertThat(run(env, "", "alerts", "resolve", String.valueOf(ids.get("res"))).exitCode()).isZero();

        PushCommandTest.Run list = run(env, "", "alerts", "list");

        assertThat(list.exitCode()).as(list.err()).isZero();
        List<String> listed = list.out().lines().skip(1).map(l -> l.split("\\s+")[0] + " " + l.split("\\s+")[1]).toList();
        assertThat(listed).containsExactly(ids.get("open2") + " open", ids.get("open1") + " open",
                ids.get("ack") + " acknowledged", ids.get("mut") + " muted", ids.get("exp") + " expected",
                ids.get("res") + " resolved");
    }

    @Test
    void alerts_list_filters_by_the_series_names_as_export_does() throws IOException {
        long id = regressionAlert();
        for (int i = 0; i < 5; i++) { // a regression of model m2 too
            Path f = dir.resolve("other" + i + ".json");
            Files.writeString(f, "{\"model_version\":\"m2\",\"dataset_version\":\"d\",\"environment\":\"gpu\",\"run_at\":"
                    + "\"2026-01-02T0" + i + ":00:00Z\",\"metrics\":{\"f1\":" + (i < 4 ? 0.90 : 0.80) + "}}");
            assertThat(run(env, "", "push", f.toString()).exitCode()).isZero();
        }

        PushCommandTest.Run m = run(env, "", "alerts", "list", "--model", "m");
        PushCommandTest.Run gpu = run(env, "", "alerts", "list", "--environment", "gpu", "--dataset", "d", "--prompt", "",
                "--db", server.databaseUrl());
        PushCommandTest.Run unknown = run(env, "", "alerts", "list", "--model", "nope");

        assertThat(m.exitCode()).as(m.err()).isZero();
        assertThat(m.out()).containsPattern(id + "\\s+open\\s+m / d @ci").doesNotContain("m2");
        assertThat(gpu.exitCode()).as(gpu.err()).isZero();
        assertThat(gpu.out()).contains("m2 / d @gpu").doesNotContain("@ci");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(unknown.err()).contains("nope");
    }

    /** {@code benchmon alerts ARGS}, on the test server's database directly with {@code db}. */
    private String[] alerts(boolean db, List<String> args) {
        List<String> all = new java.util.ArrayList<>(List.of("alerts"));
        all.addAll(args);
        all.addAll(db ? List.of("--db", server.databaseUrl()) : List.of());
        return all.toArray(String[]::new);
    }

    @Test
    void alerts_list_says_when_more_alerts_match_than_its_limit_shows() throws IOException {
        regressionAlert();
        for (int i = 0; i < 5; i++) { // a second series with a regression: two open alerts
            Path f = dir.resolve("other" + i + ".json");
            Files.writeString(f, "{\"model_version\":\"m2\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":"
                    + "\"2026-01-02T0" + i + ":00:00Z\",\"metrics\":{\"f1\":" + (i < 4 ? 0.90 : 0.80) + "}}");
            assertThat(run(env, "", "push", f.toString()).exitCode()).isZero();
        }

        PushCommandTest.Run one = run(env, "", "alerts", "list", "--limit", "1");
        PushCommandTest.Run two = run(env, "", "alerts", "list", "--limit", "2");

        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(one.out().lines().filter(l -> l.contains(" open "))).hasSize(1);
        assertThat(one.out()).contains("(the first 1 shown; more match: raise --limit");
        assertThat(two.out().lines().filter(l -> l.contains(" open "))).hasSize(2);
        assertThat(two.out()).doesNotContain("more match");
    }

    @Test
    void alerts_list_state_all_lists_alerts_in_every_state_as_the_docs_show_it() throws IOException {
        long id = regressionAlert();
        assertThat(run(env, "", "alerts", "ack", String.valueOf(id), "-m", "bisecting").exitCode()).isZero();

        PushCommandTest.Run list = run(env, "", "alerts", "list", "--state", "all", "--model", "m", "--environment", "ci");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern(id + "\\s+acknowledged\\s+m / d @ci");
    }

    @Test
    void the_job_summary_gives_a_proportions_regression_in_points_as_the_alerts_table_does() throws IOException {
        Path summary = dir.resolve("summary.md");
        env.put("GITHUB_STEP_SUMMARY", summary.toString());
        regressionAlert();

        assertThat(Files.readString(summary)).contains("| m / d &#64;ci | f1 | 0.9000 | 0.8000 | -10.0 points | major |")
                .doesNotContain("-11.1%");
    }

    /**
     * ChangePointRangeTest's weak step (accuracy 0.85 for 40 runs, then 0.83, noise sd 0.01 from seed 50), pushed over
     * HTTP a run at a time: the per-run test opens the alert at a noisy run (c44..c45), and the change point the detector
     * placed at the step (c39..c40) confirms it. The list says so in the alert page's words.
     */
    @Test
    void alerts_list_says_where_the_confirming_change_point_is_as_the_alert_page_does() throws IOException {
        java.util.Random step = new java.util.Random(50);
        for (int h = 0; h < 70; h++) {
            var r = server.postJson("/api/v1/results", "[{\"model_version\":\"cp\",\"dataset_version\":\"d\","
                    + "\"environment\":\"ci\",\"run_at\":\"" + java.time.Instant.parse("2026-01-01T00:00:00Z").plusSeconds(3600L * h)
                    + "\",\"commit_sha\":\"c" + h + "\",\"metrics\":{\"accuracy\":"
                    + ((h < 40 ? 0.85 : 0.83) + 0.01 * step.nextGaussian()) + "}}]", "Authorization", "Bearer w-tok");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        dev.benchmon.alert.Alert a = server.benchmon().alertBook().list(dev.benchmon.alert.AlertFilter.all()).get(0);
        String page = server.get("/alerts/" + a.id(), "Authorization", "Bearer r-tok").body();

        PushCommandTest.Run list = run(env, "", "alerts", "list", "--model", "cp");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(page).contains("confirmed by a change point at c39..c40 (confidence ");
        assertThat(list.out().lines().filter(l -> l.startsWith(a.id() + " "))).as(list.out()).singleElement()
                .satisfies(l -> assertThat(l).endsWith("  c44..c45  " + a.changePointText()));
        assertThat(a.changePointText()).startsWith("confirmed by a change point at c39..c40 (confidence ");
    }

    @Test
    void alerts_list_with_db_reads_the_database_directly() throws IOException {
        long id = regressionAlert();

        PushCommandTest.Run list = run(env, "", "alerts", "list", "--state", "open", "--db", server.databaseUrl());

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern(id + "\\s+open\\s+m / d @ci\\s+f1\\s+-10.0 points\\s+c3..c4");
    }

    @Test
    void alerts_list_reads_the_database_benchmon_db_url_names_unless_a_server_is_given_as_export_does() throws IOException {
        long id = regressionAlert();
        Map<String, String> dbEnv = Map.of("BENCHMON_DB_URL", server.databaseUrl());

        PushCommandTest.Run list = run(dbEnv, "", "alerts", "list", "--state", "open");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern(id + "\\s+open\\s+m / d @ci");

        PushCommandTest.Run token = run(dbEnv, "", "alerts", "list", "--token", "r-tok");
        assertThat(token.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(token.err()).contains("without --server alerts list works on the database $BENCHMON_DB_URL names");

        // A listing that fails is said as the read it is: no advice to check whether something was stored.
        PushCommandTest.Run unreachable = run(dbEnv, "", "alerts", "list", "--server", "http://127.0.0.1:1");
        assertThat(unreachable.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(unreachable.err()).contains("Listing alerts changes nothing, so running it again is safe")
                .doesNotContain("stored", "repeating the change");
    }

    @Test
    void alerts_mute_names_the_series_metric_and_change_it_muted_as_ack_does() throws IOException {
        long id = regressionAlert();

        PushCommandTest.Run mute = run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "noisy runner", "--db",
                server.databaseUrl());

        assertThat(mute.exitCode()).as(mute.err()).isZero();
        assertThat(mute.out()).contains("alert " + id + " is now muted (m / d @ci f1 -10.0 points)");
    }

    @Test
    void alerts_ack_with_db_triages_in_the_database_and_the_next_push_passes() throws IOException {
        long id = regressionAlert();

        PushCommandTest.Run ack = run(env, "", "alerts", "ack", String.valueOf(id), "-m", "bisecting", "--db",
                server.databaseUrl());

        assertThat(ack.exitCode()).as(ack.err()).isZero();
        assertThat(ack.out()).contains("alert " + id + " is now acknowledged (m / d @ci f1 -10.0 points)");
        assertThat(server.benchmon().alertBook().history(id)).last()
                .satisfies(e -> assertThat(List.of(e.actor(), e.comment(), e.source())).containsExactly("ana", "bisecting", "cli"));
        assertThat(push(0.80, "--fail-on-regression").exitCode()).isZero();
    }

    @Test
    void muting_a_series_and_excluding_a_run_with_db() throws IOException {
        long id = regressionAlert();
        int series = server.benchmon().alertBook().get(id).seriesId();
        long run = server.benchmon().alertBook().get(id).transactionId();

        PushCommandTest.Run mute = run(env, "", "alerts", "mute", "--series-id", String.valueOf(series), "--reason",
                "runner migration", "--for", "7d", "--db", server.databaseUrl());
        PushCommandTest.Run exclude = run(env, "", "alerts", "exclude", String.valueOf(run), "--reason", "bad push",
                "--db", server.databaseUrl());

        assertThat(mute.exitCode()).as(mute.err()).isZero();
        assertThat(mute.out()).contains("series " + series + " muted until");
        assertThat(exclude.exitCode()).as(exclude.err()).isZero();
        assertThat(exclude.out()).contains("run " + run + " excluded", "alert " + id + " resolved");
        assertThat(server.benchmon().annotations().exclusionReason(run)).isEqualTo("bad push");
    }

    @Test
    void an_unknown_alert_with_db_exits_2_naming_it() {
        PushCommandTest.Run r = run(env, "", "alerts", "ack", "999999", "--db", server.databaseUrl());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).isEqualTo("error: alert 999999 not found\nbenchmon alerts list shows the alerts and their "
                + "ids.\n"); // said once, not again as its one problem
    }

    /**
     * A refused option value, with a server and with --db: the error names the option the user typed (--metric, --as,
     * --reason, --comment, --limit), never the API's field (actor, text, comment) nor a "query parameter".
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "with --db: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void a_refused_option_value_is_named_by_its_option_not_as_an_api_field(boolean db) throws IOException {
        long id = regressionAlert();
        long run = server.benchmon().alertBook().get(id).transactionId();
        Map<List<String>, String> refused = new java.util.LinkedHashMap<>();
        refused.put(List.of("list", "--metric", "f\u00011"), "invalid --metric: holds the control character U+0001");
        refused.put(List.of("list", "--limit", "0"), "invalid --limit: must be from 1 to 10000, got 0");
        refused.put(List.of("ack", String.valueOf(id), "--as", "a\u0001b"), "invalid --as: holds the control character");
        refused.put(List.of("ack", String.valueOf(id), "-m", "a\u0000b"), "invalid --comment: holds the control character");
        refused.put(List.of("mute", String.valueOf(id), "--reason", "a\u0000b"), "invalid --reason: holds the control character");
        refused.put(List.of("exclude", String.valueOf(run), "--reason", " "), "invalid --reason: must say why the run is excluded");
        refused.put(List.of("include", String.valueOf(run), "--reason", " "), "invalid --reason: must not be blank");
        refused.put(List.of("unmute", String.valueOf(id), "--reason", "a\u0000b"), "invalid --reason: holds the control character");

        for (Map.Entry<List<String>, String> c : refused.entrySet()) {
            PushCommandTest.Run r = run(env, "", alerts(db, c.getKey()));

            assertThat(r.exitCode()).as(c.getKey().toString()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).as(c.getKey().toString()).contains(c.getValue())
                    .doesNotContain("query parameter", "invalid actor", "invalid text", "invalid comment", "invalid metric",
                            "invalid reason", "invalid limit");
        }
        assertThat(server.benchmon().alertBook().history(id)).hasSize(1);
        assertThat(server.benchmon().annotations().exclusionReason(run)).isNull();
    }

    @Test
    void alerts_with_both_server_and_db_are_refused() {
        PushCommandTest.Run r = run(env, "", "alerts", "list", "--server", server.url(), "--db", server.databaseUrl());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("give either --server or --db / --home, not both");
    }

    @Test
    void alerts_with_a_token_on_the_database_are_refused_naming_both_options() {
        PushCommandTest.Run r = run(env, "", "alerts", "list", "--db", server.databaseUrl(), "--token", "t");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("--token is for a server, but --db / --home works on the database directly",
                "drop --token, or list alerts on a server with --server URL instead of --db / --home")
                .doesNotContain("triage");
    }

    @Test
    void a_triage_command_with_a_token_on_the_database_is_refused_suggesting_triage_on_a_server() {
        PushCommandTest.Run r = run(env, "", "alerts", "ack", "1", "--db", server.databaseUrl(), "--token", "t");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("drop --token, or triage on a server with --server URL instead of --db / --home");
    }

    @Test
    void the_help_of_alerts_mute_says_that_without_db_or_a_database_variable_it_goes_to_the_server() {
        PushCommandTest.Run help = run(env, "", "alerts", "mute", "--help");

        // picocli wraps a line after a URL's or path's colon or dot (http: //127.0.0.1: 7070, ~/. benchmon)
        assertThat(help.out().replaceAll("\\s+", " ").replaceAll("(?<=[:.]) (?=[/0-9]|benchmon)", "")).contains("Without --db or --home the command works on the database "
                + "$BENCHMON_DB_URL or $BENCHMON_HOME names when either is set, else goes to the server (--server); with "
                + "$BENCHMON_SERVER / $BENCHMON_URL unset too, to http://127.0.0.1:7070 when a server answers there, "
                + "else it works on the database in ~/.benchmon when it holds one.");
    }

    /**
     * A stable history of {@code m / d @ci} (30 runs a day apart, f1 and precision with seeded noise around
     * 0.90), pushed as one file.
     */
    private void stableHistory() throws IOException {
        java.util.Random noise = new java.util.Random(42);
        java.time.Instant start = java.time.Instant.now().minus(java.time.Duration.ofDays(40));
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            jsonl.append(String.format(java.util.Locale.ROOT, "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                    + "\"environment\":\"ci\",\"run_at\":\"%s\",\"commit_sha\":\"h%d\",\"run_id\":\"h%d\","
                    + "\"metrics\":{\"f1\":%.4f,\"precision\":%.4f}}%n", start.plus(java.time.Duration.ofDays(i)), i, i,
                    0.90 + 0.004 * noise.nextGaussian(), 0.88 + 0.004 * noise.nextGaussian()));
        }
        Path f = dir.resolve("history.jsonl");
        Files.writeString(f, jsonl);
        assertThat(run(env, "", "push", f.toString()).exitCode()).isZero();
    }

    /** The same result, f1 fallen to {@code f1} and precision as before, pushed as CI run {@code runId} (run_at: now). */
    private PushCommandTest.Run pushDrop(String runId, double f1, String... extra) throws IOException {
        Path f = dir.resolve("drop.json");
        Files.writeString(f, "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"environment\":\"ci\","
                + "\"metrics\":{\"f1\":" + f1 + ",\"precision\":0.88}}");
        String[] args = new String[5 + extra.length];
        System.arraycopy(new String[] {"push", f.toString(), "--run-id", runId, "--fail-on-regression"}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        return run(env, "", args);
    }

    private long openF1Alert() {
        var open = server.benchmon().alertBook().list(dev.benchmon.alert.AlertFilter.states(dev.benchmon.alert.AlertState.OPEN));
        assertThat(open).extracting(dev.benchmon.alert.Alert::metric).containsExactly("f1");
        return open.get(0).id();
    }

    @Test
    void a_drop_that_persists_fails_every_push_while_its_alert_is_open_and_passes_once_acknowledged() throws IOException {
        stableHistory();
        for (int r = 1; r <= 4; r++) {
            PushCommandTest.Run push = pushDrop("drop-" + r, 0.70);
            assertThat(push.exitCode()).as("push %d: %s", r, push.out()).isEqualTo(ExitCodes.REGRESSION);
            assertThat(push.out()).as("push %d", r).containsPattern("#" + openF1Alert() + "\\s+open\\s+m / d @ci  f1");
        }

        assertThat(run(env, "", "alerts", "ack", String.valueOf(openF1Alert()), "-m", "bisecting").exitCode()).isZero();

        PushCommandTest.Run after = pushDrop("drop-5", 0.70);
        assertThat(after.exitCode()).as(after.out()).isZero();
    }

    @Test
    void a_drop_that_persists_fails_every_push_with_db_while_its_alert_is_open() throws IOException {
        stableHistory();
        for (int r = 1; r <= 4; r++) {
            PushCommandTest.Run push = pushDrop("drop-" + r, 0.70, "--db", server.databaseUrl());
            assertThat(push.exitCode()).as("push %d: %s", r, push.out()).isEqualTo(ExitCodes.REGRESSION);
            assertThat(push.out()).as("push %d", r).containsPattern("#" + openF1Alert() + "\\s+open");
        }
    }

    @Test
    void an_open_alert_below_the_pushs_min_effect_is_listed_with_why_but_does_not_fail() throws IOException {
        stableHistory();
        assertThat(pushDrop("small-1", 0.87).exitCode()).as("-3.3%%: an alert at the metric's own settings")
                .isEqualTo(ExitCodes.REGRESSION);
        long id = openF1Alert();

        PushCommandTest.Run r = pushDrop("small-2", 0.87, "--min-effect", "50%");

        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("#" + id + "\\s+open").contains("not a regression under --min-effect 50%");
    }

    @Test
    void an_open_alert_beyond_the_pushs_min_effect_fails_every_push_while_the_drop_persists() throws IOException {
        stableHistory();
        for (int r = 1; r <= 4; r++) {
            PushCommandTest.Run push = pushDrop("drop-" + r, 0.70, "--min-effect", "5%");
            assertThat(push.exitCode()).as("push %d: %s", r, push.out()).isEqualTo(ExitCodes.REGRESSION);
        }
    }

    @Test
    void triage_with_the_read_token_is_refused_with_exit_2() throws IOException {
        long id = regressionAlert();
        Map<String, String> reader = new HashMap<>(env);
        reader.put("BENCHMON_TRIAGE_TOKEN", "r-tok");

        PushCommandTest.Run r = run(reader, "", "alerts", "ack", String.valueOf(id));

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("That token may not triage; triage needs the triage or write token.")
                .doesNotContain("pushing");
        assertThat(run(env, "", "alerts", "ack", "999999").exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    }

    @Test
    void a_push_with_the_triage_token_is_refused_saying_that_token_can_only_triage() throws IOException {
        Path f = dir.resolve("t.json");
        Files.writeString(f, "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.9}}");
        Map<String, String> triager = new HashMap<>(env);
        triager.put("BENCHMON_WRITE_TOKEN", "t-tok");

        PushCommandTest.Run r = run(triager, "", "push", f.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("(403)", "this token can only triage and read alerts", "That token may not push")
                .doesNotContain("not valid for this server", "can only read");
    }

    @Test
    void an_unknown_alert_is_named_by_the_server_without_asking_whether_it_is_a_benchmon_server() throws IOException {
        PushCommandTest.Run r = run(env, "", "alerts", "ack", "999999");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("(404)", "999999").doesNotContain("Is --server the address", "push again");
    }

    /**
     * A gateway on loopback in front of the server that forwards every request, but answers the first POST
     * with 504 after the server stored it (a proxy that gave up waiting); counts the POSTs it forwards.
     */
    private ForwardingGateway timingOutGateway() throws IOException {
        AtomicInteger posts = new AtomicInteger();
        return new ForwardingGateway(server.url(), (line, real) -> line.startsWith("POST ") && posts.incrementAndGet() == 1
                ? new ForwardingGateway.Answer(504, "application/json",
                "{\"error\":\"gateway timeout\"}".getBytes(StandardCharsets.UTF_8)) : real);
    }

    @Test
    void a_triage_change_answered_504_after_it_was_stored_is_sent_once_and_exits_3() throws IOException {
        long id = regressionAlert();
        try (ForwardingGateway gateway = timingOutGateway()) {
            env.put("BENCHMON_SERVER", gateway.url());

            PushCommandTest.Run ack = run(env, "", "alerts", "ack", String.valueOf(id), "-m", "bisecting");

            assertThat(ack.exitCode()).as(ack.err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(gateway.count("POST")).isEqualTo(1);
            assertThat(ack.err()).contains("answered 504", "Not retried", "before repeating the change");
            assertThat(server.benchmon().alertBook().history(id)).extracting(e -> e.state().sqlName())
                    .containsExactly("open", "acknowledged");
        }
    }

    @Test
    void push_through_the_same_gateway_still_retries_and_stores_its_result_once() throws IOException {
        try (ForwardingGateway gateway = timingOutGateway()) {
            env.put("BENCHMON_SERVER", gateway.url());

            PushCommandTest.Run r = push(0.90, "--retry-delay", "10");

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(gateway.count("POST")).isEqualTo(2);
            long stored = server.benchmon().jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM benchmark_transactions WHERE model_version = 'm'").mapTo(Long.class).one());
            assertThat(stored).isEqualTo(1);
        }
    }

    @Test
    void a_triage_change_that_cannot_connect_is_retried_since_it_was_never_sent() throws IOException {
        String closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = "http://127.0.0.1:" + s.getLocalPort();
        }
        env.put("BENCHMON_SERVER", closed);

        PushCommandTest.Run ack = run(env, "", "alerts", "ack", "1");

        assertThat(ack.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(ack.err()).contains("attempt 1 of 3", "attempt 2 of 3", "failed after 3 attempt(s)");
    }

    @Test
    void a_series_mute_without_an_expiry_exits_2_suggesting_an_until_in_the_future() {
        PushCommandTest.Run mute = run(env, "", "alerts", "mute", "--series-id", "2", "--reason", "x");

        assertThat(mute.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        Matcher until = Pattern.compile("--until (\\S+)").matcher(mute.err());
        assertThat(until.find()).as(mute.err()).isTrue();
        assertThat(java.time.Instant.parse(until.group(1))).isAfter(java.time.Instant.now());
    }

    @Test
    void a_mute_with_a_bad_period_exits_2_naming_the_option_and_leaves_the_alert_as_it_was() throws IOException {
        long id = regressionAlert();

        PushCommandTest.Run badFor = run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "flaky", "--for", "7days");
        PushCommandTest.Run badUntil = run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "flaky", "--until", "tomorrow");
        // An instant Java reads but the server refuses (years of four digits): the CLI checks by the server's rule.
        PushCommandTest.Run farUntil = run(env, "", "alerts", "mute", String.valueOf(id), "--reason", "flaky",
                "--until", "+10000-01-01T00:00:00Z");

        assertThat(badFor.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badFor.err()).contains("--for", "7days");
        assertThat(badUntil.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(badUntil.err()).contains("--until", "tomorrow");
        assertThat(farUntil.exitCode()).as(farUntil.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(farUntil.err()).contains("--until");
        assertThat(server.benchmon().alertBook().get(id).state().sqlName()).isEqualTo("open");
        assertThat(server.benchmon().alertBook().history(id)).hasSize(1);
        assertThat(server.benchmon().annotations().mutes(null, null)).isEmpty();
    }

    /** As exclude's RUN: one line naming ALERT_ID and what to give, not picocli's "is not a long" and the usage. */
    @Test
    void acking_an_alert_id_that_is_not_a_number_is_refused_in_one_line_saying_what_to_give() throws IOException {
        long id = regressionAlert();

        PushCommandTest.Run r = run(env, "", "alerts", "ack", "abc", "-m", "on it");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).isEqualTo("error: invalid ALERT_ID 'abc': give a whole number, the alert's id (benchmon alerts list)\n");
        assertThat(server.benchmon().alertBook().get(id).state().sqlName()).isEqualTo("open");
    }
}
