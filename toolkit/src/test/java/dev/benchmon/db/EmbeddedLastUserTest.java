package dev.benchmon.db;

import dev.benchmon.support.TempDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded server within one JVM as the last-user rule meets it: the instance that started it closing first, a
 * start while the last user stops it, and entries of the register left by a JVM killed with -9.
 */
class EmbeddedLastUserTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private Path home;
    private Path data;

    @BeforeEach
    void createHome() throws IOException {
        home = Files.createTempDirectory("benchmon-last-user");
        data = home.resolve("pgdata");
    }

    @AfterEach
    void deleteHome() {
        TempDirs.deleteQuietly(home);
    }

    @Test
    void a_server_its_starter_left_running_for_another_can_be_started_again_after_the_last_user_stopped_it() {
        EmbeddedPostgresServer starter = EmbeddedPostgresServer.startOrAttach(data, TIMEOUT);
        EmbeddedPostgresServer attached = EmbeddedPostgresServer.startOrAttach(data, TIMEOUT);
        starter.close(); // left running for the attached one, which then stops it
        attached.close();
        assertThat(data.resolve("postmaster.pid")).doesNotExist();

        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.startOrAttach(data, TIMEOUT)) {
            assertThat(again.owner()).isTrue();
            assertThat(answers(again)).isTrue();
        }
    }

    @Test
    void a_start_while_the_last_user_closes_gets_a_running_server() throws Exception {
        for (int round = 0; round < 6; round++) {
            EmbeddedPostgresServer last = EmbeddedPostgresServer.startOrAttach(data, TIMEOUT);
            CompletableFuture<EmbeddedPostgresServer> coming =
                    CompletableFuture.supplyAsync(() -> EmbeddedPostgresServer.startOrAttach(data, TIMEOUT));
            Thread.sleep(round * 10L);
            last.close();
            try (EmbeddedPostgresServer next = coming.get(60, TimeUnit.SECONDS)) {
                assertThat(answers(next)).as("round %d", round).isTrue();
            }
            assertThat(data.resolve("postmaster.pid")).as("round %d: the last user stopped it", round).doesNotExist();
        }
    }

    @Test
    void entries_left_by_a_jvm_killed_with_minus_nine_keep_nothing_running() throws IOException {
        Path users = EmbeddedPostgresServer.Users.of(data);
        Files.createDirectories(users);
        long pid = ProcessHandle.current().pid();
        // A container's JVM has the same pid every run: its predecessor's entries name this pid.
        Files.createFile(users.resolve(pid + "-1"));
        Files.createFile(users.resolve(pid + "-1700000000000-1"));
        // A process that ended, and one whose pid now belongs to another process (pid 1, started long before).
        Files.createFile(users.resolve("2147483-1700000000000-1"));
        Files.createFile(users.resolve("1-1-1"));

        EmbeddedPostgresServer.startOrAttach(data, TIMEOUT).close();

        assertThat(data.resolve("postmaster.pid")).doesNotExist();
        try (var left = Files.list(users)) {
            assertThat(left).isEmpty();
        }
    }

    private static boolean answers(EmbeddedPostgresServer server) {
        try (Connection c = DriverManager.getConnection(server.jdbcUrl(EmbeddedPostgresServer.DATABASE),
                EmbeddedPostgresServer.USER, server.password())) {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }
}
