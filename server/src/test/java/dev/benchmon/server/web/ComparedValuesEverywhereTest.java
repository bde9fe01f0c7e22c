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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every view of an unpaired comparison row states numbers that belong together: a user's lm-eval-like results (2
 * models x 3 tasks, acc with its stderr, 3 dates each) and a 4th, lower hellaswag run of the reference. The newest
 * results are judged by their stderr, so the API, the Compare tab and {@code benchmon compare} show those values
 * (0.524 - 0.442 = +0.082) and say so, beside run means of 0.466 and 0.522 that the difference is not about.
 */
class ComparedValuesEverywhereTest {
    private static final String A = "rows-pythia-1b";
    private static final String B = "rows-pythia-1.4b";

    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        Instant now = Instant.now();
        ArrayNode batch = ResultJson.mapper().createArrayNode();
        double[] small = {0.470, 0.476, 0.476};
        double[] large = {0.520, 0.522, 0.524};
        for (String task : List.of("rows-hellaswag", "rows-arc_easy", "rows-piqa")) {
            for (int day = 0; day < 3; day++) {
                batch.add(result(A, task, small[day], now.minus(Duration.ofDays(3 - day))));
                batch.add(result(B, task, large[day], now.minus(Duration.ofDays(3 - day))));
            }
        }
        batch.add(result(A, "rows-hellaswag", 0.442, now.minus(Duration.ofHours(1))));
        HttpResponse<String> r = server.postJson("/api/v1/results", batch.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static ObjectNode result(String model, String task, double acc, Instant at) {
        ObjectNode o = ResultJson.mapper().createObjectNode().put("model_version", model).put("dataset_version", task)
                .put("environment", "rows-local").put("run_at", at.minus(Duration.ofMinutes(5)).toString());
        o.putObject("metrics").put("acc", acc);
        o.putObject("stderr").put("acc", 0.003);
        return o;
    }

    private static JsonNode json(String body) {
        try {
            return ResultJson.mapper().readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(body, e);
        }
    }

    @Test
    void the_api_row_names_the_latest_results_it_compared_and_their_values() {
        HttpResponse<String> r = server.get("/api/v1/compare?model=" + A + "," + B + "&dataset=rows-hellaswag&last=30d");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode b = json(r.body()).at("/rows/1");

        assertThat(b.path("model_version").asText()).isEqualTo(B);
        assertThat(b.path("mean").asDouble()).isCloseTo(0.522, within(1e-12));
        assertThat(b.path("method").asText()).isEqualTo("welch_stderr");
        assertThat(b.path("compared").asText()).isEqualTo("latest_results");
        assertThat(b.path("value_ref").asDouble()).isCloseTo(0.442, within(1e-12));
        assertThat(b.path("value").asDouble()).isCloseTo(0.524, within(1e-12));
        assertThat(b.path("diff").asDouble()).isCloseTo(0.082, within(1e-12));
    }

    @Test
    void the_statistics_table_shows_the_two_values_the_difference_is_between() {
        String html = server.get("/compare?range=30d&dataset=rows-hellaswag&model=" + A + "&model=" + B).body();

        List<List<String>> stats = Html.table(html, "stats-table");
        assertThat(stats.get(0)).containsSubsequence("Mean", "Last", "Compared", "Difference", "95% interval", "p", "Method");
        List<String> b = stats.get(2);
        assertThat(b).containsSubsequence(B, "0.522", "0.524", "latest results: 0.524 \u2212 0.442", "+0.082",
                "[+0.07368, +0.09032]", "<0.0001", "Welch's t-test on the stderr given");
    }

    @Test
    void benchmon_compare_says_a_and_b_are_the_latest_results_and_gives_the_run_means() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int exit = cl.execute("compare", A, B, "--dataset", "rows-hellaswag", "--db", server.databaseUrl());

        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).containsPattern("acc +0\\.442 +0\\.524 +\\+0\\.082 .* welch_stderr")
                .contains("note: A and B are the latest results (#")
                .contains("judged by their reported stderr or n, as the unpaired comparison judges them (compared: "
                        + "latest_results), not the means of the runs on rows-hellaswag in rows-local: acc (run means: "
                        + "A 0.466 over 4 runs, B 0.522 over 3)");
    }
}
