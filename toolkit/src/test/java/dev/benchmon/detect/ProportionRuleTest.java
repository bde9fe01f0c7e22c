package dev.benchmon.detect;

import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@link MetricSemantics#isProportion}: the one rule for whether a result's {@code n} gives a standard error. */
class ProportionRuleTest {
    private static MetricDefinition unit(String metric, String unit) {
        return new MetricDefinition(metric, MetricDirection.HIGHER_IS_BETTER, unit, null, null);
    }

    @Test
    void accuracy_like_names_are_proportions() {
        for (String m : new String[] {"accuracy", "eval_accuracy", "acc,none", "acc_norm,none", "exact_match,strict-match",
                "f1", "eval_f1", "pass@1", "top1_accuracy", "error_rate", "success_rate"}) {
            assertThat(MetricSemantics.isProportion(m, null)).as(m).isTrue();
        }
    }

    @Test
    void losses_times_rates_counts_and_generic_names_are_not() {
        for (String m : new String[] {"eval_loss", "perplexity", "latency_ms", "eval_runtime", "time_to_accuracy",
                "eval_samples_per_second", "total_flos", "acc_stderr", "median", "min", "mean", "ops", "score", "bleu",
                "wer"}) {
            assertThat(MetricSemantics.isProportion(m, null)).as(m).isFalse();
        }
    }

    @Test
    void a_stated_unit_decides_over_the_name() {
        assertThat(MetricSemantics.isProportion("median", unit("median", "ratio"))).isTrue();
        assertThat(MetricSemantics.isProportion("win_share", unit("win_share", "Fraction"))).isTrue();
        assertThat(MetricSemantics.isProportion("accuracy", unit("accuracy", "s"))).isFalse();
        assertThat(MetricSemantics.isProportion("accuracy", unit("accuracy", "%"))).isFalse();
    }

    @Test
    void a_definition_without_a_unit_leaves_it_to_the_name() {
        assertThat(MetricSemantics.isProportion("accuracy", unit("accuracy", null))).isTrue();
        assertThat(MetricSemantics.isProportion("eval_loss", unit("eval_loss", null))).isFalse();
    }

    @Test
    void n_gives_a_binomial_standard_error_only_to_a_proportion() {
        Observation seconds = new Observation(1, Instant.EPOCH, 0.011, Double.NaN, 80, null);

        assertThat(seconds.effectiveStderr(false)).isNaN();
        assertThat(seconds.effectiveStderr(true)).isCloseTo(Math.sqrt(0.011 * 0.989 / 80), within(1e-12));
    }
}
