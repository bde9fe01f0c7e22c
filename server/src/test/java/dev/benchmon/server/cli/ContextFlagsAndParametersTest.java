package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's CI context given to {@code benchmon push} as flags ({@code --branch}) and to {@code POST /api/v1/results} as
 * query parameters ({@code ?branch=}) goes through one set of rules: the same value is refused by both, each naming
 * what the user typed, and the same values are stored alike, with the same precedence (given > the file's > push's CI
 * defaults). Real server on loopback, push run in-process.
 */
class ContextFlagsAndParametersTest {
    @SharedServer
    private static TestServer server;

    private static String result(String model, String extra) {
        return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\"" + extra + ",\"metrics\":{\"f1\":0.5}}";
    }

    private static String query(Map<String, String> params) {
        StringBuilder q = new StringBuilder();
        params.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return q.toString();
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return ResultJson.mapper().readTree(r.body());
    }

    private static JsonNode row(String model) throws IOException {
        return json(server.get("/api/v1/history?model=" + model)).path("rows").path(0);
    }

    /** The message push gives after {@code invalid --option: }, on the line that names the option. */
    private static String pushRefusal(PushCommandTest.Run r, String option) {
        String prefix = "invalid " + option + ": ";
        return r.err().lines().filter(l -> l.contains(prefix)).findFirst()
                .map(l -> l.substring(l.indexOf(prefix) + prefix.length()))
                .orElseThrow(() -> new AssertionError("no '" + prefix + "' in: " + r.err()));
    }

    @ParameterizedTest(name = "{1} = ''{2}''")
    @CsvSource(delimiter = '|', value = {
            "branch       | --branch       | ' '",
            "branch       | --branch       | 'main\u0001'",
            "run_id       | --run-id       | '  '",
            "environment  | --environment  | 'ci\u200B'",
            "triggered_by | --triggered-by | 'ana\n'"})
    void theSameBadValueIsRefusedByPushNamingTheFlagAndByTheApiNamingTheParameter(String field, String option,
                                                                                   String value) throws IOException {
        String model = "ctx-bad-" + field;

        PushCommandTest.Run pushed = run(Map.of(), result(model, ""), "push", "-", "--server", server.url(), option, value);
        HttpResponse<String> posted = server.postJson("/api/v1/results" + query(Map.of(field, value)), result(model, ""));

        assertThat(pushed.exitCode()).as(pushed.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(400);
        JsonNode detail = json(posted).path("details").get(0);
        assertThat(json(posted).path("details")).as(posted.body()).hasSize(1);
        assertThat(detail.path("field").asText()).isEqualTo(field);
        assertThat(pushRefusal(pushed, option)).as("push and the API say the same of the value")
                .isEqualTo(detail.path("message").asText()).isNotBlank();
        assertThat(row(model).isMissingNode()).as("nothing stored").isTrue();
    }

    @Test
    void everyBadFlagIsNamedAsTheApiNamesEveryBadParameter() throws IOException {
        PushCommandTest.Run pushed = run(Map.of(), result("ctx-two-bad", ""), "push", "-", "--server", server.url(),
                "--branch", " ", "--run-id", " ");
        HttpResponse<String> posted = server.postJson("/api/v1/results?branch=%20&run_id=%20", result("ctx-two-bad", ""));

        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(400);
        assertThat(json(posted).path("details")).extracting(d -> d.path("field").asText())
                .containsExactlyInAnyOrder("branch", "run_id");
        assertThat(pushed.exitCode()).as(pushed.err()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(pushed.err()).contains("--branch: must not be blank", "--run-id: must not be blank");
    }

    @Test
    void goodValuesAreStoredTheSameByPushAndByTheApiWithTheSamePrecedence() throws IOException {
        Map<String, String> given = new java.util.LinkedHashMap<>();
        given.put("environment", "ci-gpu");
        given.put("branch", "feature/ü#12");
        given.put("run_id", "4711");
        given.put("triggered_by", "dependabot[bot]");
        // commit_sha is not given: the file's wins over push's GITHUB_SHA default (the API has no defaults).
        String file = ",\"commit_sha\":\"from-file\",\"branch\":\"file-branch\",\"environment\":\"local\"";
        Map<String, String> ci = Map.of("CI", "true", "GITHUB_SHA", "from-env", "GITHUB_REF_NAME", "env-branch",
                "GITHUB_RUN_ID", "1", "GITHUB_ACTOR", "env-actor");

        PushCommandTest.Run pushed = run(ci, result("ctx-good-push", file), "push", "-", "--server", server.url(),
                "--environment", given.get("environment"), "--branch", given.get("branch"), "--run-id",
                given.get("run_id"), "--triggered-by", given.get("triggered_by"));
        HttpResponse<String> posted = server.postJson("/api/v1/results" + query(given), result("ctx-good-api", file));

        assertThat(pushed.exitCode()).as(pushed.err()).isZero();
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        JsonNode byPush = row("ctx-good-push");
        JsonNode byApi = row("ctx-good-api");
        for (String field : List.of("environment", "commit_sha", "branch", "run_id", "triggered_by")) {
            assertThat(byPush.path(field)).as(field).isEqualTo(byApi.path(field));
        }
        assertThat(byPush.path("branch").asText()).isEqualTo("feature/ü#12");
        assertThat(byPush.path("commit_sha").asText()).isEqualTo("from-file");
        assertThat(byPush.path("environment").asText()).isEqualTo("ci-gpu");
    }
}
