package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.benchmon.Benchmon;
import dev.benchmon.MetricDirection;
import dev.benchmon.server.cli.PushCommandTest.Run;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code benchmon push --format} and {@code benchmon import --format} on the adapter test files
 * ({@code toolkit/src/test/resources/adapters/}), against a real server and its database.
 */
class AdapterCommandsTest {
    private static final Path FILES = Path.of("..", "toolkit", "src", "test", "resources", "adapters").toAbsolutePath().normalize();
    private static final Path NATIVE_SAMPLE = Path.of("..", "samples", "sample_benchmark_results.json").toAbsolutePath().normalize();
    /** Every sample file and the format that wrote it. */
    private static final Map<String, String> SAMPLES = Map.of("lm-eval-results.json", "lm-eval",
            "hf-all_results.json", "hf-trainer", "hf-trainer_state.json", "hf-trainer", "mlflow-run.json", "mlflow",
            "mlflow-run-dict.json", "mlflow", "mlflow-metrics.csv", "mlflow", "wandb-summary.json", "wandb",
            "pytest-benchmark.json", "pytest-benchmark", "google-benchmark.json", "google-benchmark",
            NATIVE_SAMPLE.toString(), "json");
    private static final List<String> TOOL_FORMATS = List.of("lm-eval", "hf-trainer", "mlflow", "wandb",
            "pytest-benchmark", "google-benchmark");
    @SharedServer
    private static TestServer server;

    /** The absolute path of an adapter test file ({@code toolkit/src/test/resources/adapters/}). */
    static String file(String name) {
        Path p = FILES.resolve(name); // an absolute name (the native sample) resolves to itself
        assertThat(p).exists();
        return p.toString();
    }

    /** The stored rows of a model: each row's dataset and metric names. */
    private static List<JsonNode> history(String model) throws IOException {
        return rows("model", model);
    }

    /** The stored rows matching one query parameter. */
    private static List<JsonNode> rows(String parameter, String value) throws IOException {
        String body = server.get("/api/v1/history?" + parameter + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)).body();
        List<JsonNode> rows = new ArrayList<>();
        new ObjectMapper().readTree(body).path("rows").forEach(rows::add);
        return rows;
    }

    @Test
    void push_with_format_lm_eval_stores_one_result_per_task_with_the_metric_names_as_written() throws IOException {
        Run r = run("push", file("lm-eval-results.json"), "--format", "lm-eval", "--model-version", "cli-lm-eval",
                "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: results[1].metrics.exact_match,flexible-extract: value NaN dropped: NaN is "
                + "not a finite number; the result's other metrics are stored (push with --strict, or ?strict=true, to "
                + "refuse the input instead) [result 2, cli-lm-eval / gsm8k / 5-shot @local]");
        List<JsonNode> rows = history("cli-lm-eval");
        assertThat(rows).extracting(row -> row.path("dataset_version").asText())
                .containsExactlyInAnyOrder("arc_easy", "gsm8k", "reasoning");
        assertThat(rows.toString()).contains("\"acc,none\"", "\"exact_match,strict-match\"");
        Run export = run("export", "history", "--db", server.databaseUrl(), "--model", "cli-lm-eval");
        assertThat(export.out()).as(export.err()).contains("\"acc,none\"", "\"exact_match,strict-match\"");
    }

    /** pythia-1b at its Hub revision step100000, as lm-eval 0.4 writes it: hellaswag 0-shot, gsm8k 5-shot. */
    private static final String CHECKPOINT = "lm-eval-pythia-1b-step100000.json";

    /**
     * The same evaluation of the model's final weights (no revision: the Hub's {@code main}), 3 points better on every
     * metric, {@code daysBefore} days before the checkpoint's run.
     */
    private static Path finalModelFile(int daysBefore) throws IOException {
        String text = Files.readString(Path.of(file(CHECKPOINT)));
        String main = text.replace(",revision=step100000", "")
                .replace("\"model_revision\": \"step100000\"", "\"model_revision\": \"main\"")
                .replace("\"date\": 1764590400.5", "\"date\": " + (1_764_590_400L - daysBefore * 86_400L))
                .replace("0.3768", "0.4068").replace("0.4691", "0.4991").replace("0.0212", "0.0512").replace("0.0243", "0.0543");
        assertThat(main).doesNotContain("step100000");
        Path p = Files.createTempFile("lm-eval-pythia-1b-main", ".json");
        return Files.writeString(p, main);
    }

    private static JsonNode alerts(String model) throws IOException {
        return new ObjectMapper().readTree(server.get("/api/v1/alerts?model="
                + URLEncoder.encode(model, StandardCharsets.UTF_8)).body()).path("alerts");
    }

    /** Three runs of the final model, then the earlier checkpoint, each pushed with {@code extra} flags. */
    private static Run finalModelThenCheckpoint(String... extra) throws IOException {
        for (int days = 3; days >= 1; days--) {
            Run r = run(Stream.concat(Stream.of("push", finalModelFile(days).toString(), "--format", "lm-eval",
                    "--server", server.url()), Stream.of(extra)).toArray(String[]::new));
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        }
        return run(Stream.concat(Stream.of("push", file(CHECKPOINT), "--format", "lm-eval", "--server", server.url(),
                "--fail-on-regression"), Stream.of(extra)).toArray(String[]::new));
    }

    @Test
    void push_with_format_lm_eval_stores_two_checkpoints_of_a_model_as_two_series_and_opens_no_alert() throws IOException {
        Run checkpoint = finalModelThenCheckpoint();

        assertThat(checkpoint.exitCode()).as(checkpoint.out() + checkpoint.err()).isZero();
        assertThat(history("EleutherAI/pythia-1b")).hasSize(6);
        assertThat(history("EleutherAI/pythia-1b@step100000"))
                .extracting(row -> row.path("dataset_version").asText() + " " + row.path("prompt_version").asText())
                .containsExactlyInAnyOrder("hellaswag ", "gsm8k 5-shot");
        assertThat(alerts("EleutherAI/pythia-1b")).isEmpty();
        assertThat(alerts("EleutherAI/pythia-1b@step100000")).isEmpty();
    }

    @Test
    void push_with_format_lm_eval_and_the_series_flags_keeps_every_checkpoint_in_the_series_earlier_versions_gave() throws IOException {
        // How to keep the series stored before: the earlier checkpoint is then judged a regression of the final model
        Run checkpoint = finalModelThenCheckpoint("--model-version", "cli-lm-eval-one-series", "--prompt-version", "");

        assertThat(checkpoint.exitCode()).as(checkpoint.out() + checkpoint.err()).isNotZero();
        assertThat(history("cli-lm-eval-one-series")).hasSize(8)
                .allSatisfy(row -> assertThat(row.path("prompt_version").asText()).isEmpty());
        assertThat(alerts("cli-lm-eval-one-series")).isNotEmpty();
    }

    /** Where {@code target} ({@code --server} or {@code --db}) pushes to: the test server, or its database. */
    private static String where(String target) {
        return target.equals("--server") ? server.url() : server.databaseUrl();
    }

    /** The checkpoint's file with its model named {@code model} (still at revision step100000). */
    private static Path checkpointOf(String model) throws IOException {
        Path p = Files.createTempFile("lm-eval-" + model.replace('/', '-'), ".json");
        return Files.writeString(p, Files.readString(Path.of(file(CHECKPOINT))).replace("EleutherAI/pythia-1b", model));
    }

    /** The checkpoint's file into the series earlier versions gave it, under {@code model}: no revision, no shots. */
    private static void pushInTheFormEarlierVersionsGave(String model, String target) {
        Run old = run("push", file(CHECKPOINT), "--format", "lm-eval", target, where(target), "--model-version", model,
                "--prompt-version", "");
        assertThat(old.exitCode()).as(old.out() + old.err()).isZero();
    }

    /**
     * An lm-eval push whose checkpoint and 5-shot task go to new series, on a database that holds the series earlier
     * versions gave them (pushed with the flags that give those): one warning per old series naming how to keep it;
     * {@code --format auto} warns as {@code --format lm-eval} does, going by the format it detects in the file.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"--server, lm-eval", "--db, lm-eval", "--server, auto"})
    void push_with_format_lm_eval_into_new_series_warns_once_per_series_of_the_form_earlier_versions_gave(String target,
                                                                                                          String format)
            throws IOException {
        String model = "cli-lm-eval-old-form" + target + "-" + format;
        pushInTheFormEarlierVersionsGave(model, target);

        Run upgraded = run("push", checkpointOf(model).toString(), "--format", format, target, where(target));

        assertThat(upgraded.exitCode()).as(upgraded.out() + upgraded.err()).isZero();
        assertThat(upgraded.err().lines().filter(l -> l.startsWith("warning: ") && l.contains("is a new series")))
                .containsExactlyInAnyOrder(
                        "warning: " + model + "@step100000 / hellaswag @local is a new series; earlier benchmon versions"
                                + " stored these results in " + model + " / hellaswag @local (its runs and alerts stay"
                                + " there): to keep pushing there, give --model-version " + model,
                        "warning: " + model + "@step100000 / gsm8k / 5-shot @local is a new series; earlier benchmon"
                                + " versions stored these results in " + model + " / gsm8k @local (its runs and alerts"
                                + " stay there): to keep pushing there, give --model-version " + model
                                + " --prompt-version ''");
    }

    /**
     * A checkpoint of a model no series holds under its name without the revision: that name is unknown to the store,
     * so there is no old series to warn of, and nothing to note either (the read of that name finds nothing).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"--server", "--db"})
    void push_with_format_lm_eval_of_a_model_never_pushed_without_its_revision_warns_of_no_old_series(String target)
            throws IOException {
        String model = "cli-lm-eval-no-old-form" + target;

        Run first = run("push", checkpointOf(model).toString(), "--format", "lm-eval", target, where(target));

        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.err()).doesNotContain("new series", "note:");
        assertThat(history(model + "@step100000")).hasSize(2);
    }

    /**
     * A model named by {@code --model-version} with an {@code @} of the user's own ({@code team@v2}), beside a series of
     * the name before it: the adapter gave no revision there, so no earlier version stored these results elsewhere.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"--server", "--db"})
    void push_with_format_lm_eval_and_a_model_version_with_an_at_sign_warns_of_no_old_series(String target)
            throws IOException {
        String model = "cli-lm-eval-own-at" + target;
        pushInTheFormEarlierVersionsGave(model, target);

        Run own = run("push", file(CHECKPOINT), "--format", "lm-eval", target, where(target), "--model-version",
                model + "@v2");

        assertThat(own.exitCode()).as(own.out() + own.err()).isZero();
        assertThat(own.err()).doesNotContain("new series", "note:");
        assertThat(history(model + "@v2")).hasSize(2);
    }

    @Test
    void push_with_format_lm_eval_into_series_it_pushed_to_before_warns_of_no_old_series() throws IOException {
        String model = "cli-lm-eval-old-form-again";
        assertThat(run("push", file(CHECKPOINT), "--format", "lm-eval", "--server", server.url(), "--model-version", model,
                "--prompt-version", "").exitCode()).isZero();
        Path upgraded = checkpointOf(model);
        assertThat(run("push", upgraded.toString(), "--format", "lm-eval", "--server", server.url()).err())
                .contains("is a new series");
        String later = Files.readString(upgraded).replace("\"date\": 1764590400.5", "\"date\": 1764676800.5");

        Run again = run("push", Files.writeString(upgraded, later).toString(), "--format", "lm-eval", "--server",
                server.url());

        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(history(model + "@step100000")).hasSize(4); // stored: two runs of each of its two series
        assertThat(again.err()).doesNotContain("new series");
    }

    @Test
    void push_with_format_auto_reads_a_wandb_summary_with_the_dataset_given_by_flag() throws IOException {
        Run r = run("push", file("wandb-summary.json"), "--format", "auto", "--model-version", "cli-wandb",
                "--dataset-version", "owt", "--prompt-version", "p1", "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<JsonNode> rows = history("cli-wandb");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.path("dataset_version").asText()).isEqualTo("owt");
            assertThat(row.path("prompt_version").asText()).isEqualTo("p1");
        });
        assertThat(rows.toString()).contains("\"eval/loss\"", "\"train/lr\"");
    }

    /** The trial's runs/get answer, with MLflow's system tags for the git state and the user. */
    private static String mlflowRun(String model, String runId) throws IOException {
        Path p = Files.createTempFile("mlflow-run", ".json");
        Files.writeString(p, """
                {"run": {"info": {"run_id": "%s", "experiment_id": "3", "run_name": "bert-ft-lr3e5", "user_id": "",
                  "status": "FINISHED", "start_time": 1764590000000, "end_time": 1764593600000},
                 "data": {"metrics": [{"key": "eval_accuracy", "value": 0.84, "timestamp": 1764593500000, "step": 3}],
                  "params": [{"key": "model_version", "value": "%s"}, {"key": "dataset_version", "value": "mrpc-v2"}],
                  "tags": [{"key": "mlflow.runName", "value": "bert-ft-lr3e5"},
                           {"key": "mlflow.source.git.commit", "value": "1234567890abcdef1234567890abcdef12345678"},
                           {"key": "mlflow.source.git.branch", "value": "feature/lr"},
                           {"key": "mlflow.user", "value": "alice"}]}}}
                """.formatted(runId, model));
        p.toFile().deleteOnExit();
        return p.toString();
    }

    @Test
    void push_with_format_mlflow_takes_commit_branch_and_user_from_the_system_tags_and_flags_override_them()
            throws IOException {
        Run r = run("push", mlflowRun("cli-mlflow-git", "7f3c9a1b2d4e"), "--format", "mlflow", "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(history("cli-mlflow-git")).singleElement().satisfies(row -> {
            assertThat(row.path("commit_sha").asText()).isEqualTo("1234567890abcdef1234567890abcdef12345678");
            assertThat(row.path("branch").asText()).isEqualTo("feature/lr");
            assertThat(row.path("triggered_by").asText()).isEqualTo("alice");
        });

        Run flags = run("push", mlflowRun("cli-mlflow-flags", "8a4d0b2c3e5f"), "--format", "mlflow", "--commit-sha",
                "abcdef1", "--branch", "main", "--triggered-by", "ci-bot", "--server", server.url());
        assertThat(flags.exitCode()).as(flags.err()).isZero();
        assertThat(history("cli-mlflow-flags")).singleElement().satisfies(row -> {
            assertThat(row.path("commit_sha").asText()).isEqualTo("abcdef1");
            assertThat(row.path("branch").asText()).isEqualTo("main");
            assertThat(row.path("triggered_by").asText()).isEqualTo("ci-bot");
        });
    }

    @Test
    void push_of_a_file_that_names_no_model_exits_2_and_names_the_flag() {
        Run r = run("push", file("hf-all_results.json"), "--format", "hf-trainer", "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("hf-all_results.json", "model_version: is required", "--model-version",
                "--dataset-version");
    }

    @Test
    void an_unknown_format_exits_2_with_the_known_names() {
        Run r = run("push", file("wandb-summary.json"), "--format", "tensorboard", "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("unknown format 'tensorboard'", "lm-eval", "pytest-benchmark");
    }

    @Test
    void import_defines_the_directions_the_tool_states_but_keeps_a_definition_made_on_purpose() {
        String url = TestServer.freshDatabaseUrlWithCredentials();
        try (Benchmon db = Benchmon.connect(url, null, null)) {
            // A user judging min (the adapter states it none, tracked): the file's none does not undo that.
            db.defineMetric("min", MetricDirection.LOWER_IS_BETTER, "s", "chosen by a user");
            Run r = run("import", file("pytest-benchmark.json"), "--format", "pytest-benchmark", "--model-version",
                    "cli-pytest-directions", "--db", url);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("as the file states:", "mean lower_is_better (s)", "ops none (ops/s)",
                    "total none (s)").doesNotContain("min none");
            assertThat(db.direction("mean")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
            assertThat(db.direction("ops")).isEqualTo(MetricDirection.NONE);
            assertThat(db.direction("median")).isEqualTo(MetricDirection.NONE);
            assertThat(db.direction("min")).isEqualTo(MetricDirection.LOWER_IS_BETTER);
        }
    }

    @Test
    void push_to_a_server_says_which_metrics_it_defined_as_the_file_states_as_push_to_a_database_does() {
        // A fresh server (no metric defined yet): push --db printed the line, push --server nothing.
        try (TestServer fresh = TestServer.start()) {
            Run local = run("push", file("pytest-benchmark.json"), "--format", "pytest-benchmark", "--model-version",
                    "cli-defined-db", "--db", TestServer.freshDatabaseUrlWithCredentials());
            Run remote = run("push", file("pytest-benchmark.json"), "--format", "pytest-benchmark", "--model-version",
                    "cli-defined-server", "--server", fresh.url());
            assertThat(remote.exitCode()).as(remote.err()).isZero();
            String line = local.out().lines().filter(l -> l.startsWith("defined ")).findFirst().orElseThrow();
            assertThat(line).contains("as the file states:", "mean lower_is_better (s)");
            assertThat(remote.out()).contains(line);

            Run again = run("push", file("pytest-benchmark.json"), "--format", "pytest-benchmark", "--model-version",
                    "cli-defined-server-2", "--server", fresh.url());
            assertThat(again.out()).as("nothing left to define").doesNotContain("as the file states");
        }
    }

    @Test
    void import_with_format_pytest_benchmark_loads_once_and_again_adds_nothing() {
        Run first = run("import", file("pytest-benchmark.json"), "--format", "pytest-benchmark", "--model-version",
                "cli-pytest", "--db", server.databaseUrl());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("imported 2 result(s): 2 stored, 0 already present");
        Run again = run("import", file("pytest-benchmark.json"), "--format", "pytest-benchmark", "--model-version",
                "cli-pytest", "--db", server.databaseUrl());
        assertThat(again.out()).as(again.err()).contains("2 result(s): 0 stored, 2 already present");
    }

    @Test
    void import_with_format_mlflow_reads_the_ui_metric_csv() throws IOException {
        Run r = run("import", file("mlflow-metrics.csv"), "--format", "mlflow", "--dataset-version", "cli-mlflow-mrpc",
                "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("imported 2 result(s): 2 stored");
        assertThat(r.err()).contains("warning: results[1].metrics.accuracy");
        // The run name, comma included, is the model (queried by dataset: list parameters split at commas).
        assertThat(rows("dataset", "cli-mlflow-mrpc")).extracting(row -> row.path("model_version").asText())
                .containsExactlyInAnyOrder("bert, small", "bert-large");
    }

    @Test
    void import_with_format_google_benchmark_and_hf_trainer_state_store_every_result(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Run bench = run("import", file("google-benchmark.json"), "--format", "google-benchmark", "--db", server.databaseUrl());
        assertThat(bench.out()).as(bench.err()).contains("imported 2 result(s): 2 stored");
        Run state = run("import", file("hf-trainer_state.json"), "--format", "hf-trainer", "--model-version", "cli-hf",
                "--dataset-version", "mrpc", "--db", server.databaseUrl());
        assertThat(state.out()).as(state.err()).contains("imported 1 result(s): 1 stored"); // one training run
        assertThat(history("cli-hf")).hasSize(1);
        assertThat(history("string_bench")).extracting(row -> row.path("dataset_version").asText())
                .containsExactlyInAnyOrder("BM_StringCopy/64", "BM_Hash/1024");
        assertThat(Files.exists(dir)).isTrue();
    }

    @Test
    void push_of_a_trainer_state_stores_one_run_and_judges_it_against_no_step_of_itself() throws IOException {
        // Earlier fine-tunes of the series, each stored by its final evaluation.
        StringBuilder earlier = new StringBuilder();
        for (int day = 5; day >= 1; day--) {
            earlier.append("{\"model_version\":\"cli-hf-push\",\"dataset_version\":\"mrpc\",\"run_at\":\"")
                    .append(java.time.Instant.now().minus(java.time.Duration.ofDays(day))).append("\",\"metrics\":")
                    .append("{\"eval_accuracy\":").append(0.8851 + day * 0.0002).append(",\"eval_loss\":")
                    .append(0.2936 + day * 0.0004).append("}}\n");
        }
        assertThat(run(Map.of(), earlier.toString(), "push", "-", "--server", server.url()).exitCode()).isZero();

        Run r = run("push", file("hf-trainer_state.json"), "--format", "hf-trainer", "--model-version", "cli-hf-push",
                "--dataset-version", "mrpc", "--fail-on-regression", "--server", server.url());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).doesNotContain("regressions:");
        assertThat(history("cli-hf-push")).hasSize(6).first()
                .satisfies(row -> assertThat(row.path("eval_accuracy").asDouble()).isEqualTo(0.8851));
    }

    @Test
    void the_native_format_stays_the_default_and_takes_the_overrides_too() throws IOException {
        Run r = run(Map.of(), "{\"model_version\":\"x\",\"dataset_version\":\"d\",\"metrics\":{\"精度\":0.9}}",
                "push", "-", "--model-version", "cli-native", "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(history("cli-native").toString()).contains("\"精度\"");
    }

    /** Each tool's format named on every sample another format wrote. */
    static Stream<Arguments> formatsNamedOnAnotherFormatsFile() {
        return TOOL_FORMATS.stream().flatMap(named -> SAMPLES.entrySet().stream()
                .filter(sample -> !sample.getValue().equals(named))
                .map(sample -> Arguments.of(named, sample.getKey(), sample.getValue())));
    }

    @ParameterizedTest(name = "--format {0} on {1}")
    @MethodSource("formatsNamedOnAnotherFormatsFile")
    void import_with_a_format_the_file_does_not_have_is_refused_naming_the_format_it_has_and_stores_nothing(
            String named, String sample, String actual) throws IOException {
        // Overrides for model and dataset, so that only the file's shape can refuse it.
        String model = "wrong-format-" + named + "-" + Path.of(sample).getFileName();
        Run r = run("import", file(sample), "--format", named, "--model-version", model, "--dataset-version", "d",
                "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("is not " + named + " input", "--format " + named + " reads",
                "This looks like ", "; use --format " + actual
                        + (actual.equals("json") ? " or leave --format out" : " or --format auto"));
        assertThat(r.out()).doesNotContain("imported");
        assertThat(history(model)).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({"push, lm-eval-results.json, lm-eval",
            "import, pytest-benchmark.json, pytest-benchmark"})
    void a_tool_file_without_a_format_names_the_format_to_use_instead_of_every_field(String command, String sample,
                                                                                      String format) {
        boolean push = command.equals("push");
        Run r = run(command, file(sample), push ? "--server" : "--db", push ? server.url() : server.databaseUrl());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains(sample + ": format: this looks like " + format + " output, which benchmon's own "
                + "format (the default) does not read: use --format " + format + " (or --format auto)")
                .doesNotContain("unknown field", "Fix the fields");
    }

    @Test
    void an_lm_eval_file_pushed_again_is_already_present_without_advice_to_send_a_new_idempotency_key() {
        // Its date 1764504000.123 was read a microsecond earlier by earlier versions: the adapter gives each task the
        // key derived then, which the summary took for a key the user sent.
        String[] push = {"push", file("lm-eval-results_fraction-date.json"), "--format", "lm-eval", "--model-version",
                "cli-lm-eval-again", "--server", server.url()};
        Run first = run(push);
        assertThat(first.exitCode()).as(first.err()).isZero();

        Run again = run(push);

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).containsPattern("0\\s+3\\s+0").contains("already present: a result with the same "
                + "series, run time and values is stored; send a run_id or an idempotency_key to store a repeat")
                .doesNotContain("that idempotency_key", "new idempotency_key");
    }

    /** The runs tables the MLflow and W&B UIs export (one row per run, parameters beside metrics), as a trial pushed them. */
    static Stream<Arguments> runsTables() {
        return Stream.of(
                Arguments.of("mlflow-runs-table.csv", "auto", "an MLflow runs table", "mlflow runs describe --run-id ID",
                        "--format mlflow"),
                Arguments.of("mlflow-runs-table.csv", "mlflow", "an MLflow runs table", "mlflow runs describe --run-id ID",
                        "--format mlflow"),
                Arguments.of("wandb-runs-table.csv", "auto", "a W&B runs table", "wandb-summary.json", "--format wandb"),
                Arguments.of("wandb-runs-table.csv", "wandb", "a W&B runs table", "wandb-summary.json", "--format wandb"));
    }

    @ParameterizedTest(name = "{0} with --format {1}")
    @MethodSource("runsTables")
    void push_of_a_ui_runs_table_is_refused_naming_it_and_what_to_export_instead_and_sends_nothing(String sample,
            String format, String what, String instead, String readWith) throws IOException {
        // auto read these as benchmon's own CSV: learning_rate and batch_size were stored as metrics, exit 0.
        String model = "cli-runs-table-" + format + "-" + sample.substring(0, 5);
        Run r = run("push", file(sample), "--format", format, "--model-version", model, "--dataset-version", "d",
                "--server", server.url());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains(sample + ": format: this is " + what, "which no format reads: its parameters would "
                        + "be read as metrics", instead, "read that with " + readWith)
                .doesNotContain("warning:", "Fix the fields");
        assertThat(history(model)).isEmpty();
    }

    /**
     * The runs tables without any --format (the default reads a *.csv as benchmon's own CSV), push and import alike:
     * refused as --format auto refuses them. With --metrics keeping only the metric columns they were read, the table's
     * other columns taken as result fields or dropped, and stored with exit 0.
     */
    static Stream<Arguments> runsTablesWithoutFormat() {
        return Stream.of(
                Arguments.of("push", "mlflow-runs-table.csv", "eval_*", "an MLflow runs table", "--format mlflow"),
                Arguments.of("import", "mlflow-runs-table.csv", "eval_*", "an MLflow runs table", "--format mlflow"),
                Arguments.of("push", "wandb-runs-table.csv", "eval/*", "a W&B runs table", "--format wandb"),
                Arguments.of("import", "wandb-runs-table.csv", "eval/*", "a W&B runs table", "--format wandb"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("runsTablesWithoutFormat")
    void a_ui_runs_table_without_format_is_refused_as_format_auto_refuses_it(String command, String sample,
            String metrics, String what, String readWith) throws IOException {
        String model = "cli-runs-table-default-" + command + "-" + sample.substring(0, 5);
        Run r = run(command, file(sample), "--model-version", model, "--dataset-version", "d", "--metrics", metrics,
                command.equals("push") ? "--server" : "--db", command.equals("push") ? server.url() : server.databaseUrl());

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains(sample + ": format: this is " + what, "which no format reads: its parameters would "
                + "be read as metrics", "read that with " + readWith, command.equals("push") ? "nothing was sent"
                : "nothing was stored").doesNotContain("warning:", "Fix the fields");
        assertThat(history(model)).isEmpty();
    }

    @Test
    void push_of_an_mlflow_run_named_as_wandb_is_refused_saying_it_looks_like_mlflow_and_sends_nothing()
            throws IOException {
        Run r = run("push", file("mlflow-run.json"), "--format", "wandb", "--model-version", "cli-wandb-on-mlflow",
                "--dataset-version", "d", "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("mlflow-run.json", "is not wandb input", "\"_wandb\"", "\"_step\"",
                "This looks like mlflow output; use --format mlflow or --format auto")
                .doesNotContain("warning:", "Fix the fields");
        assertThat(history("cli-wandb-on-mlflow")).isEmpty();
    }

    @Test
    void a_file_of_the_named_format_with_a_value_that_is_not_a_number_is_still_stored_with_a_warning(
            @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path results = dir.resolve("all_results.json");
        Files.writeString(results, "{\"epoch\": 3.0, \"eval_accuracy\": 0.89, \"eval_f1\": \"n/a\", \"eval_samples\": 408}");
        Run r = run("import", results.toString(), "--format", "hf-trainer", "--model-version", "cli-hf-text-value",
                "--dataset-version", "mrpc", "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: results[0].metrics.eval_f1: value \"n/a\" dropped: \"n/a\" is not a number");
        assertThat(history("cli-hf-text-value")).singleElement()
                .satisfies(row -> assertThat(row.toString()).contains("eval_accuracy").doesNotContain("eval_f1"));
    }

    @Test
    void push_strict_of_an_lm_eval_file_with_a_nan_exits_2_naming_the_metric_and_sends_nothing() throws IOException {
        Run r = run("push", file("lm-eval-results.json"), "--format", "lm-eval", "--model-version", "cli-lm-eval-strict",
                "--strict", "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("nothing was sent",
                "result 2, results[1].metrics.exact_match,flexible-extract: must be a finite number, got NaN").doesNotContain("warning:");
        assertThat(history("cli-lm-eval-strict")).isEmpty();
    }

    @Test
    void import_strict_of_a_wandb_summary_with_a_nan_exits_2_and_stores_nothing(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path summary = dir.resolve("wandb-summary.json");
        Files.writeString(summary, "{\"eval/loss\": 2.46, \"lr\": NaN, \"_timestamp\": 1700000000.5}");
        Run r = run("import", summary.toString(), "--format", "wandb", "--model-version", "cli-wandb-strict",
                "--dataset-version", "d", "--strict", "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("nothing was stored", "metrics.lr: must be a finite number, got NaN");
        assertThat(history("cli-wandb-strict")).isEmpty();
    }

    @Test
    void push_of_an_mlflow_run_whose_start_time_is_no_point_in_time_exits_2_naming_its_path_and_sends_nothing()
            throws IOException {
        String run = "{\"run\": {\"info\": {\"run_id\": \"bad-start\", \"start_time\": \"yesterday\"}, "
                + "\"data\": {\"metrics\": [{\"key\": \"acc\", \"value\": 0.5}]}}}";
        Run r = run(Map.of(), run, "push", "-", "--format", "mlflow", "--model-version", "cli-mlflow-bad-start",
                "--dataset-version", "d", "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("nothing was sent", "run.info.start_time: 'yesterday' is not a date-time");
        assertThat(history("cli-mlflow-bad-start")).isEmpty();
    }

    @Test
    void import_of_an_lm_eval_file_imported_by_earlier_versions_stores_nothing_twice(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Run r = againAfterEarlierVersions(dir, "cli-lm-eval-before", "import", "--db", server.databaseUrl());
        assertThat(r.out()).as(r.err()).contains("imported 3 result(s): 0 stored, 3 already present");
        assertThat(history("cli-lm-eval-before")).hasSize(3);
    }

    @Test
    void push_verify_of_an_lm_eval_file_pushed_by_earlier_versions_stores_nothing_twice(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Run r = againAfterEarlierVersions(dir, "cli-lm-eval-pushed-before", "push", "--verify", "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("verified: all 3 result(s) are stored exactly once");
        assertThat(history("cli-lm-eval-pushed-before")).hasSize(3);
    }

    @Test
    void an_lm_eval_date_with_a_fraction_is_stored_to_the_microsecond_the_file_wrote(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Run r = run("import", lmEvalFileDatedWithAFraction(dir).toString(), "--format", "lm-eval", "--model-version",
                "cli-lm-eval-date", "--db", server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(history("cli-lm-eval-date")).extracting(row -> row.path("run_at").asText())
                .containsOnly("2024-05-22T15:39:05.123Z");
    }

    @Test
    void push_of_google_benchmark_runs_in_microseconds_after_runs_in_nanoseconds_compares_like_with_like(
            @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        for (int day = 5; day >= 0; day--) {
            String unit = day == 0 ? "\"real_time\":1.2345,\"time_unit\":\"us\"" : "\"real_time\":1234.5,\"time_unit\":\"ns\"";
            Path run = dir.resolve("gb" + day + ".json");
            Files.writeString(run, "{\"context\":{\"date\":\"" + java.time.Instant.now().minus(java.time.Duration.ofDays(day))
                    + "\",\"executable\":\"/b/cli_gb_units\"},\"benchmarks\":[{\"name\":\"BM_Parse/64\","
                    + "\"run_type\":\"iteration\",\"iterations\":1000," + unit + "}]}");
            Run r = run("push", run.toString(), "--format", "google-benchmark", "--server", server.url());
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            if (day == 0) {
                // It said "real_time improvement: -1.24e+03 (-99.9%)": 1.2345 (us) judged against 1234.5 (ns).
                assertThat(r.out()).doesNotContain("improvement", "regressions:")
                        .containsPattern("\\n  real_time +1235 ns +1235 ns +\\+0\\.0% +ok\\n");
            }
        }
        assertThat(history("cli_gb_units")).hasSize(6)
                .allSatisfy(row -> assertThat(row.path("real_time").asDouble()).isEqualTo(1234.5));
        JsonNode metric = new ObjectMapper().readTree(server.get("/api/v1/metrics/real_time").body());
        assertThat(metric.path("unit").asText()).isEqualTo("ns");
    }

    @Test
    void push_strict_of_a_wandb_summary_with_nan_written_as_text_exits_2_and_sends_nothing() throws IOException {
        Run r = run(Map.of(), "{\"eval/loss\": 2.46, \"grad_norm\": \"NaN\", \"_step\": 3}", "push", "-", "--format",
                "wandb", "--model-version", "cli-wandb-nan-text", "--dataset-version", "d", "--strict", "--server",
                server.url());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("nothing was sent", "metrics.grad_norm: must be a finite number, got NaN")
                .doesNotContain("W&B logged it as text");
        assertThat(history("cli-wandb-nan-text")).isEmpty();
    }

    /** A pytest-benchmark datetime that is no point in time was dropped without a word, the results stored at arrival. */
    @ParameterizedTest(name = "{0} --format {2}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "push   | lm-eval-results.json   | lm-eval          | \"date\": 1700000000.25                          | \"date\": \"yesterday\"",
            "import | pytest-benchmark.json  | pytest-benchmark | \"datetime\": \"2026-01-31T12:00:00.123456\" | \"datetime\": \"yesterday\""})
    void a_tool_file_with_a_date_it_cannot_read_exits_2_naming_the_field_and_stores_nothing(String command, String sample,
            String format, String written, String unreadable, @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("yesterday.json");
        Files.writeString(file, Files.readString(Path.of(file(sample))).replace(written, unreadable));
        String model = "cli-" + format + "-bad-date";
        Run r = run(command, file.toString(), "--format", format, "--model-version", model,
                command.equals("push") ? "--server" : "--db", command.equals("push") ? server.url() : server.databaseUrl());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        String field = unreadable.substring(1, unreadable.indexOf('"', 1));
        assertThat(r.err()).contains(field + ": 'yesterday' is not a date-time").doesNotContain("run_at");
        assertThat(history(model)).isEmpty();
    }

    /** The lm-eval sample with a date that versions before read as .122999 (double arithmetic cut after its error). */
    private static Path lmEvalFileDatedWithAFraction(Path dir) throws IOException {
        Path file = dir.resolve("results_2024-05-22T15-39-05.json");
        Files.writeString(file, Files.readString(Path.of(file("lm-eval-results.json")))
                .replace("\"date\": 1700000000.25", "\"date\": 1716392345.123"));
        return file;
    }

    /**
     * Stores the lm-eval file's results of {@code model} as versions before stored them (run_at .122999, the key derived
     * from it), then runs {@code command} on the file with {@code --format lm-eval --model-version model} and {@code args}.
     */
    private static Run againAfterEarlierVersions(Path dir, String model, String command, String... args) throws IOException {
        Path file = lmEvalFileDatedWithAFraction(dir);
        java.time.Instant before = java.time.Instant.parse("2024-05-22T15:39:05.122999Z");
        List<dev.benchmon.BenchmarkResult> results = dev.benchmon.BenchmarkResult.from("lm-eval", Files.readString(file),
                        dev.benchmon.ingest.adapters.ResultOverrides.model(model)).results().stream()
                .map(r -> r.toBuilder().runAt(before).idempotencyKey(null).build()).toList();
        try (Benchmon db = Benchmon.connect(server.databaseUrl(), null, null)) {
            assertThat(db.recordAll(results)).hasSize(3).allMatch(dev.benchmon.RecordOutcome::created);
        }
        List<String> line = new ArrayList<>(List.of(command, file.toString(), "--format", "lm-eval", "--model-version", model));
        line.addAll(List.of(args));
        return run(line.toArray(String[]::new));
    }
    @Test
    void push_with_format_auto_of_a_file_no_tool_wrote_says_first_that_no_format_matched_then_the_own_formats_problems(
            @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path x = Files.writeString(dir.resolve("x.json"), "{\"foo\":1,\"bar\":[1,2]}");

        Run r = run("push", x.toString(), "--format", "auto", "--server", server.url());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        List<String> lines = r.err().lines().toList();
        assertThat(lines.get(1)).isEqualTo("  " + x + ": format: no tool's format matched this input (tried "
                + "google-benchmark, hf-trainer, lm-eval, mlflow, pytest-benchmark, wandb), so it was read as benchmon's "
                + "own JSON, which refuses it for the problem(s) after this one; if a tool wrote it, name its format: "
                + "--format NAME");
        assertThat(String.join("\n", lines.subList(2, lines.size()))).contains("model_version: is required",
                "dataset_version: is required");
    }

    @Test
    void import_with_format_auto_of_a_file_no_tool_wrote_says_so_too(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path x = Files.writeString(dir.resolve("x.json"), "{\"foo\":1,\"bar\":[1,2]}");

        Run r = run("import", x.toString(), "--format", "auto", "--db", server.databaseUrl());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains(x + ": format: no tool's format matched this input", "model_version: is required");
    }

    @Test
    void push_with_format_auto_of_a_tools_file_reads_it_saying_nothing_of_formats() {
        Run tool = run("push", file("pytest-benchmark.json"), "--format", "auto", "--model-version", "auto-none",
                "--server", server.url());

        assertThat(tool.exitCode()).as(tool.err()).isZero();
        assertThat(tool.err()).doesNotContain("no tool's format matched");
    }
}
