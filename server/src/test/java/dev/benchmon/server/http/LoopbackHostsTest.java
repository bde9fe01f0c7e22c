package dev.benchmon.server.http;

import dev.benchmon.alert.NotifierSettings;
import dev.benchmon.server.ServerSettings;
import dev.benchmon.server.alert.AlertSettings;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DNS rebinding: an open server listening on loopback (no tokens, the default) answers only requests for this
 * machine's names for it. A web page elsewhere that points its own name at 127.0.0.1 sends requests with its own name
 * as {@code Host}; they read, push and triage nothing. The requests are written on a socket, as a browser's Host
 * header cannot be set through the JDK's HTTP client.
 */
class LoopbackHostsTest {
    @SharedServer
    private static TestServer server;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"127.0.0.1:{port}", "localhost:{port}", "LOCALHOST", "[::1]:{port}", "app.localhost:{port}",
            "127.0.0.2", "localhost.:{port}", "127.1:{port}", "127.0.1", "2130706433", "[::ffff:127.0.0.1]:{port}", "[0:0:0:0:0:0:0:1]"})
    void theMachinesOwnNamesForTheServerAreAnswered(String host) throws IOException {
        assertThat(statusLine(send(server.port(), "GET", "/api/v1/meta", host.replace("{port}", "" + server.port()), "")))
                .contains(" 200 ");
    }

    @Test
    void aReadForAnotherHostIsRefusedNamingTheHeaderAndWhatToDo() throws IOException {
        String answer = send(server.port(), "GET", "/api/v1/meta", "evil.example:" + server.port(), "");

        assertThat(statusLine(answer)).contains(" 403 ");
        assertThat(answer).contains("the Host header names 'evil.example:" + server.port() + "', which is not this server")
                .contains("--public-url");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"10.1", "[::ffff:10.0.0.1]", "[::2]", "2130706433.example", "0x7f.1", "127.99999999",
            "4294967296", "1.2.3.256", "127.1.evil.example"})
    void otherAddressesAndNamesThatOnlyLookLikeLoopbackAreRefused(String host) throws IOException {
        assertThat(statusLine(send(server.port(), "GET", "/api/v1/meta", host, ""))).contains(" 403 ");
    }

    @Test
    void thePagesAreRefusedForAnotherHostToo() throws IOException {
        assertThat(statusLine(send(server.port(), "GET", "/", "rebind.example", ""))).contains(" 403 ");
    }

    @Test
    void aPushForAnotherHostStoresNothing() throws IOException {
        String body = "{\"model_version\":\"rebound-push\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}";

        String answer = send(server.port(), "POST", "/api/v1/results", "evil.example:" + server.port(), body);

        assertThat(statusLine(answer)).contains(" 403 ");
        assertThat(server.get("/api/v1/history?model=rebound-push").body()).doesNotContain("\"rebound-push\"");
    }

    /** The public URL's host is answered, another is not; benchmon_web: a compose service's name, no host to java.net.URI. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"https://Benchmon.Example.com/, benchmon.example.com, other.example.com",
            "http://benchmon_web:7401/, benchmon_web:7401, benchmon_evil:7401"})
    void theHostOfThePublicUrlIsAnswered(String publicUrl, String ownHost, String otherHost) throws IOException {
        ServerSettings settings = ServerSettings.defaults().withAlerts(AlertSettings.none()
                .withNotifier(NotifierSettings.none().withDashboardUrl(publicUrl)));
        try (TestServer proxied = TestServer.start(settings)) {
            assertThat(statusLine(send(proxied.port(), "GET", "/api/v1/meta", ownHost, ""))).contains(" 200 ");
            assertThat(statusLine(send(proxied.port(), "GET", "/api/v1/meta", otherHost, ""))).contains(" 403 ");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"localhost:7070,localhost", "[::1]:7070,[::1]", "Example.COM.,example.com", "[::1],[::1]",
            "127.0.0.1,127.0.0.1", "::1,::1"})
    void theHostNameIsReadWithoutItsPortOrFinalDot(String header, String name) {
        assertThat(LoopbackHosts.hostName(header)).isEqualTo(name);
    }

    /** One HTTP/1.1 request on a socket of its own; the whole answer (status line, headers, body). */
    private static String send(int port, String method, String path, String host, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
                    + (bytes.length > 0 ? "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n" : "")
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String statusLine(String answer) {
        return answer.lines().findFirst().orElse("");
    }
}
