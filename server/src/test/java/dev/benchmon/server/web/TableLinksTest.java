package dev.benchmon.server.web;

import dev.benchmon.alert.Alert;
import dev.benchmon.alert.AlertFilter;
import dev.benchmon.alert.Links;
import dev.benchmon.server.ServerContext;
import dev.benchmon.server.Tokens;
import dev.benchmon.server.alert.AlertSettings;
import dev.benchmon.server.alert.Alerting;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static dev.benchmon.server.web.DashboardFixture.OBRIEN;
import static dev.benchmon.server.web.DashboardFixture.OBRIEN_LAST_RUN;
import static dev.benchmon.server.web.DashboardFixture.OBRIEN_LAST_SHA;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every table on every tab links its cells the same way (one helper, {@code LinkCells}), HTML-escaped:
 * a series label to its series page, a run to its run page, a commit to the code host and a commit range
 * to its compare view ({@code --repo-url}), a CI run id to the CI ({@code --ci-url}). Served over HTTP from
 * the shared fixture, whose names and run ids hold quotes, angle brackets and ampersands.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TableLinksTest {
    private static final String REPO = "https://github.com/acme/models";
    /** The filters of the pages asked for below, which the links to series and run pages carry on. */
    private static final String KEPT = "?env=staging&range=7d";
    private static final String CI_RUN = "https://ci.example/runs/run-%227%22%3C%26%3E"; // run-"7"<&>, URL-encoded

    private final DashboardFixture f = DashboardFixture.shared();
    private Javalin app;
    private String base;
    private int obrienSeries;
    private long obrienLastRun;

    @BeforeAll
    void serveWithLinks() {
        var bm = f.benchmon;
        Alerting alerting = new Alerting(bm, AlertSettings.none()
                .withLinks(new Links(REPO, "https://ci.example/runs/{run_id}")), () -> "http://127.0.0.1/", Tokens.none());
        app = Javalin.create(config -> Dashboard.register(config, new ServerContext(bm, Tokens.none(), alerting)))
                .start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
        obrienSeries = new dev.benchmon.alert.RunRecords(bm.jdbi()).seriesIds().get(OBRIEN + " / known-set / p-1 @staging");
        obrienLastRun = bm.history(dev.benchmon.Filter.model(OBRIEN)).longColumn("id").asList().stream()
                .max(Long::compare).orElseThrow();
    }

    @AfterAll
    void stop() {
        app.stop();
    }

    private String page(String path) {
        var r = f.getAt(base, path);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    private static List<String> row(List<List<String>> rows, String startsWith) {
        return rows.stream().filter(r -> Html.text(r.get(0)).startsWith(startsWith)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + startsWith));
    }

    @Test
    void the_snapshot_links_series_run_commit_and_ci_run() {
        String html = page("/?env=staging&range=7d");
        List<List<String>> rows = Html.rawTable(html, "snapshot-table");
        List<String> headers = rows.get(0).stream().map(Html::text).toList();
        List<String> ob = row(rows, OBRIEN);

        assertThat(Html.hrefs(ob.get(0))).containsExactly("/series/" + obrienSeries + KEPT);
        assertThat(ob.get(0)).contains("o&#39;brien-&lt;v2&gt;").doesNotContain("<v2>");
        assertThat(Html.hrefs(ob.get(headers.indexOf("Last run (UTC)")))).containsExactly("/runs/" + obrienLastRun + KEPT);
        assertThat(Html.hrefs(ob.get(headers.indexOf("Commit")))).containsExactly(REPO + "/commit/" + OBRIEN_LAST_SHA);
        assertThat(Html.text(ob.get(headers.indexOf("Commit")))).isEqualTo("0b0b0b0b1234");
        assertThat(Html.hrefs(ob.get(headers.indexOf("Run")))).containsExactly(CI_RUN);
        assertThat(Html.text(ob.get(headers.indexOf("Run")))).isEqualTo(OBRIEN_LAST_RUN);
    }

    @Test
    void without_templates_commit_and_ci_cells_are_plain_text_and_pages_still_link() {
        String html = f.get("/?env=staging&range=7d").body(); // the fixture's own server: no --repo-url, no --ci-url
        List<List<String>> rows = Html.rawTable(html, "snapshot-table");
        List<String> headers = rows.get(0).stream().map(Html::text).toList();
        List<String> ob = row(rows, OBRIEN);

        assertThat(Html.hrefs(ob.get(headers.indexOf("Commit")))).isEmpty();
        assertThat(Html.hrefs(ob.get(headers.indexOf("Run")))).isEmpty();
        assertThat(Html.text(ob.get(headers.indexOf("Run")))).isEqualTo(OBRIEN_LAST_RUN);
        assertThat(Html.hrefs(ob.get(0))).containsExactly("/series/" + obrienSeries + KEPT);
    }

    @Test
    void the_regressions_tables_link_series_page_run_page_commit_and_ci_run() {
        String html = page("/regressions?env=staging&range=7d");
        List<String> ob = row(Html.rawTable(html, "regression-table"), OBRIEN);

        assertThat(Html.hrefs(ob.get(0))).contains("/series/" + obrienSeries + KEPT);
        assertThat(Html.hrefs(ob.get(6))).containsExactly(REPO + "/commit/" + OBRIEN_LAST_SHA);
        assertThat(Html.hrefs(ob.get(7))).containsExactly("/runs/" + obrienLastRun + KEPT);
        assertThat(Html.hrefs(ob.get(8))).containsExactly(CI_RUN);
        // The detail header of the selected regression: its series page and its run page.
        String header = html.substring(html.indexOf("<h2>", html.indexOf("id=\"detail\"")), html.indexOf("</h2>",
                html.indexOf("id=\"detail\"")));
        assertThat(Html.hrefs(header)).contains("/series/" + obrienSeries + KEPT, "/runs/" + obrienLastRun + KEPT);
        // "result N" in the detail's summary (the id push, compare and the alerts list call a result id) leads to the
        // run page too.
        String summary = html.substring(html.indexOf("<p class=\"sub\">", html.indexOf("id=\"detail\"")));
        summary = summary.substring(0, summary.indexOf("</p>"));
        assertThat(Html.text(summary)).contains("result " + obrienLastRun).doesNotContain("transaction");
        assertThat(Html.hrefs(summary)).containsExactly("/runs/" + obrienLastRun + KEPT);
    }

    @Test
    void the_alerts_view_series_page_and_run_page_link_the_same_way() {
        Alert a = f.benchmon.alertBook().list(AlertFilter.all().withSeries(obrienSeries)).stream()
                .filter(x -> x.metric().equals("f1")).findFirst().orElseThrow();
        String compare = REPO + "/compare/" + a.commitFrom() + "..." + a.commitTo();

        List<String> alertRow = row(Html.rawTable(page("/alerts?state=all"), "alerts-table"), "#" + a.id());
        String joined = String.join("", alertRow);
        assertThat(Html.hrefs(joined)).contains("/series/" + obrienSeries, compare, "/runs/" + a.transactionId(), CI_RUN);

        String series = page("/series/" + obrienSeries);
        assertThat(Html.hrefs(String.join("", row(Html.rawTable(series, "series-alerts"), "#" + a.id()))))
                .contains(compare, "/runs/" + a.transactionId(), CI_RUN);
        List<List<String>> runs = Html.rawTable(series, "series-runs");
        assertThat(Html.hrefs(String.join("", runs.get(1))))
                .containsExactly("/runs/" + obrienLastRun, REPO + "/commit/" + OBRIEN_LAST_SHA, CI_RUN);

        // The series page's runs as CSV: the same runs, the ids the links name.
        String csv = page("/series/" + obrienSeries + "/runs.csv");
        assertThat(csv).startsWith("run_at,transaction_id,commit_sha,run_id,branch,triggered_by,tags,notes,excluded,"
                + "excluded_reason,f1,latency_ms\n");
        assertThat(csv.lines().skip(1).findFirst().orElseThrow()).contains("," + obrienLastRun + "," + OBRIEN_LAST_SHA
                + ",\"run-\"\"7\"\"<&>\",");
        assertThat(csv.lines().count()).isEqualTo(4);

        String run = page("/runs/" + obrienLastRun);
        String title = run.substring(run.indexOf("id=\"run-title\""), run.indexOf("</h2>", run.indexOf("id=\"run-title\"")));
        assertThat(Html.hrefs(title)).containsExactly("/series/" + obrienSeries);
        assertThat(title).contains("o&#39;brien-&lt;v2&gt;");
        String context = run.substring(run.indexOf("id=\"run-context\""), run.indexOf("</dl>", run.indexOf("id=\"run-context\"")));
        assertThat(Html.hrefs(context)).containsExactly(REPO + "/commit/" + OBRIEN_LAST_SHA, CI_RUN);
    }
}
