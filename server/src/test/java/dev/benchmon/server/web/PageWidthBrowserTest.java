package dev.benchmon.server.web;

import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages' widths in real headless Chromium with the demo history as {@code serve --demo} loads it (its regressions
 * as alerts): at a laptop's 1280 px and a small window's 1024 px the Alerts and Regressions pages do not scroll
 * sideways (their tables wrap long cells, and a table still too wide scrolls within its frame), and at a phone's 390 px
 * Trends and Compare do not either: the filter bar wraps and every chart is as wide as the screen at most.
 * Screenshots land in {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageWidthBrowserTest {
    private static final Path SHOTS = Path.of("target", "screenshots");

    @AutoClose
    private TestServer demo;
    @AutoClose
    private HeadlessChromium chromium;
    private ChromeDriver driver;

    @BeforeAll
    void start() throws IOException {
        HeadlessChromium.assumeInstalled();
        demo = TestServer.start();
        assertThat(demo.benchmon().loadDemoData()).isPositive();
        demo.benchmon().alertOnNewestRuns(); // as serve --demo does
        Files.createDirectories(SHOTS);
        chromium = HeadlessChromium.start(1280, 800);
        driver = chromium.driver();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"alerts?state=all", "regressions?range=90d"})
    void theAlertsAndRegressionsTablesFitAWindow1280PixelsWide(String page) throws IOException {
        openTable(page, 1280);

        assertPageFitsTheWindow(page + " at 1280");
        List<?> overflowing = (List<?>) driver.executeScript("return Array.from(document.querySelectorAll('.table-wrap'))"
                + ".filter(w => w.scrollWidth > w.clientWidth + 1).map(w => { const t = w.querySelector('table');"
                + " return t.id + ' ' + t.scrollWidth + ' > ' + w.clientWidth + ': ' + Array.from(t.querySelectorAll('thead th'))"
                + ".map(h => h.textContent + ' ' + Math.round(h.getBoundingClientRect().width)).join(', '); });");
        assertThat(overflowing).as("tables wider than their frame (columns and their widths)").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"alerts?state=all", "regressions?range=90d"})
    void inA1024PixelWindowTheirTablesScrollWithinTheirFrameAndThePageDoesNot(String page) throws IOException {
        openTable(page, 1024);

        assertPageFitsTheWindow(page + " at 1024");
    }

    @ParameterizedTest(name = "{0} at 390 px")
    @ValueSource(strings = {"trends?range=90d", "compare?range=90d"})
    void trendsAndCompareFitAPhoneScreen(String page) throws IOException {
        open(page, 390, 844);
        waitForCharts();
        drawSmallCharts();
        fullPageShot(page);

        assertPageFitsTheWindow(page + " at 390");
        WebElement filters = driver.findElement(By.id("filters"));
        assertThat(filters.getSize().getWidth()).as("the filter bar's width").isLessThanOrEqualTo(innerWidth());
        for (WebElement chart : driver.findElements(By.cssSelector(".js-plotly-plot"))) {
            double right = ((Number) driver.executeScript("return arguments[0].getBoundingClientRect().right", chart))
                    .doubleValue();
            assertThat(right).as("the right edge of chart %s", chart.getAttribute("id")).isLessThanOrEqualTo(innerWidth());
        }
        // The plots keep most of their charts' width (a legend at the side left them a sliver), and some height.
        List<?> squeezed = (List<?>) driver.executeScript("return Array.from(document.querySelectorAll('.js-plotly-plot'))"
                + ".filter(d => d._fullLayout._size.w < 0.6 * d._fullLayout.width || d._fullLayout._size.h < 150)"
                + ".map(d => (d.id || d.closest('[id]').id) + ' ' + Math.round(d._fullLayout._size.w) + 'x'"
                + " + Math.round(d._fullLayout._size.h) + ' of ' + d._fullLayout.width + 'x' + d._fullLayout.height);");
        assertThat(squeezed).as("plots squeezed by their legends (plot of chart)").isEmpty();
    }

    @Test
    void aWindowNarrowedToAPhonesWidthAfterTheLoadGetsThePhoneLayoutAndWideningItPutsTheSideLegendBack()
            throws IOException {
        open("compare?range=90d", 1280, 800);
        waitForCharts();
        String legends = "return Array.from(document.querySelectorAll('.js-plotly-plot')).filter(d => d._fullLayout.showlegend)"
                + ".map(d => (d._fullLayout.legend.orientation || 'v') + ' ' + d._fullLayout.height);";
        List<?> wide = (List<?>) driver.executeScript(legends);
        assertThat(wide).as("charts with a legend at the side, at 1280 px").isNotEmpty()
                .allSatisfy(l -> assertThat(l.toString()).startsWith("v "));

        driver.manage().window().setSize(new Dimension(390, 844));
        HeadlessChromium.await(driver, Duration.ofSeconds(10)).until(d -> ((List<?>) driver.executeScript(legends)).stream()
                .allMatch(l -> l.toString().startsWith("h ")));

        driver.manage().window().setSize(new Dimension(1280, 800));
        HeadlessChromium.await(driver, Duration.ofSeconds(10)).until(d -> driver.executeScript(legends).equals(wide));
    }

    /** Opens {@code page} in a window {@code width} x 800 and checks that its tables have rows. */
    private void openTable(String page, int width) throws IOException {
        open(page, width, 800);
        assertThat(driver.findElements(By.cssSelector("table.data tbody tr"))).as("rows of the demo").isNotEmpty();
    }

    private void open(String page, int width, int height) throws IOException {
        driver.manage().window().setSize(new Dimension(width, height));
        chromium.open(demo.url() + page);
        Files.write(SHOTS.resolve("width-" + page.replaceAll("\\W+", "-") + "-" + width + ".png"),
                driver.getScreenshotAs(OutputType.BYTES));
    }

    private void waitForCharts() {
        HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector(".main-svg")).isEmpty());
    }

    /** Scrolls to each of Trends' small charts in turn (each is fetched when near the screen) until it is drawn. */
    private void drawSmallCharts() {
        for (WebElement box : driver.findElements(By.cssSelector(".chart.small[data-chart-url]"))) {
            driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", box);
            HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d -> box.getAttribute("data-chart-state") != null
                    && !"loading".equals(box.getAttribute("data-chart-state")));
        }
        driver.executeScript("window.scrollTo(0, 0);");
    }

    private void fullPageShot(String page) throws IOException {
        Dimension before = driver.manage().window().getSize();
        int height = ((Number) driver.executeScript("return document.documentElement.scrollHeight")).intValue();
        driver.manage().window().setSize(new Dimension(before.getWidth(), Math.min(height + 100, 8000)));
        Files.write(SHOTS.resolve("width-" + page.replaceAll("\\W+", "-") + "-full.png"), driver.getScreenshotAs(OutputType.BYTES));
        driver.manage().window().setSize(before);
    }

    private int innerWidth() {
        return ((Number) driver.executeScript("return window.innerWidth")).intValue();
    }

    private void assertPageFitsTheWindow(String what) {
        long scrollWidth = ((Number) driver.executeScript("return document.documentElement.scrollWidth")).longValue();
        List<?> wider = (List<?>) driver.executeScript("return Array.from(document.querySelectorAll('body *'))"
                + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                + ".slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));");
        assertThat(scrollWidth).as("%s: the page's width (elements past the window's edge: %s)", what, wider)
                .isLessThanOrEqualTo(innerWidth());
    }
}
