package dev.benchmon.server.cli;

import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A copy made through CSV ({@code export history -o h.csv}, then {@code import h.csv}) has no place for the metrics'
 * definitions: both commands say so, naming the metrics, and what keeps them ({@code --format jsonl}) or defines them
 * ({@code benchmon metrics define}). A pytest-benchmark {@code mean} (seconds, lower is better) copied without its
 * definition is {@code unknown}, and a slower run no longer a regression.
 */
class CsvCopyDefinitionsTest {
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

    private static PushCommandTest.Run ok(PushCommandTest.Run r) {
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        return r;
    }

    /** The original: {@code mean} defined (lower is better, seconds), five runs of it and of {@code accuracy}. */
    private void original() throws IOException {
        String db = original.databaseUrl();
        ok(run("metrics", "define", "mean", "--direction", "lower_is_better", "--unit", "s", "--db", db));
        StringBuilder lines = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            lines.append("{\"model_version\":\"bench-m\",\"dataset_version\":\"bench-d\",\"run_id\":\"r").append(i)
                    .append("\",\"run_at\":\"2026-11-0").append(i).append("T02:00:00Z\",\"metrics\":{\"mean\":0.000")
                    .append(110 + i).append(",\"accuracy\":0.9}}\n");
        }
        Path p = dir.resolve("runs.jsonl");
        Files.writeString(p, lines);
        ok(run("import", p.toString(), "--db", db));
    }

    @Test
    void a_csv_history_export_of_defined_metrics_warns_that_their_definitions_are_left_out_and_names_jsonl()
            throws IOException {
        original();
        Path csv = dir.resolve("h.csv");

        PushCommandTest.Run exported = ok(run("export", "history", "--limit", "100000", "-o", csv.toString(),
                "--db", original.databaseUrl()));
        PushCommandTest.Run fromServer = ok(run("export", "history", "-o", dir.resolve("s.csv").toString(),
                "--server", original.url()));

        for (PushCommandTest.Run r : new PushCommandTest.Run[] {exported, fromServer}) {
            assertThat(r.err()).contains("wrote 5 row(s)", "warning: CSV has no place for metric definitions: the "
                    + "definition (direction, unit, min_effect) of 'mean' is not in this file", "Export --format "
                    + "jsonl to copy the results with their definitions").doesNotContain("'accuracy'");
        }
        assertThat(ok(run("export", "history", "--format", "jsonl", "-o", dir.resolve("h.jsonl").toString(),
                "--db", original.databaseUrl())).err()).doesNotContain("warning");
    }

    @Test
    void a_csv_history_export_of_metrics_without_definitions_says_nothing_of_them() throws IOException {
        Path p = dir.resolve("one.json");
        Files.writeString(p, "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"mean\":0.1}}");
        ok(run("import", p.toString(), "--db", original.databaseUrl()));

        PushCommandTest.Run exported = ok(run("export", "history", "-o", dir.resolve("h.csv").toString(),
                "--db", original.databaseUrl()));

        assertThat(exported.err()).doesNotContain("definition");
    }

    @Test
    void importing_the_csv_warns_of_each_metric_the_database_cannot_judge_with_the_command_that_defines_it()
            throws IOException {
        original();
        Path csv = dir.resolve("h.csv");
        ok(run("export", "history", "--limit", "100000", "-o", csv.toString(), "--db", original.databaseUrl()));

        PushCommandTest.Run imported = ok(run("import", csv.toString(), "--db", copy.databaseUrl()));

        assertThat(imported.out()).contains("5 stored");
        assertThat(imported.err()).contains("warning: CSV carries no metric definitions, and this database has none "
                        + "for 'mean': a change of it is reported as direction unknown, never as a regression.",
                "  benchmon metrics define mean --direction higher_is_better|lower_is_better|none",
                "benchmon export history --format jsonl").doesNotContain("accuracy");
        assertThat(ok(run("metrics", "list", "--db", copy.databaseUrl())).out())
                .containsPattern("mean +unknown");
    }

    @Test
    void importing_the_csv_where_its_metrics_are_defined_says_nothing_of_definitions() throws IOException {
        original();
        Path csv = dir.resolve("h.csv");
        ok(run("export", "history", "-o", csv.toString(), "--db", original.databaseUrl()));
        ok(run("metrics", "define", "mean", "--direction", "lower_is_better", "--unit", "s", "--db", copy.databaseUrl()));

        PushCommandTest.Run imported = ok(run("import", csv.toString(), "--db", copy.databaseUrl()));

        assertThat(imported.out()).contains("5 stored");
        assertThat(imported.err()).doesNotContain("definition");
    }

    @Test
    void importing_the_json_lines_export_instead_defines_the_metrics_and_warns_of_nothing() throws IOException {
        original();
        Path jsonl = dir.resolve("h.jsonl");
        ok(run("export", "history", "--format", "jsonl", "-o", jsonl.toString(), "--db", original.databaseUrl()));

        PushCommandTest.Run imported = ok(run("import", jsonl.toString(), "--db", copy.databaseUrl()));

        assertThat(imported.out()).contains("defined 1 metric(s) as the file states: mean lower_is_better");
        assertThat(imported.err()).doesNotContain("warning");
    }
}
