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
 * A CSV import whose metric column misspells a metric the database holds ({@code acuracy} after runs of
 * {@code accuracy}) stores a new metric, and says so after the load: the column, the metric it is close to, the runs it
 * stored with it and how to take them back (exclude, import again renamed), instead of the general advice to define
 * every metric the database cannot judge, which would make the typo permanent.
 */
class MisspeltColumnImportTest {
    @TempDir
    Path dir;

    private TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start();
        StringBuilder csv = new StringBuilder("model_version,dataset_version,run_at,accuracy,p50_ms\n");
        for (int i = 0; i < 6; i++) {
            csv.append("m,d,2026-11-1").append(i).append("T00:00:00Z,0.90").append(i).append(",12\n");
        }
        assertThat(importCsv("runs.csv", csv.toString()).exitCode()).isZero();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private PushCommandTest.Run importCsv(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return run("import", p.toString(), "--db", server.databaseUrl());
    }

    private long newestRun() {
        return server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT max(id) FROM benchmark_log")
                .mapTo(Long.class).one());
    }

    @Test
    void a_column_close_to_a_metric_the_database_holds_is_named_with_the_runs_it_stored_and_how_to_take_them_back()
            throws IOException {
        PushCommandTest.Run r = importCsv("typo.csv", "model_version,dataset_version,run_at,acuracy\nm,d,2026-11-20T00:00:00Z,0.91\n");

        assertThat(r.exitCode()).as(r.err()).isZero();
        long run = newestRun();
        assertThat(r.err()).contains("warning: column 'acuracy' is a metric new to this database, close to accuracy, "
                        + "which it holds: a misspelt column?")
                .contains("The 1 run(s) this import stored with it (run " + run + ") report acuracy, not accuracy (a verdict "
                        + "says accuracy missing where the run before reported it). If it is misspelt, exclude those runs (benchmon alerts "
                        + "exclude " + run + " --reason \"misspelt column\", for each) and import the file again with the "
                        + "column renamed. If it is a metric of its own, define it:")
                .contains("benchmon metrics define acuracy --direction")
                .as("not also told, in the general warning, to define it").doesNotContain("CSV carries no metric definitions");
    }

    @Test
    void a_column_close_to_another_column_of_the_file_is_not_named_a_typo_of_a_metric_of_the_database() throws IOException {
        importCsv("typo.csv", "model_version,dataset_version,run_at,acuracy\nm,d,2026-11-20T00:00:00Z,0.91\n");

        PushCommandTest.Run r = importCsv("both.csv", "model_version,dataset_version,run_at,accuracy,accuracyy\n"
                + "m,d,2026-11-21T00:00:00Z,0.91,0.91\n");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("misspelt", "close to acuracy");
    }

    @Test
    void a_new_metric_close_to_none_gets_the_general_warning_alone() throws IOException {
        PushCommandTest.Run r = importCsv("new.csv", "model_version,dataset_version,run_at,bleurt\nm,d,2026-11-20T00:00:00Z,0.5\n");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("CSV carries no metric definitions, and this database has none for 'bleurt'")
                .doesNotContain("misspelt");
    }

    @Test
    void a_sibling_that_differs_in_its_digits_alone_is_no_misspelling() throws IOException {
        PushCommandTest.Run r = importCsv("p90.csv", "model_version,dataset_version,run_at,p90_ms\nm,d,2026-11-20T00:00:00Z,15\n");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("misspelt");
    }
}
