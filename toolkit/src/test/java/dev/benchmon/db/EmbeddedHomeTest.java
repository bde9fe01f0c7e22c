package dev.benchmon.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link EmbeddedHome#beingCreated}: another holder of the start lock, and no PG_VERSION yet. */
class EmbeddedHomeTest {
    @TempDir
    Path home;

    @Test
    void a_home_is_being_created_while_another_holds_its_start_lock_before_initdb_wrote_pg_version() throws Exception {
        Path data = Files.createDirectories(home.resolve(EmbeddedHome.DATA_DIRECTORY));
        assertThat(EmbeddedHome.beingCreated(home)).as("no lock file: nobody creates it").isFalse();
        assertThat(EmbeddedPostgresServer.StartLock.of(data)).doesNotExist(); // the check created none

        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> { // another thread, as another process
            try (EmbeddedPostgresServer.StartLock lock = EmbeddedPostgresServer.StartLock.tryAcquire(data).orElseThrow()) {
                held.countDown();
                release.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(EmbeddedHome.beingCreated(home)).isTrue();

            Files.writeString(data.resolve("PG_VERSION"), "17\n"); // initdb got that far: a database, starting
            assertThat(EmbeddedHome.beingCreated(home)).isFalse();
        } finally {
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
        }
        Files.delete(data.resolve("PG_VERSION"));
        assertThat(EmbeddedHome.beingCreated(home)).as("the lock released, initdb gone: nobody creates it").isFalse();
    }
}
