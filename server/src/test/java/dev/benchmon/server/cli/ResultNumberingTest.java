package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refusal and a warning name a result alike: its position counted from 1 ({@code result 3}), as the warnings and
 * push's summary count, beside its 0-based JSON path ({@code results[2]}); of several files, a file's name goes with
 * the result's place in that file. Over real HTTP and real CLI runs against the shared server.
 */
class ResultNumberingTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /** Three results of model {@code model}, on one line; the third holds {@code third} (JSON fields) too. */
    private static String three(String model, String third) {
        return "[{\"model_version\":\"" + model + "\",\"dataset_version\":\"d1\",\"metrics\":{\"acc\":0.5}},"
                + "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d2\",\"metrics\":{\"acc\":0.6}},"
                + "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d3\"," + third + "}]";
    }

    /** A blank environment, which refuses the result it is in. */
    private static final String BLANK_ENVIRONMENT = "\"environment\":\" \",\"metrics\":{\"acc\":0.7}";

    @Test
    void the_apis_refusal_names_the_result_counted_from_1_beside_its_json_path() throws IOException {
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"results\": " + three("numbered-api", BLANK_ENVIRONMENT) + "}");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = ResultJson.mapper().readTree(r.body());
        assertThat(body.path("error").asText()).contains("result 3 (results[2].environment): must not be blank");
        assertThat(body.path("details").get(0).path("index").asInt()).as("the detail's index stays 0-based").isEqualTo(2);
    }

    @Test
    void push_names_a_refused_result_as_its_warnings_do() throws IOException {
        PushCommandTest.Run r = run("push", file("bad.json", three("numbered-cli", BLANK_ENVIRONMENT)).toString(),
                "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("bad.json: line 1: result 3 (results[2].environment): must not be blank").doesNotContain("[2] environment");
    }

    @Test
    void a_warning_in_the_second_file_names_the_result_by_its_place_in_that_file_beside_the_file() throws IOException {
        Path a = file("a.json", three("numbered-a", "\"metrics\":{\"acc\":0.7}"));
        Path b = file("b.json", three("numbered-b", "\"metrics\":{\"acc\":NaN,\"f1\":0.5}"));

        PushCommandTest.Run r = run("push", a.toString(), b.toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        // The 6th of all files' results, as push's summary counts; the 3rd of b.json, named with the file.
        assertThat(r.err()).contains("warning: results[5].metrics.acc: value NaN dropped",
                "[result 6, numbered-b / d3 @local] (result 3 of " + b + ")").doesNotContain("(" + b + ")");
    }
}
