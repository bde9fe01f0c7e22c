package dev.benchmon.server.cli;

import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code benchmon compare A B} compares the two model versions' latest results: a metric only one of them reports is
 * left out of the table, and a note names it and whose result has it (a stray result with one metric as A's newest
 * had hidden every other metric with exit 0 and no word, while {@code GET /api/v1/compare} showed them all).
 */
class CompareLeftOutMetricsTest {
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void twoModelsAndAStrayResult() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            for (String model : new String[] {"leftout-a", "leftout-b"}) {
                lines.append("{\"model_version\":\"").append(model).append("\",\"dataset_version\":\"leftout-d\",")
                        .append("\"run_at\":\"2026-11-").append(String.format("%02d", i + 1)).append("T02:00:00Z\",")
                        .append("\"metrics\":{\"accuracy\":").append(0.80 + i % 3 / 1000.0).append(",\"f1\":")
                        .append(0.70 + i % 2 / 1000.0).append(",\"latency_ms\":").append(120 + i % 4).append("}}\n");
            }
        }
        // A's newest: a stray result of one metric.
        lines.append("{\"model_version\":\"leftout-a\",\"dataset_version\":\"leftout-d\",\"run_at\":\"2026-11-12T02:00:00Z\","
                + "\"metrics\":{\"accuracy\":0.801}}\n");
        PushCommandTest.Run pushed = run(java.util.Map.of(), lines.toString(), "push", "-", "--db", server.databaseUrl());
        assertThat(pushed.exitCode()).as(pushed.err()).isZero();
    }

    @Test
    void a_metric_only_one_latest_result_reports_is_named_in_a_note() {
        PushCommandTest.Run r = run("compare", "leftout-a", "leftout-b", "--dataset", "leftout-d", "--db", server.databaseUrl());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("note: not compared, as the other result does not report them: f1, latency_ms "
                + "\\(only in B's result, id [0-9]+\\); compare two results that both report them");
    }

    @Test
    void the_note_names_the_side_whose_result_reports_them_and_is_absent_when_both_report_every_metric()
            throws java.io.IOException {
        // A's result before the stray one reports all three metrics.
        var history = dev.benchmon.ingest.ResultJson.mapper().readTree(
                server.get("/api/v1/history?model=leftout-a&limit=2").body()).path("rows");
        String fullA = history.get(1).path("id").asText();

        PushCommandTest.Run reversed = run("compare", "leftout-b", "leftout-a", "--dataset", "leftout-d", "--db",
                server.databaseUrl());
        PushCommandTest.Run full = run("compare", fullA, "leftout-b", "--dataset", "leftout-d", "--db", server.databaseUrl());

        assertThat(reversed.out()).contains("not compared, as the other result does not report them: f1, latency_ms (only in A's result");
        assertThat(full.exitCode()).as(full.err()).isZero();
        assertThat(full.out()).contains("latency_ms").doesNotContain("not compared");
    }
}
