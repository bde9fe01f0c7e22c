package dev.benchmon.server.api.errors;

import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A streamed answer that fails after its first bytes went out (a database read failing half-way) must reach the
 * client as a cut-off transfer, never as a complete-looking body with an error appended as one more CSV row.
 */
class CutShortAnswerTest {
    private Javalin app;
    private String base;

    @BeforeEach
    void start() {
        app = Javalin.create(config -> {
            ErrorResponses.register(config.routes);
            config.routes.get("/rows", ctx -> {
                ctx.contentType("text/csv");
                OutputStream out = ctx.outputStream();
                for (int i = 0; i < 100_000; i++) { // far more than any response buffer: the status and headers are sent
                    out.write(("row," + i + "\n").getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                throw new IllegalStateException("the database went away in the middle of the rows");
            });
            config.routes.get("/early", ctx -> {
                throw new IllegalStateException("failed before any byte");
            });
        }).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void a_failure_after_the_answer_started_cuts_the_transfer_instead_of_appending_an_error() {
        HttpClient http = HttpClient.newHttpClient();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(base + "/rows")).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void a_failure_before_the_answer_started_is_still_a_json_500() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/early")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("\"error\"").contains("request id");
    }
}
