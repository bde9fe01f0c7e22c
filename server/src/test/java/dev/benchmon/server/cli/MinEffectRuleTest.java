package dev.benchmon.server.cli;

import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One rule for a minimum effect wherever it is given: above 0. {@code push --min-effect 0} was taken (every change
 * counted, however small) while {@code PUT /api/v1/metrics/NAME} with 0 was refused as "> 0".
 */
class MinEffectRuleTest {
    private static final String RULE = "must be a number > 0 in the metric's unit, or a percentage above 0 such as 2%";
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"0", "0%"})
    void push_min_effect_of_zero_is_refused_as_a_metric_definition_of_zero_is(String zero) throws Exception {
        Path file = Files.writeString(dir.resolve("r.json"), "{\"model_version\": \"me-zero\", \"dataset_version\": \"d\", "
                + "\"metrics\": {\"latency_ms\": 120}}");
        PushCommandTest.Run push = run("push", file.toString(), "--min-effect", zero, "--server", server.url());
        assertThat(push.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(push.err()).contains("error: invalid --min-effect: " + RULE + ", got '" + zero + "'");
        assertThat(server.get("/api/v1/history?model=me-zero").statusCode()).as("nothing stored").isEqualTo(404);

        PushCommandTest.Run define = run("metrics", "define", "latency_ms", "--direction", "lower_is_better",
                "--min-effect", zero, "--server", server.url());
        assertThat(define.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(define.err()).contains(RULE + ", got '" + zero + "'");
    }

    /** As --min-effect is: the flag typed, not the toolkit's argument name ("invalid argument: sensitivity"). */
    @Test
    void push_names_the_sensitivity_option_it_refuses_and_stores_nothing() throws Exception {
        Path file = Files.writeString(dir.resolve("s.json"), "{\"model_version\": \"me-sens\", \"dataset_version\": \"d\", "
                + "\"metrics\": {\"latency_ms\": 120}}");
        PushCommandTest.Run push = run("push", file.toString(), "--sensitivity", "extreme", "--server", server.url());
        assertThat(push.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(push.err()).startsWith("error: invalid --sensitivity: must be low, medium, high or a number")
                .contains("got 'extreme'").doesNotContain("invalid argument");
        assertThat(server.get("/api/v1/history?model=me-sens").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void the_api_refuses_a_min_effect_of_zero_for_a_request_and_for_a_definition_alike() throws Exception {
        HttpResponse<String> regressions = server.get("/api/v1/regressions?min_effect=0");
        assertThat(regressions.statusCode()).isEqualTo(400);
        assertThat(regressions.body()).contains("min_effect", RULE);

        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        server.url().replaceAll("/$", "") + "/api/v1/metrics/latency_ms"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"direction\": \"lower_is_better\", \"min_effect\": 0}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(400);
        assertThat(put.body()).contains("min_effect", RULE + ", got 0");
    }
}
