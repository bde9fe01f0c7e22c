package dev.benchmon.server.cli;

import dev.benchmon.server.ingest.MetricChange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A push's summary words a regression's baseline and value as the alerts do (four significant digits), but never
 * prints two different numbers the same: {@code f1 0.9228 -> 0.9228} for a regression on a very quiet metric read as
 * no change at all.
 */
class PushSummaryValuesTest {
    @Test
    void a_baseline_and_value_four_digits_cannot_tell_apart_get_the_digits_that_do() {
        MetricChange quiet = new MetricChange("f1", 0.92281, 0.92276, -5.4e-5, "minor");

        assertThat(PushSummary.values(quiet)).containsExactly("0.92281", "0.92276");
    }

    @Test
    void a_baseline_and_value_that_differ_in_four_digits_are_worded_as_the_alerts_word_them() {
        MetricChange drop = new MetricChange("latency_ms", 120.0, 180.5, 0.504, "critical", "regression", 6.1, "",
                "+50.4%", "ms");

        assertThat(PushSummary.values(drop)).containsExactly("120.0 ms", "180.5 ms");
    }
}
