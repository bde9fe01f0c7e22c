package dev.benchmon.db;

import dev.benchmon.support.ChildJvm;
import dev.benchmon.support.TempDirs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A start that has to wait says once what for, and its failure names the obstacle (never "null"). */
class EmbeddedStartWaitTest {

    @Test
    void a_postmaster_pid_naming_a_live_process_that_is_no_postgres_is_said_with_its_pid() throws Exception {
        Path home = Files.createTempDirectory("benchmon-stale-pid");
        Process other = new ProcessBuilder("sleep", "300").start(); // has the pid a stale postmaster.pid names
        try {
            Path data = home.resolve("pgdata");
            EmbeddedPostgresServer.startOrAttach(data).close();
            Files.write(data.resolve("postmaster.pid"), List.of(Long.toString(other.pid()), data.toString(), "0", "1"));

            String out = startInChild(data, 6);

            assertThat(out).containsOnlyOnce("waiting (up to 6 s) for the embedded PostgreSQL in " + data)
                    .contains("names process " + other.pid() + ", which runs but does not answer")
                    .contains("failed: could not start or attach to the embedded PostgreSQL in " + data + " within 6 s")
                    .contains("if process " + other.pid() + " is no PostgreSQL of this folder (ps -p " + other.pid()
                            + "), remove " + data.resolve("postmaster.pid"))
                    .doesNotContain("null");
        } finally {
            other.destroyForcibly().waitFor();
            TempDirs.deleteQuietly(home);
        }
    }

    @Test
    void a_start_waiting_for_another_process_names_it_and_gives_no_advice_to_remove_files() throws Exception {
        Path home = Files.createTempDirectory("benchmon-held");
        Path data = home.resolve("pgdata");
        Files.createDirectories(data);
        try (EmbeddedPostgresServer.StartLock held = EmbeddedPostgresServer.StartLock.tryAcquire(data).orElseThrow()) {
            String out = startInChild(data, 5);

            assertThat(out).containsOnlyOnce("waiting (up to 5 s)")
                    .contains("process " + ProcessHandle.current().pid() + " is creating or starting it (it holds "
                            + EmbeddedPostgresServer.StartLock.of(data) + ")")
                    .contains("failed: could not start or attach").contains("wait for it to finish, or stop it")
                    .doesNotContain("remove").doesNotContain("null");
        } finally {
            TempDirs.deleteQuietly(home);
        }
    }

    @Test
    void a_failure_without_a_message_is_named_by_its_kind() {
        assertThat(EmbeddedPostgresServer.describe(new IllegalStateException())).isEqualTo("IllegalStateException");
        assertThat(EmbeddedPostgresServer.describe(new RuntimeException(new java.io.IOException("disk full"))))
                .isEqualTo("java.io.IOException: disk full"); // RuntimeException(cause) takes the cause's toString
        assertThat(EmbeddedPostgresServer.describe(new java.nio.channels.OverlappingFileLockException()))
                .contains("this process already holds").doesNotContain("null");
    }

    private static String startInChild(Path data, int seconds) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, ChildJvm.C1_ONLY, ChildJvm.SERIAL_GC, "-cp", System.getProperty("java.class.path"), Starter.class.getName(),
                data.toString(), Integer.toString(seconds)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        System.out.println(out); // the child's lines, in the report when an assertion fails
        return out;
    }

    /** Runs in a child JVM: starts or attaches with a short timeout and prints how it ended. */
    public static final class Starter {
        public static void main(String[] args) {
            try (EmbeddedPostgresServer s = EmbeddedPostgresServer.startOrAttach(Path.of(args[0]),
                    Duration.ofSeconds(Long.parseLong(args[1])))) {
                System.out.println("started " + s);
            } catch (RuntimeException e) {
                System.out.println("failed: " + e.getMessage());
            }
        }
    }
}
