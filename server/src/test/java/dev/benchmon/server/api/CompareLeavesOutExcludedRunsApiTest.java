package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * GET /api/v1/compare reads only the results that count: a new user's two models with 65 runs each on one dataset,
 * two runs of B excluded through triage (broken, accuracy 0.10), compare says 65 runs of A and 63 of B and B's
 * mean is that of the runs that count.
 */
class CompareLeavesOutExcludedRunsApiTest {
    private static final String A = "cx-model-a";
    private static final String B = "cx-model-b";

    @SharedServer
    private static TestServer server;

    @Test
    void compare_leaves_excluded_runs_out_of_counts_and_means() throws Exception {
        Benchmon bm = server.benchmon();
        Instant t0 = Instant.now().minus(Duration.ofDays(20));
        List<Long> b = new ArrayList<>();
        for (int i = 0; i < 65; i++) {
            bm.record(BenchmarkResult.builder(A, "cx-dataset").runAt(t0.plusSeconds(3_600L * i))
                    .metric("accuracy", 0.80).build());
            b.add(bm.record(BenchmarkResult.builder(B, "cx-dataset").runAt(t0.plusSeconds(3_600L * i + 60))
                    .metric("accuracy", i == 10 || i == 20 ? 0.10 : 0.85).build()).transactionId());
        }
        bm.annotations().exclude(b.get(10), "runner lost its GPU", "ana");
        bm.annotations().exclude(b.get(20), "runner lost its GPU", "ana");

        HttpResponse<String> r = server.get("/api/v1/compare?model=" + A + "," + B + "&dataset=cx-dataset&last=30d");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode rows = ResultJson.mapper().readTree(r.body()).path("rows");
        assertThat(rows.size()).as(r.body()).isEqualTo(2);
        assertThat(rows.get(0).path("model_version").asText()).isEqualTo(A);
        assertThat(rows.get(0).path("n").asInt()).isEqualTo(65);
        assertThat(rows.get(1).path("model_version").asText()).isEqualTo(B);
        assertThat(rows.get(1).path("n").asInt()).isEqualTo(63);
        assertThat(rows.get(1).path("mean").asDouble()).isCloseTo(0.85, within(1e-12));
    }
}
