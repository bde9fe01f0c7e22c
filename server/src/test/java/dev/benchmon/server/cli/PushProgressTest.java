package dev.benchmon.server.cli;

import dev.benchmon.server.support.ChildJvm;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code benchmon push} of a file sent in several requests draws a progress bar on a terminal, and none in a log. The
 * terminal is a real pseudo-terminal: the command runs in a child JVM under util-linux {@code script}.
 */
class PushProgressTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    private Path fiveResults() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            lines.append("{\"model_version\":\"progress-m\",\"dataset_version\":\"d\",\"run_id\":\"progress-").append(i)
                    .append("\",\"metrics\":{\"f1\":0.8").append(i).append("}}\n");
        }
        return Files.writeString(dir.resolve("five.jsonl"), lines);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void a_push_in_several_requests_draws_a_bar_on_a_terminal_that_ends_full() throws Exception {
        Path file = fiveResults();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = String.join(" ", List.of(java, ChildJvm.C1_ONLY, ChildJvm.SERIAL_GC, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "push", file.toString(), "--server", server.url(), "--batch-size", "2"));
        Process p = new ProcessBuilder("script", "-qefc", command, "/dev/null").redirectErrorStream(true).start();
        String seen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(seen).isZero();
        assertThat(seen).contains("\r" + ProgressBar.text(2, 5)).contains("\r" + ProgressBar.text(5, 5) + "\r\n")
                .contains("stored");
    }

    @Test
    void a_push_without_a_terminal_prints_no_bar() throws Exception {
        PushCommandTest.Run r = PushCommandTest.run("push", fiveResults().toString(), "--server", server.url(),
                "--batch-size", "2");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err() + r.out()).doesNotContain("[#", "\r");
    }
}
