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
        Path file = Files.writeString(dir.resolve(name + ".json"), "{\"model_version\": \"dropped\", "
                + "\"dataset_version\": \"d\", \"metrics\": {\"acc\": 0.85, \"loss\": " + loss + "}}");
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
}
