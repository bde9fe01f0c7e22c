package dev.benchmon.ingest.adapters;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.ValidationException;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.ParsedResults;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Each adapter on a small file written for these tests in its tool's documented format
 * ({@code src/test/resources/adapters/}).
 */
class AdaptersTest {
    static String file(String name) {
        try (InputStream in = AdaptersTest.class.getResourceAsStream("/adapters/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test file adapters/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ParsedResults parse(String format, String file) {
        return Adapters.parse(format, file(file), ResultOverrides.NONE);
    }

    static BenchmarkResult only(ParsedResults parsed, String dataset) {
        return parsed.results().stream().filter(r -> r.datasetVersion().equals(dataset)).findFirst().orElseThrow();
    }

    static List<String> warningFields(ParsedResults parsed) {
        return parsed.warnings().stream().map(IngestWarning::field).toList();
    }

    @Nested
    class LmEval {
        final ParsedResults parsed = parse("lm-eval", "lm-eval-results.json");

        @Test
        void every_task_and_group_is_one_result_named_by_the_task() {
            assertThat(parsed.results()).extracting(BenchmarkResult::datasetVersion)
                    .containsExactly("arc_easy", "gsm8k", "reasoning");
        }

        @Test
        void metric_names_keep_their_filter_exactly() {
            assertThat(only(parsed, "arc_easy").metrics()).containsOnlyKeys("acc,none", "acc_norm,none");
            assertThat(only(parsed, "gsm8k").metrics()).containsOnly(Map.entry("exact_match,strict-match", 0.41));
        }

        @Test
        void stderr_keys_become_the_standard_error_of_their_metric() {
            assertThat(only(parsed, "arc_easy").stderr()).containsOnly(Map.entry("acc,none", 0.0098),
                    Map.entry("acc_norm,none", 0.01));
            assertThat(only(parsed, "gsm8k").stderr()).containsOnly(Map.entry("exact_match,strict-match", 0.0135));
        }

        @Test
        void the_effective_sample_count_is_n_of_every_metric_of_the_task() {
            assertThat(only(parsed, "gsm8k").sampleSizes()).containsOnly(Map.entry("exact_match,strict-match", 100L));
            assertThat(only(parsed, "arc_easy").sampleSizes()).containsValues(2376L, 2376L);
        }

        @Test
        void the_model_comes_from_pretrained_at_the_revision_in_model_args_and_run_at_from_the_epoch_date() {
            BenchmarkResult r = only(parsed, "arc_easy");
            assertThat(r.modelVersion()).isEqualTo("EleutherAI/pythia-160m@step100000");
            assertThat(r.runAt()).isEqualTo(Instant.parse("2023-11-14T22:13:20.250Z"));
        }

        @Test
        void a_nan_metric_is_dropped_with_a_warning_and_the_rest_is_kept() {
            assertThat(parsed.warnings()).singleElement().satisfies(w -> {
                assertThat(w.index()).isEqualTo(1);
                assertThat(w.field()).isEqualTo("metrics.exact_match,flexible-extract");
                assertThat(w.message()).contains("NaN", "dropped");
            });
        }

        @Test
        void higher_is_better_gives_the_direction_of_every_filter_of_the_metric() {
            assertThat(parsed.definitions()).containsKeys("acc,none", "acc_norm,none", "exact_match,strict-match");
            assertThat(parsed.definitions().values()).extracting(MetricDefinition::direction)
                    .containsOnly(MetricDirection.HIGHER_IS_BETTER);
        }

        @Test
        void the_flags_override_the_model_and_dataset_the_file_gives() {
            ParsedResults overridden = Adapters.parse("lm-eval", file("lm-eval-results.json"),
                    ResultOverrides.model("my-model").withPrompt("p2"));
            assertThat(overridden.results()).extracting(BenchmarkResult::modelVersion).containsOnly("my-model");
            assertThat(overridden.results()).extracting(BenchmarkResult::promptVersion).containsOnly("p2");
        }

        @Test
        void model_name_is_used_when_model_args_has_no_pretrained() {
            String text = "{\"results\":{\"t\":{\"acc,none\":0.5}},\"config\":{\"model_args\":\"dtype=float\"},"
                    + "\"model_name\":\"org/m\",\"versions\":{\"t\":1}}";
            assertThat(BenchmarkResult.from("lm-eval", text)).singleElement()
                    .satisfies(r -> assertThat(r.modelVersion()).isEqualTo("org/m"));
        }

        @Test
        void older_files_without_a_filter_read_the_same_way() {
            String text = "{\"results\":{\"lambada\":{\"ppl\":12.5,\"ppl_stderr\":0.4,\"acc\":0.6,\"acc_stderr\":0.01}},"
                    + "\"versions\":{\"lambada\":0},\"config\":{\"model_args\":\"pretrained=gpt2\"}}";
            BenchmarkResult r = BenchmarkResult.from("lm-eval", text).get(0);
            assertThat(r.metrics()).containsOnlyKeys("ppl", "acc");
            assertThat(r.stderr()).containsOnly(Map.entry("ppl", 0.4), Map.entry("acc", 0.01));
        }
        @Test
        void a_date_in_epoch_milliseconds_is_read_as_benchmons_json_reads_a_numeric_run_at() {
            // 10^11 and above is milliseconds (docs/INPUT.md): it was read as seconds, the year 56889, and refused as run_at.
            ParsedResults ms = Adapters.parse("lm-eval", file("lm-eval-results.json")
                    .replace("\"date\": 1700000000.25", "\"date\": 1733100000000"), ResultOverrides.NONE);
            assertThat(ms.results()).extracting(BenchmarkResult::runAt).containsOnly(Instant.parse("2024-12-02T00:40:00Z"));
        }

        @Test
        void a_date_that_is_no_point_in_time_is_refused_naming_date_as_a_run_at_would_be() {
            // It was ignored without a word: run_at became the time of arrival.
            assertThatThrownBy(() -> Adapters.parse("lm-eval", file("lm-eval-results.json")
                    .replace("\"date\": 1700000000.25", "\"date\": \"yesterday\""), ResultOverrides.NONE))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("date: 'yesterday' is not a date-time; use ISO-8601")
                    .hasMessageNotContaining("run_at");
        }

        @Test
        void a_date_before_1970_is_refused_naming_date() {
            assertThatThrownBy(() -> Adapters.parse("lm-eval", file("lm-eval-results.json")
                    .replace("\"date\": 1700000000.25", "\"date\": -5"), ResultOverrides.NONE))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("date: is before 1970 (1969-12-31T23:59:55Z)");
        }
    }

    @Nested
    class HfTrainer {
        @Test
        void all_results_is_one_result_with_epoch_as_context_and_split_samples_as_n() {
            ParsedResults parsed = Adapters.parse("hf-trainer", file("hf-all_results.json"),
                    new ResultOverrides("bert-base", "mrpc", null));
            BenchmarkResult r = parsed.results().get(0);
            assertThat(parsed.results()).hasSize(1);
            assertThat(r.metrics()).containsKeys("eval_accuracy", "eval_loss", "eval_runtime", "train_loss",
                    "total_flos").doesNotContainKeys("epoch", "eval_samples", "train_samples");
            assertThat(r.metadata()).containsEntry("epoch", 3.0);
            assertThat(r.sampleSizes()).containsEntry("eval_accuracy", 408L);
        }

        @Test
        void split_samples_are_n_of_accuracy_like_metrics_only_not_of_losses_runtimes_or_flos() {
            BenchmarkResult r = Adapters.parse("hf-trainer", file("hf-all_results.json"),
                    new ResultOverrides("bert-base", "mrpc", null)).results().get(0);
            // The number of samples is the size of an accuracy's sample, but says nothing of a loss's noise.
            assertThat(r.sampleSizes()).containsOnlyKeys("eval_accuracy");
        }

        @Test
        void losses_and_runtimes_are_lower_is_better_and_throughputs_higher() {
            ParsedResults parsed = Adapters.parse("hf-trainer", file("hf-all_results.json"),
                    new ResultOverrides("bert-base", "mrpc", null));
            assertThat(parsed.definitions().get("eval_loss").direction()).isEqualTo(MetricDirection.LOWER_IS_BETTER);
            assertThat(parsed.definitions().get("eval_runtime").unit()).isEqualTo("s");
            assertThat(parsed.definitions().get("eval_samples_per_second").direction())
                    .isEqualTo(MetricDirection.HIGHER_IS_BETTER);
            assertThat(parsed.definitions()).doesNotContainKey("eval_accuracy");
        }

        @Test
        void trainer_state_is_one_result_its_last_evaluation_with_step_and_epoch_as_context() {
            ParsedResults parsed = Adapters.parse("hf-trainer", file("hf-trainer_state.json"),
                    new ResultOverrides("bert-base", "mrpc", null));
            assertThat(parsed.results()).singleElement().satisfies(r -> {
                assertThat(r.metrics()).containsEntry("eval_accuracy", 0.8851)
                        .doesNotContainKeys("loss", "learning_rate", "step", "epoch", "train_loss");
                assertThat(r.metadata()).containsEntry("step", 369).containsEntry("epoch", 3.0);
                assertThat(r.tags()).isEmpty();
            });
        }

        @Test
        void trainer_state_keeps_the_best_checkpoint_the_trainer_chose_as_context() {
            BenchmarkResult r = Adapters.parse("hf-trainer", file("hf-trainer_state.json"),
                    new ResultOverrides("bert-base", "mrpc", null)).results().get(0);
            assertThat(r.metadata()).containsEntry("best_model_checkpoint", "out/checkpoint-246")
                    .containsEntry("best_metric", 0.2936);
        }

        @Test
        void trainer_state_merges_the_evaluations_of_several_datasets_at_the_last_step() {
            String state = "{\"log_history\": ["
                    + "{\"eval_mnli_loss\": 0.61, \"eval_mnli_accuracy\": 0.74, \"step\": 100},"
                    + "{\"eval_mnli_mm_loss\": 0.63, \"eval_mnli_mm_accuracy\": 0.73, \"step\": 100},"
                    + "{\"eval_mnli_loss\": 0.52, \"eval_mnli_accuracy\": 0.80, \"step\": 200},"
                    + "{\"eval_mnli_mm_loss\": 0.55, \"eval_mnli_mm_accuracy\": 0.79, \"step\": 200}]}";
            ParsedResults parsed = Adapters.parse("hf-trainer", state, new ResultOverrides("bert-base", "mnli", null));
            assertThat(parsed.results()).singleElement().satisfies(r -> assertThat(r.metrics()).containsOnly(
                    Map.entry("eval_mnli_loss", 0.52), Map.entry("eval_mnli_accuracy", 0.80),
                    Map.entry("eval_mnli_mm_loss", 0.55), Map.entry("eval_mnli_mm_accuracy", 0.79)));
        }

        @Test
        void a_nan_loss_at_the_last_evaluation_is_dropped_with_a_warning_not_taken_from_an_earlier_step() {
            ParsedResults parsed = Adapters.parse("hf-trainer", file("hf-trainer_state.json"),
                    new ResultOverrides("bert-base", "mrpc", null));
            assertThat(parsed.warnings()).singleElement().satisfies(w -> {
                assertThat(w.index()).isZero();
                assertThat(w.field()).isEqualTo("metrics.eval_loss");
            });
            assertThat(parsed.results().get(0).metrics()).containsKey("eval_accuracy").doesNotContainKey("eval_loss");
        }

        @Test
        void without_a_model_the_error_names_the_flag_that_gives_it() {
            assertThatThrownBy(() -> BenchmarkResult.from("hf-trainer", file("hf-all_results.json")))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("model_version: is required: this hf-trainer file does not say it; "
                            + "give it with --model-version")
                    .hasMessageContaining("--dataset-version");
        }
    }

    @Nested
    class Mlflow {
        @Test
        void a_rest_run_is_one_result_with_each_metric_at_its_largest_step() {
            BenchmarkResult r = parse("mlflow", "mlflow-run.json").results().get(0);
            assertThat(r.metrics()).containsOnly(Map.entry("val_loss", 0.48), Map.entry("accuracy", 0.912));
            assertThat(r.runId()).isEqualTo("6f1a2b3c4d5e6f708192a3b4c5d6e7f8");
            assertThat(r.runAt()).isEqualTo(Instant.ofEpochMilli(1700000000123L));
        }

        @Test
        void the_run_name_is_the_model_and_a_dataset_version_param_the_dataset() {
            BenchmarkResult r = parse("mlflow", "mlflow-run.json").results().get(0);
            assertThat(r.modelVersion()).isEqualTo("bert-base-lr3e-5");
            assertThat(r.datasetVersion()).isEqualTo("glue-mrpc-v2");
            assertThat(r.metadata()).containsEntry("params", Map.of("learning_rate", "3e-05", "dataset_version", "glue-mrpc-v2"))
                    .containsEntry("tags", Map.of("team", "nlp"));
        }

        @Test
        void a_nan_the_rest_api_writes_as_text_is_dropped_with_a_warning() {
            ParsedResults parsed = parse("mlflow", "mlflow-run.json");
            assertThat(warningFields(parsed)).containsExactly("metrics.train/grad_norm");
        }

        @Test
        void the_dictionary_form_reads_metrics_as_an_object_and_the_dataset_from_the_run_inputs() {
            BenchmarkResult r = parse("mlflow", "mlflow-run-dict.json").results().get(0);
            assertThat(r.metrics()).containsOnly(Map.entry("val_loss", 0.52), Map.entry("accuracy", 0.905),
                    Map.entry("精度", 0.905));
            assertThat(r.datasetVersion()).isEqualTo("mrpc");
            assertThat(r.runAt()).isEqualTo(Instant.ofEpochMilli(1700003600000L));
        }

        @Test
        void the_ui_metric_csv_gives_one_result_per_run_with_the_latest_step() {
            ParsedResults parsed = Adapters.parse("mlflow", file("mlflow-metrics.csv"), new ResultOverrides(null, "mrpc", null));
            assertThat(parsed.results()).extracting(BenchmarkResult::modelVersion).containsExactly("bert, small", "bert-large");
            BenchmarkResult small = parsed.results().get(0);
            assertThat(small.metrics()).containsOnly(Map.entry("val_loss", 0.48), Map.entry("accuracy", 0.912));
            assertThat(small.runAt()).isEqualTo(Instant.ofEpochMilli(1700000500000L));
            assertThat(parsed.results().get(1).metrics()).containsOnlyKeys("val_loss", "eval/f1");
            assertThat(parsed.warnings()).extracting(IngestWarning::index, IngestWarning::field)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "metrics.accuracy"));
        }

        @Test
        void runs_search_gives_one_result_per_run() {
            String run = file("mlflow-run-dict.json");
            ParsedResults parsed = Adapters.parse("mlflow", "{\"runs\": [" + run + "," + run.replace("lr5e-5", "lr1e-4")
                    + "]}", ResultOverrides.NONE);
            assertThat(parsed.results()).extracting(BenchmarkResult::modelVersion)
                    .containsExactly("bert-base-lr5e-5", "bert-base-lr1e-4");
        }
    }

    @Nested
    class Wandb {
        final ParsedResults parsed = Adapters.parse("wandb", file("wandb-summary.json"), new ResultOverrides("gpt-small", "owt", null));

        @Test
        void nested_keys_are_flattened_with_a_slash_and_slashed_keys_kept() {
            assertThat(parsed.results().get(0).metrics()).containsOnly(Map.entry("eval/loss", 2.46),
                    Map.entry("train/loss", 2.31), Map.entry("train/lr", 0.0003), Map.entry("eval/acc", 0.58),
                    Map.entry("best_epoch", 4.0));
        }

        @Test
        void a_text_value_is_no_metric_and_strict_drops_it_with_a_warning_instead_of_refusing_the_summary() {
            ParsedResults strict = Adapters.parse("wandb", "{\"_step\": 3, \"acc\": 0.5, \"note\": \"lr warmup\", \"done\": true}",
                    new ResultOverrides("m", "d", null), Adapters.Caller.TOOLKIT, true);
            assertThat(strict.results().get(0).metrics()).containsOnly(Map.entry("acc", 0.5));
            assertThat(strict.warnings()).extracting(IngestWarning::field).containsExactly("metrics.note", "metrics.done");
        }

        @Test
        void a_numeric_string_is_read_as_its_number_and_strict_refuses_it_as_benchmons_own_json_does() {
            String summary = "{\"_step\": 3, \"acc\": \"0.5\"}";
            ParsedResults lenient = Adapters.parse("wandb", summary, new ResultOverrides("m", "d", null));
            assertThat(lenient.results().get(0).metrics()).containsEntry("acc", 0.5);
            assertThatThrownBy(() -> Adapters.parse("wandb", summary, new ResultOverrides("m", "d", null),
                    Adapters.Caller.TOOLKIT, true)).isInstanceOf(ValidationException.class).hasMessageContaining("metrics.acc");
        }

        @Test
        void underscore_keys_are_context_not_metrics() {
            BenchmarkResult r = parsed.results().get(0);
            assertThat(r.runAt()).isEqualTo(Instant.parse("2023-11-14T22:13:20.500Z"));
            assertThat(r.metadata()).containsEntry("step", 1200).containsEntry("runtime_s", 288.5);
        }

        @Test
        void a_timestamp_reads_to_the_microsecond_the_file_wrote() {
            // The double arithmetic of earlier versions read .733768.
            BenchmarkResult r = Adapters.parse("wandb", "{\"_timestamp\": 1721878103.733769, \"acc\": 0.5}",
                    new ResultOverrides("m", "d", null)).results().get(0);
            assertThat(r.runAt()).isEqualTo(java.time.Instant.parse("2024-07-25T03:28:23.733769Z"));
        }

        @Test
        void a_timestamp_rounds_half_up_to_the_microsecond() {
            BenchmarkResult r = Adapters.parse("wandb", "{\"_timestamp\": 1721878103.7337685, \"acc\": 0.5}",
                    new ResultOverrides("m", "d", null)).results().get(0);
            assertThat(r.runAt()).isEqualTo(java.time.Instant.parse("2024-07-25T03:28:23.733769Z"));
        }

        @Test
        void a_timestamp_earlier_versions_read_the_same_leaves_the_key_to_be_derived() {
            // .5 s is exact in binary: every version reads it alike, so nothing is given beside the result.
            assertThat(parsed.results().get(0).idempotencyKey()).isNull();
        }

        @Test
        void a_timestamp_beyond_any_date_is_refused_naming_the_field() {
            // 1e17 s is past Instant's range: it escaped as a DateTimeException, not a refusal.
            assertThatThrownBy(() -> Adapters.parse("wandb", "{\"_timestamp\": 1e17, \"acc\": 0.5}",
                    new ResultOverrides("m", "d", null)))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("_timestamp: '1E+17' is out of range: epoch seconds are below 1e11 and epoch "
                            + "milliseconds below 1e14");
        }

        @Test
        void a_timestamp_in_epoch_milliseconds_is_read_as_benchmons_json_reads_a_numeric_run_at() {
            BenchmarkResult r = Adapters.parse("wandb", "{\"_timestamp\": 1733100000123, \"acc\": 0.5}",
                    new ResultOverrides("m", "d", null)).results().get(0);
            assertThat(r.runAt()).isEqualTo(Instant.parse("2024-12-02T00:40:00.123Z"));
        }

        @Test
        void a_timestamp_that_is_no_point_in_time_is_refused_naming_it_strict_or_not() {
            assertThatThrownBy(() -> Adapters.parse("wandb", "{\"_timestamp\": \"yesterday\", \"acc\": 0.5}",
                    new ResultOverrides("m", "d", null)))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("_timestamp: 'yesterday' is not a date-time");
        }

        @Test
        void nan_and_infinity_written_as_text_are_dropped_with_the_warning_of_a_bare_nan() {
            ParsedResults lenient = Adapters.parse("wandb", "{\"_step\": 3, \"acc\": 0.5, \"grad_norm\": \"NaN\", "
                    + "\"a\": \"nan\", \"b\": \"Infinity\", \"c\": \"-Infinity\", \"d\": \"inf\"}",
                    new ResultOverrides("m", "d", null));
            assertThat(lenient.results().get(0).metrics()).containsOnly(Map.entry("acc", 0.5));
            assertThat(lenient.warnings()).extracting(IngestWarning::message).allSatisfy(m -> assertThat(m)
                    .startsWith("value ").contains("is not a finite number").doesNotContain("W&B logged it as text"));
            assertThat(lenient.warnings()).extracting(IngestWarning::message).anySatisfy(m -> assertThat(m)
                    .startsWith("value NaN dropped: NaN is not a finite number"))
                    .anySatisfy(m -> assertThat(m).startsWith("value -Infinity dropped"));
        }

        @Test
        void nan_written_as_text_is_refused_when_strict_as_a_bare_nan_is() {
            assertThatThrownBy(() -> Adapters.parse("wandb", "{\"_step\": 3, \"acc\": 0.5, \"grad_norm\": \"NaN\"}",
                    new ResultOverrides("m", "d", null), Adapters.Caller.TOOLKIT, true))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("metrics.grad_norm: must be a finite number, got NaN");
        }

        @Test
        void media_objects_text_and_nan_are_dropped_with_a_warning_each() {
            assertThat(warningFields(parsed)).containsExactlyInAnyOrder("metrics.samples", "metrics.diverged_metric",
                    "metrics.note");
            assertThat(parsed.warnings()).anySatisfy(w -> assertThat(w.message()).contains("table-file"));
        }
    }

    @Nested
    class PytestBenchmark {
        final ParsedResults parsed = parse("pytest-benchmark", "pytest-benchmark.json");

        @Test
        void each_benchmark_is_one_result_named_by_its_full_test_id() {
            assertThat(parsed.results()).extracting(BenchmarkResult::datasetVersion)
                    .containsExactly("tests/test_x.py::test_y[param]", "tests/test_x.py::test_decode");
            BenchmarkResult r = parsed.results().get(0);
            assertThat(r.modelVersion()).isEqualTo("tokenizer-lib");
            assertThat(r.commitSha()).startsWith("9f3c2a1b");
            assertThat(r.branch()).isEqualTo("main");
            assertThat(r.runAt()).isEqualTo(Instant.parse("2026-01-31T12:00:00.123456Z"));
            assertThat(r.tags()).containsEntry("group", "encode");
        }

        @Test
        void stats_are_metrics_and_rounds_give_n_and_the_standard_error_of_the_mean() {
            BenchmarkResult r = parsed.results().get(0);
            assertThat(r.metrics()).containsEntry("mean", 0.000130).containsEntry("ops", 7692.3)
                    .doesNotContainKeys("rounds", "iterations", "outliers", "data");
            assertThat(r.sampleSizes()).containsEntry("mean", 100L);
            assertThat(r.stderr().get("mean")).isCloseTo(0.000001, within(1e-12));
            assertThat(r.metadata()).containsEntry("iterations", 10);
        }

        @Test
        void rounds_are_n_of_the_mean_only_not_of_order_statistics_totals_or_counts() {
            // min, median, q1, ... are not means of the rounds: n there read as a sample size gave timings binomial noise.
            assertThat(parsed.results().get(0).sampleSizes()).containsOnlyKeys("mean");
        }

        @Test
        void mean_alone_is_judged_lower_is_better_and_every_other_stat_is_tracked_in_its_unit() {
            // One slowdown moves every timing stat: judged each, it opened nine alerts per benchmark (and total, the
            // wall time of however many rounds pytest calibrated, failed CI on noise).
            assertThat(parsed.definitions().get("mean")).isEqualTo(new MetricDefinition("mean",
                    MetricDirection.LOWER_IS_BETTER, "s", null, null));
            assertThat(parsed.definitions().get("total")).isEqualTo(new MetricDefinition("total",
                    MetricDirection.NONE, "s", null, null));
            assertThat(parsed.definitions().get("ops")).isEqualTo(new MetricDefinition("ops",
                    MetricDirection.NONE, "ops/s", null, null));
            assertThat(parsed.definitions().values()).filteredOn(d -> !d.name().equals("mean"))
                    .extracting(MetricDefinition::direction).containsOnly(MetricDirection.NONE);
            assertThat(parsed.definitions()).containsKeys("min", "max", "median", "q1", "q3", "ld15iqr", "hd15iqr",
                    "stddev", "iqr", "iqr_outliers", "stddev_outliers");
            assertThat(parsed.warnings()).isEmpty();
        }
    }

    @Nested
    class GoogleBenchmark {
        final ParsedResults parsed = parse("google-benchmark", "google-benchmark.json");

        @Test
        void each_benchmark_is_one_result_and_the_executable_is_the_model() {
            assertThat(parsed.results()).extracting(BenchmarkResult::datasetVersion)
                    .containsExactly("BM_StringCopy/64", "BM_Hash/1024");
            assertThat(parsed.results()).extracting(BenchmarkResult::modelVersion).containsOnly("string_bench");
            assertThat(parsed.results().get(0).runAt()).isEqualTo(Instant.parse("2026-01-31T11:00:00Z"));
        }

        @Test
        void times_and_rates_are_metrics_and_only_real_time_is_judged() {
            BenchmarkResult copy = parsed.results().get(0);
            assertThat(copy.metrics()).containsOnly(Map.entry("real_time", 25.1), Map.entry("cpu_time", 25.0),
                    Map.entry("bytes_per_second", 2.56e9), Map.entry("items_per_second", 4.0e7));
            // One slowdown moves all four: judged each, it opened an alert on real_time, cpu_time and items_per_second.
            assertThat(parsed.definitions().values()).containsExactlyInAnyOrder(
                    new MetricDefinition("real_time", MetricDirection.LOWER_IS_BETTER, "ns", null, null),
                    new MetricDefinition("cpu_time", MetricDirection.NONE, "ns", null, null),
                    new MetricDefinition("bytes_per_second", MetricDirection.NONE, "B/s", null, null),
                    new MetricDefinition("items_per_second", MetricDirection.NONE, "items/s", null, null));
        }

        @Test
        void repetitions_use_the_mean_aggregate_with_the_stddev_aggregate_as_uncertainty() {
            BenchmarkResult hash = parsed.results().get(1);
            assertThat(hash.metrics()).containsOnly(Map.entry("real_time", 720.0), Map.entry("cpu_time", 710.0),
                    Map.entry("collisions", 2.0));
            assertThat(hash.stderr().get("real_time")).isCloseTo(20.0 / Math.sqrt(3), within(1e-9));
            assertThat(hash.sampleSizes()).containsEntry("real_time", 3L);
        }

        @Test
        void repetitions_without_aggregates_are_averaged_here() {
            String text = file("google-benchmark.json").replaceAll("(?s),\\s*\\{\"name\": \"BM_Hash/1024_mean\".*?\"collisions\": 2\\}", "")
                    .replaceAll("(?s),\\s*\\{\"name\": \"BM_Hash/1024_stddev\".*?\"collisions\": 0\\}", "");
            BenchmarkResult hash = Adapters.parse("google-benchmark", text, ResultOverrides.NONE).results().get(1);
            assertThat(hash.metrics().get("real_time")).isEqualTo(720.0);
            assertThat(hash.stderr().get("real_time")).isCloseTo(20.0 / Math.sqrt(3), within(1e-9));
        }

        @Test
        void a_benchmark_that_reported_an_error_is_dropped_with_a_warning() {
            assertThat(parsed.warnings()).singleElement().satisfies(w -> {
                assertThat(w.field()).isEqualTo("benchmarks.BM_Broken");
                assertThat(w.message()).contains("setup failed");
            });
        }

        @Test
        void times_reported_in_microseconds_are_stored_in_nanoseconds_with_the_reported_unit_in_metadata() {
            // One benchmark in us beside one in ns: real_time had no unit at all, and 1.2345 us compared with 1234.5 ns.
            String text = file("google-benchmark.json").replaceFirst("\"real_time\": 25.1,\\s*\"cpu_time\": 25.0,\\s*"
                    + "\"time_unit\": \"ns\"", "\"real_time\": 1.2345, \"cpu_time\": 0.0251, \"time_unit\": \"us\"");
            ParsedResults us = Adapters.parse("google-benchmark", text, ResultOverrides.NONE);
            BenchmarkResult copy = us.results().get(0);
            assertThat(copy.metrics()).containsEntry("real_time", 1234.5).containsEntry("cpu_time", 25.1);
            assertThat(copy.metadata()).containsEntry("time_unit", "us");
            assertThat(us.definitions().get("real_time")).isEqualTo(new MetricDefinition("real_time",
                    MetricDirection.LOWER_IS_BETTER, "ns", null, null));
            assertThat(us.definitions().get("cpu_time").unit()).isEqualTo("ns");
        }

        @Test
        void aggregates_in_milliseconds_give_values_and_standard_errors_in_nanoseconds() {
            String text = file("google-benchmark.json").replace("\"time_unit\": \"ns\"", "\"time_unit\": \"ms\"");
            BenchmarkResult hash = Adapters.parse("google-benchmark", text, ResultOverrides.NONE).results().get(1);
            assertThat(hash.metrics()).containsEntry("real_time", 720.0e6).containsEntry("cpu_time", 710.0e6)
                    .containsEntry("collisions", 2.0);
            assertThat(hash.stderr().get("real_time")).isCloseTo(20.0e6 / Math.sqrt(3), within(1e-3));
        }

        @Test
        void a_time_unit_google_benchmark_does_not_write_is_refused_naming_the_field() {
            String text = file("google-benchmark.json").replaceFirst("\"time_unit\": \"ns\"", "\"time_unit\": \"fortnights\"");
            assertThatThrownBy(() -> Adapters.parse("google-benchmark", text, ResultOverrides.NONE))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("benchmarks[0].time_unit: \"fortnights\" is not a time unit "
                            + "Google Benchmark writes (ns, us, ms or s), so the real_time and cpu_time of "
                            + "BM_StringCopy/64 cannot be read");
        }

        @Test
        void a_bad_time_unit_of_one_repetition_is_refused_naming_that_entry_by_its_place_in_benchmarks() {
            // Entries 1 to 5 are BM_Hash/1024's repetitions and aggregates, one run_name: only the place tells them apart
            String text = file("google-benchmark.json").replace("\"repetition_index\": 2, \"threads\": 1, \"iterations\": 1000,\n"
                    + "     \"real_time\": 740.0, \"cpu_time\": 730.0, \"time_unit\": \"ns\"", "\"repetition_index\": 2, "
                    + "\"threads\": 1, \"iterations\": 1000, \"real_time\": 740.0, \"cpu_time\": 730.0, \"time_unit\": \"usec\"");
            assertThat(text).contains("\"usec\"");

            assertThatThrownBy(() -> Adapters.parse("google-benchmark", text, ResultOverrides.NONE))
                    .isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).problems()).singleElement()
                            .satisfies(p -> assertThat(p.field()).isEqualTo("benchmarks[3].time_unit"))
                            .satisfies(p -> assertThat(p.message()).startsWith("\"usec\" is not a time unit")
                                    .endsWith("of BM_Hash/1024 cannot be read")));
        }

        @Test
        void the_old_date_form_without_a_zone_is_read_as_utc_with_a_warning() {
            String text = file("google-benchmark.json").replace("2026-01-31T12:00:00+01:00", "2026/01/31-12:00:00");
            ParsedResults old = Adapters.parse("google-benchmark", text, ResultOverrides.NONE);
            assertThat(old.results().get(0).runAt()).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
            assertThat(old.warnings()).anySatisfy(w -> assertThat(w.message()).contains("no time zone", "UTC"));
        }
    }

    @Nested
    class Registry {
        @Test
        void auto_tells_every_format_apart_by_content() {
            Map<String, String> expected = Map.of("lm-eval-results.json", "lm-eval", "hf-all_results.json", "hf-trainer",
                    "hf-trainer_state.json", "hf-trainer", "mlflow-run.json", "mlflow", "mlflow-run-dict.json", "mlflow",
                    "mlflow-metrics.csv", "mlflow", "wandb-summary.json", "wandb", "pytest-benchmark.json",
                    "pytest-benchmark", "google-benchmark.json", "google-benchmark");
            expected.forEach((f, format) -> assertThat(Adapters.detect(file(f))).as(f)
                    .hasValueSatisfying(a -> assertThat(a.name()).isEqualTo(format)));
        }

        @Test
        void auto_reads_a_wandb_summary_holding_eval_metrics_and_a_text_value_as_wandb_not_as_the_trainers() {
            String summary = "{\"eval_loss\": 0.4, \"eval_accuracy\": 0.9, \"best_checkpoint\": \"step-400\","
                    + " \"_step\": 400, \"_runtime\": 812.5, \"_timestamp\": 1767225600}";
            assertThat(Adapters.detect(summary)).hasValueSatisfying(a -> assertThat(a.name()).isEqualTo("wandb"));
        }

        @Test
        void auto_reads_the_native_format_as_an_object_an_array_or_json_lines() {
            String one = "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"acc,none\":0.5}}";
            assertThat(BenchmarkResult.from("auto", one)).hasSize(1);
            assertThat(BenchmarkResult.from("auto", "[" + one + "," + one + "]")).hasSize(2);
            assertThat(BenchmarkResult.from("auto", one + "\n" + one + "\n")).hasSize(2);
            assertThat(BenchmarkResult.from("json", one).get(0).metrics()).containsKey("acc,none");
        }

        @Test
        void the_native_format_drops_a_nan_with_a_warning_as_push_does_and_keeps_the_rest() {
            String nan = "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":NaN,\"acc\":0.5}}";
            assertThat(BenchmarkResult.from("json", nan)).singleElement()
                    .satisfies(r -> assertThat(r.metrics()).containsExactly(Map.entry("acc", 0.5)));
            ParsedResults parsed = BenchmarkResult.from("json", nan, ResultOverrides.NONE);
            assertThat(parsed.warnings()).singleElement().satisfies(w -> {
                assertThat(w.field()).isEqualTo("metrics.f1");
                assertThat(w.message()).contains("NaN", "dropped");
            });
        }

        @Test
        void a_native_result_left_without_any_metric_is_still_refused() {
            assertThatThrownBy(() -> BenchmarkResult.from("json",
                    "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":NaN}}"))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("metrics");
        }

        @Test
        void auto_gives_the_same_results_as_naming_the_format() {
            assertThat(BenchmarkResult.from("auto", file("lm-eval-results.json")))
                    .isEqualTo(BenchmarkResult.from("lm-eval", file("lm-eval-results.json")));
        }

        @Test
        void content_no_adapter_knows_is_refused_with_the_formats_to_name() {
            assertThatThrownBy(() -> BenchmarkResult.from("auto", "{\"foo\": {\"bar\": 1}}"))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("format: cannot tell which tool wrote this input")
                    .hasMessageContaining("lm-eval").hasMessageContaining("google-benchmark");
        }

        @Test
        void an_unknown_format_name_is_refused_with_the_known_names() {
            assertThatThrownBy(() -> BenchmarkResult.from("lm_eval", "{}"))
                    .hasMessageContaining("format: unknown format 'lm_eval' (known: json, google-benchmark, hf-trainer, "
                            + "lm-eval, mlflow, pytest-benchmark, wandb, auto)");
        }

        @Test
        void a_file_of_another_tool_named_with_the_wrong_format_is_refused_naming_what_was_expected() {
            assertThatThrownBy(() -> BenchmarkResult.from("pytest-benchmark", file("wandb-summary.json")))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("format: is not pytest-benchmark input: BenchmarkResult.from(\"pytest-benchmark\", "
                            + "text) reads a pytest --benchmark-json report: one JSON object with \"benchmarks\" (a list) and "
                            + "\"machine_info\" or \"commit_info\"; this input has the top-level keys \"eval/loss\", "
                            + "\"train\"")
                    .hasMessageContaining("This looks like wandb output; use BenchmarkResult.from(\"wandb\", text) or "
                            + "BenchmarkResult.from(\"auto\", text)");
            assertThatThrownBy(() -> BenchmarkResult.from("lm-eval", "[1, 2]"))
                    .hasMessageContaining("format: is not lm-eval input: BenchmarkResult.from(\"lm-eval\", text) reads "
                            + "lm-evaluation-harness")
                    .hasMessageContaining("this input is a list of 2 values (a JSON array or JSON Lines)");
        }

        @Test
        void a_wandb_format_named_on_an_mlflow_run_is_refused_instead_of_read_as_metrics_with_warnings() {
            assertThatThrownBy(() -> Adapters.parse("wandb", file("mlflow-run.json"), new ResultOverrides("m", "d", null)))
                    .isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).problems()).singleElement()
                            .satisfies(p -> assertThat(p.field()).isEqualTo("format")))
                    .hasMessageContaining("\"_wandb\", \"_step\", \"_runtime\" or \"_timestamp\"")
                    .hasMessageContaining("this input has the top-level keys \"run\"")
                    .hasMessageContaining("This looks like mlflow output; use BenchmarkResult.from(\"mlflow\", text) or "
                            + "BenchmarkResult.from(\"auto\", text)");
        }

        @Test
        void a_tools_format_named_on_benchmon_json_says_it_looks_like_benchmons_own_json() {
            String one = "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"acc\":0.5}}";
            assertThatThrownBy(() -> BenchmarkResult.from("google-benchmark", one))
                    .hasMessageContaining("This looks like benchmon's own JSON; use BenchmarkResult.from(\"json\", text) "
                            + "or Benchmon.recordFile(path)");
        }

        @Test
        void a_named_format_reports_where_broken_json_breaks_rather_than_a_shape_it_cannot_see() {
            assertThatThrownBy(() -> BenchmarkResult.from("lm-eval", "{\"results\": {\"t\": {\"acc\": 0.5},}"))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageNotContaining("is not lm-eval input")
                    .hasMessageContaining("JSON");
        }

        @Test
        void input_no_format_recognizes_is_refused_without_naming_another_format() {
            assertThatThrownBy(() -> BenchmarkResult.from("wandb", "{\"loss\": 2.4}"))
                    .hasMessageContaining("is not wandb input")
                    .hasMessageContaining("this input has the top-level keys \"loss\"")
                    .hasMessageNotContaining("looks like");
        }

        @Test
        void a_named_format_reads_its_shape_with_bad_values_leniently() {
            ParsedResults parsed = Adapters.parse("hf-trainer", "{\"eval_accuracy\": 0.89, \"eval_f1\": \"n/a\"}",
                    new ResultOverrides("m", "d", null));
            assertThat(parsed.results().get(0).metrics()).containsOnlyKeys("eval_accuracy");
            assertThat(warningFields(parsed)).containsExactly("metrics.eval_f1");
        }
    }
}
