package dev.benchmon.server.http;

import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies that never arrive: a client that hangs up mid-body is no 500; a stalled one gets a JSON 408. */
class RequestBodiesTest {
    @SharedServer(bodyTimeoutSeconds = 1)
    private static TestServer server;

    /** Larger than the server's read buffers, so that the handler is mid-read when the client goes. */
    private static final String PARTIAL = "{\"model_version\":\"cut\",\"notes\":\"" + "x".repeat(200_000);

    private Socket sendPartialBody() throws IOException {
        return sendPartialBody(false);
    }

    private Socket sendPartialBody(boolean chunked) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        OutputStream out = socket.getOutputStream();
        String framing = chunked ? "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(PARTIAL.length()) + "\r\n"
                : "Content-Length: 1000000\r\n\r\n";
        out.write(("POST /api/v1/results HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + framing + PARTIAL).getBytes(StandardCharsets.UTF_8));
        out.flush();
        return socket;
    }

    private long count500() {
        return server.get("/metrics").body().lines()
                .filter(l -> l.startsWith("benchmon_http_requests_total") && l.contains("status=\"500\"")).count();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "chunked={0}, reset={1}")
    @org.junit.jupiter.params.provider.CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void a_client_that_disconnects_mid_body_is_not_counted_as_a_server_error(boolean chunked, boolean reset) throws Exception {
        try (Socket socket = sendPartialBody(chunked)) {
            Thread.sleep(200); // let the server start reading the body
            if (reset) {
                socket.setSoLinger(true, 0); // close with RST instead of FIN
            }
        }
        Thread.sleep(300); // let the server notice
        // The next request on the server is answered normally, and no 500 was recorded.
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
        String metrics = server.get("/metrics").body();
        assertThat(metrics).as(metrics).doesNotContain("status=\"500\"");
        assertThat(server.get("/api/v1/history?model=cut").body()).doesNotContain("\"cut\"");
    }

    @Test
    void a_stalled_body_is_answered_408_in_the_json_error_format() throws Exception {
        try (Socket socket = sendPartialBody()) {
            socket.setSoTimeout(60_000);
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 408");
            assertThat(response).containsIgnoringCase("content-type: application/json")
                    .contains("\"status\":408").contains("\"error\"").contains("request_id")
                    .containsIgnoringCase("x-content-type-options: nosniff");
        }
        assertThat(count500()).isZero();
    }
}
