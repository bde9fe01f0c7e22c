package dev.benchmon.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.cli.Main;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slices come biggest change first, a drop as much as a gain, in the API, {@code benchmon compare} and the Compare page
 * alike. Data: 10 items in each of the slices a (+0.1), b (-0.5), c (+0.3) and d (-0.3); by size b, then c and d
 * (equal: by name), then a. By signed difference it was c, a, d, b: the biggest drop last.
 */
class SliceOrderTest {
    private static final List<String> BIGGEST_FIRST = List.of("topic=b", "topic=c", "topic=d", "topic=a");

    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        ArrayNode batch = ResultJson.mapper().createArrayNode();
        batch.add(result("slices-base", new int[] {0, 5, 0, 3}));
        batch.add(result("slices-cand", new int[] {1, 0, 3, 0}));
        HttpResponse<String> r = server.postJson("/api/v1/results", batch.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** A result on 40 items, 10 per slice a..d, whose first {@code ones[s]} items of slice s score 1. */
    private static ObjectNode result(String model, int[] ones) {
        ObjectNode o = ResultJson.mapper().createObjectNode().put("model_version", model)
                .put("dataset_version", "slices-qa").put("environment", "ci");
        ArrayNode examples = o.putArray("examples");
        double sum = 0;
        for (int s = 0; s < 4; s++) {
            for (int i = 0; i < 10; i++) {
                int score = i < ones[s] ? 1 : 0;
                sum += score;
                ObjectNode e = examples.addObject().put("id", "q" + s + "-" + i).put("score", score);
                e.putObject("slice").put("topic", String.valueOf((char) ('a' + s)));
            }
        }
        o.putObject("metrics").put("accuracy", sum / 40);
        return o;
    }

    @Test
    void the_api_lists_the_slices_biggest_change_first() throws Exception {
        HttpResponse<String> r = server.get("/api/v1/compare?paired=true&a=slices-base&b=slices-cand&dataset=slices-qa");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> slices = new ArrayList<>();
        for (JsonNode row : ResultJson.mapper().readTree(r.body()).at("/slices/rows")) {
            slices.add(row.path("slice").asText());
        }
        assertThat(slices).isEqualTo(BIGGEST_FIRST);
    }

    @Test
    void benchmon_compare_prints_the_slices_biggest_change_first() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));

        int code = cl.execute("compare", "slices-base", "slices-cand", "--dataset", "slices-qa", "--server", server.url());

        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("Slices, biggest change first, either way").containsSubsequence(
                "\ntopic=b ", "\ntopic=c ", "\ntopic=d ", "\ntopic=a ");
    }

    @Test
    void the_compare_page_shows_the_slices_biggest_change_first() {
        String html = server.get("/compare?range=7d&model=slices-base&model=slices-cand&dataset=slices-qa&metric=accuracy")
                .body();

        List<List<String>> rows = Html.table(html, "slice-table");
        assertThat(rows.subList(1, rows.size()).stream().map(r -> r.get(0).replace(" (small)", "")).toList())
                .isEqualTo(BIGGEST_FIRST);
        assertThat(html).contains("Biggest change first, a drop as much as a gain.");
    }
}
