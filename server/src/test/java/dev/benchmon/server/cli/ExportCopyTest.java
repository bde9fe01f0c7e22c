package dev.benchmon.server.cli;

import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.ArrayList;
import java.util.List;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Copying results with export and import as a user does: what each export carries, and what import makes of it. */
class ExportCopyTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static long stored(String db) {
        PushCommandTest.Run r = run("export", "history", "--format", "jsonl", "--limit", "100000", "--db", db);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JsonLinesExports.results(r.out()).lines().count();
    }

    @Test
    void import_refuses_a_snapshot_export_naming_it_and_stores_nothing() throws IOException {
        String lines = "{\"model_version\":\"snap-a\",\"dataset_version\":\"d\",\"run_at\":\"2026-01-01T00:00:00Z\","
                + "\"metrics\":{\"f1\":0.5},\"triggered_by\":\"me\"}\n"
                + "{\"model_version\":\"snap-b\",\"dataset_version\":\"d\",\"run_at\":\"2026-01-01T00:00:00Z\","
                + "\"metrics\":{\"f1\":0.6}}\n";
        String db = TestServer.freshDatabaseUrlWithCredentials();
        assertThat(run("import", file("r.jsonl", lines).toString(), "--db", db).exitCode()).isZero();
        Path snapshots = dir.resolve("s.csv");
        assertThat(run("export", "snapshots", "-o", snapshots.toString(), "--db", db).exitCode()).isZero();

        PushCommandTest.Run r = run("import", snapshots.toString(), "--db", db);

        assertThat(r.exitCode()).as(r.out()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("this is a snapshot export (columns run_count, first_seen, last_seen)",
                "export history --raw (or --format jsonl) to copy results");
        assertThat(stored(db)).isEqualTo(2);
    }

    @Test
    void a_json_lines_copy_keeps_the_order_of_two_runs_of_one_series_at_the_same_run_at() throws IOException {
        // Two runs of one series at one time (a tool that writes whole seconds, two jobs in one second)
        String at = "\"model_version\":\"tie-m\",\"dataset_version\":\"d\",\"run_at\":\"2026-01-01T00:00:00Z\"";
        String db = TestServer.freshDatabaseUrlWithCredentials();
        Path results = file("tie.jsonl", "{" + at + ",\"run_id\":\"first\",\"metrics\":{\"f1\":0.1}}\n"
                + "{" + at + ",\"run_id\":\"second\",\"metrics\":{\"f1\":0.2}}\n");
        assertThat(run("import", results.toString(), "--db", db).exitCode()).isZero();
        Path copy = dir.resolve("tie-copy.jsonl");
        assertThat(run("export", "history", "--format", "jsonl", "-o", copy.toString(), "--db", db).exitCode()).isZero();
        String fresh = TestServer.freshDatabaseUrlWithCredentials();

        PushCommandTest.Run imported = run("import", copy.toString(), "--db", fresh);
        PushCommandTest.Run again = run("export", "history", "--format", "jsonl", "--db", fresh);

        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo(Files.readString(copy));
        // and the copy's current snapshot is the original's: of two runs at one time, the one stored last
        PushCommandTest.Run snapshot = run("export", "snapshots", "--format", "jsonl", "--db", fresh);
        assertThat(snapshot.out()).contains("\"run_id\": \"second\"").doesNotContain("\"run_id\": \"first\"");
    }

    /** Three runs of {@code model} an hour apart from 2026-01-01T00:00:00Z, without commits, as JSON Lines in time order. */
    private static String hourlyRuns(String model) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            b.append("{\"model_version\":\"").append(model).append("\",\"dataset_version\":\"d\",\"environment\":\"ci\",")
                    .append("\"run_at\":\"2026-01-01T0").append(i).append(":00:00Z\",\"metrics\":{\"f1\":0.9}}\n");
        }
        return b.toString();
    }

    /** The run_at of each result of a history export, in the file's order: JSON Lines, or CSV (its second column). */
    private static List<String> runAts(String export) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"run_at\": ?\"([^\"]+)\"").matcher(
                JsonLinesExports.results(export));
        while (m.find()) {
            out.add(m.group(1));
        }
        if (out.isEmpty()) { // CSV: id,run_at,...
            export.lines().skip(1).forEach(l -> out.add(l.split(",")[1]));
        }
        return out;
    }

    /**
     * A copy made by export then import numbers its runs as the original does, in the order of their run_at: a history
     * export lists its results oldest first (still the newest --limit of them), and import stores a file in its order.
     * Written newest first, the copy's ids ran backwards in time (a range of runs without commits read id 18..id 17).
     */
    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "csv"})
    void a_copy_numbers_its_runs_in_the_order_of_their_run_at(String format) throws IOException {
        String db = TestServer.freshDatabaseUrlWithCredentials();
        assertThat(run("import", file("runs.jsonl", hourlyRuns("order-m")).toString(), "--db", db).exitCode()).isZero();
        Path copy = dir.resolve("copy." + format);
        List<String> exportArgs = new ArrayList<>(List.of("export", "history", "-o", copy.toString(), "--db", db));
        exportArgs.addAll(format.equals("csv") ? List.of("--raw") : List.of("--format", "jsonl"));
        PushCommandTest.Run exported = run(exportArgs.toArray(String[]::new));
        assertThat(exported.exitCode()).as(exported.err()).isZero();
        String fresh = TestServer.freshDatabaseUrlWithCredentials();

        PushCommandTest.Run imported = run("import", copy.toString(), "--db", fresh);
        PushCommandTest.Run copied = run("export", "history", "--raw", "--db", fresh);
        PushCommandTest.Run newest = run("export", "history", "--limit", "2", "--format", format, "--db", db);

        assertThat(runAts(Files.readString(copy))).containsExactly("2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z",
                "2026-01-01T02:00:00Z");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        // The copy's rows (id, run_at), in id order: its ids follow the runs' time, as the original's do.
        List<String> byId = copied.out().lines().skip(1).map(l -> l.split(",")).sorted(java.util.Comparator.comparingLong(
                c -> Long.parseLong(c[0]))).map(c -> c[1]).toList();
        assertThat(byId).containsExactly("2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z");
        assertThat(runAts(copied.out())).isEqualTo(byId);
        // A limit keeps the newest results, listed oldest first.
        assertThat(runAts(newest.out())).containsExactly("2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z");
    }

    /** From a server, whose history files (format=csv, format=jsonl) the export copies: oldest first, as from a database. */
    @ParameterizedTest
    @ValueSource(strings = {"jsonl", "csv"})
    void a_history_export_from_a_server_lists_its_results_oldest_first(String format) throws IOException {
        String model = "order-server-" + format;
        assertThat(run("push", file("runs.jsonl", hourlyRuns(model)).toString(), "--server", server.url()).exitCode()).isZero();

        PushCommandTest.Run r = run("export", "history", "--model", model, "--format", format, "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(runAts(r.out())).containsExactly("2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z");
    }

    @Test
    void push_refuses_the_dashboards_snapshot_csv_as_is_and_with_its_columns_renamed_and_stores_nothing()
            throws IOException {
        String lines = "{\"model_version\":\"dash-snap\",\"dataset_version\":\"d\",\"environment\":\"ci\","
                + "\"run_at\":\"2026-01-01T00:00:00Z\",\"metrics\":{\"f1\":0.5}}\n";
        assertThat(run("push", file("r.jsonl", lines).toString(), "--server", server.url()).exitCode()).isZero();
        var csv = server.get("/snapshot.csv?range=all&model=dash-snap"); // the dashboard's "Download CSV"
        assertThat(csv.body()).startsWith("Model,Dataset,");
        // The advice the missing model_version column gave: rename Model (and Dataset) to the fields.
        String renamed = csv.body().replaceFirst("Model,Dataset,", "model_version,dataset_version,");

        for (Path f : List.of(file("s.csv", csv.body()), file("renamed.csv", renamed))) {
            PushCommandTest.Run r = run("push", f.toString(), "--server", server.url());

            assertThat(r.exitCode()).as(r.out()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).contains("this is the dashboard's snapshot CSV (columns Last run (UTC), Runs)",
                    "export history --raw (or --format jsonl) to copy results").doesNotContain("to model_version");
        }
        assertThat(dev.benchmon.ingest.ResultJson.mapper().readTree(server.get("/api/v1/history?model=dash-snap").body())
                .path("rows")).hasSize(1);
    }

    /** A result of {@code model} on dataset qa with items q0..q9: 1 where {@code right} says so, with a slice on q0. */
    private static String withExamples(String model, String right) {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < right.length(); i++) {
            items.append(i == 0 ? "" : ",").append("{\"id\":\"q").append(i).append("\",\"score\":")
                    .append(right.charAt(i)).append(i == 0 ? ",\"slice\":{\"topic\":\"t\"}}" : "}");
        }
        return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"qa\",\"run_at\":\"2026-01-01T00:00:00Z\","
                + "\"metrics\":{\"accuracy\":" + right.chars().filter(c -> c == '1').count() / 10.0 + "},"
                + "\"examples\":[" + items + "]}\n";
    }

    /** {@code benchmon compare A B --json} on {@code db}: the summary rows and flipped items (ids differ between databases). */
    private static String pairedComparison(String db) throws IOException {
        PushCommandTest.Run r = run("compare", "ex-a", "ex-b", "--json", "--db", db);
        assertThat(r.exitCode()).as(r.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode c = dev.benchmon.ingest.ResultJson.mapper().readTree(r.out());
        return c.path("rows") + "\n" + c.path("flips") + "\n" + c.path("slices");
    }

    @Test
    void a_json_lines_export_carries_the_examples_so_a_copy_compares_item_by_item_as_the_original() throws IOException {
        String db = TestServer.freshDatabaseUrlWithCredentials();
        Path results = file("ex.jsonl", withExamples("ex-a", "1100110011") + withExamples("ex-b", "1111111011"));
        assertThat(run("import", results.toString(), "--db", db).exitCode()).isZero();
        String original = pairedComparison(db);
        assertThat(original).contains("paired_bootstrap+mcnemar_exact");
        Path copy = dir.resolve("copy.jsonl");

        PushCommandTest.Run export = run("export", "history", "--format", "jsonl", "-o", copy.toString(), "--db", db);
        String fresh = TestServer.freshDatabaseUrlWithCredentials();
        PushCommandTest.Run imported = run("import", copy.toString(), "--db", fresh);

        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(Files.readString(copy)).contains("\"examples\": [{\"id\": \"q0\", \"score\": 1, \"slice\": "
                + "{\"topic\": \"t\"}}, {\"id\": \"q1\", \"score\": 1}, {\"id\": \"q2\", \"score\": 0}");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(pairedComparison(fresh)).isEqualTo(original);
        assertThat(run("import", copy.toString(), "--db", db).out()).contains("2 already present");
    }

    @Test
    void a_copy_made_by_csv_is_completed_with_its_examples_by_importing_a_json_lines_export() throws IOException {
        String db = TestServer.freshDatabaseUrlWithCredentials();
        Path results = file("ex.jsonl", withExamples("ex-a", "1100110011") + withExamples("ex-b", "1111111011"));
        assertThat(run("import", results.toString(), "--db", db).exitCode()).isZero();
        Path csv = dir.resolve("copy.csv");
        Path lines = dir.resolve("copy.jsonl");
        assertThat(run("export", "history", "--raw", "-o", csv.toString(), "--db", db).exitCode()).isZero();
        assertThat(run("export", "history", "--format", "jsonl", "-o", lines.toString(), "--db", db).exitCode()).isZero();
        String copy = TestServer.freshDatabaseUrlWithCredentials();
        assertThat(run("import", csv.toString(), "--db", copy).out()).contains("2 stored");

        PushCommandTest.Run completed = run("import", lines.toString(), "--db", copy);

        assertThat(completed.exitCode()).as(completed.err()).isZero();
        assertThat(completed.out()).contains("2 already present");
        assertThat(stored(copy)).isEqualTo(2);
        assertThat(pairedComparison(copy)).isEqualTo(pairedComparison(db));
    }

    @Test
    void a_csv_export_says_how_many_results_lose_their_examples_and_how_to_keep_them() throws IOException {
        String db = TestServer.freshDatabaseUrlWithCredentials();
        String plain = "{\"model_version\":\"no-ex\",\"dataset_version\":\"qa\",\"metrics\":{\"accuracy\":0.5}}\n";
        assertThat(run("import", file("ex.jsonl", withExamples("ex-a", "10") + plain).toString(), "--db", db).exitCode())
                .isZero();

        PushCommandTest.Run csv = run("export", "history", "--raw", "--db", db);
        PushCommandTest.Run withoutExamples = run("export", "history", "--raw", "--model", "no-ex", "--db", db);
        PushCommandTest.Run forASpreadsheet = run("export", "history", "--db", db); // no copy: nothing to note

        assertThat(csv.exitCode()).as(csv.err()).isZero();
        assertThat(csv.err()).contains("note: 1 of these result(s) carry per-example outcomes (examples), which CSV has "
                + "no column for: export --format jsonl to copy them with their examples");
        assertThat(withoutExamples.err()).doesNotContain("examples");
        assertThat(forASpreadsheet.exitCode()).isZero();
        assertThat(forASpreadsheet.err()).doesNotContain("examples");
    }

    /**
     * The note counts the rows the export wrote, as it wrote them: a newer result with examples stored once the export
     * has written its one row (--limit 1) is neither written nor counted (a second read of the history for the count
     * counted it: that read's newest result was the new one).
     */
    @Test
    void a_raw_csv_export_notes_the_examples_of_the_rows_it_wrote_not_of_a_result_stored_meanwhile() throws IOException {
        String db = TestServer.freshDatabaseUrlWithCredentials();
        String plain = "{\"model_version\":\"no-ex\",\"dataset_version\":\"qa\",\"run_at\":\"2026-01-01T00:00:00Z\","
                + "\"metrics\":{\"accuracy\":0.5}}\n";
        assertThat(run("import", file("plain.jsonl", plain).toString(), "--db", db).exitCode()).isZero();
        Path newer = file("newer.jsonl", withExamples("ex-a", "10").replace("2026-01-01", "2026-02-01"));
        StringWriter out = new StringWriter();
        AtomicBoolean storedMeanwhile = new AtomicBoolean();
        Writer storingOnFirstWrite = new Writer() { // standard output that stores the newer result at its first text
            @Override
            public void write(char[] chars, int offset, int length) {
                out.write(chars, offset, length);
                if (length > 0 && storedMeanwhile.compareAndSet(false, true)) {
                    assertThat(run("import", newer.toString(), "--db", db).exitCode()).isZero();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(storingOnFirstWrite, true));
        cl.setErr(new PrintWriter(err, true));

        int code = cl.execute("export", "history", "--raw", "--limit", "1", "--db", db);

        assertThat(code).as(err.toString()).isZero();
        assertThat(storedMeanwhile).isTrue();
        assertThat(out.toString()).contains("no-ex").doesNotContain("ex-a");
        assertThat(err.toString()).doesNotContain("examples");
        assertThat(run("export", "history", "--raw", "--limit", "1", "--db", db).err())
                .contains("note: 1 of these result(s) carry per-example outcomes");
    }

    /** The current results (latest attempts) of {@code model} in {@code db}, oldest first, as the export lists them: {@code run_id attempt f1}. */
    private static List<String> current(String db, String model) {
        PushCommandTest.Run r = run("export", "history", "--model", model, "--db", db);
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> rows = r.out().lines().toList();
        List<String> header = List.of(rows.get(0).split(","));
        return rows.stream().skip(1).map(row -> List.of(row.split(",", -1))).map(cells -> cells.get(header.indexOf("run_id"))
                + " " + cells.get(header.indexOf("attempt")) + " " + cells.get(header.indexOf("f1"))).toList();
    }

    /**
     * A CI run sent without run_at, then re-run (attempt 2 replaces attempt 1, each stored at its own time), copied by
     * an export taken before the re-run and an incremental one after it ({@code --since}), in each export format: in
     * the copy the re-run still replaces the first attempt, as in the original (each export keyed the run with the
     * run_at it holds, so the copy showed both as runs of their own), and importing the exports again stores nothing.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jsonl", "raw-csv", "server-csv"})
    void a_ci_re_run_of_a_run_sent_without_run_at_still_replaces_its_first_attempt_in_a_copy(String format)
            throws IOException {
        String model = "rerun-copy-" + format;
        boolean fromServer = format.startsWith("server");
        String db = fromServer ? server.databaseUrl() : TestServer.freshDatabaseUrlWithCredentials();
        String attempt = "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"environment\":\"ci\","
                + "\"run_id\":\"9001\",\"metrics\":{\"f1\":%s}}\n";
        String runAtSent = "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"environment\":\"ci\","
                + "\"run_id\":\"9000\",\"run_at\":\"2026-11-01T00:00:00Z\",\"metrics\":{\"f1\":0.7}}\n";
        assertThat(run("import", file("try1.jsonl", runAtSent + String.format(attempt, "0.8")).toString(), "--db", db)
                .exitCode()).isZero();
        Path before = export(format, db, model, "before");
        String since = java.time.Instant.now().toString();
        assertThat(run("import", file("try2.jsonl", String.format(attempt, "0.82")).toString(), "--db", db)
                .exitCode()).isZero();
        Path after = export(format, db, model, "after", "--since", since);
        assertThat(current(db, model)).containsExactly("9000 1 0.7", "9001 2 0.82");
        String copy = TestServer.freshDatabaseUrlWithCredentials();

        PushCommandTest.Run first = run("import", before.toString(), "--db", copy);
        PushCommandTest.Run second = run("import", after.toString(), "--db", copy);

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(current(copy, model)).containsExactly("9000 1 0.7", "9001 2 0.82");
        assertThat(Files.readString(before)).contains(format.equals("jsonl") ? "\"run_at_sent\": false" : ",false");
        assertThat(run("import", before.toString(), "--db", copy).out()).contains("0 stored, 2 already present");
        assertThat(run("import", after.toString(), "--db", copy).out()).contains("0 stored, 1 already present");
        assertThat(run("import", after.toString(), "--db", db).out()).contains("0 stored, 1 already present");
        assertThat(current(copy, model)).containsExactly("9000 1 0.7", "9001 2 0.82");
    }

    /**
     * Two attempts of one CI run sent without run_at, copied by exports taken at different times and imported in one
     * delivery: they are one run, so which is the later attempt cannot be told from the delivery and nothing is stored
     * (imported one export at a time, the older first, they keep their order, as above).
     */
    @Test
    void the_attempts_of_one_run_from_two_exports_imported_together_are_refused_as_one_run() throws IOException {
        String db = TestServer.freshDatabaseUrlWithCredentials();
        String attempt = "{\"model_version\":\"rerun-together\",\"dataset_version\":\"d\",\"environment\":\"ci\","
                + "\"run_id\":\"9001\",\"metrics\":{\"f1\":%s}}\n";
        assertThat(run("import", file("try1.jsonl", String.format(attempt, "0.8")).toString(), "--db", db).exitCode())
                .isZero();
        Path before = export("jsonl", db, "rerun-together", "before");
        assertThat(run("import", file("try2.jsonl", String.format(attempt, "0.82")).toString(), "--db", db).exitCode())
                .isZero();
        Path after = export("jsonl", db, "rerun-together", "after");
        String copy = TestServer.freshDatabaseUrlWithCredentials();

        PushCommandTest.Run both = run("import", before.toString(), after.toString(), "--db", copy);

        assertThat(both.exitCode()).as(both.out()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(both.err()).contains("are two different results of one run (rerun-together / d @ci, run_id 9001)",
                "import each export on its own, the older first");
        assertThat(run("import", before.toString(), "--db", copy).out()).contains("1 stored, 0 already present");
        assertThat(run("import", after.toString(), "--db", copy).out()).contains("1 stored, 0 already present");
        assertThat(current(copy, "rerun-together")).containsExactly("9001 2 0.82");
    }

    /** {@code model}'s history exported from {@code db} (or the server, for {@code server-csv}) to a new file. */
    private Path export(String format, String db, String model, String name, String... more) {
        Path to = dir.resolve(name + "." + (format.equals("jsonl") ? "jsonl" : "csv"));
        List<String> args = new ArrayList<>(List.of("export", "history", "--model", model, "-o", to.toString()));
        args.addAll(switch (format) {
            case "jsonl" -> List.of("--format", "jsonl", "--db", db);
            case "raw-csv" -> List.of("--raw", "--db", db);
            default -> List.of("--server", server.url());
        });
        args.addAll(List.of(more));
        PushCommandTest.Run r = run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return to;
    }

    /**
     * From a server, {@code export --format jsonl} is the exact route: a name a spreadsheet would run as a formula
     * comes back as stored (the server's CSV guards it with a ', which import drops), with its examples.
     */
    @Test
    void a_json_lines_export_from_a_server_keeps_names_exactly_and_imports_back() throws IOException {
        String formula = "=HYPERLINK(\"http://x\")";
        String result = withExamples("x", "10").replace("\"x\"", "\"=HYPERLINK(\\\"http://x\\\")\"");
        assertThat(run("push", file("f.json", result).toString(), "--server", server.url()).exitCode()).isZero();
        Path copy = dir.resolve("x.jsonl");

        PushCommandTest.Run export = run("export", "history", "--server", server.url(), "--model", formula,
                "--format", "jsonl", "-o", copy.toString());
        String fresh = TestServer.freshDatabaseUrlWithCredentials();
        PushCommandTest.Run imported = run("import", copy.toString(), "--db", fresh);

        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.err()).contains("wrote 1 result(s) to " + copy);
        assertThat(Files.readString(copy)).isEqualTo(run("export", "history", "--format", "jsonl", "--model", formula,
                "--db", server.databaseUrl()).out()).contains("\"examples\": [");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(run("export", "history", "--format", "jsonl", "--db", fresh).out())
                .contains("\"model_version\": \"=HYPERLINK(\\\"http://x\\\")\"");
    }

    /**
     * Names a spreadsheet would run as a formula, and one with a ' of its own before such a character: the default
     * CSV export guards them with a ' (from the database and from a server), --raw writes them as stored, and import
     * reads every one back as it was stored. Import kept the guard: the copy's model was '=SUM(1,2) under the
     * original's idempotency key.
     */
    @Test
    void every_csv_export_imports_back_with_the_names_as_stored_the_formula_guard_dropped() throws IOException {
        String results = "{\"model_version\":\"=SUM(1,2)\",\"dataset_version\":\"-neg-set\",\"prompt_version\":\"@p\","
                + "\"run_at\":\"2026-01-01T00:00:00Z\",\"metrics\":{\"-loss\":1.5,\"f1\":0.3},\"tags\":{\"+k\":\"-v\"},"
                + "\"notes\":\"=1+1\"}\n"
                + "{\"model_version\":\"'=own-quote\",\"dataset_version\":\"'plain\",\"run_at\":\"2026-01-02T00:00:00Z\","
                + "\"metrics\":{\"''-loss\":2.5}}\n";
        String source = TestServer.freshDatabaseUrlWithCredentials();
        assertThat(run("import", file("formulas.jsonl", results).toString(), "--db", source).exitCode()).isZero();
        String original = run("export", "history", "--format", "jsonl", "--db", source).out();
        assertThat(original).contains("\"model_version\": \"=SUM(1,2)\"", "\"'=own-quote\"", "\"''-loss\"");
        for (List<String> export : List.of(List.of("--db", source), List.of("--db", source, "--raw"))) {
            Path csv = dir.resolve("formulas" + export.size() + ".csv");
            List<String> args = new ArrayList<>(List.of("export", "history", "-o", csv.toString()));
            args.addAll(export);
            PushCommandTest.Run exported = run(args.toArray(String[]::new));
            assertThat(exported.exitCode()).as(exported.err()).isZero();
            assertThat(Files.readString(csv)).as(export.toString())
                    .contains(export.contains("--raw") ? "\"=SUM(1,2)\"" : "\"'=SUM(1,2)\"", "''=own-quote");
            String copy = TestServer.freshDatabaseUrlWithCredentials();

            PushCommandTest.Run imported = run("import", csv.toString(), "--db", copy);

            assertThat(imported.exitCode()).as(imported.err()).isZero();
            assertThat(run("export", "history", "--format", "jsonl", "--db", copy).out()).as(export.toString())
                    .isEqualTo(original);
        }
    }

    @Test
    void a_server_csv_export_imports_back_with_the_names_as_stored() throws IOException {
        String result = "{\"model_version\":\"=SRV(1,2)\",\"dataset_version\":\"-neg-set\",\"prompt_version\":\"@p\","
                + "\"run_at\":\"2026-01-01T00:00:00Z\",\"metrics\":{\"-loss\":1.5}}";
        assertThat(run("push", file("srv.json", result).toString(), "--server", server.url()).exitCode()).isZero();
        Path csv = dir.resolve("srv.csv");
        PushCommandTest.Run exported = run("export", "history", "--server", server.url(), "--model", "=SRV(1,2)",
                "-o", csv.toString());
        assertThat(exported.exitCode()).as(exported.err()).isZero();
        assertThat(Files.readString(csv)).contains("\"'=SRV(1,2)\"", "'-neg-set", "'@p", "'-loss");
        String copy = TestServer.freshDatabaseUrlWithCredentials();

        PushCommandTest.Run imported = run("import", csv.toString(), "--db", copy);

        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(run("export", "history", "--format", "jsonl", "--db", copy).out()).isEqualTo(run("export", "history",
                "--format", "jsonl", "--model", "=SRV(1,2)", "--db", server.databaseUrl()).out());
    }

    @Test
    void a_json_lines_export_refuses_an_answer_that_is_no_json_lines_and_counts_nothing() throws IOException {
        // A sign-in page or a proxy's page answered 200 where the server should be.
        com.sun.net.httpserver.HttpServer page = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        page.createContext("/", exchange -> {
            byte[] html = "<html>\n<body>Sign in</body>\n</html>\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        page.start();
        try {
            PushCommandTest.Run r = run("export", "history", "--format", "jsonl", "--server",
                    "http://127.0.0.1:" + page.getAddress().getPort() + "/");

            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).contains("the server's answer is not JSON Lines (line 1 does not start with '{')")
                    .doesNotContain("wrote");
            assertThat(r.out()).doesNotContain("<html>");
        } finally {
            page.stop(0);
        }
    }

    @Test
    void raw_with_a_server_is_refused_pointing_to_json_lines() {
        PushCommandTest.Run r = run("export", "history", "--raw", "--server", server.url());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("drop --raw, or export --format jsonl from the server for names exactly as stored");
    }

    @Test
    void the_history_api_answers_json_lines_and_names_jsonl_among_its_formats() {
        var lines = server.get("/api/v1/history?format=jsonl&model=nothing-stored-yet-here");
        var bad = server.get("/api/v1/history?format=xml");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("unknown format 'xml' (allowed: json, csv, jsonl)");
        assertThat(lines.statusCode()).as(lines.body()).isEqualTo(404);
        assertThat(server.get("/api/v1/snapshots?format=jsonl").headers().firstValue("Content-Type").orElse(""))
                .startsWith("application/x-ndjson");
    }
}
