package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code benchmon push} run in-process against a real server, a flaky proxy and a closed port. */
class PushCommandTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    static Run run(Map<String, String> env, String stdin, String... args) {
        return run(env, stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    /** The command with {@code stdin} as its standard input, byte for byte (a file of another encoding). */
    static Run run(Map<String, String> env, byte[] stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(env, new ByteArrayInputStream(stdin));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run run(String... args) {
        return run(Map.of(), "", args);
    }

    /**
     * {@code result 1 (id 2198)}: how the summary {@code out} names the result at {@code position} in the files (counted
     * from 1) and its stored id.
     */
    static String numbered(String out, int position) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("result " + position + " \\(id \\d+\\)").matcher(out);
        assertThat(m.find()).as("result %d named with its id in: %s", position, out).isTrue();
        return m.group();
    }

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static String result(String model, double f1) {
        return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":" + f1 + "}}";
    }

    /** The stored rows of {@code model} as the API's history gives them (JSON, a missing value as null). */
    private static JsonNode historyRows(String model) throws IOException {
        return ResultJson.mapper().readTree(server.get("/api/v1/history?model=" + model).body()).path("rows");
    }

    /** {@code result} with {@code field} ({@code "name":value}) added at its top level, not in its metrics object. */
    private static String with(String result, String field) {
        return "{" + field + "," + result.substring(1);
    }

    private static int stored(String model) {
        String csv = server.get("/api/v1/history?model=" + model + "&format=csv").body();
        return (int) csv.lines().count() - 1;
    }

    @Test
    void pushStoresTheResultsAndPrintsASummaryTable() throws IOException {
        Path f = file("r.json", "[" + result("push-ok", 0.9) + "," + result("push-ok", 0.91).replace("\"d\"", "\"d2\"") + "]");
        Run r = run("push", f.toString(), "--server", server.url(), "--verify");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("stored", "already present", "regressions", "verified");
        assertThat(stored("push-ok")).isEqualTo(2);
    }

    /**
     * A push stopped part way (here a gateway answers its second request with a refusal) says what the requests
     * before stored and that pushing again skips them: it said only why the request failed, though the first requests'
     * results were stored.
     */
    @Test
    void aPushStoppedPartWaySaysWhatTheRequestsBeforeStored() throws IOException {
        StringBuilder results = new StringBuilder("[");
        for (int i = 0; i < 6; i++) {
            results.append(i == 0 ? "" : ",").append(result("push-part", 0.80 + i / 100.0)
                    .replace("\"dataset_version\":\"d\"", "\"dataset_version\":\"d" + i + "\""));
        }
        java.util.concurrent.atomic.AtomicInteger posts = new java.util.concurrent.atomic.AtomicInteger();
        try (ForwardingGateway gateway = new ForwardingGateway(server.url(), (line, real) ->
                line.startsWith("POST ") && posts.incrementAndGet() == 2 ? new ForwardingGateway.Answer(400,
                        "application/json", "{\"error\":\"refused by the gateway\"}".getBytes(StandardCharsets.UTF_8))
                        : real)) {
            Run r = run("push", file("part.json", results.append("]").toString()).toString(), "--server", gateway.url(),
                    "--batch-size", "3");

            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).contains("refused by the gateway")
                    .contains("3 of 6 result(s), the oldest by run_at, are stored (requests 1-1 of 2 were answered); "
                            + "fix the problem above and push the same files again: what is stored is skipped");
        }
    }

    /**
     * A CI job's delayed retry of a batch whose re-run already replaced one result (attempt 2): that result is stored,
     * as attempt 1, and --verify passes saying so, though the history shows attempt 2 in its place.
     */
    @ParameterizedTest(name = "with --db: {0}")
    @ValueSource(booleans = {false, true})
    void verifyPassesForAResultALaterAttemptOfItsRunSupersededAndSaysSo(boolean db) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            lines.append("{\"model_version\":\"verify-retry-").append(db).append(i).append("\",\"dataset_version\":\"d\","
                    + "\"environment\":\"ci\",\"run_id\":\"9001\",\"metrics\":{\"f1\":0.9}}\n");
        }
        String original = lines.toString();
        String rerun = original.replaceFirst("0\\.9", "0.8"); // line 0's metric changed
        assertThat(server.postJson("/api/v1/results", "{\"results\":[" + String.join(",", original.strip().split("\n"))
                + "]}").statusCode()).isEqualTo(201);
        assertThat(server.postJson("/api/v1/results", "{\"results\":[" + String.join(",", rerun.strip().split("\n"))
                + "]}").statusCode()).isEqualTo(201);

        Run r = run("push", file("r.jsonl", original).toString(), db ? "--db" : "--server",
                db ? server.databaseUrl() : server.url(), "--verify");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("verified: all 4 result(s) are stored exactly once")
                .containsPattern("superseded by a later attempt of their CI run: result 1 \\(id \\d+\\) superseded by attempt 2")
                .doesNotContain("VERIFY FAILED");
    }

    @Test
    void aCiReRunIsSaidToBeStoredAsTheRunsNextAttempt() throws IOException {
        String run = "{\"model_version\":\"push-rerun\",\"dataset_version\":\"d\",\"run_at\":\"2026-11-30T10:00:00Z\","
                + "\"metrics\":{\"f1\":%s}}";
        Run first = run("push", file("try1.json", String.format(run, "0.80")).toString(), "--server", server.url(),
                "--run-id", "9001");
        Run again = run("push", file("try2.json", String.format(run, "0.82")).toString(), "--server", server.url(),
                "--run-id", "9001");

        assertThat(first.out()).as(first.err()).doesNotContain("attempt");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).containsPattern("result 1 \\(id \\d+\\) push-rerun / d @local: stored \\(attempt 2 of run 9001: replaces "
                + "attempt 1\\)");
    }

    @Test
    void theJobSummarySaysACiReRunReplacesItsRunsEarlierAttemptInTheTerminalsWords() throws IOException {
        String run = "{\"model_version\":\"push-rerun-md\",\"dataset_version\":\"d\",\"environment\":\"ci\","
                + "\"metrics\":{\"f1\":%s}}";
        Path firstSummary = dir.resolve("first.md");
        Path againSummary = dir.resolve("again.md");
        run(Map.of("GITHUB_STEP_SUMMARY", firstSummary.toString()), "", "push",
                file("try1.json", String.format(run, "0.80")).toString(), "--server", server.url(), "--run-id", "9001");
        Run again = run(Map.of("GITHUB_STEP_SUMMARY", againSummary.toString()), "", "push",
                file("try2.json", String.format(run, "0.82")).toString(), "--server", server.url(), "--run-id", "9001");

        String said = numbered(again.out(), 1) + " push-rerun-md / d @ci: stored (attempt 2 of run 9001: replaces attempt 1)";
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains(said);
        assertThat(Files.readString(againSummary)).contains("**CI re-runs**\n\n- " + MarkdownText.cell(said) + "\n");
        assertThat(Files.readString(firstSummary)).doesNotContain("re-run").doesNotContain("attempt");
    }

    @Test
    void anEmptyEnvironmentFlagIsRefusedAsBlankNotStoredAsLocal() throws IOException {
        Path f = file("blank-env.json", result("push-blank-env", 0.53));
        Run r = run("push", f.toString(), "--server", server.url(), "--environment", "");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("invalid --environment: must not be blank; leave it out for the default "
                + "environment, local").doesNotContain(f.toString());
        long stored = server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions "
                + "WHERE model_version = 'push-blank-env'").mapTo(Long.class).one());
        assertThat(stored).isZero();
    }

    // Under CI=true a result that leaves its environment out is pushed as ci: a blank one is told so, not local.

    @Test
    void anEmptyEnvironmentFlagUnderCiSaysTheDefaultIsCi() throws IOException {
        Path f = file("blank-env-ci.json", result("push-blank-env-ci", 0.53));
        Run r = run(Map.of("CI", "true"), "", "push", f.toString(), "--server", server.url(), "--environment", "");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("invalid --environment: must not be blank; leave it out for the default "
                + "environment, ci").doesNotContain("local");
    }

    @Test
    void aBlankEnvironmentInTheFileUnderCiSaysTheDefaultIsCi() throws IOException {
        Path f = file("blank-env-in-file-ci.json", result("push-blank-env-file-ci", 0.53)
                .replace("\"metrics\"", "\"environment\":\" \",\"metrics\""));
        Run r = run(Map.of("CI", "true"), "", "push", f.toString(), "--server", server.url());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains(f + ": result 1, results[0].environment: must not be blank; leave it out for the "
                + "default environment, ci").doesNotContain("local");
    }

    @Test
    void pushingTheSameResultAgainSaysWhyItWasNotStoredAgain() throws IOException {
        Path f = file("dup.json", result("push-dup", 0.8));
        Run first = run("push", f.toString(), "--server", server.url());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).doesNotContain("already present:");

        Run again = run("push", f.toString(), "--server", server.url());
        assertThat(again.exitCode()).as(again.err()).isZero();
        // The result names no run_id or run_at: its key is derived from its whole content, not a run time.
        assertThat(again.out()).containsPattern("0\\s+1\\s+0").contains("already present: a result with the same "
                + "content (series, values and every other field; it names no run_id or run_at) is stored; send a "
                + "run_id, a run_at or an idempotency_key to store a repeat").doesNotContain("run time");
        assertThat(stored("push-dup")).isEqualTo(1);
    }

    @Test
    void theAlreadyPresentAdviceToAResultWithARunIdIsANewRunIdNotARunId() throws IOException {
        Path f = file("dup_run.json", with(result("push-dup-run", 0.8), "\"run_id\":\"drop\""));
        assertThat(run("push", f.toString(), "--server", server.url()).exitCode()).isZero();

        Run again = run("push", f.toString(), "--server", server.url());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("already present: a result with the same run_id, series, run time and values "
                + "is stored; send it with a new run_id or an idempotency_key to store a repeat")
                .doesNotContain("send a run_id");
    }

    @Test
    void theAlreadyPresentNoteToAResultWithItsOwnIdempotencyKeyNamesThatKey() throws IOException {
        Path f = file("dup_key.json", with(result("push-dup-key", 0.8), "\"idempotency_key\":\"nightly-7\""));
        assertThat(run("push", f.toString(), "--server", server.url()).exitCode()).isZero();

        Run again = run("push", f.toString(), "--server", server.url());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("already present: a result with that idempotency_key is stored already; send a "
                + "new idempotency_key to store a repeat").doesNotContain("same series, run time and values");
    }

    @Test
    void theAlreadyPresentNoteToAToolsFilePushedAgainUnderARunIdNamesTheRunNotAnIdempotencyKey() throws IOException {
        // A tool's file carries no idempotency_key: the key benchmon derived for it (with the tool's time) is no key of
        // the sender's, whose advice would be to send one the file cannot hold.
        Path lmEval = Path.of("..", "toolkit", "src", "test", "resources", "adapters", "lm-eval-results.json");
        String[] push = {"push", lmEval.toString(), "--format", "lm-eval", "--model-version", "push-dup-tool",
                "--environment", "ci", "--run-id", "lm-13", "--server", server.url()};
        Run first = run(push);
        assertThat(first.exitCode()).as(first.err()).isZero();

        Run again = run(push);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("already present: a result of the same run_id and series with the same values "
                + "(and the same time in the tool's file) is stored; push it with a new run_id to store a repeat")
                .doesNotContain("idempotency_key");
    }

    @Test
    void anImprovementOfAResultStoredBeforeIsNotSaidAgainWhenItIsPushedAgain() throws IOException {
        Path f = file("up.jsonl", hourly("push-dup-up", Instant.now().minus(5, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.SECONDS), 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.9));
        Run first = run("push", f.toString(), "--server", server.url());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("other findings");

        Run again = run("push", f.toString(), "--server", server.url());

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("nothing new was stored").doesNotContain("other findings", "f1 improvement");
    }

    @Test
    void anImprovementOfAMetricWithAUnitIsSaidInThatUnitAsItsRegressionIs() throws IOException {
        Run define = run("metrics", "define", "push_unit_latency", "--direction", "lower_is_better", "--unit", "ms",
                "--server", server.url());
        assertThat(define.exitCode()).as(define.err()).isZero();
        Instant t = Instant.now().minus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String slow = hourly("push-unit", t, 0, 300, 299, 419).replace("\"f1\"", "\"push_unit_latency\"");
        String fastAgain = hourly("push-unit", t, 3, 419, 420, 300).replace("\"f1\"", "\"push_unit_latency\"");

        Run regression = run("push", file("slow.jsonl", slow).toString(), "--server", server.url());
        Run improvement = run("push", file("fast.jsonl", fastAgain).toString(), "--server", server.url());

        assertThat(regression.out()).as(regression.err()).contains("push_unit_latency 299.5 ms -> 419.0 ms, critical: "
                + "+120 ms (+39.9%) vs the median");
        // The improvement was worded "-119 (-28.4%)", without the ms its regression's line gives the same change.
        assertThat(improvement.out()).as(improvement.err()).contains("push_unit_latency improvement: -119 ms (-28.4%) "
                + "vs the median");
    }

    @Test
    void aMetricBeyondDoubleRangeIsRefusedNamingTheValueAsWrittenNotInfinity() throws IOException {
        Path f = file("huge.json", "{\"model_version\":\"push-huge\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1e400}}");
        Run r = run("push", f.toString(), "--server", server.url());
        assertThat(r.exitCode()).as(r.out()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("metrics.f1: must be at most 1e100 in magnitude, got 1e400")
                .doesNotContain("Infinity", "no finite metric");
    }

    @Test
    void aTruncatedFileSaysWhichObjectIsNotClosedWithoutTheParsersInternals() throws IOException {
        Path f = file("trunc.json", "[" + result("push-trunc", 0.8) + ", {\"model_version\": \"m\"");
        Run r = run("push", f.toString(), "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).containsPattern("the JSON ends before the object that starts at line 1, column \\d+ is closed")
                .doesNotContain("Source", "REDACTED", "StreamReadFeature", "end-of-input");
    }

    @Test
    void aFileWithTextAfterItsResultSaysSoWithoutTheParsersInternals() throws IOException {
        Path f = file("trailing.json", result("push-trailing", 0.8) + " trailing");
        Run r = run("push", f.toString(), "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("'trailing' is not a JSON value: text must be in double quotes")
                .doesNotContain("Unrecognized token", "was expecting", "'NaN'");
    }

    @Test
    void aServerThatIsNotBenchmonIsNamedAsSuchWhenItFailsThePush() throws IOException {
        // As python3 -m http.server answers a POST: 501 and an HTML page.
        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/", exchange -> {
            byte[] page = "<html><body><h1>Error response</h1><p>Error code: 501</p><p>Message: Unsupported method ('POST').</p></body></html>"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html;charset=utf-8");
            exchange.sendResponseHeaders(501, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        other.start();
        try {
            Path f = file("other.json", result("push-other", 0.8));
            Run r = run("push", f.toString(), "--server", "http://127.0.0.1:" + other.getAddress().getPort());

            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).contains("failed on the server (501)", "Is --server the address of a benchmon server")
                    .doesNotContain("Fix the cause the server names");
        } finally {
            other.stop(0);
        }
    }

    @Test
    void theServerComesFromBenchmonUrlWhenNoFlagNamesIt() throws IOException {
        Path f = file("url.json", result("push-env-url", 0.9));
        Run r = run(Map.of("BENCHMON_URL", server.url()), "", "push", f.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(stored("push-env-url")).isEqualTo(1);
    }

    @Test
    void aBlankBenchmonServerCountsAsUnsetSoThePushGoesToBenchmonUrl() throws IOException {
        Path f = file("blank-server.json", result("push-blank-server", 0.9));
        Run r = run(Map.of("BENCHMON_SERVER", "", "BENCHMON_URL", server.url()), "", "push", f.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(stored("push-blank-server")).isEqualTo(1);
    }

    @Test
    void githubContextIsPickedUpAndFlagsOverrideIt() throws IOException {
        Path summary = dir.resolve("summary.md");
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_SHA", "abc123", "GITHUB_REF_NAME", "main",
                "GITHUB_RUN_ID", "77", "GITHUB_ACTOR", "octocat", "CI", "true"));
        env.put("GITHUB_STEP_SUMMARY", summary.toString());
        Run r = run(env, result("push-gh", 0.8), "push", "-", "--server", server.url(), "--branch", "release",
                "--tag", "gpu=a100");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String csv = server.get("/api/v1/history?model=push-gh&format=csv").body();
        assertThat(csv).contains("abc123", "release", "77", "octocat", "{\"\"gpu\"\": \"\"a100\"\"}", ",ci,");
        assertThat(Files.readString(summary)).contains("### benchmon push", "| stored |");
    }

    @Test
    void aBlankEnvironmentInTheFileIsRefusedInCiNotReplacedByCi() throws IOException {
        StringBuilder results = new StringBuilder("[");
        for (int i = 0; i < 4; i++) {
            String one = result("push-ci-blank-env", 0.5 + i / 100.0).replace("\"d\"", "\"d" + i + "\"");
            results.append(i == 0 ? "" : ",").append(i == 3 ? with(one, "\"environment\":\"\"") : one);
        }
        Path f = file("ci-blank-env.json", results.append("]").toString());

        Run r = run(Map.of("CI", "true", "GITHUB_SHA", "abc123"), "", "push", f.toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("nothing was sent", f + ": line 1: result 4, results[3].environment: must not be blank");
        assertThat(stored("push-ci-blank-env")).isZero();
    }

    @Test
    void anEnvironmentTheFileLeavesOutOrGivesAsNullIsCiInCi() throws IOException {
        Path f = file("ci-null-env.json", "[" + result("push-ci-null-env", 0.5) + ","
                + with(result("push-ci-null-env", 0.5), "\"environment\":null").replace("\"d\"", "\"d2\"") + "]");

        Run r = run(Map.of("CI", "true"), "", "push", f.toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode rows = historyRows("push-ci-null-env");
        assertThat(rows).extracting(row -> row.path("environment").asText()).containsExactly("ci", "ci");
    }

    @Test
    void anEmptyGithubShaOrRefNameFillsNoCommitOrBranch() throws IOException {
        Run r = run(Map.of("CI", "true", "GITHUB_SHA", "", "GITHUB_REF_NAME", " "), result("push-empty-sha", 0.6),
                "push", "-", "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode row = historyRows("push-empty-sha").path(0);
        assertThat(row.path("environment").asText()).isEqualTo("ci");
        assertThat(row.path("commit_sha").isNull()).as(row.toString()).isTrue();
        assertThat(row.path("branch").isNull()).as(row.toString()).isTrue();
    }

    @Test
    void aBlankOptionValueIsRefusedOnceNamingTheOptionNotTheFile() throws IOException {
        // It was "file: [0] environment: must not be blank" for every result of the file.
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            lines.append(result("push-blank-option", 0.5).replace("\"d\"", "\"d" + i + "\"")).append('\n');
        }
        Path f = file("blank-option.jsonl", lines.toString());

        for (String option : List.of("--environment", "--commit-sha", "--model-version")) {
            Run r = run("push", f.toString(), option, " ", "--server", server.url());

            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).as(option).contains("invalid " + option + ": must not be blank").doesNotContain(f.toString());
            assertThat(r.err().lines().filter(l -> l.contains("must not be blank")).count()).as(option).isEqualTo(1);
        }
        assertThat(stored("push-blank-option")).isZero();
    }

    @Test
    void aBlankCommitShaInTheFileIsRefusedNotFilledFromGithubSha() throws IOException {
        Path f = file("blank-sha.json", with(result("push-blank-sha", 0.6), "\"commit_sha\":\"\""));

        Run r = run(Map.of("CI", "true", "GITHUB_SHA", "abc123"), "", "push", f.toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains(f + ": result 1, results[0].commit_sha: must not be blank; omit it or give the commit");
        assertThat(stored("push-blank-sha")).isZero();
    }

    @Test
    void theJobSummaryShowsASeriesNameAsTextNeverAsHtmlALinkOrEmphasis() throws IOException {
        String hostile = "<img src=x onerror=alert(1)> **bold** [link](http://evil) a|b see https://evil.example www.evil.example";
        StringBuilder runs = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            runs.append("{\"model_version\":").append(new com.fasterxml.jackson.databind.node.TextNode(hostile)).append(",\"dataset_version\":\"d\",")
                    .append("\"run_at\":\"").append(Instant.parse("2026-05-01T00:00:00Z").plus(i, ChronoUnit.HOURS))
                    .append("\",\"metrics\":{\"f1\":").append(i < 10 ? 0.9 + (i % 2) * 0.001 : 0.5).append("}}\n");
        }
        Path summary = dir.resolve("hostile.md");

        Run r = run(Map.of("GITHUB_STEP_SUMMARY", summary.toString()), "", "push",
                file("hostile.jsonl", runs.toString()).toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isZero();
        String md = Files.readString(summary);
        assertThat(md).contains("&lt;img src=x onerror=alert(1)&gt; \\*\\*bold\\*\\* \\[link\\](http&#58;//evil) a\\|b "
                        + "see https&#58;//evil.example www&#46;evil.example")
                .doesNotContain("<img", "**bold**", "[link](", "https://evil", "www.evil");
    }

    @Test
    void invalidInputExitsWith2AndNamesTheField() throws IOException {
        Path f = file("bad.json", "{\"model_version\":\"x\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":\"good\"}}");
        Run r = run("push", f.toString(), "--server", server.url());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("bad.json", "metrics.f1");
    }

    @Test
    void aTagKeyGivenTwiceIsRefusedNamingTheKeyAndNothingIsSent() throws IOException {
        Path f = file("tagged.json", result("push-tag-twice", 0.5));
        Run r = run("push", f.toString(), "--server", server.url(), "--tag", "gpu=a100", "--tag", "gpu=h100");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("--tag: tag key 'gpu' is given twice (gpu=a100 and gpu=h100); give each key once");
        assertThat(stored("push-tag-twice")).isZero();
    }

    @Test
    void aTagWithoutKeyAndValueIsRefusedNamingTheOption() throws IOException {
        Run r = run("push", file("t.json", result("push-tag-bare", 0.5)).toString(), "--server", server.url(),
                "--tag", "nightly");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("--tag: must be key=value, got 'nightly'");
    }

    @Test
    void credentialsInTheServerUrlAreNeverPrintedNorWrittenToTheJobSummary() throws IOException {
        Path summary = dir.resolve("secret-summary.md");
        String withSecrets = server.url().replaceFirst("^http://", "http://u:SECRETBASIC@") + "?token=SECRETQ";
        Run pushed = run(Map.of("GITHUB_STEP_SUMMARY", summary.toString()), "", "push",
                file("r.json", result("push-url-secret", 0.6)).toString(), "--server", withSecrets);
        assertThat(pushed.exitCode()).as(pushed.err()).isZero();
        assertThat(pushed.out()).contains("pushed 1 result(s) to http://****@127.0.0.1:", "?token=****");
        assertThat(pushed.out() + pushed.err() + Files.readString(summary)).doesNotContain("SECRET");

        String unreachable = closedPortUrl().replaceFirst("^http://", "http://u:SECRETBASIC@") + "/?token=SECRETQ";
        Run down = run("push", file("r2.json", result("push-url-secret", 0.6)).toString(), "--server", unreachable,
                "--max-attempts", "1");
        assertThat(down.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(down.err()).contains("cannot reach http://****@127.0.0.1:").doesNotContain("SECRET");

        Run notAServer = run("push", file("r3.json", result("push-url-secret", 0.6)).toString(), "--server",
                "ftp://u:SECRETBASIC@127.0.0.1/");
        assertThat(notAServer.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(notAServer.err()).contains("--server 'ftp://****@127.0.0.1/'").doesNotContain("SECRET");

        // Every command taking --server prints it the same way.
        Run export = run("export", "history", "--server", unreachable);
        assertThat(export.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(export.err()).contains("http://****@127.0.0.1:").doesNotContain("SECRET");
        Run alerts = run("alerts", "list", "--server", unreachable);
        assertThat(alerts.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(alerts.err()).contains("http://****@127.0.0.1:").doesNotContain("SECRET");
    }

    @Test
    void aClosedPortExitsWith3AfterRetrying() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path f = file("r.json", result("push-down", 0.5));
        Run r = run("push", f.toString(), "--server", "http://127.0.0.1:" + port, "--max-attempts", "3", "--retry-delay", "10");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).contains("attempt 1 of 3", "attempt 2 of 3", "after 3 attempt(s)");
    }

    /**
     * {@code https://} given for a server that speaks plain HTTP (benchmon serve does) fails at once, naming the
     * {@code http://} URL to use: it was retried five times, then named only an SSLException. Every command that talks
     * to a server says it alike.
     */
    @Test
    void anHttpsUrlOfAPlainHttpServerFailsAtOnceNamingTheHttpUrlToUse() throws IOException {
        String http = "http://127.0.0.1:" + server.port() + "/";
        String https = "https://127.0.0.1:" + server.port();
        Path f = file("r.json", result("push-https", 0.5));
        for (Run r : List.of(run("push", f.toString(), "--server", https, "--max-attempts", "3", "--retry-delay", "10"),
                run("alerts", "list", "--server", https), run("export", "history", "--server", https))) {
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(r.err()).contains(https + "/ answered in plain HTTP, not HTTPS", "Use --server " + http)
                    .doesNotContain("attempt 1 of", "SSLException");
        }
        assertThat(stored("push-https")).isZero();
    }

    @Test
    void thePlainHttpUrlNamedForAnHttpsUrlKeepsItsPortWhichIs443WhenItNamesNone() {
        assertThat(PushClient.plainHttpUrl(java.net.URI.create("https://bench.example/"))).isEqualTo("http://bench.example:443/");
        assertThat(PushClient.plainHttpUrl(java.net.URI.create("https://ci:tok@bench.example/base/")))
                .isEqualTo("http://ci:tok@bench.example:443/base/");
        assertThat(PushClient.plainHttpUrl(java.net.URI.create("https://127.0.0.1:7070/"))).isEqualTo("http://127.0.0.1:7070/");
    }

    @Test
    void aClosedPortSaysPushingAgainIsSafeAndThatResultsWithoutARunIdAreKeyedByContent() throws IOException {
        Run r = run("push", file("r.json", result("push-nokey", 0.5)).toString(), "--server", closedPortUrl(),
                "--max-attempts", "1");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).contains("Pushing the same results again is safe",
                "1 of 1 result(s) have no run_id, run_at or idempotency_key and are keyed by their content", "--run-id");
    }

    @Test
    void aClosedPortSaysPushingAgainIsSafeWhenEveryResultHasARunId() throws IOException {
        Run r = run("push", file("r.json", result("push-keyed", 0.5)).toString(), "--server", closedPortUrl(),
                "--max-attempts", "1", "--run-id", "run-42");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(r.err()).contains("Pushing the same results again is safe");
    }

    @Test
    void aDatabaseThatRefusesTheWriteIsReportedOnceAndNotRetried() throws IOException {
        try (TestServer readOnly = TestServer.readOnly()) {
            Run r = run("push", file("r.json", result("push-denied", 0.5)).toString(), "--server", readOnly.url(),
                    "--max-attempts", "3", "--retry-delay", "10");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).contains("failed on the server (500)", "permission denied", "Not retried")
                    .doesNotContain("attempt 1 of 3");
        }
    }

    @Test
    void aReadOnlyServerRefusingAPushWithoutATokenSaysNoTokenWasSent() throws IOException {
        try (TestServer readOnly = TestServer.withTokens(null, "read-token-of-the-test")) {
            Run r = run("push", file("r.json", result("push-no-token", 0.5)).toString(), "--server", readOnly.url());
            assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).contains("refused (403)", "No token was sent; pushing needs the write token.")
                    .doesNotContain("That token");
        }
    }

    @Test
    void aRedirectIsAnErrorThatNamesWhereItPointed() throws IOException {
        HttpServer fake = answering(307, "", "Location", "http://127.0.0.1:1/elsewhere/api/v1/results");
        try {
            Run r = run("push", file("r.json", result("push-redirect", 0.5)).toString(), "--server", urlOf(fake));
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).contains("redirected (307) to http://127.0.0.1:1/elsewhere/api/v1/results");
            assertThat(r.out()).doesNotContain("pushed");
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void aSuccessOtherThan201CreatedIsNotTakenAsStored() throws IOException {
        HttpServer fake = answering(200, "{}");
        try {
            Run r = run("push", file("r.json", result("push-200", 0.5)).toString(), "--server", urlOf(fake));
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).contains("answered 200, not 201 Created");
            assertThat(r.out()).doesNotContain("pushed");
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void anAnswerThatLeavesResultsOutExitsWith4EvenWithVerify() throws IOException {
        HttpServer fake = answering(201, "{\"created\":0,\"results\":[]}");
        try {
            Path f = file("r.json", "[" + result("push-empty", 0.5) + "," + result("push-empty", 0.6) + "]");
            Run r = run("push", f.toString(), "--server", urlOf(fake), "--verify");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).contains("to request 1 of 1 reports 0 result(s) for 2 sent");
            assertThat(r.out()).doesNotContain("verified");
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void aPushABenchmonServerRefusesForOneProblemNamesItOnce() throws IOException {
        String keyed = "{\"model_version\":\"push-refused-once\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5},"
                + "\"notes\":\"first\",\"idempotency_key\":\"refused-once-1\"}";
        assertThat(run("push", file("r.json", keyed).toString(), "--server", server.url()).exitCode()).isZero();

        Run r = run("push", file("r.json", keyed.replace("first", "second")).toString(), "--server", server.url());

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("was refused (400): invalid benchmark input (1 problem; nothing was stored): result 1, results[0].notes: "
                + "result ", " (push-refused-once / d @local) is already stored under this idempotency_key");
        assertThat(r.err().split("already stored under this idempotency_key", -1)).hasSize(2); // said once, not twice
    }

    @Test
    void aLoneProblemTheErrorWordsOtherwiseIsPrintedWithItsField() throws IOException {
        // A server of another version: the detail's message is in the error, about another field. It was left out as
        // "said already", and which field it was about went unsaid.
        HttpServer fake = answering(400, "{\"error\": \"invalid benchmark input (1 problem; nothing was stored): [0] "
                + "model_version: is required\", \"status\": 400, \"details\": [{\"index\": 0, \"field\": \"dataset_version\", "
                + "\"message\": \"is required\"}], \"request_id\": \"r-1\"}", "Content-Type", "application/json");
        try {
            Run r = run("push", file("r.json", result("push-other-words", 0.5)).toString(), "--server", urlOf(fake));
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).contains("[0] model_version: is required\n  result 1, results[0].dataset_version: is required\n");
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void aRefusalWhoseBodyAddsOrRetypesFieldsIsStillPrintedWithItsProblems() throws IOException {
        // A later server or a proxy: a detail with a field this version does not know, a status in words. Read as a
        // typed record, the body failed as a whole and the refusal said only its status.
        HttpServer fake = answering(400, "{\"error\": \"invalid benchmark input (2 problems; nothing was stored)\", "
                + "\"status\": \"Bad Request\", \"details\": [{\"index\": 0, \"field\": \"metrics.f1\", \"message\": "
                + "\"must be a number\", \"code\": \"E_TYPE\"}, {\"field\": \"run_at\", \"message\": \"is in the future\", "
                + "\"hint\": {\"see\": \"docs\"}}], \"request_id\": \"r-2\", \"trace\": [1, 2]}", "Content-Type", "application/json");
        try {
            Run r = run("push", file("r.json", result("push-later-server", 0.5)).toString(), "--server", urlOf(fake));
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).contains("was refused (400): invalid benchmark input (2 problems; nothing was stored)\n"
                    + "  result 1, results[0].metrics.f1: must be a number\n  run_at: is in the future\n");
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void aRefusalThatIsNoJsonErrorBodyIsToldByItsStatusAlone() throws IOException {
        HttpServer fake = answering(400, "<html><body>400 Bad Request (proxy)</body></html>", "Content-Type", "text/html");
        try {
            Run r = run("push", file("r.json", result("push-proxy-400", 0.5)).toString(), "--server", urlOf(fake));
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).contains("was refused (400)\n").doesNotContain("<html>", "proxy");
        } finally {
            fake.stop(0);
        }
    }

    /** A server that answers every request with this status, body and headers (name, value, ...). */
    private static HttpServer answering(int status, String body, String... headers) throws IOException {
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            for (int i = 0; i + 1 < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        fake.start();
        return fake;
    }

    private static String urlOf(HttpServer fake) {
        return "http://127.0.0.1:" + fake.getAddress().getPort();
    }

    private static String closedPortUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void aBackfillNewestFirstInSeveralBatchesHasNoLateRunsAndKeepsTheFilesNumbering() throws IOException {
        // Twelve hourly runs of one series written newest first, pushed three a request: sent as written, every
        // request after the first held only runs older than those stored, all reported late and never judged.
        Instant t0 = Instant.parse("2026-06-01T00:00:00Z");
        StringBuilder json = new StringBuilder("[");
        for (int i = 11; i >= 0; i--) {
            double f1 = i == 11 ? 0.5 : 0.9 + (i % 2) * 0.001; // the newest run (file #0) drops
            json.append(i == 11 ? "" : ",").append("{\"model_version\":\"backfill\",\"dataset_version\":\"d\",\"run_at\":\"")
                    .append(t0.plus(i, ChronoUnit.HOURS)).append("\",\"metrics\":{\"f1\":").append(f1).append("}}");
        }
        Path f = file("backfill.json", json.append("]").toString());

        Run r = run("push", f.toString(), "--server", server.url(), "--batch-size", "3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("late arrival").containsPattern("regressions:\n  result 1 \\(id \\d+\\) backfill");
        assertThat(stored("backfill")).isEqualTo(12);
    }

    @Test
    void aRegressionWithFailOnRegressionExitsWith1() throws IOException {
        Instant t = Instant.now().minus(5, ChronoUnit.DAYS);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append("{\"model_version\":\"push-reg\",\"dataset_version\":\"d\",\"run_at\":\"").append(t.plus(i, ChronoUnit.HOURS))
                    .append("\",\"metrics\":{\"f1\":0.9}}\n");
        }
        assertThat(run("push", file("base.jsonl", sb.toString()).toString(), "--server", server.url()).exitCode()).isZero();
        Run r = run("push", file("worse.json", result("push-reg", 0.5)).toString(), "--server", server.url(),
                "--fail-on-regression");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.REGRESSION);
        assertThat(r.out()).contains("regressions:", "push-reg", "f1");
    }

    @Test
    void aRegressionWhoseAlertALaterRequestOfThePushResolvedIsListedApartAndDoesNotFail() throws IOException {
        Instant t = Instant.now().minus(5, ChronoUnit.DAYS);
        String dip = hourly("push-reg-resolved", t, 0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.5, 0.9, 0.9);

        // One run a request: the dip's request opens its alert (answered open), the next one's answer lists it resolved.
        try (ForwardingGateway gateway = new ForwardingGateway(server.url())) {
            Run r = run("push", file("dip.jsonl", dip).toString(), "--server", gateway.url(), "--batch-size", "1",
                    "--fail-on-regression");

            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("stored   already present  standing regressions\n9        0                1 (resolved in this push)\n")
                    .containsPattern("regressions whose alert is resolved \\(do not fail the push\\):\n  result 7 \\(id \\d+\\) push-reg-resolved")
                    .doesNotContain("\nregressions:").doesNotContain("alerts (");
            assertThat(gateway.requests).as("the answers say it all: no alert is read again").hasSize(9)
                    .allSatisfy(line -> assertThat(line).startsWith("POST /api/v1/results"));
        }
    }

    /** JSON Lines of {@code model}'s runs with these f1 values, an hour apart from {@code first} hours after {@code t}. */
    static String hourly(String model, Instant t, int first, double... f1) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < f1.length; i++) {
            sb.append("{\"model_version\":\"").append(model).append("\",\"dataset_version\":\"d\",\"run_at\":\"")
                    .append(t.plus(first + i, ChronoUnit.HOURS)).append("\",\"metrics\":{\"f1\":").append(f1[i]).append("}}\n");
        }
        return sb.toString();
    }

    @Test
    void twoRunsBackAtTheOldLevelPushedInOneRequestResolveTheOpenAlertAndPass() throws IOException {
        Instant t = Instant.now().minus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String model = "push-back-two";
        assertThat(run("push", file("steady.jsonl", hourly(model, t, 0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9)).toString(),
                "--server", server.url()).exitCode()).isZero();
        Run drop = run("push", file("drop.jsonl", hourly(model, t, 6, 0.5)).toString(), "--server", server.url(),
                "--fail-on-regression");
        assertThat(drop.exitCode()).as(drop.out() + drop.err()).isEqualTo(ExitCodes.REGRESSION);
        assertThat(drop.out()).contains("alerts (1 open):");

        Run back = run("push", file("back.jsonl", hourly(model, t, 7, 0.901, 0.899)).toString(), "--server",
                server.url(), "--fail-on-regression");

        assertThat(back.exitCode()).as(back.out() + back.err()).isZero();
        assertThat(back.out()).contains("stored   already present  standing regressions\n2        0                0\n")
                .doesNotContain("alerts (");
        assertThat(ResultJson.mapper().readTree(server.get("/api/v1/alerts?model=" + model).body()).path("alerts"))
                .singleElement().satisfies(a -> assertThat(a.path("state").asText()).isEqualTo("resolved"));
    }

    /** Five steady hourly runs of {@code model} (f1 0.9), then one at 02:30 with f1 0.6: a late regression. */
    private Run lateRegression(String model, Map<String, String> env) throws IOException {
        Instant t = Instant.parse("2026-05-01T00:00:00Z");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append("{\"model_version\":\"").append(model).append("\",\"dataset_version\":\"d\",\"run_at\":\"")
                    .append(t.plus(i, ChronoUnit.HOURS)).append("\",\"metrics\":{\"accuracy\":0.9}}\n");
        }
        assertThat(run("push", file("base.jsonl", sb.toString()).toString(), "--server", server.url()).exitCode()).isZero();
        String late = "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"run_at\":\""
                + t.plus(150, ChronoUnit.MINUTES) + "\",\"metrics\":{\"accuracy\":0.6}}";
        return run(env, "", "push", file("late.json", late).toString(), "--server", server.url(), "--fail-on-regression");
    }

    @Test
    void aLateRegressionIsListedApartWithWhyItDoesNotFailThePush() throws IOException {
        Run r = lateRegression("push-late", Map.of());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("standing regressions  late regressions\n1        0                0                     1\n")
                .containsPattern("late regressions \\(do not fail the push\\):\n  result 1 \\(id \\d+\\) push-late")
                .contains("opens no alert and does not fail --fail-on-regression")
                .contains("push it with a run_at after that run (or without run_at)")
                .doesNotContain("\nregressions:");
    }

    @Test
    void theJobSummarySaysALateRegressionDoesNotFailThePush() throws IOException {
        Path summary = dir.resolve("summary.md");

        lateRegression("push-late-md", Map.of("GITHUB_STEP_SUMMARY", summary.toString()));

        assertThat(Files.readString(summary)).contains("| standing regressions | late regressions |")
                .contains("| 1 | 0 | 0 | 1 |")
                .contains("**Late regressions (do not fail the push)**")
                .contains("does not fail --fail-on-regression");
    }

    @Test
    void aFlakyServerIsRetriedAndEveryResultIsStoredExactlyOnce() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        HttpClient forward = HttpClient.newHttpClient();
        HttpServer flaky = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        flaky.createContext("/", exchange -> {
            int n = attempts.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String answer;
            int status;
            try {
                if (n == 2) { // overloaded: do nothing, ask for a pause
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    status = 503;
                    answer = "{\"error\":\"busy\"}";
                } else {
                    HttpResponse<String> real = forward.send(HttpRequest.newBuilder(URI.create(server.url())
                                    .resolve(exchange.getRequestURI().toString().substring(1)))
                            .header("Content-Type", "application/json")
                            .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                    // The first attempt is stored but its answer is "lost": the client must retry safely.
                    status = n == 1 ? 502 : real.statusCode();
                    answer = n == 1 ? "{\"error\":\"bad gateway\"}" : real.body();
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        flaky.start();
        try {
            Path f = file("r.json", "[" + result("push-flaky", 0.7) + "," + result("push-flaky", 0.71).replace("\"d\"", "\"d2\"") + "]");
            long t0 = System.nanoTime();
            Run r = run("push", f.toString(), "--server", "http://127.0.0.1:" + flaky.getAddress().getPort(),
                    "--retry-delay", "10");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(attempts.get()).isEqualTo(3);
            assertThat(System.nanoTime() - t0).as("Retry-After: 1 was honoured").isGreaterThanOrEqualTo(1_000_000_000L);
            assertThat(r.err()).contains("answered 502", "answered 503");
            assertThat(r.out()).containsPattern("0\\s+2\\s+0"); // stored 0, already present 2
            assertThat(stored("push-flaky")).isEqualTo(2);
        } finally {
            flaky.stop(0);
        }
    }

    @Test
    void pushWithDbWritesStraightToTheDatabase() throws IOException {
        Run r = run("push", file("r.json", result("push-db", 0.6)).toString(), "--db", server.databaseUrl(), "--verify");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("verified");
        assertThat(stored("push-db")).isEqualTo(1);
    }

    /** A result pushed again under its own idempotency_key with another value is refused (exit 2) by either target. */
    @Test
    void pushingAKeyAgainWithOtherValuesIsRefusedByTheServerAndTheDatabase() throws IOException {
        String keyed = "{\"model_version\":\"push-rekey\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5},"
                + "\"notes\":\"first\",\"idempotency_key\":\"nightly-42\"}";
        assertThat(run("push", file("r.json", keyed).toString(), "--server", server.url()).exitCode()).isZero();
        Run retry = run("push", file("r.json", keyed).toString(), "--db", server.databaseUrl());
        assertThat(retry.exitCode()).as(retry.err()).isZero();
        assertThat(retry.out()).contains("already present");

        Path changed = file("r.json", keyed.replace("first", "second"));
        for (String[] target : List.of(new String[]{"--server", server.url()}, new String[]{"--db", server.databaseUrl()})) {
            Run r = run("push", changed.toString(), target[0], target[1]);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).contains("notes: result ", "(push-rekey / d @local) is already stored under this "
                    + "idempotency_key, with other notes than sent", "send this result with another idempotency_key");
        }
        assertThat(stored("push-rekey")).isEqualTo(1);
    }

    @Test
    void pushWithAPostgresUrlNeverPrintsItsPassword() throws IOException {
        Path summary = dir.resolve("summary.md");
        // postgres://user:password@host:port/db, the form hosted PostgreSQL hands out, with the real password
        String secret = TestServer.embeddedPassword();
        String url = server.databaseUrl().replaceFirst("^jdbc:postgresql://([^/]+)/([^?]+).*$",
                "postgres://postgres:" + secret + "@$1/$2");
        Run r = run(Map.of("GITHUB_STEP_SUMMARY", summary.toString()), "", "push",
                file("r.json", result("push-secret", 0.6)).toString(), "--db", url);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("postgres://****@").doesNotContain(secret); // user and password: a password may hold @ or /
        assertThat(r.err()).doesNotContain(secret);
        assertThat(Files.readString(summary)).doesNotContain(secret);
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[]{"serve", "push", "export", "import"}) {
            Run r = run(command, "--help");
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).contains("Usage: benchmon " + command);
        }
    }

    @Test
    void exportGuardsFormulasAndExportRawImportsBackUnchanged() throws IOException {
        String model = "-formula-model";
        Path f = file("r.json", result(model, -0.5).replace("\"d\"", "\"=1+1\""));
        assertThat(run("push", f.toString(), "--server", server.url()).exitCode()).isZero();

        Run guarded = run("export", "history", "--db", server.databaseUrl(), "--model=" + model);
        assertThat(guarded.out()).contains("'-formula-model", "'=1+1", ",-0.5");

        Path csv = dir.resolve("raw.csv");
        Run raw = run("export", "history", "--raw", "--db", server.databaseUrl(), "--model=" + model, "-o", csv.toString());
        assertThat(raw.exitCode()).as(raw.err()).isZero();
        assertThat(Files.readString(csv)).doesNotContain("'");
        Run again = run("import", csv.toString(), "--db", server.databaseUrl());
        assertThat(again.out()).as(again.err()).contains("0 stored, 1 already present");
    }

    /** export and compare read a server or a database: given both, they refuse (as push and alerts do) instead of ignoring one. */
    @Test
    void exportAndCompareRefuseAServerTogetherWithADatabase() {
        List<String[]> commands = List.of(new String[]{"export", "history"}, new String[]{"export", "snapshots"},
                new String[]{"compare", "a", "b"});
        for (String[] command : commands) {
            for (String[] database : List.of(new String[]{"--db", server.databaseUrl()},
                    new String[]{"--home", dir.resolve("home").toString()})) {
                List<String> args = new java.util.ArrayList<>(List.of(command));
                args.addAll(List.of("--server", server.url(), database[0], database[1]));
                Run r = run(args.toArray(String[]::new));
                assertThat(r.exitCode()).as(args + r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
                assertThat(r.err()).contains("give either --server or --db / --home, not both");
                assertThat(r.out()).isEmpty();
            }
        }
    }

    @Test
    void exportRefusesATagKeyGivenTwiceInsteadOfFilteringOnTheLastOne() {
        Run r = run("export", "history", "--db", server.databaseUrl(), "--tag", "gpu=a100", "--tag", "gpu=h100");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: invalid option '--tag': tag key 'gpu' is given twice (gpu=a100 and gpu=h100); "
                + "give each key once").hasLineCount(1);
    }

    @Test
    void exportNamesABadDurationByItsOptionNotAsAQueryParameter() {
        Run r = run("export", "history", "--db", server.databaseUrl(), "--last", "7x");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("error: invalid option '--last': '7x' is not a duration; use e.g. 30m, 12h, 7d, 2w or P7D")
                .doesNotContain("query parameter");
    }

    @Test
    void exportPointsATooLongWindowAtTheSinceAndUntilOptions() {
        Run r = run("export", "history", "--db", server.databaseUrl(), "--last", "40000d");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: invalid option '--last': '40000d' is longer than 36525 days; use --since/--until for "
                + "older results").hasLineCount(1);
    }

    /** {@code export history} of the range from {@code since} to {@code until}, from the database or the server. */
    private static Run exportRange(boolean db, String since, String until) {
        return run("export", "history", db ? "--db" : "--server", db ? server.databaseUrl() : server.url(),
                "--since", since, "--until", until);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void exportRefusesAnUntilDayBeforeItsSinceNamingTheDayAsTyped(boolean db) {
        Run r = exportRange(db, "2026-12-05", "2026-11-30");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: invalid option '--until': --until 2026-11-30 (through the end of that day, "
                + "UTC) must be after --since 2026-12-05").doesNotContain("2026-12-01").hasLineCount(1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void exportRefusesAnUntilTimeThatIsItsSinceNamingBothAsTyped(boolean db) {
        Run r = exportRange(db, "2026-11-30 12:00", "2026-11-30T12:00Z");

        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: invalid option '--until': --until 2026-11-30T12:00Z must be after "
                + "--since 2026-11-30 12:00").doesNotContain("end of that day").hasLineCount(1);
    }

    @Test
    void exportSaysAZeroWindowMustBePositiveInTheOptionsTerms() {
        Run r = run("export", "history", "--db", server.databaseUrl(), "--last", "0d");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: invalid option '--last': must be a positive window like 7d or 24h, got '0d'")
                .doesNotContain("PT0S").hasLineCount(1);
    }

    @Test
    void exportListsEachOfSeveralRefusedOptionsUnderTheCount() {
        Run r = run("export", "history", "--db", server.databaseUrl(), "--last", "40000d", "--tag", "gpu=a100", "--tag", "gpu=h100");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: 2 problems with the options\n").hasLineCount(3)
                .contains("\n  --last: '40000d' is longer than 36525 days",
                        "\n  --tag: tag key 'gpu' is given twice (gpu=a100 and gpu=h100)");
    }

    @Test
    void exportHistoryWarnsWhenItStopsAtTheLimit() throws IOException {
        Path f = file("r.jsonl", result("push-limit", 0.1) + "\n" + result("push-limit", 0.2) + "\n"
                + result("push-limit", 0.3) + "\n");
        assertThat(run("push", f.toString(), "--server", server.url()).exitCode()).isZero();

        Run cut = run("export", "history", "--db", server.databaseUrl(), "--model", "push-limit", "--limit", "2");
        Run whole = run("export", "history", "--db", server.databaseUrl(), "--model", "push-limit", "--limit", "4");

        assertThat(cut.exitCode()).isZero();
        assertThat(cut.err()).contains("stopped at the limit of 2 row(s)", "--limit N (at most 100000) or --all");
        assertThat(whole.err()).doesNotContain("limit");
    }

    /**
     * A history holding exactly as many results as --limit left none out, so it warns of none (it warned that older
     * rows may be left out); one that left some out says they were, in every format from a database and a server.
     */
    @Test
    void exportHistoryWarnsOnlyWhenMoreResultsThanTheLimitMatch() throws IOException {
        Path f = file("r.jsonl", result("push-exact", 0.1) + "\n" + result("push-exact", 0.2) + "\n"
                + result("push-exact", 0.3) + "\n");
        assertThat(run("push", f.toString(), "--server", server.url()).exitCode()).isZero();

        for (String format : List.of("csv", "jsonl")) {
            for (List<String> from : List.of(List.of("--db", server.databaseUrl()), List.of("--server", server.url()))) {
                List<String> args = new java.util.ArrayList<>(List.of("export", "history", "--model", "push-exact",
                        "--format", format));
                args.addAll(from);
                args.add("--limit");
                Run exact = run(java.util.stream.Stream.concat(args.stream(), java.util.stream.Stream.of("3")).toArray(String[]::new));
                Run cut = run(java.util.stream.Stream.concat(args.stream(), java.util.stream.Stream.of("2")).toArray(String[]::new));

                assertThat(exact.exitCode()).as(exact.err()).isZero();
                assertThat(exact.err()).as("%s from %s", format, from.get(0)).doesNotContain("warning", "left out");
                assertThat(cut.exitCode()).as(cut.err()).isZero();
                assertThat(cut.err()).as("%s from %s", format, from.get(0))
                        .contains("stopped at the limit of 2 row(s); older rows were left out");
            }
        }
    }

    @Test
    void exportCountsRowsNotLinesSoANoteWithLineBreaksStillWarnsAtTheLimit() throws IOException {
        String noted = "{\"model_version\":\"push-notes\",\"dataset_version\":\"d\",\"notes\":\"first line\\nsecond line\","
                + "\"metrics\":{\"f1\":%s}}";
        Path f = file("notes.jsonl", String.format(noted, "0.1") + "\n" + String.format(noted, "0.2") + "\n"
                + String.format(noted, "0.3") + "\n");
        assertThat(run("push", f.toString(), "--server", server.url()).exitCode()).isZero();

        Run local = run("export", "history", "--db", server.databaseUrl(), "--model", "push-notes", "--limit", "2",
                "-o", dir.resolve("local.csv").toString());
        Run remote = run("export", "history", "--server", server.url(), "--model", "push-notes", "--limit", "2",
                "-o", dir.resolve("remote.csv").toString());

        for (Run r : java.util.List.of(local, remote)) {
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).contains("wrote 2 row(s)", "stopped at the limit of 2 row(s)");
        }
    }

    @Test
    void exportWritesHistoryCsvThatImportLoadsBack() throws IOException {
        assertThat(run("push", file("r.json", result("push-export", 0.4)).toString(), "--server", server.url()).exitCode()).isZero();
        Path csv = dir.resolve("h.csv");
        Run export = run("export", "history", "--db", server.databaseUrl(), "--model", "push-export", "-o", csv.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(Files.readString(csv)).contains("push-export");
        Run again = run("import", csv.toString(), "--db", server.databaseUrl());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("0 stored, 1 already present");
    }

    /** Three steady runs of {@code metric} at 0.9, then {@code last}, hours apart: a series judged by the fallback rule. */
    private static String shortHistory(String model, String metric, double last) {
        Instant t0 = Instant.now().minus(10, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        StringBuilder sb = new StringBuilder();
        double[] values = {0.9, 0.9, 0.9, last};
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"model_version\":\"").append(model).append("\",\"dataset_version\":\"d\",")
                    .append("\"run_at\":\"").append(t0.plus(i, ChronoUnit.HOURS)).append("\",\"metrics\":{\"")
                    .append(metric).append("\":").append(values[i]).append("}}");
        }
        return sb.toString();
    }

    @Test
    void theFallbackRuleOfAShortHistoryHonoursAPercentageMinimumEffect() throws IOException {
        // 0.9 -> 0.8 is 11% worse: over the fallback's 5% for a score, under a minimum effect of 20%.
        Path small = file("small.json", "[" + shortHistory("push-fallback-pct", "f1", 0.8) + "]");
        Run under = run("push", small.toString(), "--server", server.url(), "--min-effect", "20%", "--fail-on-regression");
        assertThat(under.exitCode()).as(under.out() + under.err()).isZero();
        assertThat(under.out()).doesNotContain("regressions:");

        Path control = file("control.json", "[" + shortHistory("push-fallback-pct5", "f1", 0.8) + "]");
        Run over = run("push", control.toString(), "--server", server.url(), "--min-effect", "5%", "--fail-on-regression");
        assertThat(over.exitCode()).as(over.out() + over.err()).isEqualTo(ExitCodes.REGRESSION);
        assertThat(over.out()).contains("regressions:", "relative rule");

        // The same minimum effect from the file's metric definition, at the metric's own settings: no regression, no alert.
        Path defined = file("defined.json", "{\"results\": [" + shortHistory("push-fallback-def", "pct_score", 0.8)
                + "], \"metric_definitions\": {\"pct_score\": {\"direction\": \"higher_is_better\", \"min_effect\": \"20%\"}}}");
        Run byDefinition = run("push", defined.toString(), "--server", server.url(), "--fail-on-regression");
        assertThat(byDefinition.exitCode()).as(byDefinition.out() + byDefinition.err()).isZero();
        assertThat(byDefinition.out()).doesNotContain("regressions:");
    }

    @Test
    void aTokenWhereNoTokenAppliesIsRefusedNamingBothOptions() throws IOException {
        Run push = run("push", file("r.json", result("push-db-token", 0.6)).toString(), "--db", server.databaseUrl(),
                "--token", "s3cret");
        assertThat(push.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(push.err()).contains("--token is for a server, but --db writes straight to the database",
                "drop --token, or push to a server with --server URL instead of --db").doesNotContain("s3cret");
        long rows = server.benchmon().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM benchmark_transactions WHERE model_version = 'push-db-token'").mapTo(Long.class).one());
        assertThat(rows).isZero();

        Run export = run("export", "history", "--db", server.databaseUrl(), "--token", "s3cret");
        assertThat(export.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(export.err()).contains("--token is for a server, but without --server export reads the database",
                "give the server with --server URL, or drop --token");

        Run compare = run("compare", "a", "b", "--db", server.databaseUrl(), "--token", "s3cret");
        assertThat(compare.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(compare.err()).contains("--token is for a server, but without --server compare reads the database");

        Run withServer = run("export", "history", "--server", server.url(), "--token", "s3cret", "--limit", "1");
        assertThat(withServer.exitCode()).as(withServer.err()).isZero();
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // at the default --timeout: 120 s
    void aPushWhoseAnswerStallsMidwayIsGivenUpAfterItsTimeout() throws Exception {
        String createdStart = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n"
                + "{\"results\": ";
        CountDownLatch closedByClient = new CountDownLatch(1);
        try (RawServer stalling = RawServer.stalling(createdStart, closedByClient)) {
            long start = System.nanoTime();
            Run r = run("push", file("r.json", result("push-stall", 0.5)).toString(), "--server", stalling.url(),
                    "--timeout", "1");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(r.err()).contains("POST /api/v1/results stalled: the server sent nothing for 1 s", "raise --timeout",
                    "Pushing the same results again is safe");
            assertThat(took).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(15));
            assertThat(stalling.requests).isEqualTo(1); // its answer had begun: given up, not sent into the same silence
            assertThat(closedByClient.await(10, TimeUnit.SECONDS)).as("the client closed the connection").isTrue();
            RawServer.assertNoWatchdogLeft();
        }
    }

    @Test
    void aPushWithATimeoutStoresAsWithout() throws IOException {
        Run r = run("push", file("r.json", result("push-timeout", 0.5)).toString(), "--server", server.url(), "--timeout", "5");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(stored("push-timeout")).isEqualTo(1);
    }

    @Test
    void aPushTimeoutBelowOneSecondIsRefusedBeforeAnythingIsSent() throws IOException {
        Run r = run("push", file("r.json", result("push-timeout-0", 0.5)).toString(), "--server", server.url(), "--timeout", "0");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).isEqualTo("error: invalid --timeout: must be at least 1 (seconds), got 0\n");
        assertThat(stored("push-timeout-0")).isZero();
    }

    @Test
    void aTimeoutWithDbIsRefusedAsATokenIs() throws IOException {
        Run r = run("push", file("r.json", result("push-db-timeout", 0.5)).toString(), "--db", server.databaseUrl(),
                "--timeout", "5");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).isEqualTo("error: --timeout is for a server, but --db writes straight to the database, where "
                + "no server's answer is waited for; drop --timeout, or push to a server with --server URL instead of --db\n");
        assertThat(stored("push-db-timeout")).isZero();
    }

    @Test
    void pushWithHomeWritesToTheEmbeddedDatabaseInThatFolderWhichExportThenReads() throws IOException {
        Path home = dir.resolve("push-home");
        Run push = run(Map.of("BENCHMON_HOME", dir.resolve("other-home").toString()), "", "push",
                file("r.json", result("push-home", 0.7)).toString(), "--home", home.toString());
        assertThat(push.exitCode()).as(push.err()).isZero();
        assertThat(push.out()).contains("pushed 1 result(s) to the embedded database in " + home.toAbsolutePath());
        Run read = run("export", "history", "--home", home.toString());
        assertThat(read.exitCode()).as(read.err()).isZero();
        assertThat(read.out()).contains("push-home");
        assertThat(stored("push-home")).as("nothing reached the server").isZero();
        assertThat(dir.resolve("other-home")).as("BENCHMON_HOME gives way to --home").doesNotExist();
    }

    @Test
    void pushWithHomeRefusesAServerOrATokenAsWithDb() throws IOException {
        String results = file("r.json", result("push-home-refused", 0.5)).toString();
        String home = dir.resolve("refused-home").toString();
        Run both = run("push", results, "--home", home, "--server", server.url());
        assertThat(both.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(both.err()).isEqualTo("error: give either --server or --db / --home, not both\n");
        Run token = run("push", results, "--home", home, "--token", "s3cret");
        assertThat(token.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(token.err()).contains("--token is for a server, but --home writes to its embedded database",
                "drop --token, or push to a server with --server URL instead of --home").doesNotContain("s3cret");
        assertThat(dir.resolve("refused-home")).as("nothing was created").doesNotExist();
        assertThat(stored("push-home-refused")).isZero();
    }

    @Test
    void aTokenWithHomeIsRefusedSayingBenchmonLogsInToItsEmbeddedDatabaseItself() throws IOException {
        String results = file("r.json", result("push-home-token", 0.5)).toString();

        Run token = run("push", results, "--home", dir.resolve("token-home").toString(), "--token", "abc");

        assertThat(token.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        // --home has no URL, and no login to give: the database URL's wording would send the user looking for one.
        assertThat(token.err()).contains("where no token applies (benchmon logs in to its embedded database itself)")
                .doesNotContain("URL or BENCHMON_DB_USER");
    }

    @Test
    void pushWithBothHomeAndDbIsRefusedNamingBothNotWrittenToEither() throws IOException {
        String results = file("r.json", result("push-home-and-db", 0.5)).toString();

        Run both = run("push", results, "--home", dir.resolve("both-home").toString(), "--db", server.databaseUrl());

        assertThat(both.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(both.err()).startsWith("error: give either --db or --home, not both");
        assertThat(dir.resolve("both-home")).as("nothing was created").doesNotExist();
        assertThat(stored("push-home-and-db")).isZero();
    }

    @Test
    void aChangeOfAThousandOrMoreIsWrittenInPlainGroupedDigitsNotInExponentNotation() throws IOException {
        Run r = pushDrop("push-big", 2500, 1200);

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("regressions:", "tokens 2500 -> 1200", "-1,300 (-52.0%)").doesNotContain("e+");
    }

    @Test
    void aBaselineAndCurrentOfTenThousandOrMoreAreWrittenInGroupedDigitsNotInExponentNotation() throws IOException {
        Run r = pushDrop("push-bigger", 25000, 12000);

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("tokens 25,000 -> 12,000", "-13,000 (-52.0%)").doesNotContain("e+");
    }

    /** Five runs of tokens at {@code level}, higher is better, then one at {@code dropped}, pushed in one request. */
    private Run pushDrop(String model, double level, double dropped) throws IOException {
        Instant t = Instant.now().minus(5, ChronoUnit.DAYS);
        StringBuilder sb = new StringBuilder("{\"results\": [");
        double[] values = {level, level, level, level, level, dropped};
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"model_version\":\"").append(model)
                    .append("\",\"dataset_version\":\"d\",\"run_at\":\"")
                    .append(t.plus(i, ChronoUnit.HOURS)).append("\",\"metrics\":{\"tokens\":").append(values[i]).append("}}");
        }
        sb.append("], \"metric_definitions\": {\"tokens\": {\"direction\": \"higher_is_better\"}}}");
        return run("push", file(model + ".json", sb.toString()).toString(), "--server", server.url());
    }

    @Test
    void aKeyGivenTwiceIsRefusedNamingTheResultAndThePathInItAsOtherFieldErrorsAre() throws IOException {
        Path one = file("dup.json", "{\"model_version\":\"push-twice\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5,\"f1\":0.6}}");
        Path wrapped = file("dups.json", "{\"results\": [" + result("push-twice", 0.5) + ",\n{\"model_version\":\"push-twice\","
                + "\"dataset_version\":\"d\",\"tags\":{\"gpu\":\"a\",\"gpu\":\"b\"},\"metrics\":{\"f1\":0.5}}]}");

        Run single = run("push", one.toString(), "--server", server.url());
        Run second = run("push", wrapped.toString(), "--server", server.url());

        assertThat(single.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(single.err()).contains("dup.json: result 1, results[0].metrics.f1: is given twice in one JSON object (line 1, column");
        assertThat(second.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(second.err()).contains("dups.json: result 2, results[1].tags.gpu: is given twice in one JSON object (line 2, column");
        assertThat(stored("push-twice")).isZero();
    }
}
