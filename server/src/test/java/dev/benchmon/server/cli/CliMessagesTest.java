package dev.benchmon.server.cli;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line's messages speak of what the user typed: options, not query parameters; files and directories;
 * the server's address. Models "cm-a" and "cm-b", each with a result on datasets "d1" and "d2".
 */
class CliMessagesTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    /** Result ids: cm-a on d1, cm-b on d2. */
    private static long aOnD1;
    private static long bOnD2;

    @BeforeAll
    static void seed() {
        for (String model : new String[] {"cm-a", "cm-b"}) {
            for (String dataset : new String[] {"d1", "d2"}) {
                long id = server.benchmon().record(BenchmarkResult.builder(model, dataset).metric("f1", 0.9).build())
                        .transactionId();
                if (model.equals("cm-a") && dataset.equals("d1")) {
                    aOnD1 = id;
                } else if (model.equals("cm-b") && dataset.equals("d2")) {
                    bOnD2 = id;
                }
            }
        }
    }

    /** Two results named by id leave no dataset to choose: --dataset cannot fix it, so it is not what the error names. */
    @Test
    void compare_of_two_results_on_different_datasets_names_b_not_the_dataset_option() {
        for (String where : new String[] {"--server", "--db"}) {
            PushCommandTest.Run r = run("compare", "#" + aOnD1, "#" + bOnD2, where,
                    where.equals("--server") ? server.url() : server.databaseUrl());

            assertThat(r.exitCode()).as(where).isEqualTo(ExitCodes.INVALID_INPUT);
            // B, the argument compared with A, alike from a server and from the database (a server's refusal said
            // "invalid query parameter 'b'").
            assertThat(r.err()).as(where).contains("error: invalid B: a paired comparison needs one dataset version")
                    .doesNotContain("query parameter").contains("a paired comparison needs one dataset version: result " + bOnD2
                    + " ran on 'd2', A (result " + aOnD1 + ") on 'd1'", "compare two results of one dataset version")
                    .doesNotContain("--dataset");
        }
    }

    @Test
    void compare_on_a_server_names_the_dataset_option_not_a_query_parameter() {
        PushCommandTest.Run r = run("compare", "cm-a", "cm-b", "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("invalid --dataset: ").contains("several dataset versions (d1, d2)")
                .doesNotContain("query parameter");
    }

    /** Naming A's dataset would not help: B names nothing, which is the mistake to fix first. */
    @Test
    void compare_with_an_unknown_model_b_names_it_before_a_models_several_datasets() {
        for (String where : new String[] {"--server", "--db"}) {
            PushCommandTest.Run r = run("compare", "cm-a", "nosuch", where,
                    where.equals("--server") ? server.url() : server.databaseUrl());

            assertThat(r.exitCode()).as(where).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).as(where).contains("b: no model or result is named 'nosuch' (known: cm-a, cm-b")
                    .doesNotContain("several dataset versions");
        }
    }

    /** A JSON answer's head and first bytes, then (Content-Length says) more to come. */
    private static final String JSON_START = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + "Content-Length: 5000\r\n\r\n{\"a\": ";

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without the watchdog: forever
    void compare_on_a_server_that_stalls_midway_gives_up_after_the_timeout() throws Exception {
        CountDownLatch closedByClient = new CountDownLatch(1);
        try (RawServer stalling = RawServer.stalling(JSON_START, closedByClient)) {
            PushCommandTest.Run r = run("compare", "cm-a", "cm-b", "--dataset", "d1", "--server", stalling.url(),
                    "--timeout", "1");

            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(r.err()).contains("GET /api/v1/compare?paired=true", "stalled: the server sent nothing for 1 s",
                    "raise --timeout", "Comparing only reads, so trying again is safe.");
            assertThat(closedByClient.await(10, TimeUnit.SECONDS)).as("the client closed the connection").isTrue();
            RawServer.assertNoWatchdogLeft();
        }
    }

    @Test
    void compare_on_a_server_whose_answer_breaks_off_asks_again_then_says_so() throws Exception {
        // The answer is read whole before it is used, so asking again is safe (an export's is not: it writes as it reads).
        try (RawServer cutting = RawServer.cutting(JSON_START)) {
            PushCommandTest.Run r = run("compare", "cm-a", "cm-b", "--dataset", "d1", "--server", cutting.url());

            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(r.err()).contains("attempt 1 of 3: GET /api/v1/compare?paired=true", "broke off while its answer came",
                    "Comparing only reads, so trying again is safe.");
            assertThat(cutting.requests).isEqualTo(3);
        }
    }

    @Test
    void compare_on_a_server_with_a_timeout_answers_as_without() {
        PushCommandTest.Run r = run("compare", "cm-a", "cm-b", "--dataset", "d1", "--server", server.url(), "--timeout", "5");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("f1");
    }

    @Test
    void compare_with_a_timeout_but_no_server_is_refused() {
        PushCommandTest.Run r = run("compare", "cm-a", "cm-b", "--dataset", "d1", "--db", server.databaseUrl(),
                "--timeout", "5");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("--timeout is for a server", "without --server compare reads the database",
                "drop --timeout");
    }

    @Test
    void compare_on_a_database_names_the_dataset_option() {
        PushCommandTest.Run r = run("compare", "cm-a", "cm-b", "--db", server.databaseUrl());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("invalid --dataset: ").contains("several dataset versions (d1, d2)");
    }

    @Test
    void compare_on_a_database_names_the_confidence_option_it_refuses() {
        PushCommandTest.Run r = run("compare", "cm-a", "cm-b", "--dataset", "d1", "--confidence", "95", "--db",
                server.databaseUrl());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: invalid --confidence: ").doesNotContain("invalid input");
    }

    @Test
    void an_unknown_model_is_said_once() {
        PushCommandTest.Run r = run("compare", "cm-a", "nosuch-model", "--dataset", "d1", "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("b: no model or result is named 'nosuch-model'");
        assertThat(r.err().split("\\(known: cm-a, cm-b\\)", -1)).as(r.err()).hasSize(2);
    }

    /**
     * {@code compare --db} words an unknown A or B as {@code GET /api/v1/compare} does, which {@code compare --server}
     * prints: the argument, the value, the names known and what to give instead; exit 2. Only where the names are
     * listed differs: the server's refusal points to its endpoint, the database's to the names it lists, not to an
     * HTTP endpoint a database user may have no server for.
     */
    @Test
    void an_unknown_model_on_a_database_is_said_as_the_server_says_it_pointing_to_the_names_it_lists() {
        String said = "a: no model or result is named 'nosuch-model' (known: cm-a, cm-b); give a model version ";
        String rest = ", a result id as #123 or a CI run id as run:555";

        PushCommandTest.Run db = run("compare", "nosuch-model", "cm-b", "--dataset", "d1", "--db", server.databaseUrl());
        PushCommandTest.Run remote = run("compare", "nosuch-model", "cm-b", "--dataset", "d1", "--server", server.url());

        assertThat(db.exitCode()).as(db.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(db.err()).isEqualTo("error: " + said + "(one of those known)" + rest + "\n")
                .doesNotContain("unknown model or result", "/api/");
        assertThat(remote.exitCode()).as(remote.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(remote.err()).contains("was refused (404): " + said + "(GET /api/v1/meta lists them)" + rest + "\n");
    }

    /** The JDK says only "ConnectException" for both; the user needs to know which, and what to check. */
    @Test
    void a_server_whose_host_does_not_resolve_is_said_so_naming_the_host() {
        PushCommandTest.Run r = run("export", "history", "--server", "http://no-such-host.invalid:8080");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).contains("cannot resolve host no-such-host.invalid", "Check the host name in --server")
                .doesNotContain("Exception");
    }

    @Test
    void a_server_port_nothing_listens_on_is_a_refused_connection_naming_the_port() throws IOException {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        PushCommandTest.Run r = run("export", "history", "--server", "http://127.0.0.1:" + port);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).contains("connection refused (nothing listens on 127.0.0.1:" + port + ")",
                "Check that the server runs (benchmon serve)").doesNotContain("Exception");
    }

    @Test
    void push_to_a_server_named_that_nothing_answers_does_not_suggest_a_database() throws IOException {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        Path file = Files.writeString(dir.resolve("r.json"), "{\"model_version\": \"m\", \"dataset_version\": \"d\", "
                + "\"metrics\": {\"f1\": 0.5}}");

        PushCommandTest.Run r = run("push", file.toString(), "--server", "http://127.0.0.1:" + port, "--max-attempts", "1");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).contains("Check that the server runs (benchmon serve)").doesNotContain("Nothing named a server");
    }

    @Test
    void import_of_a_directory_says_it_is_a_directory() {
        PushCommandTest.Run r = run("import", dir.toString(), "--db", server.databaseUrl());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains(dir + " is a directory, not a file").doesNotContain("no such file");
    }

    /** Pushes one result to {@code server}, which answers 404; the refusal, exit code 2. */
    private PushCommandTest.Run pushAnswered404(String server) throws IOException {
        Path f = Files.writeString(dir.resolve("r.json"),
                "{\"model_version\":\"cm-c\",\"dataset_version\":\"d1\",\"metrics\":{\"f1\":0.5}}");
        PushCommandTest.Run r = run("push", f.toString(), "--server", server);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        return r;
    }

    @Test
    void push_to_the_api_url_says_to_give_the_servers_base_url() throws IOException {
        assertThat(pushAnswered404(server.url() + "api/v1").err())
                .contains("Give --server the server's base URL, " + server.url() + ", not the API's");
    }

    @Test
    void push_to_the_api_url_behind_a_path_prefix_suggests_the_url_before_the_api_keeping_the_prefix() throws IOException {
        assertThat(pushAnswered404(server.url() + "benchmon/api/v1/").err())
                .contains("Give --server the server's base URL, " + server.url() + "benchmon/, not the API's");
    }

    @Test
    void a_404_from_a_server_url_with_api_inside_its_path_gives_no_base_url_hint() throws IOException {
        assertThat(pushAnswered404(server.url() + "api/benchmon").err())
                .doesNotContain("Give --server the server's base URL");
    }

    @Test
    void a_run_that_is_not_a_run_id_is_refused_in_one_line_without_the_usage() {
        PushCommandTest.Run r = run("alerts", "exclude", "run:drop", "--reason", "bad", "--db", server.databaseUrl());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: invalid RUN 'run:drop': give the run's id, the id column of 'export history'")
                .doesNotContain("Usage");
    }

    /** Every numeric argument of every command is refused as ALERT_ID and RUN are: one line, no usage text. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "alerts expect x                | invalid ALERT_ID 'x': give a whole number, the alert's id",
            "alerts resolve 1.5             | invalid ALERT_ID '1.5': give a whole number, the alert's id",
            "alerts mute x --reason r       | invalid ALERT_ID 'x': give a whole number, the alert to mute",
            "alerts unmute x                | invalid ALERT_ID 'x': give a whole number, the muted alert to open again",
            "alerts mute --series-id x --reason r | invalid --series-id 'x': give a whole number, mute this series (its id)",
            "alerts list --limit ten        | invalid --limit 'ten': give a whole number, at most N alerts (default: 100)",
            "alerts list --series-id s3     | invalid --series-id 's3': give a whole number, only this series",
            "compare cm-a cm-b --seed x     | invalid --seed 'x': give a whole number, bootstrap seed",
            "compare cm-a cm-b --confidence high | invalid --confidence 'high': give a number, confidence level",
            "push --batch-size many f.json  | invalid --batch-size 'many': give a whole number, results per request",
            "serve --port http              | invalid --port 'http': give a whole number, port to listen on"})
    void a_numeric_argument_that_is_not_a_number_is_refused_in_one_line_saying_what_to_give(String command, String said) {
        PushCommandTest.Run r = run(command.split(" "));

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: " + said).doesNotContain("Usage").doesNotContain("is not a");
        assertThat(r.err().lines()).hasSize(1);
    }
}
