package dev.benchmon.server.cli;

import dev.benchmon.server.ingest.MetricChange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A regression's line in the push summary says its change once: the engine's explanation starts with it, so the
 * change the alerts word ({@code -10.4 points}, {@code +75.7%}) stands in parentheses only when the explanation does
 * not say it (it was {@code (-10.4 points, critical): -10.4 points (32.9 sd)}).
 */
class PushRegressionLineTest {
    @Test
    void a_proportions_change_in_points_is_said_once() {
        MetricChange f1 = new MetricChange("f1", 0.804, 0.70, -0.129, "critical", "regression", -32.9,
                "-10.4 points (32.9 sd), since commit 1a2b3c4..5d6e7f8", "-10.4 points");

        assertThat(PushSummary.describe(f1))
                .isEqualTo("f1 0.8040 -> 0.7000, critical: -10.4 points (32.9 sd), since commit 1a2b3c4..5d6e7f8");
    }

    @Test
    void a_percent_change_is_said_once_beside_the_change_in_the_metrics_unit() {
        MetricChange latency = new MetricChange("latency_ms", 102.4, 180.0, 0.757, "critical", "regression", 47.1,
                "+77.6 (+75.7%) (47.1 sd)", "+75.7%", "ms");

        assertThat(PushSummary.describe(latency))
                .isEqualTo("latency_ms 102.4 ms -> 180.0 ms, critical: +77.6 ms (+75.7%) (47.1 sd)");
    }

    @Test
    void a_change_the_explanation_does_not_say_keeps_its_parentheses() {
        MetricChange older = new MetricChange("f1", 0.9, 0.8, -0.111, "major", "regression", null, "", "-10.0 points");

        assertThat(PushSummary.describe(older)).isEqualTo("f1 0.9000 -> 0.8000 (-10.0 points, major)");
    }
}
