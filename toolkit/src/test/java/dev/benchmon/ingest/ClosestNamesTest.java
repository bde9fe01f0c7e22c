package dev.benchmon.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The names a refusal suggests for a mistyped one: a near spelling first, else the names a word begins. */
class ClosestNamesTest {
    @Test
    void a_name_one_letter_off_is_suggested() {
        assertThat(ClosestNames.didYouMean("metrcs", ResultJson.FIELDS)).isEqualTo(" (did you mean metrics?)");
    }

    @ParameterizedTest
    @CsvSource({"dataset, dataset_version", "prompt, prompt_version", "commit, commit_sha", "Dataset, dataset_version",
            "--model, --model-version"})
    void a_word_that_begins_one_name_suggests_that_name(String typed, String meant) {
        assertThat(ClosestNames.didYouMean(typed, List.of("dataset_version", "prompt_version", "commit_sha",
                "--model-version", "--dataset-version"))).isEqualTo(" (did you mean " + meant + "?)");
    }

    @Test
    void a_word_that_begins_two_names_suggests_both() {
        assertThat(ClosestNames.didYouMean("model", ResultJson.FIELDS))
                .isEqualTo(" (did you mean model_version or model_provider?)");
    }

    /** run begins run_at, run_at_sent and run_id: too short a word to guess from. */
    @Test
    void a_word_that_begins_more_than_two_names_suggests_none() {
        assertThat(ClosestNames.didYouMean("run", ResultJson.FIELDS)).isEmpty();
    }

    @Test
    void a_beginning_that_is_not_a_whole_word_suggests_nothing() {
        assertThat(ClosestNames.didYouMean("datas", List.of("dataset_version"))).isEmpty();
        assertThat(ClosestNames.didYouMean("-", List.of("--model-version"))).isEmpty();
    }

    /** metric is one letter off metrics, and also begins no name: the near spelling is the one said. */
    @Test
    void a_near_spelling_is_suggested_before_a_name_the_word_begins() {
        assertThat(ClosestNames.didYouMean("metric", List.of("metrics", "metric_definitions")))
                .isEqualTo(" (did you mean metrics?)");
    }

    @Test
    void a_name_allowed_as_typed_gets_no_suggestion() {
        assertThat(ClosestNames.didYouMean("run_at", ResultJson.FIELDS)).isEmpty();
    }

    /** A name from the network may be huge: it is compared with no name far longer or shorter than itself. */
    @Test
    void a_very_long_name_gets_no_suggestion_and_costs_little() {
        String huge = "model" + "x".repeat(50_000);

        assertThat(ClosestNames.didYouMean(huge, ResultJson.FIELDS)).isEmpty();
    }
}
