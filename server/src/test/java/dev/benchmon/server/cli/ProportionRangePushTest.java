package dev.benchmon.server.cli;

import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code benchmon push --server} of percentages in several requests: each answer warns of the values outside [0, 1] of
 * its own request, and push says it once per metric (the first request's), not once per request.
 */
class ProportionRangePushTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    @Test
    void a_push_in_several_requests_says_it_once_per_metric() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            lines.append("{\"model_version\":\"range-batches\",\"dataset_version\":\"d\",\"run_id\":\"b").append(i)
                    .append("\",\"run_at\":\"2026-11-0").append(i + 1).append("T00:00:00Z\",\"metrics\":{\"accuracy\":8")
                    .append(i).append(".5}}\n");
        }
        Path file = Files.writeString(dir.resolve("four.jsonl"), lines);

        PushCommandTest.Run r = PushCommandTest.run("push", file.toString(), "--server", server.url(), "--batch-size", "2");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).containsOnlyOnce("is outside [0, 1]")
                .contains("results[0].metrics.accuracy: 80.5 is outside [0, 1]", "2 result(s) in this request");
    }
}
