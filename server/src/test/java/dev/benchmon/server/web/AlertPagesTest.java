package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.alert.AlertFilter;
import dev.benchmon.alert.AlertState;
import dev.benchmon.server.ServerSettings;
import dev.benchmon.server.Tokens;
import dev.benchmon.server.alert.AlertEndpoints;
import dev.benchmon.server.alert.AlertSettings;
import dev.benchmon.server.alert.TriageAuth;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert pages' triage forms and ids over real HTTP on real servers (the browser flow is
 * {@link AlertsBrowserTest}): a form posted from another site is refused, a read-only server refuses
 * triage, the triage cookie holds a session rather than the token, and a series id beyond the int
 * range names no series. Requests send the headers a browser would (Origin on a form POST).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertPagesTest {
    private static final String READ = "read-token-5ecret";
    private static final String WRITE = "write-token-5ecret";
    private static final String FORM = "application/x-www-form-urlencoded";

    private final List<TestServer> servers = new ArrayList<>();
    /** No tokens: triage is open, so only the same-origin check stands between a site and the forms. */
    private TestServer open;
    /** A write and a read token. */
    private TestServer guarded;
    private long openAlert;
    private long openRun;
    private long guardedRun;

    @BeforeAll
    void start() {
        open = serve(ServerSettings.defaults());
        guarded = serve(ServerSettings.defaults().withTokens(Tokens.of(WRITE, READ)).withAlerts(AlertSettings.none()));
        double[] f1 = {0.90, 0.91, 0.89, 0.90, 0.78};
        for (int h = 0; h < f1.length; h++) {
            String body = "{\"model_version\":\"m\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\"2026-01-01T0"
                    + h + ":00:00Z\",\"metrics\":{\"f1\":" + f1[h] + "}}";
            assertThat(open.postJson("/api/v1/results", body).statusCode()).isEqualTo(201);
        }
        openAlert = open.benchmon().alertBook().list(AlertFilter.states(AlertState.OPEN)).get(0).id();
        openRun = open.benchmon().alertBook().get(openAlert).transactionId();
        guardedRun = storedRun(guarded);
    }

    @AfterAll
    void stop() {
        servers.forEach(TestServer::close);
    }

    private TestServer serve(ServerSettings settings) {
        TestServer s = TestServer.start(settings);
        servers.add(s);
        return s;
    }

    private static long storedRun(TestServer server) {
        return server.benchmon().record(BenchmarkResult.builder("m", "d").environment("ci").metric("f1", 0.9).build())
                .transactionId();
    }

    /** Five runs of f1 on {@code server}, the last a drop: the id of the regression alert they open. */
    private static long openF1Alert(TestServer server) {
        double[] f1 = {0.90, 0.91, 0.89, 0.90, 0.78};
        for (int h = 0; h < f1.length; h++) {
            assertThat(server.postJson("/api/v1/results", "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                    + "\"run_at\":\"2026-01-01T0" + h + ":00:00Z\",\"metrics\":{\"f1\":" + f1[h] + "}}").statusCode()).isEqualTo(201);
        }
        return server.benchmon().alertBook().list(AlertFilter.states(AlertState.OPEN)).get(0).id();
    }

    /** This server's own origin, as a browser sends it with a form posted from one of its pages. */
    private static String origin(TestServer server) {
        return "http://127.0.0.1:" + server.port();
    }

    /** Signs in on {@code server}'s login form with the read token; returns the Cookie header value it set. */
    private static String readCookie(TestServer server) {
        HttpResponse<String> login = postForm(server, "/login", "token=" + READ + "&next=%2F", "Origin", origin(server));
        String cookie = login.headers().firstValue("Set-Cookie")
                .orElseThrow(() -> new AssertionError("no read login cookie: " + login.statusCode()));
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private static HttpResponse<String> postForm(TestServer server, String path, String form, String... headers) {
        return server.post(path, form, FORM, headers);
    }

    private static int annotations(TestServer server, long run) {
        return server.benchmon().annotations().ofRun(run).size();
    }

    @Test
    void the_alerts_page_lists_only_the_alerts_of_the_filter_bars_models_and_counts_them_so() {
        TestServer two = serve(ServerSettings.defaults());
        long m = openF1Alert(two);
        double[] f1 = {0.90, 0.91, 0.89, 0.90, 0.78};
        for (int h = 0; h < f1.length; h++) {
            assertThat(two.postJson("/api/v1/results", "{\"model_version\":\"hook-model\",\"dataset_version\":\"d\","
                    + "\"run_at\":\"2026-01-01T0" + h + ":00:00Z\",\"metrics\":{\"f1\":" + f1[h] + "}}").statusCode()).isEqualTo(201);
        }
        long hook = two.benchmon().alertBook().list(AlertFilter.all()).stream().mapToLong(a -> a.id()).max().orElseThrow();
        assertThat(hook).isNotEqualTo(m);

        String page = two.get("/alerts?state=all&model=hook-model").body();

        assertThat(page).contains("id=\"alert-" + hook + "\"").doesNotContain("id=\"alert-" + m + "\"");
        assertThat(page).containsPattern("id=\"state-all\">All <span class=\"count\">1</span>");
        assertThat(page).contains("model=hook-model"); // the state links keep the filter
    }

    // ---- an alert's history -----------------------------------------------------------------------

    /** A comment with every character HTML gives a meaning to: shown as written, never as markup. */
    private static final String HOSTILE = "bisecting: <b>tokenizer</b> & \"c3\" 'c4'";

    /**
     * On a server of its own: an f1 alert acknowledged through the API by {@code ana} with {@link #HOSTILE}, then (when
     * {@code resolve}) resolved by the detector as f1 comes back: the alert's id.
     */
    private long triagedAlert(TestServer server, boolean resolve) {
        long id = openF1Alert(server);
        String ack = "{\"state\": \"acknowledged\", \"actor\": \"ana\", \"comment\": "
                + dev.benchmon.ingest.ResultJson.mapper().valueToTree(HOSTILE) + "}";
        assertThat(server.postJson("/api/v1/alerts/" + id + "/state", ack).statusCode()).isEqualTo(200);
        if (resolve) {
            assertThat(server.postJson("/api/v1/results", "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                    + "\"run_at\":\"2026-01-01T06:00:00Z\",\"metrics\":{\"f1\":0.90}}").statusCode()).isEqualTo(201);
            assertThat(server.benchmon().alertBook().get(id).state()).isEqualTo(AlertState.RESOLVED);
        }
        return id;
    }

    /** The cells (as HTML) of the row of alert {@code id} in the table {@code table} of {@code page}. */
    private static List<String> alertRow(String page, String table, long id) {
        return Html.rawTable(page, table).stream().filter(c -> c.get(0).contains(">#" + id + "<")).findFirst()
                .orElseThrow(() -> new AssertionError("no row of alert " + id + " in #" + table));
    }

    @Test
    void the_alert_page_shows_its_whole_history_who_when_which_change_from_where_and_why() {
        TestServer s = serve(ServerSettings.defaults());
        long id = triagedAlert(s, true);

        HttpResponse<String> r = s.get("/alerts/" + id);

        assertThat(r.statusCode()).isEqualTo(200);
        List<List<String>> history = Html.table(r.body(), "alert-history");
        assertThat(history.get(0)).containsExactly("When (UTC)", "Who", "State", "From", "Comment");
        assertThat(history).hasSize(4);
        assertThat(history.get(1).subList(1, 4)).containsExactly("benchmon", "opened", "detector");
        assertThat(history.get(2).subList(1, 5)).containsExactly("ana", "open → acknowledged", "api", HOSTILE);
        assertThat(history.get(3).subList(1, 4)).containsExactly("benchmon", "acknowledged → resolved", "detector");
        assertThat(history.get(3).get(4)).startsWith("back within noise in run ");
        assertThat(history.get(2).get(0)).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    }

    @Test
    void the_alert_page_escapes_the_comments_of_its_history() {
        TestServer s = serve(ServerSettings.defaults());
        long id = triagedAlert(s, false);

        String page = s.get("/alerts/" + id).body();

        assertThat(page).doesNotContain("<b>tokenizer</b>")
                .contains("bisecting: &lt;b&gt;tokenizer&lt;/b&gt; &amp; ");
        assertThat(Html.table(page, "alert-history").get(2).get(4)).isEqualTo(HOSTILE);
    }

    @Test
    void the_alert_page_is_laid_out_as_the_other_pages_under_the_alerts_tab_with_its_series_and_triage_links() {
        String page = open.get("/alerts/" + openAlert).body();

        assertThat(page).contains("<title>Alert #" + openAlert);
        assertThat(page).contains("class=\"active\" aria-current=\"page\">Alerts</a>");
        assertThat(Html.hrefs(page)).contains("/series/" + open.benchmon().alertBook().get(openAlert).seriesId(),
                "/alerts?state=open#alert-" + openAlert);
    }

    @Test
    void an_alert_that_does_not_exist_is_404_and_an_id_that_is_no_number_is_400() {
        assertThat(open.get("/alerts/999999").statusCode()).isEqualTo(404);
        assertThat(open.get("/alerts/999999").body()).contains("alert 999999 not found");
        assertThat(open.get("/alerts/abc").statusCode()).isEqualTo(400);
    }

    @Test
    void the_series_page_shows_each_alerts_history_at_its_anchor_the_link_push_prints() {
        TestServer s = serve(ServerSettings.defaults());
        long id = triagedAlert(s, true);
        int series = s.benchmon().alertBook().get(id).seriesId();

        String page = s.get("/series/" + series).body();

        List<String> row = alertRow(page, "series-alerts", id);
        assertThat(Html.hrefs(row.get(0))).containsExactly("/alerts/" + id);
        String history = Html.text(row.get(row.size() - 1));
        assertThat(history).contains("ana · open → acknowledged: " + HOSTILE, "benchmon · acknowledged → resolved: back within noise");
        assertThat(page).contains("id=\"alert-" + id + "\"");
    }

    @Test
    void the_series_page_says_once_that_the_detector_opened_an_alert() {
        TestServer s = serve(ServerSettings.defaults());
        long id = triagedAlert(s, true);
        int series = s.benchmon().alertBook().get(id).seriesId();

        List<String> row = alertRow(s.get("/series/" + series).body(), "series-alerts", id);
        String history = Html.text(row.get(row.size() - 1));

        assertThat(history).contains("benchmon · opened: f1 regression").doesNotContain("opened: opened");
    }

    @Test
    void the_alerts_page_keeps_a_persons_triage_in_sight_after_the_detector_spoke_last_and_links_the_alerts_page() {
        TestServer s = serve(ServerSettings.defaults());
        long id = triagedAlert(s, true);

        String page = s.get("/alerts?state=resolved").body();

        List<String> row = alertRow(page, "alerts-table", id);
        assertThat(Html.hrefs(row.get(0))).containsExactly("/alerts/" + id);
        String latest = Html.text(row.get(8));
        assertThat(latest).startsWith("benchmon: back within noise in run ")
                .contains("acknowledged by ana ", " UTC: " + HOSTILE);
    }

    @Test
    void the_alerts_page_names_the_runs_of_a_range_without_commits_by_their_ids_as_push_does() {
        TestServer s = serve(ServerSettings.defaults());
        double[] steady = {0.90, 0.91, 0.89, 0.90};
        long before = -1;
        for (int h = 0; h < steady.length; h++) {
            before = pushF1(s, "ids", "0" + h + ":00:00", steady[h]);
        }
        long drop = pushF1(s, "ids", "04:00:00", 0.60);

        List<String> row = alertRow(s.get("/alerts?model=ids").body(), "alerts-table", onlyAlert(s, "ids").id());

        assertThat(Html.text(row.get(5))).isEqualTo("id " + before + "..id " + drop);
    }

    @Test
    void the_regressions_page_marks_a_regression_whose_alert_is_acknowledged_with_who_and_why() {
        TestServer s = serve(ServerSettings.defaults());
        long id = triagedAlert(s, false);

        String page = s.get("/regressions?range=all").body();

        List<List<String>> rows = Html.rawTable(page, "regression-table");
        assertThat(rows.get(0)).last().satisfies(h -> assertThat(Html.text(h)).isEqualTo("Alert"));
        String mark = rows.get(1).get(rows.get(1).size() - 1);
        assertThat(Html.hrefs(mark)).containsExactly("/alerts/" + id + "?range=all"); // with the range in force
        assertThat(Html.text(mark)).startsWith("#" + id + " acknowledged").contains("acknowledged by ana ", HOSTILE);
        assertThat(page).containsPattern("<tr class=\"(selected )?triaged\"");
    }

    @Test
    void the_regressions_page_names_an_open_alert_without_marking_it_triaged() {
        TestServer s = serve(ServerSettings.defaults());
        long id = openF1Alert(s);

        String page = s.get("/regressions?range=all").body();

        List<List<String>> rows = Html.rawTable(page, "regression-table");
        String mark = rows.get(1).get(rows.get(1).size() - 1);
        assertThat(Html.text(mark)).isEqualTo("#" + id + " open");
        assertThat(page).doesNotContain("triaged\"");
    }

    /** The regressions table's row (its cells as HTML) of run {@code run}, with its {@code <tr>} tag's class. */
    private static String rowTagOfRun(String page, long run) {
        int link = page.indexOf("href=\"/runs/" + run + "?", page.indexOf("id=\"regression-table\"")); // with the filters in force
        assertThat(link).as("a regression row of run " + run).isPositive();
        int tr = page.lastIndexOf("<tr", link);
        return page.substring(tr, page.indexOf(">", tr) + 1);
    }

    @Test
    void an_alert_that_opened_muted_under_a_series_mute_is_marked_taken_by_that_mute_not_as_not_triaged_yet() {
        TestServer s = serve(ServerSettings.defaults());
        long first = pushF1(s, "m", "00:00:00", 0.90);
        int series = new dev.benchmon.alert.RunRecords(s.benchmon().jdbi()).run(first).orElseThrow().seriesId();
        HttpResponse<String> muted = s.postJson("/api/v1/series/" + series + "/mutes",
                "{\"metric\": \"f1\", \"reason\": \"runner migration\", \"actor\": \"ana\", \"for\": \"7d\"}");
        assertThat(muted.statusCode()).as(muted.body()).isEqualTo(201);
        pushF1(s, "m", "01:00:00", 0.91);
        pushF1(s, "m", "02:00:00", 0.89);
        pushF1(s, "m", "03:00:00", 0.90);
        long drop = pushF1(s, "m", "04:00:00", 0.60);
        var alert = onlyAlert(s, "m");
        assertThat(alert.state()).isEqualTo(AlertState.MUTED);
        long mute = s.benchmon().annotations().mutes(series, null).get(0).id();

        String page = s.get("/regressions?range=all").body();

        assertThat(rowTagOfRun(page, drop)).contains("triaged");
        assertThat(markOfRun(page, drop)).startsWith("#" + alert.id() + " muted")
                .contains("muted by mute " + mute + " (ana, until ", "runner migration").doesNotContain("not triaged yet");
    }

    /**
     * On a server of its own: an f1 alert that bob's series mute of two seconds silenced and that the detector opened
     * again when, the mute over, f1 still regressed at 05:00; the alert's id.
     */
    private static long reopenedAfterBobsMute(TestServer s) throws InterruptedException {
        long id = openF1Alert(s);
        int series = s.benchmon().alertBook().get(id).seriesId();
        s.benchmon().annotations().mute(series, "f1", "runner migration", "bob", java.time.Instant.now().plusSeconds(2), null);
        assertThat(s.benchmon().alertBook().get(id).state()).isEqualTo(AlertState.MUTED);
        Thread.sleep(2500); // the mute expires
        assertThat(s.postJson("/api/v1/results", "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                + "\"run_at\":\"2026-01-01T05:00:00Z\",\"metrics\":{\"f1\":0.78}}").statusCode()).isEqualTo(201);
        assertThat(s.benchmon().alertBook().get(id).state()).isEqualTo(AlertState.OPEN);
        return id;
    }

    @Test
    void an_alert_the_detector_opened_again_after_bobs_mute_expired_is_not_said_to_be_opened_by_bob() throws Exception {
        TestServer s = serve(ServerSettings.defaults());
        long id = reopenedAfterBobsMute(s);

        String page = s.get("/regressions?range=all").body();

        List<List<String>> rows = Html.rawTable(page, "regression-table");
        String mark = rows.get(1).get(rows.get(1).size() - 1);
        assertThat(Html.hrefs(mark)).containsExactly("/alerts/" + id + "?range=all"); // with the range in force
        assertThat(mark).doesNotContain("open by bob").contains("muted by bob ", "runner migration");
        assertThat(page).doesNotContain("triaged\"");
    }

    @Test
    void the_alerts_list_and_the_regressions_page_word_a_triage_the_same_way() throws Exception {
        TestServer s = serve(ServerSettings.defaults());
        long id = reopenedAfterBobsMute(s);
        var triage = s.benchmon().alertBook().history(id).stream().filter(e -> e.source().equals("mute")).reduce((a, b) -> b)
                .orElseThrow();
        String expected = "muted by bob " + Formats.minutes(triage.at()) + " UTC: " + triage.comment();

        String list = s.get("/alerts?state=open").body();
        String regressions = s.get("/regressions?range=all").body();

        assertThat(Html.text(alertRow(list, "alerts-table", id).get(8))).endsWith(expected);
        List<List<String>> rows = Html.rawTable(regressions, "regression-table");
        var title = java.util.regex.Pattern.compile("title=\"([^\"]*)\"").matcher(rows.get(1).get(rows.get(1).size() - 1));
        assertThat(title.find()).isTrue();
        assertThat(Html.unescape(title.group(1))).isEqualTo(expected);
    }

    @Test
    void after_fifty_triage_events_both_pages_show_the_newest_triage() {
        TestServer s = serve(ServerSettings.defaults());
        long id = openF1Alert(s);
        for (int i = 1; i <= 50; i++) {
            String state = i % 2 == 1 ? "acknowledged" : "open";
            assertThat(s.postJson("/api/v1/alerts/" + id + "/state", "{\"state\": \"" + state
                    + "\", \"actor\": \"ana\", \"comment\": \"round " + i + "\"}").statusCode()).isEqualTo(200);
        }
        assertThat(s.postJson("/api/v1/alerts/" + id + "/state",
                "{\"state\": \"acknowledged\", \"actor\": \"bo\", \"comment\": \"bisecting\"}").statusCode()).isEqualTo(200);

        String list = s.get("/alerts?state=acknowledged").body();
        String regressions = s.get("/regressions?range=all").body();

        assertThat(Html.text(alertRow(list, "alerts-table", id).get(8))).isEqualTo("bo: bisecting");
        List<List<String>> rows = Html.rawTable(regressions, "regression-table");
        assertThat(Html.text(rows.get(1).get(rows.get(1).size() - 1))).startsWith("#" + id + " acknowledged")
                .contains("acknowledged by bo ", ": bisecting").doesNotContain("round");
    }

    @Test
    void a_new_regression_whose_own_alert_was_resolved_is_marked_by_that_alert_not_an_older_expected_one_of_its_series() {
        TestServer s = serve(ServerSettings.defaults());
        long old = openF1Alert(s); // f1 0.90 -> 0.78 at 04:00
        assertThat(s.postJson("/api/v1/alerts/" + old + "/state",
                "{\"state\": \"expected\", \"actor\": \"ana\", \"comment\": \"new tokenizer\"}").statusCode()).isEqualTo(200);
        // The new level holds (the expected alert restarted the baseline at its run), then f1 drops again; the alert
        // of that second change is resolved by hand, so no active or expected alert of its own follows it.
        double[] f1 = {0.79, 0.77, 0.78, 0.79, 0.55};
        for (int h = 0; h < f1.length; h++) {
            s.benchmon().record(BenchmarkResult.builder("m", "d").runAt(java.time.Instant.parse("2026-01-01T0" + (5 + h)
                    + ":00:00Z")).metric("f1", f1[h]).build());
        }
        long fresh = s.benchmon().alertBook().list(AlertFilter.states(AlertState.OPEN)).get(0).id();
        assertThat(s.postJson("/api/v1/alerts/" + fresh + "/state",
                "{\"state\": \"resolved\", \"actor\": \"bo\"}").statusCode()).isEqualTo(200);
        assertThat(s.benchmon().alertBook().list(AlertFilter.all())).extracting(a -> a.state())
                .containsExactlyInAnyOrder(AlertState.EXPECTED, AlertState.RESOLVED);

        String page = s.get("/regressions?range=all").body();

        List<List<String>> rows = Html.rawTable(page, "regression-table");
        assertThat(rows).hasSize(2); // the header and the new drop
        // Its own alert, resolved, named with its state (docs/ALERTS.md); it was left empty.
        assertThat(Html.text(rows.get(1).get(rows.get(1).size() - 1))).isEqualTo("#" + fresh + " resolved");
        assertThat(page).doesNotContain("triaged\"").doesNotContain("expected by ana");
    }

    // ---- the regression's alert: the one whose runs include its run --------------------------------

    /** Pushes one f1 result of series {@code model} / d @ci at {@code at} (UTC, 2026-01-01T...); returns its run. */
    private static long pushF1(TestServer server, String model, String at, double f1) {
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"" + model
                + "\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\"2026-01-01T" + at
                + "Z\",\"metrics\":{\"f1\":" + f1 + "}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        try {
            return dev.benchmon.ingest.ResultJson.mapper().readTree(r.body()).path("results").get(0).path("id").asLong();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Series {@code model}: f1 steady at 0.90 from 00:00 to 03:00, then a drop to 0.60 at 04:00, which opens an alert. */
    private static void steadyThenDrop(TestServer server, String model) {
        double[] steady = {0.90, 0.91, 0.89, 0.90};
        for (int h = 0; h < steady.length; h++) {
            pushF1(server, model, "0" + h + ":00:00", steady[h]);
        }
        pushF1(server, model, "04:00:00", 0.60);
    }

    /** Excludes run {@code run} through the API, as {@code benchmon alerts exclude} does. */
    private static void exclude(TestServer server, long run) {
        assertThat(server.postJson("/api/v1/runs/" + run + "/annotations",
                "{\"kind\": \"excluded\", \"text\": \"broken runner\", \"actor\": \"ana\"}").statusCode()).isEqualTo(201);
    }

    /** The only alert of series {@code model} on {@code server}. */
    private static dev.benchmon.alert.Alert onlyAlert(TestServer server, String model) {
        List<dev.benchmon.alert.Alert> alerts = server.benchmon().alertBook().list(AlertFilter.all()
                .withSeriesNames(List.of(model), List.of(), List.of(), List.of()));
        assertThat(alerts).hasSize(1);
        return alerts.get(0);
    }

    /** The Alert cell's text of the regressions table's row of run {@code run} (the row linking to its run page). */
    private static String markOfRun(String page, long run) {
        List<String> row = Html.rawTable(page, "regression-table").stream()
                .filter(cells -> cells.stream().anyMatch(c -> Html.hrefs(c).stream().anyMatch(h -> h.startsWith("/runs/" + run + "?"))))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no regression row of run " + run));
        return Html.text(row.get(row.size() - 1));
    }

    @Test
    void the_regressions_page_marks_a_run_the_alert_followed_in_the_middle_with_that_alert() {
        TestServer s = serve(ServerSettings.defaults());
        steadyThenDrop(s, "m");
        long middle = pushF1(s, "m", "05:00:00", 0.80); // still a regression: the alert follows it
        long newest = pushF1(s, "m", "06:00:00", 0.60); // and then this one
        // Excluded, the newest run leaves 05:00 the series' latest; the alert now follows the newest run of its change
        // left, its own 04:00 (05:00 is nearer the old level than half the drop).
        exclude(s, newest);
        var alert = onlyAlert(s, "m");
        assertThat(alert.lastTransactionId()).isEqualTo(alert.transactionId()).isNotEqualTo(middle);

        String page = s.get("/regressions?range=all").body();

        assertThat(markOfRun(page, middle)).isEqualTo("#" + alert.id() + " open");
    }

    @Test
    void the_regressions_page_marks_a_run_back_filled_inside_an_alerts_runs_with_that_alert() {
        TestServer s = serve(ServerSettings.defaults());
        steadyThenDrop(s, "m");
        pushF1(s, "m", "05:00:00", 0.60);
        long newest = pushF1(s, "m", "06:00:00", 0.60);
        long backFilled = pushF1(s, "m", "05:30:00", 0.80); // pushed last, run between 05:00 and 06:00
        exclude(s, newest); // the back-filled run is the series' latest now; the alert follows 05:00
        var alert = onlyAlert(s, "m");
        assertThat(List.of(alert.transactionId(), alert.lastTransactionId())).doesNotContain(backFilled);

        String page = s.get("/regressions?range=all").body();

        assertThat(markOfRun(page, backFilled)).isEqualTo("#" + alert.id() + " open");
    }

    @Test
    void acknowledging_an_alert_on_the_alerts_view_comes_back_to_it_saying_so() {
        TestServer s = serve(ServerSettings.defaults());
        long alert = openF1Alert(s);

        HttpResponse<String> r = postForm(s, "/alerts/" + alert + "/triage",
                "action=acknowledged&comment=on+it&next=%2Falerts%3Fstate%3Dopen", "Origin", origin(s));

        assertThat(r.statusCode()).isEqualTo(303);
        String back = r.headers().firstValue("Location").orElseThrow();
        assertThat(back).isEqualTo("/alerts?state=open&done=acknowledged-" + alert + "#alert-" + alert);
        String page = s.get(back.substring(0, back.indexOf('#'))).body();
        assertThat(Html.text(Html.byId(page, "triage-done"))).isEqualTo("Alert #" + alert + " acknowledged.");
        // the line is said once: the page's links and forms do not carry it on
        assertThat(Html.hrefs(page)).noneMatch(h -> h.contains("done="));
        assertThat(page).doesNotContain("value=\"/alerts?state=open&amp;done");
    }

    @Test
    void excluding_an_alerts_only_run_comes_back_saying_the_alert_is_resolved_now() {
        TestServer s = serve(ServerSettings.defaults());
        long alert = openF1Alert(s);

        HttpResponse<String> r = postForm(s, "/alerts/" + alert + "/triage", "action=exclude&comment=broken+runner",
                "Origin", origin(s));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        String back = r.headers().firstValue("Location").orElseThrow();
        String page = s.get(back.contains("#") ? back.substring(0, back.indexOf('#')) : back).body();
        assertThat(Html.text(Html.byId(page, "triage-done")))
                .isEqualTo("Alert #" + alert + ": its run excluded; the alert is resolved now.");
    }

    @Test
    void a_done_value_naming_no_such_alert_or_another_alert_than_the_page_shows_no_confirmation() {
        TestServer s = serve(ServerSettings.defaults());
        long alert = openF1Alert(s);

        assertThat(s.get("/alerts?done=resolved-999999").body()).doesNotContain("triage-done", "999999 resolved");
        assertThat(s.get("/alerts/" + alert + "?done=open-" + (alert + 1)).body()).doesNotContain("triage-done");
        assertThat(Html.text(Html.byId(s.get("/alerts/" + alert + "?done=open-" + alert).body(), "triage-done")))
                .isEqualTo("Alert #" + alert + " opened again.");
    }

    @Test
    void a_bookmarked_confirmation_shows_no_more_once_the_alert_left_the_state_its_action_set() {
        TestServer s = serve(ServerSettings.defaults());
        long alert = openF1Alert(s);
        assertThat(postForm(s, "/alerts/" + alert + "/triage", "action=acknowledged&comment=on+it", "Origin", origin(s))
                .statusCode()).isEqualTo(303);
        String acknowledged = "?done=acknowledged-" + alert;
        assertThat(s.get("/alerts/" + alert + acknowledged).body()).contains("triage-done");

        assertThat(postForm(s, "/alerts/" + alert + "/triage", "action=resolved&comment=fixed", "Origin", origin(s))
                .statusCode()).isEqualTo(303);

        assertThat(s.get("/alerts/" + alert + acknowledged).body()).doesNotContain("triage-done", "acknowledged.");
        assertThat(s.get("/alerts" + acknowledged).body()).doesNotContain("triage-done");
        assertThat(Html.text(Html.byId(s.get("/alerts?state=resolved&done=resolved-" + alert).body(), "triage-done")))
                .isEqualTo("Alert #" + alert + " resolved.");
    }

    @Test
    void a_done_value_that_names_no_triage_action_shows_no_confirmation_and_none_of_its_text() {
        HttpResponse<String> r = open.get("/alerts?done=" + java.net.URLEncoder.encode("<b>pwned</b>-1",
                java.nio.charset.StandardCharsets.UTF_8));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("triage-done", "pwned");
        assertThat(open.get("/alerts?done=deleted-1").body()).doesNotContain("triage-done");
    }

    @Test
    void the_regressions_page_names_the_alert_a_person_resolved_with_its_state() {
        TestServer s = serve(ServerSettings.defaults());
        long alert = openF1Alert(s); // f1 0.90 -> 0.78 at 04:00: the series' latest run regresses
        assertThat(postForm(s, "/alerts/" + alert + "/triage", "action=resolved&comment=fixed", "Origin", origin(s))
                .statusCode()).isEqualTo(303);
        long run = s.benchmon().alertBook().get(alert).transactionId();

        String page = s.get("/regressions?range=all").body();

        // docs/ALERTS.md: the Alert column names the alert whose runs include the row's run, whatever its state.
        assertThat(markOfRun(page, run)).isEqualTo("#" + alert + " resolved");
        assertThat(Html.unescape(page)).contains("title=\"resolved by ").contains(": fixed\"");
        assertThat(page).doesNotContain("triaged\""); // not drawn quieter: its run still regresses
    }

    @Test
    void the_regressions_page_never_marks_a_run_with_the_alert_of_another_series_at_the_same_times() {
        TestServer s = serve(ServerSettings.defaults());
        // Series other first: its drop at 05:00 opens an alert, resolved by hand; then series m's alert, newer, open,
        // follows the runs of 04:00 to 06:00.
        double[] steady = {0.90, 0.91, 0.89, 0.90};
        for (int h = 0; h < steady.length; h++) {
            pushF1(s, "other", "0" + h + ":30:00", steady[h]);
        }
        long otherDrop = pushF1(s, "other", "05:00:00", 0.70);
        var other = onlyAlert(s, "other");
        assertThat(s.postJson("/api/v1/alerts/" + other.id() + "/state",
                "{\"state\": \"resolved\", \"actor\": \"bo\"}").statusCode()).isEqualTo(200);
        steadyThenDrop(s, "m");
        pushF1(s, "m", "05:00:00", 0.60);
        pushF1(s, "m", "06:00:00", 0.60);
        assertThat(onlyAlert(s, "m").id()).isGreaterThan(other.id());

        String page = s.get("/regressions?range=all").body();

        // Its own alert (resolved), not the newer one of series m at the same times.
        assertThat(markOfRun(page, otherDrop)).isEqualTo("#" + other.id() + " resolved");
    }

    // ---- cross-site forms (CSRF) ------------------------------------------------------------------

    @Test
    void a_triage_form_posted_without_an_origin_or_referer_is_refused_and_changes_nothing() {
        int before = open.benchmon().alertBook().history(openAlert).size();

        HttpResponse<String> r = postForm(open, "/alerts/" + openAlert + "/triage", "action=expected&comment=csrf");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("cross-origin");
        assertThat(open.benchmon().alertBook().history(openAlert)).hasSize(before);
        assertThat(open.benchmon().alertBook().get(openAlert).state()).isEqualTo(AlertState.OPEN);
    }

    @Test
    void a_form_posted_with_a_null_origin_as_from_a_sandboxed_frame_is_refused_and_excludes_nothing() {
        int before = annotations(open, openRun);

        HttpResponse<String> r = postForm(open, "/runs/" + openRun + "/annotate", "kind=excluded&text=csrf",
                "Origin", "null");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(annotations(open, openRun)).isEqualTo(before);
    }

    @Test
    void a_null_origin_with_another_sites_referer_is_refused_and_mutes_nothing() {
        HttpResponse<String> r = postForm(open, "/alerts/" + openAlert + "/triage", "action=mute_series&mute_for=30d&comment=runner+migration",
                "Origin", "null", "Referer", "https://evil.example/page");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(open.benchmon().annotations().mutes(open.benchmon().alertBook().get(openAlert).seriesId(), null)).isEmpty();
    }

    @Test
    void a_form_posted_from_another_origin_is_refused() {
        HttpResponse<String> r = postForm(open, "/runs/" + openRun + "/annotate", "kind=note&text=csrf",
                "Origin", "https://evil.example");

        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void a_form_posted_from_the_servers_own_page_is_saved() {
        int before = annotations(open, openRun);

        HttpResponse<String> r = postForm(open, "/runs/" + openRun + "/annotate", "kind=note&text=looked+at+it",
                "Origin", origin(open));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(annotations(open, openRun)).isEqualTo(before + 1);
    }

    @Test
    void a_form_posted_through_a_reverse_proxy_that_rewrites_host_is_saved_and_another_origin_still_refused() {
        int before = annotations(open, openRun);

        HttpResponse<String> proxied = postForm(open, "/runs/" + openRun + "/annotate", "kind=note&text=via+the+proxy",
                "Origin", "https://bench.example.com", "X-Forwarded-Host", "bench.example.com");
        HttpResponse<String> elsewhere = postForm(open, "/runs/" + openRun + "/annotate", "kind=note&text=csrf",
                "Origin", "https://evil.example", "X-Forwarded-Host", "bench.example.com");

        assertThat(proxied.statusCode()).as(proxied.body()).isEqualTo(303);
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(annotations(open, openRun)).isEqualTo(before + 1);
    }

    @Test
    void a_null_origin_with_a_same_origin_referer_is_saved() {
        int before = annotations(open, openRun);

        HttpResponse<String> r = postForm(open, "/runs/" + openRun + "/annotate", "kind=note&text=from+a+strict+page",
                "Origin", "null", "Referer", origin(open) + "/runs/" + openRun);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(annotations(open, openRun)).isEqualTo(before + 1);
    }

    @Test
    void a_name_cookie_this_server_did_not_write_annotates_as_the_dashboard() {
        for (String cookie : List.of("%zz", "a%00na")) {
            HttpResponse<String> r = postForm(open, "/runs/" + openRun + "/annotate", "kind=note&text=cookie+" + cookie.length(),
                    "Origin", origin(open), "Cookie", AlertPages.ACTOR_COOKIE + "=" + cookie);

            assertThat(r.statusCode()).as(cookie + ": " + r.body()).isEqualTo(303);
        }
        assertThat(open.benchmon().annotations().ofRun(openRun).stream().filter(a -> a.text().startsWith("cookie "))
                .map(a -> a.actor())).containsExactly("dashboard", "dashboard");
    }

    // ---- bad form fields ---------------------------------------------------------------------------

    /** Posts {@code form} to the open server as its own page would. */
    private HttpResponse<String> postOwnForm(String path, String form) {
        return postForm(open, path, form, "Origin", origin(open));
    }

    /** The answer to a run form posted from the open server's own page, once it is a 400 that stored nothing. */
    private String refusedRunForm(String form) {
        return refusedRunForm(form, 400);
    }

    /** {@link #refusedRunForm(String)} answered {@code status}. */
    private String refusedRunForm(String form, int status) {
        int before = annotations(open, openRun);
        HttpResponse<String> r = postOwnForm("/runs/" + openRun + "/annotate", form);
        assertThat(annotations(open, openRun)).as("stored nothing").isEqualTo(before);
        return refusal(r, status);
    }

    /** The reason a refused triage form's page gives (its error notice's text, unescaped), once it is an HTML 400. */
    private static String refusal(HttpResponse<String> r) {
        return refusal(r, 400);
    }

    /** {@link #refusal(HttpResponse)} of a page answered {@code status} (409: the alert's or run's state refused it). */
    private static String refusal(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("id=\"triage-error\">([^<]*)</div>").matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        return m.group(1).replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    /** The link back a refused triage form's page offers. */
    private static String backLink(HttpResponse<String> r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<a href=\"([^\"]*)\" id=\"triage-back\"").matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        return m.group(1);
    }

    @Test
    void a_run_form_of_an_unknown_kind_is_refused_naming_the_form_field_and_stores_nothing() {
        assertThat(refusedRunForm("kind=flagged&text=looked+at+it")).startsWith("invalid form field kind: ")
                .contains("excluded, included or note").doesNotContain("benchmark input");
    }

    @Test
    void including_a_run_that_is_not_excluded_from_its_page_is_a_conflict_naming_the_run_and_stores_nothing() {
        assertThat(refusedRunForm("kind=included&text=looked+at+it", 409))
                .isEqualTo("run " + openRun + " is not excluded, so there is nothing to include again");
    }

    @Test
    void a_run_page_offers_to_exclude_a_run_that_counts_and_to_include_again_only_an_excluded_one() {
        TestServer own = serve(ServerSettings.defaults());
        long run = own.benchmon().alertBook().get(openF1Alert(own)).transactionId();
        String[] sameOrigin = {"Origin", origin(own)};

        String counting = own.get("/runs/" + run).body();
        assertThat(postForm(own, "/runs/" + run + "/annotate", "kind=excluded&text=bad+push", sameOrigin).statusCode())
                .isEqualTo(303);
        String excluded = own.get("/runs/" + run).body();

        assertThat(counting).contains("<option value=\"excluded\">Exclude run</option>")
                .doesNotContain("<option value=\"included\">");
        assertThat(excluded).contains("<option value=\"included\">Include again</option>")
                .doesNotContain("<option value=\"excluded\">");
    }

    @Test
    void including_a_run_again_from_its_page_needs_no_reason_and_its_alerts_events_say_so_once() {
        TestServer own = serve(ServerSettings.defaults());
        long alert = openF1Alert(own);
        long run = own.benchmon().alertBook().get(alert).transactionId();
        String[] sameOrigin = {"Origin", origin(own)};
        assertThat(postForm(own, "/runs/" + run + "/annotate", "kind=excluded&text=bad+push", sameOrigin).statusCode())
                .isEqualTo(303);

        HttpResponse<String> include = postForm(own, "/runs/" + run + "/annotate", "kind=included&text=", sameOrigin);

        assertThat(include.statusCode()).as(include.body()).isEqualTo(303);
        assertThat(own.benchmon().annotations().exclusionReason(run)).isNull();
        assertThat(own.benchmon().alertBook().history(alert)).last()
                .satisfies(e -> assertThat(e.comment()).isEqualTo("run " + run + " included again"));
    }

    @Test
    void excluding_an_excluded_run_from_a_page_shown_before_is_a_conflict_that_keeps_the_first_reason() {
        TestServer own = serve(ServerSettings.defaults());
        long run = own.benchmon().alertBook().get(openF1Alert(own)).transactionId();
        String[] sameOrigin = {"Origin", origin(own)};
        assertThat(postForm(own, "/runs/" + run + "/annotate", "kind=excluded&text=bad+push", sameOrigin).statusCode())
                .isEqualTo(303);

        HttpResponse<String> again = postForm(own, "/runs/" + run + "/annotate", "kind=excluded&text=other", sameOrigin);

        assertThat(refusal(again, 409)).startsWith("run " + run + " is excluded already, since ")
                .contains("bad push; to exclude it for another reason, include it again first");
        assertThat(own.benchmon().annotations().exclusionReason(run)).isEqualTo("bad push");
    }

    @Test
    void a_muted_alert_offers_to_end_a_series_mute_only_while_one_covers_its_metric() {
        TestServer own = serve(ServerSettings.defaults());
        long alert = openF1Alert(own);
        String[] sameOrigin = {"Origin", origin(own)};
        assertThat(postForm(own, "/alerts/" + alert + "/triage", "action=muted&comment=flaky", sameOrigin).statusCode())
                .isEqualTo(303);
        String alone = own.get("/alerts?state=muted").body();
        assertThat(postForm(own, "/alerts/" + alert + "/triage", "action=mute_series&mute_for=1d&comment=migration",
                sameOrigin).statusCode()).isEqualTo(303);
        String withSeriesMute = own.get("/alerts?state=muted").body();

        assertThat(alone).contains("value=\"unmute\"").doesNotContain("value=\"unmute_series\"");
        assertThat(withSeriesMute).contains("value=\"unmute\"", "value=\"unmute_series\"");
    }

    @Test
    void a_run_form_with_a_blank_text_is_refused_naming_the_form_field_and_stores_nothing() {
        assertThat(refusedRunForm("kind=excluded&text=+++")).startsWith("invalid form field text: ")
                .doesNotContain("benchmark input");
    }

    @Test
    void a_run_form_with_a_nul_in_its_text_is_refused_naming_the_form_field_and_stores_nothing() {
        assertThat(refusedRunForm("kind=note&text=a%00b")).startsWith("invalid form field text: ");
    }

    @Test
    void a_triage_form_with_an_unknown_action_is_refused_naming_the_form_field_and_changes_nothing() {
        int before = open.benchmon().alertBook().history(openAlert).size();

        HttpResponse<String> r = postOwnForm("/alerts/" + openAlert + "/triage", "action=snooze&comment=later");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(refusal(r)).startsWith("invalid form field action: ").contains("acknowledged")
                .doesNotContain("benchmark input");
        assertThat(open.benchmon().alertBook().history(openAlert)).hasSize(before);
    }

    @Test
    void a_triage_form_with_a_bad_mute_period_is_refused_naming_the_form_field_and_mutes_nothing() {
        HttpResponse<String> r = postOwnForm("/alerts/" + openAlert + "/triage", "action=mute_series&mute_for=forever");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(refusal(r)).startsWith("invalid form field mute_for: ").contains("7d");
        assertThat(open.benchmon().annotations().mutes(open.benchmon().alertBook().get(openAlert).seriesId(), null)).isEmpty();
    }

    @Test
    void an_exclusion_from_the_alerts_triage_form_without_a_reason_is_refused_naming_comment_and_excludes_nothing() {
        HttpResponse<String> r = postOwnForm("/alerts/" + openAlert + "/triage", "action=exclude&comment=");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(refusal(r)).startsWith("invalid form field comment: ").contains("needs a reason");
        long annotations = open.benchmon().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM run_annotations")
                .mapTo(Long.class).one());
        assertThat(annotations).isZero();
    }

    @Test
    void a_muted_alerts_triage_form_ends_its_series_metric_mute_early_and_the_alert_opens_again() {
        TestServer own = serve(ServerSettings.defaults()); // its own alert: the shared one stays open for the others
        long alert = openF1Alert(own);
        String[] sameOrigin = {"Origin", origin(own)};
        assertThat(postForm(own, "/alerts/" + alert + "/triage", "action=mute_series&mute_for=7d&comment=runner+migration", sameOrigin).statusCode())
                .isEqualTo(303);
        assertThat(own.get("/alerts?state=muted").body()).contains("value=\"unmute_series\"", "value=\"unmute\"");

        HttpResponse<String> r = postForm(own, "/alerts/" + alert + "/triage", "action=unmute_series&comment=runner+fixed",
                sameOrigin);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(own.benchmon().alertBook().get(alert).state()).isEqualTo(AlertState.OPEN);
        assertThat(own.benchmon().alertBook().history(alert)).last()
                .satisfies(e -> assertThat(e.comment()).endsWith("ended early: runner fixed"));
        int series = own.benchmon().alertBook().get(alert).seriesId();
        assertThat(own.benchmon().annotations().mutes(series, java.time.Instant.now())).isEmpty();
        assertThat(own.get("/alerts?state=open").body()).doesNotContain("value=\"unmute_series\"");
    }

    @Test
    void a_mute_from_the_dashboard_names_on_its_page_and_in_the_api_the_expiry_it_stored() throws Exception {
        TestServer own = serve(ServerSettings.defaults()); // its own alert: the shared one stays open for the others
        long alert = openF1Alert(own);
        java.time.Instant before = java.time.Instant.now();

        assertThat(postForm(own, "/alerts/" + alert + "/triage", "action=mute_series&mute_for=1d&comment=runner+migration",
                "Origin", origin(own)).statusCode()).isEqualTo(303);

        java.time.Instant after = java.time.Instant.now();
        java.time.Instant stored = own.benchmon().annotations().mutes(own.benchmon().alertBook().get(alert).seriesId(), null)
                .get(0).expiresAt();
        // a day from the request, rounded as the API rounds its mutes' expiry
        assertThat(stored).isBetween(AlertEndpoints.muteExpiry(before.plus(java.time.Duration.ofDays(1))),
                AlertEndpoints.muteExpiry(after.plus(java.time.Duration.ofDays(1))));
        assertThat(dev.benchmon.ingest.ResultJson.mapper().readTree(own.get("/api/v1/mutes").body()).path("mutes").get(0)
                .path("expires_at").asText()).isEqualTo(stored.toString());
        assertThat(own.get("/alerts?state=muted").body())
                .contains("until " + stored.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ": runner migration");
    }

    @Test
    void a_muted_alerts_triage_form_ends_a_mute_of_its_whole_series_too() {
        TestServer own = serve(ServerSettings.defaults());
        long alert = openF1Alert(own);
        int series = own.benchmon().alertBook().get(alert).seriesId();
        own.benchmon().annotations().mute(series, null, "runner migration", "ana", java.time.Instant.now().plusSeconds(3600), null);

        HttpResponse<String> r = postForm(own, "/alerts/" + alert + "/triage", "action=unmute_series&comment=runner+fixed",
                "Origin", origin(own));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(own.benchmon().alertBook().get(alert).state()).isEqualTo(AlertState.OPEN);
        assertThat(own.benchmon().annotations().mutes(series, java.time.Instant.now())).isEmpty();
    }

    @Test
    void a_muted_alerts_end_series_mute_ends_only_the_mutes_covering_its_metric() {
        TestServer own = serve(ServerSettings.defaults());
        double[] f = {0.90, 0.91, 0.89, 0.90, 0.78};
        for (int h = 0; h < f.length; h++) {
            assertThat(own.postJson("/api/v1/results", "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                    + "\"run_at\":\"2026-01-01T0" + h + ":00:00Z\",\"metrics\":{\"f1\":" + f[h] + ",\"accuracy\":" + f[h] + "}}")
                    .statusCode()).isEqualTo(201);
        }
        var book = own.benchmon().alertBook();
        long f1 = book.list(AlertFilter.states(AlertState.OPEN)).stream().filter(a -> a.metric().equals("f1")).findFirst().orElseThrow().id();
        long acc = book.list(AlertFilter.states(AlertState.OPEN)).stream().filter(a -> a.metric().equals("accuracy")).findFirst().orElseThrow().id();
        int series = book.get(f1).seriesId();
        java.time.Instant week = java.time.Instant.now().plus(java.time.Duration.ofDays(7));
        long accMute = own.benchmon().annotations().mute(series, "accuracy", "accuracy is flaky", "ana", week, null);
        own.benchmon().annotations().mute(series, null, "runner migration", "ana", week, null);

        HttpResponse<String> r = postForm(own, "/alerts/" + f1 + "/triage", "action=unmute_series&comment=runner+fixed",
                "Origin", origin(own));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(book.get(f1).state()).isEqualTo(AlertState.OPEN);
        assertThat(own.benchmon().annotations().mutes(series, java.time.Instant.now())).extracting(m -> m.id())
                .containsExactly(accMute);
        assertThat(book.get(acc).state()).isEqualTo(AlertState.MUTED);
    }

    @Test
    void an_alert_unmuted_on_the_dashboard_while_its_series_mute_is_in_force_says_so_and_offers_to_end_it() {
        TestServer own = serve(ServerSettings.defaults());
        long alert = openF1Alert(own);
        String[] sameOrigin = {"Origin", origin(own)};
        assertThat(postForm(own, "/alerts/" + alert + "/triage", "action=mute_series&mute_for=1d&comment=runner+migration",
                sameOrigin).statusCode()).isEqualTo(303);
        var mute = own.benchmon().annotations().mutes(own.benchmon().alertBook().get(alert).seriesId(), null).get(0);

        assertThat(postForm(own, "/alerts/" + alert + "/triage", "action=unmute&comment=looking+at+it", sameOrigin)
                .statusCode()).isEqualTo(303);

        String page = own.get("/alerts?state=open").body();
        assertThat(page).contains("id=\"alert-" + alert + "\"", "(mute " + mute.id() + ") stays in force until " + mute.endsAt(),
                "value=\"unmute_series\"");
    }

    @Test
    void resolving_a_muted_alert_on_the_dashboard_ends_the_series_mute_its_mute_created() {
        TestServer own = serve(ServerSettings.defaults());
        long alert = openF1Alert(own);
        String[] sameOrigin = {"Origin", origin(own)};
        assertThat(postForm(own, "/alerts/" + alert + "/triage", "action=muted&comment=runner+migration", sameOrigin)
                .statusCode()).isEqualTo(303);
        int series = own.benchmon().alertBook().get(alert).seriesId();
        own.benchmon().annotations().muteSeries(series, "f1", "runner migration", "ana",
                java.time.Instant.now().plus(java.time.Duration.ofDays(7)), null, alert); // alerts mute ID --for 7d

        assertThat(postForm(own, "/alerts/" + alert + "/triage", "action=resolved&comment=fixed", sameOrigin)
                .statusCode()).isEqualTo(303);

        assertThat(own.benchmon().alertBook().get(alert).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(own.benchmon().annotations().mutes(series, java.time.Instant.now())).isEmpty();
    }

    @Test
    void a_muted_alerts_triage_menu_offers_unmute_and_not_mute_alert() {
        TestServer own = serve(ServerSettings.defaults());
        long alert = openF1Alert(own);
        assertThat(own.get("/alerts?state=open").body()).contains("value=\"muted\">Mute alert");

        assertThat(postForm(own, "/alerts/" + alert + "/triage", "action=muted&comment=flaky+runner", "Origin", origin(own))
                .statusCode()).isEqualTo(303);

        String page = own.get("/alerts?state=muted").body();
        assertThat(page).contains("id=\"alert-" + alert + "\"", "value=\"unmute\"").doesNotContain("value=\"muted\"");
    }

    /** An f1 alert opened by a drop and resolved by a person on the dashboard; its id. */
    private static long resolvedOnTheDashboard(TestServer own, String[] sameOrigin) {
        long alert = openF1Alert(own);
        assertThat(postForm(own, "/alerts/" + alert + "/triage", "action=resolved&comment=reverted", sameOrigin)
                .statusCode()).isEqualTo(303);
        return alert;
    }

    @Test
    void a_resolved_alerts_triage_menu_offers_reopen_instead_of_acknowledge_and_reopen_opens_it() {
        TestServer own = serve(ServerSettings.defaults());
        String[] sameOrigin = {"Origin", origin(own)};
        long alert = resolvedOnTheDashboard(own, sameOrigin);

        String resolved = own.get("/alerts?state=resolved").body();
        assertThat(resolved).contains("id=\"alert-" + alert + "\"", "value=\"open\" class=\"reopen\"")
                .doesNotContain("value=\"acknowledged\"", "value=\"muted\"")
                .as("a person's resolve of an alert the detector resolved is recorded anew").contains("value=\"resolved\"");

        assertThat(postForm(own, "/alerts/" + alert + "/triage", "action=open&comment=back+again", sameOrigin)
                .statusCode()).isEqualTo(303);
        assertThat(own.benchmon().alertBook().get(alert).state()).isEqualTo(AlertState.OPEN);
    }

    @Test
    void a_resolved_alerts_menu_beside_a_newer_active_alert_of_its_metric_points_to_it_and_offers_no_reopen() {
        TestServer own = serve(ServerSettings.defaults());
        long old = openF1Alert(own);
        for (String[] run : new String[][] {{"5", "0.90"}, {"6", "0.78"}}) { // back (resolves it), then down again
            assertThat(own.postJson("/api/v1/results", "{\"model_version\":\"m\",\"dataset_version\":\"d\","
                    + "\"run_at\":\"2026-01-01T0" + run[0] + ":00:00Z\",\"metrics\":{\"f1\":" + run[1] + "}}").statusCode())
                    .isEqualTo(201);
        }
        long newer = own.benchmon().alertBook().list(AlertFilter.states(AlertState.OPEN)).get(0).id();
        assertThat(newer).isNotEqualTo(old);

        String row = Html.byId(own.get("/alerts?state=resolved").body(), "alert-" + old);

        assertThat(row).contains("class=\"followed-by\"", "href=\"/alerts/" + newer + "\"")
                .doesNotContain("value=\"open\"", "value=\"expected\"");
        assertThat(Html.byId(own.get("/alerts?state=open").body(), "alert-" + newer)).doesNotContain("followed-by");
    }

    @Test
    void a_second_reopen_from_a_page_shown_before_the_first_says_nothing_changed() {
        TestServer own = serve(ServerSettings.defaults());
        String[] sameOrigin = {"Origin", origin(own)};
        long alert = resolvedOnTheDashboard(own, sameOrigin);
        assertThat(postForm(own, "/alerts/" + alert + "/triage", "action=open", sameOrigin).statusCode()).isEqualTo(303);
        int events = own.benchmon().alertBook().history(alert).size();

        HttpResponse<String> again = postForm(own, "/alerts/" + alert + "/triage", "action=open", sameOrigin);

        assertThat(again.statusCode()).isEqualTo(303);
        String back = again.headers().firstValue("Location").orElseThrow();
        assertThat(Html.text(Html.byId(own.get(back).body(), "triage-done")))
                .isEqualTo("Alert #" + alert + " is open already; nothing changed.");
        assertThat(own.benchmon().alertBook().history(alert)).hasSize(events);
        assertThat(postForm(own, "/alerts/" + alert + "/triage", "action=resolved", sameOrigin).statusCode()).isEqualTo(303);
        assertThat(own.get(back).body()).as("not said once the alert left that state").doesNotContain("triage-done");
    }

    @Test
    void acknowledging_a_resolved_alert_on_the_dashboard_is_refused_saying_to_reopen_it() {
        TestServer own = serve(ServerSettings.defaults());
        String[] sameOrigin = {"Origin", origin(own)};
        long alert = resolvedOnTheDashboard(own, sameOrigin);

        var refused = postForm(own, "/alerts/" + alert + "/triage", "action=acknowledged", sameOrigin);

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("is resolved, so there is nothing to acknowledge", "Reopen on the dashboard")
                .as("no form field was wrong").doesNotContain("invalid form field");
        assertThat(own.benchmon().alertBook().get(alert).state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void a_dashboard_mute_without_a_reason_is_refused_naming_the_comment_and_mutes_nothing() {
        TestServer own = serve(ServerSettings.defaults());
        long alert = openF1Alert(own);
        int before = own.benchmon().alertBook().history(alert).size();

        HttpResponse<String> muteAlert = postForm(own, "/alerts/" + alert + "/triage", "action=muted&comment=+", "Origin", origin(own));
        HttpResponse<String> muteSeries = postForm(own, "/alerts/" + alert + "/triage", "action=mute_series&mute_for=1d",
                "Origin", origin(own));

        assertThat(muteAlert.statusCode()).isEqualTo(400);
        assertThat(refusal(muteAlert)).startsWith("invalid form field comment: must say why the alert is muted");
        assertThat(muteSeries.statusCode()).isEqualTo(400);
        assertThat(refusal(muteSeries)).startsWith("invalid form field comment: must say why the series is muted");
        assertThat(own.benchmon().alertBook().history(alert)).hasSize(before);
        assertThat(own.benchmon().annotations().mutes(own.benchmon().alertBook().get(alert).seriesId(), null)).isEmpty();
    }

    @Test
    void unmuting_an_open_alert_on_the_dashboard_is_an_html_page_saying_why_with_a_link_back_to_the_list() {
        HttpResponse<String> r = postOwnForm("/alerts/" + openAlert + "/triage", "action=unmute&next=%2Falerts%3Fstate%3Dopen");

        assertThat(refusal(r, 409)).contains("alert " + openAlert + " is open, not muted, so there is nothing to unmute");
        assertThat(backLink(r)).isEqualTo("/alerts?state=open#alert-" + openAlert);
        assertThat(r.body()).contains("<title>Triage refused · benchmon</title>");
    }

    @Test
    void a_refused_triage_page_escapes_what_it_quotes() {
        HttpResponse<String> r = postOwnForm("/alerts/" + openAlert + "/triage", "action=mute_series&comment=x&mute_for=%3Cscript%3Ealert(1)%3C%2Fscript%3E");

        assertThat(refusal(r)).contains("got '<script>alert(1)</script>'"); // said, as text
        assertThat(r.body()).doesNotContain("<script>alert(1)").contains("&lt;script&gt;alert(1)");
    }

    @Test
    void a_triage_form_without_next_comes_back_to_the_alerts_own_page_saying_what_it_did() {
        TestServer own = serve(ServerSettings.defaults());
        long alert = openF1Alert(own);

        HttpResponse<String> done = postForm(own, "/alerts/" + alert + "/triage", "action=acknowledged&comment=on+it",
                "Origin", origin(own));
        HttpResponse<String> refused = postForm(own, "/alerts/" + alert + "/triage", "action=unmute", "Origin", origin(own));

        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).hasValue("/alerts/" + alert + "?done=acknowledged-" + alert);
        assertThat(Html.text(Html.byId(own.get("/alerts/" + alert + "?done=acknowledged-" + alert).body(), "triage-done")))
                .isEqualTo("Alert #" + alert + " acknowledged."); // the page says what was done
        assertThat(backLink(refused)).isEqualTo("/alerts/" + alert);
    }

    @Test
    void an_old_alert_link_to_the_series_page_still_finds_the_alerts_row_at_its_anchor() {
        TestServer own = serve(ServerSettings.defaults());
        long alert = openF1Alert(own);
        int series = own.benchmon().alertBook().get(alert).seriesId();

        HttpResponse<String> r = own.get("/series/" + series); // what /series/ID#alert-N, sent before, requests

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<tr id=\"alert-" + alert + "\">");
        assertThat(Html.hrefs(alertRow(r.body(), "series-alerts", alert).get(0))).containsExactly("/alerts/" + alert);
    }

    // ---- where the forms come back to -------------------------------------------------------------

    /** The login form and every row's triage form come back to the list the page shows, not to the bad state. */
    @Test
    void every_form_on_the_alerts_page_comes_back_to_the_corrected_state() {
        HttpResponse<String> r = open.get("/alerts?state=bogus");

        assertThat(r.statusCode()).isEqualTo(400);
        List<String> next = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"next\" value=\"([^\"]*)\"").matcher(r.body());
        while (m.find()) {
            next.add(m.group(1));
        }
        assertThat(r.body()).contains("id=\"triage-login\"", "id=\"alert-" + openAlert + "\"");
        assertThat(next).hasSizeGreaterThan(1).containsOnly("/alerts?state=open");
    }

    // ---- read-only server -------------------------------------------------------------------------

    @Test
    void a_read_only_server_refuses_triage_from_the_dashboard_and_stores_nothing() {
        TestServer readOnly = serve(ServerSettings.defaults().withTokens(Tokens.of(null, READ)));
        long run = storedRun(readOnly);
        String[] headers = {"Origin", origin(readOnly), "Cookie", readCookie(readOnly)};

        HttpResponse<String> annotate = postForm(readOnly, "/runs/" + run + "/annotate", "kind=excluded&text=x", headers);
        HttpResponse<String> login = postForm(readOnly, "/triage/login", "token=" + READ + "&actor=ana", headers);

        assertThat(annotate.statusCode()).isEqualTo(403);
        assertThat(annotate.body()).contains("read-only");
        assertThat(annotations(readOnly, run)).isZero();
        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(login.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(readOnly.get("/alerts", "Cookie", readCookie(readOnly)).body())
                .contains("This server is read-only").doesNotContain("id=\"triage-login\"");
    }

    // ---- the triage login's cookie ----------------------------------------------------------------

    /** Signs in to triage on {@link #guarded} with the write token; returns the answer. */
    private HttpResponse<String> triageLogin(String... extraHeaders) {
        List<String> headers = new ArrayList<>(List.of("Origin", origin(guarded), "Cookie", readCookie(guarded)));
        headers.addAll(List.of(extraHeaders));
        return postForm(guarded, "/triage/login", "token=" + WRITE + "&next=%2Falerts", headers.toArray(String[]::new));
    }

    private static String triageCookie(HttpResponse<String> login) {
        return login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(TriageAuth.COOKIE + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no triage cookie in " + login.headers()));
    }

    @Test
    void the_triage_cookie_holds_a_session_id_not_the_token_and_lets_the_browser_triage() {
        HttpResponse<String> login = triageLogin();
        String cookie = triageCookie(login);
        String session = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));

        HttpResponse<String> r = postForm(guarded, "/runs/" + guardedRun + "/annotate", "kind=note&text=checked",
                "Origin", origin(guarded), "Cookie", readCookie(guarded) + "; " + TriageAuth.COOKIE + "=" + session);

        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(cookie).doesNotContain(WRITE).contains("HttpOnly").contains("SameSite=Strict");
        assertThat(session).isNotBlank();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(guarded.benchmon().annotations().ofRun(guardedRun)).extracting(a -> a.text()).contains("checked");
    }

    @Test
    void a_triage_cookie_holding_the_token_itself_does_not_triage() {
        int before = annotations(guarded, guardedRun);

        HttpResponse<String> r = postForm(guarded, "/runs/" + guardedRun + "/annotate", "kind=note&text=old+cookie",
                "Origin", origin(guarded), "Cookie", readCookie(guarded) + "; " + TriageAuth.COOKIE + "=" + WRITE);

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(annotations(guarded, guardedRun)).isEqualTo(before);
    }

    @Test
    void behind_a_tls_proxy_the_triage_cookie_is_secure() {
        assertThat(triageCookie(triageLogin("X-Forwarded-Proto", "https"))).contains("Secure");
        assertThat(triageCookie(triageLogin())).as("plain http on loopback").doesNotContain("Secure");
    }

    /** The {@code name=value} part of a Set-Cookie header. */
    private static String pair(String setCookie) {
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void logging_out_ends_the_triage_session_and_expires_its_cookie() {
        String read = readCookie(guarded);
        String triage = pair(triageCookie(triageLogin()));
        int before = annotations(guarded, guardedRun);

        HttpResponse<String> out = postForm(guarded, "/logout", "", "Origin", origin(guarded), "Cookie",
                read + "; " + triage);
        // The next person signs in with the read token on the same browser, which kept the old triage cookie.
        HttpResponse<String> r = postForm(guarded, "/runs/" + guardedRun + "/annotate", "kind=note&text=inherited",
                "Origin", origin(guarded), "Cookie", readCookie(guarded) + "; " + triage);

        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith(TriageAuth.COOKIE + "=;").contains("Expires=Thu, 01 Jan 1970"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(annotations(guarded, guardedRun)).isEqualTo(before);
    }

    @Test
    void signing_in_again_with_only_the_read_token_ends_the_triage_session_and_expires_its_cookie() {
        String read = readCookie(guarded);
        String triage = pair(triageCookie(triageLogin()));
        int before = annotations(guarded, guardedRun);

        // The next person on a shared browser signs in with the read token; the browser still holds the triage cookie.
        HttpResponse<String> again = postForm(guarded, "/login", "token=" + READ + "&next=%2Falerts",
                "Origin", origin(guarded), "Cookie", read + "; " + triage);
        String newRead = again.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(Tokens.COOKIE + "="))
                .map(AlertPagesTest::pair).findFirst().orElseThrow();
        HttpResponse<String> r = postForm(guarded, "/runs/" + guardedRun + "/annotate", "kind=note&text=inherited",
                "Origin", origin(guarded), "Cookie", newRead + "; " + triage);

        assertThat(again.statusCode()).isEqualTo(303);
        assertThat(again.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith(TriageAuth.COOKIE + "=;").contains("Expires=Thu, 01 Jan 1970"));
        assertThat(newRead).isNotEqualTo(read);
        assertThat(guarded.get("/alerts", "Cookie", read).statusCode()).as("the old read session ended").isEqualTo(303);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(annotations(guarded, guardedRun)).isEqualTo(before);
    }

    @Test
    void a_read_sign_in_refused_at_the_session_cap_leaves_the_browsers_triage_session() {
        Tokens tokens = Tokens.of(WRITE, READ);
        TestServer full = serve(ServerSettings.defaults().withTokens(tokens).withAlerts(AlertSettings.none()));
        long run = storedRun(full);
        String read = readCookie(full);
        String triage = pair(triageCookie(postForm(full, "/triage/login", "token=" + WRITE + "&next=%2Falerts",
                "Origin", origin(full), "Cookie", read)));
        while (tokens.readSessions().open().isPresent()) {
            // fill the read sessions up to the cap, as 10,000 scripted sign-ins would
        }

        // A second tab whose read cookie has gone (expired) signs in while the server is full.
        HttpResponse<String> refused = postForm(full, "/login", "token=" + READ + "&next=%2Falerts",
                "Origin", origin(full), "Cookie", triage);
        HttpResponse<String> r = postForm(full, "/runs/" + run + "/annotate", "kind=note&text=still+triaging",
                "Origin", origin(full), "Cookie", read + "; " + triage);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
    }

    @Test
    void signing_in_to_triage_again_gives_a_new_session_and_ends_the_old_one() {
        String first = pair(triageCookie(triageLogin()));
        String read = readCookie(guarded);

        String second = pair(triageCookie(postForm(guarded, "/triage/login", "token=" + WRITE + "&next=%2Falerts",
                "Origin", origin(guarded), "Cookie", read + "; " + first)));
        HttpResponse<String> old = postForm(guarded, "/runs/" + guardedRun + "/annotate", "kind=note&text=old+session",
                "Origin", origin(guarded), "Cookie", read + "; " + first);
        HttpResponse<String> fresh = postForm(guarded, "/runs/" + guardedRun + "/annotate", "kind=note&text=new+session",
                "Origin", origin(guarded), "Cookie", read + "; " + second);

        assertThat(second).isNotEqualTo(first);
        assertThat(old.statusCode()).isEqualTo(403);
        assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(303);
    }

    @Test
    void a_triage_session_lasts_at_most_seven_days_in_its_cookie() {
        assertThat(triageCookie(triageLogin())).contains("Max-Age=604800");
    }

    @Test
    void a_server_with_only_a_write_token_offers_log_out_to_a_browser_signed_in_to_triage() {
        TestServer writeOnly = serve(ServerSettings.defaults().withTokens(Tokens.of(WRITE, null)));
        long run = storedRun(writeOnly);
        HttpResponse<String> login = postForm(writeOnly, "/triage/login", "token=" + WRITE + "&next=%2Falerts",
                "Origin", origin(writeOnly));
        String triage = pair(login.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(TriageAuth.COOKIE + "=")).findFirst().orElseThrow());

        String signedIn = writeOnly.get("/alerts", "Cookie", triage).body();
        String anonymous = writeOnly.get("/alerts").body();
        HttpResponse<String> out = postForm(writeOnly, "/logout", "", "Origin", origin(writeOnly), "Cookie", triage);

        assertThat(signedIn).contains("action=\"/logout\"");
        assertThat(anonymous).doesNotContain("action=\"/logout\"");
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Location")).hasValue("/");
        assertThat(writeOnly.get("/alerts", "Cookie", triage).body()).doesNotContain("action=\"/logout\"");
        assertThat(postForm(writeOnly, "/runs/" + run + "/annotate", "kind=note&text=after+logout",
                "Origin", origin(writeOnly), "Cookie", triage).statusCode()).isEqualTo(403);
    }

    @Test
    void a_log_out_posted_from_another_site_leaves_the_triage_session() {
        TestServer writeOnly = serve(ServerSettings.defaults().withTokens(Tokens.of(WRITE, null)));
        long run = storedRun(writeOnly);
        String triage = pair(triageCookie(postForm(writeOnly, "/triage/login", "token=" + WRITE + "&next=%2Falerts",
                "Origin", origin(writeOnly))));

        HttpResponse<String> out = postForm(writeOnly, "/logout", "", "Origin", "http://evil.example", "Cookie", triage);

        assertThat(out.statusCode()).isEqualTo(403);
        assertThat(out.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(out.body()).contains("cross-origin log out refused: the form came from http://evil.example");
        assertThat(postForm(writeOnly, "/runs/" + run + "/annotate", "kind=note&text=still+signed+in",
                "Origin", origin(writeOnly), "Cookie", triage).statusCode()).isEqualTo(303);
    }

    // ---- ids --------------------------------------------------------------------------------------

    @Test
    void a_series_id_beyond_the_int_range_names_no_series() {
        long wrapsToSeriesOne = (1L << 32) + 1;

        assertThat(open.get("/series/" + wrapsToSeriesOne).statusCode()).isEqualTo(404);
        assertThat(open.get("/series/" + wrapsToSeriesOne + "/runs.csv").statusCode()).isEqualTo(404);
        assertThat(open.get("/series/1").statusCode()).as("series 1 exists").isEqualTo(200);
    }

    // ---- how a refusal reads ----------------------------------------------------------------------

    /** The dashboard's error page with {@code status} and {@code message}, linking back to the Alerts view. */
    private static void assertErrorPage(HttpResponse<String> r, int status, String message) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(r.body()).startsWith("<!DOCTYPE html>").contains("<h1>" + status + " ").contains(message)
                .contains("<a href=\"/alerts\">Back to the Alerts view</a>");
    }

    @Test
    void a_cross_origin_refusal_is_the_dashboards_error_page() {
        HttpResponse<String> r = postForm(open, "/alerts/" + openAlert + "/triage", "action=acknowledged&comment=x");

        assertErrorPage(r, 403, "cross-origin triage refused: post the form from this server&#39;s own pages");
    }

    @Test
    void triage_with_only_the_read_token_is_refused_on_the_dashboards_error_page() {
        HttpResponse<String> r = postForm(guarded, "/runs/" + guardedRun + "/annotate", "kind=note&text=x",
                "Origin", origin(guarded), "Cookie", readCookie(guarded));

        assertErrorPage(r, 403, "triage needs the triage or write token");
    }

    @Test
    void triage_of_an_alert_that_does_not_exist_is_a_404_page() {
        HttpResponse<String> r = postForm(open, "/alerts/999999/triage", "action=acknowledged&comment=x",
                "Origin", origin(open));

        assertErrorPage(r, 404, "alert 999999 not found");
    }

    @Test
    void a_note_on_a_run_that_does_not_exist_is_a_404_page() {
        HttpResponse<String> r = postForm(open, "/runs/999999999/annotate", "kind=note&text=x", "Origin", origin(open));

        assertErrorPage(r, 404, "not found");
    }

    @Test
    void a_wrong_triage_token_is_refused_on_the_dashboards_error_page() {
        HttpResponse<String> r = postForm(guarded, "/triage/login", "token=wrong&next=%2Falerts",
                "Origin", origin(guarded), "Cookie", readCookie(guarded));

        assertErrorPage(r, 401, "token: not valid for triage");
    }
}
