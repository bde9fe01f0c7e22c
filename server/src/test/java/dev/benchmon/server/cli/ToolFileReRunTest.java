package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.cli.PushCommandTest.Run;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CI job re-run that writes a tool's file again: the tool writes a new time into it (lm-evaluation-harness
 * {@code date}, pytest-benchmark {@code datetime}), and the re-run is still the next attempt of the job's run
 * ({@code --run-id}, {@code GITHUB_RUN_ID}, the API's {@code run_id}), not a second run judged against its first attempt.
 */
class ToolFileReRunTest {
    private static final Path FILES = Path.of("..", "toolkit", "src", "test", "resources", "adapters").toAbsolutePath().normalize();

    @AutoClose // after the class's last test
    private static TestServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    /** The lm-eval sample, written again by a re-run: a later {@code date} and another arc_easy accuracy. */
    private static String lmEvalReRun() throws IOException {
        String first = Files.readString(FILES.resolve("lm-eval-results.json"));
        String rerun = first.replace("\"date\": 1700000000.25", "\"date\": 1700000900.5")
                .replaceFirst("\"acc,none\": 0.65", "\"acc,none\": 0.55");
        assertThat(rerun).isNotEqualTo(first);
        return rerun;
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    /** The model's current rows (the history leaves out superseded attempts), by dataset. */
    private static List<JsonNode> current(String model) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        ResultJson.mapper().readTree(server.get("/api/v1/history?model=" + model).body()).path("rows").forEach(rows::add);
        return rows;
    }

    private static JsonNode arcEasy(String model) throws IOException {
        return current(model).stream().filter(r -> r.path("dataset_version").asText().equals("arc_easy")).findFirst().orElseThrow();
    }

    @Test
    void aReRunOfAToolsFileWithANewTimeIsTheRunsNextAttempt() throws IOException {
        Path first = FILES.resolve("lm-eval-results.json");
        Run one = run("push", first.toString(), "--format", "lm-eval", "--model-version", "rerun-flag", "--run-id", "880",
                "--environment", "ci", "--server", server.url());
        Run again = run("push", file("rerun.json", lmEvalReRun()).toString(), "--format", "lm-eval", "--model-version",
                "rerun-flag", "--run-id", "880", "--environment", "ci", "--server", server.url(), "--fail-on-regression");

        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("rerun-flag / arc_easy @ci: stored (attempt 2 of run 880: replaces attempt 1)");
        assertThat(current("rerun-flag")).hasSize(3); // one current run per task, not two
        assertThat(arcEasy("rerun-flag").path("attempt").asInt()).isEqualTo(2);
        assertThat(arcEasy("rerun-flag").path("acc,none").asDouble()).isEqualTo(0.55);
    }

    @Test
    void theRunIdOfTheCiEnvironmentMakesTheSameAttemptsAsTheFlag() throws IOException {
        Map<String, String> ci = Map.of("GITHUB_ACTIONS", "true", "GITHUB_RUN_ID", "7001");
        Run one = PushCommandTest.run(ci, "", "push", FILES.resolve("lm-eval-results.json").toString(), "--format",
                "lm-eval", "--model-version", "rerun-env", "--db", server.databaseUrl());
        Run again = PushCommandTest.run(ci, "", "push", file("rerun.json", lmEvalReRun()).toString(), "--format",
                "lm-eval", "--model-version", "rerun-env", "--db", server.databaseUrl());

        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(again.out()).as(again.err()).contains("rerun-env / arc_easy @ci: stored (attempt 2 of run 7001: replaces attempt 1)");
        assertThat(current("rerun-env")).hasSize(3);
    }

    @Test
    void theApisRunIdParameterMakesTheSameAttempts() throws IOException {
        String query = "/api/v1/results?format=lm-eval&model_version=rerun-api&run_id=990&environment=ci";
        HttpResponse<String> one = server.postJson(query, Files.readString(FILES.resolve("lm-eval-results.json")));
        HttpResponse<String> again = server.postJson(query, lmEvalReRun());

        assertThat(one.statusCode()).as(one.body()).isEqualTo(201);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        JsonNode results = ResultJson.mapper().readTree(again.body()).path("results");
        assertThat(results.findValues("attempt")).extracting(JsonNode::asInt).contains(2);
        assertThat(current("rerun-api")).hasSize(3);
        assertThat(arcEasy("rerun-api").path("acc,none").asDouble()).isEqualTo(0.55);
    }

    @Test
    void theSameFilePushedAgainIsAlreadyPresentUnderTheKeyItWasStoredWithBefore() throws IOException {
        Path first = FILES.resolve("lm-eval-results.json");
        String[] push = {"push", first.toString(), "--format", "lm-eval", "--model-version", "rerun-retry", "--run-id", "881",
                "--server", server.url()};
        Run one = run(push);
        Run retry = run(push);

        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(retry.exitCode()).as(retry.err()).isZero();
        assertThat(retry.out()).contains("already present").doesNotContain("attempt 2");
        assertThat(current("rerun-retry")).hasSize(3)
                .allSatisfy(r -> assertThat(r.path("attempt").asInt()).isEqualTo(1));
        // Derived from the run id, series, the tool's time and the metrics, as versions before this one derived it: a
        // file pushed by them is found again, not stored a second time.
        dev.benchmon.BenchmarkResult asBefore = dev.benchmon.ingest.adapters.Adapters.parse("lm-eval",
                Files.readString(first), new dev.benchmon.ingest.adapters.ResultOverrides("rerun-retry", null, null)
                        .withContext(Map.of("run_id", "881"))).results().get(0)
                .toBuilder().idempotencyKey(null).runAtSent(true).build();
        assertThat(current("rerun-retry")).extracting(r -> r.path("idempotency_key").asText())
                .contains(dev.benchmon.ingest.IdempotencyKeys.storedForm(dev.benchmon.ingest.IdempotencyKeys.keyFor(asBefore)));
    }
}
