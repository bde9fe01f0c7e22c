package dev.benchmon.server.web;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Headless Chromium for the page tests ({@code /usr/bin/chromium} driven by {@code /usr/bin/chromedriver}): a window
 * of a given size, the browser console logged ({@link LogType#BROWSER}), and a profile of its own in a temporary
 * folder, which {@link #close} deletes after quitting the browser.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips the calling tests (a failed assumption) where chromedriver is not installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(CHROMEDRIVER),
                "skipped: /usr/bin/chromedriver is missing (apt-get install -y chromium chromium-driver)");
    }

    /** A browser whose window is {@code width} x {@code height} CSS pixels, loading a page for at most 60 s. */
    static HeadlessChromium start(int width, int height) throws IOException {
        Path profile = Files.createTempDirectory("benchmon-chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--hide-scrollbars");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return new HeadlessChromium(driver, profile);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Loads {@code url} and waits until its document is complete. */
    void open(String url) {
        driver.get(url);
        waitLoaded();
    }

    /**
     * Does {@code action} (a click, a key) and waits for the page it leads to: first for the current page to go away,
     * then for the new one to load. Waiting for {@code readyState} alone could pass on the old page, before the
     * browser had left it (a CI run found the next page's element missing). The old page is marked with a window
     * property that the next document does not have; Selenium's {@code stalenessOf} is not used because
     * chromedriver can answer a check made while the document is being replaced with an "unhandled inspector
     * error" instead of a stale element (a CI run failed so), so errors during the switch are retried.
     */
    void leaveAfter(Runnable action) {
        driver.executeScript("window.benchmonLeaving = true");
        action.run();
        await(driver, Duration.ofSeconds(30)).ignoring(WebDriverException.class)
                .until(d -> !Boolean.TRUE.equals(((ChromeDriver) d).executeScript("return window.benchmonLeaving === true")));
        waitLoaded();
    }

    /**
     * A wait of at most {@code timeout} that checks every 50 ms: Selenium's default of 500 ms added up to half a second
     * to every wait whose condition was not true at once, and the page tests wait hundreds of times.
     */
    static WebDriverWait await(WebDriver driver, Duration timeout) {
        return new WebDriverWait(driver, timeout, POLL);
    }

    private static final Duration POLL = Duration.ofMillis(50);

    private void waitLoaded() {
        await(driver, Duration.ofSeconds(30)).until(d ->
                "complete".equals(((ChromeDriver) d).executeScript("return document.readyState")));
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var paths = Files.walk(profile)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
