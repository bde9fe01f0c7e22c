package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/results and the read endpoints, over real HTTP on an open loopback server. */
class ResultsApiTest {
    @SharedServer(maxBodyBytes = 64 * 1024, maxResultsPerRequest = 50)
    private static TestServer server;

    @BeforeAll
    static void seed() {
        // A series with five steady runs and a clearly worse sixth: a real regression.
        StringBuilder batch = new StringBuilder("[");
        Instant t0 = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            batch.append(result("reg-model", "set-a", 0.90 + i * 0.001, t0.plus(i, ChronoUnit.DAYS), "seed-" + i)).append(',');
        }
        batch.append(result("steady-model", "set-a", 0.8, t0, "seed-s")).append(']');
        assertThat(server.postJson("/api/v1/results", batch.toString()).statusCode()).isEqualTo(201);
    }

    static String result(String model, String dataset, double f1, Instant runAt, String key) {
        return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"" + dataset + "\",\"environment\":\"ci\","
                + "\"metrics\":{\"f1\":" + f1 + ",\"latency_ms\":400},\"run_at\":\"" + runAt + "\","
                + "\"idempotency_key\":\"" + key + "\"}";
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return ResultJson.mapper().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static int historyRows(String model) {
        return json(server.get("/api/v1/history?model=" + model)).get("row_count").asInt();
    }

    @Test
    void aSingleResultIsStoredAndAnsweredWith201AndItsId() {
        HttpResponse<String> r = server.postJson("/api/v1/results",
                "{\"model_version\":\"single\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}");
        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.get("created").asInt()).isEqualTo(1);
        assertThat(body.at("/results/0/id").asLong()).isPositive();
        assertThat(body.at("/results/0/status").asText()).isEqualTo("created");
        assertThat(body.at("/results/0/verdict").asText()).isEqualTo("no_baseline");
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void aResentBatchCreatesNoDuplicates() {
        String batch = "{\"results\": [" + result("resend", "d", 0.7, Instant.parse("2026-01-01T00:00:00Z"), "rs-1") + ","
                + result("resend", "d", 0.71, Instant.parse("2026-01-02T00:00:00Z"), "rs-2") + "]}";
        JsonNode first = json(server.postJson("/api/v1/results", batch));
        JsonNode second = json(server.postJson("/api/v1/results", batch));
        assertThat(first.get("created").asInt()).isEqualTo(2);
        assertThat(second.get("created").asInt()).isZero();
        assertThat(second.get("already_present").asInt()).isEqualTo(2);
        assertThat(second.at("/results/0/id").asLong()).isEqualTo(first.at("/results/0/id").asLong());
        assertThat(historyRows("resend")).isEqualTo(2);
    }

    /**
     * A key re-sent with other values is a 400 naming the field, the stored result and what to do, alone (group commit)
     * or in a batch, and the batch stores nothing; the same values again, in another key order and number notation,
     * are already present.
     */
    @Test
    void aKeyReSentWithOtherValuesIsRefusedNamingTheFieldAndTheStoredResult() {
        String sent = "{\"model_version\":\"rekey\",\"dataset_version\":\"d\",\"environment\":\"ci\","
                + "\"metrics\":{\"f1\":0.1,\"acc\":0.5},\"tags\":{\"a\":\"1\",\"b\":\"2\"},\"idempotency_key\":\"rekey-1\"}";
        long id = json(server.postJson("/api/v1/results", sent)).at("/results/0/id").asLong();
        JsonNode retry = json(server.postJson("/api/v1/results", "{\"idempotency_key\":\"rekey-1\",\"tags\":{\"b\":\"2\","
                + "\"a\":\"1\"},\"metrics\":{\"acc\":0.50,\"f1\":1.0e-1},\"environment\":\"ci\",\"dataset_version\":\"d\","
                + "\"model_version\":\"rekey\"}"));
        assertThat(retry.at("/results/0/status").asText()).isEqualTo("already_present");

        HttpResponse<String> alone = server.postJson("/api/v1/results", sent.replace("0.1,", "0.2,"));
        assertThat(alone.statusCode()).as(alone.body()).isEqualTo(400);
        assertThat(json(alone).at("/details/0/field").asText()).isEqualTo("metrics");
        assertThat(json(alone).at("/details/0/message").asText()).contains("result id " + id + " (rekey / d @ci)",
                "other metrics than sent", "another idempotency_key");

        String batch = "[" + result("rekey-new", "d", 0.5, Instant.parse("2026-03-01T00:00:00Z"), "rekey-2") + ","
                + sent.replace("\"ci\"", "\"prod\"") + "]";
        HttpResponse<String> both = server.postJson("/api/v1/results", batch);
        assertThat(both.statusCode()).as(both.body()).isEqualTo(400);
        assertThat(json(both).at("/details/0/index").asInt()).isEqualTo(1);
        assertThat(json(both).at("/details/0/field").asText()).isEqualTo("environment");
        int stored = server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions "
                + "WHERE model_version LIKE 'rekey%'").mapTo(Integer.class).one());
        assertThat(stored).isEqualTo(1);
    }

    /** Both results are named, before anything is written: no result id (a rolled-back write's) is named. */
    @Test
    void twoResultsOfOneRequestSharingAKeyWithDifferentMetricsAreRefusedNamingBothAndNothingIsStored() {
        HttpResponse<String> r = server.postJson("/api/v1/results", "[{\"model_version\":\"samekey\",\"dataset_version\":"
                + "\"d1\",\"metrics\":{\"f1\":0.7},\"idempotency_key\":\"k-2\"},{\"model_version\":\"samekey\","
                + "\"dataset_version\":\"d1\",\"metrics\":{\"f1\":0.8},\"idempotency_key\":\"k-2\"}]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/index").asInt()).isEqualTo(1);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("idempotency_key");
        assertThat(json(r).at("/details/0/message").asText())
                .startsWith("result 1 (results[0]) and result 2 (results[1]) share idempotency_key 'k-2' with different metrics")
                .doesNotContain("already stored");
        assertThat(server.get("/api/v1/history?model=samekey").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void twoIdenticalResultsOfOneRequestSharingAKeyAreStoredOnce() {
        String one = "{\"model_version\":\"samekey-twice\",\"dataset_version\":\"d1\",\"metrics\":{\"f1\":0.7},"
                + "\"idempotency_key\":\"k-3\"}";
        HttpResponse<String> r = server.postJson("/api/v1/results", "[" + one + "," + one + "]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).get("created").asInt()).isEqualTo(1);
        assertThat(json(r).at("/results/1/id").asLong()).isEqualTo(json(r).at("/results/0/id").asLong());
        assertThat(historyRows("samekey-twice")).isEqualTo(1);
    }

    /** A tag value is text, as run_id is: 1e3 was stored as '1000.0', a value no one wrote and no filter finds. */
    @Test
    void aTagValueThatIsNotAStringIsRefusedNamingItAsWrittenAndNothingIsStored() {
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"numeric-tags\",\"dataset_version\":"
                + "\"d1\",\"metrics\":{\"f1\":0.7},\"tags\":{\"a\":1.50,\"b\":1e3,\"d\":true,\"e\":\"text\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("details").findValuesAsText("message")).containsExactlyInAnyOrder(
                "must be a string, got a number; write \"1.50\" in quotes",
                "must be a string, got a number; write \"1e3\" in quotes",
                "must be a string, got a boolean; write \"true\" in quotes");
        assertThat(json(r).get("details").findValuesAsText("field")).containsExactlyInAnyOrder("tags.a", "tags.b", "tags.d");
        assertThat(server.get("/api/v1/history?model=numeric-tags").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void twoRunsOfANewSeriesInOneBatchAreNeitherLate() {
        String batch = "[" + result("batch-pair", "d", 0.70, Instant.parse("2026-02-01T00:00:00Z"), "bp-1") + ","
                + result("batch-pair", "d", 0.71, Instant.parse("2026-02-02T00:00:00Z"), "bp-2") + "]";
        JsonNode answer = json(server.postJson("/api/v1/results", batch));
        assertThat(answer.get("created").asInt()).isEqualTo(2);
        assertThat(answer.get("results").findValues("late")).extracting(JsonNode::asBoolean).containsExactly(false, false);
    }

    @Test
    void runsOfOneBatchListedNewestFirstAreNeitherLate() {
        // The newer run is stored first (the smaller id): it came with the older one, so the older is no late arrival.
        String batch = "[" + result("batch-reversed", "d", 0.71, Instant.parse("2026-02-02T00:00:00Z"), "br-2") + ","
                + result("batch-reversed", "d", 0.70, Instant.parse("2026-02-01T00:00:00Z"), "br-1") + "]";
        JsonNode answer = json(server.postJson("/api/v1/results", batch));
        assertThat(answer.get("created").asInt()).isEqualTo(2);
        assertThat(answer.get("results").findValues("late")).extracting(JsonNode::asBoolean).containsExactly(false, false);
    }

    @Test
    void aResultSentAgainAfterNewerRunsWereStoredIsAlreadyPresentAndNotLate() {
        String older = result("resent-late", "d", 0.70, Instant.parse("2026-03-01T00:00:00Z"), "rl-1");
        assertThat(server.postJson("/api/v1/results", older).statusCode()).isEqualTo(201);
        assertThat(server.postJson("/api/v1/results",
                result("resent-late", "d", 0.71, Instant.parse("2026-03-02T00:00:00Z"), "rl-2")).statusCode()).isEqualTo(201);

        JsonNode again = json(server.postJson("/api/v1/results", older)).at("/results/0");
        assertThat(again.get("status").asText()).isEqualTo("already_present");
        assertThat(again.get("late").asBoolean()).isFalse();
    }

    @Test
    void aRunOlderThanOneAlreadyStoredIsLateEvenWhenItComesWithANewerRun() {
        assertThat(server.postJson("/api/v1/results",
                result("backfill", "d", 0.70, Instant.parse("2026-04-01T00:00:00Z"), "bf-1")).statusCode()).isEqualTo(201);
        assertThat(server.postJson("/api/v1/results",
                result("backfill", "d", 0.71, Instant.parse("2026-04-03T00:00:00Z"), "bf-3")).statusCode()).isEqualTo(201);

        String batch = "[" + result("backfill", "d", 0.70, Instant.parse("2026-04-02T00:00:00Z"), "bf-2") + ","
                + result("backfill", "d", 0.72, Instant.parse("2026-04-04T00:00:00Z"), "bf-4") + "]";
        JsonNode answer = json(server.postJson("/api/v1/results", batch));
        assertThat(answer.get("created").asInt()).isEqualTo(2);
        assertThat(answer.at("/results/0/late").asBoolean()).as("older than the stored run of 04-03").isTrue();
        assertThat(answer.at("/results/1/late").asBoolean()).as("the series' newest run").isFalse();
    }

    @Test
    void aRunOlderThanAStoredRunOfOtherMetricsIsLate() {
        assertThat(server.postJson("/api/v1/results", "{\"model_version\":\"split-metrics\",\"dataset_version\":\"d\","
                + "\"environment\":\"ci\",\"metrics\":{\"latency_ms\":400},\"run_at\":\"2026-05-03T00:00:00Z\"}").statusCode())
                .isEqualTo(201);

        JsonNode answer = json(server.postJson("/api/v1/results", "{\"model_version\":\"split-metrics\",\"dataset_version\":\"d\","
                + "\"environment\":\"ci\",\"metrics\":{\"f1\":0.7},\"run_at\":\"2026-05-01T00:00:00Z\"}"));

        assertThat(answer.at("/results/0/late").asBoolean()).as("a newer run of the series was stored before it").isTrue();
    }

    @Test
    void aKeyGivenTwiceIsRefusedNamingTheResultAndThePathInItAsOtherFieldErrorsAre() {
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"results\": [{\"model_version\":\"dup-ok\","
                + "\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}, {\"model_version\":\"dup-key\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"f1\":0.5,\"f1\":0.6}}]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/index").asInt()).isEqualTo(1);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("metrics.f1");
        assertThat(json(r).at("/details/0/message").asText()).startsWith("is given twice in one JSON object (line 1, column");
        assertThat(server.get("/api/v1/history?model=dup-ok,dup-key&format=csv").body().lines().count())
                .as("nothing stored: the header only").isEqualTo(1);
    }

    @Test
    void aMetricValueTooLargeToAddUpIsRefusedNamingItAndTheSeriesKeepsTakingResults() {
        HttpResponse<String> huge = server.postJson("/api/v1/results",
                "{\"model_version\":\"huge\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1e308}}");

        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(400);
        assertThat(json(huge).at("/details/0/field").asText()).isEqualTo("metrics.f1");
        assertThat(json(huge).at("/details/0/message").asText()).startsWith("must be at most 1e100 in magnitude");
        HttpResponse<String> next = server.postJson("/api/v1/results",
                "{\"model_version\":\"huge\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.9}}");
        assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
        assertThat(server.get("/api/v1/trends?model=huge&metric=f1").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aMetricBeyondDoubleRangeIsRefusedAsTooLargeNamingTheValueAsWritten(boolean strict) {
        HttpResponse<String> huge = server.postJson("/api/v1/results" + (strict ? "?strict=true" : ""),
                "{\"model_version\":\"beyond-double\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":1e400,\"a\":1}}");

        assertThat(huge.statusCode()).as(huge.body()).isEqualTo(400);
        assertThat(json(huge).at("/details/0/field").asText()).isEqualTo("metrics.f1");
        assertThat(json(huge).at("/details/0/message").asText()).startsWith("must be at most 1e100 in magnitude, got 1e400");
        assertThat(huge.body()).doesNotContain("Infinity");
        assertThat(server.get("/api/v1/history?model=beyond-double").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aMetricWrittenAsAPercentageIsA400NamingTheFieldStrictOrNot(boolean strict) {
        HttpResponse<String> r = server.postJson("/api/v1/results" + (strict ? "?strict=true" : ""),
                "{\"model_version\":\"percent-text\",\"dataset_version\":\"d\",\"metrics\":{\"accuracy\":\"76.5 %\",\"f1\":0.8}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("metrics.accuracy");
        assertThat(json(r).at("/details/0/message").asText()).startsWith("must be a number, got the percentage "
                + "\"76.5 %\": write it in the scale the metric's other results use, 0.765 as a fraction or 76.5 in percent");
        assertThat(server.get("/api/v1/history?model=percent-text").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void aTruncatedBodyEndedByALineBreakIsPlacedWhereItsContentEndsNotOnTheLineAfter() {
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"m\",\"metrics\":{\"f1\":1}\n\n");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/details/0/message").asText()).isEqualTo("is not valid JSON: the JSON ends before the "
                + "object that starts at line 1, column 1 is closed (line 1, column 40)");
    }

    @Test
    void aTruncatedOrTooDeeplyNestedBodyIsExplainedInLinesAndColumnsNotInTheParsersTerms() {
        HttpResponse<String> truncated = server.postJson("/api/v1/results", "{\"model_version\":\"m\",\"metrics\":{\"f1\":1}");
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(json(truncated).at("/details/0/message").asText())
                .contains("the JSON ends before the object that starts at line 1, column 1 is closed")
                .doesNotContain("Source", "REDACTED", "StreamReadFeature");

        HttpResponse<String> deep = server.postJson("/api/v1/results", "[".repeat(5000) + "]".repeat(5000));
        assertThat(deep.statusCode()).isEqualTo(400);
        assertThat(json(deep).at("/details/0/message").asText()).contains("nested deeper than 1000 levels")
                .doesNotContain("StreamReadConstraints");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{'model_version':'a'}   | a field name must be in double quotes, not single quotes (line 1, column 2)",
            "{\"a\":1,}              | a comma is followed by '}': JSON allows no comma after an object's last field (line 1, column 8)",
            "abc                     | 'abc' is not a JSON value: text must be in double quotes, and true, false and null in lower case (line 1, column 1)",
            "{\"a\":1}}              | '}' closes nothing: no object is open here (one '}' too many?) (line 1, column 8)",
            "{\"a\":\"x\\q\"}          | '\\q' is not a JSON escape (a backslash in a string is written \\\\; the escapes are",
            "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}} trailing"
                    + " | 'trailing' is not a JSON value: text must be in double quotes, and true, false and null in lower case (line 1, column 66)"})
    void malformedJsonIsExplainedInTheWritersTermsWithItsLineAndColumn(String body, String explained) {
        HttpResponse<String> r = server.postJson("/api/v1/results", body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("body");
        assertThat(json(r).at("/details/0/message").asText()).startsWith("is not valid JSON: " + explained)
                .doesNotContain("code 39", "Unexpected", "Unrecognized", "was expecting", "marker", "token", "NaN");
    }

    @Test
    void aMixedBatchIsRefusedWithEveryProblemAndStoresNothing() {
        String batch = "[" + result("mixed", "d", 0.7, Instant.parse("2026-01-01T00:00:00Z"), "mx-1") + ","
                + "{\"model_version\":\"mixed\",\"metrics\":{\"f1\":\"high\"}},"
                + "{\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.1},\"colour\":\"red\"}]";
        HttpResponse<String> r = server.postJson("/api/v1/results", batch);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode details = json(r).get("details");
        // "high" is dropped (not a number), leaving result 1 without metrics: refused, naming metrics.f1.
        assertThat(details.findValuesAsText("field")).contains("metrics", "dataset_version", "model_version", "colour");
        assertThat(details.findValuesAsText("message")).anyMatch(m -> m.contains("metrics.f1 \"high\""));
        assertThat(details.findValues("index")).extracting(JsonNode::asInt).contains(1, 2);
        assertThat(json(r).get("request_id").asText()).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(server.get("/api/v1/history?model=mixed").statusCode()).as("nothing stored: an unknown model").isEqualTo(404);
    }

    /** A tool's output file of the adapter tests (toolkit/src/test/resources/adapters). */
    private static String toolFile(String name) {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("..", "toolkit", "src", "test", "resources",
                    "adapters", name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aToolsFileSentAsBenchmonsOwnFormatIsRefusedNamingTheFormatParameterToUse() {
        HttpResponse<String> r = server.postJson("/api/v1/results", toolFile("lm-eval-results.json"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("details")).singleElement().satisfies(d -> {
            assertThat(d.get("field").asText()).isEqualTo("format");
            assertThat(d.get("message").asText()).contains("this looks like lm-eval output", "use format=lm-eval");
        });
    }

    @Test
    void aToolsFileSentWithAnotherToolsFormatIsRefusedNamingTheFormatParameterToUse() {
        HttpResponse<String> r = server.postJson("/api/v1/results?format=wandb&model_version=m&dataset_version=d",
                toolFile("mlflow-run.json"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("details")).singleElement().satisfies(d -> assertThat(d.get("message").asText())
                .contains("is not wandb input: format=wandb reads", "use format=mlflow or format=auto"));
    }

    @Test
    void aToolsFileSentWithItsFormatIsStoredAsPushStoresIt() {
        HttpResponse<String> r = server.postJson("/api/v1/results?format=lm-eval", toolFile("lm-eval-results.json"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).get("results")).hasSize(3);
        assertThat(json(r).get("warnings").toString()).contains("exact_match,flexible-extract");
    }

    @Test
    void aToolsFileThatNamesNoModelTakesItFromTheQuery() {
        HttpResponse<String> r = server.postJson("/api/v1/results?format=hf-trainer&model_version=api-hf"
                + "&dataset_version=mrpc", toolFile("hf-all_results.json"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(historyRows("api-hf")).isEqualTo(1);
    }

    @Test
    void aWorseLatestRunIsReportedAsARegressionInThePostAnswer() {
        HttpResponse<String> r = server.postJson("/api/v1/results",
                result("reg-model", "set-a", 0.60, Instant.now().minus(1, ChronoUnit.HOURS), "reg-latest"));
        JsonNode first = json(r).at("/results/0");
        assertThat(first.get("verdict").asText()).isEqualTo("regression");
        assertThat(first.at("/regressed_metrics/0/metric").asText()).isEqualTo("f1");
        assertThat(json(server.get("/api/v1/regressions?only_regressions=true&model=reg-model"))
                .get("regressions_found").asInt()).isGreaterThanOrEqualTo(1);
    }

    /** The verdicts are of each series' latest run: one after {@code until} is left out, as one before {@code since}. */
    @Test
    void regressionsLeaveOutASeriesWhoseLatestRunIsAfterUntil() {
        firstRunOnly();
        String day = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).toString();

        assertThat(json(server.get("/api/v1/regressions?model=first-run-model&until=" + day)).get("rows")).isEmpty();
        assertThat(json(server.get("/api/v1/regressions?model=first-run-model&until=" + Instant.now())).get("rows"))
                .isNotEmpty();
    }

    /** One run of a series of its own (re-sending it stores nothing): its verdicts are no_baseline. */
    private static void firstRunOnly() {
        assertThat(server.postJson("/api/v1/results", result("first-run-model", "set-a", 0.8,
                Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS), "first-run")).statusCode()).isEqualTo(201);
    }

    @Test
    void aFirstRunsVerdictHasNoDeltaInJson() {
        firstRunOnly();
        JsonNode rows = json(server.get("/api/v1/regressions?model=first-run-model")).get("rows");
        assertThat(rows).isNotEmpty().allSatisfy(row -> {
            assertThat(row.get("outcome").asText()).isEqualTo("no_baseline");
            assertThat(row.get("delta").isNull()).as(row.toString()).isTrue();
        });
    }

    @Test
    void aFirstRunsVerdictHasAnEmptyDeltaInCsv() {
        firstRunOnly();
        String[] lines = server.get("/api/v1/regressions?model=first-run-model&metric=f1&format=csv").body().split("\r?\n");
        java.util.List<String> header = java.util.List.of(lines[0].split(","));
        String[] cells = lines[1].split(",", -1);
        assertThat(cells[header.indexOf("outcome")]).isEqualTo("no_baseline");
        assertThat(cells[header.indexOf("delta")]).isEmpty();
        assertThat(cells[header.indexOf("baseline")]).isEmpty();
    }

    /** Five steady f1 runs of {@code model}, an hour apart from {@code daysAgo} days ago; returns the first one's time. */
    private static Instant fiveSteadyRuns(String model, int daysAgo) {
        Instant t0 = Instant.now().minus(daysAgo, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
            assertThat(server.postJson("/api/v1/results", result(model, "set-a", 0.90 + i * 0.001,
                    t0.plus(i, ChronoUnit.HOURS), model + "-" + i)).statusCode()).isEqualTo(201);
        }
        return t0;
    }

    @Test
    void aQuietRunIsAnsweredWithNoAlerts() {
        JsonNode answer = json(server.postJson("/api/v1/results",
                result("steady-model", "set-a", 0.8, Instant.now().minus(2, ChronoUnit.HOURS), "quiet-1")));
        assertThat(answer.at("/results/0/status").asText()).isEqualTo("created");
        assertThat(answer.get("alerts")).isEmpty();
    }

    @Test
    void theAnswerNamesTheAlertARegressionOpenedAndTheSameAlertWhenTheResultIsSentAgain() {
        Instant t0 = fiveSteadyRuns("alert-answer", 20);
        String regressed = result("alert-answer", "set-a", 0.60, t0.plus(5, ChronoUnit.HOURS), "alert-answer-drop");

        JsonNode opened = json(server.postJson("/api/v1/results", regressed));
        JsonNode resent = json(server.postJson("/api/v1/results", regressed));

        assertThat(opened.get("alerts")).hasSize(1);
        assertThat(opened.at("/alerts/0/metric").asText()).isEqualTo("f1");
        assertThat(resent.at("/results/0/status").asText()).isEqualTo("already_present");
        assertThat(resent.at("/alerts/0/id").asLong()).isEqualTo(opened.at("/alerts/0/id").asLong());
    }

    @Test
    void aRunThatIsStillRegressedIsAnsweredWithTheAlertItNowFollows() {
        Instant t0 = fiveSteadyRuns("alert-follow", 30);
        JsonNode opened = json(server.postJson("/api/v1/results",
                result("alert-follow", "set-a", 0.60, t0.plus(5, ChronoUnit.HOURS), "af-drop")));

        JsonNode still = json(server.postJson("/api/v1/results",
                result("alert-follow", "set-a", 0.61, t0.plus(6, ChronoUnit.HOURS), "af-still")));

        assertThat(still.at("/results/0/status").asText()).isEqualTo("created");
        assertThat(still.get("alerts")).hasSize(1);
        assertThat(still.at("/alerts/0/id").asLong()).isEqualTo(opened.at("/alerts/0/id").asLong());
    }

    @Test
    void everyRunOfADropThatPersistsIsAnsweredWithTheOpenAlertWhichFailsThePush() {
        Instant t0 = fiveSteadyRuns("alert-persist", 40);
        long id = 0;
        for (int i = 0; i < 4; i++) {
            JsonNode answer = json(server.postJson("/api/v1/results",
                    result("alert-persist", "set-a", 0.60, t0.plus(5 + i, ChronoUnit.HOURS), "ap-drop-" + i)));
            assertThat(answer.get("alerts")).as("run %d: %s", i, answer).hasSize(1);
            id = i == 0 ? answer.at("/alerts/0/id").asLong() : id;
            assertThat(answer.at("/alerts/0/id").asLong()).as("run %d", i).isEqualTo(id);
            assertThat(answer.at("/alerts/0/state").asText()).as("run %d", i).isEqualTo("open");
            assertThat(answer.at("/alerts/0/fails_push").asBoolean()).as("run %d", i).isTrue();
        }
    }

    @Test
    void anOpenAlertThatTheRequestsMinEffectDoesNotCallARegressionIsAnsweredAsNotFailingThePush() {
        Instant t0 = fiveSteadyRuns("alert-min-effect", 50);
        JsonNode opened = json(server.postJson("/api/v1/results",
                result("alert-min-effect", "set-a", 0.80, t0.plus(5, ChronoUnit.HOURS), "ame-drop")));
        assertThat(opened.at("/alerts/0/fails_push").asBoolean()).as(opened.toString()).isTrue();

        JsonNode lenient = json(server.postJson("/api/v1/results?min_effect=0.5",
                result("alert-min-effect", "set-a", 0.80, t0.plus(6, ChronoUnit.HOURS), "ame-again")));

        assertThat(lenient.at("/results/0/verdict").asText()).isEqualTo("ok");
        assertThat(lenient.at("/alerts/0/id").asLong()).isEqualTo(opened.at("/alerts/0/id").asLong());
        assertThat(lenient.at("/alerts/0/state").asText()).isEqualTo("open");
        assertThat(lenient.at("/alerts/0/fails_push").asBoolean()).isFalse();
    }

    /** The open alert of {@code model}'s f1 drop to 0.60, pushed after {@link #fiveSteadyRuns} from {@code t0}. */
    private static JsonNode openedDrop(String model, Instant t0) {
        JsonNode opened = json(server.postJson("/api/v1/results",
                result(model, "set-a", 0.60, t0.plus(5, ChronoUnit.HOURS), model + "-drop")));
        assertThat(opened.at("/alerts/0/state").asText()).as(opened.toString()).isEqualTo("open");
        return opened.at("/alerts/0");
    }

    private static String stateOf(long alertId) {
        return json(server.get("/api/v1/alerts/" + alertId)).at("/alert/state").asText();
    }

    /** The alert {@link #openedDrop} opened, and the answer to the run back at the old level an hour after the drop. */
    private record Resolving(Instant t0, long alertId, JsonNode answer) {
    }

    private static Resolving runBackAfterADrop(String model, int daysAgo) {
        Instant t0 = fiveSteadyRuns(model, daysAgo);
        long id = openedDrop(model, t0).path("id").asLong();
        return new Resolving(t0, id, json(server.postJson("/api/v1/results",
                result(model, "set-a", 0.90, t0.plus(6, ChronoUnit.HOURS), model + "-back"))));
    }

    @Test
    void aRunBackAtTheOldLevelIsAnsweredWithTheAlertItResolvedAsResolvedAndNotFailing() {
        Resolving back = runBackAfterADrop("alert-resolve-one", 60);

        assertThat(back.answer().get("alerts")).as(back.answer().toString()).singleElement().satisfies(a -> {
            assertThat(a.path("id").asLong()).isEqualTo(back.alertId());
            assertThat(a.path("state").asText()).isEqualTo("resolved");
            assertThat(a.path("fails_push").asBoolean()).isFalse();
            assertThat(a.path("resolved_now").asBoolean()).isTrue();
        });
        assertThat(stateOf(back.alertId())).isEqualTo("resolved");
    }

    @Test
    void aRunSentAgainAfterItsAlertResolvedIsAnsweredWithTheAlertAsNotResolvedByThatRequest() {
        Resolving back = runBackAfterADrop("alert-resolved-before", 80);

        // The drop's run again (already present): it raised the alert, which the answer lists, resolved before.
        JsonNode again = json(server.postJson("/api/v1/results", result("alert-resolved-before", "set-a", 0.60,
                back.t0().plus(5, ChronoUnit.HOURS), "alert-resolved-before-drop")));

        assertThat(again.get("alerts")).as(again.toString()).singleElement().satisfies(a -> {
            assertThat(a.path("id").asLong()).isEqualTo(back.alertId());
            assertThat(a.path("state").asText()).isEqualTo("resolved");
            assertThat(a.path("resolved_now").asBoolean()).isFalse();
        });
    }

    @Test
    void aBatchOfTwoRunsBackAtTheOldLevelResolvesTheOpenAlertAndIsAnsweredWithIt() {
        Instant t0 = fiveSteadyRuns("alert-resolve-two", 70);
        long id = openedDrop("alert-resolve-two", t0).path("id").asLong();

        JsonNode back = json(server.postJson("/api/v1/results", "["
                + result("alert-resolve-two", "set-a", 0.901, t0.plus(6, ChronoUnit.HOURS), "art-back-1") + ","
                + result("alert-resolve-two", "set-a", 0.899, t0.plus(7, ChronoUnit.HOURS), "art-back-2") + "]"));

        assertThat(stateOf(id)).as(back.toString()).isEqualTo("resolved");
        assertThat(back.get("alerts")).singleElement().satisfies(a -> {
            assertThat(a.path("id").asLong()).isEqualTo(id);
            assertThat(a.path("state").asText()).isEqualTo("resolved");
            assertThat(a.path("fails_push").asBoolean()).isFalse();
        });
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413() {
        String big = "[" + (result("big", "d", 0.5, Instant.parse("2026-01-01T00:00:00Z"), "x") + ",").repeat(600) + "]";
        HttpResponse<String> r = server.postJson("/api/v1/results", big);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).contains("larger than the limit");
    }

    @Test
    void everySenderOfAnOverLimitBodyReadsThe413NotAReset() {
        // Answering before the body is read used to close the connection under the sender now and then.
        String big = "[" + (result("big", "d", 0.5, Instant.parse("2026-01-01T00:00:00Z"), "x") + ",").repeat(2000) + "]";
        for (int i = 0; i < 25; i++) {
            assertThat(server.postJson("/api/v1/results", big).statusCode()).as("try %d", i).isEqualTo(413);
        }
    }

    @Test
    void aSenderThatExpectsContinueGetsThe413WithoutSendingTheBody() throws Exception {
        // What curl does for large bodies: headers first, the body only after "100 Continue".
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/v1/results HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100000000\r\nExpect: 100-continue\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("larger than the limit");
        }
    }

    @Test
    void moreResultsThanAllowedPerRequestAreRefusedWith413() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 51; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"model_version\":\"m\",\"dataset_version\":\"d\",\"metrics\":{\"f\":1}}");
        }
        HttpResponse<String> r = server.postJson("/api/v1/results", sb.append(']').toString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).contains("at most 50 results");
    }

    @Test
    void aBodyThatIsNotJsonContentIsRefusedWith415() {
        HttpResponse<String> r = server.post("/api/v1/results", "model=x", "text/plain");
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(json(r).get("error").asText()).contains("application/json", "text/csv for benchmon's CSV");
    }

    /** benchmon's own CSV, as push results.csv and import read it: a header row naming the fields, then a result a row. */
    private static final String CSV_HEADER = "model_version,dataset_version,environment,run_at,idempotency_key,tag.seed,f1,latency_ms\n";

    private static HttpResponse<String> postCsv(String path, String csv) {
        return server.post(path, csv, "text/csv; charset=utf-8");
    }

    @Test
    void aCsvBodySentAsTextCsvStoresItsRowsAndIsAnsweredAsAJsonBodyIs() {
        HttpResponse<String> r = postCsv("/api/v1/results", CSV_HEADER
                + "csv-plain,set-a,ci,2026-02-01T00:00:00Z,csv-plain-1,7,0.81,400\n"
                + "csv-plain,set-a,ci,2026-02-02T00:00:00Z,csv-plain-2,7,0.82,410\n");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.get("created").asInt()).isEqualTo(2);
        assertThat(body.at("/results/1/index").asInt()).isEqualTo(1);
        assertThat(body.at("/results/1/status").asText()).isEqualTo("created");
        assertThat(body.at("/results/0/verdict").asText()).isEqualTo("no_baseline");
        assertThat(body.get("warnings")).isEmpty();
        JsonNode stored = json(server.get("/api/v1/history?model=csv-plain"));
        assertThat(stored.get("row_count").asInt()).isEqualTo(2);
        assertThat(List.of(stored.at("/rows/0/f1").asDouble(), stored.at("/rows/1/f1").asDouble()))
                .containsExactlyInAnyOrder(0.81, 0.82);
        assertThat(stored.at("/rows/0/tags/seed").asText()).isEqualTo("7");
    }

    /**
     * Clients that labelled their JSON text/csv were read as JSON before CSV bodies were, and still are: refusing them
     * would break a CI that has pushed so for months.
     */
    @Test
    void aJsonBodyLabelledTextCsvIsStillReadAsJson() {
        HttpResponse<String> r = postCsv("/api/v1/results", " [{\"model_version\":\"csv-label-json\",\"dataset_version\":"
                + "\"set-a\",\"run_at\":\"2026-02-05T00:00:00Z\",\"metrics\":{\"f1\":0.7}}]");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).get("created").asInt()).isEqualTo(1);
    }

    /** A metric's name may start with a bracket: such a header is CSV, not JSON labelled text/csv. */
    @Test
    void aCsvWhoseFirstMetricIsNamedWithABracketIsReadAsCsv() {
        HttpResponse<String> r = postCsv("/api/v1/results", "[cls]_f1,model_version,dataset_version\n0.9,csv-bracket,set-a\n");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(server.get("/api/v1/history?model=csv-bracket")).at("/rows/0/[cls]_f1").asDouble()).isEqualTo(0.9);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{}", "[]", "{\"model_version\":\t\"m\", \"dataset_version\": \"d\"}"})
    void jsonReadAsCsvIsToldItLooksLikeJsonEvenEmptyOrHoldingATab(String body) {
        HttpResponse<String> r = server.post("/api/v1/results?format=csv", body, "application/json");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/message").asText()).startsWith("this looks like JSON");
    }

    /** A tab in one quoted name of a comma-separated header is that name's problem, not a tab-separated file. */
    @Test
    void aQuotedColumnNameHoldingATabIsNotCalledATabSeparatedFile() {
        HttpResponse<String> r = postCsv("/api/v1/results", "model_version,dataset_version,\"f\t1\"\ncsv-tab-name,set-a,0.5\n");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).doesNotContain("separated by tabs");
        assertThat(server.get("/api/v1/history?model=csv-tab-name").statusCode()).as("nothing stored").isEqualTo(404);
    }

    /** format=csv is a request to read CSV: JSON so read is refused saying how to send it, not as missing columns. */
    @Test
    void jsonReadAsCsvByFormatCsvIsA400SayingToSendItAsJson() {
        String body = "{\"model_version\":\"csv-label-json-2\",\"dataset_version\":\"set-a\",\"metrics\":{\"f1\":0.7}}";

        HttpResponse<String> r = server.post("/api/v1/results?format=csv", body, "application/json");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("format");
        assertThat(json(r).at("/details/0/message").asText()).contains("this looks like JSON (it starts with '{",
                "which was read as CSV", "Content-Type: application/json").doesNotContain("missing column");
        assertThat(server.get("/api/v1/history?model=csv-label-json-2").statusCode()).as("nothing stored").isEqualTo(404);
    }

    /** A CSV row is the result its JSON object is: the same object sent as JSON afterwards is already present. */
    @Test
    void aCsvRowIsStoredAsTheResultItsJsonObjectWouldBe() {
        JsonNode csv = json(postCsv("/api/v1/results", CSV_HEADER
                + "csv-same,set-a,ci,2026-02-03T00:00:00Z,csv-same-1,3,0.5,400\n"));

        JsonNode again = json(server.postJson("/api/v1/results", "{\"model_version\":\"csv-same\",\"dataset_version\":"
                + "\"set-a\",\"environment\":\"ci\",\"run_at\":\"2026-02-03T00:00:00Z\",\"idempotency_key\":"
                + "\"csv-same-1\",\"tags\":{\"seed\":\"3\"},\"metrics\":{\"f1\":0.5,\"latency_ms\":400}}"));
        assertThat(again.at("/results/0/status").asText()).as(again.toString()).isEqualTo("already_present");
        assertThat(again.at("/results/0/id").asLong()).isEqualTo(csv.at("/results/0/id").asLong());
    }

    @Test
    void aHistoryCsvExportPostedBackIsAlreadyPresent() {
        assertThat(server.postJson("/api/v1/results", "[" + result("csv-export", "set-a", 0.7,
                Instant.parse("2026-02-01T00:00:00Z"), "csv-export-1") + "," + "{\"model_version\":\"csv-export\","
                + "\"dataset_version\":\"set-b\",\"metrics\":{\"f1\":0.6},\"tags\":{\"k,x\":\"v w\"},"
                + "\"metadata\":{\"lr\":0.001},\"notes\":\"a, \\\"quoted\\\" note\"}]").statusCode()).isEqualTo(201);
        String export = server.get("/api/v1/history?model=csv-export&format=csv").body();

        HttpResponse<String> r = postCsv("/api/v1/results", export);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(json(r).get("created").asInt()).as(r.body()).isZero();
        assertThat(json(r).get("already_present").asInt()).isEqualTo(2);
        assertThat(historyRows("csv-export")).isEqualTo(2);
    }

    @Test
    void aBadCellInACsvIsA400NamingItsRowLineAndFieldAndStoresNothing() {
        HttpResponse<String> r = postCsv("/api/v1/results", CSV_HEADER
                + "csv-bad,set-a,ci,2026-02-01T00:00:00Z,csv-bad-1,7,0.81,400\n"
                + "csv-bad,set-a,ci,yesterday,csv-bad-2,7,0.82,410\n");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode detail = json(r).at("/details/0");
        assertThat(detail.get("index").asInt()).isEqualTo(1);
        assertThat(detail.get("field").asText()).isEqualTo("run_at");
        assertThat(detail.get("message").asText()).startsWith("line 3, column run_at: ");
        assertThat(json(r).get("error").asText()).contains("nothing was stored");
        assertThat(server.get("/api/v1/history?model=csv-bad").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void aOneRowCsvWhoseMetricIsNotANumberIsA400NamingLine2AndTheColumn() {
        HttpResponse<String> r = postCsv("/api/v1/results", "model_version,dataset_version,f1\ncsv-nan-one,set-a,abc\n");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode detail = json(r).at("/details/0");
        assertThat(detail.get("field").asText()).isEqualTo("f1");
        assertThat(detail.get("message").asText())
                .isEqualTo("line 2, column f1: \"abc\" is not a number; a result needs at least one number");
        assertThat(json(r).get("error").asText()).contains("line 2, column f1: \"abc\" is not a number")
                .doesNotContain("results[");
        assertThat(server.get("/api/v1/history?model=csv-nan-one").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void aCsvWhoseSecondRowHoldsNoNumberIsA400NamingLine3AndTheColumn() {
        HttpResponse<String> r = postCsv("/api/v1/results", "model_version,dataset_version,f1\ncsv-nan-two,set-a,0.5\n"
                + "csv-nan-two,set-a,abc\n");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode detail = json(r).at("/details/0");
        assertThat(detail.get("index").asInt()).isEqualTo(1);
        assertThat(detail.get("field").asText()).isEqualTo("f1");
        assertThat(detail.get("message").asText()).startsWith("line 3, column f1: \"abc\" is not a number");
        assertThat(server.get("/api/v1/history?model=csv-nan-two").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void aCsvRowWithAnEmptyRequiredCellIsA400NamingItsLineAndColumn() {
        HttpResponse<String> r = postCsv("/api/v1/results", "model_version,dataset_version,f1\ncsv-no-dataset,,0.5\n");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode detail = json(r).at("/details/0");
        assertThat(detail.get("field").asText()).isEqualTo("dataset_version");
        assertThat(detail.get("message").asText()).isEqualTo("line 2, column dataset_version: is required");
        assertThat(server.get("/api/v1/history?model=csv-no-dataset").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void aCsvHeaderWithoutModelVersionIsA400NamingTheColumnsAndTheParameters() {
        HttpResponse<String> r = postCsv("/api/v1/results", "model,dataset_version,f1\ncsv-nomodel,set-a,0.5\n");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("header");
        assertThat(json(r).at("/details/0/message").asText()).contains("missing column model_version",
                "the model_version and dataset_version parameters", "rename 'model' to model_version")
                .doesNotContain("--model-version");
    }

    @Test
    void formatCsvReadsTheBodyAsBenchmonsCsvWhateverItsContentType() {
        HttpResponse<String> r = server.post("/api/v1/results?format=csv", CSV_HEADER
                + "csv-format,set-a,ci,2026-02-01T00:00:00Z,csv-format-1,7,0.81,400\n", "application/json");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(historyRows("csv-format")).isEqualTo(1);
    }

    @Test
    void formatAutoReadsATextCsvBodyNoToolsFormatRecognizesAsBenchmonsCsv() {
        HttpResponse<String> r = postCsv("/api/v1/results?format=auto", CSV_HEADER
                + "csv-auto,set-a,ci,2026-02-01T00:00:00Z,csv-auto-1,7,0.81,400\n");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(historyRows("csv-auto")).isEqualTo(1);
    }

    @Test
    void aCsvSentAsJsonIsA400SayingToSendItAsTextCsv() {
        HttpResponse<String> r = server.postJson("/api/v1/results", CSV_HEADER
                + "csv-as-json,set-a,ci,2026-02-01T00:00:00Z,csv-as-json-1,7,0.81,400\n");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("format");
        assertThat(json(r).at("/details/0/message").asText()).contains("this looks like CSV", "Content-Type: text/csv");
        assertThat(server.get("/api/v1/history?model=csv-as-json").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void aCsvOfMoreRowsThanTheLimitIsA413AndStoresNothing() {
        StringBuilder csv = new StringBuilder(CSV_HEADER);
        for (int i = 0; i < 51; i++) {
            csv.append("csv-many,set-a,ci,2026-02-01T00:00:00Z,csv-many-").append(i).append(",7,0.5,400\n");
        }
        HttpResponse<String> r = postCsv("/api/v1/results", csv.toString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).contains("at most 50 results, got 51");
        assertThat(server.get("/api/v1/history?model=csv-many").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void anUnknownFormatIsRefusedListingCsvAmongTheFormats() {
        HttpResponse<String> r = postCsv("/api/v1/results?format=csvv", CSV_HEADER);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("format");
        assertThat(json(r).at("/details/0/message").asText()).contains("unknown format 'csvv'", "json, csv, ");
    }

    @Test
    void malformedJsonIsRefusedWith400NamingTheBody() {
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\": ");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("body");
    }

    @Test
    void jsonLinesAreAccepted() {
        String lines = result("jsonl", "d", 0.5, Instant.parse("2026-01-01T00:00:00Z"), "jl-1") + "\n"
                + result("jsonl", "d", 0.6, Instant.parse("2026-01-02T00:00:00Z"), "jl-2") + "\n";
        assertThat(server.post("/api/v1/results", lines, "application/x-ndjson").statusCode()).isEqualTo(201);
        assertThat(historyRows("jsonl")).isEqualTo(2);
    }

    @Test
    void snapshotsAnswerJsonWithOneRowPerSeries() {
        JsonNode body = json(server.get("/api/v1/snapshots?model=steady-model"));
        assertThat(body.get("row_count").asInt()).isEqualTo(1);
        assertThat(body.at("/rows/0/f1").asDouble()).isEqualTo(0.8);
    }

    @Test
    void formatCsvAnswersCsvWithAHeaderRow() {
        HttpResponse<String> r = server.get("/api/v1/snapshots?model=steady-model&format=csv");
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(r.body().lines().findFirst().orElse("")).contains("model_version", "f1");
        assertThat(r.body()).contains("steady-model");
    }

    @Test
    void csvGuardsTextCellsThatASpreadsheetWouldRunButLeavesNegativeNumbersAlone() {
        String body = "{\"model_version\":\"=HYPERLINK(1)\",\"dataset_version\":\"-set\",\"environment\":\"@env\","
                + "\"metrics\":{\"delta\":-0.5},\"idempotency_key\":\"csv-guard\"}";
        assertThat(server.postJson("/api/v1/results", body).statusCode()).isEqualTo(201);

        String csv = server.get("/api/v1/history?model=%3DHYPERLINK(1)&format=csv").body();
        String row = csv.lines().skip(1).findFirst().orElseThrow();
        assertThat(row).contains("'=HYPERLINK(1)", "'-set", "'@env").contains(",-0.5").doesNotContain("'-0.5");
    }

    @Test
    void aWriteTheDatabaseRefusesAnswers500NamingItWithoutRetryAfter() {
        try (TestServer readOnly = TestServer.readOnly()) {
            HttpResponse<String> r = readOnly.postJson("/api/v1/results", result("denied", "set-a", 0.5, Instant.now(), "k"));

            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.headers().firstValue("Retry-After")).isEmpty();
            JsonNode body = json(r);
            assertThat(body.get("error").asText()).contains("could not record 1 result(s)", "permission denied");
            assertThat(body.at("/details/0/field").asText()).isEqualTo("sqlstate");
            assertThat(body.at("/details/0/message").asText()).isEqualTo("42501");
            assertThat(r.body()).doesNotContain("\tat ", "Exception");
        }
    }

    @Test
    void definitionsAPushStatesDefineNewMetricsAndKeepTheOnesSomeoneMade() {
        try (TestServer fresh = TestServer.start()) {
            fresh.benchmon().defineMetric("ops", dev.benchmon.MetricDirection.LOWER_IS_BETTER, "ops/s", "mine");
            String push = "{\"metric_definitions\":{\"ops\":{\"direction\":\"higher_is_better\"},"
                    + "\"tokens\":{\"direction\":\"none\",\"unit\":\"tokens\"}},\"results\":[{\"model_version\":\"m\","
                    + "\"dataset_version\":\"d\",\"metrics\":{\"ops\":12,\"tokens\":300}}]}";

            assertThat(fresh.postJson("/api/v1/results", push).statusCode()).isEqualTo(201);

            JsonNode ops = json(fresh.get("/api/v1/metrics/ops"));
            assertThat(ops.get("direction").asText()).isEqualTo("lower_is_better");
            assertThat(ops.get("unit").asText()).isEqualTo("ops/s");
            assertThat(ops.get("description").asText()).isEqualTo("mine");
            assertThat(json(fresh.get("/api/v1/metrics/tokens")).get("direction").asText()).isEqualTo("none");
        }
    }

    @Test
    void metricDefinitionsSentWithAPushTheDatabaseRefusesAreNotStored() {
        try (TestServer fresh = TestServer.start()) {
            String declared = "{\"metric_definitions\":{\"f1\":{\"direction\":\"higher_is_better\",\"unit\":\"ratio\"}},"
                    + "\"results\":[" + result("def-model", "set-a", 0.9, Instant.now().minus(1, ChronoUnit.DAYS), "def-0") + "]}";
            assertThat(fresh.postJson("/api/v1/results", declared).statusCode()).isEqualTo(201);
            // One result in each of 121 months the log does not hold yet: valid results, but the database creates
            // at most 120 months per write and refuses the push.
            StringBuilder results = new StringBuilder();
            for (int i = 0; i < 121; i++) {
                results.append(i == 0 ? "" : ",").append(result("span-model", "set-a", 0.5,
                        java.time.LocalDate.of(1990, 1, 15).plusMonths(i).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                        "span-" + i));
            }

            HttpResponse<String> r = fresh.postJson("/api/v1/results", "{\"metric_definitions\":{\"f1\":"
                    + "{\"direction\":\"lower_is_better\"}},\"results\":[" + results + "]}");

            assertThat(r.statusCode()).as(r.body()).isGreaterThanOrEqualTo(400);
            assertThat(r.body()).contains("121 months");
            JsonNode f1 = json(fresh.get("/api/v1/metrics/f1"));
            assertThat(f1.get("direction").asText()).isEqualTo("higher_is_better");
            assertThat(f1.get("unit").asText()).isEqualTo("ratio");
        }
    }

    @Test
    void aPushSpanningMoreNewMonthsThanOneWriteCreatesIsRefusedWith400NamingRunAt() {
        try (TestServer fresh = TestServer.start()) {
            StringBuilder results = new StringBuilder();
            for (int i = 0; i < 121; i++) {
                results.append(i == 0 ? "" : ",").append(result("decade-model", "set-a", 0.5,
                        java.time.LocalDate.of(1990, 1, 15).plusMonths(i).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
                        "decade-" + i));
            }

            HttpResponse<String> r = fresh.postJson("/api/v1/results", "[" + results + "]");

            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Retry-After")).isEmpty();
            JsonNode body = json(r);
            assertThat(body.get("error").asText()).startsWith("invalid run_at: these results span 121 months")
                    .contains("import the history in smaller time ranges", "nothing was stored");
            assertThat(body.at("/details/0/field").asText()).isEqualTo("run_at");
            assertThat(fresh.get("/api/v1/meta").body()).doesNotContain("decade-model");
        }
    }

    @Test
    void resultsForAMonthDetachedFromTheLogAreRefusedWith409AndNoRetryAfterAloneOrInABatch() {
        try (TestServer fresh = TestServer.start()) {
            Instant may = Instant.parse("2019-05-05T00:00:00Z");
            assertThat(fresh.postJson("/api/v1/results", result("archived", "set-a", 0.5, may, "arch-0")).statusCode()).isEqualTo(201);
            fresh.benchmon().jdbi().useHandle(h -> h.execute("ALTER TABLE benchmark_log DETACH PARTITION benchmark_log_y2019m05"));

            HttpResponse<String> single = fresh.postJson("/api/v1/results",
                    result("archived", "set-a", 0.6, may.plus(1, ChronoUnit.DAYS), "arch-1"));
            HttpResponse<String> batch = fresh.postJson("/api/v1/results", "[" + result("other", "set-a", 0.6, Instant.now(), "arch-2")
                    + "," + result("archived", "set-a", 0.6, may.plus(2, ChronoUnit.DAYS), "arch-3") + "]");

            for (HttpResponse<String> r : java.util.List.of(single, batch)) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
                assertThat(r.headers().firstValue("Retry-After")).isEmpty();
                assertThat(json(r).get("error").asText()).contains("run_at: the month 2019-05-01 was detached from the log",
                        "Attach it again", "nothing was stored");
            }
            assertThat(fresh.get("/api/v1/meta").body()).doesNotContain("\"other\"");
        }
    }

    @Test
    void aResultReSentAfterItsMonthWasDetachedIsAlreadyPresentNotRefused() {
        try (TestServer fresh = TestServer.start()) {
            String stored = result("archived", "set-a", 0.5, Instant.parse("2019-06-05T00:00:00Z"), "arch-resent");
            assertThat(fresh.postJson("/api/v1/results", stored).statusCode()).isEqualTo(201);
            fresh.benchmon().jdbi().useHandle(h -> h.execute(
                    "ALTER TABLE benchmark_log DETACH PARTITION benchmark_log_y2019m06 CONCURRENTLY"));

            HttpResponse<String> again = fresh.postJson("/api/v1/results", stored);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
            assertThat(json(again).at("/results/0/status").asText()).isEqualTo("already_present");
        }
    }

    @Test
    void acceptTextCsvAnswersCsv() {
        HttpResponse<String> r = server.get("/api/v1/history?model=steady-model", "Accept", "text/csv");
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(r.body().lines().count()).isEqualTo(2);
    }

    @Test
    void trendsFollowOneMetricPerModel() {
        JsonNode body = json(server.get("/api/v1/trends?model=reg-model&metric=f1&last=30d&bucket=day"));
        assertThat(body.get("metric").asText()).isEqualTo("f1");
        assertThat(body.get("row_count").asInt()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void trendsGiveALinePerSeriesWithItsNamesNeverAModelsAverageOverDatasets() {
        // As lm-eval stores a run: one result per task (dataset_version), the same model and day.
        Instant at = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        assertThat(server.postJson("/api/v1/results", "[" + result("two-tasks", "hellaswag", 0.5732, at, "tt-h") + ","
                + result("two-tasks", "arc_easy", 0.8013, at, "tt-a") + "]").statusCode()).isEqualTo(201);

        JsonNode body = json(server.get("/api/v1/trends?model=two-tasks&metric=f1&last=30d&bucket=week"));

        List<String> columns = new java.util.ArrayList<>();
        body.get("columns").forEach(c -> columns.add(c.asText()));
        assertThat(columns).containsExactly("bucket", "model_version", "metric",
                "mean", "min", "max", "stddev", "count", "last_commit_sha", "last_run_id", "dataset_version",
                "prompt_version", "environment");
        assertThat(body.get("rows")).hasSize(2);
        assertThat(body.at("/rows/0/dataset_version").asText()).isEqualTo("arc_easy");
        assertThat(body.at("/rows/0/environment").asText()).isEqualTo("ci");
        assertThat(body.at("/rows/0/mean").asDouble()).isEqualTo(0.8013);
        assertThat(body.at("/rows/1/dataset_version").asText()).isEqualTo("hellaswag");
        assertThat(body.at("/rows/1/mean").asDouble()).isEqualTo(0.5732);
    }

    @Test
    void trendsWithoutAMetricAreRefusedNamingTheParameter() {
        HttpResponse<String> r = server.get("/api/v1/trends?model=reg-model");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("metric");
    }

    @Test
    void compareListsTheModelsSideBySide() {
        JsonNode body = json(server.get("/api/v1/compare?model=reg-model,steady-model"));
        assertThat(body.get("rows").findValuesAsText("model_version")).contains("reg-model", "steady-model");
    }

    @Test
    void metaListsTheKnownNames() {
        JsonNode body = json(server.get("/api/v1/meta"));
        assertThat(body.get("models").toString()).contains("reg-model", "steady-model");
        assertThat(body.get("environments").toString()).contains("ci");
        assertThat(body.get("metrics").toString()).contains("f1");
    }

    @Test
    void anUnknownQueryParameterIsRefusedListingTheAllowedOnes() {
        HttpResponse<String> r = server.get("/api/v1/snapshots?modle=x");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("modle");
        assertThat(json(r).at("/details/0/message").asText()).contains("model", "environment");
        // Every read endpoint: the API refuses what the dashboard's pages ignore (and name in a notice).
        for (String path : java.util.List.of("/api/v1/history?", "/api/v1/trends?metric=f1&", "/api/v1/compare?",
                "/api/v1/regressions?", "/api/v1/meta?", "/api/v1/names?kind=model&", "/api/v1/metrics/f1?",
                "/api/v1/alerts?", "/api/v1/alerts/deliveries?")) {
            HttpResponse<String> other = server.get(path + "modle=x");
            assertThat(other.statusCode()).as(path).isEqualTo(400);
            assertThat(json(other).at("/details/0/field").asText()).as(path).isEqualTo("modle");
        }
    }

    @Test
    void aBadParameterValueIsRefusedSayingWhatIsAllowed() {
        HttpResponse<String> r = server.get("/api/v1/history?limit=lots&baseline=x");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("limit", "whole number", "baseline");
    }

    /** A repeated detection setting is refused, not read as its first value, and the push stores nothing. */
    @Test
    void aPushGivingSensitivityTwiceIsRefusedNamingItAndStoresNothing() {
        HttpResponse<String> r = server.postJson("/api/v1/results?sensitivity=3&sensitivity=5",
                result("sens-twice", "d", 0.5, Instant.parse("2026-01-01T00:00:00Z"), "sens-twice-1"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("sensitivity");
        assertThat(json(r).at("/details/0/message").asText()).contains("give it once");
        int stored = server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions "
                + "WHERE model_version = 'sens-twice'").mapTo(Integer.class).one());
        assertThat(stored).isZero();
    }

    /** A bad detection setting is listed with the query's other problems, not thrown alone. */
    @Test
    void aBadSensitivityIsListedWithTheRegressionQuerysOtherProblems() {
        HttpResponse<String> r = server.get("/api/v1/regressions?sensitivity=x&threshold=-1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("details").findValuesAsText("field")).containsExactlyInAnyOrder("sensitivity", "threshold");
    }

    @Test
    void aLongBadSensitivityIsQuotedCutToFortyCharactersAsOtherBadValuesAre() {
        HttpResponse<String> r = server.get("/api/v1/regressions?sensitivity=" + "x".repeat(500));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/message").asText()).endsWith("got '" + "x".repeat(37) + "...'");
    }

    /**
     * A 5,000-character value of any parameter: each message quotes at most 40 characters of it (the summary in
     * "error" and the detail alike), never the value twice in one message, so the answer stays small.
     */
    @Test
    void aLongBadValueIsQuotedCutInEveryMessageOfTheAnswer() {
        String nines = "9".repeat(5000);
        List<String> paths = List.of("/api/v1/regressions?sensitivity=", "/api/v1/regressions?min_effect=",
                "/api/v1/regressions?threshold=-", "/api/v1/regressions?window=", "/api/v1/history?last=",
                "/api/v1/history?since=", "/api/v1/history?limit=", "/api/v1/compare?paired=", "/api/v1/history?format=",
                "/api/v1/history?model=", "/api/v1/history?tag=", "/api/v1/compare?confidence=x",
                "/api/v1/names?kind=", "/api/v1/history?" + nines.substring(2000) + "x=1&model=");
        for (String path : paths) {
            // Within Jetty's 8 KiB request line (beyond it, a 414: aTooLongUrlIsAJson414).
            HttpResponse<String> r = server.get(path + (path.length() > 1000 ? nines.substring(2000) : nines));
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            JsonNode body = json(r);
            List<String> texts = new java.util.ArrayList<>(body.get("details").findValuesAsText("message"));
            texts.addAll(body.get("details").findValuesAsText("field"));
            texts.add(body.get("error").asText());
            for (String text : texts) {
                assertThat(text).as(path).doesNotContain("9".repeat(41));
                assertThat(text.split("9{20,}", -1)).as(path + ": " + text).hasSizeLessThanOrEqualTo(2);
            }
            assertThat(r.body().length()).as(path).isLessThan(2_000);
        }
    }

    /** Jetty refuses a request line past its limit before any route runs; under /api/v1 the refusal is JSON too. */
    @Test
    void aTooLongUrlIsAJson414() {
        HttpResponse<String> r = server.get("/api/v1/history?model=" + "m".repeat(100_000));

        assertThat(r.statusCode()).isEqualTo(414);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = json(r);
        assertThat(body.get("status").asInt()).isEqualTo(414);
        assertThat(body.get("error").asText()).contains("too long");
        assertThat(body.get("details").isArray()).isTrue();
        assertThat(body.get("request_id").asText()).isNotEmpty();
        assertThat(r.body()).doesNotContain("mmmmm");
    }

    /** Jetty closes the connection after a request it could not read; the client must hear that, not find out. */
    @Test
    void theRequestAfterATooLongUrlOnTheSameClientIsAnswered() {
        for (int i = 0; i < 5; i++) {
            assertThat(server.get("/api/v1/history?model=" + "m".repeat(100_000)).statusCode()).isEqualTo(414);
            HttpResponse<String> next = server.postJson("/api/v1/results", result("after-414", "d", 0.5,
                    Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i), "after-414-" + i));
            assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
        }
    }

    @Test
    void anUnknownModelInATrendIsA404ListingTheKnownOnes() {
        HttpResponse<String> r = server.get("/api/v1/trends?model=nope&metric=f1");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).contains("nope", "reg-model");
    }

    /** A history cut at its limit looked the same as one that had no more rows. */
    @Test
    void aHistorySaysItsLimitAndWhetherItReachedIt() {
        for (int i = 0; i < 3; i++) {
            assertThat(server.postJson("/api/v1/results", "{\"model_version\": \"limited\", \"dataset_version\": \"d\", "
                    + "\"run_id\": \"lim-" + i + "\", \"metrics\": {\"acc\": 0.5" + (i == 0 ? ", \"oldest_only\": 1" : "")
                    + "}}").statusCode()).isEqualTo(201);
        }
        JsonNode cut = json(server.get("/api/v1/history?model=limited&limit=2"));
        assertThat(cut.get("rows")).hasSize(2);
        assertThat(cut.get("row_count").asInt()).isEqualTo(2);
        assertThat(cut.get("limit").asInt()).isEqualTo(2);
        assertThat(cut.get("limit_reached").asBoolean()).isTrue();
        assertThat(cut.get("rows").get(0).has("oldest_only")).as("a row left out names no column").isFalse();

        JsonNode below = json(server.get("/api/v1/history?model=limited&limit=4"));
        assertThat(below.get("rows")).hasSize(3);
        assertThat(below.get("limit_reached").asBoolean()).isFalse();
        JsonNode byDefault = json(server.get("/api/v1/history?model=limited"));
        assertThat(byDefault.get("limit").asInt()).isEqualTo(1000);
        assertThat(byDefault.get("limit_reached").asBoolean()).isFalse();
        // The CSV keeps its rows to the limit; it has no place for the fields.
        assertThat(server.get("/api/v1/history?model=limited&limit=2&format=csv").body().lines()).hasSize(3);
    }

    /** A path served for other methods answered 404 "Endpoint not found" without saying which. */
    @Test
    void aWrongMethodOnAnApiPathIsAJson405WithAnAllowHeaderNamingTheMethodsItTakes() {
        for (String method : new String[] {"GET", "PUT", "DELETE"}) {
            HttpResponse<String> r = server.request(method, "/api/v1/results");
            assertThat(r.statusCode()).as(method + " " + r.body()).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).as(method).hasValue("POST, OPTIONS");
            assertThat(json(r).get("status").asInt()).isEqualTo(405);
            assertThat(json(r).get("error").asText()).isEqualTo("method " + method + " is not allowed on /api/v1/results; "
                    + "it takes POST, OPTIONS");
            assertThat(json(r).at("/details/0/field").asText()).isEqualTo("method");
        }
        HttpResponse<String> history = server.request("DELETE", "/api/v1/history");
        assertThat(history.statusCode()).isEqualTo(405);
        assertThat(history.headers().firstValue("Allow").orElseThrow()).as("HEAD is served with every GET")
                .contains("GET, HEAD");
        assertThat(server.get("/api/v1/nothing-here").statusCode()).isEqualTo(404);
    }

    /** OPTIONS asks which methods a path takes; it answered 405 as any method the path is not served for. */
    @Test
    void optionsOnAServedPathIsA204WithAnAllowHeaderAndNoBodyAndOnAnUnknownPathA404() {
        HttpResponse<String> results = server.request("OPTIONS", "/api/v1/results");
        assertThat(results.statusCode()).as(results.body()).isEqualTo(204);
        assertThat(results.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
        assertThat(results.body()).isEmpty();

        HttpResponse<String> history = server.request("OPTIONS", "/api/v1/history");
        assertThat(history.statusCode()).isEqualTo(204);
        assertThat(history.headers().firstValue("Allow").orElseThrow()).contains("GET, HEAD").endsWith("OPTIONS");
        HttpResponse<String> page = server.request("OPTIONS", "/compare");
        assertThat(page.statusCode()).as("a dashboard page").isEqualTo(204);
        assertThat(page.headers().firstValue("Allow").orElseThrow()).startsWith("GET, HEAD");

        assertThat(server.request("OPTIONS", "/api/v1/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownRouteIsAJson404() {
        HttpResponse<String> r = server.get("/api/v1/nothing-here");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("status").asInt()).isEqualTo(404);
        assertThat(json(r).has("request_id")).isTrue();
    }

    @Test
    void healthReportsProcessAndDatabase() {
        HttpResponse<String> r = server.get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("database").asText()).isEqualTo("up");
    }

    @Test
    void metricsCountRequestsPerRouteAndResultsIngested() {
        server.get("/api/v1/meta");
        String text = server.get("/metrics").body();
        assertThat(text).contains("benchmon_http_requests_total{route=\"/api/v1/meta\",method=\"GET\",status=\"200\"}");
        assertThat(text).contains("benchmon_http_request_duration_seconds_bucket{route=\"/api/v1/results\"");
        assertThat(text).containsPattern("benchmon_results_ingested_total\\{outcome=\"created\"} [1-9]");
    }

    // A CI re-run (same run_id and series: GitHub "Re-run jobs" keeps GITHUB_RUN_ID) is a later attempt of the same run:
    // it supersedes the earlier attempt, so it is judged against the runs before its run, never against its own
    // earlier attempt, and an alert the earlier attempt raised is judged again on the re-run.

    /** Pushes one attempt of CI run {@code runId} of series {@code model} / gh-ds, as `push` does under GitHub Actions. */
    private static JsonNode pushAttempt(String model, String runId, String commit, double f1) {
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"" + model
                + "\",\"dataset_version\":\"gh-ds\",\"run_id\":\"" + runId + "\",\"commit_sha\":\"" + commit
                + "\",\"metrics\":{\"f1\":" + f1 + "}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r);
    }

    /** Four steady runs of {@code model} at f1 0.90 (runs 1-4, commits c1-c4). */
    private static void steadyHistory(String model) {
        for (int i = 1; i <= 4; i++) {
            pushAttempt(model, model + "-" + i, "c" + i, 0.90);
        }
    }

    private static String alertState(long id) {
        return json(server.get("/api/v1/alerts/" + id)).at("/alert/state").asText();
    }

    @Test
    void noPromptIsTheEmptyStringInEveryJsonAnswer() {
        // A series pushed without a prompt_version, whose last run regresses and opens an alert. The streamed answers
        // (history, snapshots, also with a metric chosen), a table's (regressions) and the alerts' all write "", as
        // the filter prompt= names it.
        steadyHistory("np-model");
        JsonNode pushed = pushAttempt("np-model", "np-model-5", "c5", 0.80);
        assertThat(pushed.path("alerts")).as(pushed.toString()).isNotEmpty();
        for (String path : java.util.List.of("/api/v1/history?model=np-model", "/api/v1/history?model=np-model&metric=f1",
                "/api/v1/snapshots?model=np-model", "/api/v1/regressions?model=np-model", "/api/v1/regressions?model=np-model&prompt=",
                "/api/v1/alerts?series_id=" + pushed.at("/alerts/0/series_id").asInt())) {
            JsonNode body = json(server.get(path));
            java.util.List<JsonNode> prompts = body.findValues("prompt_version");
            assertThat(prompts).as(path + " " + body).isNotEmpty().allMatch(p -> p.toString().equals("\"\""));
        }
        // CSV has no null: an empty cell, which import reads back as no prompt.
        assertThat(server.get("/api/v1/snapshots?model=np-model&format=csv").body().split("\n")[1])
                .startsWith("np-model,gh-ds,,");
    }

    @Test
    void regressionsCarryFullCommitShasInJsonAndCsv() {
        double[] f1 = {0.900, 0.902, 0.899, 0.901, 0.900, 0.898, 0.80};
        String[] sha = new String[f1.length];
        for (int i = 0; i < f1.length; i++) {
            sha[i] = "fedcba9876543210".repeat(2) + "0123456" + i; // 40 characters, as git writes them
            pushAttempt("sha-model", "sha-" + i, sha[i], f1[i]);
        }
        String range = sha[5] + ".." + sha[6];

        for (String judged : java.util.List.of("", "&sensitivity=4")) { // stored verdicts, and judged again
            JsonNode row = json(server.get("/api/v1/regressions?model=sha-model&metric=f1" + judged)).at("/rows/0");
            assertThat(row.path("outcome").asText()).as(row.toString()).isEqualTo("regression");
            assertThat(row.path("commit_sha").asText()).isEqualTo(sha[6]);
            assertThat(row.path("commit_range").asText()).as(judged).isEqualTo(range);
            String csv = server.get("/api/v1/regressions?model=sha-model&metric=f1&format=csv" + judged).body();
            assertThat(csv).contains("," + sha[6] + ",").contains("," + range + ",");
        }
        // The snapshot and the log, in both formats.
        for (String path : java.util.List.of("/api/v1/snapshots?model=sha-model", "/api/v1/history?model=sha-model&limit=1")) {
            assertThat(json(server.get(path)).at("/rows/0/commit_sha").asText()).as(path).isEqualTo(sha[6]);
            assertThat(server.get(path + "&format=csv").body()).as(path).contains("," + sha[6] + ",");
        }
    }

    @Test
    void aRerunOfASeriesOnlyRunIsNotJudgedAgainstItsOwnEarlierAttempt() {
        pushAttempt("gh-model", "777", "deadbeef", 0.9);

        JsonNode second = pushAttempt("gh-model", "777", "deadbeef", 0.8);

        assertThat(second.at("/results/0/verdict").asText()).as(second.toString()).isEqualTo("no_baseline");
        assertThat(second.path("alerts")).as(second.toString()).isEmpty();
    }

    @Test
    void aBadRerunOfAGoodRunIsJudgedAgainstTheRunsBeforeItsRun() {
        steadyHistory("rerun-bad");
        pushAttempt("rerun-bad", "rerun-bad-5", "c5", 0.90);

        JsonNode rerun = pushAttempt("rerun-bad", "rerun-bad-5", "c5", 0.80);

        JsonNode f1 = rerun.at("/results/0/regressed_metrics/0");
        assertThat(f1.path("metric").asText()).as(rerun.toString()).isEqualTo("f1");
        assertThat(f1.path("baseline").asDouble()).isEqualTo(0.90);
        assertThat(f1.path("text").asText()).as(f1.toString())
                .contains("previous 4 runs");
    }

    @Test
    void aGoodRerunOfARegressedRunIsOkAgainstTheRunsBeforeItsRunAndResolvesItsAlert() {
        steadyHistory("rerun-good");
        JsonNode bad = pushAttempt("rerun-good", "rerun-good-5", "c5", 0.80);
        long alert = bad.at("/alerts/0/id").asLong();
        assertThat(alertState(alert)).as(bad.toString()).isEqualTo("open");

        JsonNode rerun = pushAttempt("rerun-good", "rerun-good-5", "c5", 0.90);

        assertThat(rerun.at("/results/0/verdict").asText()).as(rerun.toString()).isEqualTo("ok");
        assertThat(rerun.at("/results/0/changes")).as("no improvement over its own bad attempt").isEmpty();
        assertThat(alertState(alert)).isEqualTo("resolved");
    }

    @Test
    void aRerunThatStillRegressesKeepsTheAlertOfItsEarlierAttemptOpenAndFails() {
        steadyHistory("rerun-still");
        long alert = pushAttempt("rerun-still", "rerun-still-5", "c5", 0.80).at("/alerts/0/id").asLong();

        JsonNode rerun = pushAttempt("rerun-still", "rerun-still-5", "c5", 0.79);

        assertThat(rerun.at("/results/0/verdict").asText()).as(rerun.toString()).isEqualTo("regression");
        assertThat(rerun.path("alerts")).extracting(a -> a.path("id").asLong()).containsExactly(alert);
        assertThat(rerun.at("/alerts/0/fails_push").asBoolean()).isTrue();
    }
}
