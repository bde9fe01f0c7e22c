package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code benchmon alerts list}'s terminal table: columns as wide as their cells, commit SHAs abbreviated. */
class AlertsTableTest {
    private static JsonNode alerts(String json) throws Exception {
        return ResultJson.mapper().readTree(json);
    }

    @Test
    void full_commit_shas_are_cut_to_twelve_digits_and_short_refs_are_kept() throws Exception {
        String table = AlertsCommand.ListAlerts.table(alerts("""
                [{"id": 7, "state": "open", "series": "m / d / p / ci", "metric": "f1", "change": "-12.0%",
                  "commit_range": "0123456789abcdef0123456789abcdef01234567..fedcba9876543210fedcba9876543210fedcba98"},
                 {"id": 8, "state": "open", "series": "m / d / p / ci", "metric": "f1", "change": "-3.0%",
                  "commit_range": "abc1234..def5678"}]"""));

        assertThat(table).contains("0123456789ab..fedcba987654\n", "abc1234..def5678\n")
                .doesNotContain("0123456789abc");
    }

    @Test
    void columns_are_as_wide_as_their_longest_cell() throws Exception {
        String series = "medgemma-v1.2-instruct-long-name / benchmark-set-v3 / analysis-v4 / ci-gpu-a100";
        String table = AlertsCommand.ListAlerts.table(alerts("""
                [{"id": 1, "state": "open", "series": "%s", "metric": "f1", "change": "-12.0%%", "commit_range": "a..b"},
                 {"id": 22, "state": "acknowledged", "series": "m", "metric": "latency_ms", "change": "+40.0%%", "commit_range": ""}]"""
                .formatted(series)));

        String[] lines = table.split("\n");
        assertThat(lines).hasSize(3);
        // every row's METRIC column starts where the header's does, past the longest series name
        int metric = lines[0].indexOf("METRIC");
        assertThat(metric).isGreaterThan(series.length());
        assertThat(lines[1].indexOf("f1")).isEqualTo(metric);
        assertThat(lines[2].indexOf("latency_ms")).isEqualTo(metric);
    }
}
