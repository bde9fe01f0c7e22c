package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.ConfigurationException;
import dev.benchmon.support.Results;
import dev.benchmon.support.TempDirs;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A home folder that holds a database but cannot be written: refused at once as a setup problem, not waited on. */
class EmbeddedReadOnlyHomeTest {

    @Test
    void a_file_system_refusing_a_write_is_told_from_a_lost_race() {
        // What zonky's lock file open throws on a read-only mount or a folder of another user.
        assertThat(EmbeddedPostgresServer.unwritable(new IOException("x", new FileNotFoundException(
                "/ro/pgdata/epg-lock (Read-only file system)")))).contains("Read-only file system");
        assertThat(EmbeddedPostgresServer.unwritable(new FileNotFoundException("/h/pgdata/epg-lock (Permission denied)")))
                .contains("Permission denied");
        assertThat(EmbeddedPostgresServer.unwritable(new FileSystemException("/ro/pgdata/x", null, "Read-only file system")))
                .contains("Read-only file system");
        assertThat(EmbeddedPostgresServer.unwritable(new AccessDeniedException("/h/pgdata/x"))).contains("Permission denied");
        // Another process holding the directory, or a server still starting: look again.
        assertThat(EmbeddedPostgresServer.unwritable(new IllegalStateException("could not lock /h/pgdata/epg-lock"))).isEmpty();
        assertThat(EmbeddedPostgresServer.unwritable(new IOException("Gave up waiting for server to start after 30000ms")))
                .isEmpty();
        assertThat(EmbeddedPostgresServer.unwritable(new RuntimeException((String) null))).isEmpty();
    }

    @Test
    void a_read_only_mount_of_a_home_with_a_database_is_refused_at_once_naming_the_folder() throws Exception {
        Path home = Files.createTempDirectory("benchmon-rw-home");
        Path mount = Files.createTempDirectory("benchmon-ro-home");
        try {
            try (Benchmon bm = Benchmon.open(Map.of("BENCHMON_HOME", home.toString()))) {
                bm.record(Results.result("m", "d", 1, 0.9, 100));
            }
            assumeTrue(run("mount", "--bind", home.toString(), mount.toString())
                    && run("mount", "-o", "remount,bind,ro", mount.toString()), "needs bind mounts (root)");
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> Benchmon.open(Map.of("BENCHMON_HOME", mount.toString())))
                        .isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining("the benchmon home folder " + mount + " is read-only (Read-only file system)")
                        .hasMessageContaining("BENCHMON_HOME")
                        .hasMessageContaining("copy")
                        .hasMessageNotContaining("remove"); // no stale postmaster.pid to blame
                assertThat((System.nanoTime() - start) / 1_000_000_000).as("seconds until refused").isLessThan(10);
            } finally {
                run("umount", mount.toString());
            }
        } finally {
            TempDirs.deleteQuietly(home);
            TempDirs.deleteQuietly(mount);
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor() == 0;
    }
}
