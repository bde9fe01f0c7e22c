package dev.benchmon.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client every server command uses, against servers on a raw socket whose JSON answer stalls or breaks off after
 * its 201 or 200 began: a push's answer and a triage's as well as a read's.
 */
class PushClientAnswersTest {
    /** A 201's head and the first bytes of its JSON, then (Content-Length says) more to come. */
    private static final String CREATED_START = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
            + "Content-Length: 5000\r\n\r\n{\"results\": ";

    private final StringWriter log = new StringWriter();

    private PushClient client(RawServer server) {
        return new PushClient(URI.create(server.url() + "/"), null, 3, Duration.ofMillis(10), new PrintWriter(log, true),
                "Pushing again is safe.").waiting(Duration.ofSeconds(1));
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without the watchdog: forever
    void a_push_whose_answer_stalls_midway_is_given_up_after_the_timeout() throws Exception {
        CountDownLatch closedByClient = new CountDownLatch(1);
        try (RawServer stalling = RawServer.stalling(CREATED_START, closedByClient)) {
            assertThatThrownBy(() -> client(stalling).postJson("api/v1/results", "{}"))
                    .isInstanceOfSatisfying(CliException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
                        assertThat(e.getMessage()).contains("POST /api/v1/results stalled: the server sent nothing for 1 s",
                                "Pushing again is safe.");
                    });
            assertThat(stalling.requests).isEqualTo(1); // given up, not sent again into the same silence
            assertThat(closedByClient.await(10, TimeUnit.SECONDS)).as("the client closed the connection").isTrue();
            RawServer.assertNoWatchdogLeft();
        }
    }

    @Test
    void a_push_whose_answer_breaks_off_is_sent_again_as_its_keys_make_safe() throws Exception {
        try (RawServer cutting = RawServer.cutting(CREATED_START)) {
            assertThatThrownBy(() -> client(cutting).postJson("api/v1/results", "{}"))
                    .isInstanceOfSatisfying(CliException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
                        assertThat(e.getMessage()).contains("POST /api/v1/results broke off while its answer came");
                    });
            assertThat(cutting.requests).isEqualTo(3);
            assertThat(log.toString()).contains("attempt 1 of 3: POST /api/v1/results broke off");
        }
    }

    @Test
    void a_triage_whose_answer_breaks_off_is_not_sent_again() throws Exception {
        // Its 2xx said the change was stored; a repeat would store a second row of the alert's history.
        try (RawServer cutting = RawServer.cutting(CREATED_START.replace("201 Created", "200 OK"))) {
            assertThatThrownBy(() -> client(cutting).post("api/v1/alerts/1/ack", "{}"))
                    .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.getMessage())
                            .contains("POST /api/v1/alerts/1/ack broke off while its answer came"));
            assertThat(cutting.requests).isEqualTo(1);
        }
    }

    @Test
    void the_advice_for_when_nothing_answers_follows_only_a_failure_to_connect() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        PushClient nobody = new PushClient(URI.create("http://127.0.0.1:" + port + "/"), null, 2, Duration.ofMillis(10),
                new PrintWriter(log, true), "Listing again is safe.").whenNothingAnswers(" Nothing answers: start it.");

        assertThatThrownBy(() -> nobody.getJson("api/v1/alerts")).isInstanceOfSatisfying(CliException.class, e ->
                assertThat(e.getMessage()).contains("cannot reach http://127.0.0.1:" + port,
                        "Listing again is safe. Nothing answers: start it."));

        com.sun.net.httpserver.HttpServer busy = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        busy.createContext("/", x -> {
            x.sendResponseHeaders(503, -1);
            x.close();
        });
        busy.start();
        try {
            PushClient answering = new PushClient(URI.create("http://127.0.0.1:" + busy.getAddress().getPort() + "/"),
                    null, 2, Duration.ofMillis(10), new PrintWriter(log, true), "Listing again is safe.")
                    .whenNothingAnswers(" Nothing answers: start it.");

            assertThatThrownBy(() -> answering.getJson("api/v1/alerts")).isInstanceOfSatisfying(CliException.class, e ->
                    assertThat(e.getMessage()).contains("The server answered, but its database is unavailable",
                            "Listing again is safe.").doesNotContain("Nothing answers"));
        } finally {
            busy.stop(0);
        }
    }
}
