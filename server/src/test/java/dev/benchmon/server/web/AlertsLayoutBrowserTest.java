package dev.benchmon.server.web;

import dev.benchmon.alert.Alert;
import dev.benchmon.alert.AlertFilter;
import dev.benchmon.alert.AlertState;
import dev.benchmon.server.ServerSettings;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Alerts view's layout in real headless Chromium (the setup of {@link AlertsBrowserTest}) at a 1400x900 window:
 * a mute's long text (a 600-character mute comment, shown in the Latest column, and a long "stays in force" note of a
 * series mute, shown in the State column) wraps inside its cell, so every column of the table stays in the window,
 * and the whole text is still on the page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsLayoutBrowserTest {
    private static final Path SHOTS = Path.of("target", "screenshots");

    @AutoClose
    private TestServer server;
    @AutoClose
    private HeadlessChromium chromium;
    private ChromeDriver driver;

    @BeforeAll
    void start() throws IOException {
        HeadlessChromium.assumeInstalled();
        server = TestServer.start(ServerSettings.defaults());
        Files.createDirectories(SHOTS);
        chromium = HeadlessChromium.start(1400, 900);
        driver = chromium.driver();
        driver.manage().window().setSize(new Dimension(1400, 900)); // the window itself, not only its first size
    }

    @Test
    void a_600_character_mute_text_without_spaces_wraps_and_the_table_fits_the_window() throws IOException {
        String text = "x".repeat(600);
        String metric = "accuracy_" + "x".repeat(181); // a name as long as names go: the State column's note names it twice

        long[] alerts = mutedAndNotedAlerts("nospace", text, metric);

        assertTableFits("alerts-layout-nospace", alerts, text, metric);
    }

    @Test
    void a_600_character_mute_text_with_spaces_wraps_and_the_table_fits_the_window() throws IOException {
        String text = "the runner pool moves to the new data centre this week ".repeat(11).substring(0, 600);
        String metric = "accuracy of the tokenizer stage ".repeat(6).strip();

        long[] alerts = mutedAndNotedAlerts("spaced", text, metric);

        assertTableFits("alerts-layout-spaced", alerts, text, metric);
    }

    /**
     * Two alerts of a new series (model {@code model}): f1's, muted by a person with {@code text} as the comment (the
     * Latest column shows it), and {@code metric}'s, acknowledged while a mute of its metric with {@code text} as the
     * reason is in force (the State column says the mute stays in force, naming the metric).
     */
    private long[] mutedAndNotedAlerts(String model, String text, String metric) {
        double[] f1 = {0.90, 0.91, 0.89, 0.90, 0.70};
        for (int h = 0; h < f1.length; h++) {
            String body = ResultBody.of(model, h, Map.of("f1", f1[h], metric, h < 4 ? 200.0 + h : 100.0));
            assertThat(server.postJson("/api/v1/results", body).statusCode()).as(body).isEqualTo(201);
        }
        List<Alert> open = server.benchmon().alertBook().list(AlertFilter.states(AlertState.OPEN)).stream()
                .filter(a -> a.modelVersion().equals(model)).toList();
        Alert f1Alert = open.stream().filter(a -> a.metric().equals("f1")).findFirst().orElseThrow();
        Alert noted = open.stream().filter(a -> a.metric().equals(metric)).findFirst().orElseThrow();
        server.benchmon().alertBook().setState(f1Alert.id(), AlertState.MUTED, "ana", text, "toolkit");
        server.benchmon().alertBook().setState(noted.id(), AlertState.ACKNOWLEDGED, "ana", "on it", "toolkit");
        server.benchmon().annotations().mute(noted.seriesId(), metric, text, "ana",
                Instant.now().plus(Duration.ofDays(1)), null);
        return new long[] {f1Alert.id(), noted.id()};
    }

    private void assertTableFits(String shot, long[] alerts, String text, String metric) throws IOException {
        driver.get(server.url() + "alerts?state=all");
        HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d ->
                "complete".equals(((ChromeDriver) d).executeScript("return document.readyState")));
        Files.write(SHOTS.resolve(shot + ".png"), driver.getScreenshotAs(OutputType.BYTES));

        long viewport = ((Number) driver.executeScript("return document.documentElement.clientWidth")).longValue();
        long tableWidth = ((Number) driver.executeScript(
                "return document.getElementById('alerts-table').scrollWidth")).longValue();
        long wrapWidth = ((Number) driver.executeScript(
                "return document.querySelector('.table-wrap').clientWidth")).longValue();
        assertThat(viewport).isLessThanOrEqualTo(1400);
        assertThat(tableWidth).as("the table's width in its %dpx frame", wrapWidth).isLessThanOrEqualTo(wrapWidth);
        for (WebElement th : driver.findElements(By.cssSelector("#alerts-table thead th"))) {
            double right = ((Number) driver.executeScript("return arguments[0].getBoundingClientRect().right", th))
                    .doubleValue();
            assertThat(right).as("the right edge of column %s", th.getText()).isLessThanOrEqualTo(viewport);
        }
        // the whole text is on the page, wrapped, not cut
        WebElement muted = driver.findElement(By.id("alert-" + alerts[0]));
        assertThat(muted.findElement(By.cssSelector("td.comment")).getText().replaceAll("\\s+", " "))
                .isEqualTo("ana: " + text.replaceAll("\\s+", " ").strip());
        WebElement noted = driver.findElement(By.id("alert-" + alerts[1]));
        assertThat(noted.findElement(By.cssSelector(".mute-note")).getText().replaceAll("\\s+", " "))
                .contains("metric " + metric + " (mute ", "new alerts of " + metric + " open muted until then");
    }

    /** A result of series ({@code model}, d, ci) at hour {@code h} of 2026-01-01 with these metrics. */
    private static final class ResultBody {
        static String of(String model, int h, Map<String, Double> metrics) {
            StringBuilder m = new StringBuilder();
            metrics.forEach((k, v) -> m.append(m.isEmpty() ? "" : ",").append('"').append(k).append("\":").append(v));
            return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":"
                    + "\"2026-01-01T0" + h + ":00:00Z\",\"commit_sha\":\"c" + h + "\",\"metrics\":{" + m + "}}";
        }
    }
}
