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
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Triage in real headless Chromium (the setup of {@link DashboardBrowserTest}) against a real server
 * with read, write and triage tokens: a pushed regression shows as an open alert, the triage token is
 * asked once, Acknowledge moves it, and the series and run pages draw their charts and links.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsBrowserTest {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SHOTS = Path.of("target", "screenshots");

    private TestServer server;
    private ChromeDriver driver;
    private Path profile;
    private long alertId;

    @BeforeAll
    void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMEDRIVER),
                "skipped: /usr/bin/chromedriver is missing (apt-get install -y chromium chromium-driver)");
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
        alertId = server.benchmon().alertBook().list(AlertFilter.states(AlertState.OPEN)).get(0).id();

        Files.createDirectories(SHOTS);
        profile = Files.createTempDirectory("benchmon-chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--user-data-dir=" + profile, "--window-size=1440,1000", "--hide-scrollbars");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        open("/login");
        driver.findElement(By.id("token")).sendKeys("r");
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        waitLoaded();
    }

    @AfterAll
    void stop() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (profile != null) {
            try (var paths = Files.walk(profile)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
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
        driver.findElement(By.cssSelector("#triage-login button[type=submit]")).click();
        waitLoaded();
        assertThat(driver.findElements(By.id("triage-token"))).as("asked once").isEmpty();

        row = driver.findElement(By.id("alert-" + alertId));
        row.findElement(By.cssSelector("details.triage summary")).click();
        row.findElement(By.name("comment")).sendKeys("bisecting the tokenizer change");
        row.findElement(By.cssSelector("button[value=acknowledged]")).click();
        waitLoaded();

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
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector(".main-svg")).size() >= 2);
        assertThat(driver.findElement(By.id("series-title")).getText()).isEqualTo("m<1> / d @ci");
        Object names = driver.executeScript("return document.getElementById('series_chart_0').data.map(t => t.name).join('|');");
        assertThat((String) names).isEqualTo("f1|excluded runs|notes and annotations|alerts");
        assertThat(driver.findElements(By.cssSelector("#series-runs tbody tr"))).hasSize(5);
        assertThat(driver.findElement(By.linkText("abc4")).getAttribute("href")).isEqualTo("https://github.com/acme/models/commit/abc4");
        screenshot("series");
        assertNoConsoleErrors("series");

        open("/runs/" + a.transactionId());
        List<WebElement> f1 = driver.findElements(By.xpath("//table[@id='run-metrics']//tr[td[1]='f1']/td"));
        assertThat(f1.get(1).getText()).isEqualTo("0.78");
        assertThat(f1.get(2).getText()).isEqualTo("0.9");
        assertThat(f1.get(3).getText()).isEqualTo("\u221213.3%");
        assertThat(driver.findElement(By.linkText("704")).getAttribute("href")).isEqualTo("https://ci.example/runs/704");
        assertNoConsoleErrors("run");
    }

    private void open(String path) {
        driver.get(server.url() + path.substring(1));
        waitLoaded();
    }

    private void waitLoaded() {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d ->
                "complete".equals(((ChromeDriver) d).executeScript("return document.readyState")));
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
