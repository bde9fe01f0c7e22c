package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** GET/PUT /api/v1/metrics/{name}: the detector's view of a metric, declarable with the write token. */
class MetricsEndpointTest {
    private static final String WRITE = "w-token-metrics";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.withTokens(WRITE, null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> put(String name, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url().replaceAll("/$", "") + "/api/v1/metrics/" + name))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return ResultJson.mapper().readTree(r.body());
    }

    @Test
    void a_known_name_gets_its_direction_from_the_dictionary() throws Exception {
        JsonNode o = json(server.get("/api/v1/metrics/eval_wer"));
        assertThat(o.get("direction").asText()).isEqualTo("lower_is_better");
        assertThat(o.get("source").asText()).isEqualTo("dictionary");
    }

    @Test
    void an_unknown_name_says_how_to_declare_it() throws Exception {
        JsonNode o = json(server.get("/api/v1/metrics/frobnication"));
        assertThat(o.get("direction").asText()).isEqualTo("unknown");
        assertThat(o.get("declare").asText()).startsWith("benchmon metrics define frobnication");
    }

    @Test
    void a_put_with_the_write_token_declares_the_metric() throws Exception {
        HttpResponse<String> r = put("zorb_count", "{\"direction\": \"none\", \"unit\": \"count\"}", WRITE);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode o = json(server.get("/api/v1/metrics/zorb_count"));
        assertThat(o.get("direction").asText()).isEqualTo("none");
        assertThat(o.get("source").asText()).isEqualTo("declared");
    }

    @Test
    void a_put_without_the_token_is_refused_and_stores_nothing() throws Exception {
        assertThat(put("zorb_other", "{\"direction\": \"none\"}", null).statusCode()).isEqualTo(401);
        assertThat(json(server.get("/api/v1/metrics/zorb_other")).get("source").asText()).isNotEqualTo("declared");
    }

    @Test
    void a_bad_direction_is_a_400_naming_the_field() throws Exception {
        HttpResponse<String> r = put("zorb_bad", "{\"direction\": \"sideways\"}", WRITE);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("direction").contains("sideways");
    }
}
