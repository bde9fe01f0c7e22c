package dev.benchmon.compare;

import dev.benchmon.detect.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The values a notebook prints with {@code System.out.println} read as the toolkit's tables print numbers (four
 * significant digits, {@code <0.0001} for tiny p-values), not as Java's doubles ({@code 0.04999999999999993}); the
 * records keep the exact values.
 */
class EstimateTextTest {
    @Test
    void an_estimate_prints_its_difference_interval_p_value_and_method_for_reading() {
        Estimate e = new Estimate(0.04999999999999993, 0.0030017146919259705, 0.09700000000000002, 0.03861,
                Method.PAIRED_MCNEMAR, 200);

        assertThat(e).hasToString("+0.05 [0.003002, 0.097], p 0.0386 (paired bootstrap, McNemar's exact test, n 200)");
        assertThat(e.diff()).isEqualTo(0.04999999999999993);
    }

    @Test
    void an_unjudged_estimate_prints_its_difference_and_method_only() {
        assertThat(Estimate.unjudged(-0.0123456, 1)).hasToString("-0.01235 (none: the difference only, n 1)");
    }

    @Test
    void a_verdict_prints_its_baseline_and_value_for_reading() {
        Verdict v = new Verdict("m", "d", "", "ci", "f1", "higher_is_better", 0.9227599999999999, 0.8285,
                0.8285 - 0.9227599999999999, (0.8285 - 0.9227599999999999) / 0.9227599999999999, true, "critical", 10, 7,
                Instant.parse("2026-11-01T00:00:00Z"), null, null, null);

        assertThat(v.toString()).contains("f1: 0.9228 -> 0.8285 (-10.2%) REGRESSION critical");
    }

    @Test
    void a_verdict_on_a_very_quiet_metric_prints_the_digits_that_tell_its_baseline_and_value_apart() {
        Verdict v = new Verdict("m", "d", "", "ci", "f1", "higher_is_better", 0.92281, 0.92276, 0.92276 - 0.92281,
                (0.92276 - 0.92281) / 0.92281, true, "minor", 30, 7, Instant.parse("2026-11-01T00:00:00Z"), null, null,
                null);

        assertThat(v.toString()).contains("f1: 0.92281 -> 0.92276 (-0.0054%) REGRESSION minor");
    }

    @Test
    void a_verdict_whose_value_equals_its_baseline_prints_both_as_the_tables_do() {
        Verdict v = new Verdict("m", "d", "", "ci", "f1", "higher_is_better", 0.9227599999999999, 0.9227599999999999,
                0, 0.0, false, "none", 10, 7, Instant.parse("2026-11-01T00:00:00Z"), null, null, null);

        assertThat(v.toString()).contains("f1: 0.9228 -> 0.9228 (+0.0%)");
    }

    @Test
    void a_verdict_whose_baseline_differs_from_its_value_by_a_doubles_rounding_prints_both_as_the_tables_do() {
        Verdict v = new Verdict("m", "d", "", "ci", "f1", "higher_is_better", 0.9200000000000002, 0.92,
                0.92 - 0.9200000000000002, -2.4e-16, false, "none", 6, 7, Instant.parse("2026-11-01T00:00:00Z"), null,
                null, null);

        assertThat(v.toString()).contains("f1: 0.92 -> 0.92 (-0.0%)");
    }
}
