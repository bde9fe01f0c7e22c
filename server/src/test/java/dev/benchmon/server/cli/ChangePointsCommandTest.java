package dev.benchmon.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code benchmon changepoints FILE}: no database, CSV and JSON Lines; and {@code backtest}'s refused settings. */
class ChangePointsCommandTest {
    @TempDir
    Path dir;

    private Path csv() throws IOException {
        StringBuilder b = new StringBuilder("commit,f1,notes\n");
        java.util.Random rnd = new java.util.Random(11);
        for (int i = 0; i < 60; i++) {
            String value = i == 10 ? "" : i == 20 ? "nan" : String.format(Locale.ROOT, "%.4f", (i < 28 ? 0.90 : 0.85) + 0.005 * rnd.nextGaussian());
            b.append("c").append(i).append(',').append(value).append(",x\n");
        }
        Path p = dir.resolve("f1.csv");
        Files.writeString(p, b.toString());
        return p;
    }

    @Test
    void a_step_in_a_csv_column_is_reported_at_its_first_row_as_json() throws IOException {
        PushCommandTest.Run r = PushCommandTest.run("changepoints", csv().toString(), "--json");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("\"column\":\"f1\"").contains("\"index\":28");
    }

    @Test
    void an_export_written_newest_first_is_searched_oldest_first_on_its_metric_not_its_ids() throws IOException {
        // As `benchmon export history` wrote it before it listed the oldest first: id first, newest run first. f1 fell from 0.90 to 0.80 at the
        // 31st run in time, which is file row 9 (40 runs, newest first).
        StringBuilder b = new StringBuilder("id,run_at,model_version,f1\n");
        java.time.Instant t0 = java.time.Instant.parse("2026-05-01T00:00:00Z");
        for (int i = 39; i >= 0; i--) {
            b.append(1000 + i).append(',').append(t0.plusSeconds(3600L * i)).append(",m,")
                    .append(String.format(Locale.ROOT, "%.4f", (i < 30 ? 0.90 : 0.80) + 0.001 * (i % 3))).append('\n');
        }
        Path p = dir.resolve("export.csv");
        Files.writeString(p, b.toString());

        PushCommandTest.Run r = PushCommandTest.run("changepoints", p.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        // Row 9 alone could not be found in the file: its line, run_at and id can.
        assertThat(r.out()).contains("f1: 40 values, 1 change point(s)")
                .contains("row 9 (line 11, run_at 2026-05-02T06:00:00Z, id 1030): 0.90").contains("(-0.1");
        assertThat(Files.readAllLines(p).get(10)).startsWith("1030,2026-05-02T06:00:00Z,");

        PushCommandTest.Run json = PushCommandTest.run("changepoints", p.toString(), "--json");
        assertThat(json.out()).contains("\"index\":9,\"line\":11,\"run_at\":\"2026-05-02T06:00:00Z\",\"id\":1030,");
    }

    /**
     * An export newest first (as export history wrote it before it listed the oldest first) whose step (0.90 to 0.80 at the 31st run) falls on two runs with the same run_at: the
     * newer one (id 1030, attempt 2) is listed first, at file row 9, so the file's order would put it before the run
     * it followed. With {@code idColumn} the rows carry ids, else only attempts (1, and 2 for the re-run).
     */
    private Path tiedExport(boolean idColumn) throws IOException {
        StringBuilder b = new StringBuilder(idColumn ? "id,run_at,attempt,f1\n" : "run_at,attempt,f1\n");
        java.time.Instant t0 = java.time.Instant.parse("2026-05-01T00:00:00Z");
        for (int i = 39; i >= 0; i--) {
            if (idColumn) {
                b.append(1000 + i).append(',');
            }
            b.append(t0.plusSeconds(3600L * (i == 30 ? 29 : i))).append(',').append(i == 30 ? 2 : 1).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", (i < 30 ? 0.90 : 0.80) + 0.001 * (i % 3))).append('\n');
        }
        return Files.writeString(dir.resolve(idColumn ? "tied-ids.csv" : "tied-attempts.csv"), b.toString());
    }

    @Test
    void runs_of_one_run_at_are_taken_by_id_else_attempt_not_in_the_files_newest_first_order() throws IOException {
        for (boolean ids : new boolean[]{true, false}) {
            PushCommandTest.Run r = PushCommandTest.run("changepoints", tiedExport(ids).toString());

            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).as("ids: " + ids).contains("f1: 40 values, 1 change point(s)")
                    .contains("row 9 (line 11, run_at 2026-05-02T05:00:00Z" + (ids ? ", id 1030" : "") + "): 0.90");
        }
    }

    /** A history export of CI runs, whose run_id (GitHub's) and commit_sha are numbers: only the metric is searched. */
    @Test
    void a_history_export_with_numeric_run_ids_is_searched_on_its_metric_not_its_context() throws IOException {
        String db = dev.benchmon.server.support.TestServer.freshDatabaseUrlWithCredentials();
        StringBuilder runs = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            runs.append(String.format(Locale.ROOT, "{\"model_version\": \"m\", \"dataset_version\": \"d\", "
                    + "\"environment\": \"ci\", \"run_id\": \"%d\", \"commit_sha\": \"%d\", \"branch\": \"7\", "
                    + "\"metrics\": {\"f1\": %.4f}}%n", 9001 + i, 1234567 + i, 0.90 + 0.001 * (i % 3)));
        }
        Path results = Files.writeString(dir.resolve("runs.jsonl"), runs);
        assertThat(PushCommandTest.run("import", results.toString(), "--db", db).exitCode()).isZero();
        Path export = dir.resolve("qa.csv");
        PushCommandTest.Run exported = PushCommandTest.run("export", "history", "--model", "m", "--metric", "f1",
                "-o", export.toString(), "--db", db);
        assertThat(exported.exitCode()).as(exported.err()).isZero();

        PushCommandTest.Run r = PushCommandTest.run("changepoints", export.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("f1: 9 values").doesNotContain("run_id").doesNotContain("commit_sha");
    }

    /**
     * A history export whose notes hold a line break (a quoted cell on two lines), read as import reads CSV: one
     * record, so the rows after it keep their values and a change point its line (where its record starts). Read
     * line by line, the note's second line was a row of its own and the cells after it shifted.
     */
    @Test
    void a_history_export_with_a_note_on_two_lines_keeps_its_rows_and_their_lines() throws IOException {
        String db = dev.benchmon.server.support.TestServer.freshDatabaseUrlWithCredentials();
        StringBuilder runs = new StringBuilder();
        java.time.Instant t0 = java.time.Instant.parse("2026-05-01T00:00:00Z");
        for (int i = 0; i < 40; i++) { // f1 falls from 0.90 to 0.80 at the 31st run; the 6th has a note on two lines
            runs.append(String.format(Locale.ROOT, "{\"model_version\": \"m\", \"dataset_version\": \"d\", "
                    + "\"environment\": \"ci\", \"run_at\": \"%s\", \"metrics\": {\"f1\": %.4f}%s}%n", t0.plusSeconds(3600L * i),
                    (i < 30 ? 0.90 : 0.80) + 0.001 * (i % 3), i == 5 ? ", \"notes\": \"retried, see\\nthe log\"" : ""));
        }
        Path results = Files.writeString(dir.resolve("runs.jsonl"), runs);
        assertThat(PushCommandTest.run("import", results.toString(), "--db", db).exitCode()).isZero();
        Path export = dir.resolve("history.csv");
        PushCommandTest.Run exported = PushCommandTest.run("export", "history", "-o", export.toString(), "--db", db);
        assertThat(exported.exitCode()).as(exported.err()).isZero();
        String text = Files.readString(export);
        assertThat(text).contains("\"retried, see\nthe log\""); // oldest first: the note's run at row 5, the step's at row 30

        PushCommandTest.Run r = PushCommandTest.run("changepoints", export.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        // Line 33: the header, rows 0 to 29 and the note's second line come before it.
        assertThat(r.out()).contains("f1: 40 values, 1 change point(s)").containsPattern("row 30 \\(line 33, run_at "
                + "2026-05-02T06:00:00Z, id \\d+\\): 0.90");
        assertThat(text.lines().toList().get(32)).contains("2026-05-02T06:00:00Z");
    }

    @Test
    void a_file_that_is_not_utf8_is_refused_saying_so() throws IOException {
        Path p = Files.write(dir.resolve("latin1.csv"), "run,café\n1,0.5\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        PushCommandTest.Run r = PushCommandTest.run("changepoints", p.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains(p + " is not UTF-8 text (first bad byte at offset 7): save it as UTF-8");
    }

    @Test
    void json_lines_read_the_named_field() throws IOException {
        StringBuilder b = new StringBuilder("\n"); // a blank first line: line numbers count it, rows do not
        for (int i = 0; i < 40; i++) {
            b.append("{\"metrics\":{\"latency_ms\":").append(i < 25 ? 100 + i % 3 : 140 + i % 3).append("}}\n");
        }
        Path p = dir.resolve("lat.jsonl");
        Files.writeString(p, b.toString());
        PushCommandTest.Run r = PushCommandTest.run("changepoints", p.toString(), "--column", "latency_ms");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("1 change point(s)").contains("row 25 (line 27): ");
    }

    @Test
    void an_unknown_field_of_json_lines_is_invalid_input_naming_the_fields() throws IOException {
        Path p = dir.resolve("named.jsonl");
        Files.writeString(p, "{\"metrics\":{\"f1\":0.8}}\n{\"metrics\":{\"f1\":0.9}}\n");
        PushCommandTest.Run r = PushCommandTest.run("changepoints", p.toString(), "--column", "metrics.f1");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("'metrics.f1' is not a field of any line").contains("[f1]");
    }

    @Test
    void a_bad_sensitivity_names_the_option_without_claiming_nothing_was_stored() throws IOException {
        PushCommandTest.Run r = PushCommandTest.run("changepoints", csv().toString(), "--sensitivity", "banana");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: invalid --sensitivity: must be low, medium, high or a number")
                .doesNotContain("nothing was stored");
    }

    @Test
    void a_bad_backtest_sensitivity_names_the_option_without_claiming_nothing_was_stored() {
        // Refused before it opens a database, so none is needed.
        PushCommandTest.Run r = PushCommandTest.run("backtest", "--sensitivity", "banana");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: invalid --sensitivity: must be low, medium, high or a number")
                .doesNotContain("nothing was stored");
    }

    @Test
    void an_unknown_column_is_invalid_input() throws IOException {
        PushCommandTest.Run r = PushCommandTest.run("changepoints", csv().toString(), "--column", "nope");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("nope");
    }

    @Test
    void a_file_that_does_not_exist_is_named_as_no_such_file() {
        String missing = dir.resolve("missing.csv").toString();
        PushCommandTest.Run r = PushCommandTest.run("changepoints", missing);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: no such file: " + missing + " (").doesNotContain("cannot read");
    }

    @Test
    void a_first_column_that_numbers_the_runs_is_not_the_default_series() throws IOException {
        StringBuilder b = new StringBuilder("run,f1\n");
        for (int i = 1; i <= 40; i++) {
            b.append(i).append(',').append(String.format(Locale.ROOT, "%.3f", (i <= 25 ? 0.90 : 0.80) + 0.001 * (i % 3)))
                    .append('\n');
        }
        PushCommandTest.Run r = PushCommandTest.run("changepoints", Files.writeString(dir.resolve("runs.csv"),
                b.toString()).toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("f1: 40 values, 1 change point(s)", "row 25 (line 27): 0.90");
    }

    /** One line of a benchmon export: {@code model} on dataset d with the metrics given as JSON members. */
    private static String exported(String model, String metrics) {
        return "{\"run_at\": \"2026-05-01T00:00:00Z\", \"metrics\": {" + metrics + "}, \"model_version\": \"" + model
                + "\", \"dataset_version\": \"d\", \"environment\": \"ci\"}\n";
    }

    @Test
    void json_lines_of_several_series_are_refused_naming_them() throws IOException {
        Path p = Files.writeString(dir.resolve("mixed.jsonl"), exported("a", "\"f1\": 0.5") + exported("b", "\"f1\": 0.9"));

        PushCommandTest.Run r = PushCommandTest.run("changepoints", p.toString(), "--column", "f1");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("file: holds 2 series (a / d @ci; b / d @ci)",
                "export one series (benchmon export history --model M --dataset D --environment E)");
    }

    @Test
    void json_lines_with_several_metrics_need_column_naming_them() throws IOException {
        Path p = Files.writeString(dir.resolve("two.jsonl"), exported("a", "\"f1\": 0.5, \"acc\": 0.7")
                + exported("a", "\"f1\": 0.6, \"acc\": 0.7"));

        PushCommandTest.Run without = PushCommandTest.run("changepoints", p.toString());
        PushCommandTest.Run with = PushCommandTest.run("changepoints", p.toString(), "--column", "acc");

        assertThat(without.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(without.err()).contains("column: the lines hold 2 metrics [acc, f1]; name the one to search with --column");
        assertThat(with.exitCode()).as(with.err()).isZero();
        assertThat(with.out()).contains("acc: 2 values");
    }
}
