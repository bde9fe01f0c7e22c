package dev.benchmon.server.cli;

import dev.benchmon.server.support.ChildJvm;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code benchmon import} draws the same progress bar as {@code push} ({@link ProgressBar}) on a terminal: redrawn
 * after each chunk, ending full, and the summary on a line of its own. The terminal is a real pseudo-terminal: the
 * command runs in a child JVM under util-linux {@code script}.
 */
class ImportProgressTest {
    @TempDir
    Path dir;

    @Test
    @EnabledOnOs(OS.LINUX)
    void an_import_on_a_terminal_draws_a_bar_that_ends_full_before_the_summary() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            lines.append("{\"model_version\":\"bar-m\",\"dataset_version\":\"d\",\"run_id\":\"bar-").append(i)
                    .append("\",\"metrics\":{\"f1\":0.8").append(i).append("}}\n");
        }
        Path file = Files.writeString(dir.resolve("three.jsonl"), lines);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = String.join(" ", List.of(java, ChildJvm.C1_ONLY, ChildJvm.SERIAL_GC, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "import", file.toString(), "--db", "'" + TestServer.freshDatabaseUrlWithCredentials() + "'"));
        Process p = new ProcessBuilder("script", "-qefc", command, "/dev/null").redirectErrorStream(true).start();
        String seen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(seen).isZero();
        assertThat(seen).contains("\r" + ProgressBar.text(3, 3) + "\r\nimported 3 result(s): 3 stored");
    }
}
