package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.benchmon.server.cli.PushCommandTest.Run;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.benchmon.server.cli.AdapterCommandsTest.file;
import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code push} and {@code import} do when a flag gives every result of a multi-result file one model or dataset
 * ({@code --dataset-version}, {@code --model-version}), and when {@code --metrics} selects metrics some results of the
 * file lack: an lm-eval file of three tasks (hellaswag, arc_easy, gsm8k, as lm-evaluation-harness writes it) and an
 * MLflow CSV of a sweep's two runs, against a real server and its database.
 */
class SeriesOverrideCommandsTest {
    @SharedServer
    private static TestServer server;

    private static List<JsonNode> rows(String parameter, String value) throws IOException {
        String body = server.get("/api/v1/history?" + parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)).body();
        List<JsonNode> rows = new ArrayList<>();
        new ObjectMapper().readTree(body).path("rows").forEach(rows::add);
        return rows;
    }

    /** {@code command} of {@code args} against the test server: push over HTTP, import into its database. */
    private static Run against(String command, String... args) {
        List<String> line = new ArrayList<>(List.of(command));
        line.addAll(List.of(args));
        line.addAll(command.equals("push") ? List.of("--server", server.url()) : List.of("--db", server.databaseUrl()));
        return run(line.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void a_dataset_version_that_makes_a_files_tasks_one_run_is_refused_naming_the_flag_and_the_tasks(String command)
            throws IOException {
        Run r = against(command, file("lm-eval-three-tasks.json"), "--format", "lm-eval", "--dataset-version",
                "harness-v1-" + command);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        // gsm8k, 5-shot, is a series of its own (prompt_version 5-shot): the flag merges the two 0-shot tasks
        assertThat(r.err()).contains("--dataset-version harness-v1-" + command + " would make the datasets hellaswag "
                        + "and arc_easy one series (EleutherAI/pythia-1.4b / harness-v1-" + command + " @local) at "
                        + "the same run_at 2025-12-02T12:53:20.123Z, result 1 (results[0]), result 2 (results[1])",
                "leave --dataset-version out, or push (or import) them separately",
                command.equals("push") ? "nothing was sent" : "nothing was stored");
        assertThat(rows("dataset", "harness-v1-" + command)).isEmpty();
    }

    @Test
    void with_a_run_id_the_refusal_still_names_the_flag_that_merged_them_and_never_advises_passing_it() {
        Run r = against("push", file("lm-eval-three-tasks.json"), "--format", "lm-eval", "--dataset-version",
                "harness-v1-run", "--run-id", "4242");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("--dataset-version harness-v1-run would make the datasets hellaswag and arc_easy "
                        + "one series")
                .doesNotContain("are two different results of one run", "give them with --model-version and "
                        + "--dataset-version");
    }

    @Test
    void an_import_of_benchmons_own_json_lines_made_one_run_by_a_flag_is_refused_before_anything_is_stored(
            @TempDir Path dir) throws IOException {
        Path lines = dir.resolve("two-models.jsonl");
        Files.writeString(lines, """
                {"model_version":"own-a","dataset_version":"own-d","run_at":"2026-01-01T00:00:00Z","metrics":{"f1":0.5}}
                {"model_version":"own-b","dataset_version":"own-d","run_at":"2026-01-01T00:00:00Z","metrics":{"f1":0.7}}
                """);
        Run r = against("import", lines.toString(), "--model-version", "own-merged");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("--model-version own-merged would make the models own-a and own-b one series "
                + "(own-merged / own-d @local) at the same run_at 2026-01-01T00:00:00Z, result 1 (results[0]), result 2 (results[1])");
        assertThat(rows("model", "own-merged")).isEmpty();
    }

    @Test
    void a_sweeps_two_runs_given_one_model_are_stored_as_its_runs_and_the_output_says_the_flag_merged_them()
            throws IOException {
        Run r = against("push", file("mlflow-sweep.csv"), "--format", "mlflow", "--model-version", "cli-sweep",
                "--dataset-version", "glue");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: model_version: --model-version cli-sweep put 2 of the input's models "
                + "(run-a and run-b) into one series (cli-sweep / glue @local): their results are stored as runs of it "
                + "at their own run_at, each judged against the one before it. If they are not runs of one series, "
                + "leave --model-version out");
        assertThat(rows("model", "cli-sweep")).hasSize(2);
    }

    @Test
    void a_sweeps_two_runs_given_one_model_and_one_run_id_are_refused_naming_the_flag_not_the_run_id()
            throws IOException {
        // With --run-id the file is one CI run, keyed without the tool's times: run-a and run-b, an hour apart, would
        // be two results of one run of the one series --model-version makes of them.
        Run r = against("push", file("mlflow-sweep.csv"), "--format", "mlflow", "--model-version", "cli-sweep-run",
                "--dataset-version", "glue", "--run-id", "4243");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("--model-version cli-sweep-run would make the models run-a and run-b one series "
                        + "(cli-sweep-run / glue @local) in one run (run_id 4243, keyed without the results' run_at",
                        "result 1 (results[0]), result 2 (results[1])", "leave --model-version out")
                .doesNotContain("are two different results of one run");
        assertThat(rows("model", "cli-sweep-run")).isEmpty();
    }

    @Test
    void a_sweeps_two_runs_at_the_same_run_at_given_one_model_are_refused(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("sweep-same-time.csv");
        Files.writeString(csv, Files.readString(Path.of(file("mlflow-sweep.csv")))
                .replace("1764593600000", "1764590000000").replace("1764594200000", "1764590600000"));
        Run r = against("import", csv.toString(), "--format", "mlflow", "--model-version", "cli-same-time",
                "--dataset-version", "glue");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("--model-version cli-same-time would make the models run-a and run-b one series");
        assertThat(rows("model", "cli-same-time")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void metrics_naming_a_name_with_a_comma_says_how_to_select_it(String command) {
        Run r = against(command, file("lm-eval-three-tasks.json"), "--format", "lm-eval", "--model-version",
                "cli-comma-" + command, "--metrics", "acc,none");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("none of its 2 metrics matches --metrics 'acc,none' (it holds acc,none, "
                + "acc_norm,none): --metrics splits its value at commas, so 'acc,none' is the patterns 'acc' and "
                + "'none'; to select a metric whose name holds a comma, put ? (any one character) in the comma's "
                + "place: --metrics 'acc?none'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void metrics_that_a_task_holds_none_of_skip_that_task_and_name_it_and_store_the_others(String command)
            throws IOException {
        String model = "cli-skip-" + command;
        Run r = against(command, file("lm-eval-three-tasks.json"), "--format", "lm-eval", "--model-version", model,
                "--metrics", "acc?none");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: metrics: 1 result(s) hold none of the metrics --metrics 'acc?none' "
                + "selects and were skipped (not stored): result 3 " + model + " / gsm8k (exact_match,strict-match, "
                + "exact_match,flexible-extract)");
        assertThat(rows("model", model)).extracting(row -> row.path("dataset_version").asText())
                .containsExactlyInAnyOrder("hellaswag", "arc_easy");
    }

    @Test
    void an_import_of_json_lines_skips_the_results_without_a_selected_metric_and_refuses_only_when_none_has_one(
            @TempDir Path dir) throws IOException {
        Path lines = dir.resolve("mixed.jsonl");
        Files.writeString(lines, """
                {"model_version":"own-skip","dataset_version":"d1","metrics":{"acc":0.5}}
                {"model_version":"own-skip","dataset_version":"d2","metrics":{"loss":0.7}}
                {"model_version":"own-skip","dataset_version":"d3","metrics":{"acc":0.6,"loss":0.2}}
                """);
        Run r = against("import", lines.toString(), "--metrics", "acc");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("were skipped (not stored): result 2 own-skip / d2 (loss)");
        assertThat(r.out()).contains("imported 2 result(s): 2 stored");
        assertThat(rows("model", "own-skip")).extracting(row -> row.path("dataset_version").asText())
                .containsExactlyInAnyOrder("d1", "d3");

        Run none = against("import", lines.toString(), "--metrics", "f1");
        assertThat(none.exitCode()).as(none.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(none.err()).contains("none of its 1 metrics matches --metrics 'f1'", "nothing was stored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void a_refusal_after_metrics_skipped_a_result_names_the_others_by_their_index_in_the_file(String command,
                                                                                             @TempDir Path dir)
            throws IOException {
        // gsm8k first: --metrics 'acc*' skips it, and hellaswag and arc_easy are the file's [1] and [2]
        String text = Files.readString(Path.of(file("lm-eval-three-tasks.json")));
        String gsm8kLine = text.lines().filter(l -> l.contains("\"gsm8k\": {\"alias\"")).findFirst().orElseThrow();
        String reordered = text.replace(gsm8kLine + "\n", "").replace("  \"results\": {\n",
                "  \"results\": {\n" + gsm8kLine.stripTrailing() + ",\n");
        reordered = reordered.replace("\"acc_norm_stderr,none\": 0.0094},", "\"acc_norm_stderr,none\": 0.0094}");
        Path f = Files.writeString(dir.resolve("gsm8k-first.json"), reordered);
        assertThat(reordered).isNotEqualTo(text);

        Run r = against(command, f.toString(), "--format", "lm-eval", "--metrics", "acc*", "--dataset-version",
                "skip-then-merge-" + command);

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("would make the datasets hellaswag and arc_easy one series")
                .contains("result 2 (results[1]), result 3 (results[2])").doesNotContain("result 1 (results[0]), result 2 (results[1])");
    }

    @Test
    void the_push_summary_names_each_result_by_its_number_in_the_file_when_metrics_skipped_some(@TempDir Path dir)
            throws IOException {
        // result 1, results[0].holds no acc and is skipped: the result pushed is the file's [1], as a refusal would name it
        String lines = """
                {"model_version":"sum-num","dataset_version":"d0","metrics":{"loss":0.7}}
                {"model_version":"sum-num","dataset_version":"d1","metrics":{"acc":%s}}
                """;
        Path first = Files.writeString(dir.resolve("first.jsonl"), String.format(lines, "0.50"));
        Path again = Files.writeString(dir.resolve("again.jsonl"), String.format(lines, "0.52"));
        against("push", first.toString(), "--metrics", "acc", "--run-id", "5150");

        Run r = against("push", again.toString(), "--metrics", "acc", "--run-id", "5150");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("result 2 \\(id \\d+\\) sum-num / d1 @local: stored \\(attempt 2 of run 5150: "
                        + "replaces attempt 1\\)")
                .doesNotContain("result 1 (id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void a_file_whose_every_result_metrics_skips_says_its_metric_definitions_were_left_out(String command,
                                                                                         @TempDir Path dir)
            throws IOException {
        String metric = "left_out_" + command;
        Path defined = Files.writeString(dir.resolve("defined.json"), "{\"metric_definitions\": {\"" + metric
                + "\": {\"direction\": \"lower_is_better\"}}, \"results\": [{\"model_version\": \"defs-" + command
                + "\", \"dataset_version\": \"d\", \"metrics\": {\"" + metric + "\": 0.7}}]}");
        Path kept = Files.writeString(dir.resolve("kept.jsonl"), "{\"model_version\": \"defs-" + command
                + "\", \"dataset_version\": \"d2\", \"metrics\": {\"acc\": 0.5}}\n");

        Run r = against(command, defined.toString(), kept.toString(), "--metrics", "acc");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: metric_definitions: --metrics 'acc' skipped every result of " + defined
                + " (" + metric + "), so the metric definitions stated there were left out with them (not defined)");
        assertThat(server.get("/api/v1/metrics").body()).doesNotContain(metric);
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "import"})
    void a_refusal_for_holding_no_selected_metric_lists_twenty_results_and_counts_the_others(String command,
                                                                                           @TempDir Path dir)
            throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            lines.append("{\"model_version\":\"cap-").append(command).append("\",\"dataset_version\":\"d").append(i)
                    .append("\",\"metrics\":{\"loss\":0.5}}\n");
        }
        Path f = Files.writeString(dir.resolve("none.jsonl"), lines.toString());

        Run r = against(command, f.toString(), "--metrics", "acc");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("line 20: result 20, results[19].metrics: none of its 1 metrics matches --metrics 'acc'",
                        "... and 5 more result(s) skipped: they hold none of the metrics --metrics 'acc' selects either")
                .doesNotContain("results[20].metrics");
    }
}
