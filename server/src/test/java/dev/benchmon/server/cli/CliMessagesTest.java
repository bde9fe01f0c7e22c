package dev.benchmon.server.cli;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line's messages speak of what the user typed: options, not query parameters; files and directories;
 * the server's address. Models "cm-a" and "cm-b", each with a result on datasets "d1" and "d2".
 */
class CliMessagesTest {
    @AutoClose // after the class's last test
    private static TestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        for (String model : new String[] {"cm-a", "cm-b"}) {
            for (String dataset : new String[] {"d1", "d2"}) {
                server.benchmon().record(BenchmarkResult.builder(model, dataset).metric("f1", 0.9).build());
            }
        }
    }

    @Test
    void compare_on_a_server_names_the_dataset_option_not_a_query_parameter() {
        PushCommandTest.Run r = run("compare", "cm-a", "cm-b", "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("invalid --dataset: ").contains("several dataset versions (d1, d2)")
                .doesNotContain("query parameter");
    }

    @Test
    void compare_on_a_database_names_the_dataset_option() {
        PushCommandTest.Run r = run("compare", "cm-a", "cm-b", "--db", server.databaseUrl());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("invalid --dataset: ").contains("several dataset versions (d1, d2)");
    }

    @Test
    void an_unknown_model_is_said_once() {
        PushCommandTest.Run r = run("compare", "cm-a", "nosuch-model", "--dataset", "d1", "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("unknown model or result 'nosuch-model'");
        assertThat(r.err().split("\\(known: cm-a, cm-b\\)", -1)).as(r.err()).hasSize(2);
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
}
