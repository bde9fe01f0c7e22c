package dev.benchmon.server.web;

import dev.benchmon.alert.Alert;
import dev.benchmon.alert.AlertFilter;
import dev.benchmon.alert.AlertState;
import dev.benchmon.alert.Links;
import dev.benchmon.server.ServerSettings;
import dev.benchmon.server.Tokens;
import dev.benchmon.server.alert.AlertSettings;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Triage in real headless Chromium (the setup of {@link DashboardBrowserTest}) against a real server
 * with read, write and triage tokens: a pushed regression shows as an open alert, the triage token is
 * asked once, Acknowledge moves it, and the series and run pages draw their charts and links.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsBrowserTest {
    private static final Path SHOTS = Path.of("target", "screenshots");

    private TestServer server;
    private HeadlessChromium chromium;
    private ChromeDriver driver;
    private long alertId;

    @BeforeAll
    void start() throws IOException {
        HeadlessChromium.assumeInstalled();
        server = TestServer.start(ServerSettings.defaults().withTokens(Tokens.of("w", "r"))
                .withAlerts(AlertSettings.none().withTriageToken("t")
                        .withLinks(new Links("https://github.com/acme/models", "https://ci.example/runs/{run_id}"))));
        double[] f1 = {0.90, 0.91, 0.89, 0.90, 0.78};
        for (int h = 0; h < f1.length; h++) {
            String body = "{\"model_version\":\"m<1>\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\"2026-01-01T0"
                    + h + ":00:00Z\",\"commit_sha\":\"abc" + h + "\",\"run_id\":\"" + (700 + h) + "\",\"notes\":\"run " + h
                    + "\",\"metrics\":{\"f1\":" + f1[h] + ",\"latency_ms\":" + (100 + h) + "}}";
            assertThat(server.postJson("/api/v1/results", body, "Authorization", "Bearer w").statusCode()).isEqualTo(201);
        }
        alertId = server.benchmon().alertBook().list(AlertFilter.states(AlertState.OPEN)).stream()
                .filter(a -> a.modelVersion().equals("m<1>")).findFirst().orElseThrow().id();
        markedSeries();

        Files.createDirectories(SHOTS);
        chromium = HeadlessChromium.start(1440, 1000);
        driver = chromium.driver();
        open("/login");
        driver.findElement(By.id("token")).sendKeys("r");
        submit(driver.findElement(By.cssSelector("form button[type=submit]")));
    }

    @AfterAll
    void stop() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void acknowledging_from_the_alerts_view_asks_the_triage_token_once_and_records_who_and_why() throws IOException {
        open("/alerts");
        WebElement row = driver.findElement(By.id("alert-" + alertId));
        assertThat(row.getText()).contains("open").contains("m<1> / d @ci").contains("f1").contains("abc3..abc4");
        assertThat(row.findElement(By.linkText("abc3..abc4")).getAttribute("href"))
                .isEqualTo("https://github.com/acme/models/compare/abc3...abc4");
        screenshot("alerts-open");

        driver.findElement(By.id("triage-token")).sendKeys("t");
        driver.findElement(By.id("triage-actor")).sendKeys("ana");
        submit(driver.findElement(By.cssSelector("#triage-login button[type=submit]")));
        assertThat(driver.findElements(By.id("triage-token"))).as("asked once").isEmpty();

        row = driver.findElement(By.id("alert-" + alertId));
        row.findElement(By.cssSelector("details.triage summary")).click();
        row.findElement(By.name("comment")).sendKeys("bisecting the tokenizer change");
        submit(row.findElement(By.cssSelector("button[value=acknowledged]")));

        assertThat(driver.findElements(By.id("alert-" + alertId))).as("gone from the open list").isEmpty();
        Alert a = server.benchmon().alertBook().get(alertId);
        assertThat(a.state()).isEqualTo(AlertState.ACKNOWLEDGED);
        var last = server.benchmon().alertBook().history(alertId).get(1);
        assertThat(last.actor()).isEqualTo("ana");
        assertThat(last.comment()).isEqualTo("bisecting the tokenizer change");
        assertThat(last.source()).isEqualTo("dashboard");
        open("/alerts?state=acknowledged");
        assertThat(driver.findElement(By.id("alert-" + alertId)).getText()).contains("ana: bisecting the tokenizer change");
        screenshot("alerts-acknowledged");
        assertNoConsoleErrors("alerts");
    }

    @Test
    void the_series_page_draws_every_metric_with_markers_and_the_run_page_compares_with_the_baseline() throws IOException {
        Alert a = server.benchmon().alertBook().get(alertId);
        open("/series/" + a.seriesId());
        HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector(".main-svg")).size() >= 2);
        assertThat(driver.findElement(By.id("series-title")).getText()).isEqualTo("m<1> / d @ci");
        Object names = driver.executeScript("return document.getElementById('series_chart_0').data.map(t => t.name).join('|');");
        assertThat((String) names).isEqualTo("f1|excluded runs|notes and annotations|alerts|expected changes|change points|change points");
        assertThat(driver.findElements(By.cssSelector("#series-runs tbody tr"))).hasSize(5);
        assertThat(driver.findElement(By.linkText("abc4")).getAttribute("href")).isEqualTo("https://github.com/acme/models/commit/abc4");
        screenshot("series");
        assertNoConsoleErrors("series");

        open("/runs/" + a.transactionId());
        List<WebElement> f1 = driver.findElements(By.xpath("//table[@id='run-metrics']//tr[td[1]='f1']/td"));
        assertThat(f1.get(1).getText()).isEqualTo("0.78");
        assertThat(f1.get(2).getText()).isEqualTo("0.9");
        assertThat(f1.get(3).getText()).isEqualTo("\u221212.0 points"); // f1 is a proportion: in points, as its verdict
        assertThat(driver.findElement(By.linkText("704")).getAttribute("href")).isEqualTo("https://ci.example/runs/704");
        assertNoConsoleErrors("run");
    }

    /**
     * Two more series of f1 in the last day, for the chart marks: {@code cp<2>} shifts from 0.90 to 0.80 after
     * 12 runs (a change point), one of its runs carries a note and one is excluded; {@code exp} drops to 0.70
     * and its alert is marked expected.
     */
    private void markedSeries() {
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        for (int i = 0; i < 18; i++) {
            double f1 = (i < 12 ? 0.90 : 0.80) + (i % 2 == 0 ? 0.003 : -0.003);
            String notes = i == 5 ? ",\"notes\":\"tokenizer <v2> swap\"" : "";
            String body = "{\"model_version\":\"cp<2>\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\""
                    + now.minus(java.time.Duration.ofMinutes(20L * (40 - i))) + "\",\"commit_sha\":\"cafe" + i
                    + "\",\"run_id\":\"" + (900 + i) + "\"" + notes + ",\"metrics\":{\"f1\":" + f1 + "}}";
            assertThat(server.postJson("/api/v1/results", body, "Authorization", "Bearer w").statusCode()).isEqualTo(201);
        }
        for (int i = 0; i < 7; i++) {
            String body = "{\"model_version\":\"exp\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\""
                    + now.minus(java.time.Duration.ofMinutes(20L * (40 - i))) + "\",\"commit_sha\":\"e" + i
                    + "\",\"metrics\":{\"f1\":" + (i < 6 ? 0.90 : 0.70) + "}}";
            assertThat(server.postJson("/api/v1/results", body, "Authorization", "Bearer w").statusCode()).isEqualTo(201);
        }
        var book = server.benchmon().alertBook();
        Alert expected = book.list(AlertFilter.all()).stream().filter(a -> a.modelVersion().equals("exp")).findFirst()
                .orElseThrow();
        book.setState(expected.id(), AlertState.EXPECTED, "ana", "new tokenizer, accepted", "api");
        long third = server.benchmon().history(dev.benchmon.Filter.model("cp<2>")).longColumn("id").asList().stream()
                .sorted().toList().get(3);
        server.benchmon().annotations().exclude(third, "runner lost its GPU", "ana");
    }

    @Test
    void muting_the_series_and_excluding_the_run_from_the_dashboard_mutes_then_resolves_and_changes_the_verdict()
            throws IOException {
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        long bad = 0;
        for (int i = 0; i < 7; i++) {
            String body = "{\"model_version\":\"tri\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\""
                    + now.minus(java.time.Duration.ofMinutes(20L * (40 - i))) + "\",\"commit_sha\":\"t" + i
                    + "\",\"metrics\":{\"f1\":" + (i < 6 ? 0.90 : 0.70) + "}}";
            var r = server.postJson("/api/v1/results", body, "Authorization", "Bearer w");
            assertThat(r.statusCode()).isEqualTo(201);
            bad = dev.benchmon.ingest.ResultJson.mapper().readTree(r.body()).path("results").get(0).path("id").asLong();
        }
        var book = server.benchmon().alertBook();
        Alert a = book.list(AlertFilter.states(AlertState.OPEN)).stream().filter(x -> x.modelVersion().equals("tri"))
                .findFirst().orElseThrow();
        assertThat(a.transactionId()).isEqualTo(bad);

        open("/alerts");
        boolean unlockedHere = !driver.findElements(By.id("triage-token")).isEmpty();
        if (unlockedHere) {
            driver.findElement(By.id("triage-token")).sendKeys("t");
            driver.findElement(By.id("triage-actor")).sendKeys("ana");
            submit(driver.findElement(By.cssSelector("#triage-login button[type=submit]")));
        }
        try {
            muteAndExclude(a, bad);
        } finally {
            if (unlockedHere) { // leave the browser as found: the acknowledge test checks the token is asked
                driver.manage().deleteCookieNamed(dev.benchmon.server.alert.TriageAuth.COOKIE);
                driver.manage().deleteCookieNamed(AlertPages.ACTOR_COOKIE);
            }
        }
    }

    private void muteAndExclude(Alert a, long bad) throws IOException {
        var book = server.benchmon().alertBook();
        WebElement row = driver.findElement(By.id("alert-" + a.id()));
        row.findElement(By.cssSelector("details.triage summary")).click();
        row.findElement(By.name("comment")).sendKeys("runner migration");
        submit(row.findElement(By.cssSelector("button[value=mute_series]")));

        assertThat(book.get(a.id()).state()).isEqualTo(AlertState.MUTED);
        var mute = server.benchmon().annotations().mutes(a.seriesId(), null).get(0);
        assertThat(mute.metric()).isEqualTo("f1");
        assertThat(mute.reason()).isEqualTo("runner migration");
        assertThat(mute.actor()).isEqualTo("ana");
        assertThat(Duration.between(java.time.Instant.now(), mute.expiresAt()).toHours()).isBetween(166L, 168L);

        open("/runs/" + bad);
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("a-kind"))).selectByValue("excluded");
        driver.findElement(By.id("a-text")).sendKeys("runner lost its GPU");
        submit(driver.findElement(By.cssSelector("#annotate-form button[type=submit]")));

        assertThat(driver.findElement(By.id("excluded-notice")).getText()).contains("runner lost its GPU");
        assertThat(book.get(a.id()).state()).as("excluding the run resolves its alert").isEqualTo(AlertState.RESOLVED);
        var verdict = server.benchmon().regressions(dev.benchmon.Filter.model("tri"), dev.benchmon.RegressionOptions.defaults())
                .stream().filter(v -> v.metric().equals("f1")).findFirst().orElseThrow();
        assertThat(verdict.transactionId()).as("the newest run that is not excluded is judged").isNotEqualTo(bad);
        assertThat(verdict.regression()).isFalse();
        open("/series/" + a.seriesId());
        assertThat(driver.findElement(By.cssSelector("#series-runs tbody tr.excluded")).getText())
                .containsIgnoringCase("excluded: runner lost its GPU");
        screenshot("dashboard-mute-exclude");
        assertNoConsoleErrors("mute and exclude");
    }

    @Test
    void trends_mark_exclusions_notes_expected_changes_and_change_points_with_hover_text() throws IOException {
        open("/trends?metric=f1&model=cp%3C2%3E&model=exp&range=7d");
        HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("#trend_main .main-svg")).size() >= 1);

        for (String[] mark : new String[][] {
                {"excluded runs", "excluded by ana: runner lost its GPU"},
                {"notes and annotations", "note: tokenizer <v2> swap"},
                {"expected changes", "expected change (alert #"},
                {"change points", "change point: -10."}}) {
            String hover = hoverText("trend_main", mark[0]);
            assertThat(hover).as(mark[0]).contains(mark[1]);
        }
        assertThat(hoverText("trend_main", "change points")).contains("cp<2> / d @ci").contains("sd)")
                .contains("since commit cafe11..cafe12").contains("confidence");
        assertThat(hoverText("trend_main", "expected changes")).contains("ana: new tokenizer, accepted");
        // The focus model's small chart of f1 carries the same marks (fetched when scrolled near).
        WebElement small = driver.findElement(By.cssSelector(".chart.small[data-metric='f1']"));
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", small);
        HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d -> !small.findElements(By.cssSelector(".main-svg")).isEmpty());
        assertThat(driver.executeScript("return arguments[0].querySelector('.js-plotly-plot').data.map(t => t.name).join('|');",
                small).toString()).contains("change points");
        screenshot("trends-marks");
        assertNoConsoleErrors("trends marks");

        Alert any = server.benchmon().alertBook().list(AlertFilter.all()).stream()
                .filter(a -> a.modelVersion().equals("cp<2>")).findFirst().orElseThrow();
        open("/series/" + any.seriesId());
        HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("#series_chart_0 .main-svg")).size() >= 1);
        assertThat(hoverText("series_chart_0", "change points")).containsPattern("change point: -10\\.[03] points")
                .contains("since commit cafe11..cafe12");
        assertThat(hoverText("series_chart_0", "excluded runs")).contains("EXCLUDED: runner lost its GPU");
        assertThat(driver.findElement(By.id("series-change-points")).getText()).contains("f1")
                .containsPattern("change point: -10\\.[03] points").contains("since commit cafe11..cafe12");
        screenshot("series-marks");
        assertNoConsoleErrors("series marks");
    }

    /**
     * Hovers the first point of the marker trace named {@code name} in the Plotly chart {@code div} and returns
     * the hover label's text as drawn; fails when the trace has no drawn point.
     */
    private String hoverText(String div, String name) {
        // Plotly throttles hover events (about 50 ms apart): unhover, wait, hover, then read the label.
        Object drawn = driver.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                var gd = document.getElementById(arguments[0]);
                var i = gd.data.findIndex(t => t.name === arguments[1] && t.mode === 'markers');
                if (i < 0) { done('no trace ' + arguments[1]); return; }
                // The drawn group of trace i (empty traces draw no group, so positions differ from data indexes).
                var layer = Array.from(gd.querySelectorAll('.scatterlayer .trace'))
                        .find(g => g.__data__ && g.__data__[0] && g.__data__[0].trace && g.__data__[0].trace.index === i);
                var points = layer ? layer.querySelectorAll('path.point').length : 0;
                if (points === 0) { done('not drawn ' + arguments[1]); return; }
                Plotly.Fx.unhover(gd);
                setTimeout(function () {
                    Plotly.Fx.hover(gd, [{curveNumber: i, pointNumber: 0}]);
                    setTimeout(function () {
                        var label = gd.querySelector('.hoverlayer');
                        done(label ? label.textContent : 'no hover label');
                    }, 150);
                }, 150);""", div, name);
        return String.valueOf(drawn);
    }

    private void open(String path) {
        chromium.open(server.url() + path.substring(1));
    }

    /** Clicks a form's submit button and waits for the page it leads to. */
    private void submit(WebElement button) {
        chromium.leaveAfter(button::click);
    }


    private void screenshot(String name) throws IOException {
        Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    private void assertNoConsoleErrors(String where) {
        List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
        assertThat(errors).as("console errors on " + where).isEmpty();
    }
}
