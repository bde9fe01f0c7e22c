package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/v1/names (type-ahead) and filter bars that list a bounded number of names. */
class NamesApiTest {
    private static final int MODELS = 150;
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        List<BenchmarkResult> results = new ArrayList<>();
        for (int i = 0; i < MODELS; i++) {
            results.add(BenchmarkResult.builder(String.format(Locale.ROOT, "model-%03d", i), "d").environment("ci")
                    .metric("f1", 0.5).metric(i % 2 == 0 ? "even_score" : "odd_score", 1).build());
        }
        server.benchmon().recordAll(results);
    }

    private static List<String> names(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        ResultsApiTest.json(r).get("names").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void models_starting_with_a_prefix_come_in_order_up_to_the_limit() {
        assertThat(names(server.get("/api/v1/names?kind=model&prefix=model-1&limit=3")))
                .containsExactly("model-100", "model-101", "model-102");
    }

    @Test
    void metrics_are_offered_too_those_starting_with_the_text_first() {
        assertThat(names(server.get("/api/v1/names?kind=metric&prefix=e"))).containsExactly("even_score", "odd_score");
    }

    @Test
    void a_name_is_found_whatever_the_case_of_the_text() {
        assertThat(names(server.get("/api/v1/names?kind=model&prefix=MODEL-14&limit=3")))
                .containsExactly("model-140", "model-141", "model-142");
        assertThat(names(server.get("/api/v1/names?kind=metric&prefix=EVEN"))).containsExactly("even_score");
    }

    @Test
    void a_name_is_found_by_text_within_it_after_the_names_that_start_with_it() {
        server.benchmon().record(BenchmarkResult.builder("Gemma-2b", "d").environment("ci").metric("f1", 0.5).build());
        server.benchmon().record(BenchmarkResult.builder("medgemma-v1", "d").environment("ci").metric("f1", 0.5).build());

        assertThat(names(server.get("/api/v1/names?kind=model&prefix=gemma"))).containsExactly("Gemma-2b", "medgemma-v1");
        assertThat(names(server.get("/api/v1/names?kind=model&prefix=MED"))).containsExactly("medgemma-v1");
    }

    @Test
    void percent_and_underscore_in_the_text_are_plain_characters() {
        assertThat(names(server.get("/api/v1/names?kind=metric&prefix=_s"))).containsExactly("even_score", "odd_score");
        assertThat(names(server.get("/api/v1/names?kind=model&prefix=%25"))).isEmpty();
    }

    @Test
    void an_unknown_kind_is_a_400_naming_the_parameter() {
        HttpResponse<String> r = server.get("/api/v1/names?kind=colour&prefix=x");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = ResultsApiTest.json(r);
        assertThat(body.toString()).contains("kind").contains("colour");
    }

    @Test
    void a_limit_beyond_200_is_a_400() {
        assertThat(server.get("/api/v1/names?kind=model&limit=500").statusCode()).isEqualTo(400);
    }

    @Test
    void the_filter_bar_lists_at_most_100_models_and_offers_the_rest_by_type_ahead() {
        String html = server.get("/?model=model-149").body();
        int boxes = html.split("name=\"model\" value=\"", -1).length - 1;
        assertThat(boxes).isEqualTo(100);
        assertThat(html).contains("value=\"model-149\" checked").contains("class=\"typeahead\" data-kind=\"model\"");
    }

    @Test
    void trends_draw_small_charts_only_for_the_metrics_the_focus_model_reports() {
        String html = server.get("/trends?model=model-001").body();
        assertThat(html.split("data-metric=\"", -1)).as("small charts").hasSize(3);
        assertThat(html).contains("data-metric=\"f1\"").contains("data-metric=\"odd_score\"");
    }
}
