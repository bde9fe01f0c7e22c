package dev.benchmon.ingest.adapters;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.ingest.IdempotencyKeys;
import dev.benchmon.ingest.ParsedResults;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.benchmon.ingest.adapters.AdaptersTest.file;
import static dev.benchmon.ingest.adapters.AdaptersTest.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The series of an lm-evaluation-harness result: the checkpoint of the model it evaluated ({@code revision=}) and the
 * number of few-shot examples ({@code n-shot}) are part of it, so that two checkpoints, or 0-shot and 5-shot runs of a
 * task, are never judged against each other; a file that names neither keeps the series (and keys) it always had.
 */
class LmEvalSeriesTest {
    /** pythia-1b at its Hub revision {@code step100000}, as lm-eval 0.4 writes it: hellaswag 0-shot, gsm8k 5-shot. */
    private static final String CHECKPOINT = file("lm-eval-pythia-1b-step100000.json");

    private static List<BenchmarkResult> read(String text) {
        return BenchmarkResult.from("lm-eval", text);
    }

    private static List<String> models(String text) {
        return read(text).stream().map(BenchmarkResult::modelVersion).distinct().toList();
    }

    @Test
    void a_revision_in_model_args_makes_the_model_version_name_at_revision() {
        assertThat(models(CHECKPOINT)).containsExactly("EleutherAI/pythia-1b@step100000");
    }

    /** The checkpoint's file with {@code model_args} as given, lm-eval reporting the Hub's default branch. */
    private static String onMain(String modelArgs) {
        return CHECKPOINT.replace("pretrained=EleutherAI/pythia-1b,revision=step100000,dtype=float16", modelArgs)
                .replace("\"model_revision\": \"step100000\"", "\"model_revision\": \"main\"");
    }

    @Test
    void the_revision_main_is_the_model_as_named_without_a_revision() {
        assertThat(models(onMain("pretrained=EleutherAI/pythia-1b,revision=main"))).containsExactly("EleutherAI/pythia-1b");
    }

    @Test
    void a_file_without_a_revision_keeps_the_model_name_alone() {
        assertThat(models(file("lm-eval-three-tasks.json"))).containsExactly("EleutherAI/pythia-1.4b");
    }

    @Test
    void the_model_revision_lm_eval_reports_names_the_checkpoint_when_model_args_has_no_revision() {
        String reported = CHECKPOINT.replace(",revision=step100000", "");

        assertThat(models(reported)).containsExactly("EleutherAI/pythia-1b@step100000");
    }

    @Test
    void the_model_sha_of_the_default_branch_separates_nothing() {
        // lm-eval writes the commit the loaded branch pointed at: it moves with every upload, the user chose no checkpoint
        assertThat(models(onMain("pretrained=EleutherAI/pythia-1b"))).containsExactly("EleutherAI/pythia-1b");
    }

    @Test
    void a_revision_given_as_an_object_of_model_args_names_the_checkpoint_too() {
        String text = "{\"results\":{\"t\":{\"acc,none\":0.5}},\"versions\":{\"t\":1},"
                + "\"config\":{\"model_args\":{\"pretrained\":\"org/m\",\"revision\":\"v2.0\"}}}";

        assertThat(models(text)).containsExactly("org/m@v2.0");
    }

    @Test
    void a_task_with_few_shot_examples_has_the_prompt_version_n_shot_and_a_zero_shot_task_an_empty_one() {
        ParsedResults parsed = Adapters.parse("lm-eval", CHECKPOINT, ResultOverrides.NONE);

        assertThat(only(parsed, "gsm8k").promptVersion()).isEqualTo("5-shot");
        assertThat(only(parsed, "hellaswag").promptVersion()).isEmpty();
    }

    @Test
    void num_fewshot_of_the_tasks_config_gives_the_shots_when_the_file_has_no_n_shot() {
        String older = CHECKPOINT.replace("\"n-shot\": {\"gsm8k\": 5, \"hellaswag\": 0},", "");

        assertThat(read(older)).extracting(BenchmarkResult::datasetVersion, BenchmarkResult::promptVersion)
                .containsExactly(tuple("hellaswag", ""), tuple("gsm8k", "5-shot"));
    }

    @Test
    void a_group_has_the_shots_its_subtasks_share() {
        String text = """
                {"results": {"mmlu_stem": {"acc,none": 0.3}, "mmlu_humanities": {"acc,none": 0.4}},
                 "groups": {"mmlu": {"acc,none": 0.35}, "mixed": {"acc,none": 0.5}},
                 "group_subtasks": {"mmlu": ["mmlu_stem", "mmlu_humanities"], "mixed": ["mmlu_stem", "t0"]},
                 "n-shot": {"mmlu_stem": 5, "mmlu_humanities": 5, "t0": 0}, "config": {"model_args": "pretrained=m"}}""";

        assertThat(read(text)).extracting(BenchmarkResult::datasetVersion, BenchmarkResult::promptVersion)
                .containsExactly(tuple("mmlu_stem", "5-shot"),
                        tuple("mmlu_humanities", "5-shot"),
                        tuple("mmlu", "5-shot"),
                        tuple("mixed", ""));
    }

    @Test
    void the_flags_name_the_series_whatever_the_revision_and_shots() {
        ParsedResults overridden = Adapters.parse("lm-eval", CHECKPOINT,
                ResultOverrides.model("EleutherAI/pythia-1b").withPrompt("harness-v1"));

        assertThat(overridden.results()).extracting(BenchmarkResult::modelVersion).containsOnly("EleutherAI/pythia-1b");
        assertThat(overridden.results()).extracting(BenchmarkResult::promptVersion).containsOnly("harness-v1");
    }

    @Test
    void the_key_of_a_zero_shot_result_without_a_revision_is_the_one_earlier_versions_derived() {
        // Stored forms of the keys the version before this change derived for these results of the file (computed with
        // that build): a re-push of a file stored then is answered "already present", not stored a second time.
        List<BenchmarkResult> results = read(file("lm-eval-three-tasks.json"));

        assertThat(results.subList(0, 2)).extracting(BenchmarkResult::datasetVersion,
                        r -> IdempotencyKeys.storedForm(IdempotencyKeys.keyFor(r)))
                .containsExactly(tuple("hellaswag", "c7fcd643-9488-c733-2d9b-df6747f5d9c6"),
                        tuple("arc_easy", "affe45fe-1062-cfd5-0c26-c7516bc6c530"));
    }
}
