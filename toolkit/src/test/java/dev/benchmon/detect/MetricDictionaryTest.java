package dev.benchmon.detect;

import dev.benchmon.MetricDirection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetricDictionaryTest {
    private static MetricDirection dir(String name) {
        return MetricDictionary.kind(name).direction();
    }

    /** Asserts that each of {@code names} has the direction {@code direction}, naming the one that has not. */
    private static void assertDirection(MetricDirection direction, String... names) {
        for (String m : names) {
            assertThat(dir(m)).as(m).isEqualTo(direction);
        }
    }

    /** Asserts that each of {@code names} is of {@code kind}, naming the one that is not. */
    private static void assertKind(MetricKind kind, String... names) {
        for (String m : names) {
            assertThat(MetricDictionary.kind(m)).as(m).isEqualTo(kind);
        }
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

    // ---- "score"-named losses and error measures ------------------------------------------------------------------

    @Test
    void the_brier_score_is_a_loss_although_its_name_ends_in_score() {
        assertThat(MetricDictionary.kind("brier_score")).isEqualTo(MetricKind.LOSS);
        assertThat(dir("eval/brier_score")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
    }

    @Test
    void a_score_named_after_a_score_stays_higher_is_better() {
        assertDirection(MetricDirection.HIGHER_IS_BETTER, "f1_score", "rouge_score", "accuracy_score", "brier_skill_score",
                "eval_score");
    }

    @Test
    void a_score_named_after_an_error_measure_is_lower_is_better() {
        assertDirection(MetricDirection.LOWER_IS_BETTER, "toxicity_score", "nll_score", "perplexity_score", "crps");
    }

    @Test
    void common_losses_and_error_rates_are_lower_is_better() {
        assertDirection(MetricDirection.LOWER_IS_BETTER, "wer", "cer", "ter", "brier", "nll", "mae", "mse", "rmse", "ece",
                "toxicity", "hallucination_rate", "log_loss", "cross_entropy", "eval/cross_entropy");
    }

    @Test
    void names_whose_direction_the_field_does_not_agree_on_are_unknown() {
        assertKind(MetricKind.UNKNOWN, "refusal_rate", "log_score", "energy_score");
    }

    // ---- a last word of change ------------------------------------------------------------------------------------

    @Test
    void a_drop_of_a_higher_is_better_metric_is_lower_is_better_and_not_a_proportion() {
        for (String m : new String[] {"accuracy_drop", "f1_decrease", "throughput_drop", "accuracy_drop_pct"}) {
            assertThat(dir(m)).as(m).isEqualTo(MetricDirection.LOWER_IS_BETTER);
            assertThat(MetricDictionary.isProportionName(m)).as(m).isFalse();
        }
    }

    @Test
    void a_degradation_or_regression_is_lower_is_better_whatever_the_metric() {
        assertDirection(MetricDirection.LOWER_IS_BETTER, "accuracy_degradation", "f1_regression", "latency_regression",
                "throughput_degradation");
    }

    @Test
    void a_drop_of_a_lower_is_better_metric_is_unknown() {
        assertKind(MetricKind.UNKNOWN, "loss_drop", "latency_reduction");
    }

    @Test
    void a_gap_has_no_direction_of_its_own() {
        assertKind(MetricKind.UNKNOWN, "accuracy_gap", "generalization_gap");
    }

    @Test
    void a_change_word_without_a_known_metric_before_it_means_nothing() {
        assertThat(MetricDictionary.kind("logistic_regression")).isEqualTo(MetricKind.UNKNOWN);
        assertThat(MetricDictionary.kind("logistic_regression_accuracy")).isEqualTo(MetricKind.SCORE);
    }

    @Test
    void a_loss_or_error_of_a_score_is_lower_is_better() {
        assertThat(MetricDictionary.kind("accuracy_loss")).isEqualTo(MetricKind.LOSS);
        assertThat(dir("accuracy_error")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
    }

    // ---- failed items counted -------------------------------------------------------------------------------------

    @Test
    void counted_errors_and_failures_are_lower_is_better_whatever_the_word_order() {
        assertKind(MetricKind.ERROR_RATE, "error_count", "errors", "num_errors", "failures", "failed", "n_failures",
                "num_failed", "tests_failed", "timeout_count", "total_errors");
    }

    @Test
    void counted_errors_are_not_proportions() {
        for (String m : new String[] {"error_count", "num_errors", "n_failures", "tests_failed"}) {
            assertThat(MetricDictionary.isProportionName(m)).as(m).isFalse();
        }
    }

    @Test
    void a_standard_error_of_an_error_count_is_never_judged() {
        assertThat(MetricDictionary.kind("error_count_stderr")).isEqualTo(MetricKind.COUNT);
    }

    // ---- ranking cut-offs ---------------------------------------------------------------------------------------

    @Test
    void a_ranking_cut_off_is_dropped_before_the_lookup() {
        assertKind(MetricKind.SCORE, "ndcg@10", "recall@10", "precision@5", "hit_rate@10", "mrr@10", "map@100",
                "recall@k", "pass@10", "eval/ndcg@10");
        assertThat(MetricDictionary.tokens("hit_rate@10")).containsExactly("hit", "rate");
    }

    @Test
    void the_at_k_spelling_of_a_cut_off_is_the_same_metric() {
        assertKind(MetricKind.SCORE, "ndcg_at_10", "recall_at_k", "precision_at_5", "map_at_100");
    }

    @Test
    void a_share_with_a_cut_off_is_a_proportion_and_a_graded_ranking_score_is_not() {
        for (String m : new String[] {"recall@10", "precision@5", "hit_rate@10", "pass@1", "recall_at_10"}) {
            assertThat(MetricDictionary.isProportionName(m)).as(m).isTrue();
        }
        for (String m : new String[] {"ndcg@10", "mrr@10", "map@100"}) {
            assertThat(MetricDictionary.isProportionName(m)).as(m).isFalse();
        }
    }

    // ---- hyperparameters and progress -----------------------------------------------------------------------------

    @Test
    void hyperparameters_are_settings_never_judged() {
        for (String m : new String[] {"train/learning_rate", "learning_rate", "lr", "weight_decay", "warmup_steps",
                "batch_size", "temperature", "seed"}) {
            assertThat(MetricDictionary.kind(m)).as(m).isEqualTo(MetricKind.SETTING);
            assertThat(dir(m)).as(m).isEqualTo(MetricDirection.NONE);
        }
    }

    @Test
    void training_progress_is_progress_never_judged() {
        for (String m : new String[] {"epoch", "train/epoch", "step", "global_step", "train/global_step", "iterations"}) {
            assertThat(MetricDictionary.kind(m)).as(m).isEqualTo(MetricKind.PROGRESS);
            assertThat(dir(m)).as(m).isEqualTo(MetricDirection.NONE);
        }
    }

    @Test
    void counts_of_items_stay_counts() {
        assertKind(MetricKind.COUNT, "num_samples", "eval_count", "n", "examples");
    }
}
