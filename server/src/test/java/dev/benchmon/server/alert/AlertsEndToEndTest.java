package dev.benchmon.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.alert.Links;
import dev.benchmon.alert.NotifierSettings;
import dev.benchmon.alert.Signature;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.ServerSettings;
import dev.benchmon.server.Tokens;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Alerts end to end over real HTTP: results pushed to a real server open an alert, a real webhook
 * receiver on loopback gets the signed JSON and a Slack receiver its message, and triage through the
 * API changes the state, the baseline and the verdict.
 */
class AlertsEndToEndTest {
    private static final String SECRET = "s3cret-shared";
    private static final String WRITE = "write-tok";
    private static final String READ = "read-tok";
    private static final String TRIAGE = "triage-tok";
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestServer server;
    private WebhookReceiver hook;
    private WebhookReceiver slack;
    private int hour;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private void start(int hookFailures) throws Exception {
        start(hookFailures, Duration.ZERO);
    }

    /** A server announcing to a webhook receiver (failing its first {@code hookFailures} requests) and a Slack one. */
    private void start(int hookFailures, Duration minInterval) throws Exception {
        hook = track(new WebhookReceiver(hookFailures));
        slack = track(new WebhookReceiver(0));
        NotifierSettings notifier = new NotifierSettings(hook.url("/hooks/benchmon"), SECRET, slack.url("/services/T0/B0/xyz"),
                "http://dash.example:7070/", 4, Duration.ofMillis(20), minInterval, false);
        server = track(TestServer.start(ServerSettings.defaults().withTokens(Tokens.of(WRITE, READ))
                .withAlerts(AlertSettings.none().withNotifier(notifier).withTriageToken(TRIAGE)
                        .withLinks(new Links("https://github.com/acme/models", "https://ci.example/runs/{run_id}")))));
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    /** Pushes one result of series m / d @ci with f1 = value; returns the answer. */
    private JsonNode push(double f1) throws Exception {
        return push("f1", f1);
    }

    /** Pushes one result of series m / d @ci with the one metric; returns the answer. */
    private JsonNode push(String metric, double value) throws Exception {
        return push(metric, value, true);
    }

    /** As {@link #push(String, double)}, of a run with commit {@code c<hour>} or, unless {@code commit}, none. */
    private JsonNode push(String metric, double value, boolean commit) throws Exception {
        int h = hour++;
        String body = "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\"2026-01-01T"
                + String.format("%02d", h) + ":00:00Z\"," + (commit ? "\"commit_sha\":\"c" + h + "\"," : "")
                + "\"run_id\":\"" + (100 + h) + "\",\"metrics\":{\"" + metric + "\":" + value + "}}";
        HttpResponse<String> r = server.postJson("/api/v1/results", body, "Authorization", "Bearer " + WRITE);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ResultJson.mapper().readTree(r.body());
    }

    /** The id of the alert {@link #stableThenRegression} opens. */
    private long regressionAlert() throws Exception {
        return alertOf(stableThenRegression());
    }

    /** The run a one-result push stored. */
    private static long runOf(JsonNode pushAnswer) {
        return pushAnswer.path("results").get(0).path("id").asLong();
    }

    /** The first alert a push's answer names. */
    private static long alertOf(JsonNode pushAnswer) {
        return pushAnswer.path("alerts").get(0).path("id").asLong();
    }

    private JsonNode stableThenRegression() throws Exception {
        for (int i = 0; i < 4; i++) {
            push(0.90);
        }
        return push(0.80);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = server.get(path, "Authorization", "Bearer " + READ);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ResultJson.mapper().readTree(r.body());
    }

    private HttpResponse<String> post(String path, String json, String token) {
        return server.postJson(path, json, "Authorization", "Bearer " + token);
    }

    @Test
    void an_alert_of_runs_without_commits_names_its_range_by_run_as_the_regressions_do() throws Exception {
        start(0);
        long lastStable = 0;
        for (int i = 0; i < 4; i++) {
            lastStable = runOf(push("f1", 0.90, false));
        }

        JsonNode drop = push("f1", 0.80, false);

        String range = "id " + lastStable + "..id " + runOf(drop);
        assertThat(get("/api/v1/alerts/" + alertOf(drop)).path("alert").path("commit_range").asText()).isEqualTo(range);
        JsonNode regression = null;
        for (JsonNode row : get("/api/v1/regressions?model=m&metric=f1").path("rows")) {
            if (row.path("outcome").asText().equals("regression")) {
                regression = row;
            }
        }
        assertThat(regression).as("the regression of the drop").isNotNull();
        assertThat(regression.path("commit_range").asText()).isEqualTo(range);
    }

    @Test
    void an_alert_whose_run_before_has_a_commit_names_it_and_links_the_compare_view_of_that_pair() throws Exception {
        start(0);
        for (int i = 0; i < 5; i++) {
            push(0.90); // c0..c4, judged fine: the finding below is a toolkit caller's own, without a commit before
        }
        long run = server.benchmon().history(dev.benchmon.Filter.all()).longColumn("id").asList().stream()
                .max(Long::compare).orElseThrow();
        int series = new dev.benchmon.alert.RunRecords(server.benchmon().jdbi()).seriesIds().get("m / d @ci");
        long id = server.benchmon().alertBook().record(List.of(new dev.benchmon.alert.Finding(series, "f1",
                dev.benchmon.alert.Finding.Kind.REGRESSION, run, 0.90, 0.80, -0.111, "major", "f1 regression", null, "c4")))
                .get(0).alertId();

        JsonNode alert = get("/api/v1/alerts/" + id).path("alert");
        assertThat(alert.path("commit_range").asText()).isEqualTo("c3..c4");
        assertThat(alert.path("compare_url").asText()).isEqualTo("https://github.com/acme/models/compare/c3...c4");
        HttpResponse<String> page = server.get("/alerts?state=all", "Authorization", "Bearer " + READ);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("href=\"https://github.com/acme/models/compare/c3...c4\"").contains(">c3..c4<");
    }

    @Test
    void a_regression_opens_an_alert_and_the_webhook_receives_it_signed() throws Exception {
        start(0);

        JsonNode answer = stableThenRegression();

        JsonNode alert = answer.path("alerts").get(0);
        assertThat(alert.path("state").asText()).isEqualTo("open");
        assertThat(alert.path("series").asText()).isEqualTo("m / d @ci");
        assertThat(alert.path("commit_range").asText()).isEqualTo("c3..c4");
        assertThat(alert.path("compare_url").asText()).isEqualTo("https://github.com/acme/models/compare/c3...c4");
        assertThat(alert.path("run_url").asText()).isEqualTo("https://ci.example/runs/104");

        WebhookReceiver.Received got = hook.next(Duration.ofSeconds(30));
        assertThat(got).as("webhook request").isNotNull();
        assertThat(Signature.verify(SECRET, got.body(), got.headers().get("x-benchmon-signature-256"))).isTrue();
        JsonNode payload = ResultJson.mapper().readTree(got.body());
        assertThat(payload.path("alerts")).hasSize(1);
        JsonNode item = payload.path("alerts").get(0);
        for (String field : List.of("id", "series", "metric", "state", "change", "commit_range")) {
            assertThat(item.has(field)).as(field).isTrue();
        }
        assertThat(item.path("id").asLong()).isEqualTo(alert.path("id").asLong());
        assertThat(item.path("metric").asText()).isEqualTo("f1");
        assertThat(item.path("change").asText()).isEqualTo("-10.0 points"); // f1 0.90 -> 0.80: a proportion, as its verdict words it
        assertThat(item.path("relative_change").asDouble()).isCloseTo(-0.111, org.assertj.core.data.Offset.offset(0.001));

        WebhookReceiver.Received msg = slack.next(Duration.ofSeconds(30));
        assertThat(msg).as("slack request").isNotNull();
        String text = ResultJson.mapper().readTree(msg.body()).path("text").asText();
        assertThat(text).contains("m / d @ci").contains("*f1*").contains("-10.0 points")
                .contains("<https://github.com/acme/models/compare/c3...c4|c3..c4>")
                .contains("http://dash.example:7070/alerts");
    }

    // ---- alert links: each alert's own page, /alerts/N ------------------------------------------------

    @Test
    void the_webhooks_alert_url_is_the_alerts_own_page_under_the_public_url() throws Exception {
        start(0);
        long id = regressionAlert();

        JsonNode item = ResultJson.mapper().readTree(hook.next(Duration.ofSeconds(30)).body()).path("alerts").get(0);

        assertThat(item.path("id").asLong()).isEqualTo(id);
        assertThat(item.path("url").asText()).isEqualTo("http://dash.example:7070/alerts/" + id);
    }

    @Test
    void the_slack_message_links_each_alert_to_its_own_page() throws Exception {
        start(0);
        long id = regressionAlert();

        String text = ResultJson.mapper().readTree(slack.next(Duration.ofSeconds(30)).body()).path("text").asText();

        assertThat(text).contains("<http://dash.example:7070/alerts/" + id + "|alert " + id + ">")
                .doesNotContain("#alert-");
    }

    @Test
    void the_apis_alert_url_is_the_alerts_own_page() throws Exception {
        start(0);
        long id = regressionAlert();

        JsonNode alert = get("/api/v1/alerts/" + id).path("alert");

        assertThat(alert.path("url").asText()).isEqualTo("http://dash.example:7070/alerts/" + id);
    }

    @Test
    void the_push_answers_alert_url_is_the_alerts_own_page() throws Exception {
        start(0);

        JsonNode alert = stableThenRegression().path("alerts").get(0);

        assertThat(alert.path("url").asText()).isEqualTo("http://dash.example:7070/alerts/" + alert.path("id").asLong());
    }

    @Test
    void without_a_public_url_the_webhooks_alert_link_opens_the_alerts_page_on_this_server() throws Exception {
        hook = track(new WebhookReceiver(0));
        server = track(TestServer.start(ServerSettings.defaults().withTokens(Tokens.of(WRITE, READ))
                .withAlerts(AlertSettings.none().withNotifier(new NotifierSettings(hook.url("/hooks/benchmon"), SECRET,
                        null, null, 4, Duration.ofMillis(20), Duration.ZERO, false)))));
        long id = regressionAlert();
        String url = ResultJson.mapper().readTree(hook.next(Duration.ofSeconds(30)).body()).path("alerts").get(0)
                .path("url").asText();

        HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create(url)).header("Authorization", "Bearer " + READ).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(url).isEqualTo(server.url() + "alerts/" + id); // (server.url() ends in a slash)
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Alert #" + id + " ");
    }

    @Test
    void a_receiver_that_fails_then_recovers_gets_the_message_after_retries_and_the_log_shows_each_attempt()
            throws Exception {
        start(2);
        long id = regressionAlert();

        assertThat(hook.next(Duration.ofSeconds(30)).answered()).isEqualTo(503);
        assertThat(hook.next(Duration.ofSeconds(30)).answered()).isEqualTo(503);
        WebhookReceiver.Received third = hook.next(Duration.ofSeconds(30));
        assertThat(third.answered()).isEqualTo(200);
        assertThat(third.headers().get("x-benchmon-delivery")).isNotBlank();
        waitIdle();

        JsonNode log = get("/api/v1/alerts/deliveries");
        List<JsonNode> webhook = new ArrayList<>();
        log.path("deliveries").forEach(d -> {
            if (d.path("channel").asText().equals("webhook")) webhook.add(d);
        });
        assertThat(webhook).extracting(d -> d.path("attempt").asInt()).containsExactly(3, 2, 1);
        assertThat(webhook).extracting(d -> d.path("status_code").asInt()).containsExactly(200, 503, 503);
        assertThat(webhook).extracting(d -> d.path("delivered").asBoolean()).containsExactly(true, false, false);
        assertThat(webhook.get(0).path("alert_ids").get(0).asLong()).isEqualTo(id);
        assertThat(webhook.get(0).path("target").asText()).doesNotContain("hooks"); // paths can hold secrets
    }

    /** Pushes one run of series {@code model} / d @ci at hour {@code h} with these metrics; returns the alert ids of the answer. */
    private List<Long> pushRun(String model, int h, String metrics) {
        String body = "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\"2026-01-01T"
                + String.format("%02d", h) + ":00:00Z\",\"commit_sha\":\"" + model + h + "\",\"metrics\":" + metrics + "}";
        HttpResponse<String> r = server.postJson("/api/v1/results", body, "Authorization", "Bearer " + WRITE);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        List<Long> ids = new ArrayList<>();
        try {
            ResultJson.mapper().readTree(r.body()).path("alerts").forEach(a -> ids.add(a.path("id").asLong()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ids;
    }

    private static List<Long> alertIds(WebhookReceiver.Received message, boolean slackText) throws Exception {
        JsonNode body = ResultJson.mapper().readTree(message.body());
        List<Long> ids = new ArrayList<>();
        if (slackText) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\|alert (\\d+)>").matcher(body.path("text").asText());
            while (m.find()) {
                ids.add(Long.parseLong(m.group(1)));
            }
        } else {
            body.path("alerts").forEach(a -> ids.add(a.path("id").asLong()));
        }
        return ids;
    }

    @Test
    void notifications_are_one_message_per_push_and_a_burst_within_the_rate_limit_is_grouped_into_the_next()
            throws Exception {
        Duration limit = Duration.ofSeconds(5);
        start(0, limit);
        for (String model : List.of("a", "b", "c", "d")) {
            for (int h = 0; h < 4; h++) {
                assertThat(pushRun(model, h, "{\"f1\": 0.90, \"accuracy\": 0.80}")).isEmpty();
            }
        }

        // One push, two metrics regressing: one message carrying both alerts, not one per metric.
        List<Long> first = pushRun("a", 4, "{\"f1\": 0.70, \"accuracy\": 0.60}");
        assertThat(first).hasSize(2);
        WebhookReceiver.Received one = hook.next(Duration.ofSeconds(30));
        assertThat(alertIds(one, false)).containsExactlyInAnyOrderElementsOf(first);
        assertThat(alertIds(slack.next(Duration.ofSeconds(30)), true)).containsExactlyInAnyOrderElementsOf(first);

        // A burst of three pushes inside the rate limit: held back, then one message with all three.
        List<Long> burst = new ArrayList<>();
        for (String model : List.of("b", "c", "d")) {
            List<Long> ids = pushRun(model, 4, "{\"f1\": 0.70}");
            assertThat(ids).hasSize(1);
            burst.addAll(ids);
        }
        WebhookReceiver.Received grouped = hook.next(Duration.ofSeconds(30));
        assertThat(alertIds(grouped, false)).containsExactlyInAnyOrderElementsOf(burst);
        assertThat(Duration.between(one.at(), grouped.at())).as("held back by the rate limit")
                .isGreaterThanOrEqualTo(limit.minusMillis(200));
        assertThat(Signature.verify(SECRET, grouped.body(), grouped.headers().get("x-benchmon-signature-256"))).isTrue();
        assertThat(alertIds(slack.next(Duration.ofSeconds(30)), true)).containsExactlyInAnyOrderElementsOf(burst);

        waitIdle();
        assertThat(hook.next(Duration.ofSeconds(2))).as("no third message").isNull();
        assertThat(slack.pending()).isZero();
        List<JsonNode> log = new ArrayList<>();
        get("/api/v1/alerts/deliveries").path("deliveries").forEach(d -> {
            if (d.path("channel").asText().equals("webhook")) log.add(d);
        });
        assertThat(log).hasSize(2);
        assertThat(log).allSatisfy(d -> assertThat(d.path("delivered").asBoolean()).isTrue());
    }

    @Test
    void the_settings_file_overrides_the_environment_and_resolutions_are_announced_when_asked(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        hook = track(new WebhookReceiver(0));
        slack = track(new WebhookReceiver(0));
        WebhookReceiver fromEnvironment = track(new WebhookReceiver(0));
        java.nio.file.Path file = dir.resolve("alerts.properties");
        java.nio.file.Files.writeString(file, "BENCHMON_WEBHOOK_URL=" + hook.url("/hooks/file") + "\n"
                + "BENCHMON_WEBHOOK_SECRET=" + SECRET + "\nBENCHMON_NOTIFY_RESOLVED=true\n");
        AlertSettings settings = AlertSettings.from(java.util.Map.of(
                "BENCHMON_WEBHOOK_URL", fromEnvironment.url("/hooks/env").toString(),
                "BENCHMON_SLACK_WEBHOOK_URL", slack.url("/services/T0/B0/xyz").toString(),
                "BENCHMON_PUBLIC_URL", "http://dash.example:7070"), file);
        server = track(TestServer.start(ServerSettings.defaults().withTokens(Tokens.of(WRITE, READ)).withAlerts(settings)));

        long id = regressionAlert();
        WebhookReceiver.Received opened = hook.next(Duration.ofSeconds(30));
        assertThat(Signature.verify(SECRET, opened.body(), opened.headers().get("x-benchmon-signature-256"))).isTrue();
        assertThat(alertIds(opened, false)).containsExactly(id);
        assertThat(slack.next(Duration.ofSeconds(30)).text()).contains("new regression alert");

        push(0.90); // back at the old level: resolved, and announced because the file asks for it
        WebhookReceiver.Received resolved = hook.next(Duration.ofSeconds(30));
        JsonNode item = ResultJson.mapper().readTree(resolved.body()).path("alerts").get(0);
        assertThat(item.path("id").asLong()).isEqualTo(id);
        assertThat(item.path("state").asText()).isEqualTo("resolved");
        assertThat(slack.next(Duration.ofSeconds(30)).text()).contains("resolved").contains("http://dash.example:7070/alerts");
        waitIdle();
        assertThat(fromEnvironment.pending()).as("the file's webhook URL wins").isZero();
    }

    @Test
    void acknowledging_through_the_api_changes_the_state_and_appends_who_and_why() throws Exception {
        start(0);
        long id = regressionAlert();

        HttpResponse<String> r = post("/api/v1/alerts/" + id + "/state",
                "{\"state\": \"acknowledged\", \"comment\": \"bisecting:\\n\\tc3..c4\", \"actor\": \"ana\"}", TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode list = get("/api/v1/alerts");
        assertThat(alertOf(list)).isEqualTo(id);
        assertThat(list.path("alerts").get(0).path("state").asText()).isEqualTo("acknowledged");
        JsonNode history = get("/api/v1/alerts/" + id).path("history");
        assertThat(history).hasSize(2);
        assertThat(history.get(1).path("actor").asText()).isEqualTo("ana");
        assertThat(history.get(1).path("comment").asText()).as("a comment may span lines").isEqualTo("bisecting:\n\tc3..c4");
        assertThat(get("/api/v1/alerts?state=open").path("alerts")).isEmpty();
    }

    @Test
    void the_alert_list_takes_states_comma_separated_as_it_takes_them_repeated() throws Exception {
        start(0);
        long id = regressionAlert();
        assertThat(post("/api/v1/alerts/" + id + "/state", "{\"state\": \"acknowledged\"}", TRIAGE).statusCode()).isEqualTo(200);

        HttpResponse<String> listed = server.get("/api/v1/alerts?state=open,acknowledged", "Authorization", "Bearer " + READ);

        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(alertOf(ResultJson.mapper().readTree(listed.body()))).isEqualTo(id);
        assertThat(get("/api/v1/alerts?state=open,%20resolved").path("alerts")).isEmpty();
        HttpResponse<String> bad = server.get("/api/v1/alerts?state=open,snoozed", "Authorization", "Bearer " + READ);
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(refusedField(bad)).isEqualTo("state");
        assertThat(bad.body()).contains("'snoozed'");
        // state=$A,$B with both unset: refused, as model=, is, not read as "every state"
        assertThat(refusedField(server.get("/api/v1/alerts?state=,", "Authorization", "Bearer " + READ))).isEqualTo("state");
    }

    @Test
    void muting_a_resolved_alert_without_a_comment_is_refused_for_its_state_first() throws Exception {
        start(0);
        long id = regressionAlert();
        assertThat(post("/api/v1/alerts/" + id + "/state", "{\"state\": \"resolved\", \"actor\": \"ana\"}", TRIAGE)
                .statusCode()).isEqualTo(200);

        HttpResponse<String> r = post("/api/v1/alerts/" + id + "/state", "{\"state\": \"muted\"}", TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        assertThat(r.body()).contains("is resolved, so there is nothing to mute").doesNotContain("needs a reason");
    }

    @Test
    void acknowledging_a_resolved_alert_through_the_api_is_409_naming_the_alert_and_appends_nothing() throws Exception {
        start(0);
        long id = regressionAlert();
        assertThat(post("/api/v1/alerts/" + id + "/state", "{\"state\": \"resolved\", \"actor\": \"ana\"}", TRIAGE)
                .statusCode()).isEqualTo(200);

        HttpResponse<String> r = post("/api/v1/alerts/" + id + "/state", "{\"state\": \"acknowledged\", \"actor\": \"bo\"}",
                TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        JsonNode problem = ResultJson.mapper().readTree(r.body()).path("details").get(0);
        assertThat(problem.path("field").asText()).isEqualTo("alert");
        assertThat(problem.path("message").asText()).contains("is resolved, so there is nothing to acknowledge");
        JsonNode alert = get("/api/v1/alerts/" + id);
        assertThat(alert.path("alert").path("state").asText()).isEqualTo("resolved");
        assertThat(alert.path("history")).hasSize(2);
    }

    @Test
    void triage_needs_the_triage_or_write_token() throws Exception {
        start(0);
        long id = regressionAlert();
        String ack = "{\"state\": \"acknowledged\"}";

        assertThat(server.postJson("/api/v1/alerts/" + id + "/state", ack).statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/alerts/" + id + "/state", ack, READ).statusCode()).isEqualTo(403);
        assertThat(post("/api/v1/alerts/" + id + "/state", ack, WRITE).statusCode()).isEqualTo(200);
        assertThat(post("/api/v1/alerts/" + id + "/state", ack, TRIAGE).statusCode()).isEqualTo(200);
    }

    @Test
    void a_push_with_the_triage_token_is_403_saying_it_can_only_triage() throws Exception {
        start(0);
        var r = server.postJson("/api/v1/results", "{}", "Authorization", "Bearer " + TRIAGE);

        assertThat(r.statusCode()).as("the triage token cannot push").isEqualTo(403);
        assertThat(r.body()).contains("this token can only triage and read alerts; writing needs the write token");
    }

    @Test
    void a_read_with_the_triage_token_is_403_saying_it_can_only_triage_and_naming_the_read_token() throws Exception {
        start(0);
        for (String path : new String[] {"/api/v1/history?limit=1", "/api/v1/meta"}) {
            var r = server.get(path, "Authorization", "Bearer " + TRIAGE);

            assertThat(r.statusCode()).as(path + ": a valid token, not an unknown one").isEqualTo(403);
            assertThat(r.body()).contains("this token can only triage and read alerts", "read token",
                    "BENCHMON_READ_TOKEN").doesNotContain(TRIAGE);
        }
    }

    /** A run of series m / d @ci stored directly (a read-only server takes no pushes); returns its id. */
    private long storedRun() {
        return server.benchmon().record(BenchmarkResult.builder("m", "d").environment("ci").metric("f1", 0.9).build())
                .transactionId();
    }

    @Test
    void a_read_only_server_refuses_triage_through_the_api_with_or_without_a_token() throws Exception {
        server = track(TestServer.withTokens(null, READ));
        long run = storedRun();
        String exclude = "{\"kind\": \"excluded\", \"text\": \"flaky GPU\"}";

        HttpResponse<String> anonymous = server.postJson("/api/v1/runs/" + run + "/annotations", exclude);
        HttpResponse<String> withRead = post("/api/v1/runs/" + run + "/annotations", exclude, READ);
        HttpResponse<String> mute = server.postJson("/api/v1/series/1/mutes", "{\"metric\": \"f1\", \"reason\": \"x\"}");

        assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(403);
        assertThat(ResultJson.mapper().readTree(anonymous.body()).path("error").asText()).contains("read-only");
        assertThat(withRead.statusCode()).isEqualTo(403);
        assertThat(mute.statusCode()).isEqualTo(403);
        JsonNode annotations = get("/api/v1/runs/" + run + "/annotations");
        assertThat(annotations.path("excluded").asBoolean()).isFalse();
        assertThat(annotations.path("annotations")).isEmpty();
        assertThat(get("/api/v1/mutes").path("mutes")).isEmpty();
    }

    @Test
    void a_read_only_server_with_a_triage_token_lets_only_that_token_triage() throws Exception {
        server = track(TestServer.start(ServerSettings.defaults().withTokens(Tokens.of(null, READ))
                .withAlerts(AlertSettings.none().withTriageToken(TRIAGE))));
        String note = "{\"kind\": \"note\", \"text\": \"driver update\"}";
        String path = "/api/v1/runs/" + storedRun() + "/annotations";

        assertThat(server.postJson(path, note).statusCode()).isEqualTo(401);
        assertThat(post(path, note, READ).statusCode()).isEqualTo(403);
        assertThat(post(path, note, TRIAGE).statusCode()).isEqualTo(201);
    }

    @Test
    void bad_triage_requests_are_400_or_404_naming_the_field_and_change_nothing() throws Exception {
        start(0);
        long id = regressionAlert();

        HttpResponse<String> bad = post("/api/v1/alerts/" + id + "/state", "{\"state\": \"snoozed\"}", TRIAGE);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(ResultJson.mapper().readTree(bad.body()).path("details").get(0).path("field").asText()).isEqualTo("state");
        assertThat(post("/api/v1/alerts/999999/state", "{\"state\": \"acknowledged\"}", TRIAGE).statusCode()).isEqualTo(404);
        HttpResponse<String> noText = post("/api/v1/runs/1/annotations", "{\"kind\": \"note\"}", TRIAGE);
        assertThat(refusedField(noText)).isEqualTo("text");
        assertThat(post("/api/v1/runs/999999/annotations", "{\"kind\": \"note\", \"text\": \"x\"}", TRIAGE).statusCode())
                .isEqualTo(404);
        assertThat(get("/api/v1/alerts/" + id).path("history")).hasSize(1);
    }

    @Test
    void an_exclusion_without_a_reason_is_a_400_naming_the_field_the_body_gives_it_in_and_excludes_nothing() throws Exception {
        start(0);
        long run = runOf(push(0.90));
        String path = "/api/v1/runs/" + run + "/annotations";

        // text is the documented field; reason, which the body may give instead, is named when given.
        HttpResponse<String> neither = post(path, "{\"kind\": \"excluded\"}", TRIAGE);
        assertThat(refusedField(neither)).isEqualTo("text");
        assertThat(neither.body()).contains("must say why the run is excluded");
        assertThat(refusedField(post(path, "{\"kind\": \"excluded\", \"text\": \"  \"}", TRIAGE))).isEqualTo("text");
        assertThat(refusedField(post(path, "{\"kind\": \"excluded\", \"reason\": \"  \"}", TRIAGE))).isEqualTo("reason");
        assertThat(get(path).path("excluded").asBoolean()).isFalse();
    }

    @Test
    void an_inclusion_without_a_text_is_stored_as_included_again_as_benchmon_alerts_include_words_it() throws Exception {
        start(0);
        String path = excludedRunPath();

        HttpResponse<String> included = post(path, "{\"kind\": \"included\", \"actor\": \"ana\"}", TRIAGE);

        assertThat(included.statusCode()).as(included.body()).isEqualTo(201);
        assertThat(ResultJson.mapper().readTree(included.body()).path("text").asText()).isEqualTo("included again");
        JsonNode annotations = get(path);
        assertThat(annotations.path("excluded").asBoolean()).isFalse();
        List<String> stored = new ArrayList<>();
        annotations.path("annotations").forEach(a -> stored.add(a.path("kind").asText() + ": " + a.path("text").asText()
                + " (" + a.path("actor").asText() + ")"));
        assertThat(stored).contains("included: included again (ana)");
    }

    /** The annotations path of a pushed run, excluded by ana for "bad push". */
    private String excludedRunPath() throws Exception {
        String path = "/api/v1/runs/" + runOf(push(0.90)) + "/annotations";
        assertThat(post(path, "{\"kind\": \"excluded\", \"text\": \"bad push\", \"actor\": \"ana\"}", TRIAGE)
                .statusCode()).isEqualTo(201);
        return path;
    }

    /** The details[0].field of a 400 answer. */
    private static String refusedField(HttpResponse<String> r) throws Exception {
        return refusedField(r, 400);
    }

    /** The field a refusal answered {@code status} names (409: the alert's or run's state refused the request). */
    private static String refusedField(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return ResultJson.mapper().readTree(r.body()).path("details").get(0).path("field").asText();
    }

    @Test
    void an_annotation_of_an_unknown_kind_is_a_400_naming_kind_as_a_refused_argument_and_stores_nothing() throws Exception {
        start(0);
        String path = "/api/v1/runs/" + runOf(push(0.90)) + "/annotations";

        HttpResponse<String> r = post(path, "{\"kind\": \"flagged\", \"text\": \"x\"}", TRIAGE);

        assertThat(refusedField(r)).isEqualTo("kind");
        assertThat(ResultJson.mapper().readTree(r.body()).path("error").asText())
                .startsWith("invalid argument: kind: must be excluded, included or note");
        assertThat(get(path).path("annotations")).isEmpty();
    }

    @Test
    void a_state_change_with_a_control_character_or_lone_surrogate_is_a_400_naming_the_field_and_changes_nothing()
            throws Exception {
        start(0);
        long id = regressionAlert();
        String path = "/api/v1/alerts/" + id + "/state";

        assertThat(refusedField(post(path, "{\"state\": \"acknowledged\", \"comment\": \"a\\u0000\"}", TRIAGE)))
                .isEqualTo("comment");
        assertThat(refusedField(post(path, "{\"state\": \"acknowledged\", \"comment\": \"\\ud800\"}", TRIAGE)))
                .isEqualTo("comment");
        assertThat(refusedField(post(path, "{\"state\": \"acknowledged\", \"actor\": \"ana\\u001b[31m\"}", TRIAGE)))
                .isEqualTo("actor");

        assertThat(get("/api/v1/alerts/" + id).path("history")).hasSize(1);
        assertThat(get("/api/v1/alerts/" + id).path("alert").path("state").asText()).isEqualTo("open");
    }

    /** A blank actor was stored as "api", a 300-character one as sent, an unknown source as "api". */
    @Test
    void a_blank_or_overlong_actor_and_an_unknown_source_are_a_400_naming_the_field_and_change_nothing() throws Exception {
        start(0);
        long id = regressionAlert();
        String path = "/api/v1/alerts/" + id + "/state";

        HttpResponse<String> blank = post(path, "{\"state\": \"acknowledged\", \"actor\": \"  \"}", TRIAGE);
        assertThat(refusedField(blank)).isEqualTo("actor");
        assertThat(blank.body()).contains("must not be blank");
        HttpResponse<String> tooLong = post(path, "{\"state\": \"acknowledged\", \"actor\": \"" + "a".repeat(300) + "\"}", TRIAGE);
        assertThat(refusedField(tooLong)).isEqualTo("actor");
        assertThat(tooLong.body()).contains("is 300 characters long; at most 200");
        HttpResponse<String> source = post(path, "{\"state\": \"acknowledged\", \"source\": \"slack\"}", TRIAGE);
        assertThat(refusedField(source)).isEqualTo("source");
        assertThat(source.body()).contains("must be one of api, cli, dashboard, toolkit");
        assertThat(get("/api/v1/alerts/" + id).path("history")).hasSize(1);

        // Left out, actor and source are still "api"; a name of 200 characters is taken.
        assertThat(post(path, "{\"state\": \"acknowledged\"}", TRIAGE).statusCode()).isEqualTo(200);
        assertThat(post(path, "{\"state\": \"expected\", \"actor\": \"" + "b".repeat(200) + "\", \"source\": \"cli\"}",
                TRIAGE).statusCode()).isEqualTo(200);
        JsonNode history = get("/api/v1/alerts/" + id).path("history");
        assertThat(history.findValuesAsText("actor")).contains("api", "b".repeat(200));
        assertThat(history.findValuesAsText("source")).contains("api", "cli");
    }

    /** {"for": "99999d"} was a 201 mute until the year 2300. */
    @Test
    void a_mute_longer_than_365_days_is_a_400_naming_for_or_until_and_stores_no_mute() throws Exception {
        start(0);
        regressionAlert();
        String mutes = "/api/v1/series/" + seriesId() + "/mutes";

        HttpResponse<String> days = post(mutes, "{\"reason\": \"x\", \"for\": \"99999d\"}", TRIAGE);
        assertThat(refusedField(days)).isEqualTo("for");
        assertThat(days.body()).contains("must be at most 365 days (365d, 52w): a mute silences", "got '99999d'");
        assertThat(refusedField(post(mutes, "{\"reason\": \"x\", \"for\": \"53w\"}", TRIAGE))).isEqualTo("for");
        HttpResponse<String> until = post(mutes, "{\"reason\": \"x\", \"until\": \"2300-01-01T00:00:00Z\"}", TRIAGE);
        assertThat(refusedField(until)).isEqualTo("until");
        assertThat(until.body()).contains("must be at most 365 days from now (before ", "got 2300-01-01T00:00:00Z");
        assertThat(get("/api/v1/mutes").path("mutes")).isEmpty();

        assertThat(post(mutes, "{\"reason\": \"x\", \"for\": \"365d\"}", TRIAGE).statusCode()).isEqualTo(201);
    }

    /** Not the parser's words ("Unrecognized token 'nope': was expecting (JSON String, ..."), as a pushed body's. */
    @Test
    void a_triage_body_that_is_not_json_is_a_400_saying_what_is_wrong_and_where_and_changes_nothing() throws Exception {
        start(0);
        JsonNode regression = stableThenRegression();
        long id = alertOf(regression);
        long run = runOf(regression);

        String pushed = ResultJson.mapper().readTree(post("/api/v1/results", "nope", WRITE).body())
                .path("details").get(0).path("message").asText();
        for (String path : List.of("/api/v1/alerts/" + id + "/state", "/api/v1/runs/" + run + "/annotations",
                "/api/v1/series/" + seriesId() + "/mutes")) {
            HttpResponse<String> r = post(path, "nope", TRIAGE);

            assertThat(refusedField(r)).as(path).isEqualTo("body");
            assertThat(ResultJson.mapper().readTree(r.body()).path("details").get(0).path("message").asText()).as(path)
                    .isEqualTo("is not valid JSON: 'nope' is not a JSON value: text must be in double quotes, and true, "
                            + "false and null in lower case (line 1, column 1)").isEqualTo(pushed);
        }
        assertThat(get("/api/v1/alerts/" + id).path("history")).hasSize(1);
        assertThat(get("/api/v1/runs/" + run + "/annotations").path("annotations")).isEmpty();
        assertThat(get("/api/v1/mutes").path("mutes")).isEmpty();
    }

    @Test
    void a_triage_body_giving_a_key_twice_is_a_400_naming_the_key() throws Exception {
        start(0);
        long id = regressionAlert();

        HttpResponse<String> r = post("/api/v1/alerts/" + id + "/state",
                "{\"state\": \"acknowledged\", \"state\": \"resolved\"}", TRIAGE);

        assertThat(refusedField(r)).isEqualTo("state");
        assertThat(r.body()).contains("is given twice in one JSON object (line 1, column").doesNotContain("Duplicate field");
        assertThat(get("/api/v1/alerts/" + id).path("history")).hasSize(1);
    }

    @Test
    void a_misspelt_or_foreign_field_in_a_triage_body_is_a_400_naming_it_and_changes_nothing() throws Exception {
        start(0);
        long id = regressionAlert();
        String state = "/api/v1/alerts/" + id + "/state";
        String mutes = "/api/v1/series/" + seriesId() + "/mutes";

        assertThat(refusedField(post(state, "{\"state\": \"acknowledged\", \"commment\": \"typo\"}", TRIAGE)))
                .isEqualTo("commment");
        // A mute's period belongs to POST /series/{id}/mutes; a state change would drop it unseen.
        assertThat(refusedField(post(state, "{\"state\": \"muted\", \"until\": \"2099-01-01T00:00:00Z\"}", TRIAGE)))
                .isEqualTo("until");
        assertThat(refusedField(post(mutes, "{\"reason\": \"x\", \"for\": \"7d\", \"metrics\": \"f1\"}", TRIAGE)))
                .isEqualTo("metrics");
        // A mute whose end has passed: named as the field it is, not as the database words its own check.
        HttpResponse<String> past = post(mutes, "{\"reason\": \"x\", \"until\": \"2020-01-01T00:00:00Z\"}", TRIAGE);
        assertThat(refusedField(past)).isEqualTo("until");
        assertThat(past.body()).contains("must be in the future, got 2020-01-01T00:00:00Z");

        assertThat(get("/api/v1/alerts/" + id).path("history")).hasSize(1);
        assertThat(get("/api/v1/mutes").path("mutes")).isEmpty();
    }

    @Test
    void an_annotation_with_a_control_character_is_a_400_naming_the_field_and_stores_nothing() throws Exception {
        start(0);
        long run = push(0.90).path("results").get(0).path("id").asLong();
        String path = "/api/v1/runs/" + run + "/annotations";

        assertThat(refusedField(post(path, "{\"kind\": \"note\", \"text\": \"a\\u0000b\"}", TRIAGE))).isEqualTo("text");
        assertThat(refusedField(post(path, "{\"kind\": \"excluded\", \"reason\": \"\\u0000\"}", TRIAGE))).isEqualTo("reason");
        assertThat(refusedField(post(path, "{\"kind\": \"note\\u0000\", \"text\": \"x\"}", TRIAGE))).isEqualTo("kind");
        assertThat(refusedField(post(path, "{\"kind\": \"note\", \"text\": \"x\", \"actor\": \"a\\u0000\"}", TRIAGE)))
                .isEqualTo("actor");

        assertThat(get(path).path("annotations")).isEmpty();
    }

    @Test
    void a_mute_with_a_control_character_is_a_400_naming_the_field_and_stores_no_mute() throws Exception {
        start(0);
        push(0.90);
        String path = "/api/v1/series/" + seriesId() + "/mutes";

        assertThat(refusedField(post(path, "{\"reason\": \"x\\u0000\", \"for\": \"7d\"}", TRIAGE))).isEqualTo("reason");
        assertThat(refusedField(post(path, "{\"reason\": \"x\", \"metric\": \"f\\u00001\", \"for\": \"7d\"}", TRIAGE)))
                .isEqualTo("metric");
        assertThat(refusedField(post(path, "{\"reason\": \"x\", \"actor\": \"\\udc00\", \"for\": \"7d\"}", TRIAGE)))
                .isEqualTo("actor");

        assertThat(get("/api/v1/mutes").path("mutes")).isEmpty();
    }

    @Test
    void a_mute_without_a_reason_is_a_400_naming_reason_and_stores_no_mute() throws Exception {
        start(0);
        push(0.90);
        String path = "/api/v1/series/" + seriesId() + "/mutes";

        HttpResponse<String> blank = post(path, "{\"reason\": \"  \", \"for\": \"7d\"}", TRIAGE);
        assertThat(refusedField(blank)).isEqualTo("reason");
        assertThat(blank.body()).contains("a mute needs a reason");
        assertThat(refusedField(post(path, "{\"for\": \"7d\"}", TRIAGE))).isEqualTo("reason");

        assertThat(get("/api/v1/mutes").path("mutes")).isEmpty();
    }

    @Test
    void a_mute_of_a_metric_the_database_does_not_hold_is_a_404_listing_the_known_ones_and_stores_no_mute() throws Exception {
        start(0);
        push(0.90);

        HttpResponse<String> r = post("/api/v1/series/" + seriesId() + "/mutes", "{\"reason\": \"x\", \"metric\": \"f-1\", \"for\": \"7d\"}",
                TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(r.body()).contains("f-1").contains("f1");
        assertThat(get("/api/v1/mutes").path("mutes")).isEmpty();
    }

    @Test
    void including_a_run_that_is_not_excluded_is_a_409_naming_run_and_stores_no_annotation() throws Exception {
        start(0);
        long run = runOf(push(0.90));
        String path = "/api/v1/runs/" + run + "/annotations";

        HttpResponse<String> r = post(path, "{\"kind\": \"included\", \"text\": \"x\"}", TRIAGE);

        assertThat(refusedField(r, 409)).isEqualTo("run");
        assertThat(ResultJson.mapper().readTree(r.body()).path("details").get(0).path("message").asText())
                .isEqualTo("run " + run + " is not excluded, so there is nothing to include again");
        assertThat(get(path).path("annotations")).isEmpty();
    }

    @Test
    void excluding_an_excluded_run_is_a_409_saying_since_when_and_why_and_keeps_the_first_reason() throws Exception {
        start(0);
        String path = excludedRunPath();

        HttpResponse<String> r = post(path, "{\"kind\": \"excluded\", \"text\": \"other\"}", TRIAGE);

        assertThat(refusedField(r, 409)).isEqualTo("run");
        assertThat(r.body()).containsPattern("excluded already, since \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z by ana: bad push; "
                + "to exclude it for another reason, include it again first");
        assertThat(get(path).path("exclusion_reason").asText()).isEqualTo("bad push");
        assertThat(get(path).path("annotations")).hasSize(1);
    }

    @Test
    void alerts_are_listed_by_model_dataset_prompt_and_environment_as_the_other_endpoints_filter() throws Exception {
        start(0);
        long id = regressionAlert();
        pushRun("other", 20, "{\"f1\": 0.5}"); // another series, no alert

        assertThat(get("/api/v1/alerts?model=m&dataset=d&environment=ci&prompt=").path("alerts"))
                .extracting(a -> a.path("id").asLong()).containsExactly(id);
        assertThat(get("/api/v1/alerts?model=other").path("alerts")).isEmpty();
        assertThat(get("/api/v1/alerts?model=other,m").path("alerts")).hasSize(1);
        HttpResponse<String> unknown = server.get("/api/v1/alerts?model=nope", "Authorization", "Bearer " + READ);
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.body()).contains("nope");
    }

    @Test
    void listing_the_alerts_of_a_metric_the_database_does_not_hold_is_a_404_listing_the_known_ones() throws Exception {
        start(0);
        push(0.90);

        HttpResponse<String> r = server.get("/api/v1/alerts?metric=f-1", "Authorization", "Bearer " + READ);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(r.body()).contains("f-1").contains("f1");
    }

    @Test
    void a_mute_until_past_the_year_9999_is_a_400_naming_until_and_stores_no_mute() throws Exception {
        start(0);
        push(0.90);
        String path = "/api/v1/series/" + seriesId() + "/mutes";

        for (String until : List.of("+300000-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "-300000-01-01T00:00:00Z")) {
            assertThat(refusedField(post(path, "{\"reason\": \"x\", \"until\": \"" + until + "\"}", TRIAGE)))
                    .as(until).isEqualTo("until");
        }

        assertThat(get("/api/v1/mutes").path("mutes")).isEmpty();
    }

    @Test
    void a_mute_answers_its_expiry_to_the_microsecond_as_the_list_of_mutes_shows_it() throws Exception {
        start(0);
        push(0.90);

        // Within the 365 days a mute may last: the start of the day 30 days ahead, with nanoseconds.
        String day = java.time.Instant.now().plus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.DAYS)
                .toString().replace("T00:00:00Z", "");
        HttpResponse<String> r = post("/api/v1/series/" + seriesId() + "/mutes",
                "{\"reason\": \"x\", \"until\": \"" + day + "T00:00:00.698353850Z\"}", TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(ResultJson.mapper().readTree(r.body()).path("expires_at").asText()).isEqualTo(day + "T00:00:00.698354Z")
                .isEqualTo(get("/api/v1/mutes").path("mutes").get(0).path("expires_at").asText());
    }

    @Test
    void the_list_of_mutes_reads_active_as_every_true_or_false_parameter_and_refuses_another_value_naming_it() throws Exception {
        start(0);
        push(0.90);
        String mutes = "/api/v1/series/" + seriesId() + "/mutes";
        assertThat(post(mutes, "{\"reason\": \"x\", \"for\": \"7d\", \"actor\": \"ana\"}", TRIAGE).statusCode()).isEqualTo(201);
        assertThat(post("/api/v1/series/" + seriesId() + "/unmute", "{\"reason\": \"done\", \"actor\": \"bo\"}", TRIAGE)
                .statusCode()).isEqualTo(200);
        assertThat(post(mutes, "{\"reason\": \"y\", \"for\": \"7d\", \"actor\": \"ana\"}", TRIAGE).statusCode()).isEqualTo(201);

        assertThat(get("/api/v1/mutes?active=yes").path("mutes")).hasSize(1);
        assertThat(get("/api/v1/mutes?active=0").path("mutes")).hasSize(2);
        assertThat(refusedField(server.get("/api/v1/mutes?active=bogus", "Authorization", "Bearer " + READ))).isEqualTo("active");
    }

    @Test
    void a_series_id_past_the_integer_range_is_a_404_and_mutes_no_other_series() throws Exception {
        start(0);
        push(0.90);
        long wrapsToTheSeries = (1L << 32) + seriesId(); // (int) of it would be the real series' id

        HttpResponse<String> r = post("/api/v1/series/" + wrapsToTheSeries + "/mutes", "{\"reason\": \"x\", \"for\": \"7d\"}",
                TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
        assertThat(ResultJson.mapper().readTree(r.body()).path("details").get(0).path("field").asText()).isEqualTo("series");
        assertThat(get("/api/v1/mutes").path("mutes")).isEmpty();
    }

    @Test
    void excluding_the_bad_run_through_the_api_changes_the_baseline_and_the_verdict() throws Exception {
        start(0);
        for (int i = 0; i < 4; i++) {
            push(0.90);
        }
        // A broken runner three times: the baseline (median of the previous runs) follows it down.
        List<Long> badRuns = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            badRuns.add(push(0.30).path("results").get(0).path("id").asLong());
        }
        long badRun = badRuns.get(0);
        JsonNode next = push(0.85);
        assertThat(next.path("results").get(0).path("verdict").asText()).isNotEqualTo("regression");

        for (long run : badRuns) {
            HttpResponse<String> r = post("/api/v1/runs/" + run + "/annotations",
                    "{\"kind\": \"excluded\", \"text\": \"runner lost its GPU\", \"actor\": \"ana\"}", TRIAGE);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }

        JsonNode regressions = get("/api/v1/regressions");
        JsonNode row = regressions.path("rows").get(0);
        assertThat(row.path("baseline").asDouble()).isEqualTo(0.90, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(row.path("is_regression").asBoolean()).isTrue();
        JsonNode annotations = get("/api/v1/runs/" + badRun + "/annotations");
        assertThat(annotations.path("excluded").asBoolean()).isTrue();
        assertThat(annotations.path("exclusion_reason").asText()).isEqualTo("runner lost its GPU");
    }

    /** Excludes (or includes again, {@code kind}) run {@code run} through the triage API; returns the answer. */
    private JsonNode annotate(long run, String kind, String text) throws Exception {
        HttpResponse<String> r = post("/api/v1/runs/" + run + "/annotations",
                "{\"kind\": \"" + kind + "\", \"text\": \"" + text + "\", \"actor\": \"ana\"}", TRIAGE);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ResultJson.mapper().readTree(r.body());
    }

    /** The stored verdict of the series' newest run (the /api/v1/regressions row of f1). */
    private JsonNode seriesVerdict() throws Exception {
        return get("/api/v1/regressions").path("rows").get(0);
    }

    @Test
    void excluding_the_first_run_of_a_drop_that_persists_keeps_its_alert_open_and_the_series_regressed() throws Exception {
        start(0);
        JsonNode first = stableThenRegression();
        long id = alertOf(first);
        long firstRun = runOf(first);
        long lastRun = 0;
        for (int i = 0; i < 2; i++) {
            lastRun = push(0.80).path("results").get(0).path("id").asLong();
        }

        JsonNode answer = annotate(firstRun, "excluded", "runner lost its GPU");

        assertThat(answer.path("resolved_alerts")).isEmpty();
        JsonNode alert = get("/api/v1/alerts/" + id);
        assertThat(alert.path("alert").path("state").asText()).isEqualTo("open");
        JsonNode event = alert.path("history").get(alert.path("history").size() - 1);
        assertThat(event.path("state").asText()).isEqualTo("open");
        assertThat(event.path("source").asText()).isEqualTo("annotation");
        assertThat(event.path("actor").asText()).isEqualTo("ana");
        assertThat(event.path("comment").asText()).startsWith("run " + firstRun + " excluded: runner lost its GPU")
                .contains("persists").contains("run " + lastRun);
        assertThat(get("/api/v1/alerts?state=open").path("alerts")).hasSize(1);
        assertThat(seriesVerdict().path("is_regression").asBoolean()).isTrue();
        assertThat(seriesVerdict().path("baseline").asDouble()).isEqualTo(0.90, org.assertj.core.data.Offset.offset(1e-9));
    }

    /**
     * Ten runs of f1 at 0.90 and 0.91 (c0..c9: enough history for the noise-aware test, whose alert keeps the commit of
     * the drop's first run while it follows the later ones), then one at 0.80 (c10, CI run 110); returns its answer.
     */
    private JsonNode noisyStableThenRegression() throws Exception {
        for (int i = 0; i < 10; i++) {
            push(i % 2 == 0 ? 0.90 : 0.91);
        }
        return push(0.80);
    }

    /** f1 at 0.90 and 0.91 twelve times (c0..c11), then a drop to 0.70 (c12), which opens an alert; its answer. */
    private JsonNode dropAfterTwelveStableRuns() throws Exception {
        for (int i = 0; i < 12; i++) {
            push(i % 2 == 0 ? 0.90 : 0.91);
        }
        return push(0.70);
    }

    /**
     * {@link #dropAfterTwelveStableRuns} (the alert opens, since commit c11..c12), the alert acknowledged, then a deeper
     * run at 0.50 (c13) that the alert follows: it still names the change it opened with, from c11 to c12, not to the
     * commit of the run it follows now. Returns the alert's id.
     */
    private long acknowledgedDropFollowedByADeeperRun() throws Exception {
        JsonNode drop = dropAfterTwelveStableRuns();
        long id = alertOf(drop);
        HttpResponse<String> ack = post("/api/v1/alerts/" + id + "/state",
                "{\"state\": \"acknowledged\", \"comment\": \"bisecting\", \"actor\": \"ana\"}", TRIAGE);
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        long deeper = runOf(push(0.50));
        JsonNode a = get("/api/v1/alerts/" + id).path("alert");
        assertThat(List.of(a.path("transaction_id").asLong(), a.path("last_transaction_id").asLong()))
                .as("it names the drop's run and follows the deeper one: %s", a).containsExactly(runOf(drop), deeper);
        return id;
    }

    @Test
    void an_alert_that_follows_a_later_run_keeps_the_commit_range_of_its_change() throws Exception {
        start(0);

        long id = acknowledgedDropFollowedByADeeperRun();

        JsonNode alert = get("/api/v1/alerts/" + id).path("alert");
        assertThat(alert.path("verdict").asText()).as(alert.toString()).contains("c11..c12");
        assertThat(alert.path("commit_range").asText()).isEqualTo("c11..c12");
        assertThat(alert.path("compare_url").asText()).isEqualTo("https://github.com/acme/models/compare/c11...c12");
    }

    @Test
    void the_alerts_tab_shows_the_commit_range_of_the_change_of_an_alert_that_follows_a_later_run() throws Exception {
        start(0);

        acknowledgedDropFollowedByADeeperRun();

        HttpResponse<String> page = server.get("/alerts?state=all", "Authorization", "Bearer " + READ);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(">c11..c12<").doesNotContain("c11..c13").doesNotContain("c11...c13");
    }

    @Test
    void the_push_a_followed_alert_fails_names_the_commit_range_of_its_change() throws Exception {
        start(0);
        long id = alertOf(dropAfterTwelveStableRuns());

        JsonNode deeper = push(0.50);

        assertThat(deeper.path("alerts")).singleElement().satisfies(a -> {
            assertThat(a.path("id").asLong()).isEqualTo(id);
            assertThat(a.path("commit_range").asText()).as(a.toString()).isEqualTo("c11..c12");
        });
    }

    /** The alert a drop opened, the drop's first run (c10, CI run 110) and second (c11, CI run 111). */
    private record KeptDrop(long alert, long first, long second) {
    }

    /** {@link #noisyStableThenRegression}, a second run of the drop, then the first run excluded by ana. */
    private KeptDrop noisyDropWithItsFirstRunExcluded() throws Exception {
        JsonNode first = noisyStableThenRegression();
        long second = runOf(push(0.80));
        annotate(runOf(first), "excluded", "runner lost its GPU");
        return new KeptDrop(alertOf(first), runOf(first), second);
    }

    @Test
    void a_kept_alert_names_the_first_run_of_the_drop_left_after_its_first_run_is_excluded() throws Exception {
        start(0);

        KeptDrop drop = noisyDropWithItsFirstRunExcluded();

        JsonNode alert = get("/api/v1/alerts/" + drop.alert()).path("alert");
        assertThat(alert.path("transaction_id").asLong()).as(alert.toString()).isEqualTo(drop.second());
        assertThat(alert.path("shift_transaction_id").asLong()).isEqualTo(drop.second());
        assertThat(alert.path("run_id").asText()).isEqualTo("111");
        assertThat(alert.path("run_url").asText()).isEqualTo("https://ci.example/runs/111");
        assertThat(alert.path("commit_range").asText()).isEqualTo("c9..c11");
        assertThat(alert.path("compare_url").asText()).isEqualTo("https://github.com/acme/models/compare/c9...c11");
    }

    @Test
    void the_history_of_a_kept_alert_says_which_run_it_names_instead_of_the_excluded_one() throws Exception {
        start(0);

        KeptDrop drop = noisyDropWithItsFirstRunExcluded();

        JsonNode history = get("/api/v1/alerts/" + drop.alert()).path("history");
        assertThat(history.get(history.size() - 1).path("comment").asText())
                .startsWith("run " + drop.first() + " excluded").contains("the alert now names run " + drop.second());
    }

    @Test
    void including_the_excluded_first_run_again_makes_its_kept_alert_name_it_again() throws Exception {
        start(0);
        KeptDrop drop = noisyDropWithItsFirstRunExcluded();

        annotate(drop.first(), "included", "the GPU was fine after all");

        JsonNode alert = get("/api/v1/alerts/" + drop.alert()).path("alert");
        assertThat(alert.path("transaction_id").asLong()).as(alert.toString()).isEqualTo(drop.first());
        assertThat(alert.path("run_id").asText()).isEqualTo("110");
        assertThat(alert.path("commit_range").asText()).isEqualTo("c9..c10");
        assertThat(alert.path("state").asText()).isEqualTo("open");
    }

    /**
     * A drop of two or three runs ({@code runsOfDrop}): its first two runs excluded one after the other (the alert moves
     * to the second, then to the third or resolves when there is none), then included again in either order: the alert
     * is as it was before any exclusion, open and naming the drop's first run.
     */
    @ParameterizedTest(name = "{0} runs of the drop, first run included first: {1}")
    @CsvSource({"2, true", "2, false", "3, true", "3, false"})
    void excluding_the_first_two_runs_of_a_drop_and_including_them_again_in_any_order_restores_its_alert(
            int runsOfDrop, boolean firstRunFirst) throws Exception {
        start(0);
        JsonNode first = noisyStableThenRegression();
        long id = alertOf(first);
        long second = runOf(push(0.80));
        if (runsOfDrop == 3) {
            push(0.80);
        }
        annotate(runOf(first), "excluded", "runner lost its GPU");
        annotate(second, "excluded", "runner lost its GPU");

        for (long run : firstRunFirst ? List.of(runOf(first), second) : List.of(second, runOf(first))) {
            annotate(run, "included", "the GPU was fine after all");
        }

        JsonNode alert = get("/api/v1/alerts/" + id).path("alert");
        assertThat(alert.path("state").asText()).as(alert.toString()).isEqualTo("open");
        assertThat(alert.path("transaction_id").asLong()).isEqualTo(runOf(first));
        assertThat(alert.path("shift_transaction_id").asLong()).isEqualTo(runOf(first));
        assertThat(alert.path("run_id").asText()).isEqualTo("110");
        assertThat(alert.path("commit_range").asText()).isEqualTo("c9..c10");
        assertThat(get("/api/v1/alerts?state=open").path("alerts")).hasSize(1);
    }

    @Test
    void including_again_a_later_run_of_a_drop_whose_alert_an_exclusion_resolved_reopens_it_naming_that_run() throws Exception {
        start(0);
        JsonNode first = noisyStableThenRegression();
        long id = alertOf(first);
        long second = runOf(push(0.80));
        annotate(second, "excluded", "runner lost its GPU"); // the alert names the first run: nothing changes
        JsonNode resolved = annotate(runOf(first), "excluded", "runner lost its GPU"); // no run of the drop left
        listedAlert(resolved, id, "resolved", "resolved");

        JsonNode answer = annotate(second, "included", "the GPU was fine after all");

        JsonNode reopened = listedAlert(answer, id, "reopened", "open");
        assertThat(reopened.path("transaction_id").asLong()).isEqualTo(second);
        JsonNode history = get("/api/v1/alerts/" + id).path("history");
        assertThat(history.get(history.size() - 1).path("comment").asText())
                .startsWith("run " + second + " included again").contains("the alert names run " + second);
    }

    /** The one alert an annotation's answer lists, once its id, what happened to it and its state are as given. */
    private static JsonNode listedAlert(JsonNode answer, long id, String effect, String state) {
        assertThat(answer.path("alerts")).as(answer.toString()).hasSize(1);
        JsonNode alert = answer.path("alerts").get(0);
        assertThat(alert.path("id").asLong()).isEqualTo(id);
        assertThat(alert.path("effect").asText()).isEqualTo(effect);
        assertThat(alert.path("state").asText()).isEqualTo(state);
        return alert;
    }

    @Test
    void the_answer_of_an_exclusion_lists_the_alert_it_kept_with_the_run_it_names() throws Exception {
        start(0);
        JsonNode first = noisyStableThenRegression();
        long second = runOf(push(0.80));

        JsonNode answer = annotate(runOf(first), "excluded", "runner lost its GPU");

        JsonNode kept = listedAlert(answer, alertOf(first), "kept", "open");
        assertThat(kept.path("transaction_id").asLong()).isEqualTo(second);
    }

    @Test
    void the_answer_of_an_exclusion_lists_the_alert_it_resolved() throws Exception {
        start(0);
        JsonNode glitch = stableThenRegression();

        JsonNode answer = annotate(runOf(glitch), "excluded", "broken GPU");

        listedAlert(answer, alertOf(glitch), "resolved", "resolved");
    }

    @Test
    void the_answer_of_an_inclusion_lists_the_alert_it_reopened() throws Exception {
        start(0);
        JsonNode glitch = stableThenRegression();
        annotate(runOf(glitch), "excluded", "broken GPU");

        JsonNode answer = annotate(runOf(glitch), "included", "the GPU was fine after all");

        listedAlert(answer, alertOf(glitch), "reopened", "open");
    }

    /** The next webhook request (signed) and Slack message announce alert {@code id}, open, as a new alert. */
    private void assertAnnouncedAsNew(long id) throws Exception {
        WebhookReceiver.Received again = hook.next(Duration.ofSeconds(30));
        assertThat(again).as("webhook request").isNotNull();
        assertThat(Signature.verify(SECRET, again.body(), again.headers().get("x-benchmon-signature-256"))).isTrue();
        JsonNode item = ResultJson.mapper().readTree(again.body()).path("alerts").get(0);
        assertThat(item.path("id").asLong()).isEqualTo(id);
        assertThat(item.path("state").asText()).isEqualTo("open");
        assertThat(slack.next(Duration.ofSeconds(30)).text()).contains("1 new regression alert").contains("|alert " + id + ">");
    }

    @Test
    void an_alert_reopened_by_including_its_run_again_is_announced_as_a_new_alert_is() throws Exception {
        start(0);
        JsonNode glitch = stableThenRegression();
        long id = alertOf(glitch);
        assertThat(alertIds(hook.next(Duration.ofSeconds(30)), false)).containsExactly(id); // opened
        assertThat(slack.next(Duration.ofSeconds(30))).isNotNull();
        annotate(runOf(glitch), "excluded", "broken GPU");

        annotate(runOf(glitch), "included", "the GPU was fine after all");

        assertAnnouncedAsNew(id);
    }

    @Test
    void an_alert_reopened_by_excluding_the_run_that_resolved_it_is_announced_as_a_new_alert_is() throws Exception {
        start(0);
        long id = regressionAlert();
        assertThat(alertIds(hook.next(Duration.ofSeconds(30)), false)).containsExactly(id); // opened
        assertThat(slack.next(Duration.ofSeconds(30))).isNotNull();
        long back = runOf(push(0.90));
        assertThat(get("/api/v1/alerts/" + id).path("alert").path("state").asText()).as("resolved by the run back").isEqualTo("resolved");

        annotate(back, "excluded", "wrong config");

        assertAnnouncedAsNew(id);
    }

    @Test
    void after_excluding_the_first_run_of_a_drop_a_later_run_of_the_drop_follows_the_same_alert() throws Exception {
        start(0);
        JsonNode first = stableThenRegression();
        long id = alertOf(first);
        push(0.80);
        annotate(runOf(first), "excluded", "wrong data");

        JsonNode later = push(0.80);

        assertThat(later.path("alerts")).extracting(a -> a.path("id").asLong()).containsExactly(id);
        assertThat(get("/api/v1/alerts").path("alerts")).singleElement()
                .satisfies(a -> assertThat(a.path("state").asText()).isEqualTo("open"));
    }

    @Test
    void excluding_a_single_run_glitch_resolves_its_alert_and_the_runs_back_to_normal_open_nothing() throws Exception {
        start(0);
        JsonNode glitch = stableThenRegression();
        long id = alertOf(glitch);

        JsonNode answer = annotate(runOf(glitch), "excluded", "broken GPU");
        push(0.90);
        push(0.90);

        assertThat(answer.path("resolved_alerts")).extracting(JsonNode::asLong).containsExactly(id);
        assertThat(get("/api/v1/alerts").path("alerts")).singleElement()
                .satisfies(a -> assertThat(a.path("state").asText()).isEqualTo("resolved"));
        assertThat(seriesVerdict().path("is_regression").asBoolean()).isFalse();
    }

    @Test
    void including_an_excluded_glitch_again_reopens_the_alert_its_exclusion_resolved() throws Exception {
        start(0);
        JsonNode glitch = stableThenRegression();
        long id = alertOf(glitch);
        long run = runOf(glitch);
        annotate(run, "excluded", "broken GPU");

        annotate(run, "included", "the GPU was fine after all");

        JsonNode alert = get("/api/v1/alerts/" + id);
        assertThat(alert.path("alert").path("state").asText()).isEqualTo("open");
        assertThat(alert.path("history")).extracting(e -> e.path("state").asText())
                .containsExactly("open", "resolved", "open");
        assertThat(seriesVerdict().path("is_regression").asBoolean()).isTrue();
    }

    @Test
    void including_a_glitch_again_after_the_series_came_back_leaves_its_alert_resolved() throws Exception {
        start(0);
        JsonNode glitch = stableThenRegression();
        long id = alertOf(glitch);
        long run = runOf(glitch);
        annotate(run, "excluded", "broken GPU");
        push(0.90);

        annotate(run, "included", "the GPU was fine after all");

        assertThat(get("/api/v1/alerts/" + id).path("alert").path("state").asText()).isEqualTo("resolved");
        assertThat(get("/api/v1/alerts?state=open").path("alerts")).isEmpty();
    }

    @Test
    void excluding_the_first_run_of_errors_that_stay_up_from_zero_keeps_its_alert_open() throws Exception {
        start(0);
        for (int i = 0; i < 4; i++) {
            push("oom_errors", 0);
        }
        JsonNode first = push("oom_errors", 5);
        long id = alertOf(first);
        push("oom_errors", 5);
        push("oom_errors", 5);

        JsonNode answer = annotate(runOf(first), "excluded", "flaky runner");

        assertThat(answer.path("resolved_alerts")).isEmpty();
        assertThat(get("/api/v1/alerts/" + id).path("alert").path("state").asText()).isEqualTo("open");
    }

    @Test
    void including_a_glitch_again_while_its_series_is_muted_restores_its_alert_muted() throws Exception {
        start(0);
        JsonNode glitch = stableThenRegression();
        long id = alertOf(glitch);
        long run = runOf(glitch);
        annotate(run, "excluded", "broken GPU");
        HttpResponse<String> mute = post("/api/v1/series/" + seriesId() + "/mutes",
                "{\"reason\": \"runner migration\", \"for\": \"7d\", \"actor\": \"ana\"}", TRIAGE);
        assertThat(mute.statusCode()).as(mute.body()).isEqualTo(201);

        annotate(run, "included", "the GPU was fine after all");

        assertThat(get("/api/v1/alerts/" + id).path("alert").path("state").asText()).isEqualTo("muted");
        assertThat(get("/api/v1/alerts?state=open").path("alerts")).isEmpty();
    }

    @Test
    void unmuting_a_series_through_the_api_ends_its_mute_now_and_its_alert_opens_and_is_announced() throws Exception {
        start(0);
        long id = regressionAlert();
        assertThat(alertIds(hook.next(Duration.ofSeconds(30)), false)).containsExactly(id); // opened
        String series = "/api/v1/series/" + seriesId();
        assertThat(post(series + "/mutes", "{\"reason\": \"runner migration\", \"for\": \"7d\", \"actor\": \"ana\"}", TRIAGE)
                .statusCode()).isEqualTo(201);
        String body = "{\"reason\": \"migration done\", \"actor\": \"bo\"}";
        assertThat(post(series + "/unmute", body, READ).statusCode()).isEqualTo(403);

        HttpResponse<String> r = post(series + "/unmute", body, TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = ResultJson.mapper().readTree(r.body());
        assertThat(answer.path("mute_ids")).hasSize(1);
        JsonNode opened = answer.path("alerts").get(0);
        assertThat(List.of(opened.path("id").asLong(), opened.path("effect").asText(), opened.path("state").asText()))
                .containsExactly(id, "opened", "open");
        JsonNode history = get("/api/v1/alerts/" + id).path("history");
        assertThat(history.get(history.size() - 1).path("comment").asText())
                .isEqualTo("mute " + answer.path("mute_ids").get(0).asLong() + " ended early: migration done");
        assertThat(get("/api/v1/mutes?active=true").path("mutes")).isEmpty();
        JsonNode ended = get("/api/v1/mutes").path("mutes").get(0);
        assertThat(ended.path("ended_by").asText()).isEqualTo("bo");
        assertThat(ended.path("ends_at").asText()).as("in force until it ended").isEqualTo(ended.path("ended_at").asText());
        assertThat(alertIds(hook.next(Duration.ofSeconds(30)), false)).containsExactly(id); // announced again
        HttpResponse<String> none = post(series + "/unmute", body, TRIAGE);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(404);
        assertThat(refusedField(post("/api/v1/alerts/" + id + "/unmute", "{\"actor\": \"bo\"}", TRIAGE), 409)).isEqualTo("alert");
    }

    /** Alert {@code id} muted by ana, {@code why} its reason, and no series mute. */
    private void muteAlert(long id, String why) throws Exception {
        assertThat(post("/api/v1/alerts/" + id + "/state", "{\"state\": \"muted\", \"comment\": \"" + why + "\","
                + " \"actor\": \"ana\"}", TRIAGE).statusCode()).isEqualTo(200);
    }

    /** An alert muted for a period, as {@code alerts mute ID --for 7d} does it: its state, then its metric's mute. */
    private long muteAlertForAPeriod(long id) throws Exception {
        return muteAlertForAPeriod(id, "f1");
    }

    /**
     * An alert muted for a period with its series' mute of {@code metric} ({@code null}: every metric) that names it,
     * as {@code alerts mute ID --for 7d} makes it: its state, then that mute. Returns the mute's id.
     */
    private long muteAlertForAPeriod(long id, String metric) throws Exception {
        muteAlert(id, "runner migration");
        HttpResponse<String> mute = post("/api/v1/series/" + seriesId() + "/mutes", "{"
                + (metric == null ? "" : "\"metric\": \"" + metric + "\", ") + "\"reason\": \"runner migration\", "
                + "\"for\": \"7d\", \"actor\": \"ana\", \"alert_id\": " + id + "}", TRIAGE);
        assertThat(mute.statusCode()).as(mute.body()).isEqualTo(201);
        return ResultJson.mapper().readTree(mute.body()).path("mute_id").asLong();
    }

    /**
     * Asserts that {@code answer} names mute {@code mute} alone as ended, with {@code note}, that no mute is in force
     * any more, and that the listing shows it ended by bo with {@code endReason}.
     */
    private void endedAlone(JsonNode answer, long mute, String note, String endReason) throws Exception {
        assertThat(answer.path("mutes_ended")).hasSize(1);
        assertThat(answer.path("mutes_ended").get(0).path("id").asLong()).isEqualTo(mute);
        assertThat(answer.path("mutes_ended").get(0).path("note").asText()).isEqualTo(note);
        assertThat(get("/api/v1/mutes?active=true").path("mutes")).isEmpty();
        JsonNode ended = get("/api/v1/mutes").path("mutes").get(0);
        assertThat(List.of(ended.path("ended_by").asText(), ended.path("end_reason").asText()))
                .containsExactly("bo", endReason);
    }

    @Test
    void unmuting_an_alert_through_the_api_ends_the_series_mute_its_mute_created_and_the_next_regression_opens()
            throws Exception {
        start(0);
        long id = regressionAlert();
        long mute = muteAlertForAPeriod(id);

        HttpResponse<String> r = post("/api/v1/alerts/" + id + "/unmute", "{\"comment\": \"migration done\", \"actor\": \"bo\"}",
                TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = ResultJson.mapper().readTree(r.body());
        assertThat(answer.path("alert").path("state").asText()).isEqualTo("open");
        endedAlone(answer, mute, "the mute of series " + seriesId() + " metric f1 (mute " + mute + "), created when alert "
                + id + " was muted, ended with its unmute", "alert " + id + ", whose mute created it, unmuted: migration done");
        assertThat(answer.path("mutes_in_force")).isEmpty();
        push(0.90); // back at the baseline: the alert resolves
        JsonNode next = push(0.78).path("alerts");
        assertThat(next).hasSize(1);
        assertThat(next.get(0).path("id").asLong()).isNotEqualTo(id);
        assertThat(next.get(0).path("state").asText()).as("a new alert of the metric is not muted any more").isEqualTo("open");
    }

    @Test
    void resolving_a_muted_alert_through_the_api_ends_the_series_mute_its_mute_created_and_names_it_in_the_answer()
            throws Exception {
        start(0);
        long id = regressionAlert();
        long mute = muteAlertForAPeriod(id);

        HttpResponse<String> r = post("/api/v1/alerts/" + id + "/state",
                "{\"state\": \"resolved\", \"comment\": \"fixed upstream\", \"actor\": \"bo\"}", TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = ResultJson.mapper().readTree(r.body());
        assertThat(answer.path("alert").path("state").asText()).isEqualTo("resolved");
        endedAlone(answer, mute, "the mute of series " + seriesId() + " metric f1 (mute " + mute + "), created when alert "
                + id + " was muted, ended when it was resolved", "alert " + id + ", whose mute created it, resolved: fixed upstream");
        assertThat(answer.path("alerts")).isEmpty();
        JsonNode next = push(0.78).path("alerts");
        assertThat(next).hasSize(1);
        assertThat(next.get(0).path("state").asText()).as("a new alert of the metric is not muted any more").isEqualTo("open");
    }

    @Test
    void acknowledging_a_muted_alert_opens_and_announces_the_alerts_its_series_mute_alone_silenced() throws Exception {
        start(0);
        long id = regressionAlert();
        assertThat(alertIds(hook.next(Duration.ofSeconds(30)), false)).containsExactly(id); // opened
        muteAlertForAPeriod(id, null); // every metric
        for (int i = 0; i < 4; i++) {
            push("loss", 1.0);
        }
        long loss = alertOf(push("loss", 2.0));
        assertThat(get("/api/v1/alerts/" + loss).path("alert").path("state").asText()).isEqualTo("muted");

        HttpResponse<String> r = post("/api/v1/alerts/" + id + "/state",
                "{\"state\": \"acknowledged\", \"comment\": \"bisecting\", \"actor\": \"bo\"}", TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = ResultJson.mapper().readTree(r.body());
        assertThat(answer.path("mutes_ended")).hasSize(1);
        listedAlert(answer, loss, "opened", "open");
        assertThat(alertIds(hook.next(Duration.ofSeconds(30)), false)).as("announced, as at a mute's expiry")
                .containsExactly(loss);
        waitIdle();
        assertThat(hook.pending()).as("the acknowledged alert itself is triage: not announced").isZero();
    }

    @Test
    void resolving_a_muted_alert_leaves_a_series_mute_a_person_made_separately_in_force() throws Exception {
        start(0);
        long id = regressionAlert();
        HttpResponse<String> own = post("/api/v1/series/" + seriesId() + "/mutes",
                "{\"metric\": \"f1\", \"reason\": \"noisy runner\", \"for\": \"7d\", \"actor\": \"cy\"}", TRIAGE);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
        long mute = ResultJson.mapper().readTree(own.body()).path("mute_id").asLong();
        assertThat(get("/api/v1/alerts/" + id).path("alert").path("state").asText()).isEqualTo("muted");

        HttpResponse<String> r = post("/api/v1/alerts/" + id + "/state", "{\"state\": \"resolved\", \"actor\": \"bo\"}",
                TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = ResultJson.mapper().readTree(r.body());
        assertThat(answer.path("mutes_ended")).isEmpty();
        assertThat(answer.path("alerts")).isEmpty();
        assertThat(get("/api/v1/mutes?active=true").path("mutes").get(0).path("id").asLong()).isEqualTo(mute);
    }

    @Test
    void the_list_of_mutes_names_the_alert_whose_mute_created_each_and_null_for_a_mute_made_on_its_own()
            throws Exception {
        start(0);
        long id = regressionAlert();
        long byAlert = muteAlertForAPeriod(id);
        HttpResponse<String> own = post("/api/v1/series/" + seriesId() + "/mutes",
                "{\"reason\": \"noisy runner\", \"for\": \"7d\", \"actor\": \"cy\"}", TRIAGE);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(201);

        JsonNode mutes = get("/api/v1/mutes").path("mutes");

        assertThat(mutes).hasSize(2);
        assertThat(mutes.get(1).path("id").asLong()).isEqualTo(byAlert);
        assertThat(mutes.get(1).path("alert_id").asLong()).isEqualTo(id);
        assertThat(mutes.get(0).has("alert_id")).isTrue();
        assertThat(mutes.get(0).path("alert_id").isNull()).as("made on its own").isTrue();
    }

    @Test
    void unmuting_an_alert_leaves_a_series_mute_a_person_made_separately_in_force() throws Exception {
        start(0);
        long id = regressionAlert();
        muteAlert(id, "flaky");
        HttpResponse<String> own = post("/api/v1/series/" + seriesId() + "/mutes",
                "{\"metric\": \"f1\", \"reason\": \"noisy runner\", \"for\": \"7d\", \"actor\": \"cy\"}", TRIAGE);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
        long mute = ResultJson.mapper().readTree(own.body()).path("mute_id").asLong();

        HttpResponse<String> r = post("/api/v1/alerts/" + id + "/unmute", "{\"actor\": \"bo\"}", TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = ResultJson.mapper().readTree(r.body());
        assertThat(answer.path("alert").path("state").asText()).isEqualTo("open");
        assertThat(answer.path("mutes_ended")).isEmpty();
        assertThat(answer.path("mutes_in_force")).hasSize(1);
        assertThat(answer.path("mutes_in_force").get(0).path("id").asLong()).isEqualTo(mute);
        assertThat(get("/api/v1/mutes?active=true").path("mutes").get(0).path("id").asLong()).isEqualTo(mute);
        push(0.90); // back at the baseline: the alert resolves
        JsonNode next = push(0.78).path("alerts");
        assertThat(next).hasSize(1);
        assertThat(next.get(0).path("state").asText()).as("the person's mute still silences the metric").isEqualTo("muted");
    }

    @Test
    void a_series_mute_naming_an_alert_of_another_metric_is_a_400_naming_alert_id_and_stores_no_mute() throws Exception {
        start(0);
        long id = regressionAlert();
        push("loss", 1.0);

        HttpResponse<String> r = post("/api/v1/series/" + seriesId() + "/mutes", "{\"metric\": \"loss\", \"reason\": \"r\","
                + " \"for\": \"7d\", \"actor\": \"ana\", \"alert_id\": " + id + "}", TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(refusedField(r)).isEqualTo("alert_id");
        assertThat(r.body()).contains("alert " + id + " is of series " + seriesId() + " metric f1");
        assertThat(get("/api/v1/mutes").path("mutes")).isEmpty();
    }

    @Test
    void an_alert_a_person_muted_and_unmuted_with_its_series_mutes_is_not_announced_again() throws Exception {
        start(0);
        long id = regressionAlert();
        assertThat(alertIds(hook.next(Duration.ofSeconds(30)), false)).containsExactly(id); // opened
        String series = "/api/v1/series/" + seriesId();
        muteAlert(id, "flaky");
        assertThat(post(series + "/mutes", "{\"reason\": \"runner migration\", \"for\": \"7d\", \"actor\": \"ana\"}", TRIAGE)
                .statusCode()).isEqualTo(201);

        HttpResponse<String> r = post(series + "/unmute", "{\"actor\": \"bo\", \"alert_id\": " + id + "}", TRIAGE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode unmuted = ResultJson.mapper().readTree(r.body()).path("alerts").get(0);
        assertThat(List.of(unmuted.path("id").asLong(), unmuted.path("effect").asText(), unmuted.path("state").asText()))
                .containsExactly(id, "unmuted", "open");
        waitIdle();
        assertThat(hook.pending()).as("a hand unmute is triage, as alerts/{id}/unmute: not announced").isZero();
    }

    @Test
    void muting_an_alert_without_a_comment_is_a_400_naming_comment_and_changes_nothing() throws Exception {
        start(0);
        long id = regressionAlert();

        HttpResponse<String> r = post("/api/v1/alerts/" + id + "/state", "{\"state\": \"muted\", \"comment\": \"  \", \"actor\": \"ana\"}",
                TRIAGE);

        assertThat(refusedField(r)).as(r.body()).isEqualTo("comment");
        assertThat(r.body()).contains("must say why the alert is muted");
        assertThat(get("/api/v1/alerts/" + id).path("alert").path("state").asText()).isEqualTo("open");
        assertThat(get("/api/v1/alerts/" + id).path("history")).hasSize(1);
    }

    @Test
    void muting_an_alert_a_person_muted_already_answers_200_unchanged_with_the_event_that_muted_it() throws Exception {
        start(0);
        long id = regressionAlert();
        String state = "/api/v1/alerts/" + id + "/state";
        JsonNode first = ResultJson.mapper().readTree(post(state,
                "{\"state\": \"muted\", \"comment\": \"flaky runner\", \"actor\": \"ana\"}", TRIAGE).body());

        HttpResponse<String> again = post(state, "{\"state\": \"muted\", \"comment\": \"still flaky\", \"actor\": \"bo\"}", TRIAGE);

        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        JsonNode answer = ResultJson.mapper().readTree(again.body());
        assertThat(first.path("changed").asBoolean()).isTrue();
        assertThat(answer.path("changed").asBoolean(true)).isFalse();
        assertThat(answer.path("event")).isEqualTo(first.path("event"));
        assertThat(get("/api/v1/alerts/" + id).path("history")).hasSize(2); // opened, muted once
    }

    @Test
    void unmuting_a_series_with_an_alert_that_is_not_muted_is_a_409_naming_alert_id_and_ends_no_mute() throws Exception {
        start(0);
        long id = regressionAlert();
        String series = "/api/v1/series/" + seriesId();
        assertThat(post("/api/v1/alerts/" + id + "/state", "{\"state\": \"acknowledged\", \"actor\": \"ana\"}", TRIAGE)
                .statusCode()).isEqualTo(200);
        assertThat(post(series + "/mutes", "{\"reason\": \"runner migration\", \"for\": \"7d\", \"actor\": \"ana\"}", TRIAGE)
                .statusCode()).isEqualTo(201);

        HttpResponse<String> r = post(series + "/unmute", "{\"actor\": \"bo\", \"alert_id\": " + id + "}", TRIAGE);

        assertThat(refusedField(r, 409)).as(r.body()).isEqualTo("alert_id");
        assertThat(get("/api/v1/mutes?active=true").path("mutes")).hasSize(1);
    }

    /** f1 at 0.88 and 0.92 (noise), then drifting down to 0.70, which opens an alert (-20.5%, minor); its answer. */
    private JsonNode driftOpeningAt070() throws Exception {
        for (int i = 0; i < 10; i++) {
            push(i % 2 == 0 ? 0.88 : 0.92);
        }
        for (double f1 : new double[] {0.84, 0.84, 0.80, 0.75}) {
            push(f1);
        }
        return push(0.70);
    }

    /**
     * {@link #driftOpeningAt070}; at 0.60 the engine's baseline has followed the drift and judges the run fine, but the
     * change from the alert's baseline has deepened.
     */
    @Test
    void a_drop_that_deepens_shows_its_change_now_beside_the_opening_and_the_escalation_is_an_event() throws Exception {
        start(0);
        JsonNode opened = driftOpeningAt070();
        long id = alertOf(opened);
        assertThat(opened.path("alerts").get(0).path("now_change").asText()).isEqualTo("-18.0 points");

        long deeper = runOf(push(0.60));
        push(0.60);

        JsonNode alert = get("/api/v1/alerts/" + id);
        JsonNode a = alert.path("alert");
        assertThat(List.of(a.path("change").asText(), a.path("severity").asText())).as(a.toString())
                .containsExactly("-18.0 points", "minor"); // the opening, kept (f1: in points, as its verdict)
        assertThat(List.of(a.path("now_change").asText(), a.path("now_severity").asText(), a.path("now_transaction_id").asText()))
                .containsExactly("-28.0 points", "major", String.valueOf(deeper + 1));
        assertThat(a.path("now_value").asDouble()).isEqualTo(0.60);
        assertThat(alert.path("history")).filteredOn(e -> e.path("source").asText().equals("severity")).singleElement()
                .satisfies(e -> assertThat(e.path("comment").asText()).startsWith("severity escalated from minor to major: f1 0.6000 in run "
                        + deeper + " against the baseline 0.8800").contains("(-28.0 points; it opened at -18.0 points)")) // as the alert words it
                .satisfies(e -> assertThat(e.path("state").asText()).isEqualTo("open"));
        assertThat(server.get("/alerts", "Authorization", "Bearer " + READ).body()).contains("now -28.0 points major");
    }

    /** {@link #driftOpeningAt070}, deepened to major: noise back and forth across the threshold is announced once. */
    @Test
    void a_severity_escalation_is_announced_once_while_the_change_moves_back_and_forth() throws Exception {
        start(0);
        long id = alertOf(driftOpeningAt070());

        for (double f1 : new double[] {0.60, 0.66, 0.60, 0.66, 0.60}) {
            push(f1);
        }

        JsonNode alert = get("/api/v1/alerts/" + id);
        assertThat(alert.path("history")).filteredOn(e -> e.path("source").asText().equals("severity")).as(alert.toString())
                .singleElement().satisfies(e -> assertThat(e.path("comment").asText()).startsWith("severity escalated from minor to major"));
    }

    /**
     * {@link #driftOpeningAt070}, deepened to major (0.60), then a little back (0.66, minor by itself): the severity now
     * the API shows is the one its history announced, not a grade of the newest run alone.
     */
    @Test
    void the_severity_now_shown_is_the_escalation_announced_even_when_the_newest_run_alone_grades_lower() throws Exception {
        start(0);
        long id = alertOf(driftOpeningAt070());

        push(0.60);
        push(0.66);

        JsonNode alert = get("/api/v1/alerts/" + id);
        assertThat(alert.path("history")).filteredOn(e -> e.path("source").asText().equals("severity")).as(alert.toString())
                .singleElement().satisfies(e -> assertThat(e.path("comment").asText()).startsWith("severity escalated from minor to major"));
        assertThat(alert.path("alert").path("now_severity").asText()).as(alert.toString()).isEqualTo("major");
    }

    /**
     * {@link #driftOpeningAt070}: a value far past the baseline the good way is no worse a change than the opening, and it
     * is back at the old level (past it), so it resolves the alert rather than keeping it open at its opening's grade.
     */
    @Test
    void an_improvement_past_the_baseline_is_not_graded_as_an_escalation_and_resolves_the_alert() throws Exception {
        start(0);
        long id = alertOf(driftOpeningAt070());

        push(1.2); // +36% from the baseline 0.88: as far the other way as a major drop would be

        JsonNode alert = get("/api/v1/alerts/" + id);
        assertThat(alert.path("history")).filteredOn(e -> e.path("source").asText().equals("severity")).as(alert.toString()).isEmpty();
        assertThat(alert.path("alert").path("state").asText()).as(alert.toString()).isEqualTo("resolved");
    }

    /**
     * {@link #driftOpeningAt070}: the alert opens at 0.70 and follows no later run (at 0.60 the engine's baseline has
     * followed the drift). Excluding its run moves the run it follows and its value to the 0.60 left; including that run
     * again moves them back.
     */
    @Test
    void including_again_the_run_an_alert_followed_restores_the_run_it_follows_and_its_value() throws Exception {
        start(0);
        JsonNode opened = driftOpeningAt070();
        long id = alertOf(opened);
        long raised = runOf(opened);
        long later = runOf(push(0.60));
        annotate(raised, "excluded", "runner lost its GPU");
        JsonNode moved = get("/api/v1/alerts/" + id).path("alert");
        assertThat(List.of(moved.path("last_transaction_id").asLong(), moved.path("current").asDouble())).as(moved.toString())
                .containsExactly(later, 0.60);

        annotate(raised, "included", "the GPU was fine after all");

        JsonNode alert = get("/api/v1/alerts/" + id).path("alert");
        assertThat(List.of(alert.path("transaction_id").asLong(), alert.path("last_transaction_id").asLong()))
                .as(alert.toString()).containsExactly(raised, raised);
        assertThat(alert.path("current").asDouble()).isEqualTo(0.70);
        assertThat(alert.path("state").asText()).isEqualTo("open");
    }

    /**
     * f1 at 0.90 and 0.91, a drop to 0.80 (the alert opens, -11.6% from its baseline of 0.905) that persists, so the
     * engine's baseline becomes the new level, then deepens to 0.70 (the alert follows it). Back at the old level means
     * nearer the baseline than half the change the alert opened with (0.0525): at 0.83 the engine judges the run fine
     * (above its baseline of 0.80) and it lies within half the deepened change (0.1025), but not within half the
     * opening's, so the alert stays open; 0.90 resolves it.
     */
    @Test
    void a_drop_that_deepened_resolves_only_once_back_within_half_the_change_it_opened_with() throws Exception {
        start(0);
        long id = alertOf(noisyStableThenRegression());
        for (double f1 : new double[] {0.80, 0.80, 0.80, 0.80, 0.70}) {
            push(f1);
        }
        JsonNode deeper = get("/api/v1/alerts/" + id).path("alert");
        assertThat(List.of(deeper.path("baseline").asDouble(), deeper.path("current").asDouble())).as(deeper.toString())
                .containsExactly(0.905, 0.70); // it followed the deeper drop

        push(0.83);

        assertThat(seriesVerdict().path("is_regression").asBoolean()).isFalse();
        JsonNode partial = get("/api/v1/alerts/" + id).path("alert");
        assertThat(partial.path("state").asText()).as(partial.toString()).isEqualTo("open");

        long back = runOf(push(0.90));

        JsonNode alert = get("/api/v1/alerts/" + id);
        assertThat(alert.path("alert").path("state").asText()).as(alert.toString()).isEqualTo("resolved");
        assertThat(alert.path("history").get(alert.path("history").size() - 1).path("comment").asText())
                .startsWith("back within noise in run " + back);
    }

    @Test
    void a_muted_series_records_its_alert_muted_and_notifies_nobody() throws Exception {
        start(0);
        for (int i = 0; i < 4; i++) {
            push(0.90);
        }
        int series = seriesId();
        HttpResponse<String> mute = post("/api/v1/series/" + series + "/mutes",
                "{\"reason\": \"runner migration\", \"for\": \"7d\", \"actor\": \"ana\"}", TRIAGE);
        assertThat(mute.statusCode()).as(mute.body()).isEqualTo(201);

        JsonNode answer = push(0.80);

        assertThat(answer.path("alerts").get(0).path("state").asText()).isEqualTo("muted");
        waitIdle();
        assertThat(hook.pending()).isZero();
        assertThat(get("/api/v1/mutes?active=true").path("mutes").get(0).path("reason").asText()).isEqualTo("runner migration");
    }

    private int seriesId() {
        return server.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT id FROM series").mapTo(Integer.class).one());
    }

    private void waitIdle() throws InterruptedException {
        // The notifier of the server under test: every queued message delivered or given up.
        assertThat(serverAlerting().notifier().awaitIdle(Duration.ofSeconds(30))).isTrue();
    }

    private Alerting serverAlerting() {
        return server.server().alerting();
    }
}
