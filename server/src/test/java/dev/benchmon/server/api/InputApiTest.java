package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.LongTestIds;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static dev.benchmon.server.api.ResultsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The API with input as ML tools write it, and every unknown name a 404 listing the known ones. */
class InputApiTest {
    @SharedServer
    private static TestServer server;

    @BeforeAll
    static void seed() {
        assertThat(server.postJson("/api/v1/results", "{\"model_version\":\"lm\",\"dataset_version\":\"gsm8k\","
                + "\"environment\":\"ci\",\"run_at\":1700000000,\"tags\":{\"suite\":\"nightly\"},"
                + "\"metrics\":{\"acc,none\":0.61,\"eval/loss\":2.4,\"精度\":0.9}}").statusCode()).isEqualTo(201);
    }

    /** A status and JSON body read off the wire. */
    private record RawAnswer(int status, JsonNode body) {
    }

    /**
     * Sends {@code method target} as bytes on a socket: java.net.URI (and so HttpClient) refuses a
     * malformed percent-escape such as {@code %zz} before it could be sent, but curl or a browser sends it.
     * HTTP/1.0 so that the answer is neither chunked nor kept alive.
     */
    private static RawAnswer raw(String method, String target, String jsonBody) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + target + " HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                    + (jsonBody == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                    + "\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
            return new RawAnswer(status, ResultJson.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4)));
        }
    }

    private static long storedRows() {
        return server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions")
                .mapTo(Long.class).one());
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void a_nan_metric_is_dropped_with_a_warning_in_the_response_and_the_rest_stored() {
        HttpResponse<String> r = server.postJson("/api/v1/results", "[{\"model_version\":\"nan-a\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"loss\":NaN,\"acc\":0.5}},{\"model_version\":\"nan-b\",\"dataset_version\":\"d\",\"metrics\":{\"acc\":1}}]");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.get("created").asInt()).isEqualTo(2);
        assertThat(body.at("/warnings/0/index").asInt()).isZero();
        assertThat(body.at("/warnings/0/field").asText()).isEqualTo("metrics.loss");
        assertThat(body.at("/warnings/0/code").asText()).isEqualTo("metric_value_dropped");
        assertThat(body.at("/warnings/0/message").asText()).contains("value NaN dropped");
    }

    @Test
    void a_nan_or_null_stderr_is_dropped_with_a_warning_naming_it_and_its_result_stored_with_its_value() {
        // numpy writes NaN for the standard error of one sample: the value is known, its uncertainty is not. (Metric
        // names other than acc: the unknown-metric test expects the known ones to start with acc,none.)
        HttpResponse<String> r = server.postJson("/api/v1/results", "[{\"model_version\":\"sen-api\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"score\":0.8,\"f1\":0.7},\"stderr\":{\"score\":NaN,\"f1\":null}},"
                + "{\"model_version\":\"sen-api-b\",\"dataset_version\":\"d\",\"metrics\":{\"score\":0.9}}]");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = json(r);
        assertThat(body.get("created").asInt()).isEqualTo(2);
        assertThat(body.get("warnings")).extracting(w -> w.get("index").asInt() + " " + w.get("field").asText() + ": "
                        + w.get("message").asText().replaceFirst(":.*", ""))
                .containsExactly("0 stderr.score: value NaN dropped", "0 stderr.f1: value null dropped");
        String stored = server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT coalesce(stderr::text, '') || ' '"
                + " || (metrics->>'score') FROM benchmark_transactions WHERE model_version = 'sen-api'")
                .mapTo(String.class).one());
        assertThat(stored).as("its stderr left out, its value stored").isIn(" 0.8", "{} 0.8");
    }

    @Test
    void a_negative_stderr_still_refuses_the_request() {
        long before = storedRows();
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"sen-neg\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"score\":0.8},\"stderr\":{\"score\":-0.1}}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("stderr.score");
        assertThat(storedRows()).isEqualTo(before);
    }

    @Test
    void a_misnamed_field_is_reported_with_the_required_field_it_leaves_missing() {
        long before = storedRows();
        var response = server.postJson("/api/v1/results", "{\"model\":\"m\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"f1\":0.5}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).get("details")).extracting(d -> d.get("field").asText() + ": " + d.get("message").asText())
                .anySatisfy(p -> assertThat(p).startsWith("model: unknown field (did you mean model_version or "
                        + "model_provider?) (allowed: "))
                .anySatisfy(p -> assertThat(p).isEqualTo("model_version: is required"));
        assertThat(storedRows()).isEqualTo(before);
    }

    @Test
    void a_body_that_starts_with_a_byte_order_mark_is_read_without_it() {
        var response = server.postJson("/api/v1/results", "\uFEFF{\"model_version\":\"bom-body\",\"dataset_version\":\"d\","
                + "\"metrics\":{\"acc,none\":0.9}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(server.get("/api/v1/history?model=bom-body").statusCode()).isEqualTo(200);
    }

    @Test
    void two_different_results_of_one_run_in_one_request_are_a_400_naming_both_and_store_nothing() {
        long before = storedRows();
        String run = "{\"model_version\":\"duprun-api\",\"dataset_version\":\"d\",\"run_id\":\"7\",\"metrics\":{\"f1\":%s}}";
        var response = server.postJson("/api/v1/results", "[" + String.format(run, "0.8") + "," + String.format(run, "0.6") + "]");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).at("/details/0/field").asText()).isEqualTo("run_id");
        assertThat(json(response).at("/details/0/message").asText())
                .startsWith("result 2 (results[1]) and result 1 (results[0]) are two different results of one run");
        assertThat(storedRows()).isEqualTo(before);
    }

    @Test
    void a_pytest_benchmark_test_id_longer_than_a_name_is_stored_shortened_with_a_warning() throws Exception {
        var response = server.post("/api/v1/results?format=pytest-benchmark", LongTestIds.report("long-ids-api"),
                "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(json(response).at("/results").size()).isEqualTo(2);
        assertThat(response.body()).contains(LongTestIds.ID, LongTestIds.shortened());
        assertThat(server.get("/api/v1/history?model=long-ids-api&dataset="
                + URLEncoder.encode(LongTestIds.shortened(), StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    }

    @Test
    void strict_true_refuses_the_whole_request_for_one_nan() {
        HttpResponse<String> r = server.postJson("/api/v1/results?strict=true", "[{\"model_version\":\"strict-a\","
                + "\"dataset_version\":\"d\",\"metrics\":{\"loss\":NaN,\"acc\":0.5}},{\"model_version\":\"strict-b\","
                + "\"dataset_version\":\"d\",\"metrics\":{\"acc\":1}}]");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("metrics.loss");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("strict-b");
    }

    /** An lm-evaluation-harness results file whose second task has a NaN metric. */
    private static String lmEval(String model) {
        return "{\"results\": {\"arc_easy\": {\"acc,none\": 0.65}, \"gsm8k\": {\"exact_match,strict-match\": 0.41, "
                + "\"exact_match,flexible-extract\": NaN}}, \"config\": {\"model_args\": \"pretrained=" + model + "\"}, "
                + "\"date\": 1700000000.25}";
    }

    @Test
    void strict_true_refuses_a_tool_format_for_one_nan_and_stores_nothing() throws Exception {
        var response = server.post("/api/v1/results?format=lm-eval&strict=true", lmEval("lm-strict-api"), "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).at("/details/0/field").asText()).isEqualTo("metrics.exact_match,flexible-extract");
        assertThat(json(response).at("/details/0/message").asText()).isEqualTo("must be a finite number, got NaN");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("lm-strict-api");
    }

    @Test
    void a_tool_formats_nan_is_dropped_with_the_warning_of_benchmons_own_json_naming_the_series() throws Exception {
        var response = server.post("/api/v1/results?format=lm-eval", lmEval("lm-nan-api"), "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(json(response).at("/warnings/0/field").asText()).isEqualTo("metrics.exact_match,flexible-extract");
        assertThat(json(response).at("/warnings/0/message").asText()).isEqualTo("value NaN dropped: NaN is not a finite "
                + "number; the result's other metrics are stored (push with --strict, or ?strict=true, to refuse the input "
                + "instead) [result 2, lm-nan-api / gsm8k @local]");
    }

    /** The first problem of the 400 that {@code body} posted to the results gets, after checking nothing was stored. */
    private static JsonNode refusedProblem(String body) {
        long before = storedRows();
        HttpResponse<String> r = server.postJson("/api/v1/results", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(storedRows()).isEqualTo(before);
        return json(r).at("/details/0");
    }

    @Test
    void a_whitespace_only_environment_is_a_400_not_the_default_local() {
        JsonNode problem = refusedProblem("{\"model_version\":\"blank-env\","
                + "\"dataset_version\":\"d\",\"environment\":\" \",\"metrics\":{\"f1\":0.53}}");
        assertThat(problem.path("field").asText()).isEqualTo("environment");
        assertThat(problem.path("message").asText())
                .isEqualTo("must not be blank; leave it out for the default environment, local");
    }

    @Test
    void an_empty_commit_sha_in_a_batch_is_a_400_naming_the_result_and_field_and_stores_nothing() {
        JsonNode problem = refusedProblem("{\"results\":["
                + "{\"model_version\":\"blank-sha\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}},"
                + "{\"model_version\":\"blank-sha\",\"dataset_version\":\"d2\",\"commit_sha\":\"\",\"metrics\":{\"f1\":0.5}}]}");
        assertThat(problem.path("index").asInt()).isEqualTo(1);
        assertThat(problem.path("field").asText()).isEqualTo("commit_sha");
        assertThat(problem.path("message").asText()).isEqualTo("must not be blank; omit it or give the commit");
    }

    @Test
    void a_whitespace_only_branch_is_a_400_saying_to_omit_it_and_stores_nothing() {
        JsonNode problem = refusedProblem("{\"model_version\":\"blank-branch\","
                + "\"dataset_version\":\"d\",\"branch\":\"  \",\"metrics\":{\"f1\":0.5}}");
        assertThat(problem.path("field").asText()).isEqualTo("branch");
        assertThat(problem.path("message").asText()).isEqualTo("must not be blank; omit it or give the branch");
    }

    @Test
    void a_run_at_in_epoch_seconds_far_in_the_future_is_a_400_naming_its_year_and_stores_nothing() {
        // 20146744073 s is in the year 2608; its nanoseconds overflowed a long and it was stored as 2023.
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"epoch-m\","
                + "\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5},\"run_at\":20146744073}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("run_at");
        assertThat(json(r).at("/details/0/message").asText())
                .isEqualTo("is more than a day in the future (2608-06-04T21:47:53Z); send UTC times, e.g. 2026-01-31T12:00:00Z");
        assertThat(server.get("/api/v1/meta").body()).doesNotContain("epoch-m");
    }

    @Test
    void a_run_at_with_a_lower_case_t_and_z_or_a_leap_second_is_stored_from_json_and_from_csv_alike() {
        HttpResponse<String> fromJson = server.postJson("/api/v1/results", "["
                + "{\"model_version\":\"rfc-json\",\"dataset_version\":\"lower\",\"metrics\":{\"f1\":0.5},"
                + "\"run_at\":\"2026-11-02t12:00:00z\"},"
                + "{\"model_version\":\"rfc-json\",\"dataset_version\":\"leap\",\"metrics\":{\"f1\":0.5},"
                + "\"run_at\":\"2016-12-31T23:59:60Z\"}]");
        HttpResponse<String> fromCsv = server.post("/api/v1/results", "model_version,dataset_version,run_at,f1\n"
                + "rfc-csv,lower,2026-11-02t12:00:00z,0.5\n"
                + "rfc-csv,leap,2016-12-31T23:59:60Z,0.5\n", "text/csv; charset=utf-8");

        assertThat(fromJson.statusCode()).as(fromJson.body()).isEqualTo(201);
        assertThat(fromCsv.statusCode()).as(fromCsv.body()).isEqualTo(201);
        for (String model : new String[] {"rfc-json", "rfc-csv"}) {
            assertThat(json(server.get("/api/v1/history?model=" + model + "&dataset=lower")).at("/rows/0/run_at").asText())
                    .as(model).isEqualTo("2026-11-02T12:00:00Z");
            assertThat(json(server.get("/api/v1/history?model=" + model + "&dataset=leap")).at("/rows/0/run_at").asText())
                    .as(model).isEqualTo("2016-12-31T23:59:59Z");
        }
    }

    @Test
    void the_same_result_without_identity_sent_twice_is_stored_once() {
        String body = "{\"model_version\":\"curl\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}";
        assertThat(json(server.postJson("/api/v1/results", body)).get("created").asInt()).isEqualTo(1);
        JsonNode again = json(server.postJson("/api/v1/results", body));
        assertThat(again.get("already_present").asInt()).isEqualTo(1);
        assertThat(json(server.get("/api/v1/history?model=curl")).get("row_count").asInt()).isEqualTo(1);
    }

    @Test
    void history_json_carries_metric_names_as_keys_unchanged_and_filters_find_them() {
        JsonNode h = json(server.get("/api/v1/history?model=lm&metric=" + q("acc,none") + "&metric=" + q("精度")));
        assertThat(h.at("/rows/0").has("acc,none")).isTrue();
        assertThat(h.at("/rows/0/精度").asDouble()).isEqualTo(0.9);
        assertThat(h.at("/rows/0/run_at").asText()).isEqualTo("2023-11-14T22:13:20Z");
        JsonNode s = json(server.get("/api/v1/snapshots?model=lm&metric=" + q("eval/loss")));
        assertThat(s.at("/rows/0/eval~1loss").asDouble()).isEqualTo(2.4);
    }

    @Test
    void an_unknown_metric_is_a_404_listing_the_known_ones_on_snapshots_and_history() {
        for (String path : new String[] {"/api/v1/snapshots", "/api/v1/history"}) {
            HttpResponse<String> r = server.get(path + "?metric=nonexistent_metric");
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(json(r).get("error").asText()).contains("unknown metric 'nonexistent_metric' (known: acc,none, eval/loss");
        }
    }

    @Test
    void an_unknown_reference_model_is_a_404_naming_reference() {
        HttpResponse<String> r = server.get("/api/v1/compare?model=lm&reference=nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).startsWith("unknown reference 'nope' (known: ");
    }

    /** A reference outside the models compared gave 200 with every diff null and method "none". */
    @Test
    void a_reference_not_among_the_models_compared_is_a_400_naming_reference_and_the_models() {
        for (String m : new String[] {"ref-qa-base", "ref-qa-tuned", "ref-medgemma"}) {
            assertThat(server.postJson("/api/v1/results", "{\"model_version\":\"" + m + "\",\"dataset_version\":\"d\","
                    + "\"metrics\":{\"acc,none\":0.5}}").statusCode()).isEqualTo(201);
        }
        HttpResponse<String> r = server.get("/api/v1/compare?model=ref-qa-base,ref-qa-tuned&reference=ref-medgemma");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("details").findValuesAsText("field")).containsExactly("reference");
        assertThat(json(r).at("/details/0/message").asText()).contains("'ref-medgemma' is not among the models compared",
                "[ref-qa-base, ref-qa-tuned]");

        HttpResponse<String> ok = server.get("/api/v1/compare?model=ref-qa-base,ref-qa-tuned&reference=ref-qa-tuned");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        // No models named: a reference with no results in the selection lists those that have some.
        HttpResponse<String> all = server.get("/api/v1/compare?dataset=gsm8k&reference=ref-medgemma");
        assertThat(all.statusCode()).as(all.body()).isEqualTo(400);
        assertThat(json(all).at("/details/0/message").asText()).contains("has no results in this selection", "[lm]");
        // Named among the models, but without results in the selection (another dataset): refused alike.
        HttpResponse<String> named = server.get("/api/v1/compare?model=lm,ref-qa-base&dataset=gsm8k&reference=ref-qa-base");
        assertThat(named.statusCode()).as(named.body()).isEqualTo(400);
        assertThat(json(named).at("/details/0/message").asText()).contains("has no results in this selection", "[lm]");
    }

    /** seed=1.5 was truncated to 1 by longValue(). */
    @Test
    void a_seed_resamples_or_min_slice_size_that_is_no_whole_number_is_refused_naming_it() {
        HttpResponse<String> r = server.get("/api/v1/compare?model=lm&seed=1.5&resamples=2000.5&min_slice_size=3e1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("details").findValuesAsText("field"))
                .containsExactlyInAnyOrder("seed", "resamples", "min_slice_size");
        assertThat(json(r).get("details").findValuesAsText("message")).contains("must be a whole number, got '1.5'");
        assertThat(server.get("/api/v1/compare?model=lm&seed=-7&resamples=500").statusCode()).isEqualTo(200);
    }

    /** ?sensitivity=$S with S unset in CI: refused naming each empty parameter, not run at the defaults. */
    @Test
    void an_empty_value_is_a_400_naming_each_empty_parameter() {
        HttpResponse<String> r = server.get("/api/v1/regressions?sensitivity=&min_effect=&threshold=");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).get("details").findValuesAsText("field"))
                .containsExactlyInAnyOrder("min_effect", "sensitivity", "threshold");
        assertThat(json(r).get("details").findValuesAsText("message"))
                .containsOnly("is empty: give a value, or leave the parameter out");

        HttpResponse<String> paired = server.get("/api/v1/compare?paired=");
        assertThat(paired.statusCode()).as(paired.body()).isEqualTo(400);
        assertThat(json(paired).get("details").findValuesAsText("field")).containsExactly("paired");
    }

    /** ?model=$A,$B with both unset in CI: read as no filter, the answer held every series. */
    @Test
    void a_list_parameter_of_commas_or_spaces_alone_is_a_400_naming_it_as_an_empty_one_is() {
        // (?model=%20 filtered nothing, before it was refused as names nothing.)
        for (String query : new String[] {"model=,&dataset=,,&metric=,", "model=%20&dataset=,%20&metric=%20,%20"}) {
            HttpResponse<String> r = server.get("/api/v1/history?" + query);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(json(r).get("details")).extracting(d -> d.get("field").asText() + ": " + d.get("message").asText())
                    .containsExactlyInAnyOrder("model: " + NAMES_NOTHING, "dataset: " + NAMES_NOTHING, "metric: " + NAMES_NOTHING);
        }

        HttpResponse<String> other = server.get("/api/v1/snapshots?environment=,&provider=,");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(400);
        assertThat(json(other).get("details").findValuesAsText("field")).containsExactlyInAnyOrder("environment", "provider");
    }

    private static final String NAMES_NOTHING = "names nothing (only commas or spaces): give a name, or leave the parameter out";

    @Test
    void an_empty_override_of_a_push_is_a_400_and_stores_nothing() {
        long before = storedRows();
        HttpResponse<String> r = server.postJson("/api/v1/results?model_version=", "{\"model_version\":\"empty-override\","
                + "\"dataset_version\":\"d\",\"metrics\":{\"acc\":0.5}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("model_version");
        assertThat(json(r).at("/details/0/message").asText()).startsWith("is empty");
        assertThat(storedRows()).isEqualTo(before);
    }

    @Test
    void an_empty_prompt_version_override_keeps_each_results_own_prompt_version() {
        HttpResponse<String> r = server.postJson("/api/v1/results?prompt_version=", "{\"model_version\":\"no-prompt-override\","
                + "\"dataset_version\":\"d\",\"prompt_version\":\"p1\",\"metrics\":{\"f1\":0.5}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        HttpResponse<String> h = server.get("/api/v1/history?model=no-prompt-override");
        assertThat(json(h).get("rows").findValuesAsText("prompt_version")).containsExactly("p1");
    }

    /** prompt= names the results without a prompt version, and prefix= (an empty type-ahead box) every name. */
    @Test
    void an_empty_prompt_or_prefix_keeps_its_meaning() {
        HttpResponse<String> prompt = server.get("/api/v1/history?model=lm&prompt=");
        assertThat(prompt.statusCode()).as(prompt.body()).isEqualTo(200);
        assertThat(json(prompt).get("rows").findValuesAsText("prompt_version")).isNotEmpty().containsOnly("");
        HttpResponse<String> names = server.get("/api/v1/names?kind=model&prefix=");
        assertThat(names.statusCode()).as(names.body()).isEqualTo(200);
        assertThat(names.body()).contains("\"lm\"");
    }

    /** Compare quotes a bad value as every other parameter does: control characters visible, cut to 40 characters. */
    @Test
    void a_bad_paired_value_is_quoted_visible_and_abbreviated() {
        HttpResponse<String> r = server.get("/api/v1/compare?paired=" + q("yes\u0007" + "x".repeat(60)));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("details").findValues("message")).extracting(JsonNode::asText)
                .filteredOn(m -> m.startsWith("must be true or false"))
                .containsExactly("must be true or false (true/false, 1/0, yes/no or on/off), got 'yes\\u0007" + "x".repeat(28) + "...'");
    }

    @Test
    void unknown_environments_datasets_prompts_providers_and_tags_are_404s_listing_the_known_ones() {
        assertThat(json(server.get("/api/v1/snapshots?environment=prod")).get("error").asText())
                .contains("unknown environment 'prod' (known: ");
        assertThat(server.get("/api/v1/compare?dataset=mmlu").statusCode()).isEqualTo(404);
        assertThat(server.get("/api/v1/trends?metric=" + q("acc,none") + "&prompt=p9").statusCode()).isEqualTo(404);
        assertThat(server.get("/api/v1/regressions?provider=nobody").statusCode()).isEqualTo(404);
        HttpResponse<String> tag = server.get("/api/v1/history?tag=suite%3Dweekly");
        assertThat(tag.statusCode()).isEqualTo(404);
        assertThat(json(tag).get("error").asText()).contains("unknown tag 'suite=weekly' (known: suite=nightly)");
    }

    @Test
    void a_bad_duration_is_a_400_naming_the_query_parameter() {
        HttpResponse<String> r = server.get("/api/v1/history?last=7x");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("invalid query parameter 'last': '7x' is not a duration; "
                + "use e.g. 30m, 12h, 7d, 2w or P7D");
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("last");
    }

    @Test
    void a_duration_of_too_many_days_is_a_400_saying_it_is_too_long_not_that_it_is_no_duration() {
        HttpResponse<String> r = server.get("/api/v1/history?last=99999999d");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("invalid query parameter 'last': '99999999d' is longer than "
                + "36525 days; use since/until for older results");
    }

    @Test
    void a_tag_key_given_twice_is_a_400_naming_the_key() {
        HttpResponse<String> r = server.get("/api/v1/history?tag=suite%3Dnightly&tag=suite%3Dweekly");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("tag");
        assertThat(json(r).at("/details/0/message").asText())
                .isEqualTo("tag key 'suite' is given twice (suite=nightly and suite=weekly); give each key once");
    }

    @Test
    void a_negative_baseline_transaction_names_its_parameter_and_says_nothing_about_storing() {
        HttpResponse<String> r = server.get("/api/v1/regressions?baseline_transaction=-5");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("baseline_transaction");
        assertThat(r.body()).doesNotContain("nothing was stored");
        HttpResponse<String> missing = server.get("/api/v1/regressions?baseline_transaction=999999");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing).at("/details/0/field").asText()).isEqualTo("baseline_transaction");
        assertThat(missing.body()).doesNotContain("nothing was stored");
    }

    @Test
    void min_effect_as_a_percentage_is_relative_a_number_absolute_and_anything_else_a_400_naming_it() {
        HttpResponse<String> pct = server.get("/api/v1/regressions?min_effect=2%25");
        assertThat(pct.statusCode()).isEqualTo(200);
        assertThat(json(pct).at("/options/min_effect").asText()).isEqualTo("2%");
        HttpResponse<String> abs = server.get("/api/v1/regressions?min_effect=0.5");
        assertThat(abs.statusCode()).isEqualTo(200);
        assertThat(json(abs).at("/options/min_effect").asDouble()).isEqualTo(0.5);
        for (String bad : new String[] {"abc", "-2%25", "-1", "%25"}) {
            HttpResponse<String> r = server.get("/api/v1/regressions?min_effect=" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(r).at("/details/0/field").asText()).as(bad).isEqualTo("min_effect");
        }
    }

    @Test
    void the_regressions_options_name_the_baseline_the_explanations_judge_against() {
        // Four runs of a new series: the latest is judged against the median of the three before (the fallback rule
        // of a short history), while the answer's options said "baseline": "mean".
        StringBuilder batch = new StringBuilder("[");
        double[] values = {0.80, 0.81, 0.79, 0.60};
        for (int i = 0; i < values.length; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"model_version\":\"median-m\",\"dataset_version\":\"d\",")
                    .append("\"run_at\":\"2026-01-0").append(i + 1).append("T00:00:00Z\",\"metrics\":{\"f1\":")
                    .append(values[i]).append("}}");
        }
        assertThat(server.postJson("/api/v1/results", batch + "]").statusCode()).isEqualTo(201);

        JsonNode answer = json(server.get("/api/v1/regressions?model=median-m"));
        assertThat(answer.at("/options/baseline").asText()).isEqualTo("median");
        assertThat(answer.at("/rows/0/explanation").asText()).contains("vs the median of the previous 3 runs");
    }

    @Test
    void a_drop_beyond_the_noise_that_min_effect_filters_out_is_below_min_effect_worded_as_the_toolkit_words_it() {
        // Twenty runs of f1 about 0.82 (a metric the shared database knows already), then 0.785: 4.2% worse and far
        // beyond the noise, a regression as pushed.
        double[] noise = {0, 0.006, -0.004, 0.003, -0.007, 0.002, 0.005, -0.003, -0.001, 0.004};
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i <= 20; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"model_version\":\"below-m\",\"dataset_version\":\"d\",")
                    .append("\"run_at\":\"2026-02-01T").append(String.format("%02d", i)).append(":00:00Z\",")
                    .append("\"metrics\":{\"f1\":").append(i == 20 ? 0.785 : 0.82 + noise[i % noise.length]).append("}}");
        }
        assertThat(server.postJson("/api/v1/results", batch + "]").statusCode()).isEqualTo(201);

        JsonNode own = json(server.get("/api/v1/regressions?model=below-m"));
        JsonNode given = json(server.get("/api/v1/regressions?model=below-m&min_effect=5%25"));

        assertThat(own.at("/rows/0/outcome").asText()).isEqualTo("regression");
        assertThat(given.at("/rows/0/outcome").asText()).isEqualTo("below_min_effect");
        assertThat(given.at("/rows/0/is_regression").asBoolean()).isFalse();
        assertThat(given.at("/rows/0/explanation").asText())
                .isEqualTo(server.benchmon().detectRegressions("below-m", 0.05).getString(0, "explanation"))
                .startsWith("beyond the noise but below the minimum effect given (5% of the baseline: ")
                .endsWith("; at the metric's own settings (as push judged it): regression");
    }

    @Test
    void the_simple_rules_parameters_are_no_options_of_the_engine_and_each_one_given_is_answered_as_a_warning() {
        HttpResponse<String> r = server.get("/api/v1/regressions?threshold=0.1&absolute_threshold=2&window=10&baseline=previous");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = json(r);
        assertThat(answer.path("options").has("threshold")).isFalse();
        assertThat(answer.path("options").has("absolute_threshold")).isFalse();
        assertThat(answer.path("options").has("window")).isFalse();
        assertThat(answer.at("/options/baseline").asText()).isEqualTo("median");
        assertThat(answer.path("warnings").findValuesAsText("field"))
                .containsExactly("threshold", "absolute_threshold", "window", "baseline");
        assertThat(answer.path("warnings").findValuesAsText("message")).allSatisfy(m -> assertThat(m).startsWith("is not applied"));
        assertThat(answer.at("/warnings/0/message").asText()).contains("min_effect=5%");
        assertThat(r.headers().allValues("Warning")).hasSize(4)
                .anySatisfy(w -> assertThat(w).startsWith("299 benchmon \"threshold is not applied"));
    }

    @Test
    void regressions_without_the_simple_rules_parameters_answer_no_warnings_and_a_csv_answer_carries_them_as_headers() {
        HttpResponse<String> plain = server.get("/api/v1/regressions?only_regressions=true");
        HttpResponse<String> csv = server.get("/api/v1/regressions?format=csv&window=5");

        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
        assertThat(json(plain).path("warnings").isArray()).isTrue();
        assertThat(json(plain).path("warnings")).isEmpty();
        assertThat(plain.headers().allValues("Warning")).isEmpty();
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        assertThat(csv.headers().allValues("Warning")).singleElement()
                .satisfies(w -> assertThat(w).startsWith("299 benchmon \"window is not applied"));
    }

    @Test
    void the_baseline_the_answer_names_median_is_taken_back_without_a_warning() {
        HttpResponse<String> r = server.get("/api/v1/regressions?baseline=median");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).at("/options/baseline").asText()).isEqualTo("median");
        assertThat(json(r).path("warnings")).isEmpty();
        assertThat(r.headers().allValues("Warning")).isEmpty();
    }

    @Test
    void the_engine_refuses_a_pinned_baseline_with_a_400_naming_baseline() {
        long id = json(server.get("/api/v1/history?limit=1")).at("/rows/0/id").asLong();
        HttpResponse<String> r = server.get("/api/v1/regressions?baseline=pinned&baseline_transaction=" + id);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("baseline");
        assertThat(json(r).get("error").asText()).contains("compare");
    }

    @Test
    void a_pinned_baseline_alone_is_refused_naming_baseline_not_asking_for_its_transaction_first() {
        HttpResponse<String> r = server.get("/api/v1/regressions?baseline=pinned");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).at("/details/0/field").asText()).isEqualTo("baseline");
        assertThat(json(r).get("error").asText()).contains("paired comparison").doesNotContain("baseline_transaction");
    }

    @Test
    void a_malformed_percent_escape_in_a_parameter_name_is_a_400_naming_it_as_sent() throws IOException {
        for (String path : new String[] {"/api/v1/history", "/api/v1/alerts"}) {
            for (String name : new String[] {"%zz", "model%", "a%4"}) {
                RawAnswer r = raw("GET", path + "?" + name + "=1", null);
                assertThat(r.status()).as(path + "?" + name + ": " + r.body()).isEqualTo(400);
                assertThat(r.body().at("/details/0/field").asText()).as(name).isEqualTo(name);
                assertThat(r.body().at("/details/0/message").asText()).as(name).contains("not valid percent-encoded UTF-8");
            }
        }
    }

    @Test
    void a_push_with_a_malformed_percent_escape_in_a_parameter_name_is_a_400_and_stores_nothing() throws IOException {
        long before = storedRows();
        RawAnswer r = raw("POST", "/api/v1/results?%zz=1",
                "{\"model_version\":\"escape\",\"dataset_version\":\"d\",\"metrics\":{\"f1\":0.5}}");
        assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
        assertThat(r.body().at("/details/0/field").asText()).isEqualTo("%zz");
        assertThat(storedRows()).isEqualTo(before);
    }

    @Test
    void aToolsCsvMayBeLabelledTextCsv() throws IOException {
        String csv = java.nio.file.Files.readString(java.nio.file.Path.of("..", "toolkit", "src", "test", "resources",
                "adapters", "mlflow-metrics.csv"));
        try (TestServer own = TestServer.start()) { // its metric names would join the shared server's known ones
            HttpResponse<String> r = own.post("/api/v1/results?format=mlflow&dataset_version=csv-typed", csv, "text/csv");

            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(json(own.get("/api/v1/history?dataset=csv-typed")).path("row_count").asInt()).isEqualTo(2);
        }
    }

    /** auto tells an MLflow metric CSV from benchmon's own CSV, which a text/csv body no tool's format matches is read as. */
    @Test
    void aToolsCsvLabelledTextCsvIsRecognizedByAuto() throws IOException {
        String csv = java.nio.file.Files.readString(java.nio.file.Path.of("..", "toolkit", "src", "test", "resources",
                "adapters", "mlflow-metrics.csv"));
        try (TestServer own = TestServer.start()) {
            HttpResponse<String> r = own.post("/api/v1/results?format=auto&dataset_version=csv-auto", csv, "text/csv");

            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(json(own.get("/api/v1/history?dataset=csv-auto")).path("row_count").asInt()).isEqualTo(2);
        }
    }
    @Test
    void format_auto_on_json_no_tool_wrote_answers_that_no_format_matched_then_the_own_formats_problems() {
        long before = storedRows();

        HttpResponse<String> r = server.postJson("/api/v1/results?format=auto", "{\"foo\":1,\"bar\":[1,2]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode details = json(r).path("details");
        assertThat(details.get(0).path("field").asText()).isEqualTo("format");
        assertThat(details.get(0).path("message").asText()).isEqualTo("no tool's format matched this input (tried "
                + "google-benchmark, hf-trainer, lm-eval, mlflow, pytest-benchmark, wandb), so it was read as benchmon's "
                + "own JSON, which refuses it for the problem(s) after this one; if a tool wrote it, name its format: "
                + "format=NAME");
        assertThat(details.toString()).contains("model_version", "dataset_version");
        assertThat(storedRows()).isEqualTo(before);
    }

    @Test
    void a_5000_character_metric_name_is_refused_with_the_name_cut_in_error_and_field() {
        String name = "m".repeat(5000);

        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"long-name\","
                + "\"dataset_version\":\"d\",\"metrics\":{\"" + name + "\":0.5}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.path("details").get(0).path("field").asText()).isEqualTo("metrics." + "m".repeat(37) + "...");
        assertThat(body.path("details").get(0).path("message").asText()).isEqualTo("is 5000 characters long; at most 200");
        assertThat(body.path("error").asText()).contains("is 5000 characters long").doesNotContain("m".repeat(200));
        assertThat(r.body()).doesNotContain("m".repeat(200));
    }

    @Test
    void an_empty_metric_name_is_refused_naming_the_field_readably() {
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"empty-name\","
                + "\"dataset_version\":\"d\",\"metrics\":{\"\":0.5}}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(json(r).path("details").get(0).path("field").asText()).isEqualTo("metrics[\"\"]");
        assertThat(json(r).path("details").get(0).path("message").asText()).isEqualTo("must not be empty");
    }
}
