package dev.benchmon.server.web;

import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Compare page's cost against quality puts only a cost on its cost axis (a time, cost or memory, lower is better):
 * without one it draws no chart and says why in one line, rather than drawing a quality (acc_norm) as a cost; and only a
 * metric that is no cost on its quality axis.
 */
class CostAxisPageTest {
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        // lm-eval's metrics alone: scores, no cost.
        post("{\"model_version\": \"nocost-a\", \"dataset_version\": \"hellaswag-nc\", \"metrics\": {\"acc\": 0.50, \"acc_norm\": 0.61}}");
        post("{\"model_version\": \"nocost-b\", \"dataset_version\": \"hellaswag-nc\", \"metrics\": {\"acc\": 0.52, \"acc_norm\": 0.64}}");
        // Scores beside a latency and a cost.
        post("{\"model_version\": \"costs-a\", \"dataset_version\": \"qa-costs\", \"metrics\": {\"f1\": 0.8, \"acc_norm\": 0.7, "
                + "\"latency_ms\": 120, \"cost_usd\": 0.004}}");
        post("{\"model_version\": \"costs-b\", \"dataset_version\": \"qa-costs\", \"metrics\": {\"f1\": 0.85, \"acc_norm\": 0.72, "
                + "\"latency_ms\": 180, \"cost_usd\": 0.006}}");
    }

    private static void post(String result) {
        HttpResponse<String> r = server.postJson("/api/v1/results", result);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    @Test
    void runs_without_a_cost_metric_get_no_chart_and_one_line_saying_why() {
        HttpResponse<String> r = server.get("/compare?range=7d&model=nocost-a&model=nocost-b&metric=acc_norm");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Html.text(Html.byId(r.body(), "no-cost"))).startsWith("No cost metric (latency, cost, memory: a time, "
                + "price or size, lower is better) in these runs, so no chart");
        assertThat(r.body()).doesNotContain("compare_scatter").doesNotContain("id=\"f-cost\"");
    }

    @Test
    void the_cost_selector_offers_only_the_cost_metrics() {
        String html = server.get("/compare?range=7d&model=costs-a&model=costs-b&metric=f1").body();

        assertThat(Html.byId(html, "f-cost")).contains("value=\"cost_usd\" selected", "value=\"latency_ms\"")
                .doesNotContain("value=\"f1\"", "value=\"acc_norm\"");
        assertThat(html).contains("compare_scatter").doesNotContain("id=\"no-cost\"");
    }

    @Test
    void a_quality_asked_for_as_the_cost_is_named_and_a_cost_drawn_instead() {
        HttpResponse<String> r = server.get("/compare?range=7d&model=costs-a&model=costs-b&metric=f1&cost=acc_norm");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>cost: &#39;acc_norm&#39; is not a cost metric (latency, cost, memory");
        assertThat(Html.byId(r.body(), "f-cost")).contains("value=\"cost_usd\" selected");
        assertThat(NotUnderstoodValuesTest.carried(r.body())).noneMatch(v -> v.contains("cost=acc_norm"));
    }

    @Test
    void the_quality_selector_offers_only_the_metrics_that_are_no_cost() {
        String html = server.get("/compare?range=7d&model=costs-a&model=costs-b&metric=f1").body();

        String quality = Html.byId(html, "f-quality");
        assertThat(quality.substring(0, quality.indexOf("</select>"))).contains("value=\"f1\" selected", "value=\"acc_norm\"")
                .doesNotContain("value=\"latency_ms\"", "value=\"cost_usd\"");
    }

    @Test
    void a_cost_asked_for_as_the_quality_is_named_and_a_quality_drawn_instead() {
        HttpResponse<String> r = server.get("/compare?range=7d&model=costs-a&model=costs-b&metric=f1&quality=latency_ms");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>quality: &#39;latency_ms&#39; is a cost metric (latency, cost, memory");
        assertThat(Html.byId(r.body(), "f-quality")).contains("value=\"f1\" selected");
        assertThat(NotUnderstoodValuesTest.carried(r.body())).noneMatch(v -> v.contains("quality=latency_ms"));
    }
}
