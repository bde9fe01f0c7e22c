package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.support.Results;
import dev.benchmon.support.TempDirs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two starts at the same moment on a new home: one creates and starts the database, the other attaches to it. */
class EmbeddedConcurrentStartTest {

    @Test
    void two_starts_at_once_on_a_new_home_both_get_the_one_database() throws Exception {
        Path home = Files.createTempDirectory("benchmon-race");
        Path data = home.resolve("pgdata");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<EmbeddedPostgresServer> servers = new ArrayList<>();
        try {
            CyclicBarrier together = new CyclicBarrier(2);
            List<Future<EmbeddedPostgresServer>> starts = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                starts.add(pool.submit(() -> {
                    together.await();
                    return EmbeddedPostgresServer.startOrAttach(data);
                }));
            }
            long begin = System.nanoTime();
            for (Future<EmbeddedPostgresServer> start : starts) {
                servers.add(start.get(90, TimeUnit.SECONDS));
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin);
            assertThat(servers).extracting(EmbeddedPostgresServer::port).containsOnly(servers.get(0).port());
            assertThat(servers).filteredOn(EmbeddedPostgresServer::owner).hasSize(1);
            assertThat(seconds).as("seconds until both had the database").isLessThan(40);
        } finally {
            servers.sort((a, b) -> Boolean.compare(a.owner(), b.owner())); // the attached one first, then the owner
            servers.forEach(EmbeddedPostgresServer::close);
            pool.shutdownNow();
            TempDirs.deleteQuietly(home);
        }
    }
}
