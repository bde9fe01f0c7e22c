package dev.benchmon.db;

import dev.benchmon.support.ChildJvm;
import dev.benchmon.Benchmon;
import dev.benchmon.support.Results;
import dev.benchmon.support.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedDatabaseTest {
    private Path home;

    @BeforeEach
    void createHome() throws IOException {
        home = Files.createTempDirectory("benchmon-home");
    }

    @AfterEach
    void deleteHome() {
        TempDirs.deleteQuietly(home);
    }

    private Benchmon openHome() {
        return Benchmon.open(Map.of("BENCHMON_HOME", home.toString()));
    }

    private static String setting(Benchmon bm, String name) {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT current_setting(:n)").bind("n", name).mapTo(String.class).one());
    }

    @Test
    void the_embedded_server_runs_with_durable_settings() {
        try (Benchmon bm = openHome()) {
            assertThat(setting(bm, "fsync")).isEqualTo("on");
            assertThat(setting(bm, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(bm, "full_page_writes")).isEqualTo("on");
            assertThat(bm.database().embeddedServer().dataDirectory()).isEqualTo(home.resolve("pgdata").toAbsolutePath());
        }
    }

    @Test
    void the_embedded_server_refuses_logins_without_its_password_and_keeps_the_password_private() throws Exception {
        try (Benchmon bm = openHome()) {
            int port = bm.database().embeddedServer().port();
            assertThatThrownBy(() -> java.sql.DriverManager.getConnection(
                    "jdbc:postgresql://localhost:" + port + "/benchmon", "postgres", "").close())
                    .isInstanceOf(java.sql.SQLException.class);
            var server = bm.database().embeddedServer();
            try (var c = java.sql.DriverManager.getConnection(server.jdbcUrl("benchmon"), "postgres", server.password());
                 var rs = c.createStatement().executeQuery("SELECT current_setting('unix_socket_directories')")) {
                rs.next();
                assertThat(rs.getString(1)).isEmpty(); // only TCP, which needs the password
            }
            for (String file : new String[] {"pgdata.password", "pgdata.app-password"}) {
                assertThat(Files.getPosixFilePermissions(home.resolve(file))).as(file)
                        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            }
            assertThat(bm.toString()).doesNotContain(server.password()).doesNotContain(server.appSettings().password());
        }
    }

    @Test
    void a_folder_initdb_refuses_is_named_at_once_not_after_the_start_timeout() throws IOException {
        Path data = Files.createDirectories(home.resolve("not-a-cluster"));
        Files.writeString(data.resolve("notes.txt"), "mine");
        long started = System.nanoTime();

        assertThatThrownBy(() -> Database.embedded(data)).isInstanceOf(dev.benchmon.ConfigurationException.class)
                .hasMessageContaining("initdb refuses a folder that is not empty, and it holds")
                .hasMessageContaining("notes.txt").hasMessageNotContaining("within 60 s");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(30));
    }

    @Test
    void data_is_kept_across_a_restart() {
        try (Benchmon bm = openHome()) {
            bm.record(Results.result("kept", "d", 1, 0.9, 100));
        }
        try (Benchmon bm = openHome()) {
            assertThat(bm.models()).containsExactly("kept");
        }
    }

    @Test
    void a_second_open_of_the_same_home_connects_to_the_running_server() {
        try (Benchmon first = openHome(); Benchmon second = openHome()) {
            assertThat(first.database().embeddedServer().owner()).isTrue();
            assertThat(second.database().embeddedServer().owner()).isFalse();
            assertThat(second.database().embeddedServer().port()).isEqualTo(first.database().embeddedServer().port());
            first.record(Results.result("shared", "d", 1, 0.9, 100));
            assertThat(second.models()).containsExactly("shared");
        }
    }

    @Test
    void closing_the_owner_stops_the_postgres_process() throws Exception {
        long pid;
        try (Benchmon bm = openHome()) {
            pid = Long.parseLong(Files.readAllLines(home.resolve("pgdata").resolve("postmaster.pid")).get(0).trim());
            assertThat(ProcessHandle.of(pid)).isPresent();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(home.resolve("pgdata").resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void a_second_process_on_the_same_home_attaches_instead_of_failing() throws Exception {
        try (Benchmon owner = openHome()) {
            owner.record(Results.result("from-owner", "d", 1, 0.9, 100));
            String out = runChild(SecondProcess.class);
            assertThat(out).contains("models=[from-owner]").contains("owner=false");
            assertThat(owner.models()).contains("from-second-process");
        }
    }

    @Test
    void the_process_that_started_the_server_leaves_it_running_for_a_process_still_using_it() throws Exception {
        Process starter = startStarter();
        try (Benchmon attached = openHome()) {
            assertThat(attached.database().embeddedServer().owner()).isFalse();
            long postmaster = postmasterPid();
            letStarterExit(starter);

            attached.record(Results.result("after-the-starter-left", "d", 1, 0.9, 100));

            assertThat(attached.models()).contains("from-starter", "after-the-starter-left");
            assertThat(attached.database().embeddedServer().restarts()).isZero();
            assertThat(postmasterPid()).isEqualTo(postmaster);
        } finally {
            starter.destroyForcibly();
        }
    }

    @Test
    void the_last_process_using_the_server_stops_it_even_when_another_started_it() throws Exception {
        Process starter = startStarter();
        long postmaster;
        try (Benchmon attached = openHome()) {
            postmaster = postmasterPid();
            letStarterExit(starter);
            attached.record(Results.result("after-the-starter-left", "d", 1, 0.9, 100));
        } finally {
            starter.destroyForcibly();
        }
        assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(home.resolve("pgdata").resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void a_process_opening_the_home_after_the_starter_left_attaches_instead_of_restarting_the_server() throws Exception {
        Process starter = startStarter();
        try (Benchmon attached = openHome()) {
            long postmaster = postmasterPid();
            letStarterExit(starter);

            String out = runChild(SecondProcess.class);

            assertThat(out).contains("owner=false");
            assertThat(postmasterPid()).isEqualTo(postmaster);
            assertThat(attached.models()).contains("from-second-process");
            assertThat(attached.database().embeddedServer().restarts()).isZero();
        } finally {
            starter.destroyForcibly();
        }
    }

    /** A child JVM that starts the server on the home, records "from-starter", and says so; it exits on {@link #letStarterExit}. */
    private Process startStarter() throws IOException {
        Process p = child(StarterProcess.class).start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null && !line.startsWith("started owner=")) {
            seen.append(line).append('\n');
        }
        assertThat(line).as(seen.toString()).isEqualTo("started owner=true");
        return p;
    }

    private void letStarterExit(Process starter) throws Exception {
        Files.writeString(home.resolve("exit-now"), "");
        assertThat(starter.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(starter.exitValue()).isZero();
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(home.resolve("pgdata").resolve("postmaster.pid")).get(0).trim());
    }

    private ProcessBuilder child(Class<?> main) {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, ChildJvm.C1_ONLY, ChildJvm.SERIAL_GC, "-cp", System.getProperty("java.class.path"), main.getName())
                .redirectErrorStream(true);
        pb.environment().put("BENCHMON_HOME", home.toString());
        return pb;
    }

    private String runChild(Class<?> main) throws Exception {
        Process p = child(main).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void to_string_names_the_database_without_a_password() {
        try (Benchmon bm = openHome()) {
            assertThat(bm.toString()).startsWith("Benchmon[jdbc:postgresql://localhost:").contains("/benchmon").contains("embedded");
        }
        assertThat(ConnectionSettings.of("postgres://u:s3cret@db.example.com:6543/postgres?sslmode=require", null, null).toString())
                .isEqualTo("jdbc:postgresql://db.example.com:6543/postgres?sslmode=require user=u password=****")
                .doesNotContain("s3cret");
        // userinfo is percent-encoded, not a form: + stays a plus
        assertThat(ConnectionSettings.of("postgres://u:a+b%40c@db.example.com/postgres", null, null).password()).isEqualTo("a+b@c");
    }

    @Test
    void on_jvm_shutdown_registered_steps_still_reach_the_database_before_it_stops() throws Exception {
        String out = runChild(ShutdownProcess.class);
        assertThat(out).contains("drain step read 1 model(s)");
        assertThat(home.resolve("pgdata").resolve("postmaster.pid")).doesNotExist();
    }

    /** Runs in a child JVM: exits without closing, as on Ctrl-C; a shutdown step queries the database. */
    public static final class ShutdownProcess {
        public static void main(String[] args) {
            Benchmon bm = Benchmon.open();
            bm.record(Results.result("m", "d", 1, 0.9, 100));
            bm.database().embeddedServer().runBeforeShutdown(() -> {
                try {
                    Thread.sleep(500); // a slow in-flight request
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.println("drain step read " + bm.models().size() + " model(s)");
                bm.close();
            });
            System.exit(0);
        }
    }

    /** Runs in a child JVM: starts the server on a new home, records a result, and closes once told to (a file). */
    public static final class StarterProcess {
        public static void main(String[] args) throws Exception {
            Path home = Path.of(System.getenv("BENCHMON_HOME"));
            try (Benchmon bm = Benchmon.open()) {
                bm.record(Results.result("from-starter", "d", 1, 0.9, 100));
                System.out.println("started owner=" + bm.database().embeddedServer().owner());
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
                while (!Files.exists(home.resolve("exit-now")) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
        }
    }

    /** Runs in a child JVM: opens the same home while the test's Benchmon owns the server. */
    public static final class SecondProcess {
        public static void main(String[] args) {
            try (Benchmon bm = Benchmon.open()) {
                System.out.println("models=" + bm.models() + " owner=" + bm.database().embeddedServer().owner());
                bm.record(Results.result("from-second-process", "d", 1, 0.9, 100));
            }
        }
    }
}
