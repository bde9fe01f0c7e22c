package dev.benchmon.server.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project copied with {@code export history --format jsonl} and {@code benchmon import} shows the same open alerts as
 * the original: import judges the newest run of each series it loaded and opens the alerts a push of the same runs
 * opens (a current regression), and none for a dip long over. Commit ranges read the same (12 characters of each SHA)
 * in push's lines and in {@code alerts list}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportedAlertsTest {
    private Path dir;
    private Path original;
    private Path copy;
    private Path exported;
    private PushCommandTest.Run push;
    private PushCommandTest.Run imported;

    /** A whole 40-digit commit SHA of run {@code i}: {@code 0a0a...} for run 10. */
    static String sha(int i) {
        return String.format("%02x", i).repeat(20);
    }

    /**
     * Series m: 11 quiet runs, then its newest run 12 points down (a current regression). Series old: a dip of three
     * runs long over, back at its level for the 9 runs since.
     */
    static String runs() {
        StringBuilder lines = new StringBuilder();
        double[] quiet = {0.90, 0.91, 0.89, 0.90, 0.91, 0.89, 0.90, 0.91, 0.89, 0.90, 0.91};
        for (int i = 0; i <= quiet.length; i++) {
            double f1 = i < quiet.length ? quiet[i] : 0.78;
            lines.append(line("m", i, f1));
        }
        for (int i = 0; i < 14; i++) {
            double f1 = i >= 2 && i <= 4 ? 0.70 : quiet[i % quiet.length];
            lines.append(line("old", i, f1));
        }
        return lines.toString();
    }

    private static String line(String model, int i, double f1) {
        return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\"2026-01-01T"
                + String.format("%02d", i) + ":00:00Z\",\"commit_sha\":\"" + sha(i) + "\",\"run_id\":\"" + model + "-" + i
                + "\",\"metrics\":{\"f1\":" + f1 + "}}\n";
    }

    @BeforeAll
    void aProjectWithACurrentRegressionCopiedToAFreshHome(@TempDir Path folder) throws IOException {
        dir = folder;
        original = dir.resolve("original");
        copy = dir.resolve("copy");
        exported = dir.resolve("h.jsonl");
        Path results = Files.writeString(dir.resolve("runs.jsonl"), runs());
        push = run(Map.of(), "", "push", results.toString(), "--home", original.toString());
        assertThat(push.exitCode()).as(push.out() + push.err()).isZero();
        PushCommandTest.Run export = run(Map.of(), "", "export", "history", "--format", "jsonl", "-o", exported.toString(),
                "--home", original.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();

        imported = run(Map.of(), "", "import", exported.toString(), "--home", copy.toString());
        assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
    }

    private static PushCommandTest.Run openAlerts(Path home) {
        PushCommandTest.Run list = run(Map.of(), "", "alerts", "list", "--state", "open", "--home", home.toString());
        assertThat(list.exitCode()).as(list.err()).isZero();
        return list;
    }

    /** The open alerts as the table lists them, without the ids (each home numbers its own). */
    private static String withoutIds(String table) {
        return table.replaceAll("(?m)^\\d+ ", "");
    }

    @Test
    void the_count_of_what_was_stored_comes_before_the_alerts_it_opened() {
        String out = imported.out();

        assertThat(out).contains("imported ", "\nopened 1 alert(s) on the series' newest runs");
        assertThat(out.indexOf("imported ")).isLessThan(out.indexOf("\nopened 1 alert(s)"));
    }

    @Test
    void after_an_import_into_a_database_url_the_listing_it_names_masks_the_password_alone() {
        try (dev.benchmon.server.support.TestServer db = dev.benchmon.server.support.TestServer.start()) {
            PushCommandTest.Run r = run(Map.of(), "", "import", exported.toString(), "--db", db.databaseUrl());

            assertThat(db.databaseUrl()).contains("user=", "password=");
            assertThat(r.out()).contains("(benchmon alerts list --state open --db '"
                    + db.databaseUrl().replaceAll("password=[^&]*", "password=****") + "'): #");
        }
    }

    @Test
    void the_copy_lists_the_current_regression_open_as_the_original_does() {
        String range = sha(10).substring(0, 12) + ".." + sha(11).substring(0, 12);
        PushCommandTest.Run inCopy = openAlerts(copy);

        assertThat(inCopy.out()).containsPattern("open\\s+m / d @ci\\s+f1\\s+.*" + java.util.regex.Pattern.quote(range));
        assertThat(withoutIds(inCopy.out())).isEqualTo(withoutIds(openAlerts(original).out()));
        // the listing the line names reads the database the import wrote (not a server at port 7070)
        assertThat(imported.out()).containsPattern("opened 1 alert\\(s\\) on the series' newest runs, as a push of them would "
                + "\\(benchmon alerts list --state open --home " + java.util.regex.Pattern.quote(copy.toString())
                + "\\): #\\d+\n");
    }

    @Test
    void a_dip_long_over_opens_no_alert_in_the_copy() {
        PushCommandTest.Run all = run(Map.of(), "", "alerts", "list", "--state", "all", "--home", copy.toString());

        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.out()).doesNotContain("old / d @ci");
    }

    @Test
    void importing_the_same_file_again_stores_nothing_and_opens_nothing() {
        String before = openAlerts(copy).out();

        PushCommandTest.Run again = run(Map.of(), "", "import", exported.toString(), "--home", copy.toString());

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("0 stored").doesNotContain("opened");
        assertThat(openAlerts(copy).out()).isEqualTo(before);
    }

    @Test
    void push_and_alerts_list_show_the_commit_range_by_the_same_12_characters_of_each_sha() {
        String range = sha(10).substring(0, 12) + ".." + sha(11).substring(0, 12);

        assertThat(push.out()).contains("since commit " + range).containsPattern("alert #\\d+\\s+open\\s+.*" +
                java.util.regex.Pattern.quote(range)).doesNotContain(sha(11));
        assertThat(openAlerts(original).out()).contains(range).doesNotContain(sha(11));
    }

    @Test
    void a_copy_whose_newest_run_is_excluded_opens_the_alert_of_the_newest_run_that_counts(@TempDir Path folder)
            throws IOException {
        Path home = folder.resolve("excluding");
        Path results = Files.writeString(folder.resolve("runs.jsonl"), runs() + line("m", 12, 0.91));
        assertThat(run(Map.of(), "", "push", results.toString(), "--home", home.toString()).exitCode()).isZero();
        long newest;
        try (dev.benchmon.Benchmon bm = dev.benchmon.Benchmon.embedded(home)) {
            newest = bm.jdbi().withHandle(h -> h.createQuery("SELECT id FROM benchmark_transactions WHERE run_id = 'm-12'")
                    .mapTo(Long.class).one());
        }
        PushCommandTest.Run exclude = run(Map.of(), "", "alerts", "exclude", String.valueOf(newest), "--reason",
                "broken runner", "--as", "ops", "--home", home.toString());
        assertThat(exclude.exitCode()).as(exclude.out() + exclude.err()).isZero();
        Path file = folder.resolve("excluding.jsonl");
        assertThat(run(Map.of(), "", "export", "history", "--format", "jsonl", "-o", file.toString(), "--home",
                home.toString()).exitCode()).isZero();
        assertThat(Files.readString(file)).contains("\"excluded\"");
        Path copied = folder.resolve("excluding-copy");

        PushCommandTest.Run load = run(Map.of(), "", "import", file.toString(), "--home", copied.toString());

        assertThat(load.exitCode()).as(load.out() + load.err()).isZero();
        assertThat(load.out()).contains("excluded 1 run(s)").containsPattern("opened 1 alert\\(s\\)");
        String range = sha(10).substring(0, 12) + ".." + sha(11).substring(0, 12);
        assertThat(openAlerts(copied).out()).containsPattern("open\\s+m / d @ci\\s+f1\\s+.*"
                + java.util.regex.Pattern.quote(range));
    }

    @Test
    void a_back_fill_of_older_runs_under_newer_stored_ones_opens_no_alert(@TempDir Path folder) throws IOException {
        Path home = folder.resolve("backfill");
        StringBuilder newer = new StringBuilder();
        for (int i = 12; i <= 16; i++) {
            newer.append(line("m", i, 0.90));
        }
        // m's runs before those: alone, its newest (run 11, 12 points down) opens an alert (see the copy above)
        String older = runs().lines().filter(l -> l.startsWith("{\"model_version\":\"m\"")).map(l -> l + "\n")
                .collect(java.util.stream.Collectors.joining());
        Path first = Files.writeString(folder.resolve("newer.jsonl"), newer);
        Path later = Files.writeString(folder.resolve("older.jsonl"), older);
        assertThat(run(Map.of(), "", "import", first.toString(), "--home", home.toString()).exitCode()).isZero();

        PushCommandTest.Run backFill = run(Map.of(), "", "import", later.toString(), "--home", home.toString());

        assertThat(backFill.exitCode()).as(backFill.out() + backFill.err()).isZero();
        assertThat(backFill.out()).contains("12 stored").doesNotContain("opened");
        PushCommandTest.Run any = run(Map.of(), "", "alerts", "list", "--state", "all", "--home", home.toString());
        assertThat(any.exitCode()).as(any.err()).isZero();
        assertThat(any.out()).doesNotContain("m / d @ci");
    }
}
