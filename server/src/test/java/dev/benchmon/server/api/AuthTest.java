package dev.benchmon.server.api;

import dev.benchmon.ConfigurationException;
import dev.benchmon.server.BenchmonServer;
import dev.benchmon.server.ServerSettings;
import dev.benchmon.server.Tokens;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token matrix on a server with a write and a read token. */
class AuthTest {
    private static final String BODY = "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}";
    @SharedServer(writeToken = "write-secret", readToken = "read-secret")
    private static TestServer server;

    @Test
    void aPushWithoutATokenIs401WithAChallenge() {
        var r = server.postJson("/api/v1/results", BODY);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
    }

    @Test
    void aPushWithAWrongTokenIs401() {
        assertThat(server.postJson("/api/v1/results", BODY, "Authorization", "Bearer guess").statusCode()).isEqualTo(401);
    }

    @Test
    void aPushWithTheReadTokenIs403() {
        assertThat(server.postJson("/api/v1/results", BODY, "Authorization", "Bearer read-secret").statusCode()).isEqualTo(403);
    }

    @Test
    void aPushWithTheWriteTokenIsStored() {
        assertThat(server.postJson("/api/v1/results", BODY, "Authorization", "Bearer write-secret").statusCode()).isEqualTo(201);
    }

    @Test
    void aQueryWithoutATokenIs401() {
        assertThat(server.get("/api/v1/meta").statusCode()).isEqualTo(401);
        assertThat(server.get("/metrics").statusCode()).isEqualTo(401);
    }

    @Test
    void aQueryWithTheReadTokenOrTheLoginCookieIsAnswered() {
        var login = server.post("/login", "token=read-secret", "application/x-www-form-urlencoded",
                "Origin", "http://127.0.0.1:" + server.port());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();

        assertThat(server.get("/api/v1/meta", "Authorization", "Bearer read-secret").statusCode()).isEqualTo(200);
        assertThat(server.get("/api/v1/meta", "Cookie", cookie.substring(0, cookie.indexOf(';'))).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aLoginCookieHoldingTheReadTokenItselfDoesNotRead() {
        assertThat(server.get("/api/v1/meta", "Cookie", Tokens.COOKIE + "=read-secret").statusCode()).isEqualTo(401);
    }

    @Test
    void a_loopback_server_with_only_a_read_token_refuses_every_write() {
        try (TestServer readOnly = TestServer.withTokens(null, "only-read")) {
            var anonymous = readOnly.postJson("/api/v1/results", BODY);
            var withRead = readOnly.postJson("/api/v1/results", BODY, "Authorization", "Bearer only-read");
            assertThat(anonymous.statusCode()).isEqualTo(403);
            assertThat(anonymous.body()).contains("read-only");
            assertThat(withRead.statusCode()).isEqualTo(403);
            assertThat(readOnly.get("/api/v1/snapshots", "Authorization", "Bearer only-read").body()).doesNotContain("\"m\"");
        }
    }

    @Test
    void healthNeedsNoToken() {
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void theServerRefusesANonLoopbackBindWithoutAWriteToken() {
        assertThatThrownBy(() -> BenchmonServer.create(server.benchmon(), ServerSettings.defaults().withHost("0.0.0.0")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("BENCHMON_WRITE_TOKEN");
    }
}
