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

    @Test
    void units_of_time_are_times_whatever_their_case_and_a_time_per_item_is_a_time() {
        for (String u : new String[] {"s", "ms", "us", "\u00b5s", "ns", "NS", " seconds ", "min", "h", "ns/op", "s/it"}) {
            assertThat(MetricDictionary.unitKind(u)).as(u).isEqualTo(MetricKind.TIME);
        }
    }

    @Test
    void anything_per_unit_of_time_is_a_throughput() {
        for (String u : new String[] {"ops/s", "items/s", "B/s", "GB/s", "samples/s", "steps/s", "tokens per second",
                "req/min", "qps", "Gbps", "Hz"}) {
            assertThat(MetricDictionary.unitKind(u)).as(u).isEqualTo(MetricKind.THROUGHPUT);
        }
    }

    @Test
    void sizes_are_memory_and_money_or_energy_is_cost_even_per_hour() {
        for (String u : new String[] {"B", "bytes", "MB", "GiB", "B/op"}) {
            assertThat(MetricDictionary.unitKind(u)).as(u).isEqualTo(MetricKind.MEMORY);
        }
        for (String u : new String[] {"USD", "$", "J", "kWh", "USD/h", "USD/1M tokens", "gCO2e"}) {
            assertThat(MetricDictionary.unitKind(u)).as(u).isEqualTo(MetricKind.COST);
        }
    }

    @Test
    void units_of_no_measured_quantity_state_no_kind() {
        for (String u : new String[] {"ratio", "%", "points", "FLOPs", "tokens", "count", "allocs/op", "x", " ", ""}) {
            assertThat(MetricDictionary.unitKind(u)).as(u).isEqualTo(MetricKind.UNKNOWN);
        }
        assertThat(MetricDictionary.unitKind(null)).isEqualTo(MetricKind.UNKNOWN);
    }
}
