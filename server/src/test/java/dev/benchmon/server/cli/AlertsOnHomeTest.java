package dev.benchmon.server.cli;

import dev.benchmon.Benchmon;
import dev.benchmon.alert.AlertEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code benchmon alerts} in a shell where {@code BENCHMON_HOME} is set and no {@code --server} is given: list and
 * triage work on that home's embedded database, as compare and export read it, never on whatever server listens on
 * port 7070. The home is real: {@code push --home} stored a regression there, and the alert it opened is triaged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsOnHomeTest {
    /** Where the home and the pushed file are (one folder for the class: the tests share the home). */
    private Path dir;

    private Path home;

    /** The id of the regression alert the pushes below opened in {@code home}. */
    private long alert;

    @BeforeAll
    void regressionInAHome(@TempDir Path folder) throws IOException {
        dir = folder;
        home = dir.resolve("home");
        double[] f1 = {0.90, 0.91, 0.89, 0.90, 0.78};
        StringBuilder lines = new StringBuilder();
        for (int h = 0; h < f1.length; h++) {
            lines.append("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\"2026-01-01T0")
                    .append(h).append(":00:00Z\",\"metrics\":{\"f1\":").append(f1[h]).append("}}\n");
        }
        Path results = Files.writeString(dir.resolve("runs.jsonl"), lines);
        PushCommandTest.Run push = run(Map.of(), "", "push", results.toString(), "--home", home.toString());
        assertThat(push.exitCode()).as(push.out() + push.err()).isZero();
        Matcher m = Pattern.compile("#(\\d+)\\s+open").matcher(push.out());
        assertThat(m.find()).as(push.out()).isTrue();
        alert = Long.parseLong(m.group(1));
    }

    /** The shell of the trial: BENCHMON_HOME set (and an actor), plus {@code keyValues}. */
    private Map<String, String> homeShell(String... keyValues) {
        Map<String, String> env = new HashMap<>(Map.of("BENCHMON_HOME", home.toString(), "BENCHMON_ACTOR", "ana"));
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    private List<AlertEvent> history() {
        try (Benchmon bm = Benchmon.embedded(home)) {
            return bm.alertBook().history(alert);
        }
    }

    @Test
    void alerts_list_without_server_reads_the_database_of_benchmon_home() {
        PushCommandTest.Run list = run(homeShell(), "", "alerts", "list", "--state", "all");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern(alert + "\\s+(open|acknowledged)\\s+m / d @ci\\s+f1");
        assertThat(list.err()).isEmpty();
    }

    @Test
    void alerts_ack_without_server_triages_in_the_database_of_benchmon_home() {
        PushCommandTest.Run ack = run(homeShell(), "", "alerts", "ack", String.valueOf(alert), "-m", "bisecting");

        assertThat(ack.exitCode()).as(ack.err()).isZero();
        assertThat(ack.out()).contains("alert " + alert + " is now acknowledged");
        assertThat(history()).extracting(AlertEvent::actor, AlertEvent::comment, AlertEvent::source)
                .contains(org.assertj.core.groups.Tuple.tuple("ana", "bisecting", "cli"));
    }

    @Test
    void a_token_without_server_is_refused_naming_benchmon_home_as_where_the_command_works() {
        PushCommandTest.Run ack = run(homeShell(), "", "alerts", "ack", String.valueOf(alert), "--token", "t");

        assertThat(ack.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(ack.err()).contains("--token is for a server, but without --server alerts ack works on the database "
                + "$BENCHMON_HOME (" + home + ") names", "give the server with --server URL, or drop --token");
    }

    @Test
    void a_benchmon_home_without_a_database_is_refused_naming_the_variable_and_no_server_is_asked() throws IOException {
        Path typo = dir.resolve("typo-home");
        int silent;
        try (ServerSocket s = new ServerSocket(0)) {
            silent = s.getLocalPort(); // a port nobody listens on: a request sent there would be "cannot reach"
        }
        PushCommandTest.Run ack = run(Map.of("BENCHMON_HOME", typo.toString(), "BENCHMON_URL", "http://127.0.0.1:" + silent),
                "", "alerts", "list");

        assertThat(ack.exitCode()).as(ack.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(ack.err()).contains("BENCHMON_HOME (" + typo + ") holds no benchmon database", "--server URL")
                .doesNotContain("cannot reach");
        assertThat(typo).doesNotExist();
    }

    @Test
    void with_a_server_variable_set_too_the_home_applies_and_a_note_says_how_to_reach_the_server() throws IOException {
        int silent;
        try (ServerSocket s = new ServerSocket(0)) {
            silent = s.getLocalPort();
        }
        PushCommandTest.Run list = run(homeShell("BENCHMON_SERVER", "http://127.0.0.1:" + silent), "", "alerts", "list");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("m / d @ci");
        assertThat(list.err()).contains("note: alerts list works on the database $BENCHMON_HOME (" + home + ") names, "
                + "not on the server $BENCHMON_SERVER / $BENCHMON_URL names (http://127.0.0.1:" + silent
                + "): give --server URL for the server");
    }

    @Test
    void triage_with_both_a_server_variable_and_benchmon_home_set_is_refused_until_the_user_says_which() throws IOException {
        int silent;
        try (ServerSocket s = new ServerSocket(0)) {
            silent = s.getLocalPort();
        }
        PushCommandTest.Run ack = run(homeShell("BENCHMON_SERVER", "http://127.0.0.1:" + silent), "", "alerts", "ack", "1",
                "-m", "looking");

        assertThat(ack.exitCode()).as(ack.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(ack.err()).contains("alerts ack: both the database $BENCHMON_HOME (" + home + ") and the server "
                + "$BENCHMON_SERVER / $BENCHMON_URL (http://127.0.0.1:" + silent + ") are set",
                "give --server URL for the server, or --home DIR / --db URL for the database").doesNotContain("cannot reach");
    }

    @Test
    void an_explicit_server_still_wins_over_benchmon_home() throws IOException {
        int silent;
        try (ServerSocket s = new ServerSocket(0)) {
            silent = s.getLocalPort();
        }
        PushCommandTest.Run list = run(homeShell(), "", "alerts", "list", "--server", "http://127.0.0.1:" + silent);

        assertThat(list.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(list.err()).contains("http://127.0.0.1:" + silent);
    }

    @Test
    void without_as_or_any_actor_variable_the_os_user_name_is_recorded() {
        Map<String, String> noActor = new HashMap<>(Map.of("BENCHMON_HOME", home.toString()));

        PushCommandTest.Run mute = run(noActor, "", "alerts", "mute", String.valueOf(alert), "--reason", "runner swap");
        PushCommandTest.Run unmute = run(noActor, "", "alerts", "unmute", String.valueOf(alert));

        assertThat(mute.exitCode()).as(mute.err()).isZero();
        assertThat(unmute.exitCode()).as(unmute.err()).isZero();
        assertThat(history()).filteredOn(e -> "runner swap".equals(e.comment())).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo(System.getProperty("user.name")));
    }
}
