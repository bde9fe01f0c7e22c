package dev.benchmon.server.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The push step of {@code .github/workflows/benchmark-persist.yml}, run as GitHub runs it (bash, the step's env, an
 * artifact under {@code results/}) with {@code ./benchmon} the real CLI in its own JVM, against a real server.
 */
class PersistWorkflowTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORKFLOW = ROOT.resolve(".github/workflows/benchmark-persist.yml");
    @SharedServer
    private static TestServer server;
    private static JsonNode workflow;

    @BeforeAll
    static void readWorkflow() throws IOException {
        workflow = new ObjectMapper(new YAMLFactory()).readTree(WORKFLOW.toFile());
    }

    private static String pushStep() {
        for (JsonNode step : workflow.path("jobs").path("persist").path("steps")) {
            if ("push".equals(step.path("id").asText())) {
                return step.path("run").asText();
            }
        }
        throw new AssertionError("no step with id push in " + WORKFLOW);
    }

    @Test
    void the_format_input_defaults_to_auto() {
        assertThat(workflow.path("on").path("workflow_call").path("inputs").path("format").path("default").asText())
                .isEqualTo("auto");
    }

    @Test
    void an_artifact_of_benchmon_json_csv_and_lm_eval_files_is_pushed_in_one_step(@TempDir Path dir) throws Exception {
        Path results = Files.createDirectories(dir.resolve("results/eval"));
        Files.writeString(results.resolve("native.json"),
                "{\"model_version\":\"wf-model\",\"dataset_version\":\"wf-json\",\"metrics\":{\"f1\":0.9}}");
        Files.writeString(results.resolve("runs.csv"), "model_version,dataset_version,f1\nwf-model,wf-csv,0.8\n");
        Files.copy(ROOT.resolve("toolkit/src/test/resources/adapters/lm-eval-results.json"), results.resolve("lm-eval.json"));
        Path launcher = dir.resolve("benchmon");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -cp '" + System.getProperty("java.class.path") + "' dev.benchmon.server.cli.Main \"$@\"\n");
        assertThat(launcher.toFile().setExecutable(true)).isTrue();

        ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-c", pushStep()).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("BENCHMON_") || k.startsWith("GITHUB_"));
        pb.environment().putAll(Map.of("BENCHMON_URL", server.url(), "ARTIFACT", "benchmark-results", "FORMAT", "auto",
                "PUSH_OPTIONS", "--model-version wf-model", "BENCHMARK_ENVIRONMENT", "ci",
                "RUNNER_TEMP", dir.toString(), "GITHUB_STEP_SUMMARY", dir.resolve("summary.md").toString(),
                "GITHUB_OUTPUT", dir.resolve("output").toString()));
        pb.environment().putAll(Map.of("RESULT_SHA", "0123456789abcdef0123456789abcdef01234567", "RESULT_BRANCH", "main",
                "RESULT_RUN_ID", "42", "RESULT_ACTOR", "ana"));
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(Files.readString(dir.resolve("output"))).as(output).contains("status=0");
        String history = server.get("/api/v1/history?model=wf-model").body();
        List<String> datasets = new ArrayList<>();
        new ObjectMapper().readTree(history).path("rows").forEach(r -> datasets.add(r.path("dataset_version").asText()));
        assertThat(datasets).as(history).contains("wf-json", "wf-csv", "arc_easy");
    }
}
