package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A metric the latest run lacks is a {@code missing} verdict with no current value: {@code null} in the JSON answer
 * and an empty CSV cell, as the push answer has it, never {@code 0.0} (a stored verdict's empty value was read as 0).
 * Model mv-missing: f1 and recall, then f1 alone.
 */
class MissingMetricVerdictApiTest {
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        server.benchmon().record(BenchmarkResult.builder("mv-missing", "mv-set").environment("ci")
                .runAt(now.minus(2, ChronoUnit.HOURS)).metric("f1", 0.9).metric("recall", 0.88).build());
        server.benchmon().record(BenchmarkResult.builder("mv-missing", "mv-set").environment("ci")
                .runAt(now.minus(1, ChronoUnit.HOURS)).metric("f1", 0.9).build());
    }

    @Test
    void the_json_answer_gives_a_missing_metric_a_null_current_value() throws Exception {
        HttpResponse<String> r = server.get("/api/v1/regressions?model=mv-missing");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        JsonNode recall = null;
        for (JsonNode row : new ObjectMapper().readTree(r.body()).get("rows")) {
            if (row.get("metric").asText().equals("recall")) {
                recall = row;
            }
        }
        assertThat(recall).as(r.body()).isNotNull();
        assertThat(recall.get("outcome").asText()).isEqualTo("missing");
        assertThat(recall.get("baseline").asDouble()).isEqualTo(0.88);
        assertThat(recall.get("current").isNull()).as(recall.toString()).isTrue();
    }

    @Test
    void the_csv_answer_leaves_a_missing_metrics_current_cell_empty() {
        HttpResponse<String> r = server.get("/api/v1/regressions?model=mv-missing&format=csv");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        String[] lines = r.body().split("\r?\n");
        java.util.List<String> header = java.util.List.of(lines[0].split(","));
        String recallLine = java.util.Arrays.stream(lines).filter(l -> l.contains(",recall,")).findFirst().orElseThrow();
        String f1Line = java.util.Arrays.stream(lines).filter(l -> l.contains(",f1,")).findFirst().orElseThrow();
        int current = header.indexOf("current"); // before the texts that may hold commas
        assertThat(f1Line.split(",", -1)[current]).as(r.body()).isEqualTo("0.9");
        assertThat(recallLine.split(",", -1)[current]).as(r.body()).isEmpty();
    }
}
