package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.cli.PushCommandTest.Run;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code benchmon metrics define|list --server URL}: a CI job with only a server's URL declares and lists metrics
 * through {@code PUT /api/v1/metrics/NAME} and {@code GET /api/v1/metrics} of a real server
 * on loopback that needs a write token (and a read token to read).
 */
class MetricsOverServerTest {
    private static final String WRITE = "metrics-write-token-0123456789";
    private static final String READ = "metrics-read-token-0123456789";

    @SharedServer(writeToken = WRITE, readToken = READ)
    private static TestServer server;

    /** What the server says metric {@code name} means (GET /api/v1/metrics/NAME with the read token). */
    private static JsonNode described(String name) throws IOException {
        return ResultJson.mapper().readTree(server.get("/api/v1/metrics/" + name, "Authorization", "Bearer " + READ).body());
    }

    @Test
    void define_with_server_declares_the_metric_there_with_the_write_token_of_the_environment() throws IOException {
        Run r = run(Map.of("BENCHMON_WRITE_TOKEN", WRITE), "", "metrics", "define", "zorb_latency", "--direction",
                "lower_is_better", "--unit", "ms", "--min-effect", "2%", "--description", "p50 latency", "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("defined zorb_latency: lower_is_better, unit ms, min effect 2%, description "
                + "\"p50 latency\"" + System.lineSeparator());
        JsonNode m = described("zorb_latency");
        assertThat(m.path("source").asText()).isEqualTo("declared");
        assertThat(m.path("direction").asText()).isEqualTo("lower_is_better");
        assertThat(m.path("unit").asText()).isEqualTo("ms");
        assertThat(m.path("min_effect").asText()).isEqualTo("2%");
        assertThat(m.path("description").asText()).isEqualTo("p50 latency");
    }

    /** The stored verdict of {@code metric} in the series of model {@code model} (GET /api/v1/regressions). */
    private static JsonNode verdict(String model, String metric) throws IOException {
        JsonNode rows = ResultJson.mapper().readTree(server.get("/api/v1/regressions?model=" + model,
                "Authorization", "Bearer " + READ).body()).path("rows");
        for (JsonNode row : rows) {
            if (metric.equals(row.path("metric").asText())) {
                return row;
            }
        }
        throw new AssertionError("no verdict of " + metric + " in " + rows);
    }

    /**
     * A metric the dictionary does not know is judged "changed, direction unknown" when it jumps; declaring it
     * lower-is-better from a CI machine turns the stored verdict into a regression at once, with no new result and no
     * database access (before, only the series' next result or 'metrics recompute' on the database did).
     */
    @Test
    void define_with_server_judges_the_stored_verdicts_of_the_metric_again_at_once() throws IOException {
        Map<String, String> env = Map.of("BENCHMON_WRITE_TOKEN", WRITE);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            double wait = i < 11 ? 100 + (i % 3) : 160; // the newest run 60% slower
            lines.append("{\"model_version\":\"zorb-redefined\",\"dataset_version\":\"d\",\"run_at\":\"2026-10-")
                    .append(String.format("%02d", i + 1)).append("T00:00:00Z\",\"metrics\":{\"zorb_quux\":").append(wait)
                    .append("}}\n");
        }
        Run pushed = run(env, lines.toString(), "push", "-", "--server", server.url());
        assertThat(pushed.exitCode()).as(pushed.err()).isZero();
        String before = verdict("zorb-redefined", "zorb_quux").path("outcome").asText();

        Run defined = run(env, "", "metrics", "define", "zorb_quux", "--direction", "lower_is_better", "--server",
                server.url());

        assertThat(defined.exitCode()).as(defined.err()).isZero();
        assertThat(before).isEqualTo("changed_direction_unknown");
        JsonNode after = verdict("zorb-redefined", "zorb_quux");
        assertThat(after.path("outcome").asText()).isEqualTo("regression");
        assertThat(after.path("direction").asText()).isEqualTo("lower_is_better");
    }

    @Test
    void define_with_server_without_a_minimum_effect_says_it_keeps_the_one_defined_before() {
        Map<String, String> env = Map.of("BENCHMON_WRITE_TOKEN", WRITE);
        run(env, "", "metrics", "define", "zorb_kept", "--direction", "lower_is_better", "--min-effect", "0.5",
                "--server", server.url());
        Run again = run(env, "", "metrics", "define", "zorb_kept", "--direction", "higher_is_better", "--server", server.url());

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo("defined zorb_kept: higher_is_better, min effect 0.5 (kept: defined before; "
                + "--min-effect changes it)" + System.lineSeparator());
    }

    @Test
    void define_with_server_without_unit_or_description_keeps_the_unit_and_description_defined_before() throws IOException {
        Map<String, String> env = Map.of("BENCHMON_WRITE_TOKEN", WRITE);
        run(env, "", "metrics", "define", "zorb_share", "--direction", "higher_is_better", "--unit", "ratio",
                "--description", "Share of zorbs that are correct", "--server", server.url());
        Run again = run(env, "", "metrics", "define", "zorb_share", "--direction", "higher_is_better", "--min-effect",
                "0.01", "--server", server.url());

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo("defined zorb_share: higher_is_better, unit ratio (kept: defined before; "
                + "--unit changes it, --unit '' removes it), min effect 0.01, description \"Share of zorbs that are "
                + "correct\" (kept: defined before; --description changes it, --description '' removes it)"
                + System.lineSeparator());
        JsonNode m = described("zorb_share");
        assertThat(m.path("unit").asText()).isEqualTo("ratio");
        assertThat(m.path("description").asText()).isEqualTo("Share of zorbs that are correct");
        assertThat(m.path("min_effect").asDouble()).isEqualTo(0.01);
    }

    @Test
    void define_with_server_with_an_empty_unit_and_description_removes_them() throws IOException {
        Map<String, String> env = Map.of("BENCHMON_WRITE_TOKEN", WRITE);
        run(env, "", "metrics", "define", "zorb_cleared", "--direction", "lower_is_better", "--unit", "ms",
                "--description", "p90", "--server", server.url());
        Run cleared = run(env, "", "metrics", "define", "zorb_cleared", "--direction", "lower_is_better", "--unit", "",
                "--description", "", "--server", server.url());

        assertThat(cleared.exitCode()).as(cleared.err()).isZero();
        assertThat(cleared.out()).isEqualTo("defined zorb_cleared: lower_is_better, unit removed, description removed"
                + System.lineSeparator());
        JsonNode m = described("zorb_cleared");
        assertThat(m.path("unit").isNull()).as(m.toString()).isTrue();
        assertThat(m.has("description")).as(m.toString()).isFalse();
    }

    /** A name with a slash (W&B's eval/loss) or a space is one path segment, not two or a query. */
    @Test
    void define_with_server_sends_a_name_with_a_slash_or_a_space_as_one_name() throws IOException {
        for (String name : new String[]{"zorb eval/loss?x#y", "zorb 100%"}) {
            Run r = run(Map.of(), "", "metrics", "define", name, "--direction", "none", "--server", server.url(),
                    "--token", WRITE);

            assertThat(r.exitCode()).as(r.err()).isZero();
        }
        String list = run(Map.of(), "", "metrics", "list", "--server", server.url(), "--token", READ).out();
        assertThat(list).containsPattern("zorb eval/loss\\?x#y\\s+none\\s+declared").containsPattern("zorb 100%\\s+none\\s+declared");
    }

    @Test
    void list_with_server_prints_what_list_prints_on_the_servers_database() {
        assertThat(run(Map.of(), "", "metrics", "define", "zorb_abs", "--direction", "higher_is_better", "--min-effect",
                "0.00001", "--server", server.url(), "--token", WRITE).exitCode()).isZero();
        assertThat(server.postJson("/api/v1/results", "{\"model_version\": \"m\", \"dataset_version\": \"d\", "
                + "\"metrics\": {\"zorb_seen\": 1, \"eval_wer\": 0.2}}", "Authorization", "Bearer " + WRITE).statusCode())
                .isEqualTo(201);

        Run remote = run(Map.of("BENCHMON_READ_TOKEN", READ), "", "metrics", "list", "--server", server.url());
        Run local = run("metrics", "list", "--db", server.databaseUrl());

        assertThat(remote.exitCode()).as(remote.err()).isZero();
        assertThat(remote.err()).isEmpty();
        assertThat(remote.out()).isEqualTo(local.out())
                .containsPattern("zorb_abs\\s+higher_is_better\\s+0.00001\\s+declared")
                .containsPattern("eval_wer\\s+lower_is_better\\s+[0-9.]+% \\(default\\)\\s+built-in dictionary \\(")
                .contains("unknown: benchmon metrics define zorb_seen --direction");
    }

    @Test
    void define_with_server_without_a_token_is_refused_saying_it_needs_the_write_token_and_stores_nothing()
            throws IOException {
        Run r = run(Map.of("BENCHMON_READ_TOKEN", READ), "", "metrics", "define", "zorb_untokened", "--direction", "none",
                "--server", server.url());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("PUT /api/v1/metrics/zorb_untokened was refused (401)",
                "defining a metric needs the write token");
        assertThat(described("zorb_untokened").path("source").asText()).isNotEqualTo("declared");
    }

    /** The server checks the name (as the database does without --server): its 400 is said naming the argument. */
    @Test
    void a_name_the_server_refuses_is_said_naming_the_argument_and_exits_2() throws IOException {
        Run r = run(Map.of(), "", "metrics", "define", " zorb_padded", "--direction", "none", "--server", server.url(),
                "--token", WRITE);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: invalid NAME: ").contains("Nothing was stored")
                .doesNotContain("/api/v1/metrics");
        assertThat(run(Map.of(), "", "metrics", "list", "--server", server.url(), "--token", READ).out())
                .doesNotContain("zorb_padded");
    }

    @Test
    void token_or_timeout_without_server_and_server_with_db_are_refused_as_for_other_commands() {
        Run token = run("metrics", "define", "zorb_x", "--direction", "none", "--token", WRITE, "--db", server.databaseUrl());
        Run timeout = run("metrics", "list", "--timeout", "5", "--db", server.databaseUrl());
        Run both = run("metrics", "define", "zorb_x", "--direction", "none", "--server", server.url(), "--db",
                server.databaseUrl());

        assertThat(token.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(token.err()).contains("--token is for a server, but without --server metrics define writes to the "
                + "database (--db / --home / $BENCHMON_DB_URL), where no token applies");
        assertThat(timeout.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(timeout.err()).contains("--timeout is for a server, but without --server metrics list reads the database");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(both.err()).contains("give either --server or --db / --home, not both");
    }
    @Test
    void list_with_server_sends_one_request_however_many_metrics_there_are() throws IOException {
        for (int i = 0; i < 5; i++) {
            assertThat(run(Map.of(), "", "metrics", "define", "zorb_many_" + i, "--direction", "none", "--server",
                    server.url(), "--token", WRITE).exitCode()).isZero();
        }
        try (ForwardingGateway gateway = new ForwardingGateway(server.url())) {
            Run r = run(Map.of(), "", "metrics", "list", "--server", gateway.url(), "--token", READ);

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).containsPattern("zorb_many_0\\s+none\\s+declared").contains("zorb_many_4");
            assertThat(gateway.requests).containsExactly("GET /api/v1/metrics");
        }
    }

    /**
     * A server of an earlier version has no GET /api/v1/metrics (a gateway answers it 404, as the server answers a
     * route it does not have): list asks it the older way, GET /api/v1/meta then each metric, and says so.
     */
    @Test
    void list_with_an_older_server_without_the_list_route_asks_for_each_metric_and_says_the_server_is_older()
            throws IOException {
        assertThat(run(Map.of(), "", "metrics", "define", "zorb_older", "--direction", "lower_is_better", "--unit", "ms",
                "--min-effect", "2%", "--server", server.url(), "--token", WRITE).exitCode()).isZero();
        assertThat(run(Map.of(), "", "metrics", "define", "zorb_older/..", "--direction", "none", "--server",
                server.url(), "--token", WRITE).exitCode()).isZero();
        var noRoute = server.get("/api/v1/no-such-route", "Authorization", "Bearer " + READ);
        assertThat(noRoute.statusCode()).isEqualTo(404);
        ForwardingGateway.Answer notFound = new ForwardingGateway.Answer(404,
                noRoute.headers().firstValue("Content-Type").orElse(null), noRoute.body().getBytes(UTF_8));

        try (ForwardingGateway older = new ForwardingGateway(server.url(),
                (line, answer) -> line.equals("GET /api/v1/metrics") ? notFound : answer)) {
            Run r = run(Map.of(), "", "metrics", "list", "--server", older.url(), "--token", READ);
            Run local = run("metrics", "list", "--db", server.databaseUrl());

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo(local.out()).containsPattern("zorb_older\\s+lower_is_better\\s+ms\\s+2%\\s+declared")
                    .containsPattern("(?m)^zorb_older/\\.\\.\\s+none\\s+declared");
            assertThat(r.err()).contains("note: " + older.url() + " is older than this benchmon and has no GET "
                    + "/api/v1/metrics, so its ", " metric(s) were asked one request each (GET /api/v1/metrics/NAME)");
            assertThat(older.requests).startsWith("GET /api/v1/metrics", "GET /api/v1/meta")
                    .contains("GET /api/v1/metrics/zorb_older", "GET /api/v1/metrics/zorb_older%2F..");
        }
    }

    @Test
    void the_list_endpoint_answers_every_metric_as_its_own_endpoint_describes_it() throws IOException {
        assertThat(run(Map.of(), "", "metrics", "define", "zorb_listed", "--direction", "higher_is_better", "--unit",
                "ms", "--min-effect", "0.5", "--server", server.url(), "--token", WRITE).exitCode()).isZero();

        JsonNode all = ResultJson.mapper().readTree(server.get("/api/v1/metrics", "Authorization", "Bearer " + READ).body());

        JsonNode listed = null;
        for (JsonNode m : all.path("metrics")) {
            if (m.path("name").asText().equals("zorb_listed")) listed = m;
        }
        assertThat(listed).as(all.toString()).isEqualTo(described("zorb_listed"));
        assertThat(server.get("/api/v1/metrics").statusCode()).as("a read token is needed, as for one metric").isEqualTo(401);
    }

    /** Names that are URL dot-segments or hold the URL's own characters are defined and read back as themselves. */
    @Test
    void a_metric_named_dot_dot_or_dot_or_holding_a_slash_is_defined_and_listed_under_its_own_name() throws IOException {
        List<String> names = List.of("..", ".", "zorb/..", "zorb%2F?#");
        try (ForwardingGateway gateway = new ForwardingGateway(server.url())) {
            for (String name : names) {
                Run r = run(Map.of(), "", "metrics", "define", name, "--direction", "lower_is_better", "--unit", "ms",
                        "--server", gateway.url(), "--token", WRITE);

                assertThat(r.exitCode()).as(name + ": " + r.err()).isZero();
                assertThat(described(PushClient.pathSegment(name)).path("name").asText()).isEqualTo(name);
                assertThat(described(PushClient.pathSegment(name)).path("source").asText()).as(name).isEqualTo("declared");
            }
            // each defined after reading what it has (to keep a unit and description not given)
            assertThat(gateway.requests).containsExactly("GET /api/v1/metrics/%2E%2E", "PUT /api/v1/metrics/%2E%2E",
                    "GET /api/v1/metrics/%2E", "PUT /api/v1/metrics/%2E", "GET /api/v1/metrics/zorb%2F..",
                    "PUT /api/v1/metrics/zorb%2F..", "GET /api/v1/metrics/zorb%252F%3F%23",
                    "PUT /api/v1/metrics/zorb%252F%3F%23");
        }
        String list = run(Map.of(), "", "metrics", "list", "--server", server.url(), "--token", READ).out();
        for (String name : names) {
            assertThat(list).as(name).containsPattern("(?m)^" + java.util.regex.Pattern.quote(name) + "\\s+lower_is_better\\s+ms\\s");
        }
    }

    /** define's --server, --token and --timeout are the read commands' options: the same help but the token's role. */
    @Test
    void define_takes_the_server_options_of_the_read_commands_with_a_write_token() {
        String define = run("metrics", "define", "--help").out();
        String list = run("metrics", "list", "--help").out();

        for (String option : List.of("--server", "--timeout")) {
            assertThat(optionHelp(define, option)).as(option).isEqualTo(optionHelp(list, option)).isNotEmpty();
        }
        assertThat(optionHelp(define, "--token")).startsWith("Write token for --server (" + ClientTokens.WRITE_DEFAULT)
                .isEqualTo(optionHelp(list, "--token").replace("Read token", "Write token")
                        .replace(ClientTokens.READ_DEFAULT, ClientTokens.WRITE_DEFAULT));
    }

    /** An option's line of picocli's help: {@code   -t, --token=T   Read token ...} (the description may wrap). */
    private static final java.util.regex.Pattern OPTION_LINE =
            java.util.regex.Pattern.compile("^\\s{2,8}(?:-\\w, )?(--[\\w-]+)(?:=\\S+)?(?:\\s{2,}(.*))?$");

    /** The help text of {@code option}, its lines joined: from the line that names it to the next option's. */
    private static String optionHelp(String help, String option) {
        StringBuilder text = new StringBuilder();
        boolean in = false;
        for (String line : help.lines().toList()) {
            java.util.regex.Matcher m = OPTION_LINE.matcher(line);
            if (m.matches()) {
                in = m.group(1).equals(option);
                if (in && m.group(2) != null) text.append(m.group(2).strip());
            } else if (in && line.startsWith("                    ")) {
                text.append(' ').append(line.strip());
            } else {
                in = false;
            }
        }
        return text.toString().strip();
    }
}
