package dev.benchmon.server.cli;

import dev.benchmon.server.support.ChildJvm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.ingest.ResultWriter;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** push, import and export with input as ML tools write it: NaN warnings, --strict, exact names both ways. */
class InputCommandsTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static final String SWEEP = "[{\"model_version\":\"sweep-a\",\"dataset_version\":\"d\",\"run_id\":\"r1\","
            + "\"metrics\":{\"loss\":NaN,\"acc\":0.5}},"
            + "{\"model_version\":\"sweep-b\",\"dataset_version\":\"d\",\"run_id\":\"r2\",\"metrics\":{\"acc\":0.7}}]";

    @Test
    void push_drops_a_nan_with_a_warning_and_stores_the_rest_of_the_sweep() throws IOException {
        PushCommandTest.Run r = run("push", file("sweep.json", SWEEP).toString(), "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: results[0].metrics.loss: value NaN dropped", "sweep-a / d @local");
        assertThat(server.get("/api/v1/history?model=sweep-a,sweep-b").body()).contains("\"row_count\":2");
    }

    private static final String CLEAN = "[{\"model_version\":\"MODEL-c\",\"dataset_version\":\"d\",\"run_id\":\"r0\","
            + "\"metrics\":{\"acc\":0.6}}]";

    // A refusal and a warning name a result alike: its position counted from 1 (result 3), as the warnings and
    // push's summary count, beside its 0-based JSON path (results[2]); of several files, a file's name goes with the
    // result's place in that file.

    /** Three results of model {@code model}, on one line; the third holds {@code third} (JSON fields) too. */
    private static String three(String model, String third) {
        return "[{\"model_version\":\"" + model + "\",\"dataset_version\":\"d1\",\"metrics\":{\"acc\":0.5}},"
                + "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d2\",\"metrics\":{\"acc\":0.6}},"
                + "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d3\"," + third + "}]";
    }

    /** A blank environment, which refuses the result it is in. */
    private static final String BLANK_ENVIRONMENT = "\"environment\":\" \",\"metrics\":{\"acc\":0.7}";

    @Test
    void the_apis_refusal_names_the_result_counted_from_1_beside_its_json_path() throws IOException {
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"results\": " + three("numbered-api", BLANK_ENVIRONMENT) + "}");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = ResultJson.mapper().readTree(r.body());
        assertThat(body.path("error").asText()).contains("result 3, results[2].environment: must not be blank");
        assertThat(body.path("details").get(0).path("index").asInt()).as("the detail's index stays 0-based").isEqualTo(2);
    }

    @Test
    void push_names_a_refused_result_as_its_warnings_do() throws IOException {
        PushCommandTest.Run r = run("push", file("bad.json", three("numbered-cli", BLANK_ENVIRONMENT)).toString(),
                "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("bad.json: line 1: result 3, results[2].environment: must not be blank").doesNotContain("[2] environment");
    }

    @Test
    void a_warning_in_the_second_file_names_the_result_by_its_place_in_that_file_beside_the_file() throws IOException {
        Path a = file("a.json", three("numbered-a", "\"metrics\":{\"acc\":0.7}"));
        Path b = file("b.json", three("numbered-b", "\"metrics\":{\"acc\":NaN,\"f1\":0.5}"));

        PushCommandTest.Run r = run("push", a.toString(), b.toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        // The 6th of all files' results, as push's summary counts; the 3rd of b.json, named with the file.
        assertThat(r.err()).contains("warning: results[5].metrics.acc: value NaN dropped",
                "[result 6, numbered-b / d3 @local] (result 3 of " + b + ")").doesNotContain("(" + b + ")");
    }

    @Test
    void a_warning_names_its_result_counted_from_1_among_all_files_as_the_push_summary_does() throws IOException {
        PushCommandTest.Run r = run("push", file("a.json", CLEAN.replace("MODEL", "label-push")).toString(),
                file("b.json", SWEEP.replace("sweep-", "label-push-")).toString(), "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: results[1].metrics.loss: value NaN dropped: ",
                " [result 2, label-push-a / d @local] (result 1 of ", "b.json)").doesNotContain("result #");
    }

    @Test
    void a_warning_names_its_result_among_all_of_the_input_when_metrics_skips_some() throws IOException {
        String skipped = "{\"model_version\":\"label-skip-x\",\"dataset_version\":\"d\",\"metrics\":{\"other\":1}},";
        PushCommandTest.Run r = run("push", file("s.json", SWEEP.replace("sweep-", "label-skip-").replace("[{", "[" + skipped + "{"))
                .toString(), "--metrics", "loss,acc", "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: results[1].metrics.loss: value NaN dropped: ",
                " [result 2, label-skip-a / d @local]");
    }

    @Test
    void import_names_a_warnings_result_counted_from_1_among_all_files() throws IOException {
        PushCommandTest.Run r = run("import", file("a.json", CLEAN.replace("MODEL", "label-imp")).toString(),
                file("b.json", SWEEP.replace("sweep-", "label-imp-")).toString(), "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: results[1].metrics.loss: value NaN dropped: ",
                " [result 2, label-imp-a / d @local] (result 1 of ", "b.json)");
    }

    /** A result whose stderr of acc is NaN (numpy's for one sample) beside a valid one. */
    private static String nanStderr(String model) {
        return "[{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"metrics\":{\"acc\":0.8},"
                + "\"stderr\":{\"acc\":NaN}},{\"model_version\":\"" + model + "-b\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"acc\":0.9}}]";
    }

    @Test
    void push_drops_a_nan_stderr_with_a_warning_and_stores_both_results() throws IOException {
        PushCommandTest.Run r = run("push", file("sen.json", nanStderr("sen-push")).toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: results[0].stderr.acc: value NaN dropped", "sen-push / d @local");
        assertThat(server.get("/api/v1/history?model=sen-push,sen-push-b").body()).contains("\"row_count\":2");
    }

    @Test
    void import_drops_a_nan_stderr_with_a_warning_and_strict_refuses_it() throws IOException {
        Path f = file("sen.json", nanStderr("sen-imp"));
        PushCommandTest.Run strict = run("import", f.toString(), "--db", server.databaseUrl(), "--strict");
        assertThat(strict.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(strict.err()).contains("results[0].stderr.acc: must be a finite number >= 0, got NaN");

        PushCommandTest.Run r = run("import", f.toString(), "--db", server.databaseUrl());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 2 result(s): 2 stored", "1 warning(s)");
        assertThat(r.err()).contains("warning: results[0].stderr.acc: value NaN dropped");
    }

    @Test
    void import_with_both_home_and_db_is_refused_as_push_is_and_writes_to_neither() throws IOException {
        Path home = dir.resolve("both-home");

        PushCommandTest.Run r = run("import", file("both.json", CLEAN.replace("MODEL", "both-imp")).toString(),
                "--home", home.toString(), "--db", server.databaseUrl());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: give either --db or --home, not both");
        assertThat(home).as("nothing was created").doesNotExist();
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("both-imp");
    }

    @Test
    void push_with_strict_refuses_the_sweep_and_sends_nothing() throws IOException {
        PushCommandTest.Run r = run("push", file("sweep.json", SWEEP.replace("sweep-", "strict-")).toString(),
                "--server", server.url(), "--strict");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("result 1, results[0].metrics.loss: must be a finite number, got NaN");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("strict-b");
    }

    @Test
    void import_reports_dropped_values_in_its_summary_and_strict_refuses() throws IOException {
        Path f = file("sweep.json", SWEEP.replace("sweep-", "imp-"));
        PushCommandTest.Run strict = run("import", f.toString(), "--db", server.databaseUrl(), "--strict");
        assertThat(strict.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        PushCommandTest.Run r = run("import", f.toString(), "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 2 result(s): 2 stored", "1 warning(s)", "value NaN dropped");
    }

    @Test
    void export_jsonl_leaves_out_the_tags_and_metadata_of_a_result_without_them_as_the_history_api_answers_null()
            throws IOException {
        String bare = "{\"model_version\":\"bare\",\"dataset_version\":\"d\",\"metrics\":{\"acc\":0.5}}";
        assertThat(run("push", file("bare.json", bare).toString(), "--server", server.url()).exitCode()).isZero();

        PushCommandTest.Run jsonl = run("export", "history", "--format", "jsonl", "--model", "bare", "--db", server.databaseUrl());

        assertThat(jsonl.exitCode()).as(jsonl.err()).isZero();
        assertThat(jsonl.out()).contains("\"bare\"").doesNotContain("\"tags\"", "\"metadata\"");
        assertThat(server.get("/api/v1/history?model=bare").body()).contains("\"tags\":null");
    }

    @Test
    void export_jsonl_writes_each_result_as_one_object_in_postgresqls_key_order_with_run_at_as_instant_to_string()
            throws IOException {
        // run_at is written in Java between the fields the database orders before it and after it: pinned byte by byte,
        // with all fields, and with none of those before run_at.
        String full = "{\"model_version\":\"jl-order\",\"dataset_version\":\"d\",\"prompt_version\":\"p\","
                + "\"model_provider\":\"prov\",\"environment\":\"ci\",\"metrics\":{\"acc\":0.5,\"lat\":1e-7},"
                + "\"stderr\":{\"acc\":0.01},\"n\":{\"acc\":1319},\"run_at\":\"2026-03-01T12:00:00.123456Z\","
                + "\"commit_sha\":\"abc\",\"branch\":\"main\",\"run_id\":\"r1\",\"triggered_by\":\"me\","
                + "\"tags\":{\"run_at\":\"t\"},\"notes\":\"why\",\"metadata\":{\"run_at\":\"x\"}}\n"
                + "{\"model_version\":\"jl-order\",\"dataset_version\":\"e\",\"metrics\":{\"acc\":1},"
                + "\"run_at\":\"2026-03-01T11:00:00Z\"}\n";
        assertThat(run("import", file("order.jsonl", full).toString(), "--db", server.databaseUrl()).exitCode()).isZero();

        PushCommandTest.Run jsonl = run("export", "history", "--format", "jsonl", "--model", "jl-order", "--db", server.databaseUrl());

        assertThat(jsonl.exitCode()).as(jsonl.err()).isZero();
        // each key is derived from the result (a UUID): K here
        assertThat(jsonl.out().replaceAll("\"idempotency_key\": \"[0-9a-f-]{36}\"", "\"idempotency_key\": \"K\""))
                .isEqualTo("{\"run_at\": \"2026-03-01T11:00:00Z\", \"metrics\": {\"acc\": 1.0}, \"environment\": \"local\", "
                + "\"model_version\": \"jl-order\", \"prompt_version\": \"\", \"dataset_version\": \"e\", "
                + "\"idempotency_key\": \"K\"}\n" // oldest first
                + "{\"n\": {\"acc\": 1319}, \"tags\": {\"run_at\": \"t\"}, \"notes\": \"why\", "
                + "\"branch\": \"main\", \"run_at\": \"2026-03-01T12:00:00.123456Z\", \"run_id\": \"r1\", "
                + "\"stderr\": {\"acc\": 0.01}, \"metrics\": {\"acc\": 0.5, \"lat\": 0.00000010}, "
                + "\"metadata\": {\"run_at\": \"x\"}, \"commit_sha\": \"abc\", \"environment\": \"ci\", "
                + "\"triggered_by\": \"me\", \"model_version\": \"jl-order\", \"model_provider\": \"prov\", "
                + "\"prompt_version\": \"p\", \"dataset_version\": \"d\", \"idempotency_key\": \"K\"}\n");
    }

    @Test
    void a_csv_export_writes_metrics_as_java_writes_doubles_where_the_apis_csv_writes_them_as_stored() throws IOException {
        String result = "{\"model_version\":\"csv-numbers\",\"dataset_version\":\"d\",\"metrics\":{\"lat\":1e-7,"
                + "\"big\":1e20,\"acc\":1}}\n";
        assertThat(run("import", file("numbers.jsonl", result).toString(), "--db", server.databaseUrl()).exitCode()).isZero();

        for (String what : List.of("history", "snapshots")) {
            String cli = run("export", what, "--model", "csv-numbers", "--db", server.databaseUrl()).out();
            String api = run("export", what, "--model", "csv-numbers", "--server", server.url()).out();

            assertThat(List.of(column(cli, "lat"), column(cli, "big"), column(cli, "acc"))).as(what)
                    .containsExactly(List.of("1.0E-7"), List.of("1.0E20"), List.of("1.0"));
            assertThat(column(api, "lat")).as(what).containsExactly(what.equals("history") ? "0.00000010" : "1.0E-7");
        }
    }

    @Test
    void import_reads_empty_and_null_tags_and_metadata_alike_as_none() throws IOException {
        String lines = "{\"model_version\":\"empty-tags\",\"dataset_version\":\"d\",\"metrics\":{\"acc\":0.5},"
                + "\"tags\":{},\"metadata\":{}}\n"
                + "{\"model_version\":\"null-tags\",\"dataset_version\":\"d\",\"metrics\":{\"acc\":0.5},"
                + "\"tags\":null,\"metadata\":null}\n";

        PushCommandTest.Run imported = run("import", file("none.jsonl", lines).toString(), "--db", server.databaseUrl());

        assertThat(imported.exitCode()).as(imported.err() + imported.out()).isZero();
        assertThat(run("export", "history", "--format", "jsonl", "--model", "empty-tags,null-tags", "--db",
                server.databaseUrl()).out()).contains("empty-tags", "null-tags").doesNotContain("\"tags\"", "\"metadata\"");
    }

    @Test
    void export_jsonl_and_csv_keep_metric_names_exactly_and_import_back() throws IOException {
        String names = "{\"model_version\":\"names\",\"dataset_version\":\"lm eval\",\"run_at\":\"2026-01-02T00:00:00Z\","
                + "\"metrics\":{\"acc,none\":0.65,\"eval/loss\":2.46,\"精度\":0.9,\"run_at\":3}}";
        assertThat(run("push", file("n.json", names).toString(), "--server", server.url()).exitCode()).isZero();
        PushCommandTest.Run jsonl = run("export", "history", "--format", "jsonl", "--model", "names", "--db", server.databaseUrl());
        assertThat(jsonl.exitCode()).as(jsonl.err()).isZero();
        assertThat(jsonl.out()).contains("\"acc,none\": 0.65", "\"eval/loss\": 2.46", "\"精度\": 0.9", "\"run_at\": 3");
        PushCommandTest.Run csv = run("export", "history", "--metric", "acc,none", "--metric", "run_at",
                "--model", "names", "--db", server.databaseUrl(), "--raw");
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        assertThat(csv.out().lines().findFirst().orElseThrow()).contains("\"acc,none\"", "metric:run_at");

        // Both files import back into a fresh database with the names exactly as sent.
        String fresh = TestServer.freshDatabaseUrlWithCredentials();
        assertThat(run("import", file("h.jsonl", jsonl.out()).toString(), "--db", fresh).exitCode()).isZero();
        PushCommandTest.Run back = run("export", "history", "--format", "jsonl", "--db", fresh);
        assertThat(back.out()).contains("\"acc,none\": 0.65", "\"run_at\": 3", "\"精度\": 0.9");
        String fresh2 = TestServer.freshDatabaseUrlWithCredentials();
        PushCommandTest.Run imported = run("import", file("h.csv", csv.out()).toString(), "--db", fresh2);
        assertThat(imported.exitCode()).as(imported.err() + imported.out()).isZero();
        assertThat(run("export", "history", "--format", "jsonl", "--db", fresh2).out())
                .contains("\"acc,none\": 0.65", "\"run_at\": 3");
    }

    /**
     * Series caps reports F1, series m1 f1: every export (CSV raw and not, JSON Lines) names both as stored, imports
     * back into its own database as already present, and into a fresh one as the two metrics F1 and f1.
     */
    @Test
    void metrics_differing_only_in_case_export_as_stored_and_import_back_into_the_same_and_a_fresh_database() throws IOException {
        String db = TestServer.freshDatabaseUrlWithCredentials();
        String results = "[{\"model_version\":\"caps\",\"dataset_version\":\"d\",\"run_at\":\"2026-01-02T00:00:00Z\","
                + "\"metrics\":{\"F1\":0.4}},"
                + "{\"model_version\":\"m1\",\"dataset_version\":\"d\",\"run_at\":\"2026-01-03T00:00:00Z\","
                + "\"metrics\":{\"f1\":0.5}}]";
        assertThat(run("push", file("caps.json", results).toString(), "--db", db).exitCode()).isZero();

        for (List<String> format : List.of(List.of("--raw"), List.<String>of(), List.of("--format", "jsonl"))) {
            Path export = dir.resolve(format.contains("jsonl") ? "caps.jsonl" : "caps.csv");
            List<String> args = new ArrayList<>(List.of("export", "history", "--model", "caps,m1", "--limit", "3",
                    "--db", db, "-o", export.toString()));
            args.addAll(format);
            PushCommandTest.Run exported = run(args.toArray(String[]::new));
            assertThat(exported.exitCode()).as(exported.err()).isZero();
            String text = Files.readString(export);
            if (!format.contains("jsonl")) {
                assertThat(List.of(text.lines().findFirst().orElseThrow().split(","))).as(format.toString())
                        .contains("F1", "f1").doesNotContain("f1_2");
            }

            PushCommandTest.Run again = run("import", export.toString(), "--db", db);
            assertThat(again.exitCode()).as(format + again.err()).isZero();
            assertThat(again.out()).as(format.toString()).contains("imported 2 result(s): 0 stored, 2 already present");

            String fresh = TestServer.freshDatabaseUrlWithCredentials();
            PushCommandTest.Run imported = run("import", export.toString(), "--db", fresh);
            assertThat(imported.exitCode()).as(format + imported.err()).isZero();
            String back = JsonLinesExports.results(run("export", "history", "--format", "jsonl", "--db", fresh).out());
            assertThat(back.lines()).as(format.toString()).hasSize(2)
                    .anySatisfy(line -> assertThat(line).contains("\"caps\"", "\"metrics\": {\"F1\": 0.4}"))
                    .anySatisfy(line -> assertThat(line).contains("\"m1\"", "\"metrics\": {\"f1\": 0.5}"));
            assertThat(back).doesNotContain("f1_2");
        }
    }

    /**
     * Re-importing an export into the database it came from stores nothing and refuses nothing, though the files hold
     * the results as the database writes them (keys in their stored form, numbers as jsonb prints them, run_at in its
     * offset form, metadata without nulls); a line edited to another value under
     * a stored key is refused (exit 2) naming the field.
     */
    @Test
    void an_export_imported_back_into_its_own_database_is_already_present_and_an_edited_one_is_refused() throws IOException {
        String db = TestServer.freshDatabaseUrlWithCredentials();
        String results = "[{\"model_version\":\"rt\",\"dataset_version\":\"d\",\"prompt_version\":\"p\",\"model_provider\":\"x\","
                + "\"environment\":\"ci\",\"metrics\":{\"acc\":0.10,\"tiny\":1e-7,\"big\":12345678.9,\"n\":3},"
                + "\"stderr\":{\"acc\":0.012},\"n\":{\"acc\":1319},\"run_at\":\"2026-01-02T03:04:05.123456Z\","
                + "\"commit_sha\":\"abc\",\"branch\":\"main\",\"run_id\":\"9\",\"triggered_by\":\"ci\","
                + "\"tags\":{\"z\":\"1\",\"a\":\"k=v, w\"},\"notes\":\"n\",\"metadata\":{\"none\":null,"
                + "\"cfg\":{\"lr\":0.001,\"skip\":null,\"layers\":[4,2]}},\"idempotency_key\":\"rt-1\"},"
                + "{\"model_version\":\"rt\",\"dataset_version\":\"d\",\"metrics\":{\"acc\":0.3}}]";
        assertThat(run("push", file("rt.json", results).toString(), "--db", db).exitCode()).isZero();
        PushCommandTest.Run jsonl = run("export", "history", "--format", "jsonl", "--model", "rt", "--db", db);
        PushCommandTest.Run csv = run("export", "history", "--raw", "--model", "rt", "--db", db);
        for (Path export : List.of(file("rt.jsonl", jsonl.out()), file("rt.csv", csv.out()))) {
            PushCommandTest.Run again = run("import", export.toString(), "--db", db);
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).as(export.toString()).contains("imported 2 result(s): 0 stored, 2 already present");
        }

        PushCommandTest.Run edited = run("import", file("edited.jsonl", jsonl.out().replace("\"branch\": \"main\"",
                "\"branch\": \"dev\"")).toString(), "--db", db);
        assertThat(edited.exitCode()).as(edited.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(edited.err()).contains("branch: result ", "(rt / d / p @ci) is already stored under this "
                + "idempotency_key, with other branch than sent");
    }

    /**
     * The sample pushed (no run_at, no run_id: keyed by its content) to two databases, each giving it its own run_at;
     * one database's export imported into the other is the result it holds already, not one re-sent under its own key
     * with another run_at.
     */
    @Test
    void an_export_imported_into_another_database_that_has_the_same_push_is_already_present() throws IOException {
        String a = TestServer.freshDatabaseUrlWithCredentials();
        String b = TestServer.freshDatabaseUrlWithCredentials();
        String sample = Path.of("..", "samples", "sample_benchmark_results.json").toAbsolutePath().normalize().toString();
        assertThat(run("push", sample, "--db", a).exitCode()).isZero();
        assertThat(run("push", sample, "--db", b).exitCode()).isZero();
        PushCommandTest.Run export = run("export", "history", "--format", "jsonl", "--db", a);
        assertThat(export.out()).as(export.err()).contains("\"idempotency_key\"", "\"run_at\"");

        PushCommandTest.Run imported = run("import", file("a.jsonl", export.out()).toString(), "--db", b);
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported 1 result(s): 0 stored, 1 already present");
    }

    /** A result with everything the JSON export holds beyond names and metrics; one metric is named n. */
    private static String uncertainResult(String model) {
        return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"run_id\":\"u1\","
                + "\"run_at\":\"2026-01-02T03:04:05Z\",\"metrics\":{\"acc\":0.81,\"n\":3},"
                + "\"stderr\":{\"acc\":0.012},\"n\":{\"acc\":1319,\"n\":7},"
                + "\"metadata\":{\"cfg\":{\"lr\":0.001,\"layers\":[4,2]},\"note\":\"a, \\\"b\\\"\"}}";
    }

    /** Imports {@code csv} into a fresh database and returns its JSON export. */
    private String importedIntoAFreshDatabaseAsJson(Path csv) {
        String fresh = TestServer.freshDatabaseUrlWithCredentials();
        PushCommandTest.Run imported = run("import", csv.toString(), "--db", fresh);
        assertThat(imported.exitCode()).as(imported.err() + imported.out()).isZero();
        return run("export", "history", "--format", "jsonl", "--db", fresh).out();
    }

    @Test
    void a_raw_csv_export_holds_stderr_n_and_metadata_and_imports_back_as_the_json_export_has_them() throws IOException {
        assertThat(run("push", file("u.json", uncertainResult("csv-se")).toString(), "--db", server.databaseUrl())
                .exitCode()).isZero();
        String json = run("export", "history", "--format", "jsonl", "--model", "csv-se", "--db", server.databaseUrl()).out();
        PushCommandTest.Run csv = run("export", "history", "--raw", "--model", "csv-se", "--db", server.databaseUrl());
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        // the metric named n keeps its column apart from the field n
        assertThat(csv.out().lines().findFirst().orElseThrow()).contains(",stderr,n,metadata,", "metric:n");

        assertThat(importedIntoAFreshDatabaseAsJson(file("u.csv", csv.out()))).isEqualTo(json);
    }

    @Test
    void a_servers_history_csv_holds_stderr_n_and_metadata_and_imports_back_as_the_json_export_has_them()
            throws IOException {
        assertThat(run("push", file("u.json", uncertainResult("srv-se")).toString(), "--server", server.url())
                .exitCode()).isZero();
        String json = run("export", "history", "--format", "jsonl", "--model", "srv-se", "--db", server.databaseUrl()).out();
        Path csv = dir.resolve("srv.csv");
        PushCommandTest.Run export = run("export", "history", "--model", "srv-se", "--server", server.url(), "-o", csv.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();

        assertThat(importedIntoAFreshDatabaseAsJson(csv)).isEqualTo(json);
    }

    @Test
    void the_default_csv_export_holds_stderr_n_and_metadata_as_json_text_cells() throws IOException {
        assertThat(run("push", file("u.json", uncertainResult("guarded-se")).toString(), "--db", server.databaseUrl())
                .exitCode()).isZero();
        PushCommandTest.Run csv = run("export", "history", "--model", "guarded-se", "--db", server.databaseUrl());
        assertThat(csv.exitCode()).as(csv.err()).isZero();
        assertThat(csv.out()).contains(",\"{\"\"acc\"\": 0.012}\",\"{\"\"n\"\": 7, \"\"acc\"\": 1319}\",");
    }

    @Test
    void a_csv_whose_n_column_holds_a_number_is_refused_naming_the_column_and_storing_nothing() throws IOException {
        // Before export wrote the field n, a metric named n had the column n: such a file must not be read as n=3.
        String db = TestServer.freshDatabaseUrlWithCredentials();
        PushCommandTest.Run r = run("import", file("old.csv", "model_version,dataset_version,n,acc\nold,d,3,0.5\n")
                .toString(), "--db", db);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("line 2", "column 'n' must hold a JSON object", "got '3'",
                "a metric named n is the column metric:n");
        assertThat(run("export", "history", "--format", "jsonl", "--db", db).out()).isEmpty();
    }

    @Test
    void import_refused_for_a_key_re_sent_with_other_values_after_its_first_chunk_says_how_many_are_stored() throws IOException {
        String db = TestServer.freshDatabaseUrlWithCredentials();
        // k0 stored by an earlier import; this one's first chunk is new, its second re-sends k0 with another f1, which
        // only the database can tell (a key shared within the file is refused before anything is written).
        assertThat(run("import", file("first.jsonl", "{\"model_version\":\"rekeyed\",\"dataset_version\":\"d\","
                + "\"idempotency_key\":\"k0\",\"metrics\":{\"f1\":0.5}}\n").toString(), "--db", db).exitCode()).isZero();
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 10_000; i++) {
            lines.append("{\"model_version\":\"rekeyed\",\"dataset_version\":\"d\",\"idempotency_key\":\"k").append(i)
                    .append("\",\"metrics\":{\"f1\":0.5}}\n");
        }
        lines.append("{\"model_version\":\"rekeyed\",\"dataset_version\":\"d\",\"idempotency_key\":\"k0\",\"metrics\":{\"f1\":0.6}}\n");

        PushCommandTest.Run r = run("import", file("rekeyed.jsonl", lines.toString()).toString(), "--db", db);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("result 10001, results[10000].metrics: result ", "with other metrics than sent",
                "the first 10,000 result(s) are stored; the rest is not");
    }

    @Test
    void export_as_a_login_missing_a_grant_names_the_login_and_the_privilege_not_an_unexpected_failure() throws Exception {
        String url = TestServer.freshDatabaseUrl();
        assertThat(run("import", file("one.json", "{\"model_version\":\"granted\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"f1\":0.5}}").toString(), "--db", url + "?user=postgres&password="
                + TestServer.embeddedPassword()).exitCode()).isZero();
        // A reader set up by hand for an older schema: every table but one added since (V15).
        String role = "bm_stale_reader_" + ProcessHandle.current().pid();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "postgres", TestServer.embeddedPassword());
             java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'stale'");
            st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
            st.execute("REVOKE SELECT ON benchmark_latest_attempts FROM " + role);
        }
        PushCommandTest.Run r = run(java.util.Map.of("BENCHMON_DB_USER", role, "BENCHMON_DB_PASSWORD", "stale"), "",
                "export", "history", "--db", url);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("the database login " + role + " lacks a privilege: permission denied for table "
                + "benchmark_latest_attempts", "docs/SETUP.md").doesNotContain("unexpected failure", "SELECT");
    }

    /** The tags of the one result {@code csv} holds, as {@code import} stores them in a fresh database. */
    private static JsonNode tagsImportedIntoAFreshDatabase(Path csv) throws IOException {
        String fresh = TestServer.freshDatabaseUrlWithCredentials();
        PushCommandTest.Run imported = run("import", csv.toString(), "--db", fresh);
        assertThat(imported.exitCode()).as(imported.err() + imported.out()).isZero();
        return ResultJson.mapper().readTree(JsonLinesExports.results(run("export", "history", "--format", "jsonl", "--db",
                fresh).out())).get("tags");
    }

    /** Tags with a comma, '=' and ';' in keys and values, and a value a spreadsheet would run. */
    private static final String AWKWARD_TAGS = "{\"cfg\":\"lr=0.1;bs=32\",\"k,x\":\"v w\",\"a=b\":\"c\",\"semi;k\":\"d\","
            + "\"=k\":\"-v\",\"pairs\":\"lr=0.1, bs=32\"}";

    /** Pushes one result of {@code model} with {@link #AWKWARD_TAGS}, exports its history with {@code from}, returns the CSV. */
    private Path pushedWithAwkwardTagsThenExported(String model, String... from) throws IOException {
        String result = "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"run_id\":\"t1\","
                + "\"metrics\":{\"f1\":0.5},\"tags\":" + AWKWARD_TAGS + "}";
        assertThat(run("push", file(model + ".json", result).toString(), "--server", server.url()).exitCode()).isZero();
        Path csv = dir.resolve(model + ".csv");
        List<String> args = new ArrayList<>(List.of("export", "history", "--model", model, "-o", csv.toString()));
        args.addAll(List.of(from));
        PushCommandTest.Run export = run(args.toArray(String[]::new));
        assertThat(export.exitCode()).as(export.err()).isZero();
        return csv;
    }

    @Test
    void a_csv_tags_cell_holding_a_number_is_refused_naming_it_as_written() throws IOException {
        assertThat(importRefused("numtags.csv", "model_version,dataset_version,f1,tags\ncsv-numtag,d,0.5,\"{\"\"b\"\": 1e3}\"\n"))
                .contains("numtags.csv: line 2, column tags, key b: must be a string, got a number; write \"1e3\" in quotes");
        assertThat(server.get("/api/v1/history?model=csv-numtag").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void export_raw_then_import_keeps_tags_holding_commas_equals_signs_and_semicolons_exactly() throws IOException {
        // The raw CSV wrote tags as "k=v, k=v": k,x came back as x, a=b:c as a:b=c, and =k was dropped.
        Path csv = pushedWithAwkwardTagsThenExported("tagrt", "--raw", "--db", server.databaseUrl());
        assertThat(tagsImportedIntoAFreshDatabase(csv)).isEqualTo(ResultJson.mapper().readTree(AWKWARD_TAGS));
    }

    @Test
    void a_servers_history_csv_imports_back_with_tags_exactly() throws IOException {
        // The API's CSV wrote tags as "k=v, k=v", the display form, so an export through a server lost them.
        Path csv = pushedWithAwkwardTagsThenExported("tagsrv", "--server", server.url());
        assertThat(tagsImportedIntoAFreshDatabase(csv)).isEqualTo(ResultJson.mapper().readTree(AWKWARD_TAGS));
    }

    @Test
    void export_raw_then_import_keeps_a_single_tag_and_a_prompt_holding_quotes_exactly() throws IOException {
        // The CSV left cells holding quotes but no comma unquoted; the importer then read {"suite": "nightly"} as no tags.
        String result = "{\"model_version\":\"quoted\",\"dataset_version\":\"d\",\"prompt_version\":\"p \\\"q\\\" 'r'\","
                + "\"run_id\":\"q1\",\"metrics\":{\"f1\":0.5},\"tags\":{\"suite\":\"nightly\"}}";
        assertThat(run("push", file("q.json", result).toString(), "--server", server.url()).exitCode()).isZero();
        Path csv = dir.resolve("q.csv");
        assertThat(run("export", "history", "--raw", "--model", "quoted", "-o", csv.toString(), "--db", server.databaseUrl())
                .exitCode()).isZero();

        String fresh = TestServer.freshDatabaseUrlWithCredentials();
        assertThat(run("import", csv.toString(), "--db", fresh).exitCode()).isZero();
        JsonNode back = ResultJson.mapper().readTree(JsonLinesExports.results(run("export", "history", "--format", "jsonl",
                "--db", fresh).out()));
        assertThat(back.get("tags")).isEqualTo(ResultJson.mapper().readTree("{\"suite\":\"nightly\"}"));
        assertThat(back.get("prompt_version").asText()).isEqualTo("p \"q\" 'r'");
    }

    @Test
    void a_csv_cell_holding_quotes_but_not_quoted_as_older_exports_wrote_tags_imports_as_written() throws IOException {
        Path csv = file("unquoted.csv", "model_version,dataset_version,tags,f1\nunquoted,d,{\"suite\": \"nightly\"},0.5\n");
        assertThat(tagsImportedIntoAFreshDatabase(csv)).isEqualTo(ResultJson.mapper().readTree("{\"suite\":\"nightly\"}"));
    }

    @Test
    void a_csv_with_tags_as_key_equals_value_pairs_as_older_exports_wrote_them_still_imports() throws IOException {
        Path csv = file("old.csv", "model_version,dataset_version,tags,f1\nold-tags,d,\"suite=nightly, gpu=a100\",0.5\n");
        assertThat(tagsImportedIntoAFreshDatabase(csv))
                .isEqualTo(ResultJson.mapper().readTree("{\"suite\":\"nightly\",\"gpu\":\"a100\"}"));
    }

    @Test
    void import_streams_a_wrapper_with_definitions_and_a_bad_result_far_in_stores_nothing() throws IOException {
        // 25,000 results: more than two of the writer's chunks, read one at a time.
        StringBuilder body = new StringBuilder("{\"metric_definitions\": {\"stream_score\": {\"direction\": \"lower_is_better\"}},"
                + " \"results\": [");
        int n = 25_000;
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append("{\"model_version\":\"stream-").append(i % 3)
                    .append("\",\"dataset_version\":\"d\",\"run_id\":\"r").append(i)
                    .append("\",\"metrics\":{\"stream_score\":").append(i % 100).append("}}");
        }
        String good = body.append("]}").toString();
        String bad = good.replace("\"run_id\":\"r24990\",\"metrics\":{\"stream_score\":90}",
                "\"run_id\":\"r24990\",\"metrics\":{\"stream_score\":\"high\"}");
        String db = TestServer.freshDatabaseUrlWithCredentials();

        PushCommandTest.Run refused = run("import", file("bad.json", bad).toString(), "--db", db, "--strict");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(refused.err()).contains("result 24991, results[24990].metrics.stream_score", "nothing was stored");
        assertThat(run("export", "history", "--format", "jsonl", "--db", db).out()).doesNotContain("stream-");

        PushCommandTest.Run r = run("import", file("good.json", good).toString(), "--db", db);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 25000 result(s): 25000 stored, 0 already present");
        PushCommandTest.Run meta = run("metrics", "list", "--db", db);
        assertThat(meta.out()).containsPattern("stream_score\\s+lower_is_better");
        PushCommandTest.Run again = run(java.util.Map.of(), good, "import", "-", "--db", db); // stdin, spooled
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("imported 25000 result(s): 0 stored, 25000 already present");
    }

    /** The error output of importing a file {@code name} holding {@code content}, which must be refused as invalid input. */
    private String importRefused(String name, String content) throws IOException {
        return importRefused(file(name, content));
    }

    /** The error output of importing {@code file} with {@code options}, which must be refused as invalid input. */
    private static String importRefused(Path file, String... options) {
        List<String> args = new ArrayList<>(List.of("import", file.toString(), "--db", server.databaseUrl()));
        args.addAll(List.of(options));
        PushCommandTest.Run r = run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        return r.err();
    }

    /** A series flag the field's rules refuse is named once, before the file is read (it blamed every result). */
    @Test
    void import_refuses_a_blank_series_flag_once_naming_the_flag() throws IOException {
        Path f = file("flagged.jsonl", "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}\n"
                + "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.6}}\n");

        String err = importRefused(f, "--model-version", " ");

        assertThat(err).contains("invalid --model-version: ").doesNotContain("[0]").doesNotContain("[1]");
    }

    @Test
    void a_csv_saved_by_excel_as_csv_utf8_with_a_byte_order_mark_imports() throws IOException {
        PushCommandTest.Run r = run("import", file("excel.csv", "\uFEFFmodel_version,dataset_version,f1\nexcel-bom,d,0.5\n").toString(),
                "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(server.get("/api/v1/history?model=excel-bom").statusCode()).isEqualTo(200);
    }

    @Test
    void a_json_lines_file_that_starts_with_a_byte_order_mark_imports() throws IOException {
        // Windows PowerShell 5's Out-File -Encoding utf8 writes the mark before the first line.
        PushCommandTest.Run r = run("import", file("bom.jsonl", "\uFEFF{\"model_version\":\"bom-jsonl\","
                + "\"dataset_version\":\"d\",\"metrics\":{\"acc\":0.9}}\n").toString(), "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 1 result(s): 1 stored");
    }

    @Test
    void a_json_file_that_starts_with_a_byte_order_mark_is_pushed() throws IOException {
        PushCommandTest.Run r = run("push", file("bom.json", "\uFEFF{\"model_version\":\"bom-json\","
                + "\"dataset_version\":\"d\",\"metrics\":{\"acc\":0.9}}").toString(), "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(server.get("/api/v1/history?model=bom-json").statusCode()).isEqualTo(200);
    }

    @Test
    void a_tools_file_that_starts_with_a_byte_order_mark_is_read_in_its_format() throws IOException {
        PushCommandTest.Run r = run("import", file("bom_trainer.json", "\uFEFF{\"eval_loss\": 1.5, \"epoch\": 3.0}")
                .toString(), "--format", "hf-trainer", "--model-version", "bom-trainer", "--dataset-version", "d",
                "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 stored");
    }

    @Test
    void model_and_dataset_flags_name_what_a_csv_has_no_column_for_on_import() throws IOException {
        PushCommandTest.Run r = run("import", file("nomodel.csv", "f1,latency_ms\n0.8,100\n0.81,101\n").toString(),
                "--model-version", "csv-flag-m", "--dataset-version", "csv-flag-d", "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 2 result(s): 2 stored");
        assertThat(server.get("/api/v1/history?model=csv-flag-m&dataset=csv-flag-d").statusCode()).isEqualTo(200);
    }

    @Test
    void model_and_dataset_flags_name_what_a_csv_has_no_column_for_on_push() throws IOException {
        PushCommandTest.Run r = run("push", file("nomodel_push.csv", "f1\n0.8\n").toString(), "--model-version",
                "csv-push-m", "--dataset-version", "csv-push-d", "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(server.get("/api/v1/history?model=csv-push-m&dataset=csv-push-d").statusCode()).isEqualTo(200);
    }

    private static final String TWO_RESULTS_OF_ONE_RUN = "model_version,dataset_version,environment,run_id,f1\n"
            + "MODEL,d,ci,7,0.80\nMODEL,d,ci,7,0.60\n";

    @Test
    void push_refuses_two_different_results_of_one_run_naming_both_and_stores_nothing() throws IOException {
        PushCommandTest.Run r = run("push", file("duprun.csv", TWO_RESULTS_OF_ONE_RUN.replace("MODEL", "duprun-push"))
                .toString(), "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("duprun.csv: line 3: result 2, results[1].run_id: result 2 (results[1]) and result 1 (results[0]) are two different results of one run");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("duprun-push");
    }

    @Test
    void import_refuses_two_different_results_of_one_run_and_stores_nothing() throws IOException {
        PushCommandTest.Run r = run("import", file("duprun_import.csv", TWO_RESULTS_OF_ONE_RUN.replace("MODEL",
                "duprun-import")).toString(), "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("duprun_import.csv: line 3: result 2, results[1].run_id: result 2 (results[1]) and result 1 "
                + "(results[0]) are two different results of one run");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("duprun-import");
    }

    @Test
    void import_refuses_two_different_results_of_one_run_in_different_chunks_and_stores_nothing() throws IOException {
        int chunk = dev.benchmon.ingest.ResultWriter.CHUNK_SIZE;
        StringBuilder csv = new StringBuilder("model_version,dataset_version,environment,run_id,f1\n")
                .append("duprun-chunks,d,ci,7,0.80\n");
        for (int i = 1; i < chunk; i++) {
            csv.append("duprun-chunks,d,ci,r").append(i).append(",0.70\n");
        }
        csv.append("duprun-chunks,d,ci,7,0.60\n"); // the first result of the second chunk

        PushCommandTest.Run r = run("import", file("duprun_chunks.csv", csv.toString()).toString(),
                "--db", server.databaseUrl());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        // the header is line 1: result chunk + 1 is on line chunk + 2
        assertThat(r.err()).contains("duprun_chunks.csv: line " + (chunk + 2) + ": result " + (chunk + 1) + ", results["
                + chunk + "].run_id: result " + (chunk + 1) + " (results[" + chunk + "]) and result 1 (results[0]) are two "
                + "different results of one run");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("duprun-chunks");
    }

    // Two results found together over the whole input are named as a problem of one file is: by the later one's file,
    // the line it starts on and its place there (numbered within that file); of several files, each result it names
    // with its file.

    /** {@code a.json} of one result and {@code b.json} whose second result (on its line 2) repeats it with {@code field} and 0.6. */
    private List<String> twoFiles(String model, String field) throws IOException {
        String again = "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\"," + field + ",\"metrics\":{\"acc\":";
        return List.of(file("a.json", "[" + again + "0.5}}]").toString(), file("b.json", "[{\"model_version\":\""
                + model + "\",\"dataset_version\":\"other\",\"metrics\":{\"acc\":0.7}},\n" + again + "0.6}}]").toString());
    }

    private static final String SHARED_KEY = "\"idempotency_key\":\"k\"";
    private static final String SHARED_KEY_REFUSAL = "b.json: line 2: result 2, results[1].idempotency_key: result 1 (results[0]) "
            + "of %s and result 2 (results[1]) of %s share idempotency_key 'k' with different metrics";
    private static final String SHARED_RUN = "\"run_id\":\"7\"";
    private static final String SHARED_RUN_REFUSAL = "b.json: line 2: result 2, results[1].run_id: result 2 (results[1]) of %s "
            + "and result 1 (results[0]) of %s are two different results of one run";

    /** The output of {@code command} (push or import) of {@code files}, which must be refused as invalid input. */
    private static String refused(String command, List<String> files) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(files);
        args.addAll(command.equals("push") ? List.of("--server", server.url()) : List.of("--db", server.databaseUrl()));
        PushCommandTest.Run r = run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        return r.err();
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void names_each_result_of_a_key_shared_across_files_by_its_file(String command) throws IOException {
        List<String> files = twoFiles("filekey-" + command, SHARED_KEY);
        assertThat(refused(command, files)).contains(SHARED_KEY_REFUSAL.formatted(files.get(0), files.get(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void names_each_of_two_results_of_one_run_in_two_files_by_its_file(String command) throws IOException {
        List<String> files = twoFiles("filerun-" + command, SHARED_RUN);
        assertThat(refused(command, files)).contains(SHARED_RUN_REFUSAL.formatted(files.get(1), files.get(0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void a_pair_whose_later_result_is_alone_in_its_file_is_named_without_a_line(String command) throws IOException {
        String result = "{\"model_version\":\"lonerun-" + command + "\",\"dataset_version\":\"d\"," + SHARED_RUN
                + ",\"metrics\":{\"acc\":";
        // c.json's one result starts on its line 2: a file of one result needs no line to find it
        List<String> files = List.of(file("a.json", result + "0.5}}").toString(), file("c.json", "\n" + result + "0.6}}").toString());
        assertThat(refused(command, files)).contains(("c.json: result 1, results[0].run_id: result 1 (results[0]) of %s and "
                + "result 1 (results[0]) of %s are two different results of one run").formatted(files.get(1), files.get(0)));
    }

    @Test
    void push_names_the_file_of_two_results_sharing_a_key_with_different_metrics() throws IOException {
        String line = "{\"model_version\":\"push-samekey\",\"dataset_version\":\"d1\",\"metrics\":{\"f1\":0.7},"
                + "\"idempotency_key\":\"push-k\"}\n";
        Path file = file("samekey_push.jsonl", line + line.replace("0.7", "0.8"));
        assertThat(refused("push", List.of(file.toString()))).contains(file + ": line 2: result 2, "
                + "results[1].idempotency_key: result 1 (results[0]) and result 2 (results[1]) share idempotency_key "
                + "'push-k' with different metrics");
    }

    @Test
    void the_same_result_of_a_run_twice_in_one_file_is_stored_once() throws IOException {
        PushCommandTest.Run r = run("import", file("samerun.csv", "model_version,dataset_version,run_id,f1\n"
                + "samerun,d,7,0.8\nsamerun,d,7,0.8\n").toString(), "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 2 result(s): 1 stored, 1 already present");
    }

    @Test
    void push_stores_a_pytest_benchmark_report_with_a_long_test_id_and_warns_naming_it() throws Exception {
        PushCommandTest.Run r = run("push", file("bench_long.json", dev.benchmon.server.support.LongTestIds
                .report("long-ids-cli")).toString(), "--format", "pytest-benchmark", "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: results[0].dataset_version: '" + dev.benchmon.server.support.LongTestIds.ID
                + "' is 262 characters long", "stored as '" + dev.benchmon.server.support.LongTestIds.shortened() + "'");
        assertThat(r.out()).contains("pushed 2 result(s)");
    }

    @Test
    void format_wandb_on_a_runs_table_csv_says_what_it_reads_instead_of_a_json_parser_error() throws IOException {
        // The W&B UI's "Export as CSV" of a runs table.
        String err = importRefused(file("wandb_export.csv", "\"Name\",\"State\",\"Notes\",\"eval/loss\",\"eval/accuracy\",\"_step\"\n"
                + "\"run-1\",\"finished\",\"-\",\"2.46\",\"0.61\",\"10\"\n"), "--format", "wandb", "--dataset-version", "owt");
        assertThat(err).contains("wandb_export.csv: format: is not a W&B run summary", "reads a run's wandb-summary.json",
                "A runs table exported from the W&B UI as CSV is not read").doesNotContain("is not valid JSON");
    }

    /**
     * A result's problem names the line of the file it starts on, beside its index among the results, as a syntax error
     * names its line: the CSV's header is line 1 and a blank line is skipped, JSON Lines count blank lines. It named
     * the index alone ([1] run_at), which is not the line a user looks for.
     */
    @Test
    void push_and_import_name_the_line_of_a_refused_result_in_csv_and_json_lines() throws IOException {
        String ok = "{\"model_version\":\"lines-m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}";
        Path jsonl = file("lines.jsonl", ok + "\n\n" + ok.replace("\"d\"", "\"d2\"") + "\n\n"
                + ok.replace("\"d\"", "\"d3\",\"run_at\":\"yesterday\"") + "\n");
        Path csv = file("lines.csv", "model_version,dataset_version,run_at,f1\nlines-m,d,,0.5\n\nlines-m,d2,yesterday,0.5\n");

        for (String command : List.of("push", "import")) {
            List<String> args = new ArrayList<>(List.of(command, "", command.equals("push") ? "--server" : "--db",
                    command.equals("push") ? server.url() : server.databaseUrl()));
            args.set(1, jsonl.toString());
            PushCommandTest.Run fromJsonl = run(args.toArray(String[]::new));
            args.set(1, csv.toString());
            PushCommandTest.Run fromCsv = run(args.toArray(String[]::new));

            assertThat(fromJsonl.exitCode()).as(fromJsonl.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(fromJsonl.err()).as(command).contains(jsonl + ": line 5: result 3, results[2].run_at: ");
            assertThat(fromCsv.exitCode()).as(fromCsv.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(fromCsv.err()).as(command).contains(csv + ": line 4, column run_at: ");
        }
    }

    /**
     * Invisible format characters (Unicode category Cf) in the names a result is stored under are refused, naming the
     * field and the code point: "rtl\u202Eabc" shows as "rtlcba", "zw\u200Bsp" as "zwsp". They were stored.
     */
    @Test
    void push_refuses_invisible_format_characters_in_names_naming_the_field_and_code_point() throws IOException {
        Path f = file("cf.jsonl", "{\"model_version\":\"cf-rtl\u202Eabc\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}\n"
                + "{\"model_version\":\"cf-m\",\"dataset_version\":\"zw\u200Bsp\",\"environment\":\"\uFEFFci\","
                + "\"metrics\":{\"f\u200D1\":0.5}}\n"
                + "{\"model_version\":\"cf-m\",\"dataset_version\":\"d\",\"prompt_version\":\"p\u2066\",\"metrics\":{\"f1\":0.5}}\n");

        PushCommandTest.Run r = run("push", f.toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains(
                "line 1: result 1, results[0].model_version: holds the invisible format character U+202E (RIGHT-TO-LEFT OVERRIDE) at "
                        + "position 6; a name may not hold invisible format characters (Unicode category Cf)",
                "line 2: result 2, results[1].dataset_version: holds the invisible format character U+200B (ZERO WIDTH SPACE) at position 2",
                "line 2: result 2, results[1].environment: holds the invisible format character U+FEFF (ZERO WIDTH NO-BREAK SPACE) at position 0",
                "line 3: result 3, results[2].prompt_version: holds the invisible format character U+2066 (LEFT-TO-RIGHT ISOLATE)");
        assertThat(r.err()).as("a join control spells words; it is allowed").doesNotContain("U+200D");
        long stored = server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions "
                + "WHERE model_version LIKE 'cf-%'").mapTo(Long.class).one());
        assertThat(stored).isZero();
    }

    /** The join controls U+200C and U+200D are Cf too, but Persian words and emoji sequences are spelled with them. */
    @Test
    void push_stores_names_spelled_with_join_controls() throws IOException {
        String persian = "zj-\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"; // "mi-khaham", a ZWNJ inside
        String emoji = "zj-\uD83D\uDC69\u200D\uD83D\uDCBB"; // woman technologist: woman, ZWJ, laptop
        Path f = file("joiners.jsonl", "{\"model_version\":\"" + persian + "\",\"dataset_version\":\"" + emoji
                + "\",\"metrics\":{\"f1\":0.5}}\n");

        PushCommandTest.Run r = run("push", f.toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        long stored = server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions "
                + "WHERE model_version = :m AND dataset_version = :d").bind("m", persian).bind("d", emoji).mapTo(Long.class).one());
        assertThat(stored).isOne();
    }

    /**
     * England's flag is an emoji tag sequence (U+1F3F4, the tag characters "gbeng", U+E007F CANCEL TAG) and Hebrew text
     * places neutral characters with U+200F RIGHT-TO-LEFT MARK (U+200E its left-to-right twin). All are Cf, and all were refused.
     */
    @Test
    void push_stores_names_spelled_with_a_subdivision_flag_and_bidi_marks() throws IOException {
        String england = "zt-\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC65\uDB40\uDC6E\uDB40\uDC67\uDB40\uDC7F";
        String hebrew = "zt-\u05DE\u05D5\u05D3\u05DC\u200F-2\u200E.b"; // "model", RLM, "-2", LRM, ".b"
        Path f = file("tags.jsonl", "{\"model_version\":\"" + england + "\",\"dataset_version\":\"" + hebrew
                + "\",\"metrics\":{\"f1\":0.5}}\n");

        PushCommandTest.Run r = run("push", f.toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        long stored = server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions "
                + "WHERE model_version = :m AND dataset_version = :d").bind("m", england).bind("d", hebrew)
                .mapTo(Long.class).one());
        assertThat(stored).isOne();
    }

    /**
     * Tag characters outside a well-formed tag sequence hide text ("ok" followed by invisible tags), the bidi embeddings
     * reorder it as Trojan Source does (CVE-2021-42574) and the soft hyphen is invisible: all stay refused.
     */
    @Test
    void push_refuses_stray_tag_characters_bidi_embeddings_and_the_soft_hyphen() throws IOException {
        String hidden = "zs-ok\uDB40\uDC68\uDB40\uDC69"; // tags "hi" with no flag before them
        String unterminated = "zs-\uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62"; // flag and tags, no cancel tag
        Path f = file("stray.jsonl", "{\"model_version\":\"" + hidden + "\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"f1\":0.5}}\n"
                + "{\"model_version\":\"" + unterminated + "\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}\n"
                + "{\"model_version\":\"zs-m\",\"dataset_version\":\"a\u202Ab\",\"metrics\":{\"soft\u00ADhyphen\":0.5}}\n"
                // a mark copied after a name: the same-looking name as another series
                + "{\"model_version\":\"zs-gpt-4\u200E\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}\n");

        PushCommandTest.Run r = run("push", f.toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains(
                "line 1: result 1, results[0].model_version: holds the invisible format character U+E0068 (TAG LATIN SMALL LETTER H) at "
                        + "position 5",
                "line 2: result 2, results[1].model_version: holds the invisible format character U+E0067 (TAG LATIN SMALL LETTER G) at "
                        + "position 4",
                "line 3: result 3, results[2].dataset_version: holds the invisible format character U+202A (LEFT-TO-RIGHT EMBEDDING) at "
                        + "position 1",
                "U+00AD (SOFT HYPHEN) at position 4",
                "line 4: result 4, results[3].model_version: holds the invisible format character U+200E (LEFT-TO-RIGHT MARK) at "
                        + "position 8; it may stand between the characters of a name, not at its start or end");
        long stored = server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions "
                + "WHERE model_version LIKE 'zs-%'").mapTo(Long.class).one());
        assertThat(stored).isZero();
    }

    @Test
    void import_refusal_says_nothing_was_stored_not_that_nothing_was_sent() throws IOException {
        assertThat(importRefused("nometrics.jsonl", "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{}}\n"))
                .contains("error: invalid input, nothing was stored:").doesNotContain("nothing was sent");
    }

    /** The warning of a run_at of 0, as push prints it for the first result of its file. */
    private static final String ZERO_RUN_AT = "warning: results[0].run_at: '0' (1970-01-01T00:00:00Z) is before 2000: it "
            + "looks like a zero or missing timestamp";

    @Test
    void a_pushed_result_whose_run_at_is_zero_is_stored_with_a_warning_naming_run_at_said_once() throws IOException {
        PushCommandTest.Run r = run("push", file("zero.json", "{\"model_version\":\"zero-run-at\",\"dataset_version\":"
                + "\"d\",\"run_at\":0,\"metrics\":{\"f1\":0.5}}").toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err().split(java.util.regex.Pattern.quote(ZERO_RUN_AT), -1)).as(r.err()).hasSize(2);
        assertThat(ResultJson.mapper().readTree(server.get("/api/v1/history?model=zero-run-at").body()).at("/rows/0/run_at")
                .asText()).startsWith("1970-01-01T00:00:00");
    }

    @Test
    void the_servers_answer_warns_of_a_run_at_before_2000_in_its_warnings() throws IOException {
        var answer = server.postJson("/api/v1/results", "{\"model_version\":\"zero-run-at-api\",\"dataset_version\":"
                + "\"d\",\"run_at\":\"1970-01-01T00:00:00Z\",\"metrics\":{\"f1\":0.5}}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(ResultJson.mapper().readTree(answer.body()).path("warnings")).singleElement().satisfies(w -> {
            assertThat(w.path("field").asText()).isEqualTo("run_at");
            assertThat(w.path("message").asText()).startsWith("'1970-01-01T00:00:00Z' (1970-01-01T00:00:00Z) is before "
                    + "2000: it looks like a zero or missing timestamp");
        });
    }

    /** A CSV of benchmon's whose second row's run_at is no date-time. */
    private static final String BAD_RUN_AT_CSV = "model_version,dataset_version,run_at,f1\n"
            + "csv-hint,d,2026-11-01T00:00:00Z,0.5\ncsv-hint,d,yesterday,0.6\n";

    @Test
    void a_refused_csv_import_says_how_to_fix_its_rows_and_columns_not_json_fields() throws IOException {
        String err = importRefused("bad.csv", BAD_RUN_AT_CSV);

        assertThat(err).contains("bad.csv: line 3, column run_at: ", ResultInputs.CSV_ADVICE.strip())
                .doesNotContain("metrics object", "Fix the fields");
    }

    @Test
    void a_refused_csv_push_says_how_to_fix_its_rows_and_columns_not_json_fields() throws IOException {
        // --format csv reads benchmon's CSV whatever the file is called
        PushCommandTest.Run r = run("push", file("bad.txt", BAD_RUN_AT_CSV).toString(), "--format", "csv", "--server",
                server.url());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("bad.txt: line 3, column run_at: ", ResultInputs.CSV_ADVICE.strip())
                .doesNotContain("metrics object", "Fix the fields");
    }

    @Test
    void a_csv_file_pushed_with_format_auto_whose_row_its_reader_refuses_says_how_to_fix_its_rows_and_columns()
            throws IOException {
        // No tool's format recognizes it, so auto reads it as benchmon's CSV by its name; the row refused while reading
        PushCommandTest.Run r = run("push", file("wide-row.csv", "model_version,dataset_version,f1\ncsv-auto,d,0.5\n"
                + "csv-auto,d,0.6,7\n").toString(), "--format", "auto", "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("wide-row.csv: line 3: 4 cells, but the header names 3 columns",
                ResultInputs.CSV_ADVICE.strip()).doesNotContain("metrics object", "Fix the fields");
    }

    @Test
    void a_refused_json_push_still_names_json_fields() throws IOException {
        PushCommandTest.Run r = run("push", file("bad.json", "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                + "\"run_at\":\"yesterday\",\"metrics\":{\"f1\":0.5}}").toString(), "--server", server.url());

        assertThat(r.err()).contains("Fix the fields named above (each result needs model_version, dataset_version and "
                + "a metrics object of numbers)").doesNotContain(ResultInputs.CSV_ADVICE.strip());
    }

    @Test
    void import_of_a_snapshot_export_says_to_export_history_instead_not_to_fix_fields() throws IOException {
        // The trial's snap.csv: the refusal ended "Fix the fields named above (each result needs model_version, ...)".
        String err = importRefused("snap.csv", "model_version,dataset_version,prompt_version,environment,model_provider,"
                + "run_at,run_count,first_seen,last_seen,transaction_id,commit_sha,branch,run_id,acc\n"
                + "snap-m,arc_easy,,local,,2025-12-02T12:53:20.123Z,1,2025-12-02T12:53:20.123Z,2025-12-02T12:53:20.123Z,"
                + "2,,,1,0.7336\n");
        assertThat(err).contains("snap.csv: this is a snapshot export (columns run_count, first_seen, last_seen)",
                        "benchmon export history --raw -o results.csv, then import results.csv")
                .doesNotContain("Fix the fields named above");
    }

    @Test
    void import_names_the_file_and_line_where_a_json_lines_file_breaks_not_the_field_body() throws IOException {
        String err = importRefused("broken.jsonl", "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}\n"
                + "{\"model_version\":\"m\",,}\n");
        assertThat(err).contains("broken.jsonl: line 2: is not valid JSON").doesNotContain("body")
                .doesNotContain("Fix the fields named above");
    }

    @Test
    void import_of_two_results_sharing_a_key_with_different_metrics_is_refused_naming_both_and_stores_nothing()
            throws IOException {
        String line = "{\"model_version\":\"imp-samekey\",\"dataset_version\":\"d1\",\"metrics\":{\"f1\":0.7},"
                + "\"idempotency_key\":\"imp-k\"}\n";
        assertThat(importRefused("samekey.jsonl", line + line.replace("0.7", "0.8")))
                .contains("samekey.jsonl: line 2: result 2, results[1].idempotency_key: result 1 (results[0]) and result 2 "
                        + "(results[1]) share idempotency_key 'imp-k' with different metrics")
                .doesNotContain("already stored");
        assertThat(server.get("/api/v1/history?model=imp-samekey").statusCode()).as("nothing stored").isEqualTo(404);
    }

    /** {@code n} results of one series, each under its own key {@code <prefix>-i}, in the JSON Lines format. */
    private static StringBuilder keyedResults(String model, int n) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < n; i++) {
            lines.append("{\"model_version\":\"").append(model).append("\",\"dataset_version\":\"d1\",\"idempotency_key\":\"")
                    .append(model).append('-').append(i).append("\",\"metrics\":{\"f1\":0.5}}\n");
        }
        return lines;
    }

    /** The import writes chunks of 10,000, each its own transaction: the key's two results are in different chunks. */
    @Test
    void import_refuses_a_key_sent_again_with_other_values_in_a_later_chunk_before_storing_anything() throws IOException {
        StringBuilder lines = keyedResults("imp-farkey", ResultWriter.CHUNK_SIZE + 1);
        lines.append("{\"model_version\":\"imp-farkey\",\"dataset_version\":\"d1\",\"idempotency_key\":\"imp-farkey-0\","
                + "\"metrics\":{\"f1\":0.9}}\n");

        String err = importRefused("farkey.jsonl", lines.toString());

        assertThat(err).contains("farkey.jsonl: line " + (ResultWriter.CHUNK_SIZE + 2) + ": result "
                        + (ResultWriter.CHUNK_SIZE + 2) + ", results[" + (ResultWriter.CHUNK_SIZE + 1) + "].idempotency_key: "
                        + "result 1 (results[0]) and result " + (ResultWriter.CHUNK_SIZE + 2) + " (results["
                        + (ResultWriter.CHUNK_SIZE + 1) + "]) share idempotency_key 'imp-farkey-0' with different metrics")
                .contains("nothing was stored").doesNotContain("are stored");
        assertThat(server.get("/api/v1/history?model=imp-farkey").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void import_stores_once_a_result_sent_again_unchanged_in_a_later_chunk() throws IOException {
        StringBuilder lines = keyedResults("imp-againkey", ResultWriter.CHUNK_SIZE + 1);
        lines.append(lines, 0, lines.indexOf("\n") + 1); // the first result again, as sent

        PushCommandTest.Run r = run("import", file("againkey.jsonl", lines.toString()).toString(), "--db", server.databaseUrl());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains((ResultWriter.CHUNK_SIZE + 2) + " result(s): " + (ResultWriter.CHUNK_SIZE + 1)
                + " stored, 1 already present");
    }

    /** A W&B run's summary of 251 metrics: 248 system metrics beside the three to track. */
    private static String wandbSummary() {
        StringBuilder summary = new StringBuilder("{\"eval\": {\"loss\": 2.46, \"acc\": 0.58}, \"loss\": 2.31, "
                + "\"_step\": 1200, \"_runtime\": 288.5");
        for (int i = 0; i < 248; i++) {
            summary.append(", \"system/gpu.").append(i).append(".temp\": ").append(40 + i % 30);
        }
        return summary.append('}').toString();
    }

    @Test
    void push_of_a_summary_of_more_than_200_metrics_is_refused_naming_the_option_that_selects_them() throws IOException {
        PushCommandTest.Run r = run("push", file("wandb-summary.json", wandbSummary()).toString(), "--format", "wandb",
                "--model-version", "wide-refused", "--dataset-version", "d", "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("result 1, results[0].metrics: holds 251 metrics; a result holds at most 200",
                "--metrics PATTERN[,PATTERN...], e.g. --metrics 'eval/*,loss'");
        assertThat(server.get("/api/v1/history?model=wide-refused").statusCode()).as("nothing sent").isEqualTo(404);
    }

    @Test
    void push_with_metrics_keeps_only_the_matching_metrics_of_a_wide_summary_and_says_how_many_it_left_out()
            throws IOException {
        PushCommandTest.Run r = run("push", file("wandb-summary.json", wandbSummary()).toString(), "--format", "wandb",
                "--model-version", "wide-kept", "--dataset-version", "d", "--metrics", "eval/*,loss", "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: metrics: --metrics 'eval/*,loss' kept 3 of the 251 metrics of 1 result(s); "
                + "248 left out");
        JsonNode row = ResultJson.mapper().readTree(server.get("/api/v1/history?model=wide-kept&format=json").body())
                .at("/rows/0");
        assertThat(row.at("/eval~1loss").asDouble()).isEqualTo(2.46);
        assertThat(row.at("/eval~1acc").asDouble()).isEqualTo(0.58);
        assertThat(row.at("/loss").asDouble()).isEqualTo(2.31);
        assertThat(row.has("system/gpu.0.temp")).isFalse();
    }

    @Test
    void a_summary_imported_again_with_another_metrics_selection_is_never_stored_twice() throws IOException {
        Path summary = file("wandb-summary.json", wandbSummary());
        java.util.function.Function<String, PushCommandTest.Run> importWith = metrics -> run("import", summary.toString(),
                "--format", "wandb", "--model-version", "wide-again", "--dataset-version", "d", "--metrics", metrics,
                "--db", server.databaseUrl());
        assertThat(importWith.apply("eval/*").exitCode()).isZero();

        PushCommandTest.Run fewer = importWith.apply("eval/acc");
        assertThat(fewer.exitCode()).as(fewer.err()).isZero();
        assertThat(fewer.out() + fewer.err()).contains("0 stored", "1 already present");
        PushCommandTest.Run more = importWith.apply("eval/*,loss");
        assertThat(more.exitCode()).as("holds a metric the stored result does not: refused, not stored again").isNotZero();
        assertThat(more.err()).contains("already stored under this idempotency_key");
        JsonNode rows = ResultJson.mapper().readTree(server.get("/api/v1/history?model=wide-again&format=json").body())
                .path("rows");
        assertThat(rows).hasSize(1);
    }

    @Test
    void import_with_metrics_keeps_the_matching_metrics_with_their_stderr_and_refuses_a_result_with_none_of_them()
            throws IOException {
        String kept = "{\"model_version\":\"sel-import\",\"dataset_version\":\"d\",\"metrics\":{\"acc\":0.5,"
                + "\"gpu_temp\":61},\"stderr\":{\"acc\":0.01,\"gpu_temp\":2}}\n";
        PushCommandTest.Run r = run("import", file("sel.jsonl", kept).toString(), "--metrics", "acc",
                "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("--metrics 'acc' kept 1 of the 2 metrics of 1 result(s); 1 left out");
        assertThat(server.get("/api/v1/history?model=sel-import").body()).contains("\"acc\"").doesNotContain("gpu_temp");

        assertThat(importRefused(file("none.jsonl", kept.replace("sel-import", "sel-none")), "--metrics", "loss,eval/*"))
                .contains("result 1, results[0].metrics: none of its 2 metrics matches --metrics 'loss,eval/*' (it holds acc, gpu_temp)");
    }

    /** Line 3 (64 characters) lacks its closing brace; a parser of the whole file would name line 4, where it gives up. */
    private static final String UNCLOSED_THIRD_LINE = "{\"model_version\":\"j1\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}\n"
            + "\n"
            + "{\"model_version\":\"j2\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}\n"
            + "{\"model_version\":\"j3\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}\n";

    @Test
    void import_names_the_line_of_a_json_lines_object_left_unclosed_not_the_next_line() throws IOException {
        assertThat(importRefused("broken.jsonl", UNCLOSED_THIRD_LINE)).contains("broken.jsonl: line 3: is not valid JSON: "
                + "the JSON ends before the object that starts at line 3, column 1 is closed (column 65)")
                .doesNotContain("line 4");
    }

    @Test
    void push_names_the_line_of_a_json_lines_object_left_unclosed_not_the_next_line() throws IOException {
        PushCommandTest.Run r = run("push", file("broken.jsonl", UNCLOSED_THIRD_LINE).toString(), "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("broken.jsonl: line 3: is not valid JSON: "
                + "the JSON ends before the object that starts at line 3, column 1 is closed (column 65)")
                .doesNotContain("line 4");
    }

    /** One object (63 characters) without its closing brace, ended by the line break an editor adds. */
    private static final String UNCLOSED_OBJECT = "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}\n";

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "\r\n\r\n"})
    void push_names_the_line_where_a_cut_short_json_file_ends_not_the_line_after(String after) throws IOException {
        PushCommandTest.Run r = run("push", file("t.json", UNCLOSED_OBJECT.strip() + after).toString(), "--server", server.url());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("t.json: line 1: is not valid JSON: "
                + "the JSON ends before the object that starts at line 1, column 1 is closed (column 64)")
                .doesNotContain("line 2");
    }

    @Test
    void import_names_the_line_where_a_cut_short_json_file_ends_not_the_line_after() throws IOException {
        assertThat(importRefused("t.json", UNCLOSED_OBJECT)).contains("t.json: line 1: is not valid JSON: "
                + "the JSON ends before the object that starts at line 1, column 1 is closed (column 64)")
                .doesNotContain("line 2");
    }

    @Test
    void push_names_the_file_and_line_where_a_json_file_breaks() throws IOException {
        PushCommandTest.Run r = run("push", file("broken.json", "{\"model_version\": \"m\",,}").toString(),
                "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("invalid input, nothing was sent:", "broken.json: line 1: is not valid JSON")
                .doesNotContain("body:");
    }

    @Test
    void a_csv_cell_whose_quote_is_never_closed_is_one_error_naming_the_line_it_starts_on() throws IOException {
        String err = importRefused("unclosed.csv", "model_version,dataset_version,f1\n\"m,d,0.5\n");
        assertThat(err).contains("unclosed.csv: line 2: the quoted cell starting on line 2 is never closed")
                .doesNotContain("control character", "whitespace", "is required", "at least one metric");
    }

    @Test
    void a_csv_metric_beyond_double_range_is_refused_as_too_large_naming_it_as_written() throws IOException {
        assertThat(importRefused("huge.csv", "model_version,dataset_version,f1,a\nm,d,1e400,1\n"))
                .contains("huge.csv: line 2, column f1: must be at most 1e100 in magnitude, got 1e400").doesNotContain("Infinity");
    }

    @Test
    void a_csv_header_with_dataset_version_mistyped_is_refused_naming_the_rename_not_each_row() throws IOException {
        assertThat(importRefused("typo.csv", "model_version,dataset_verison,f1\nm,d,0.9\nm,d,0.8\n"))
                .contains("typo.csv: header: missing column dataset_version (found: model_version, dataset_verison, f1)",
                        "rename 'dataset_verison' to dataset_version")
                .doesNotContain("line 2", "line 3", "is required");
    }

    @Test
    void a_csv_header_naming_dataset_for_dataset_version_is_refused_naming_the_rename() throws IOException {
        assertThat(importRefused("named.csv", "model_version,dataset,f1\nm,d,0.9\n"))
                .contains("named.csv: header: missing column dataset_version", "rename 'dataset' to dataset_version")
                .doesNotContain("line 2");
    }

    @Test
    void a_csv_header_with_model_version_mistyped_names_its_rename() throws IOException {
        assertThat(importRefused("typo.csv", "modle_version,dataset_version,f1\nm,d,0.9\n"))
                .contains("typo.csv: header: missing column model_version (found: modle_version, dataset_version, f1)",
                        "rename 'modle_version' to model_version");
    }

    @Test
    void a_csv_metric_named_near_no_series_column_is_a_metric() throws IOException {
        Path f = file("near.csv", "model_version,dataset_version,dataset_size\nnear-m,d,1200\n");

        PushCommandTest.Run r = run("import", f.toString(), "--db", server.databaseUrl());

        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    @Test
    void a_csv_header_without_model_version_names_the_missing_columns_the_columns_found_and_the_renames() throws IOException {
        assertThat(importRefused("names.csv", "model,dataset,timestamp,accuracy\nm1,d1,2026-11-20T00:00:00Z,0.9\n"))
                .contains("names.csv: header: missing columns model_version, dataset_version "
                        + "(found: model, dataset, timestamp, accuracy)", "rename 'model' to model_version, "
                        + "'dataset' to dataset_version, 'timestamp' to run_at");
    }

    @Test
    void a_semicolon_separated_csv_is_refused_saying_so() throws IOException {
        assertThat(importRefused("semi.csv", "model_version;dataset_version;f1\nsemi,d,\"0,5\"\n"))
                .contains("header: the columns are separated by ';'", "save the file with ',' between columns");
    }

    @Test
    void a_tab_separated_csv_is_refused_saying_so() throws IOException {
        assertThat(importRefused("tab.csv", "model_version\tdataset_version\tf1\nm\td\t0.5\n"))
                .contains("tab.csv: header: the columns are separated by tabs", "save the file as CSV, with ',' between columns")
                .doesNotContain("missing columns");
    }

    @Test
    void a_tab_separated_csv_whose_metric_holds_a_comma_is_refused_saying_so() throws IOException {
        assertThat(importRefused("tab-comma.csv", "model_version\tdataset_version\tacc,none\nm\td\t0.5\n"))
                .contains("header: the columns are separated by tabs").doesNotContain("missing columns");
    }

    @Test
    void push_refuses_a_tab_separated_csv_saying_so_when_flags_give_the_series() throws IOException {
        PushCommandTest.Run r = run("push", file("tab.csv", "dataset_version\tf1\nd\t0.5\n").toString(),
                "--model-version", "tab-flagged", "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("tab.csv: header: the columns are separated by tabs")
                .doesNotContain("no finite metric", "is required");
    }

    @Test
    void push_refuses_a_semicolon_separated_csv_saying_so_when_flags_give_the_series() throws IOException {
        PushCommandTest.Run r = run("push", file("semi.csv", "dataset_version;f1\nd;\"0,5\"\n").toString(),
                "--model-version", "semi-flagged", "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("semi.csv: header: the columns are separated by ';'")
                .doesNotContain("no finite metric", "is required");
    }

    @Test
    void push_format_csv_refuses_a_json_file_saying_how_to_have_it_read_as_json() throws IOException {
        PushCommandTest.Run r = run("push", file("ok.json", "{\"model_version\":\"json-as-csv\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"f1\":0.5}}\n").toString(), "--format", "csv", "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("ok.json: format: this looks like JSON (it starts with '{\"model_version\"",
                "leave --format csv out").doesNotContain("missing column");
    }

    @Test
    void import_refuses_a_csv_that_names_a_column_twice_and_stores_nothing() throws IOException {
        assertThat(importRefused("twice.csv", "model_version,dataset_version,f1,f1\ntwice-col,d,0.5,0.7\n"))
                .contains("twice.csv: header: column 'f1' is named twice (columns 3 and 4)", "nothing was stored");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("twice-col");
    }

    @Test
    void import_refuses_a_csv_that_names_a_field_twice() throws IOException {
        assertThat(importRefused("model.csv", "model_version,dataset_version,model_version,f1\nfirst-model,d,second-model,0.5\n"))
                .contains("header: column 'model_version' is named twice (columns 1 and 3)");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("first-model").doesNotContain("second-model");
    }

    @Test
    void import_refuses_a_csv_with_a_metric_column_and_its_exported_name_for_the_same_metric() throws IOException {
        assertThat(importRefused("alias.csv", "model_version,dataset_version,f1,metric:f1\nalias-col,d,0.5,0.7\n"))
                .contains("header: columns 'f1' (column 3) and 'metric:f1' (column 4) both hold metrics.f1");
    }

    @Test
    void import_refuses_a_csv_row_with_more_cells_than_the_header_naming_its_line_and_stores_nothing() throws IOException {
        // Line 3 holds an unquoted "0,7": every later cell shifts by one.
        assertThat(importRefused("wide.csv", "model_version,dataset_version,f1\nwide-row,d,0.5\nwide-row-2,d,0,7\n"))
                .contains("wide.csv: line 3: 4 cells, but the header names 3 columns");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("wide-row");
    }

    @Test
    void a_wide_row_is_counted_by_its_line_in_the_file_when_a_quoted_cell_spans_lines() throws IOException {
        Path csv = file("lines.csv", "model_version,dataset_version,notes,f1\nspan,d,\"two\nlines\",0.5\nspan,d,x,0.5,9\n");

        PushCommandTest.Run r = run("push", csv.toString(), "--server", server.url());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("lines.csv: line 4: 5 cells, but the header names 4 columns");
    }

    @Test
    void a_trailing_comma_after_the_last_column_loses_nothing_and_imports() throws IOException {
        Path csv = file("trailing.csv", "model_version,dataset_version,f1\ntrailing-comma,d,0.5,\n");

        PushCommandTest.Run r = run("import", csv.toString(), "--db", server.databaseUrl());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 1 result(s): 1 stored");
    }

    /** {@code text} in Latin-1 (ISO-8859-1), as a spreadsheet on an older system saves it: é is the one byte 0xE9. */
    private Path latin1(String name, String text) throws IOException {
        return Files.write(dir.resolve(name), text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    private static final String CAFE = "{\"model_version\":\"latin-%s\",\"dataset_version\":\"d\",\"notes\":\"café\","
            + "\"metrics\":{\"f1\":0.5}}";

    @Test
    void push_of_a_file_that_is_not_utf8_says_so_and_where_and_sends_nothing() throws IOException {
        Path f = latin1("latin1.json", CAFE.formatted("push"));

        PushCommandTest.Run r = run("push", f.toString(), "--server", server.url());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains(f + " is not UTF-8 text (first bad byte at offset 64): save it as UTF-8")
                .doesNotContain("Input length");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("latin-push");
    }

    @Test
    void push_from_stdin_that_is_not_utf8_is_refused_rather_than_stored_with_replacement_characters() {
        byte[] latin1 = CAFE.formatted("stdin").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        PushCommandTest.Run r = PushCommandTest.run(java.util.Map.of(), latin1, "push", "-", "--server", server.url());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("<stdin> is not UTF-8 text (first bad byte at offset 65)");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("latin-stdin");
    }

    @Test
    void import_of_a_file_that_is_not_utf8_names_the_first_bad_byte_far_into_it_and_stores_nothing() throws IOException {
        // 2,000 good lines (past the first 64 KiB read), then one with a Latin-1 é.
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            lines.append("{\"model_version\":\"latin-import\",\"dataset_version\":\"d\",\"run_id\":\"").append(i)
                    .append("\",\"metrics\":{\"f1\":0.5}}\n");
        }
        int offset = lines.length() + CAFE.formatted("import").indexOf('é');
        Path f = latin1("big.jsonl", lines + CAFE.formatted("import") + "\n");

        assertThat(importRefused(f)).contains(f + " is not UTF-8 text (first bad byte at offset " + offset + "): save it as UTF-8");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("latin-import");
    }

    @Test
    void import_of_a_csv_that_is_not_utf8_says_so() throws IOException {
        Path f = latin1("latin1.csv", "model_version,dataset_version,notes,f1\nlatin-csv,d,café,0.5\n");

        assertThat(importRefused(f)).contains(f + " is not UTF-8 text (first bad byte at offset 54)");
    }

    /** {@code text} gzip-compressed, as {@code gzip -c} or a tool writing {@code .jsonl.gz} leaves it. */
    private static byte[] gzipped(String text) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** Two JSON Lines results of model {@code model}. */
    private static String twoLines(String model) {
        return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"run_id\":\"1\",\"metrics\":{\"f1\":0.5}}\n"
                + "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"run_id\":\"2\",\"metrics\":{\"f1\":0.6}}\n";
    }

    @Test
    void import_of_a_gzip_compressed_jsonl_file_reads_it_decompressed() throws IOException {
        Path f = Files.write(dir.resolve("results.jsonl.gz"), gzipped(twoLines("gz-import-file")));

        PushCommandTest.Run r = run("import", f.toString(), "--db", server.databaseUrl());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 2 result(s): 2 stored");
        assertThat(server.get("/api/v1/history?model=gz-import-file").body()).contains("\"row_count\":2");
    }

    @Test
    void import_of_a_gzip_compressed_csv_file_reads_it_as_csv() throws IOException {
        Path f = Files.write(dir.resolve("results.csv.gz"), gzipped("model_version,dataset_version,f1\ngz-csv,d,0.5\n"));

        PushCommandTest.Run r = run("import", f.toString(), "--db", server.databaseUrl());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 1 result(s): 1 stored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"import", "push"})
    void gzip_compressed_stdin_is_read_decompressed(String command) throws IOException {
        String model = "gz-" + command + "-stdin";
        boolean push = command.equals("push");
        PushCommandTest.Run r = PushCommandTest.run(java.util.Map.of(), gzipped(twoLines(model)), command, "-",
                push ? "--server" : "--db", push ? server.url() : server.databaseUrl());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(server.get("/api/v1/history?model=" + model).body()).contains("\"row_count\":2");
    }

    @Test
    void import_of_a_cut_off_gzip_file_says_it_cannot_be_decompressed_and_stores_nothing() throws IOException {
        byte[] whole = gzipped(twoLines("gz-cut"));
        Path f = Files.write(dir.resolve("cut.jsonl.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));

        assertThat(importRefused(f)).contains(f + " starts as a gzip file does, but cannot be decompressed",
                "gzip -t " + f).doesNotContain("UTF-8");
        assertThat(server.get("/api/v1/history?model=gz-cut").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void a_small_gzip_file_holding_a_huge_bad_input_is_refused_in_bounded_memory() throws Exception {
        // 600,000 results (about 60 MB of JSON Lines, 0.5 MB compressed), the last with a metric that is not a number.
        Path f = dir.resolve("huge.jsonl.gz");
        try (var out = new java.io.OutputStreamWriter(new java.util.zip.GZIPOutputStream(Files.newOutputStream(f)),
                StandardCharsets.UTF_8)) {
            for (int i = 0; i < 600_000; i++) {
                out.write("{\"model_version\":\"gz-huge\",\"dataset_version\":\"d\",\"run_id\":\"r" + i
                        + "\",\"metrics\":{\"f1\":" + (i == 599_999 ? "\"high\"" : "0.5") + "}}\n");
            }
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, ChildJvm.C1_ONLY, ChildJvm.SERIAL_GC, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "import", f.toString(), "--db", server.databaseUrl()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(said).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(said).contains("f1").doesNotContain("OutOfMemoryError");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1f8b", "1f8b0867617262616765"})
    void a_gzip_file_whose_header_is_damaged_is_refused_in_words_never_null(String hex) throws IOException {
        Path f = Files.write(dir.resolve("bad-header.jsonl.gz"), java.util.HexFormat.of().parseHex(hex));

        assertThat(importRefused(f)).contains(f + " starts as a gzip file does, but cannot be decompressed (it ends "
                + "part way)").doesNotContain("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"import", "push"})
    void a_damaged_gzip_stream_on_stdin_is_refused_in_words_never_null(String command) {
        boolean push = command.equals("push");
        PushCommandTest.Run r = PushCommandTest.run(java.util.Map.of(), java.util.HexFormat.of().parseHex("1f8b"), command,
                "-", push ? "--server" : "--db", push ? server.url() : server.databaseUrl());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("<stdin> starts as a gzip file does, but cannot be decompressed (it ends part way)")
                .doesNotContain("null");
    }

    /**
     * A file stating span_score's direction, with one result in each of 121 months from 1990: valid, but more months
     * than the database creates in one write, so it refuses the results.
     */
    private Path refusedWithDefinitions() throws IOException {
        StringBuilder body = new StringBuilder("{\"metric_definitions\": {\"span_score\": {\"direction\": \"lower_is_better\"}},"
                + " \"results\": [");
        for (int i = 0; i < 121; i++) {
            body.append(i == 0 ? "" : ",").append("{\"model_version\":\"span\",\"dataset_version\":\"d\",\"run_at\":\"")
                    .append(java.time.LocalDate.of(1990, 1, 15).plusMonths(i)).append("T00:00:00Z\",\"metrics\":{\"span_score\":1}}");
        }
        return file("span.json", body.append("]}").toString());
    }

    /** {@code command} (push or import) of {@link #refusedWithDefinitions} to a fresh database fails and defines nothing. */
    private void assertRefusedDefiningNothing(String command) throws IOException {
        String db = TestServer.freshDatabaseUrlWithCredentials();
        PushCommandTest.Run r = run(command, refusedWithDefinitions().toString(), "--db", db);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("invalid run_at: these results span 121 months", "nothing of it was stored");
        assertThat(r.out()).doesNotContain("defined");
        assertThat(run("metrics", "list", "--db", db).out()).doesNotContain("span_score");
    }

    @Test
    void push_to_a_database_that_refuses_the_results_defines_no_metric() throws IOException {
        assertRefusedDefiningNothing("push");
    }

    @Test
    void import_to_a_database_that_refuses_its_first_chunk_defines_no_metric() throws IOException {
        assertRefusedDefiningNothing("import");
    }

    @Test
    void import_refused_after_its_first_chunk_says_how_many_results_are_stored_and_that_a_rerun_skips_them() throws IOException {
        String db = TestServer.freshDatabaseUrlWithCredentials();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10_000; i++) { // the first chunk: one month
            lines.append("{\"model_version\":\"chunked\",\"dataset_version\":\"d\",\"run_at\":\"2026-01-01T00:00:00Z\",")
                    .append("\"run_id\":\"").append(i).append("\",\"metrics\":{\"f1\":0.5}}\n");
        }
        for (int i = 0; i < 121; i++) { // the second: more new months than one write creates
            lines.append("{\"model_version\":\"chunked\",\"dataset_version\":\"d\",\"run_at\":\"")
                    .append(java.time.LocalDate.of(1990, 1, 15).plusMonths(i)).append("T00:00:00Z\",\"metrics\":{\"f1\":0.5}}\n");
        }

        PushCommandTest.Run r = run("import", file("chunked.jsonl", lines.toString()).toString(), "--db", db);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("invalid run_at: these results span 121 months",
                "the first 10,000 result(s) are stored; the rest is not", "Running the same import again skips what is stored");
        assertThat(JsonLinesExports.results(run("export", "history", "--model", "chunked", "--format", "jsonl", "--limit",
                "20000", "--db", db).out()).lines().count())
                .isEqualTo(10_000);
    }

    /** Three results of {@code model}: run_at with microseconds, with milliseconds (.120) and whole seconds. */
    private Path resultsAtThreePrecisions(String model) throws IOException {
        StringBuilder lines = new StringBuilder();
        String[] runAts = {"2026-03-01T12:00:00.123456Z", "2026-03-01T11:00:00.120Z", "2026-03-01T10:00:00Z"};
        for (int i = 0; i < runAts.length; i++) {
            lines.append("{\"model_version\":\"").append(model).append("\",\"dataset_version\":\"d\",\"run_id\":\"r")
                    .append(i).append("\",\"run_at\":\"").append(runAts[i]).append("\",\"metrics\":{\"acc\":0.5}}\n");
        }
        return file(model + ".jsonl", lines.toString());
    }

    /** A CSV answer's column, by its header's name, top to bottom. */
    private static List<String> column(String csv, String name) {
        com.univocity.parsers.csv.CsvParserSettings settings = new com.univocity.parsers.csv.CsvParserSettings();
        settings.setMaxCharsPerColumn(-1);
        List<String[]> rows = new com.univocity.parsers.csv.CsvParser(settings).parseAll(new java.io.StringReader(csv));
        int at = List.of(rows.get(0)).indexOf(name);
        assertThat(at).as("column %s of %s", name, List.of(rows.get(0))).isNotNegative();
        return rows.subList(1, rows.size()).stream().map(row -> row[at]).toList();
    }

    /** What the database holds in {@code column} for the model's results, oldest run first (a history file's order), as Instant.toString writes it. */
    private static List<String> stored(String column, String table, String model) {
        return server.benchmon().readJdbi().withHandle(h -> h.createQuery("SELECT " + column + " FROM " + table
                        + " WHERE model_version = :m ORDER BY run_at").bind("m", model)
                .mapTo(java.time.OffsetDateTime.class).map(t -> t.toInstant().toString()).list());
    }

    @Test
    void export_writes_run_at_as_instant_to_string_does_at_the_stored_precision_in_json_lines_and_csv_alike()
            throws IOException {
        assertThat(run("push", resultsAtThreePrecisions("times").toString(), "--db", server.databaseUrl()).exitCode())
                .isZero();
        // oldest first, as every history file lists them
        List<String> runAts = List.of("2026-03-01T10:00:00Z", "2026-03-01T11:00:00.120Z", "2026-03-01T12:00:00.123456Z");

        PushCommandTest.Run jsonl = run("export", "history", "--format", "jsonl", "--model", "times", "--db", server.databaseUrl());
        PushCommandTest.Run csv = run("export", "history", "--model", "times", "--db", server.databaseUrl());
        PushCommandTest.Run raw = run("export", "history", "--raw", "--model", "times", "--db", server.databaseUrl());

        List<String> jsonRunAts = new ArrayList<>();
        for (String line : jsonl.out().lines().toList()) {
            jsonRunAts.add(ResultJson.mapper().readTree(line).get("run_at").asText());
        }
        assertThat(jsonRunAts).isEqualTo(runAts);
        assertThat(jsonl.out()).contains("\"run_at\": \"2026-03-01T12:00:00.123456Z\"").doesNotContain("+00:00");
        assertThat(column(csv.out(), "run_at")).isEqualTo(runAts);
        assertThat(column(raw.out(), "run_at")).isEqualTo(runAts);
    }

    @Test
    void a_csv_export_writes_recorded_at_and_a_snapshots_times_at_the_stored_precision() throws IOException {
        assertThat(run("push", resultsAtThreePrecisions("times-csv").toString(), "--db", server.databaseUrl()).exitCode())
                .isZero();

        PushCommandTest.Run history = run("export", "history", "--model", "times-csv", "--db", server.databaseUrl());
        PushCommandTest.Run snapshots = run("export", "snapshots", "--model", "times-csv", "--db", server.databaseUrl());

        assertThat(column(history.out(), "recorded_at")).isEqualTo(stored("recorded_at", "benchmark_transactions", "times-csv"));
        assertThat(column(snapshots.out(), "run_at")).containsExactly("2026-03-01T12:00:00.123456Z");
        assertThat(column(snapshots.out(), "first_seen")).isEqualTo(stored("first_seen", "benchmark_snapshots", "times-csv"));
        assertThat(column(snapshots.out(), "last_seen")).isEqualTo(stored("last_seen", "benchmark_snapshots", "times-csv"));
    }

    @Test
    void export_filters_by_a_stored_model_name_holding_a_comma_and_space_from_a_server_and_from_the_database()
            throws IOException {
        String result = "{\"model_version\":\"bert, small\",\"dataset_version\":\"comma-d\",\"metrics\":{\"f1\":0.5}}";
        assertThat(run("push", file("comma.json", result).toString(), "--server", server.url()).exitCode()).isZero();

        PushCommandTest.Run remote = run("export", "snapshots", "--model", "bert, small", "--server", server.url());
        PushCommandTest.Run local = run("export", "snapshots", "--model", "bert, small", "--db", server.databaseUrl());

        assertThat(remote.exitCode()).as(remote.err()).isZero();
        assertThat(remote.out()).contains("bert, small", "comma-d");
        assertThat(local.exitCode()).as(local.err()).isZero();
        assertThat(local.out()).contains("bert, small", "comma-d");
    }

    @Test
    void export_splits_an_unknown_model_name_at_commas_and_says_a_refusal_once() {
        PushCommandTest.Run r = run("export", "snapshots", "--model", "nobody, else", "--db", server.databaseUrl());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("invalid option '--model': has whitespace at the start or end (' else')");
        assertThat(r.err().split("has whitespace", -1)).as(r.err()).hasSize(2);
    }

    private static final String CSV = "model_version,dataset_version,f1\nstdin-csv,d,0.5\n";

    @Test
    void push_reads_csv_from_standard_input_with_format_csv() {
        PushCommandTest.Run r = PushCommandTest.run(java.util.Map.of(), CSV, "push", "-", "--format", "csv",
                "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(server.get("/api/v1/history?model=stdin-csv").body()).contains("\"row_count\":1");
    }

    @Test
    void push_of_csv_read_as_json_says_to_pass_format_csv() {
        PushCommandTest.Run r = PushCommandTest.run(java.util.Map.of(), CSV.replace("stdin-csv", "stdin-json"), "push", "-",
                "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("<stdin>: format: this looks like CSV (its first line is "
                + "'model_version,dataset_version,f1')", "pass --format csv").doesNotContain("Unrecognized token");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("stdin-json");
    }

    @Test
    void import_reads_csv_from_standard_input_with_format_csv_and_says_to_pass_it_without() {
        String csv = CSV.replace("stdin-csv", "import-csv");
        PushCommandTest.Run without = PushCommandTest.run(java.util.Map.of(), csv, "import", "-", "--db", server.databaseUrl());
        assertThat(without.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(without.err()).contains("this looks like CSV", "pass --format csv");

        PushCommandTest.Run with = PushCommandTest.run(java.util.Map.of(), csv, "import", "-", "--format", "csv",
                "--db", server.databaseUrl());
        assertThat(with.exitCode()).as(with.err()).isZero();
        assertThat(with.out()).contains("imported 1 result(s): 1 stored");
    }

    @Test
    void an_unknown_format_lists_csv_among_the_formats() {
        PushCommandTest.Run r = run("push", "-", "--format", "tsv", "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("invalid --format: unknown format 'tsv' (known: json, csv, ");
    }

    @Test
    void a_push_with_a_5000_character_metric_name_is_refused_quoting_the_name_cut() throws IOException {
        String name = "m".repeat(5000);

        PushCommandTest.Run r = run("push", file("long-metric.json", "{\"model_version\":\"long-name\","
                + "\"dataset_version\":\"d\",\"metrics\":{\"" + name + "\":0.5}}").toString(), "--server", server.url());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("metrics." + "m".repeat(37) + "...: is 5000 characters long; at most 200")
                .doesNotContain("m".repeat(200));
    }

    @Test
    void a_push_with_an_empty_metric_name_names_the_field_readably() throws IOException {
        PushCommandTest.Run r = run("push", file("empty-metric.json", "{\"model_version\":\"empty-name\","
                + "\"dataset_version\":\"d\",\"metrics\":{\"\":0.5}}").toString(), "--server", server.url());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("metrics[\"\"]: must not be empty").doesNotContain("metrics.:");
    }
}
