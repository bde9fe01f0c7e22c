package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1} lists the API, and every endpoint it lists is served with the method it names. */
class ApiIndexTest {
    @AutoClose
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.withTokens("write-token-of-the-index-test", "read-token-of-the-index-test");
    }

    @Test
    void the_index_answers_without_a_token_and_names_the_push_endpoint() throws Exception {
        HttpResponse<String> r = server.get("/api/v1");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode index = ResultJson.mapper().readTree(r.body());
        assertThat(index.path("endpoints").findValuesAsText("path")).contains("/api/v1/results", "/api/v1/history", "/health");
        assertThat(server.get("/api/v1/").body()).isEqualTo(r.body());
    }

    @Test
    void every_endpoint_listed_is_served_with_its_method() {
        for (ApiIndex.Endpoint e : ApiIndex.ENDPOINTS) {
            String path = ApiRoutes.PREFIX + e.path().replace("{id}", "1").replace("{name}", "f1");
            // OPTIONS asks which methods a path takes (204 with Allow), without running a handler; 404 when not served.
            HttpResponse<String> r = server.request("OPTIONS", path);
            assertThat(r.statusCode()).as(e.method() + " " + path).isEqualTo(204);
            assertThat(r.headers().firstValue("Allow")).as(path).hasValueSatisfying(a -> assertThat(a).contains(e.method()));
        }
    }
}
