package dev.benchmon.server.web;

import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** A dashboard path answers an error as a small HTML page; the API keeps its JSON errors (whole server). */
class DashboardErrorPagesTest {
    @SharedServer
    private static TestServer server;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/runs/abc         | 400 | id must be a whole number",
            "/series/-1        | 404 | series -1 not found",
            "/runs/999999999   | 404 | run 999999999 not found",
            "/no-such-page     | 404 | "})
    void a_dashboard_path_answers_an_error_as_a_small_html_page(String path, int status, String message) {
        HttpResponse<String> r = server.get(path);

        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(r.body()).startsWith("<!DOCTYPE html>").contains("<h1>" + status + " ")
                .contains("<a href=\"/\">Back to the dashboard</a>");
        if (message != null) {
            assertThat(r.body()).contains("<p class=\"error\">" + message + "</p>");
        }
    }

    @Test
    void a_too_long_dashboard_url_is_a_414_page() {
        HttpResponse<String> r = server.get("/?model=" + "m".repeat(9_000));

        assertThat(r.statusCode()).isEqualTo(414);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(r.body()).contains("too long").contains("<a href=\"/\">Back to the dashboard</a>")
                .doesNotContain("mmmmm");
    }

    /** Javalin's 404 names the path; quotes and ampersands (a URL keeps them unescaped) are escaped on the page. */
    @Test
    void an_error_page_escapes_what_it_echoes() {
        HttpResponse<String> r = server.get("/no-such-'x'&y");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("/no-such-&#39;x&#39;&amp;y").doesNotContain("'x'&y");
    }

    @Test
    void the_api_keeps_its_json_errors() {
        HttpResponse<String> r = server.get("/api/v1/no-such-route");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.body()).startsWith("{\"error\"");
    }

    /**
     * Past the documented limits but within Jetty's, the API still answers in its JSON error format, from the route
     * (which echoes the client's request id; Jetty's own refusal, before routing, cannot read it and makes a new one).
     */
    @Test
    void the_api_answers_a_too_long_url_or_headers_in_json_with_the_request_id() {
        HttpResponse<String> url = server.get("/api/v1/history?model=" + "m".repeat(9_000), "X-Request-Id", "long-url-1");
        HttpResponse<String> headers = server.get("/api/v1/history", "X-Big", "h".repeat(9_000),
                "X-Request-Id", "big-headers-1");

        assertThat(url.statusCode()).isEqualTo(414);
        assertThat(url.body()).startsWith("{\"error\":\"the request URL is too long");
        assertThat(url.headers().firstValue("X-Request-Id")).hasValue("long-url-1");
        assertThat(headers.statusCode()).isEqualTo(431);
        assertThat(headers.body()).startsWith("{\"error\":\"the request headers are too large");
        assertThat(headers.headers().firstValue("X-Request-Id")).hasValue("big-headers-1");
    }

    @Test
    void too_large_headers_on_a_dashboard_path_are_a_431_page() {
        HttpResponse<String> r = server.get("/trends", "X-Big", "h".repeat(9_000));

        assertThat(r.statusCode()).isEqualTo(431);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(r.body()).contains("Back to the dashboard");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api", "/api/", "/api/v2/history"})
    void every_path_under_api_keeps_json_errors(String path) {
        HttpResponse<String> r = server.get(path);

        assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    }
}
