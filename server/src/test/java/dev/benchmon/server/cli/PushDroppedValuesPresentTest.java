package dev.benchmon.server.cli;

import dev.benchmon.server.cli.PushCommandTest.Run;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result whose metric value is dropped at input (NaN, text) is keyed by the values left, as stored: a run that differs
 * from a stored one only in such a value is answered already present, and {@code benchmon push} says it was compared
 * without the dropped value, not that the file's values were the same.
 */
class PushDroppedValuesPresentTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    private Run push(String name, String loss) throws IOException {
        return push(name, "dropped", "", loss);
    }

    /** Pushes one result of model {@code model}, with {@code fields} (e.g. {@code "run_at": "...", }) before its metrics. */
    private Run push(String name, String model, String fields, String loss) throws IOException {
        Path file = Files.writeString(dir.resolve(name + ".json"), "{\"model_version\": \"" + model + "\", "
                + "\"dataset_version\": \"d\", " + fields + "\"metrics\": {\"acc\": 0.85, \"loss\": " + loss + "}}");
        return run("push", file.toString(), "--server", server.url());
    }

    @Test
    void a_result_present_once_its_dropped_value_is_left_out_says_it_was_compared_without_that_value() throws IOException {
        assertThat(push("first", "\"diverged\"").exitCode()).isZero();

        Run again = push("second", "NaN");

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).containsPattern("already present without the values dropped above: result 1 \\(id \\d+\\) "
                + "\\(metrics\\.loss\\): the values left match a stored result");
    }

    @Test
    void a_result_keyed_by_its_content_is_told_to_give_each_run_a_run_id_or_run_at() throws IOException {
        assertThat(push("content-first", "dropped-content", "", "\"diverged\"").exitCode()).isZero();

        Run again = push("content-second", "dropped-content", "", "NaN");

        assertThat(again.out()).as(again.out() + again.err()).containsPattern("already present without the values "
                + "dropped above: result 1 \\(id \\d+\\) \\(metrics\\.loss\\): .*or give each run a run_id or run_at "
                + "to store it apart\\)");
    }

    @Test
    void a_result_with_a_run_at_is_told_to_send_a_run_id_or_an_idempotency_key_not_a_run_at() throws IOException {
        String runAt = "\"run_at\": \"2026-11-30T10:00:00Z\", ";
        assertThat(push("at-first", "dropped-run-at", runAt, "\"diverged\"").exitCode()).isZero();

        Run again = push("at-second", "dropped-run-at", runAt, "NaN");

        assertThat(again.out()).as(again.out() + again.err())
                .contains("or send a run_id or an idempotency_key to store it apart)")
                .doesNotContain("give each run a run_id or run_at");
    }
}
