package dev.benchmon.alert;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.detect.DetectionOverrides;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An alert's history as a person reads it: what benchmon wrote states the metric's unit, as the alert's own verdict
 * does; a person's comment is shown as written.
 */
class AlertHistoryUnitsTest {
    @AutoClose
    private static Benchmon bm;
    private static long alertId;

    /** latency_ms in ms: twelve runs near 300, six near 360 (an alert opens), six back near 300 (it resolves). */
    @BeforeAll
    static void aLatencyAlertOpenedAndResolved() {
        bm = TestDatabases.fresh();
        bm.defineMetrics(new MetricDefinition("latency_ms", MetricDirection.LOWER_IS_BETTER, "ms", null, null));
        double[] noise = {1.2, -0.8, 0.5, -1.5, 0.9, -0.3, 1.1, -1.0, 0.2, 0.7, -0.6, 0.4};
        for (int i = 0; i < 24; i++) {
            double level = i >= 12 && i < 18 ? 360 : 300;
            BenchmarkResult r = BenchmarkResult.builder("m", "d").environment("ci")
                    .runAt(Instant.parse("2026-10-01T00:00:00Z").plusSeconds(3600L * i)).commitSha(String.format("%07x", 0xabc000 + i))
                    .metric("latency_ms", level + noise[i % noise.length]).build();
            List<AlertChange> changes = bm.recordJudged(List.of(r), Map.of(), DetectionOverrides.NONE).alerts();
            if (i == 12) {
                alertId = changes.get(0).alertId();
            }
        }
        bm.alertBook().setState(alertId, AlertState.RESOLVED, "ana", "latency_ms 300 again, closing", "cli");
    }

    @Test
    void the_detectors_events_state_the_change_in_the_metrics_unit() {
        List<AlertEvent> history = bm.alertBook().history(alertId);

        assertThat(history.get(0).comment()).startsWith("opened: latency_ms regression: +").containsPattern("\\+[0-9.]+ ms \\(");
        assertThat(history).filteredOn(e -> e.source().equals("detector") && e.state() == AlertState.RESOLVED)
                .singleElement().satisfies(e -> assertThat(e.comment()).containsPattern("improvement: -[0-9.]+ ms \\("));
    }

    @Test
    void a_persons_comment_is_shown_as_written() {
        assertThat(bm.alertBook().history(alertId)).filteredOn(e -> e.actor().equals("ana"))
                .extracting(AlertEvent::comment).containsExactly("latency_ms 300 again, closing");
    }
}
