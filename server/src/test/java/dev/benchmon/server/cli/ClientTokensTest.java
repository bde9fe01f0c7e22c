package dev.benchmon.server.cli;

import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which token the CLI sends to a server with read, write and triage tokens: the variables the server itself reads
 * (BENCHMON_READ_TOKEN, ...) are enough, each for its role, and BENCHMON_TOKEN comes before them.
 */
class ClientTokensTest {
    private static final String WRITE = "write-token-of-the-test";
    private static final String READ = "read-token-of-the-test";
    private static final String TRIAGE = "triage-token-of-the-test";

    @SharedServer(writeToken = WRITE, readToken = READ, triageToken = TRIAGE)
    private static TestServer server;

    @TempDir
    static Path dir;

    @BeforeAll
    static void seed() throws IOException {
        Path f = dir.resolve("r.json");
        Files.writeString(f, "{\"model_version\":\"tok-m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}");
        PushCommandTest.Run push = run(Map.of("BENCHMON_WRITE_TOKEN", WRITE), "", "push", f.toString(), "--server", server.url());
        assertThat(push.exitCode()).as(push.err()).isZero();
    }

    @Test
    void export_from_a_server_sends_the_read_token_of_BENCHMON_READ_TOKEN() {
        PushCommandTest.Run r = run(Map.of("BENCHMON_READ_TOKEN", READ), "", "export", "snapshots", "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("tok-m").doesNotContain(READ);
        assertThat(r.err()).doesNotContain(READ);
    }

    @Test
    void export_from_a_server_without_any_token_is_refused() {
        PushCommandTest.Run r = run(Map.of(), "", "export", "snapshots", "--server", server.url());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    }

    @Test
    void a_refused_read_names_the_request_by_its_path_from_the_servers_root() {
        PushCommandTest.Run r = run(Map.of(), "", "export", "snapshots", "--server", server.url());

        assertThat(r.err()).contains("GET /api/v1/snapshots").doesNotContain("GET api/v1");
    }

    @Test
    void alerts_list_on_a_server_sends_the_read_token_of_BENCHMON_READ_TOKEN() {
        PushCommandTest.Run r = run(Map.of("BENCHMON_READ_TOKEN", READ), "", "alerts", "list", "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out() + r.err()).doesNotContain(READ);
    }

    @Test
    void alerts_list_on_a_server_sends_the_triage_token_of_BENCHMON_TRIAGE_TOKEN_which_may_read_alerts() {
        PushCommandTest.Run r = run(Map.of("BENCHMON_TRIAGE_TOKEN", TRIAGE), "", "alerts", "list", "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void triage_sends_BENCHMON_TRIAGE_TOKEN_before_BENCHMON_TOKEN() {
        PushCommandTest.Run r = run(Map.of("BENCHMON_TOKEN", READ, "BENCHMON_TRIAGE_TOKEN", TRIAGE), "",
                "alerts", "ack", "999999", "--server", server.url());

        assertThat(r.err()).contains("(404)"); // a token that may triage: the alert is not there
    }

    @Test
    void export_never_sends_the_write_token() {
        PushCommandTest.Run r = run(Map.of("BENCHMON_WRITE_TOKEN", WRITE), "", "export", "snapshots", "--server", server.url());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT); // the server has a read token: refused without one
    }

    @Test
    void each_commands_token_help_states_the_order_its_role_reads_the_variables_in() {
        assertThat(List.of(ClientTokens.READ_DEFAULT, ClientTokens.ALERTS_READ_DEFAULT, ClientTokens.WRITE_DEFAULT,
                ClientTokens.TRIAGE_DEFAULT)).containsExactly(ClientTokens.Role.READ.defaults(),
                ClientTokens.Role.ALERTS_READ.defaults(), ClientTokens.Role.WRITE.defaults(), ClientTokens.Role.TRIAGE.defaults());
    }

    @Test
    void BENCHMON_TOKEN_comes_before_the_roles_variable() {
        PushCommandTest.Run r = run(Map.of("BENCHMON_TOKEN", "not-the-servers-token", "BENCHMON_READ_TOKEN", READ), "",
                "export", "snapshots", "--server", server.url());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.out() + r.err()).doesNotContain("not-the-servers-token");
    }

    @Test
    void triage_sends_BENCHMON_TRIAGE_TOKEN_and_not_the_read_token() {
        // No alert 999999: the server answers 404 to a token that may triage, 403 to one that may not.
        PushCommandTest.Run triage = run(Map.of("BENCHMON_TRIAGE_TOKEN", TRIAGE, "BENCHMON_READ_TOKEN", READ), "",
                "alerts", "ack", "999999", "--server", server.url());
        assertThat(triage.err()).contains("(404)");

        PushCommandTest.Run readOnly = run(Map.of("BENCHMON_READ_TOKEN", READ), "", "alerts", "ack", "999999",
                "--server", server.url());
        assertThat(readOnly.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(readOnly.err()).doesNotContain("(404)");
    }
}
