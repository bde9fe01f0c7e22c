package dev.benchmon.db;

import dev.benchmon.support.ChildJvm;
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

    @Test
    void two_processes_started_at_once_on_a_new_home_both_store_their_results() throws Exception {
        Path home = Files.createTempDirectory("benchmon-race-processes");
        List<Process> processes = new ArrayList<>();
        try {
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            for (String model : List.of("first", "second")) {
                ProcessBuilder pb = new ProcessBuilder(javaBin, ChildJvm.C1_ONLY, ChildJvm.SERIAL_GC, "-cp", System.getProperty("java.class.path"),
                        Recorder.class.getName(), model).redirectErrorStream(true);
                pb.environment().put("BENCHMON_HOME", home.toString());
                processes.add(pb.start());
            }
            for (Process p : processes) {
                String out = new String(p.getInputStream().readAllBytes());
                assertThat(p.waitFor(90, TimeUnit.SECONDS)).as(out).isTrue();
                assertThat(p.exitValue()).as(out).isZero();
            }
            try (Benchmon bm = Benchmon.open(java.util.Map.of("BENCHMON_HOME", home.toString()))) {
                assertThat(bm.models()).contains("first", "second");
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
            TempDirs.deleteQuietly(home);
        }
    }

    /**
     * Runs in a child JVM: opens BENCHMON_HOME, records one result for the model named, and closes only once both
     * children have recorded theirs (a file each in the home): the process that started PostgreSQL stops it when it
     * closes, even while the other still opens or writes (a separate, known limit: docs/SETUP.md), which is not what
     * this test is about.
     */
    public static final class Recorder {
        public static void main(String[] args) throws Exception {
            Path home = Path.of(System.getenv("BENCHMON_HOME"));
            try (Benchmon bm = Benchmon.open()) {
                bm.record(Results.result(args[0], "d", 1, 0.9, 100));
                System.out.println("recorded " + args[0] + " owner=" + bm.database().embeddedServer().owner());
                Files.writeString(home.resolve("recorded-" + args[0]), "");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && (!Files.exists(home.resolve("recorded-first"))
                        || !Files.exists(home.resolve("recorded-second")))) {
                    Thread.sleep(100);
                }
            }
        }
    }
}
