package dev.benchmon.server.cli;

import dev.benchmon.Benchmon;
import dev.benchmon.server.BenchmonServer;
import dev.benchmon.server.ServerSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code benchmon alerts} with nothing set (no --server, --home, --db, no variable) goes to the server at
 * http://127.0.0.1:7070 when one answers there, whichever database it serves; else it works on the default home
 * {@code ~/.benchmon}, as export, compare and import read it (also while {@code benchmon serve} runs on that home on
 * another port, whose PostgreSQL it shares), and says on stderr which it chose. With no database there and no server
 * answering, the error says what to do next. The tests on the home need port 7070 free (else they are skipped).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the triage last: the others list the alert open
class AlertsOnTheDefaultHomeTest {
    /** The user's home folder ({@code $HOME}): the default benchmon home is its {@code .benchmon}. */
    private Path user;
    private long alert;

    @BeforeAll
    void aRegressionInTheDefaultHome(@TempDir Path folder) throws IOException {
        user = folder.resolve("user");
        Path results = Files.writeString(folder.resolve("runs.jsonl"), ImportedAlertsTest.runs());
        // As `serve --demo` fills ~/.benchmon: the default home, nothing named
        PushCommandTest.Run push = run(shell(), "", "push", results.toString(), "--home", user.resolve(".benchmon").toString());
        assertThat(push.exitCode()).as(push.out() + push.err()).isZero();
        Matcher m = Pattern.compile("alert #(\\d+)\\s+open").matcher(push.out());
        assertThat(m.find()).as(push.out()).isTrue();
        alert = Long.parseLong(m.group(1));
    }

    /** A shell with nothing of benchmon's set: only the user's home folder (and who triages). */
    private Map<String, String> shell() {
        return Map.of("HOME", user.toString(), "BENCHMON_ACTOR", "ana");
    }

    @Test
    void alerts_list_with_nothing_set_lists_the_alerts_of_the_default_home() {
        assumeTrue(free(7070), "something listens on 127.0.0.1:7070, where the command would go");
        PushCommandTest.Run list = run(shell(), "", "alerts", "list", "--state", "open");

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern(alert + "\\s+open\\s+m / d @ci\\s+f1");
        assertThat(list.err()).doesNotContain("cannot reach").isEqualTo("note: no server answers at "
                + "http://127.0.0.1:7070; working on the database in " + user.resolve(".benchmon") + "\n");
    }

    @Test
    void with_a_server_answering_at_7070_alerts_with_nothing_set_go_to_it_and_say_so(@TempDir Path served) {
        assumeTrue(free(7070), "something listens on 127.0.0.1:7070 already");
        // `benchmon serve` on another home (or BENCHMON_DB_URL), beside an old ~/.benchmon that holds the alert
        try (BenchmonServer server = BenchmonServer.create(Benchmon.embedded(served),
                ServerSettings.defaults().withPort(7070)).start()) {
            PushCommandTest.Run list = run(shell(), "", "alerts", "list", "--state", "all");
            PushCommandTest.Run ack = run(shell(), "", "alerts", "ack", String.valueOf(alert), "-m", "bisecting");

            assertThat(list.exitCode()).as(list.err()).isZero();
            assertThat(list.out()).doesNotContain("m / d @ci");
            assertThat(list.err()).isEqualTo("note: alerts list works on the server at http://127.0.0.1:7070 (it "
                    + "answers there; nothing names another): give --home DIR or --db URL for a database\n");
            assertThat(ack.exitCode()).isNotZero(); // no such alert on that server; the home's stays as it was
            assertThat(ack.err()).contains("note: alerts ack works on the server at http://127.0.0.1:7070");
        }
        assertThat(run(shell(), "", "alerts", "list", "--state", "open", "--home", user.resolve(".benchmon").toString())
                .out()).containsPattern(alert + "\\s+open");
    }

    @Test
    void while_a_server_runs_on_the_default_home_alerts_list_reads_the_same_alerts_as_the_server_gives() throws Exception {
        assumeTrue(free(7070), "something listens on 127.0.0.1:7070, where the command would go");
        String range = ImportedAlertsTest.sha(10).substring(0, 12) + ".." + ImportedAlertsTest.sha(11).substring(0, 12);
        // `benchmon serve` on ~/.benchmon: its PostgreSQL holds the data folder; the command attaches to it
        try (BenchmonServer server = BenchmonServer.create(Benchmon.embedded(user.resolve(".benchmon")),
                ServerSettings.defaults().withPort(0)).start()) {
            PushCommandTest.Run local = run(shell(), "", "alerts", "list", "--state", "open");
            PushCommandTest.Run remote = run(shell(), "", "alerts", "list", "--state", "open", "--server", server.url());
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.url()).resolve("/alerts?state=all")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(local.exitCode()).as(local.err()).isZero();
            assertThat(remote.exitCode()).as(remote.err()).isZero();
            assertThat(local.out()).isEqualTo(remote.out()).contains(range);
            assertThat(page.body()).contains(">" + range + "<"); // the dashboard shows the range as the CLI does
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void alerts_ack_with_nothing_set_triages_in_the_default_home() {
        assumeTrue(free(7070), "something listens on 127.0.0.1:7070, where the command would go");
        PushCommandTest.Run ack = run(shell(), "", "alerts", "ack", String.valueOf(alert), "-m", "bisecting");
        PushCommandTest.Run list = run(shell(), "", "alerts", "list", "--state", "acknowledged");

        assertThat(ack.exitCode()).as(ack.err()).isZero();
        assertThat(ack.out()).contains("alert " + alert + " is now acknowledged");
        assertThat(list.out()).containsPattern(alert + "\\s+acknowledged\\s+m / d @ci");
        assertThat(run(shell(), "", "alerts", "resolve", String.valueOf(alert), "-m", "back").exitCode()).isZero();
        assertThat(run(shell(), "", "alerts", "list", "--state", "resolved").out()).contains(String.valueOf(alert));
    }

    @Test
    void with_no_database_in_the_default_home_and_no_server_the_error_says_what_to_do_next(@TempDir Path empty)
            throws IOException {
        assumeTrue(free(7070), "something listens on 127.0.0.1:7070, where the command would go");

        PushCommandTest.Run list = run(Map.of("HOME", empty.toString()), "", "alerts", "list", "--state", "open");

        assertThat(list.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(list.err()).contains("cannot reach http://127.0.0.1:7070", "Nothing answers at http://127.0.0.1:7070, "
                + "and the default home folder " + empty.resolve(".benchmon") + " holds no benchmon database: start the "
                + "server (benchmon serve), or say where the alerts are: --home DIR or --db URL for a database, "
                + "--server URL for another server.");
        assertThat(empty.resolve(".benchmon")).doesNotExist(); // a read creates no database
    }

    /**
     * A new user's first push without a server running: where else results can go, not only "is it running?". Here
     * beside the test that serves on 7070: the methods of one class never run at once, so no server appears between
     * the check that the port is free and the push.
     */
    @Test
    void push_to_the_default_server_that_nothing_answers_says_how_to_write_to_a_database_instead(@TempDir Path dir)
            throws IOException {
        assumeTrue(free(7070), "something listens on 127.0.0.1:7070, where the push would go");
        Path file = Files.writeString(dir.resolve("r.json"), "{\"model_version\": \"m\", \"dataset_version\": \"d\", "
                + "\"metrics\": {\"f1\": 0.5}}");

        PushCommandTest.Run r = run(shell(), "", "push", file.toString(), "--max-attempts", "1");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).contains("cannot reach http://127.0.0.1:7070/", "Nothing named a server, so push tried the "
                + "default one. To write without a server, give --home DIR (an embedded database, such as "
                + user.resolve(".benchmon") + ", which benchmon serve uses by default) or --db URL.");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
