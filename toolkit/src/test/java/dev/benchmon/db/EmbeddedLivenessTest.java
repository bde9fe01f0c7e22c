package dev.benchmon.db;

import dev.benchmon.support.TempDirs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Whether a process counts as alive when a later start looks for the owner of a running embedded PostgreSQL. */
class EmbeddedLivenessTest {

    @Test
    void a_zombie_process_is_not_alive_so_its_orphaned_postgres_is_adopted() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        // The inner sleep is a child of the exec'd `sleep 30`, which never reaps it: once it exits it is a zombie, as
        // a benchmon JVM killed with -9 stays under a PID 1 that does not reap (Docker without --init).
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.1 & exec sleep 30").start();
        Path home = Files.createTempDirectory("benchmon-liveness");
        try {
            long zombie = zombieChildOf(parent.pid());
            assertThat(ProcessHandle.of(zombie).map(ProcessHandle::isAlive)).as("ProcessHandle counts a zombie alive")
                    .contains(true);
            assertThat(EmbeddedPostgresServer.alive(zombie)).isFalse();
            assertThat(EmbeddedPostgresServer.alive(parent.pid())).isTrue();

            Path data = home.resolve("pgdata");
            Files.writeString(EmbeddedPostgresServer.OwnerFile.of(data), zombie + "\n");
            assertThat(EmbeddedPostgresServer.OwnerFile.orphaned(data)).isTrue();
            Files.writeString(EmbeddedPostgresServer.OwnerFile.of(data), parent.pid() + "\n");
            assertThat(EmbeddedPostgresServer.OwnerFile.orphaned(data)).isFalse();
        } finally {
            parent.destroyForcibly().waitFor();
            TempDirs.deleteQuietly(home);
        }
    }

    /** The pid of {@code parent}'s child once it is a zombie (state Z in /proc/PID/stat). */
    private static long zombieChildOf(long parent) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Path children = Path.of("/proc", Long.toString(parent), "task", Long.toString(parent), "children");
            List<String> pids = Files.exists(children) ? List.of(Files.readString(children).trim().split("\\s+")) : List.of();
            for (String p : pids) {
                if (p.isEmpty()) {
                    continue;
                }
                String stat = Files.readString(Path.of("/proc", p, "stat"));
                if (stat.charAt(stat.lastIndexOf(')') + 2) == 'Z') {
                    return Long.parseLong(p);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no zombie child of " + parent + " within 10 s");
    }
}
