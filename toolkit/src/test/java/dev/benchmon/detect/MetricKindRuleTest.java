package dev.benchmon.detect;

import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MetricSemantics#kind}: a definition's unit of time, rate, size or cost sets the kind (and so the detection
 * defaults of {@link DetectionSettings#forKind}); otherwise the name does.
 */
class MetricKindRuleTest {
    private static MetricSemantics defined(String metric, String unit) {
        return MetricSemantics.of(metric, Map.of(metric,
                new MetricDefinition(metric, MetricDirection.LOWER_IS_BETTER, unit, null, null)));
    }

    @Test
    void a_generic_stat_stated_in_seconds_is_a_time_with_the_noisy_kinds_fallback_threshold() {
        MetricSemantics mean = defined("mean", "s");

        assertThat(mean.kind()).isEqualTo(MetricKind.TIME);
        assertThat(mean.settings(DetectionOverrides.NONE).fallbackThreshold()).isEqualTo(0.25);
        assertThat(mean.settings(DetectionOverrides.NONE).relativeMinEffect()).isEqualTo(MetricKind.TIME.relativeMinEffect());
    }

    @Test
    void the_same_stat_without_a_unit_is_unknown_and_keeps_the_five_percent_rule() {
        assertThat(defined("mean", null).kind()).isEqualTo(MetricKind.UNKNOWN);
        assertThat(MetricSemantics.of("mean", Map.of()).settings(DetectionOverrides.NONE).fallbackThreshold())
                .isEqualTo(0.05);
    }

    @Test
    void a_rate_unit_makes_a_throughput() {
        assertThat(defined("ops", "ops/s").kind()).isEqualTo(MetricKind.THROUGHPUT);
        assertThat(defined("items", "items/s").kind()).isEqualTo(MetricKind.THROUGHPUT);
    }

    @Test
    void a_stated_unit_decides_over_the_name() {
        assertThat(defined("score", "ms").kind()).isEqualTo(MetricKind.TIME);
        assertThat(defined("peak", "GiB").kind()).isEqualTo(MetricKind.MEMORY);
    }

    @Test
    void a_unit_that_names_no_measured_quantity_leaves_the_kind_to_the_name() {
        assertThat(defined("accuracy", "ratio").kind()).isEqualTo(MetricKind.SCORE);
        assertThat(defined("eval_loss", "nats").kind()).isEqualTo(MetricKind.LOSS);
        assertThat(defined("mean", "%").kind()).isEqualTo(MetricKind.UNKNOWN);
        assertThat(defined("total_flos", "FLOPs").kind()).isEqualTo(MetricKind.UNKNOWN);
    }
}
