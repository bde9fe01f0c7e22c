package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** GET/PUT /api/v1/metrics/{name}: the detector's view of a metric, declarable with the write token. */
class MetricsEndpointTest {
    private static final String WRITE = "w-token-metrics";
    private static final int MAX_BODY = 4 * 1024;
    @SharedServer(writeToken = WRITE, maxBodyBytes = MAX_BODY)
    private static TestServer server;

    private static HttpResponse<String> put(String name, String body, String token) throws Exception {
        return put(name, body, token, "application/json");
    }

    private static HttpResponse<String> put(String name, String body, String token, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url().replaceAll("/$", "") + "/api/v1/metrics/" + name))
                .header("Content-Type", contentType).PUT(HttpRequest.BodyPublishers.ofString(body));
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

    /** " x" was described, with a declare command that benchmon metrics define then refused. */
    @Test
    void a_name_with_whitespace_at_an_end_is_a_400_naming_the_name_as_a_put_of_it_is() throws Exception {
        HttpResponse<String> r = server.get("/api/v1/metrics/%20x");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("name");
        assertThat(json(r).at("/details/0/message").asText()).startsWith("has whitespace at the start or end");
        assertThat(json(r).get("error").asText()).startsWith("invalid metric name in the path: has whitespace");
        assertThat(put("%20x", "{\"direction\": \"none\"}", WRITE).statusCode()).isEqualTo(400);
    }

    /** A push refuses a metric named with an invisible format character; x + U+200B was described, and declared by PUT. */
    @Test
    void a_name_holding_a_zero_width_space_is_a_400_to_get_and_put_as_to_a_push() throws Exception {
        HttpResponse<String> r = server.get("/api/v1/metrics/x%E2%80%8B");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("name");
        assertThat(put("x%E2%80%8B", "{\"direction\": \"none\"}", WRITE).statusCode()).isEqualTo(400);
    }

    @Test
    void a_put_with_the_write_token_declares_the_metric() throws Exception {
        HttpResponse<String> r = put("zorb_count", "{\"direction\": \"none\", \"unit\": \"count\"}", WRITE);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode o = json(server.get("/api/v1/metrics/zorb_count"));
        assertThat(o.get("direction").asText()).isEqualTo("none");
        assertThat(o.get("source").asText()).isEqualTo("declared");
        assertThat(o.get("built_in").asBoolean()).isFalse();
    }

    @Test
    void a_default_definition_the_schema_created_is_declared_and_built_in_alike_in_one_answer_and_in_the_list() throws Exception {
        JsonNode one = json(server.get("/api/v1/metrics/error_rate"));
        JsonNode listed = null;
        for (JsonNode m : json(server.get("/api/v1/metrics")).path("metrics")) {
            if (m.path("name").asText().equals("error_rate")) {
                listed = m;
            }
        }

        assertThat(one.get("source").asText()).isEqualTo("declared");
        assertThat(one.get("built_in").asBoolean()).as(one.toString()).isTrue();
        assertThat(listed).isEqualTo(one);
    }

    @Test
    void a_unit_of_time_makes_a_generic_name_a_time_with_the_time_default_minimum_effect() throws Exception {
        assertThat(put("zorb_mean", "{\"direction\": \"lower_is_better\", \"unit\": \"s\"}", WRITE).statusCode())
                .isEqualTo(200);

        JsonNode o = json(server.get("/api/v1/metrics/zorb_mean"));

        assertThat(o.get("kind").asText()).isEqualTo("time");
        assertThat(o.get("default_relative_min_effect").asDouble()).isEqualTo(0.02);
    }

    @Test
    void a_put_takes_the_minimum_effect_as_a_percentage_as_min_effect_of_a_push_does() throws Exception {
        HttpResponse<String> r = put("zorb_pct", "{\"direction\": \"higher_is_better\", \"min_effect\": \"2%\"}", WRITE);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(server.get("/api/v1/metrics/zorb_pct")).get("min_effect").asText()).isEqualTo("2%");
    }

    @Test
    void get_answers_min_effect_in_the_shape_put_takes_so_an_answer_puts_back_unchanged() throws Exception {
        // Relative: the string "2%". Absolute: a number in the metric's unit. Not stated: null, with the kind's default
        // as a fraction of the baseline.
        for (String stated : java.util.List.of("\"2%\"", "0.5")) {
            String name = stated.startsWith("\"") ? "zorb_rel" : "zorb_abs";
            assertThat(put(name, "{\"direction\": \"lower_is_better\", \"unit\": \"ms\", \"min_effect\": " + stated + "}", WRITE)
                    .statusCode()).isEqualTo(200);
            JsonNode got = json(server.get("/api/v1/metrics/" + name));
            assertThat(got.get("min_effect").toString()).isEqualTo(stated);

            String back = "{\"direction\": " + got.get("direction") + ", \"unit\": " + got.get("unit")
                    + ", \"min_effect\": " + got.get("min_effect") + "}";
            assertThat(put(name, back, WRITE).statusCode()).as(back).isEqualTo(200);
            assertThat(json(server.get("/api/v1/metrics/" + name))).isEqualTo(got);
        }
        JsonNode undeclared = json(server.get("/api/v1/metrics/eval_wer"));
        assertThat(undeclared.get("min_effect").isNull()).isTrue();
        assertThat(undeclared.get("default_relative_min_effect").isNumber()).isTrue();
    }

    @Test
    void a_minimum_effect_of_zero_percent_is_a_400_naming_min_effect() throws Exception {
        assertRefusedNaming("zorb_zero", "{\"direction\": \"none\", \"min_effect\": \"0%\"}", "min_effect");
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

    /** {"direction": 5} was told both "must be a string" and "is required". */
    @Test
    void a_direction_that_is_no_string_is_one_problem_not_also_missing() throws Exception {
        HttpResponse<String> r = put("zorb_number", "{\"direction\": 5}", WRITE);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode details = ResultJson.mapper().readTree(r.body()).path("details");
        assertThat(details).hasSize(1);
        assertThat(details.get(0).path("field").asText()).isEqualTo("direction");
        assertThat(details.get(0).path("message").asText()).startsWith("must be a string");
        assertThat(put("zorb_number", "{}", WRITE).body()).contains("direction: is required");
        assertNotDeclared("zorb_number");
    }

    @Test
    void a_body_that_is_not_json_is_explained_in_the_writers_terms() throws Exception {
        HttpResponse<String> r = put("zorb_quotes", "{'direction': 'none'}", WRITE);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/details/0/message").asText())
                .isEqualTo("is not valid JSON: a field name must be in double quotes, not single quotes (line 1, column 2)");
        assertNotDeclared("zorb_quotes");
    }

    @Test
    void a_body_cut_short_is_placed_where_its_content_ends_not_after_its_line_break() throws Exception {
        HttpResponse<String> r = put("zorb_cut", "{\"direction\": \"none\"\n", WRITE);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/details/0/message").asText()).isEqualTo("is not valid JSON: the JSON ends before the "
                + "object that starts at line 1, column 1 is closed (line 1, column 21)");
        assertNotDeclared("zorb_cut");
    }

    private static void assertNotDeclared(String name) throws Exception {
        assertThat(json(server.get("/api/v1/metrics/" + name)).get("source").asText()).isNotEqualTo("declared");
    }

    /** A PUT of {@code definition} is a 400 naming {@code field} alone, and {@code name} stays undeclared. */
    private static void assertRefusedNaming(String name, String definition, String field) throws Exception {
        HttpResponse<String> r = put(name, definition, WRITE);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("details").findValuesAsText("field")).as(r.body()).containsExactly(field);
        assertNotDeclared(name);
    }

    @Test
    void a_unit_holding_a_nul_is_a_400_naming_the_unit_and_stores_nothing() throws Exception {
        assertRefusedNaming("zorb_nul", "{\"direction\": \"none\", \"unit\": \"a\\u0000\"}", "unit");
    }

    @Test
    void a_unit_longer_than_64_characters_is_a_400_naming_the_unit() throws Exception {
        assertRefusedNaming("zorb_long", "{\"direction\": \"none\", \"unit\": \"" + "u".repeat(65) + "\"}", "unit");
    }

    @Test
    void a_description_holding_a_terminal_escape_is_a_400_naming_the_description() throws Exception {
        assertRefusedNaming("zorb_esc", "{\"direction\": \"none\", \"description\": \"\\u001b[31mred\"}", "description");
    }

    @Test
    void a_body_that_is_not_json_content_is_refused_with_415() throws Exception {
        HttpResponse<String> r = put("zorb_text", "{\"direction\": \"none\"}", WRITE, "text/plain");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(415);
        assertThat(json(r).get("error").asText()).contains("application/json");
        assertNotDeclared("zorb_text");
    }

    @Test
    void a_body_over_the_limit_is_a_413_not_a_400() throws Exception {
        String description = "d".repeat(MAX_BODY);
        HttpResponse<String> r = put("zorb_big", "{\"direction\": \"none\", \"description\": \"" + description + "\"}", WRITE);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertNotDeclared("zorb_big");
    }
}
