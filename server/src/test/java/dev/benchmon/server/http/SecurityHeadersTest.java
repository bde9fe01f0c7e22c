package dev.benchmon.server.http;

import dev.benchmon.server.Tokens;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Security headers on every kind of response, and a write token that never reaches a browser cookie. */
class SecurityHeadersTest {
    private static final String WRITE = "write-secret-h";
    private static final String READ = "read-secret-h";
    @SharedServer(writeToken = WRITE, readToken = READ)
    private static TestServer server;

    private static void assertHardened(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as("nosniff on %s", r.uri()).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).as("Referrer-Policy on %s", r.uri()).isPresent();
        assertThat(r.headers().firstValue("Content-Security-Policy")).as("CSP on %s", r.uri()).isPresent();
        assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
                .as("frame-ancestors on %s", r.uri()).contains("frame-ancestors 'none'");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/login", "/api/v1/meta", "/api/v1/no-such-route", "/health", "/metrics",
            "/assets/dashboard.css", "/assets/dashboard.js", "/", "/snapshot.csv", "/trends/small-chart?chart=f1", "/api/v1/history?limit=-1"})
    void every_response_carries_the_security_headers_with_or_without_a_token(String path) {
        assertHardened(server.get(path));
        assertHardened(server.get(path, "Authorization", "Bearer " + READ));
    }

    @Test
    void the_login_form_runs_no_script_and_cannot_be_framed() {
        String csp = server.get("/login").headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'").contains("frame-ancestors 'none'").doesNotContain("script-src")
                .doesNotContain("unsafe-inline");
    }

    @Test
    void errors_from_a_push_carry_the_headers_too() {
        assertHardened(server.postJson("/api/v1/results", "{}"));
        assertHardened(server.postJson("/api/v1/results", "{", "Authorization", "Bearer " + WRITE));
    }

    @Test
    void signing_in_with_the_write_token_sets_no_cookie() {
        HttpResponse<String> r = server.post("/login", "token=" + WRITE + "&next=%2F", "application/x-www-form-urlencoded",
                "Origin", "http://127.0.0.1:" + server.port());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.contains(WRITE));
        assertThat(r.body()).contains("write token");
    }

    @Test
    void a_cookie_holding_the_write_token_opens_nothing() {
        assertThat(server.get("/api/v1/meta", "Cookie", Tokens.COOKIE + "=" + WRITE).statusCode()).isEqualTo(401);
        assertThat(server.get("/", "Cookie", Tokens.COOKIE + "=" + WRITE).statusCode()).isEqualTo(303);
    }
}
