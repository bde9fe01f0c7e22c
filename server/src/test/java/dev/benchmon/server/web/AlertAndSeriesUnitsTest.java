package dev.benchmon.server.web;

import dev.benchmon.alert.RunRecords;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert tables and the series page say a verdict's change in the metric's unit, as the run page and push do, and
 * the series page's change points name commits by their first 12 characters, as every other table does (they named
 * whole SHAs, the chart hover's words). Model au-latency: latency_ms about 100 ms for nineteen runs, then 140 ms,
 * one POST a run, each with its own commit.
 */
class AlertAndSeriesUnitsTest {
    private static final double[] STEADY = {100.2, 99.8, 100.5, 99.6, 100.1, 99.9, 100.3, 99.7, 100.0, 100.4, 99.5,
            100.2, 99.8, 100.1, 99.9, 100.3, 99.6, 100.0, 100.2};
    private static final double[] UP = {140.1, 139.8, 140.3, 140.0};
    private static final String LABEL = "au-latency / au-set @ci";

    @SharedServer
    private static TestServer server;

    private static String sha(int i) {
        return String.format(Locale.ROOT, "%08x", (i + 1) * 2654435761L & 0xffffffffL).repeat(5); // 40 hex digits
    }

    @BeforeAll
    static void seed() {
        Instant t0 = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MINUTES);
        for (int i = 0; i < STEADY.length + UP.length; i++) {
            double v = i < STEADY.length ? STEADY[i] : UP[i - STEADY.length];
            String body = String.format(Locale.ROOT, "{\"model_version\":\"au-latency\",\"dataset_version\":\"au-set\","
                    + "\"environment\":\"ci\",\"commit_sha\":\"%s\",\"run_at\":\"%s\",\"metrics\":{\"latency_ms\":%s}}",
                    sha(i), t0.plus(Duration.ofHours(i)), v);
            assertThat(server.postJson("/api/v1/results", body).statusCode()).isEqualTo(201);
        }
    }

    private static String seriesPage() {
        int id = new RunRecords(server.benchmon().jdbi()).seriesIds().get(LABEL);
        return server.get("/series/" + id).body();
    }

    @Test
    void the_alert_page_states_the_verdicts_change_in_the_metrics_unit() {
        List<List<String>> rows = Html.table(server.get("/alerts?model=au-latency").body(), "alerts-table");
        String id = rows.get(1).get(0).replace("#", "");

        assertThat(server.get("/alerts/" + id).body()).containsPattern("latency_ms regression: \\+[0-9.]+ ms \\(");
    }

    @Test
    void the_series_pages_alerts_state_the_verdicts_change_in_the_metrics_unit() {
        List<List<String>> rows = Html.table(seriesPage(), "series-alerts");

        assertThat(rows).anySatisfy(r -> assertThat(String.join(" | ", r)).containsPattern("latency_ms regression: \\+[0-9.]+ ms \\("));
    }

    @Test
    void the_alert_api_states_the_metrics_unit_and_the_verdicts_change_in_it() throws Exception {
        com.fasterxml.jackson.databind.JsonNode alert = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(server.get("/api/v1/alerts?model=au-latency").body()).path("alerts").get(0);

        assertThat(alert.path("unit").asText()).isEqualTo("ms");
        assertThat(alert.path("verdict").asText()).containsPattern("^latency_ms regression: \\+[0-9.]+ ms \\(");
    }

    @Test
    void alerts_show_states_the_values_and_the_verdicts_change_in_the_metrics_unit() {
        List<List<String>> rows = Html.table(server.get("/alerts?model=au-latency").body(), "alerts-table");
        String id = rows.get(1).get(0).replace("#", "");
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = dev.benchmon.server.cli.Main.commandLine(java.util.Map.of(),
                new java.io.ByteArrayInputStream(new byte[0]));
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(out, true));

        int code = cl.execute("alerts", "show", id, "--server", server.url());

        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).containsPattern("\\n  values +[0-9.]+ ms -> 1[34][0-9.]+ ms( \\(now [0-9.]+ ms\\))?\\n")
                .containsPattern("\\n  verdict +latency_ms regression: \\+[0-9.]+ ms \\(");
    }

    @Test
    void the_series_pages_change_points_name_commits_by_12_characters() {
        List<List<String>> rows = Html.table(seriesPage(), "series-change-points");

        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.get(2)).doesNotContainPattern("[0-9a-f]{13}"));
        assertThat(rows).anySatisfy(r -> assertThat(r.get(2)).containsPattern("since commit [0-9a-f]{12}\\.\\.[0-9a-f]{12}"));
    }
}
