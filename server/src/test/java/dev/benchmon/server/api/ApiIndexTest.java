package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void a_route_served_without_an_entry_is_refused_naming_it() {
        List<String> served = new java.util.ArrayList<>();
        ApiIndex.ENDPOINTS.forEach(e -> served.add(e.method() + " " + ApiRoutes.PREFIX + e.path()));
        served.add("DELETE " + ApiRoutes.PREFIX + "/alerts/{id}");

        assertThatThrownBy(() -> ApiIndex.requireListed(served)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DELETE /api/v1/alerts/{id} is served but not listed");
    }

    @Test
    void an_entry_whose_route_went_is_refused_naming_it() {
        List<String> served = new java.util.ArrayList<>();
        ApiIndex.ENDPOINTS.forEach(e -> served.add(e.method() + " " + ApiRoutes.PREFIX + e.path()));
        served.remove("GET /api/v1/names");

        assertThatThrownBy(() -> ApiIndex.requireListed(served))
                .hasMessageContaining("GET /api/v1/names is listed in ApiIndex.ENDPOINTS but not served");
    }

    @Test
    void a_server_that_serves_a_route_without_an_entry_does_not_start() {
        io.javalin.Javalin app = io.javalin.Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            ApiIndex.checkOnStart(config);
            for (ApiIndex.Endpoint e : ApiIndex.ENDPOINTS) {
                String path = ApiRoutes.PREFIX + e.path();
                switch (e.method()) {
                    case "GET" -> config.routes.get(path, ctx -> { });
                    case "POST" -> config.routes.post(path, ctx -> { });
                    case "PUT" -> config.routes.put(path, ctx -> { });
                    default -> throw new AssertionError("a method the index does not use: " + e.method());
                }
            }
            config.routes.delete(ApiRoutes.PREFIX + "/alerts/{id}", ctx -> { });
        });
        try {
            assertThatThrownBy(app::start).hasMessageContaining("DELETE /api/v1/alerts/{id} is served but not listed");
        } finally {
            app.stop();
        }
    }
}
