package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.TestServer;
import dev.benchmon.server.web.Html;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code benchmon compare} of two model versions on the demo history as {@code serve --demo} loads it (its regressions
 * as alerts): the header says the values are the means of each model's runs, not one result's, and that B's newest
 * run is under open alerts, before the table that shows B "better" on those means; the Compare page shows the same
 * lines.
 */
class CompareHeaderTest {
    private static TestServer demo;

    @BeforeAll
    static void serveDemo() {
        demo = TestServer.start();
        assertThat(demo.benchmon().loadDemoData()).isPositive();
        demo.benchmon().alertOnNewestRuns(); // as serve --demo does
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    private static final List<String> MEDGEMMA = List.of("compare", "medgemma-v1.2", "medgemma-v1.3", "--dataset",
            "benchmark-set-v3", "--environment", "production");

    private static Run compare(String... more) {
        List<String> args = new java.util.ArrayList<>(MEDGEMMA);
        args.addAll(List.of(more));
        Run r = cli(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    @Test
    void the_header_says_the_values_are_the_means_of_each_models_runs_and_names_the_newest_result() throws Exception {
        JsonNode json = ResultJson.mapper().readTree(compare("--json", "--db", demo.databaseUrl()).out());
        JsonNode b = json.path("b");
        int runs = b.path("run_means").path("runs").asInt();
        long newest = b.path("run_means").path("newest_transaction_id").asLong();

        List<String> lines = compare("--db", demo.databaseUrl()).out().lines().toList();

        assertThat(runs).isGreaterThan(30);
        assertThat(b.path("run_means").path("metrics")).extracting(JsonNode::asText).contains("recall", "f1");
        assertThat(lines.get(1)).startsWith("B: medgemma-v1.3 on benchmark-set-v3 @production, prompt analysis-v5: means "
                + "of its " + runs + " runs from ").endsWith("(newest: result id " + newest + ")");
        assertThat(lines.get(0)).startsWith("A (reference): medgemma-v1.2 on benchmark-set-v3 @production")
                .contains(" runs from ");
    }

    @Test
    void a_newest_run_under_an_open_regression_alert_is_said_near_the_top_before_b_reads_better_on_its_means()
            throws Exception {
        Run text = compare("--db", demo.databaseUrl());
        JsonNode json = ResultJson.mapper().readTree(compare("--json", "--db", demo.databaseUrl()).out());

        JsonNode alerts = json.path("newest_run_alerts");
        assertThat(alerts).extracting(a -> a.path("side").asText() + " " + a.path("metric").asText() + " "
                + a.path("state").asText()).contains("B recall open", "B f1 open");
        JsonNode recall = alerts.findParents("metric").stream().filter(a -> a.path("metric").asText().equals("recall"))
                .findFirst().orElseThrow();
        assertThat(recall.path("transaction_id").asLong()).isEqualTo(json.at("/b/run_means/newest_transaction_id").asLong());
        assertThat(recall.path("change").asText()).isEqualTo("-15.8 points");

        // One line, right under A and B: the table below still shows recall's mean higher for B.
        List<String> lines = text.out().lines().toList();
        assertThat(lines.get(2)).startsWith("warning: B's newest run (result id " + recall.path("transaction_id").asLong()
                + ") is under 2 active alerts: ").contains("recall -15.8 points (critical, open alert #"
                + recall.path("alert_id").asLong() + ")").endsWith("B's values below are means of its runs, which hide it");
        assertThat(text.out()).containsPattern("\\nrecall\\s+\\S+\\s+\\S+\\s+\\+0\\.0");
        // A's newest run is under no alert.
        assertThat(text.out()).doesNotContain("A's newest run");
    }

    @Test
    void the_server_answers_the_same_header_and_alert_line_as_the_database() {
        Run local = compare("--db", demo.databaseUrl());
        Run remote = compare("--server", demo.url());

        assertThat(remote.out().lines().limit(3).toList()).isEqualTo(local.out().lines().limit(3).toList());
    }

    @Test
    void the_compare_page_shows_the_header_and_warning_lines_of_the_command_word_for_word() {
        List<String> command = compare("--db", demo.databaseUrl()).out().lines().takeWhile(l -> !l.isEmpty()).toList();
        String html = demo.get("/compare?range=all&model=medgemma-v1.2&model=medgemma-v1.3&dataset=benchmark-set-v3"
                + "&env=production").body();

        // A, B, then the warnings (B's newest run under alerts, the prompt versions): the lines above the command's table.
        assertThat(command).hasSize(4);
        assertThat(command.get(0)).startsWith("A (reference): ").contains("means of its ");
        assertThat(command.get(1)).startsWith("B: ").contains("means of its ");
        assertThat(command.get(2)).startsWith("warning: B's newest run (result id ");
        assertThat(Html.paragraphs(Html.byId(html, "paired-header"))).containsExactlyElementsOf(command);
    }

    @Test
    void with_json_the_newest_run_under_an_alert_is_said_on_stderr_as_the_text_says_it() {
        Run json = compare("--json", "--db", demo.databaseUrl());
        List<String> text = compare("--db", demo.databaseUrl()).out().lines().filter(l -> l.startsWith("warning: ")).toList();

        assertThat(text).anyMatch(l -> l.startsWith("warning: B's newest run (result id "));
        assertThat(json.err().lines().filter(l -> l.startsWith("warning: ")).toList()).isEqualTo(text);
    }
}
