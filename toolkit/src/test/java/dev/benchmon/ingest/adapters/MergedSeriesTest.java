package dev.benchmon.ingest.adapters;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.ValidationException;
import dev.benchmon.ingest.ParsedResults;
import org.junit.jupiter.api.Test;

import static dev.benchmon.ingest.adapters.AdaptersTest.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A series override that puts results a file states apart into one series ({@link MergedSeries}), as the Java API
 * ({@code BenchmarkResult.from}) reads a file: refused at the same run_at, said in a warning at different run_at, and
 * nothing said when the override only names what the file leaves out or merges nothing.
 */
class MergedSeriesTest {
    @Test
    void a_dataset_override_making_an_lm_eval_files_tasks_one_run_is_refused_naming_it_and_the_tasks() {
        assertThatThrownBy(() -> BenchmarkResult.from("lm-eval", file("lm-eval-three-tasks.json"),
                new ResultOverrides(null, "harness-v1", null)))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).problems()).singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("dataset_version");
                    assertThat(p.message()).startsWith("ResultOverrides dataset_version 'harness-v1' would make the "
                            + "datasets hellaswag and arc_easy one series (EleutherAI/pythia-1.4b / harness-v1 "
                            + "@local) at the same run_at 2025-12-02T12:53:20.123Z, result 1 (results[0]), result 2 (results[1])");
                }));
    }

    @Test
    void a_model_override_of_a_files_one_model_merges_nothing_and_says_nothing() {
        ParsedResults parsed = BenchmarkResult.from("lm-eval", file("lm-eval-three-tasks.json"),
                ResultOverrides.model("pythia-renamed"));

        assertThat(parsed.results()).hasSize(3).allMatch(r -> r.modelVersion().equals("pythia-renamed"));
        assertThat(parsed.warnings()).noneMatch(w -> w.message().contains("into one series"));
    }

    @Test
    void a_model_override_of_a_sweeps_runs_at_different_times_keeps_them_with_a_warning_counting_the_models() {
        ParsedResults parsed = BenchmarkResult.from("mlflow", file("mlflow-sweep.csv"),
                new ResultOverrides("distil", "glue", null));

        assertThat(parsed.results()).hasSize(2);
        assertThat(parsed.warnings()).anySatisfy(w -> assertThat(w.toString()).isEqualTo("model_version: "
                + "ResultOverrides model_version 'distil' put 2 of the input's models (run-a and run-b) into one series "
                + "(distil / glue @local): their results are stored as runs of it at their own run_at, each judged "
                + "against the one before it. If they are not runs of one series, leave ResultOverrides model_version "
                + "out, or read them separately, each with its own ResultOverrides model_version"));
    }
}
