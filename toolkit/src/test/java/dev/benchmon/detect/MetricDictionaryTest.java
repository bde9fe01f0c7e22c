package dev.benchmon.detect;

import dev.benchmon.MetricDirection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetricDictionaryTest {
    private static MetricDirection dir(String name) {
        return MetricDictionary.kind(name).direction();
    }

    @Test
    void error_rates_losses_and_runtimes_are_lower_is_better() {
        for (String m : new String[] {"eval_wer", "cer", "mse", "mae", "rmse", "eval_runtime", "rmsd", "train_loss", "perplexity", "latency_p99_ms"}) {
            assertThat(dir(m)).as(m).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        }
    }

    @Test
    void bandwidth_and_rates_are_higher_is_better_even_with_memory_in_the_name() {
        assertThat(dir("memory_bandwidth_gbps")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(dir("eval_samples_per_second")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        assertThat(dir("throughput")).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
    }

    @Test
    void scores_are_higher_is_better() {
        for (String m : new String[] {"accuracy", "f1", "exact_match", "bleu", "rougeL", "rouge2", "acc_norm", "eval_accuracy"}) {
            assertThat(dir(m)).as(m).isEqualTo(MetricDirection.HIGHER_IS_BETTER);
        }
    }

    @Test
    void standard_errors_and_epochs_are_never_judged() {
        assertThat(dir("acc_stderr")).isEqualTo(MetricDirection.NONE);
        assertThat(dir("epoch")).isEqualTo(MetricDirection.NONE);
    }

    @Test
    void names_nothing_matches_have_no_direction() {
        assertThat(dir("frobnication")).isNull();
        assertThat(dir("rmsdx")).isNull();
    }
}
