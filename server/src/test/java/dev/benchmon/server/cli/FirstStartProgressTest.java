package dev.benchmon.server.cli;

import dev.benchmon.server.support.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The very first start (no PostgreSQL binaries unpacked yet, no database) says what it does in the order it does it:
 * it said "creating the embedded PostgreSQL database" before "unpacking the PostgreSQL binaries", which initdb needs.
 */
class FirstStartProgressTest {
    @TempDir
    Path dir;

    @Test
    void the_first_start_says_it_unpacks_the_binaries_before_it_creates_the_database() throws Exception {
        // A child JVM through Main.main, as a user runs it, with a home and a binaries cache of its own.
        Path result = Files.writeString(dir.resolve("r.json"),
                "{\"model_version\": \"m\", \"dataset_version\": \"d\", \"metrics\": {\"f1\": 0.5}}");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, ChildJvm.C1_ONLY, ChildJvm.SERIAL_GC, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "import", result.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("BENCHMON_"));
        pb.environment().put("BENCHMON_HOME", dir.resolve("home").toString());
        // A short cache path: the links zonky gets are tar entries, whose link names hold at most 100 bytes.
        Path cache = Files.createTempDirectory(Path.of("/tmp"), "bmc");
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        String err;
        try {
            Process process = pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(err).isZero();
        } finally {
            try (var all = Files.walk(cache)) {
                all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        assertThat(err).containsSubsequence("unpacking the PostgreSQL binaries",
                "creating the embedded PostgreSQL database", "embedded PostgreSQL created and started");
    }
}
