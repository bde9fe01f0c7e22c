package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A copy made with {@code export history --format jsonl} and {@code import} into a fresh database answers as the
 * original: the metric definitions and the run exclusions travel with the results.
 */
class ExportRoundTripTest {
    @TempDir
    Path dir;

    private TestServer original;
    private TestServer copy;

    @BeforeEach
    void start() {
        original = TestServer.start();
        copy = TestServer.start();
    }

    @AfterEach
    void stop() {
        original.close();
        copy.close();
    }

    /** Six nightly runs of one series: the fifth a broken runner's (bad_tokens 0.78), the sixth back at 0.85. */
    private Path asr() throws IOException {
        double[] values = {0.85, 0.8499, 0.8501, 0.85, 0.78, 0.8499};
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            lines.append("{\"model_version\":\"asr-m\",\"dataset_version\":\"asr-d\",\"run_id\":\"r").append(i + 1)
                    .append("\",\"run_at\":\"2026-11-0").append(i + 1).append("T02:00:00Z\",\"metrics\":{\"bad_tokens\":")
                    .append(values[i]).append(",\"wer\":0.12}}\n");
        }
        Path p = dir.resolve("asr.jsonl");
        Files.writeString(p, lines);
        return p;
    }

    private static PushCommandTest.Run ok(PushCommandTest.Run r) {
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        return r;
    }

    /** The original: bad_tokens defined by a user, the history imported, the fifth run excluded; exported as jsonl. */
    private Path exportedOriginal() throws IOException {
        String a = original.databaseUrl();
        ok(run("metrics", "define", "bad_tokens", "--direction", "higher_is_better", "--min-effect", "1%", "--db", a));
        ok(run("import", asr().toString(), "--db", a));
        ok(run("alerts", "exclude", String.valueOf(runId(original, "r5")), "--reason", "broken runner", "--as", "ops",
                "--db", a));
        Path exported = dir.resolve("exp.jsonl");
        ok(run("export", "history", "--format", "jsonl", "--db", a, "-o", exported.toString()));
        return exported;
    }

    /** The log id of the run {@code runId} (the history API's {@code id}). */
    private static long runId(TestServer server, String runId) throws IOException {
        for (JsonNode row : json(server, "/api/v1/history").path("rows")) {
            if (runId.equals(row.path("run_id").asText())) {
                return row.path("id").asLong();
            }
        }
        throw new AssertionError("no run " + runId + " in " + json(server, "/api/v1/history"));
    }

    private static JsonNode json(TestServer server, String path) throws IOException {
        var response = server.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ResultJson.mapper().readTree(response.body());
    }

    /**
     * An answer without what differs between two databases by design: the log's ids (the copy numbers its rows
     * itself, in the export's order; a commit range without commits names them, id 6..id 7) and the times a row was
     * written.
     */
    private static JsonNode comparable(JsonNode answer) {
        JsonNode c = answer.deepCopy();
        strip(c);
        return c;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                if (k.equals("id") || k.equals("run") || k.equals("commit_range") || k.endsWith("_id") || k.endsWith("_tx") || k.endsWith("_ids") || k.equals("url")
                        || k.equals("recorded_at") || k.equals("computed_at") || k.equals("opened_at")
                        || k.equals("state_changed_at") || k.equals("first_seen") || k.equals("last_seen")) {
                    it.remove();
                } else {
                    strip(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(ExportRoundTripTest::strip);
        }
    }

    @Test
    void a_json_lines_export_states_the_definitions_of_its_metrics_and_the_exclusion_of_each_excluded_run()
            throws IOException {
        Path exported = exportedOriginal();

        String text = Files.readString(exported);

        assertThat(text.lines().findFirst().orElseThrow()).isEqualTo("{\"metric_definitions\":{\"bad_tokens\":"
                + "{\"direction\":\"higher_is_better\",\"min_effect\":\"1%\"}}}");
        assertThat(text.lines().filter(l -> l.contains("\"run_id\": \"r5\"")).findFirst().orElseThrow())
                .containsPattern("\"excluded\": \\{\"actor\": \"ops\", \"since\": \"20[0-9-]+T[0-9:.]+Z\", "
                        + "\"reason\": \"broken runner\"}");
        assertThat(text.lines().filter(l -> l.contains("\"excluded\"")).count()).isEqualTo(1);
    }

    @Test
    void a_copy_imported_from_a_json_lines_export_defines_the_metrics_and_excludes_the_runs_as_the_original()
            throws IOException {
        Path exported = exportedOriginal();

        PushCommandTest.Run imported = ok(run("import", exported.toString(), "--db", copy.databaseUrl()));

        assertThat(imported.out()).contains("6 stored", "defined 1 metric(s) as the file states: bad_tokens higher_is_better",
                "excluded 1 run(s) as the file states");
        assertThat(ok(run("metrics", "list", "--db", copy.databaseUrl())).out())
                .isEqualTo(ok(run("metrics", "list", "--db", original.databaseUrl())).out())
                .contains("bad_tokens");
        for (String path : new String[] {"/api/v1/regressions", "/api/v1/snapshots?format=json",
                "/api/v1/runs/" + runId(copy, "r5") + "/annotations"}) {
            String originalPath = path.startsWith("/api/v1/runs/") ? "/api/v1/runs/" + runId(original, "r5") + "/annotations" : path;
            assertThat(comparable(json(copy, path))).as(path).isEqualTo(comparable(json(original, originalPath)));
        }
    }

    @Test
    void a_regression_pushed_to_the_original_and_the_copy_alerts_in_both() throws IOException {
        Path exported = exportedOriginal();
        ok(run("import", exported.toString(), "--db", copy.databaseUrl()));
        Path regression = dir.resolve("r7.json");
        Files.writeString(regression, "{\"model_version\":\"asr-m\",\"dataset_version\":\"asr-d\",\"run_id\":\"r7\","
                + "\"run_at\":\"2026-11-07T02:00:00Z\",\"metrics\":{\"bad_tokens\":0.70,\"wer\":0.12}}");

        PushCommandTest.Run toOriginal = run("push", regression.toString(), "--server", original.url());
        PushCommandTest.Run toCopy = run("push", regression.toString(), "--server", copy.url());

        assertThat(toOriginal.out()).contains("regress");
        assertThat(toCopy.exitCode()).isEqualTo(toOriginal.exitCode());
        assertThat(comparable(json(copy, "/api/v1/alerts"))).isEqualTo(comparable(json(original, "/api/v1/alerts")));
        assertThat(json(copy, "/api/v1/alerts").toString()).contains("bad_tokens");
    }

    /**
     * A drop of f1 whose alert a run back at the old level resolved, that run then excluded on the original with
     * {@code alerts exclude} (a wrong config): the alert opens again there, and a copy imported from the export, where
     * the run arrives excluded, shows the alert open too; both list the same alert.
     */
    @Test
    void a_copy_shows_an_alert_open_as_the_original_once_the_run_that_resolved_it_is_excluded() throws IOException {
        double[] f1 = {0.90, 0.90, 0.90, 0.90, 0.80, 0.90};
        for (int i = 0; i < f1.length; i++) {
            var r = original.postJson("/api/v1/results", "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                    + "\"run_id\":\"b" + (i + 1) + "\",\"run_at\":\"2026-11-0" + (i + 1) + "T02:00:00Z\","
                    + "\"metrics\":{\"f1\":" + f1[i] + "}}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        assertThat(json(original, "/api/v1/alerts").path("alerts")).singleElement()
                .satisfies(a -> assertThat(a.path("state").asText()).as("resolved by the run back").isEqualTo("resolved"));

        PushCommandTest.Run excluded = ok(run("alerts", "exclude", String.valueOf(runId(original, "b6")), "--reason",
                "wrong config", "--as", "ops", "--db", original.databaseUrl()));
        Path exported = dir.resolve("exp.jsonl");
        ok(run("export", "history", "--format", "jsonl", "--db", original.databaseUrl(), "-o", exported.toString()));
        ok(run("import", exported.toString(), "--db", copy.databaseUrl()));

        assertThat(excluded.out()).contains("reopened: open again, its change starts at run " + runId(original, "b5"));
        assertThat(json(original, "/api/v1/alerts").path("alerts")).singleElement()
                .satisfies(a -> assertThat(a.path("state").asText()).isEqualTo("open"));
        assertThat(comparable(json(copy, "/api/v1/alerts"))).isEqualTo(comparable(json(original, "/api/v1/alerts")));
    }

    /**
     * A whole database, more results than the default limit (1,000) and over several series: {@code export history
     * --all} with no filter, imported into a fresh database, holds every result, and the copy answers its snapshots,
     * regressions and its own whole export as the original.
     */
    @Test
    void a_copy_of_a_whole_database_from_export_history_all_holds_every_result() throws IOException {
        StringBuilder lines = new StringBuilder();
        java.time.Instant t0 = java.time.Instant.parse("2026-06-01T00:00:00Z");
        int results = 1_500;
        for (int i = 0; i < results; i++) {
            lines.append("{\"model_version\":\"whole-").append(i % 3).append("\",\"dataset_version\":\"d\",\"run_at\":\"")
                    .append(t0.plusSeconds(3_600L * i)).append("\",\"run_id\":\"w").append(i)
                    .append("\",\"metrics\":{\"f1\":").append(0.8 + (i % 11) / 1000.0).append("}}\n");
        }
        Path in = dir.resolve("whole.jsonl");
        Files.writeString(in, lines);
        ok(run("import", in.toString(), "--db", original.databaseUrl()));
        Path exported = dir.resolve("all.jsonl");

        PushCommandTest.Run export = ok(run("export", "history", "--all", "--format", "jsonl", "--db",
                original.databaseUrl(), "-o", exported.toString()));
        PushCommandTest.Run imported = ok(run("import", exported.toString(), "--db", copy.databaseUrl()));

        assertThat(export.err()).isEqualTo("wrote " + results + " result(s) to " + exported + "\n");
        assertThat(imported.out()).contains(results + " stored");
        assertThat(ok(run("export", "history", "--all", "--format", "jsonl", "--db", copy.databaseUrl())).out())
                .isEqualTo(Files.readString(exported));
        for (String path : new String[] {"/api/v1/regressions", "/api/v1/snapshots?format=json"}) {
            assertThat(comparable(json(copy, path))).as(path).isEqualTo(comparable(json(original, path)));
        }
    }

    @Test
    void pushing_a_json_lines_export_defines_its_metrics_and_warns_that_it_excludes_no_run() throws IOException {
        Path exported = exportedOriginal();

        PushCommandTest.Run pushed = run("push", exported.toString(), "--server", copy.url());

        assertThat(pushed.exitCode()).as(pushed.err()).isNotEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(pushed.out()).contains("defined 1 metric(s) as the file states: bad_tokens higher_is_better");
        assertThat(pushed.err()).contains("excluded: the run's exclusion is not applied by push (the result is stored "
                + "and counts): 'benchmon import FILE' into the database applies it");
        assertThat(ok(run("metrics", "list", "--db", copy.databaseUrl())).out())
                .isEqualTo(ok(run("metrics", "list", "--db", original.databaseUrl())).out());
    }

    @Test
    void importing_the_same_export_again_stores_nothing_and_excludes_nothing_twice() throws IOException {
        Path exported = exportedOriginal();
        ok(run("import", exported.toString(), "--db", copy.databaseUrl()));
        JsonNode before = json(copy, "/api/v1/runs/" + runId(copy, "r5") + "/annotations");

        PushCommandTest.Run again = ok(run("import", exported.toString(), "--db", copy.databaseUrl()));

        assertThat(again.out()).contains("0 stored, 6 already present").doesNotContain("excluded");
        assertThat(json(copy, "/api/v1/runs/" + runId(copy, "r5") + "/annotations")).isEqualTo(before);
        assertThat(ok(run("import", exported.toString(), "--db", original.databaseUrl())).out())
                .contains("0 stored, 6 already present").doesNotContain("excluded");
    }
}
