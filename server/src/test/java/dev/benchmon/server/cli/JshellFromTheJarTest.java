package dev.benchmon.server.cli;

import dev.benchmon.server.support.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar benchmon.jar jshell --home DIR} as a user without the checkout's launcher script runs it: a real
 * JVM running the command, the JDK's real {@code jshell} as its child, lines typed on standard input.
 */
class JshellFromTheJarTest {
    @Test
    void the_jar_starts_a_jshell_session_with_bm_open_on_the_home_given(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("my-home");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                ChildJvm.C1_ONLY, ChildJvm.SERIAL_GC, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "jshell", "--home", home.toString()))
                .redirectErrorStream(true);
        pb.environment().remove("BENCHMON_DB_URL");
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        Path log = dir.resolve("session.log");
        pb.redirectOutput(log.toFile());
        Process session = pb.start();
        try {
            try (OutputStream in = session.getOutputStream()) {
                in.write("System.out.println(\"runs: \" + bm.history(Filter.all()).rowCount())\n/exit\n"
                        .getBytes(StandardCharsets.UTF_8));
            }
            boolean ended = session.waitFor(3, TimeUnit.MINUTES);
            String out = Files.readString(log);

            assertThat(ended).as(out).isTrue();
            assertThat(session.exitValue()).as(out).isZero();
            assertThat(out).contains("benchmon ready: bm = ", "runs: 0").doesNotContain("Exception", "error:");
            assertThat(home).isDirectory();
            // The embedded PostgreSQL stops with JShell's JVM: nothing of it is left running on the home.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            List<String> left;
            do {
                left = ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                        .filter(c -> c.contains(home.toString())).toList();
            } while (!left.isEmpty() && System.nanoTime() < until && pause());
            assertThat(left).isEmpty();
        } finally {
            session.descendants().forEach(ProcessHandle::destroyForcibly);
            session.destroyForcibly();
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(200);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
