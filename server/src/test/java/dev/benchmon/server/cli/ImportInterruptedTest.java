package dev.benchmon.server.cli;

import dev.benchmon.server.support.ChildJvm;
import dev.benchmon.Benchmon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C during {@code benchmon import} on the embedded database: the JVM's shutdown stopped PostgreSQL under the chunk
 * being written, and the user got hundreds of lines of stack traces and SQL. Now: what is stored, in three lines, and a
 * second run of the same import stores the rest.
 */
class ImportInterruptedTest {
    private static final int RESULTS = 100_000;

    @TempDir
    Path dir;

    @Test
    void ctrl_c_during_an_import_says_what_is_stored_and_the_same_import_again_stores_the_rest() throws Exception {
        Path file = dir.resolve("big.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < RESULTS; i++) {
                w.write("{\"model_version\":\"m" + (i % 20) + "\",\"dataset_version\":\"d\",\"run_id\":\"r" + i
                        + "\",\"metrics\":{\"acc\":" + (0.5 + i * 1e-7) + "}}\n");
            }
        }
        Path home = dir.resolve("home");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, ChildJvm.C1_ONLY, ChildJvm.SERIAL_GC, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "import", file.toString(), "--home", home.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("BENCHMON_"));
        Process process = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            // A JVM started from a background job of a non-interactive shell (a CI runner's) inherits SIGINT ignored,
            // and Java cannot take it back: SIGTERM, which runs the same shutdown steps, stands in for Ctrl-C there.
            String signal = ignoresSigint(process.pid()) ? "-TERM" : "-INT";
            awaitFirstChunk(home, process);
            assertThat(new ProcessBuilder("kill", signal, Long.toString(process.pid())).start().waitFor()).isZero();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited after kill " + signal).isTrue();
        } finally {
            process.destroyForcibly();
        }
        String err = Files.readString(dir.resolve("stderr.txt"));

        assertThat(err).doesNotContain("\tat ", "Exception", "SELECT", "WARN");
        Matcher said = Pattern.compile("interrupted: ([\\d,]+) of the input's 100,000 result\\(s\\) are stored "
                + "\\(chunks? 1(-\\d+)? committed\\)").matcher(err);
        assertThat(said.find()).as(err).isTrue();
        assertThat(err).contains("run the same import again to store the rest");
        assertThat(err.lines().filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d INFO progress - .*")).toList()).as(err).hasSize(3);
        long stored = Long.parseLong(said.group(1).replace(",", ""));
        assertThat(stored).isPositive().isLessThan(RESULTS);

        PushCommandTest.Run again = PushCommandTest.run(Map.of(), "", "import", file.toString(), "--home", home.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("imported 100000 result(s): " + (RESULTS - stored) + " stored, " + stored
                + " already present");
        assertThat(count(home)).isEqualTo(RESULTS);
    }

    /** Waits until the child's import committed its first chunk (read from the database it runs, attached to). */
    private static void awaitFirstChunk(Path home, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the import still runs").isTrue();
            if (Files.exists(home.resolve("pgdata").resolve("postmaster.pid"))) {
                try {
                    if (count(home) > 0) {
                        return;
                    }
                } catch (RuntimeException notYet) {
                    // the schema is being created
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no chunk committed within 120 s");
    }

    private static long count(Path home) {
        try (Benchmon bm = Benchmon.embedded(home)) {
            return bm.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions")
                    .mapTo(Long.class).one());
        }
    }

    /** Whether {@code pid} ignores SIGINT (inherited from a shell's background job): the JVM then has no handler for it. */
    static boolean ignoresSigint(long pid) throws java.io.IOException {
        List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
        return status.stream().filter(l -> l.startsWith("SigIgn:")).findFirst()
                .map(l -> (Long.parseUnsignedLong(l.substring(7).strip(), 16) & (1L << 1)) != 0).orElse(false);
    }
}
