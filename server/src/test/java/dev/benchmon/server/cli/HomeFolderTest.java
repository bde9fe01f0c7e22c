package dev.benchmon.server.cli;

import dev.benchmon.Benchmon;
import dev.benchmon.ConfigurationException;
import dev.benchmon.db.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A home folder means one thing to the CLI ({@code --home DIR}) and the toolkit ({@code Benchmon.embedded(DIR)}). */
class HomeFolderTest {
    private static final String RESULT = "{\"model_version\":\"home-model\",\"dataset_version\":\"home-data\","
            + "\"metrics\":{\"f1\":0.5}}";

    @TempDir
    Path parent;

    /** A home folder {@code name} in {@code parent} that {@code benchmon import} of one result (from {@code in/}) created. */
    private Path importedHome(String name) throws IOException {
        Path results = Files.writeString(Files.createDirectory(parent.resolve("in")).resolve("r.json"), RESULT);
        Path home = parent.resolve(name);
        PushCommandTest.Run imported = run(Map.of(), "", "import", results.toString(), "--home", home.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        return home;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void the_toolkit_opens_the_home_an_import_created_and_writes_nothing_beside_it() throws IOException {
        Path home = importedHome("h2");

        try (Benchmon bm = Benchmon.embedded(home)) {
            assertThat(bm.latestSnapshots().stringColumn("model_version").asList()).containsExactly("home-model");
            assertThat(bm.database().embeddedServer().dataDirectory()).isEqualTo(home.resolve("pgdata").toAbsolutePath());
        }
        assertThat(names(parent)).containsExactly("h2", "in");
    }

    @Test
    void a_read_only_home_with_a_database_is_a_setup_problem_said_at_once() throws Exception {
        Path home = importedHome("rw");
        Path ro = Files.createDirectory(parent.resolve("ro"));
        org.junit.jupiter.api.Assumptions.assumeTrue(command("mount", "--bind", home.toString(), ro.toString())
                && command("mount", "-o", "remount,bind,ro", ro.toString()), "needs bind mounts (root)");
        try {
            long start = System.nanoTime();
            PushCommandTest.Run export = run(Map.of(), "", "export", "history", "--home", ro.toString());
            assertThat(export.exitCode()).as(export.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(export.err()).contains("the benchmon home folder " + ro + " is read-only").contains("--home DIR")
                    .doesNotContain("within 60 s").doesNotContain("remove");
            assertThat((System.nanoTime() - start) / 1_000_000_000).as("seconds until refused").isLessThan(10);
        } finally {
            command("umount", ro.toString());
        }
    }

    private static boolean command(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor() == 0;
    }

    /** The toolkit's advice names BENCHMON_HOME, which the user never set: the option given is what to change. */
    @Test
    void a_home_that_cannot_be_created_is_refused_naming_the_home_option_given() throws IOException {
        Path results = Files.writeString(parent.resolve("r.json"), RESULT);
        Path notAFolder = Files.writeString(parent.resolve("a-file"), "");

        PushCommandTest.Run r = run(Map.of(), "", "import", results.toString(), "--home", notAFolder.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("cannot create the embedded database directory " + notAFolder.resolve("pgdata"),
                "give --home a folder you can write to").doesNotContain("BENCHMON_HOME");
    }

    /** A home under a regular file names that file, not the folder below it that the JDK could not create. */
    @Test
    void a_home_under_a_file_names_the_file_in_the_way() throws IOException {
        Path results = Files.writeString(parent.resolve("r.json"), RESULT);
        Path file = Files.writeString(parent.resolve("notes.txt"), "");
        Path home = file.resolve("bm-home");

        PushCommandTest.Run r = run(Map.of(), "", "import", results.toString(), "--home", home.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("cannot create the embedded database directory " + home.resolve("pgdata") + ": "
                + file + " is a file, not a folder; give --home a folder you can write to");
    }

    /**
     * A home the file system will not create (Linux's /proc takes no folders) is refused saying why in words and what
     * to do: the reason was the JDK's message alone, which for a missing or refused folder is just its path.
     */
    @Test
    void a_home_that_cannot_be_created_says_why_and_what_to_do() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux's /proc");
        Path results = Files.writeString(parent.resolve("r.json"), RESULT);
        Path home = Path.of("/proc/benchmon-home-test");

        PushCommandTest.Run r = run(Map.of(), "", "import", results.toString(), "--home", home.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("cannot create the embedded database directory " + home.resolve("pgdata") + ": "
                + home + ": no such file or directory; give --home a folder you can write to");
    }

    @Test
    void a_home_the_toolkit_created_is_read_by_the_cli() throws IOException {
        Path home = parent.resolve("fresh");
        try (Benchmon bm = Benchmon.embedded(home)) {
            bm.database(); // created on open
        }

        PushCommandTest.Run list = run(Map.of(), "", "metrics", "list", "--home", home.toString());

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(names(parent)).containsExactly("fresh");
        assertThat(names(home)).contains("pgdata", "pgdata.password");
    }

    @Test
    void a_data_directory_an_earlier_version_took_is_still_opened_as_such_by_both() throws IOException {
        Path old = parent.resolve("old-data");
        try (Database db = Database.embedded(old)) { // the folder form Benchmon.embedded took before
            db.embeddedServer();
        }

        try (Benchmon bm = Benchmon.embedded(old)) {
            assertThat(bm.database().embeddedServer().dataDirectory()).isEqualTo(old.toAbsolutePath());
        }
        PushCommandTest.Run list = run(Map.of(), "", "metrics", "list", "--home", old.toString());

        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(old.resolve("pgdata")).doesNotExist();
        assertThat(names(parent)).contains("old-data", "old-data.password", "old-data.app-password"); // kept beside it
    }

    @Test
    void an_old_style_call_on_a_new_folder_creates_the_database_the_home_names() throws IOException {
        Path home = parent.resolve("new-home");
        try (Benchmon bm = Benchmon.embedded(home.resolve("pgdata"))) { // the data directory, as the old API took
            assertThat(bm.database().embeddedServer().dataDirectory()).isEqualTo(home.resolve("pgdata").toAbsolutePath());
        }
        assertThat(home.resolve("pgdata").resolve("PG_VERSION")).exists();
        assertThat(home.resolve("pgdata").resolve("pgdata")).doesNotExist();
        assertThat(names(home)).contains("pgdata", "pgdata.password", "pgdata.app-password");

        try (Benchmon bm = Benchmon.embedded(home)) {
            assertThat(bm.database().embeddedServer().dataDirectory()).isEqualTo(home.resolve("pgdata").toAbsolutePath());
        }
        for (Path given : List.of(home, home.resolve("pgdata"))) {
            PushCommandTest.Run list = run(Map.of(), "", "metrics", "list", "--home", given.toString());
            assertThat(list.exitCode()).as(given + ": " + list.err()).isZero();
        }
        assertThat(names(parent)).containsExactly("new-home");
    }

    @Test
    void a_folder_holding_two_databases_is_refused_naming_both_and_nothing_is_started() throws IOException {
        Path home = parent.resolve("dot-benchmon");
        try (Database top = Database.embedded(home); Database nested = Database.embedded(home.resolve("pgdata"))) {
            top.embeddedServer(); // an old toolkit call's cluster in the folder, and the old CLI's in pgdata/
            nested.embeddedServer();
        }
        String both = home.toAbsolutePath() + " itself is a data directory";

        assertThatThrownBy(() -> Benchmon.embedded(home)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("holds two embedded PostgreSQL databases").hasMessageContaining(both)
                .hasMessageContaining("so is " + home.resolve("pgdata").toAbsolutePath())
                .hasMessageContaining("Give the data directory you mean");
        for (String command : List.of("metrics list", "import")) {
            List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
            if (command.equals("import")) {
                args.add(Files.writeString(parent.resolve("r.json"), RESULT).toString());
            }
            args.addAll(List.of("--home", home.toString()));
            PushCommandTest.Run refused = run(Map.of(), "", args.toArray(String[]::new));
            assertThat(refused.exitCode()).as(command).isEqualTo(2);
            assertThat(refused.err()).as(command).contains("holds two embedded PostgreSQL databases", both);
        }
        assertThat(home.resolve("postmaster.pid")).doesNotExist();
        assertThat(home.resolve("pgdata").resolve("postmaster.pid")).doesNotExist();

        PushCommandTest.Run chosen = run(Map.of(), "", "metrics", "list", "--home", home.resolve("pgdata").toString());
        assertThat(chosen.exitCode()).as(chosen.err()).isZero();
    }

    @org.junit.jupiter.api.Test
    void a_read_started_while_another_process_creates_the_homes_database_waits_for_it() throws Exception {
        Path home = parent.resolve("being-created");
        Path data = home.resolve("pgdata");
        // Another process's first start (here another thread's, which holds the same start lock), caught in initdb.
        java.util.concurrent.CompletableFuture<dev.benchmon.Benchmon> creating =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> dev.benchmon.Benchmon.embedded(home));
        try {
            // the start lock's file appears first; the data directory and its PG_VERSION come with initdb
            for (int i = 0; i < 3000 && !Files.exists(home.resolve("pgdata.lock")) && !creating.isDone(); i++) {
                Thread.sleep(5);
            }
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(data.resolve("PG_VERSION")),
                    "initdb finished before the read could start");

            PushCommandTest.Run read = run(Map.of(), "", "export", "history", "--home", home.toString());

            assertThat(read.exitCode()).as(read.err()).isZero();
            assertThat(read.err()).doesNotContain("holds no benchmon database");
        } finally {
            creating.get(120, java.util.concurrent.TimeUnit.SECONDS).close();
        }
    }
}
