package dev.benchmon.notebooks;

import dev.benchmon.support.RepositoryFiles;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./benchmon jshell} as a user types it, with the database options the other commands take ({@code --home DIR},
 * {@code --db JDBC_URL}): the real launcher script, a real {@code jshell} and the toolkit jar the build made. The
 * launcher runs from a folder of its own that holds what its jshell branch reads (the pom for the version, the toolkit
 * jar, the startup script, and a server jar newer than every source, so that it never starts a build here).
 */
class LauncherJShellIT {
    private Path root;
    private Path work;

    @BeforeEach
    void aCheckoutWithBuiltJars(@TempDir Path dir) throws Exception {
        root = Files.createDirectories(dir.resolve("checkout"));
        work = Files.createDirectories(dir.resolve("work"));
        Files.copy(RepositoryFiles.resolve("benchmon"), root.resolve("benchmon"));
        Files.copy(RepositoryFiles.resolve("pom.xml"), root.resolve("pom.xml"));
        Files.createDirectories(root.resolve("notebooks"));
        Files.createSymbolicLink(root.resolve("notebooks/benchmon.jsh"), RepositoryFiles.resolve("notebooks/benchmon.jsh"));
        Path toolkitJar = ExternalProcess.toolkitJar();
        Files.createDirectories(root.resolve("toolkit/target"));
        Files.createSymbolicLink(root.resolve("toolkit/target").resolve(toolkitJar.getFileName()), toolkitJar);
        Path serverJar = Files.createDirectories(root.resolve("server/target")).resolve("benchmon.jar");
        Files.writeString(serverJar, "not read by the jshell branch");
        Files.setLastModifiedTime(serverJar, FileTime.from(Instant.now().plusSeconds(3600)));
    }

    /** The links to the repository's files go before JUnit deletes the folder (which warns of each link it meets). */
    @AfterEach
    void removeTheLinks() throws Exception {
        try (var files = Files.walk(root)) {
            for (Path link : files.filter(Files::isSymbolicLink).toList()) {
                Files.delete(link);
            }
        }
    }

    private ExternalProcess.Result launcher(Map<String, String> env, String input, String... args) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("XDG_CACHE_HOME", work.resolve("cache").toString()); // the launcher's CDS archive, not the developer's
        // the jshell of the JDK running the tests, whatever else is on the PATH
        all.put("PATH", Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator + System.getenv("PATH"));
        List<String> command = new java.util.ArrayList<>(List.of("sh", root.resolve("benchmon").toString(), "jshell"));
        command.addAll(List.of(args));
        return ExternalProcess.run(command, work, all, input, Duration.ofMinutes(3));
    }

    @Test
    void homeOptionOpensTheEmbeddedDatabaseInThatFolder() throws Exception {
        Path home = work.resolve("my-home");

        ExternalProcess.Result session = launcher(Map.of(), "System.out.println(\"runs: \" + bm.history(Filter.all()).rowCount())\n/exit\n",
                "--home", home.toString());

        String out = session.output();
        assertThat(out).contains("benchmon ready: bm = ", "runs: 0").doesNotContain("Exception");
        assertThat(session.exitCode()).as(out).isZero();
        assertThat(home).isDirectory();
        assertThat(ExternalProcess.orphansKilled(home)).as("embedded PostgreSQL left running").isEmpty();
    }

    @Test
    void dbOptionOpensThatDatabaseOverAnEnvironmentsHome() throws Exception {
        String url = TestDatabases.freshDatabaseUrl();
        Map<String, String> env = new HashMap<>(Map.of("BENCHMON_HOME", work.resolve("unused-home").toString(),
                "BENCHMON_DB_USER", TestDatabases.user()));
        if (TestDatabases.password() != null) {
            env.put("BENCHMON_DB_PASSWORD", TestDatabases.password());
        }

        ExternalProcess.Result session = launcher(env, "System.out.println(\"at \" + bm)\n/exit\n", "--db=" + url);

        String out = session.output();
        assertThat(out).contains("benchmon ready: bm = ", "at Benchmon[").contains(url.replaceFirst("\\?.*$", ""))
                .doesNotContain("Exception");
        assertThat(session.exitCode()).as(out).isZero();
        assertThat(work.resolve("unused-home")).doesNotExist();
    }

    @Test
    void anOptionWithoutItsValueIsRefusedBeforeJShellStarts() throws Exception {
        ExternalProcess.Result session = launcher(Map.of(), "", "--home");

        assertThat(session.output()).contains("benchmon jshell: --home needs a value, e.g. --home ~/.benchmon");
        assertThat(session.exitCode()).isEqualTo(2);
    }

    @Test
    void anOptionFollowedByAnotherOptionIsRefusedNotTakenForItsValue() throws Exception {
        ExternalProcess.Result session = launcher(Map.of(), "", "--home", "--db", "jdbc:postgresql://127.0.0.1/x");

        assertThat(session.output()).contains("benchmon jshell: --home needs a value");
        assertThat(session.exitCode()).isEqualTo(2);
        assertThat(work.resolve("--db")).doesNotExist();
    }

    /** A checkout whose sources are newer than its jar is rebuilt first: a wrong option is said before that, not after. */
    @Test
    void aWrongOptionIsSaidBeforeAnyBuild() throws Exception {
        Files.setLastModifiedTime(root.resolve("server/target/benchmon.jar"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

        ExternalProcess.Result session = launcher(Map.of(), "", "--db=");

        assertThat(session.output()).contains("benchmon jshell: --db needs a value").doesNotContain("building");
        assertThat(session.exitCode()).isEqualTo(2);
    }

    @Test
    void homeAndDbTogetherAreRefused() throws Exception {
        ExternalProcess.Result session = launcher(Map.of(), "", "--home", work.resolve("h").toString(), "--db",
                "jdbc:postgresql://127.0.0.1/x");

        assertThat(session.output()).contains("benchmon jshell: give one of --home and --db, not both");
        assertThat(session.exitCode()).isEqualTo(2);
    }
}
