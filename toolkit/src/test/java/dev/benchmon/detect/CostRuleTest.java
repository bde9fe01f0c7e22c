package dev.benchmon.detect;

import dev.benchmon.MetricDirection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MetricSemantics#isCost}: what a cost axis may show (a time, cost or memory, lower is better). */
class CostRuleTest {
    @Test
    void times_costs_and_memory_named_so_are_costs() {
        for (String m : new String[] {"latency_ms", "cost_usd", "analysis_cost", "peak_memory_mb", "eval_runtime"}) {
            assertThat(MetricSemantics.isCost(m, null, MetricDirection.LOWER_IS_BETTER)).as(m).isTrue();
        }
    }

    @Test
    void scores_losses_rates_and_unknown_names_are_not_costs() {
        for (String m : new String[] {"acc_norm", "acc", "f1", "eval_loss", "throughput", "tokens_per_second", "widgets"}) {
            assertThat(MetricSemantics.isCost(m, null, MetricDictionary.kind(m).direction())).as(m).isFalse();
        }
    }

    @Test
    void a_defined_unit_of_time_money_or_size_makes_a_generic_name_a_cost() {
        assertThat(MetricSemantics.isCost("mean", "s", MetricDirection.LOWER_IS_BETTER)).isTrue();
        assertThat(MetricSemantics.isCost("spend_total", "USD", MetricDirection.LOWER_IS_BETTER)).isTrue();
        assertThat(MetricSemantics.isCost("footprint", "MB", MetricDirection.LOWER_IS_BETTER)).isTrue();
    }

    @Test
    void a_time_declared_higher_is_better_is_not_a_cost() {
        assertThat(MetricSemantics.isCost("uptime_seconds", null, MetricDirection.HIGHER_IS_BETTER)).isFalse();
    }
}
