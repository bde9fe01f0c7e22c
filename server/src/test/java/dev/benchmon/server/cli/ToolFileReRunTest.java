package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.cli.PushCommandTest.Run;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CI job re-run that writes a tool's file again: the tool writes a new time into it (lm-evaluation-harness
 * {@code date}, pytest-benchmark {@code datetime}), and the re-run is still the next attempt of the job's run
 * ({@code --run-id}, {@code GITHUB_RUN_ID}, the API's {@code run_id}), not a second run judged against its first attempt.
 */
class ToolFileReRunTest {
    private static final Path FILES = Path.of("..", "toolkit", "src", "test", "resources", "adapters").toAbsolutePath().normalize();

    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

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

    @Test
    void aToolsFilePushedAgainWithoutItsRunIdIsStoredAsDocumentedWithAWarningNamingTheRunIdThatFindsIt()
            throws IOException {
        Path file = FILES.resolve("lm-eval-results.json");
        Run first = run("push", file.toString(), "--format", "lm-eval", "--model-version", "twin-flag", "--run-id",
                "890", "--server", server.url());
        Run again = run("push", file.toString(), "--format", "lm-eval", "--model-version", "twin-flag", "--server",
                server.url());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).doesNotContain("stored as a new run");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).containsPattern("\\n3 +0 +0\\n"); // another run id (none) is another run: stored
        assertThat(current("twin-flag")).hasSize(6);
        assertThat(again.err()).containsPattern("warning: result 1 \\(id (\\d+)\\) twin-flag / arc_easy @local was stored as a new "
                        + "run, though id \\d+ of its series holds the same run_at \\(2023-11-14T22:13:20\\.250Z\\) and "
                        + "values, stored under run_id 890 \\(this push: none\\)")
                .contains("push it with --run-id 890 and it is found already present",
                        "benchmon alerts exclude " + arcEasyIdOf(again) + " --reason 'pushed twice'");
        assertThat(again.err().split("was stored as a new run", -1)).hasSize(4); // one line a task
    }

    /** The id push reported for the arc_easy result it stored ({@code result 1 (id 52) ...}). */
    private static long arcEasyIdOf(Run r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("result 1 \\(id (\\d+)\\) [^ ]+ / arc_easy").matcher(r.err());
        assertThat(m.find()).as(r.err()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void aToolsFilePushedFirstWithoutARunIdAndAgainInCiIsStoredWithAWarningToPushItWithoutOne() throws IOException {
        Path file = FILES.resolve("google-benchmark.json");
        Run first = PushCommandTest.run(Map.of(), "", "push", file.toString(), "--format", "google-benchmark",
                "--model-version", "twin-ci", "--db", server.databaseUrl());
        Run again = PushCommandTest.run(Map.of("GITHUB_ACTIONS", "true", "GITHUB_RUN_ID", "7300"), "", "push",
                file.toString(), "--format", "google-benchmark", "--model-version", "twin-ci", "--environment", "local",
                "--db", server.databaseUrl());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).contains("twin-ci / BM_StringCopy/64 @local was stored as a new run",
                "stored without a run_id (this push: run_id 7300)",
                "push it without --run-id (and without GITHUB_RUN_ID, which gives one) and it is found already present");
    }

    @Test
    void aToolsFilePushedAgainAsItWasPushedIsAlreadyPresentWithoutTheWarning() throws IOException {
        String[] push = {"push", FILES.resolve("lm-eval-results.json").toString(), "--format", "lm-eval",
                "--model-version", "twin-none", "--server", server.url()};
        assertThat(run(push).exitCode()).isZero();

        Run again = run(push);

        assertThat(again.out()).contains("already present");
        assertThat(again.err()).doesNotContain("stored as a new run");
    }

    @Test
    void benchmonsOwnJsonPushedAgainWithFormatAutoUnderAnotherRunIdIsStoredWithoutTheToolsWarning() throws IOException {
        // auto finds no tool's format in it: it is read, and keyed, as benchmon's own JSON, not as a tool's output
        Path file = file("own.json", "{\"model_version\":\"twin-auto-own\",\"dataset_version\":\"d\","
                + "\"run_at\":\"2026-11-01T00:00:00Z\",\"metrics\":{\"f1\":0.5}}");
        Run first = run("push", file.toString(), "--format", "auto", "--run-id", "910", "--server", server.url());

        Run again = run("push", file.toString(), "--format", "auto", "--run-id", "911", "--server", server.url());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(current("twin-auto-own")).hasSize(2); // another run id is another run: stored
        assertThat(again.err()).doesNotContain("stored as a new run", "a tool's result");
    }

    /** The three-task lm-eval file written again by a re-run: a later {@code date}, another hellaswag accuracy. */
    private static String threeTasksReRun() throws IOException {
        String first = Files.readString(FILES.resolve("lm-eval-three-tasks.json"));
        String rerun = first.replace("\"date\": 1764680000.123", "\"date\": 1764680900.5")
                .replace("\"acc,none\": 0.5012", "\"acc,none\": 0.4012");
        assertThat(rerun).isNotEqualTo(first);
        return rerun;
    }

    @Test
    void aReRunStaysTheRunsNextAttemptWhenMetricsSkipsOneOfTheFilesTasks() throws IOException {
        // --metrics 'acc*' skips gsm8k, which holds no acc metric: the other tasks keep the keying of a CI run
        Run one = run("push", FILES.resolve("lm-eval-three-tasks.json").toString(), "--format", "lm-eval",
                "--model-version", "rerun-metrics", "--run-id", "883", "--metrics", "acc*", "--server", server.url());
        Run again = run("push", file("rerun.json", threeTasksReRun()).toString(), "--format", "lm-eval",
                "--model-version", "rerun-metrics", "--run-id", "883", "--metrics", "acc*", "--server", server.url());

        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(again.out()).as(again.err()).contains("rerun-metrics / hellaswag @local: stored (attempt 2 of run 883: "
                + "replaces attempt 1)");
        assertThat(current("rerun-metrics")).hasSize(2)
                .allSatisfy(r -> assertThat(r.path("attempt").asInt()).isEqualTo(2));
    }

    @Test
    void runAtSentFalseSaysNothingOfAResultWithoutARunIdWhichKeepsItsTimeInItsKey() throws IOException {
        String result = "{\"model_version\":\"rerun-no-run-id\",\"dataset_version\":\"d\",\"run_at\":\"%s\","
                + "\"run_at_sent\":false,\"metrics\":{\"f1\":0.5}}";
        Run one = run("push", file("a.json", result.formatted("2026-11-01T00:00:00Z")).toString(), "--server", server.url());
        Run two = run("push", file("b.json", result.formatted("2026-11-02T00:00:00Z")).toString(), "--server", server.url());

        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(two.exitCode()).as(two.err()).isZero();
        assertThat(two.out()).containsPattern("\\n1 +0 +0\\n"); // stored 1, already present 0
        assertThat(current("rerun-no-run-id")).hasSize(2);
    }

    @Test
    void aServerOfAnEarlierVersionThatRefusesRunAtSentGetsTheResultsWithoutItAndPushSaysWhatThatCosts()
            throws IOException {
        String refusal = server.postJson("/api/v1/results", "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"f1\":1},\"zzz\":1}").body().replace("zzz", "run_at_sent");
        assertThat(refusal).contains("run_at_sent", "unknown field");
        // As a version before the field: a body that holds it is refused
        HttpServer older = inFrontOfTheServer((method, body) -> new String(body, StandardCharsets.UTF_8)
                .contains("run_at_sent") ? new Answer(400, refusal) : null);
        try {
            Run r = run("push", FILES.resolve("lm-eval-results.json").toString(), "--format", "lm-eval",
                    "--model-version", "rerun-older-server", "--run-id", "884",
                    "--server", "http://127.0.0.1:" + older.getAddress().getPort() + "/");

            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            assertThat(r.err()).contains("is older than this benchmon and does not take run_at_sent, so 3 result(s) were "
                    + "sent again without it");
            assertThat(current("rerun-older-server")).hasSize(3);
        } finally {
            older.stop(0);
        }
    }

    @Test
    void aPushThatReplacesAnAttemptOfItsWorkflowRunsFirstAttemptWarnsThatAnotherJobSharesTheRunId() throws IOException {
        Map<String, String> firstAttempt = Map.of("GITHUB_ACTIONS", "true", "GITHUB_RUN_ID", "7100",
                "GITHUB_RUN_ATTEMPT", "1");
        Run legA = PushCommandTest.run(firstAttempt, "", "push", FILES.resolve("lm-eval-results.json").toString(),
                "--format", "lm-eval", "--model-version", "rerun-matrix", "--server", server.url());
        Run legB = PushCommandTest.run(firstAttempt, "", "push", file("leg-b.json", lmEvalReRun()).toString(),
                "--format", "lm-eval", "--model-version", "rerun-matrix", "--server", server.url());
        Run rerun = PushCommandTest.run(Map.of("GITHUB_ACTIONS", "true", "GITHUB_RUN_ID", "7100", "GITHUB_RUN_ATTEMPT",
                "2"), "", "push", file("rerun.json", lmEvalReRun().replace("0.55", "0.56")).toString(), "--format",
                "lm-eval", "--model-version", "rerun-matrix", "--server", server.url());

        assertThat(legA.err()).doesNotContain("GITHUB_RUN_ATTEMPT");
        assertThat(legB.err()).contains("replaced an earlier attempt of run 7100 though this is its workflow run's first "
                + "attempt (GITHUB_RUN_ATTEMPT=1)", "--environment").containsPattern("result 1 \\(id \\d+\\) rerun-matrix / arc_easy @ci");
        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertThat(rerun.err()).doesNotContain("GITHUB_RUN_ATTEMPT");
    }

    @Test
    void aReRunOfAnMlflowRunUnderTheJobsRunIdIsTheRunsNextAttemptThoughMlflowNamesEachRunItsOwn() throws IOException {
        // The re-run trains again: MLflow gives it a run of its own (another run_id and start_time); --run-id says
        // which CI run both belong to
        String first = Files.readString(FILES.resolve("mlflow-run.json"));
        String rerun = first.replace("6f1a2b3c4d5e6f708192a3b4c5d6e7f8", "7a1a2b3c4d5e6f708192a3b4c5d6e7f9")
                .replace("\"start_time\": \"1700000000123\"", "\"start_time\": \"1700007200123\"")
                .replace("\"value\": 0.912", "\"value\": 0.812");
        assertThat(rerun).isNotEqualTo(first);
        Run one = run("push", FILES.resolve("mlflow-run.json").toString(), "--format", "mlflow", "--model-version",
                "rerun-mlflow", "--run-id", "885", "--server", server.url());
        Run again = run("push", file("rerun.json", rerun).toString(), "--format", "mlflow", "--model-version",
                "rerun-mlflow", "--run-id", "885", "--server", server.url());

        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(again.out()).as(again.err()).contains("stored (attempt 2 of run 885: replaces attempt 1)");
        assertThat(current("rerun-mlflow")).singleElement()
                .satisfies(r -> assertThat(r.path("accuracy").asDouble()).isEqualTo(0.812));
    }

    @Test
    void aReRunWhoseToolWroteAnEarlierTimeIsTheCurrentSnapshotOfItsSeries() throws IOException {
        // The first attempt's file holds the later time (another runner's clock): the re-run still replaces it
        Run one = run("push", file("first.json", lmEvalReRun()).toString(), "--format", "lm-eval", "--model-version",
                "rerun-earlier", "--run-id", "886", "--server", server.url());
        Run again = run("push", FILES.resolve("lm-eval-results.json").toString(), "--format", "lm-eval",
                "--model-version", "rerun-earlier", "--run-id", "886", "--server", server.url());

        assertThat(one.exitCode()).as(one.err()).isZero();
        assertThat(again.out()).as(again.err()).contains("stored (attempt 2 of run 886: replaces attempt 1)");
        JsonNode snapshot = ResultJson.mapper().readTree(server.get("/api/v1/snapshots?model=rerun-earlier&dataset=arc_easy")
                .body()).path("rows");
        assertThat(snapshot).hasSize(1);
        assertThat(snapshot.get(0).path("acc,none").asDouble()).isEqualTo(0.65);
        assertThat(snapshot.get(0).path("transaction_id").asLong()).isEqualTo(arcEasy("rerun-earlier").path("id").asLong());
    }

    /** An lm-eval file of one task (arc_easy) with the tool's {@code date} (epoch seconds) and accuracy. */
    private Path arcEasyFile(String name, long date, double acc) throws IOException {
        return file(name, """
                {"results": {"arc_easy": {"alias": "arc_easy", "acc,none": %s, "acc_stderr,none": 0.002}},
                 "higher_is_better": {"arc_easy": {"acc": true}}, "date": %d, "model_name": "m"}"""
                .formatted(acc, date));
    }

    /**
     * A series with ten runs of arc_easy near 0.65, then attempt 1 of CI run 887 at a later time than its re-run will
     * write, with {@code firstAttempt}: the alert it raised, as the API lists it.
     */
    private JsonNode historyThenARegressedFirstAttempt(String model, double firstAttempt) throws IOException {
        long day = 86_400;
        long start = 1_764_000_000L;
        double[] levels = {0.650, 0.652, 0.648, 0.651, 0.649, 0.650, 0.653, 0.647, 0.650, 0.651};
        for (int i = 0; i < levels.length; i++) {
            Run r = run("push", arcEasyFile("h" + i + ".json", start + i * day, levels[i]).toString(), "--format",
                    "lm-eval", "--model-version", model, "--run-id", String.valueOf(100 + i), "--server", server.url());
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        }
        Run one = run("push", arcEasyFile("first.json", start + 20 * day, firstAttempt).toString(), "--format", "lm-eval",
                "--model-version", model, "--run-id", "887", "--server", server.url());
        assertThat(one.exitCode()).as(one.out() + one.err()).isZero();
        JsonNode alerts = alerts(model);
        assertThat(alerts).as(alerts.toString()).hasSize(1);
        assertThat(alerts.get(0).path("state").asText()).isEqualTo("open");
        return alerts.get(0);
    }

    /** The re-run of CI run 887, whose tool wrote an earlier time than its first attempt (still after the history). */
    private Run reRunWithAnEarlierTime(String model, double acc) throws IOException {
        return run("push", arcEasyFile("rerun.json", 1_764_000_000L + 15 * 86_400, acc).toString(), "--format",
                "lm-eval", "--model-version", model, "--run-id", "887", "--server", server.url(), "--fail-on-regression");
    }

    private static JsonNode alerts(String model) throws IOException {
        return ResultJson.mapper().readTree(server.get("/api/v1/alerts?model=" + model).body()).path("alerts");
    }

    @Test
    void anAlertTheReplacedAttemptAloneRaisedResolvesWhenItsReRunWithAnEarlierTimeIsBackWithinNoise() throws IOException {
        JsonNode raised = historyThenARegressedFirstAttempt("rerun-alert-ok", 0.55);

        Run again = reRunWithAnEarlierTime("rerun-alert-ok", 0.650);

        assertThat(again.out()).as(again.err()).contains("stored (attempt 2 of run 887: replaces attempt 1)");
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        JsonNode alerts = alerts("rerun-alert-ok");
        assertThat(alerts).as(alerts.toString()).singleElement().satisfies(a -> {
            assertThat(a.path("id").asLong()).isEqualTo(raised.path("id").asLong());
            assertThat(a.path("state").asText()).isEqualTo("resolved");
        });
        JsonNode history = ResultJson.mapper().readTree(server.get("/api/v1/alerts/" + raised.path("id").asLong()).body())
                .path("history");
        assertThat(history.get(history.size() - 1).path("comment").asText()).isEqualTo("run "
                + raised.path("transaction_id").asLong() + " (attempt 1 of its CI run) was replaced by attempt 2 (run "
                + arcEasy("rerun-alert-ok").path("id").asLong() + "), which is judged in its place");
    }

    @Test
    void anAlertTheReplacedAttemptAloneRaisedIsReplacedByTheReRunsWhenTheReRunWithAnEarlierTimeStillRegressed()
            throws IOException {
        JsonNode raised = historyThenARegressedFirstAttempt("rerun-alert-bad", 0.55);

        Run again = reRunWithAnEarlierTime("rerun-alert-bad", 0.56);

        assertThat(again.exitCode()).as(again.out() + again.err()).isEqualTo(1); // --fail-on-regression: still regressed
        JsonNode rerun = arcEasy("rerun-alert-bad");
        assertThat(rerun.path("attempt").asInt()).isEqualTo(2);
        JsonNode alerts = alerts("rerun-alert-bad");
        assertThat(alerts).as(alerts.toString()).hasSize(2);
        assertThat(alerts).filteredOn(a -> a.path("state").asText().equals("open")).singleElement()
                .satisfies(a -> assertThat(a.path("transaction_id").asLong()).isEqualTo(rerun.path("id").asLong()));
        assertThat(alerts).filteredOn(a -> a.path("id").asLong() == raised.path("id").asLong()).singleElement()
                .satisfies(a -> assertThat(a.path("state").asText()).isEqualTo("resolved"));
    }

    /** An answer a stand-in server gives instead of the test server's. */
    private record Answer(int status, String body) {
    }

    /**
     * A server on loopback in front of the test server: it answers a request as {@code instead} says (given the
     * method and body), or, where that gives {@code null}, passes the request on and its answer back.
     */
    private static HttpServer inFrontOfTheServer(java.util.function.BiFunction<String, byte[], Answer> instead)
            throws IOException {
        HttpServer front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HttpClient forward = HttpClient.newHttpClient();
        front.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Answer own = instead.apply(exchange.getRequestMethod(), body);
            int status;
            byte[] answer;
            if (own != null) {
                status = own.status();
                answer = own.body().getBytes(StandardCharsets.UTF_8);
            } else {
                try {
                    HttpRequest.Builder request = HttpRequest.newBuilder(
                                    URI.create(server.url() + exchange.getRequestURI().toString().substring(1)))
                            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
                    if (body.length > 0) {
                        request.header("Content-Type", "application/json");
                    }
                    HttpResponse<byte[]> real = forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                    status = real.statusCode();
                    answer = real.body();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        front.start();
        return front;
    }

    /** The lm-eval sample with 90 tasks of 100-character names (in place of its own three). */
    private Path ninetyLongTaskNames() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode file = (com.fasterxml.jackson.databind.node.ObjectNode)
                ResultJson.mapper().readTree(FILES.resolve("lm-eval-results.json").toFile());
        com.fasterxml.jackson.databind.node.ObjectNode results = file.putObject("results");
        com.fasterxml.jackson.databind.node.ObjectNode shots = file.putObject("n-shot");
        file.remove(List.of("groups", "group_subtasks", "configs", "versions", "higher_is_better", "n-samples"));
        for (int i = 0; i < 90; i++) {
            String task = String.format("long_task_%03d_", i) + "x".repeat(85);
            results.putObject(task).put("alias", task).put("acc,none", 0.5 + i / 1000.0);
            shots.put(task, 0);
        }
        return file("long-names.json", file.toString());
    }

    @Test
    void aToolsFileOfManyLongTaskNamesPushedAgainWithoutItsRunIdIsCheckedForRunsPushedAgainAsAnyOther()
            throws IOException {
        // The 90 names make a history query longer than the 8 KiB of URL the server takes: the check asks in parts
        Path file = ninetyLongTaskNames();
        Run first = run("push", file.toString(), "--format", "lm-eval", "--model-version", "long-task-names",
                "--run-id", "892", "--server", server.url());

        Run again = run("push", file.toString(), "--format", "lm-eval", "--model-version", "long-task-names",
                "--server", server.url());

        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.err()).doesNotContain("note:", "stored as a new run");
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.err()).doesNotContain("note:")
                .contains("stored under run_id 892 (this push: none)",
                        "warning: ... and " + (90 - RepushedToolRuns.MAX_LISTED) + " more result(s) stored beside a run with "
                                + "the same run_at and values");
        assertThat(again.err().split("was stored as a new run", -1)).hasSize(RepushedToolRuns.MAX_LISTED + 1);
        assertThat(current("long-task-names")).hasSize(180);
    }

    /** A Google Benchmark report of {@code count} benchmarks, all run at the report's one date, each its own value. */
    private Path googleBenchmarks(int count) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode file = ResultJson.mapper().createObjectNode();
        file.putObject("context").put("date", "2026-02-01T12:00:00Z").put("executable", "./bench/many");
        com.fasterxml.jackson.databind.node.ArrayNode benchmarks = file.putArray("benchmarks");
        for (int i = 0; i < count; i++) {
            benchmarks.addObject().put("name", "BM_Many/" + i).put("run_name", "BM_Many/" + i)
                    .put("run_type", "iteration").put("repetitions", 1).put("iterations", 1000)
                    .put("real_time", 100.0 + i).put("cpu_time", 99.0 + i).put("time_unit", "ns");
        }
        return file("many-benchmarks.json", file.toString());
    }

    @Test
    void aToolsFileOfThousandsOfResultsAtOneRunAtPushedAThirdTimeFindsEveryResultsRun() throws IOException {
        // 6,000 benchmarks pushed three times: 18,000 rows at one run_at, as many as one read of the history takes
        // (before, it took 10,000 and said nothing of the rest), so the check reads on in parts; every result of the
        // third push is found beside its copy stored last
        int count = 6_000;
        Path file = googleBenchmarks(count);
        String[] push = {"push", file.toString(), "--format", "google-benchmark", "--model-version", "twin-thousands",
                "--db", server.databaseUrl()};
        Run first = run(Stream.concat(Stream.of(push), Stream.of("--run-id", "894")).toArray(String[]::new));
        Run second = run(Stream.concat(Stream.of(push), Stream.of("--run-id", "895")).toArray(String[]::new));

        Run third = run(push);

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(third.exitCode()).as(third.err()).isZero();
        assertThat(third.err()).doesNotContain("note:", "run_id 894")
                .contains("stored under run_id 895 (this push: none)",
                        "warning: ... and " + (count - RepushedToolRuns.MAX_LISTED) + " more result(s) stored beside a "
                                + "run with the same run_at and values");
    }

    @Test
    void aToolsFileOfManyLongTaskNamesIsVerifiedAsAnyOther() throws IOException {
        // --verify reads the history of all 90 names: in parts, as the checks after storing do
        Run push = run("push", ninetyLongTaskNames().toString(), "--format", "lm-eval", "--model-version",
                "long-task-names-verified", "--verify", "--server", server.url());

        assertThat(push.exitCode()).as(push.out() + push.err()).isZero();
        assertThat(push.out()).contains("verified: all 90 result(s) are stored exactly once");
    }

    @Test
    void aPushWhoseChecksAfterStoringCannotReadSaysSoOnceAndExitsAsWithoutThem() throws IOException {
        // Every read after the push fails (500); the results go through. An lm-eval file with a run_at and a 5-shot
        // task: both checks apply, a tool's run pushed again and the series earlier versions gave.
        HttpServer failingReads = inFrontOfTheServer((method, body) -> method.equals("GET")
                ? new Answer(500, "{\"error\": \"internal error\"}") : null);
        try {
            Run push = run("push", FILES.resolve("lm-eval-pythia-1b-step100000.json").toString(), "--format", "lm-eval",
                    "--model-version", "unread-checks@step100000", "--run-id", "893",
                    "--server", "http://127.0.0.1:" + failingReads.getAddress().getPort() + "/");

            assertThat(push.exitCode()).as(push.out() + push.err()).isZero();
            assertThat(push.out()).contains("pushed 2 result(s)");
            assertThat(push.err().split("note:", -1)).as(push.err()).hasSize(2);
            assertThat(push.err()).contains("note: could not check whether this push stored a tool's run again, nor "
                            + "whether its lm-eval results went to new series beside those earlier versions gave (GET ",
                    "500", "); the results above are stored")
                    .doesNotContain("stored as a new run", "is a new series");
            assertThat(current("unread-checks@step100000")).hasSize(2);
        } finally {
            failingReads.stop(0);
        }
    }
}
