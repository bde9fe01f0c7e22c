package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.benchmon.server.web.DashboardFixture.OBRIEN;
import static dev.benchmon.server.web.DashboardFixture.SCRIPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in real headless Chromium against the demo data (plus the known series) on an
 * ephemeral port: every tab renders its Plotly charts with no console errors and no request off
 * this machine; filters change the data; the CSV downloads; names show exactly as written.
 * Screenshots land in {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static final Pattern REQUEST_URL = Pattern.compile("\"method\":\"Network.requestWillBeSent\".*?\"request\":\\{.*?\"url\":\"([^\"]*)\"");

    private DashboardFixture f;
    private ChromeDriver driver;
    private Path downloads;
    private Path profile;
    private final List<String> requestedUrls = new ArrayList<>();

    @BeforeAll
    void startBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMEDRIVER),
                "skipped: /usr/bin/chromedriver is missing (apt-get install -y chromium chromium-driver)");
        f = DashboardFixture.shared();
        Files.createDirectories(SHOTS);
        downloads = Files.createTempDirectory("benchmon-downloads");
        profile = Files.createTempDirectory("benchmon-chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--user-data-dir=" + profile, "--window-size=1440,1000", "--hide-scrollbars");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        for (Path dir : new Path[] {profile, downloads}) {
            if (dir != null && Files.exists(dir)) {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    void everyTabRendersItsChartsWithNoConsoleErrorsAndNothingFetchedFromOutside() throws IOException {
        for (String[] tab : new String[][] {{"snapshot", "/"}, {"trends", "/trends"}, {"compare", "/compare"},
                {"regressions", "/regressions"}}) {
            open(tab[1] + "?range=90d");
            if (!tab[0].equals("snapshot")) {
                waitForCharts();
                waitForSmallCharts(); // Trends' small charts arrive after the page, as they are scrolled to
                assertThat(driver.findElements(By.cssSelector(".main-svg"))).as(tab[0]).isNotEmpty();
                // tablesaw-jsplot writes string titles: they render with Plotly 2.x.
                assertThat(driver.findElements(By.cssSelector(".gtitle"))).as(tab[0] + " chart titles")
                        .isNotEmpty().allSatisfy(t -> assertThat(t.getText()).isNotBlank());
            }
            screenshot(tab[0]);
            assertNoConsoleErrors(tab[0]);
        }
        collectRequests();
        assertThat(requestedUrls).isNotEmpty().allSatisfy(url -> assertThat(local(url)).as(url).isTrue());
        assertThat(requestedUrls).anyMatch(u -> u.endsWith("/assets/plotly-2.35.3.js"));
    }

    @Test
    void changingAFilterChangesTheDataAndKeepsTheOtherFilters() {
        open("/?range=90d");
        int allRows = rows("snapshot-table");

        new Select(driver.findElement(By.id("f-env"))).selectByValue("staging");
        HeadlessChromium.await(driver, Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("env=staging"));
        // The URL names the new page once the browser commits to it; its table is read after it has loaded.
        HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d ->
                "complete".equals(((ChromeDriver) d).executeScript("return document.readyState")));

        assertThat(driver.getCurrentUrl()).contains("range=90d");
        assertThat(rows("snapshot-table")).isEqualTo(2).isLessThan(allRows);
        assertNoConsoleErrors("filter change");
    }

    @Test
    void aCustomRangeFromATimeKeepsThatTimeWhenAnotherFilterChanges() {
        open("/?range=custom&from=2000-01-01%2012:00&to=9999-12-31");

        new Select(driver.findElement(By.id("f-env"))).selectByValue("staging");
        HeadlessChromium.await(driver, Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("env=staging"));
        HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d ->
                "complete".equals(((ChromeDriver) d).executeScript("return document.readyState")));

        // A date box would have dropped the time (the form would send from= empty); the text box sends it as shown.
        assertThat(driver.getCurrentUrl()).contains("from=2000-01-01+12%3A00").contains("to=9999-12-31")
                .contains("range=custom");
        assertThat(driver.findElement(By.id("f-from")).getAttribute("value")).isEqualTo("2000-01-01 12:00");
        assertThat(driver.findElements(By.cssSelector(".notice.error"))).isEmpty();
        assertNoConsoleErrors("custom range with a time");
    }

    @Test
    void theCsvLinkDownloadsTheTable() throws Exception {
        open("/?env=staging&range=7d");
        driver.findElement(By.id("csv-link")).click();

        Path csv = null;
        for (int i = 0; i < 100 && csv == null; i++) {
            try (Stream<Path> files = Files.list(downloads)) {
                csv = files.filter(p -> p.toString().endsWith(".csv")).findFirst().orElse(null);
            }
            Thread.sleep(100);
        }
        assertThat(csv).as("downloaded CSV").isNotNull();
        String text = Files.readString(csv);
        assertThat(text).startsWith("Model,Dataset,Prompt,Environment,f1,latency_ms").contains("\"o'brien-<v2>\"".replace("\"", ""));
        assertThat(SnapshotPageTest.Csv.parse(text)).hasSize(3);
    }

    @Test
    void namesShowExactlyAsWrittenInTablesLegendsAndHover() throws IOException {
        open("/?env=staging&range=7d");
        List<String> models = driver.findElements(By.cssSelector("#snapshot-table tbody tr td:first-child")).stream()
                .map(WebElement::getText).toList();
        assertThat(models).containsExactly(SCRIPT, OBRIEN);

        open("/trends?env=staging&range=7d");
        waitForCharts();
        List<String> legend = driver.findElements(By.cssSelector("#trend_main .legendtext")).stream()
                .map(WebElement::getText).toList();
        assertThat(legend).contains(OBRIEN, SCRIPT);
        // No alert ran and no raw HTML leaked into the page.
        assertThat(driver.findElements(By.tagName("b"))).isEmpty();
        // Hover shows each line's name whole beside its point's text (Plotly markup: shown as o'brien-<v2>).
        Object hover = driver.executeScript("var d = document.getElementById('trend_main').data;"
                + "return d.filter(t => t.mode === 'lines+markers')"
                + ".map(t => t.name + ' | ' + t.hoverlabel.namelength + ' | ' + t.text[0]).join('\\n');");
        assertThat((String) hover).contains("o'brien-&lt;v2&gt; | -1 | n=");
        screenshot("trends-special-names");
        assertNoConsoleErrors("special names");
    }

    @Test
    void theTrendsSmallChartsAreFetchedAndDrawnIntoTheirPlaceholdersAfterThePageLoads() throws IOException {
        open("/trends?env=staging&range=7d&metric=f1&focus=" + SnapshotPageTest.enc(OBRIEN));
        waitForCharts();

        List<WebElement> boxes = waitForSmallCharts();
        assertThat(boxes).extracting(b -> b.getAttribute("data-metric")).containsExactly("f1", "latency_ms");
        for (WebElement b : boxes) {
            String metric = b.getAttribute("data-metric");
            assertThat(b.getAttribute("data-chart-state")).as(metric).isEqualTo("drawn");
            assertThat(b.findElements(By.cssSelector("svg.main-svg"))).as(metric).isNotEmpty();
            assertThat(b.findElement(By.cssSelector(".gtitle")).getText()).as(metric).isEqualTo(metric);
            assertThat(b.getAttribute("class")).as(metric).doesNotContain("pending");
        }
        screenshot("trends-small-charts");
        assertNoConsoleErrors("trends small charts");
    }

    private static final Instant LAZY_RUN_AT = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(5));

    /**
     * Opens Trends, in a window 700 px high (the caller sets it back), of a model of its own (environment {@code lazy})
     * with 12 metrics: six rows of small charts. Returns the placeholder of the last, far below the screen.
     */
    private WebElement openTwelveSmallChartsOnAShortScreen() {
        // Recorded by each test that opens it, with the same key: the same run_at too (one instant for the class), or
        // the second would be refused as the key re-sent with other values.
        BenchmarkResult.Builder run = BenchmarkResult.builder("lazy-model", "d").environment("lazy").runAt(LAZY_RUN_AT)
                .idempotencyKey("lazy-model-1");
        for (int i = 0; i < 12; i++) {
            run.metric(String.format(Locale.ROOT, "lazy_%02d", i), i);
        }
        f.benchmon.record(run.build());
        driver.manage().window().setSize(new Dimension(1440, 700));
        open("/trends?env=lazy&range=7d&metric=lazy_00");
        waitForCharts();
        return driver.findElement(By.cssSelector(".chart.small[data-metric='lazy_11']"));
    }

    @Test
    void aSmallChartFarBelowTheScreenIsFetchedOnlyWhenScrolledNear() {
        try {
            WebElement last = openTwelveSmallChartsOnAShortScreen();
            HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d -> "drawn".equals(
                    d.findElement(By.cssSelector(".chart.small[data-metric='lazy_00']")).getAttribute("data-chart-state")));
            assertThat(last.getAttribute("data-chart-state")).as("six rows of charts below the screen").isNull();
            assertThat(last.getText()).contains("lazy_11").contains("Loading the chart");

            driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", last);
            HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d -> !last.findElements(By.cssSelector(".main-svg")).isEmpty());
            assertThat(last.getAttribute("data-chart-state")).isEqualTo("drawn");
            assertNoConsoleErrors("small charts scrolled to");
        } finally {
            driver.manage().window().setSize(new Dimension(1440, 1000));
        }
    }

    @Test
    void aSmallChartThatCannotBeLoadedSaysSoInItsPlaceholder() throws IOException {
        try {
            WebElement last = openTwelveSmallChartsOnAShortScreen();
            // As if the metric had been renamed since the page was rendered: its fragment answers 400, whose words are shown.
            driver.executeScript("arguments[0].setAttribute('data-chart-url', arguments[0].getAttribute('data-chart-url')"
                    + ".replace('chart=lazy_11', 'chart=renamed'));", last);
            driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", last);
            HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d -> "failed".equals(last.getAttribute("data-chart-state")));

            assertThat(last.findElement(By.cssSelector(".chart-error")).getText())
                    .isEqualTo("Could not load this chart (HTTP 400: chart: unknown metric 'renamed').");
            assertThat(last.getAttribute("aria-busy")).isNull();
            screenshot("trends-small-chart-failed");
        } finally {
            driver.manage().window().setSize(new Dimension(1440, 1000));
            driver.manage().logs().get(LogType.BROWSER); // the 400 Chromium logged: not another test's console error
        }
    }

    @Test
    void theCompareTabDrawsEachDifferenceAsADotOnANumericAxis() throws IOException {
        open("/compare?env=staging&range=7d&model=" + SnapshotPageTest.enc(OBRIEN) + "&model=" + SnapshotPageTest.enc(SCRIPT));
        waitForCharts();

        // Per difference chart: the value axis Plotly typed, and the dots it drew of the difference trace (the last).
        Object charts = driver.executeScript("return Array.from(document.querySelectorAll(\"div[id^='compare_diff_']\"))"
                + ".map(d => d._fullLayout.xaxis.type + ' ' + d._fullLayout.yaxis.type + ' '"
                + " + d.querySelectorAll('.scatterlayer .trace:last-child .point').length"
                + " + ' ' + d.calcdata[d.calcdata.length - 1].every(p => typeof p.x === 'number' && isFinite(p.x)));");
        assertThat((List<?>) charts).as("difference charts").isNotEmpty()
                .allSatisfy(c -> assertThat((String) c).isEqualTo("linear category 1 true"));
        screenshot("compare-differences");
        assertNoConsoleErrors("compare differences");
    }

    @Test
    void aModelOnTwoDatasetsIsTwoLabelledLinesInTheTrendLegend() throws IOException {
        TrendsPerSeriesPageTest.record(f);
        open("/trends?env=" + TrendsPerSeriesPageTest.ENVIRONMENT + "&range=7d&metric=f1");
        waitForCharts();

        List<String> legend = driver.findElements(By.cssSelector("#trend_main .legendtext")).stream()
                .map(WebElement::getText).toList();
        String model = TrendsPerSeriesPageTest.MODEL;
        assertThat(legend).containsExactlyInAnyOrder(model + " · arc_easy @two-tasks", model + " · hellaswag @two-tasks");
        screenshot("trends-per-series");
        assertNoConsoleErrors("trends per series");
    }

    @Test
    void aMetricNamedWithMarkupShowsAsWrittenOnTheSeriesPageAndLinksNowhere() throws IOException {
        String metric = "<a href=\"https://phish.example/\">f1</a>";
        f.benchmon.record(BenchmarkResult.builder("markup-metric", "d").environment("markup").metric(metric, 0.5).build());
        int series = f.benchmon.jdbi().withHandle(h -> h.createQuery(
                "SELECT id FROM series WHERE model_version = 'markup-metric'").mapTo(Integer.class).one());
        open("/series/" + series);
        waitForCharts();
        // Plotly reads its own markup in trace names and titles, links included.
        assertThat(driver.findElements(By.cssSelector(".series-chart svg a"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector(".series-chart .gtitle")).stream().map(WebElement::getText))
                .containsExactly(metric);
        assertThat(driver.findElements(By.cssSelector(".series-chart .legendtext")).stream().map(WebElement::getText))
                .contains(metric);
        screenshot("series-markup-metric");
        assertNoConsoleErrors("series page with a markup metric");
    }

    @Test
    void theSeriesPageDrawsEachMetricsUnitOnItsValueAxis() throws IOException {
        int series = new dev.benchmon.alert.RunRecords(f.benchmon.jdbi()).seriesIds()
                .get(OBRIEN + " / known-set / p-1 @staging");
        open("/series/" + series);
        waitForCharts();

        // The series page writes its own Plotly JSON: the axis titles the browser draws, not only the JSON, say the unit.
        assertThat(driver.findElements(By.cssSelector(".series-chart .ytitle")).stream().map(WebElement::getText))
                .containsExactly("f1 (ratio)", "latency_ms (ms)");
        screenshot("series-units");
        assertNoConsoleErrors("series page units");
    }

    @Test
    void aTwoHundredCharacterNameNeitherWidensThePageNorSqueezesThePlot() throws IOException {
        String model = "long-" + "x".repeat(190) + "-v1.2";
        for (int i = 0; i < 2; i++) {
            f.benchmon.record(BenchmarkResult.builder(model, "d").environment("long-names").metric("f1", 0.5 + i / 10.0)
                    .runAt(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(2 - i))).build());
        }
        String page = "/trends?env=long-names&range=7d&metric=f1&model=" + SnapshotPageTest.enc(model)
                + "&focus=" + SnapshotPageTest.enc(model);
        int series = f.benchmon.jdbi().withHandle(h -> h.createQuery(
                "SELECT id FROM series WHERE environment = 'long-names'").mapTo(Integer.class).one());
        for (String path : List.of(page, "/series/" + series)) {
            open(path);
            waitForCharts();
            Object overflow = driver.executeScript("return document.documentElement.scrollWidth > window.innerWidth + 1;");
            assertThat(overflow).as(path + ": page wider than the window").isEqualTo(false);
        }
        open(page);
        driver.findElement(By.cssSelector("#f-models summary")).click(); // the menu lists the name whole
        Object menuOverflow = driver.executeScript("return document.documentElement.scrollWidth > window.innerWidth + 1;");
        assertThat(menuOverflow).as("page wider than the window with the Models menu open").isEqualTo(false);
        screenshot("trends-long-name-menu");
        open(page);
        waitForCharts();
        // The legend holds the name shortened (its end kept), so the plot keeps most of the chart's width.
        assertThat(driver.findElements(By.cssSelector("#trend_main .legendtext")).stream().map(WebElement::getText))
                .containsExactly("long-xxxxxxxxxxxxxxxxxxxxx…xxxxxxxx-v1.2");
        Object plot = driver.executeScript("var d = document.getElementById('trend_main');"
                + "return d._fullLayout._size.w / d._fullLayout.width;");
        assertThat(((Number) plot).doubleValue()).as("plot share of the chart's width").isGreaterThan(0.6);
        screenshot("trends-long-name");
        assertNoConsoleErrors("long names");
    }

    @Test
    void aTwoHundredCharacterNameOnTheCompareChartIsShortenedWithinTheChartAndNamedWholeOnHover() throws IOException {
        String model = "long-" + "z".repeat(190) + "-v1.3";
        for (String m : List.of("compare-ref", model)) {
            for (int i = 0; i < 2; i++) {
                f.benchmon.record(BenchmarkResult.builder(m, "d").environment("long-compare").metric("f1", 0.5 + i / 10.0)
                        .runAt(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(2 - i))).build());
            }
        }
        open("/compare?env=long-compare&range=7d&model=compare-ref&model=" + SnapshotPageTest.enc(model));
        waitForCharts();

        // The row's label as drawn, and how far it reaches left of the chart's own box (negative: cut off).
        Object label = driver.executeScript("var d = document.getElementById('compare_diff_0');"
                + "var t = d.querySelector('.ytick text');"
                + "return t.textContent + ' | ' + Math.round(t.getBoundingClientRect().left - d.getBoundingClientRect().left);");
        String[] drawn = ((String) label).split(" \\| ");
        assertThat(drawn[0]).isEqualTo("long-zzzzzzzzzzzzzzzzzzzzz…zzzzzzzz-v1.3");
        assertThat(Integer.parseInt(drawn[1])).as("label's left edge inside the chart").isNotNegative();
        Object hover = driver.executeScript("var d = document.getElementById('compare_diff_0').data;"
                + "return d[d.length - 1].text[0];");
        assertThat((String) hover).startsWith(model + "<br>");
        screenshot("compare-long-name");
        assertNoConsoleErrors("compare long name");
    }

    @Test
    void twoHundredCharacterNamesInTheCompareTablesAreShortenedAsLegendsAreWithTheWholeNameAsTooltip() throws IOException {
        String model = "long-\"<i>" + "w".repeat(186) + "-v1.4"; // 200 characters, markup in it
        String metric = "metric-" + "q".repeat(188) + "-acc"; // 199
        for (String m : List.of("table-ref", model)) {
            for (int i = 0; i < 2; i++) {
                f.benchmon.record(BenchmarkResult.builder(m, "d").environment("long-table").metric(metric, 0.5 + i / 10.0)
                        .runAt(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(2 - i))).build());
            }
        }
        open("/compare?env=long-table&range=7d&model=table-ref&model=" + SnapshotPageTest.enc(model));

        // Each cell or header naming the model or the metric: its text and its tooltip, as the browser read them.
        Object named = driver.executeScript("return ['#stats-table', '#paired-table'].flatMap(t => Array.from("
                + "document.querySelectorAll(t + ' span[title]')).filter(s => s.title === arguments[0] || s.title === "
                + "arguments[1]).map(s => t + ' ' + s.textContent + ' | ' + (s.title === arguments[0] ? 'model' : 'metric')));",
                model, metric);
        String shortModel = dev.benchmon.chart.PlotlyText.legend(model);
        String shortMetric = dev.benchmon.chart.PlotlyText.legend(metric);
        assertThat(shortModel).isEqualTo("long-\"<i>" + "w".repeat(17) + "…wwwwwwww-v1.4");
        assertThat(((List<?>) named).stream().map(String::valueOf).toList()).contains(
                "#stats-table " + shortModel + " | model", "#stats-table " + shortMetric + " | metric",
                "#paired-table " + shortModel + " | model", "#paired-table " + shortMetric + " | metric");
        assertThat(driver.findElement(By.id("stats-table")).getText()).doesNotContain(model).doesNotContain(metric);
        screenshot("compare-long-names-in-tables");
        // Each shortened name is at most 450 pixels wide (40 characters, wide ones: about 380); a 200-character name
        // made its column about 1,900 wide.
        Object widest = driver.executeScript("return Math.max(...Array.from(document.querySelectorAll("
                + "'#stats-table span[title]')).map(s => s.getBoundingClientRect().width));");
        assertThat(((Number) widest).doubleValue()).as("widest name in the statistics table, px").isLessThan(450);
        assertNoConsoleErrors("compare long names in tables");
    }

    @Test
    void aTwoHundredCharacterReferenceIsShortenedInTheDifferencesCardAndTheCostQualityCardWithTheWholeNameAsTooltip()
            throws IOException {
        String model = "ref-\"<i>" + "r".repeat(187) + "-v2.0"; // 200 characters, markup in it
        for (String m : List.of(model, "cheap-model")) {
            for (int i = 0; i < 2; i++) {
                f.benchmon.record(BenchmarkResult.builder(m, "d").environment("long-ref").metric("f1", (m.equals(model) ? 0.7 : 0.5) + i / 10.0)
                        .metric("analysis_cost", m.equals(model) ? 2.0 + i : 1.0 + i)
                        .runAt(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(2 - i))).build());
            }
        }
        open("/compare?env=long-ref&range=7d&model=" + SnapshotPageTest.enc(model) + "&model=cheap-model");
        waitForCharts();
        String shortened = dev.benchmon.chart.PlotlyText.legend(model); // the tables' shortening

        // Every text the two cards show, the charts' titles, axes and legends included, as the browser drew them.
        for (String card : List.of("differences", "cost-quality")) {
            WebElement section = driver.findElement(By.id(card));
            Object drawn = driver.executeScript("return Array.from(arguments[0].querySelectorAll('svg text'))"
                    + ".map(t => t.textContent).join('\\n');", section);
            assertThat(section.getText() + "\n" + drawn).as(card).doesNotContain(model).contains(shortened);
        }
        // In the cards' text the shortened name is the tables' span, the whole name its tooltip.
        Object tooltips = driver.executeScript("return ['#differences', '#cost-quality'].map(c => Array.from("
                + "document.querySelectorAll(c + ' .card-head span[title]')).filter(s => s.title === arguments[0])"
                + ".map(s => c + ' ' + s.textContent).join(', '));", model);
        assertThat(((List<?>) tooltips).stream().map(String::valueOf).toList())
                .containsExactly("#differences " + shortened, "#cost-quality " + shortened);
        // The drop-downs that offer it (the reference, the item-by-item model) show it shortened too, whole as tooltip.
        Object options = driver.executeScript("return Array.from(document.querySelectorAll('select option'))"
                + ".filter(o => o.value === arguments[0]).map(o => o.parentElement.id + ' ' + o.textContent + ' | ' + o.title);",
                model);
        assertThat(((List<?>) options).stream().map(String::valueOf).toList()).isNotEmpty()
                .allSatisfy(o -> assertThat(o).endsWith(" " + shortened + " | " + model));
        // The charts' hover texts still name it whole.
        Object hover = driver.executeScript("var d = document.getElementById('compare_scatter').data;"
                + "return d.flatMap(t => t.text || []).join('\\n');");
        assertThat((String) hover).contains(dev.benchmon.chart.PlotlyText.escape(model)); // as Plotly reads its markup
        screenshot("compare-long-reference");
        assertNoConsoleErrors("compare long reference");
    }

    @Test
    void theComparisonTablesFitAWindow1440PixelsWideWithoutScrollingSideways() throws IOException {
        // The demo's four models on two datasets and its two environments (other tests' models elsewhere): 12 columns
        // of names, numbers to six significant digits, intervals and methods.
        open("/compare?range=90d&env=ci&env=production");
        waitForCharts();

        Object overflowing = driver.executeScript("return Array.from(document.querySelectorAll('.table-wrap'))"
                + ".filter(w => w.scrollWidth > w.clientWidth + 1)"
                + ".map(w => w.querySelector('table').id + ' ' + w.scrollWidth + ' > ' + w.clientWidth);");
        assertThat((List<?>) overflowing).as("tables wider than their card at 1440 px").isEmpty();
        // Nothing hidden: every cell of the statistics table shows its whole text.
        Object clipped = driver.executeScript("return Array.from(document.querySelectorAll('#stats-table th, #stats-table td'))"
                + ".filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent);");
        assertThat((List<?>) clipped).as("cells cutting their text").isEmpty();
        assertThat(rows("stats-table")).isGreaterThan(4);
        screenshot("compare-1440");
        assertNoConsoleErrors("compare at 1440 px");
    }

    @Test
    void aSmallChartsLegendShortensAFortyCharacterNameAndItsHoverNamesItWhole() throws IOException {
        String model = "small-legend-" + "y".repeat(22) + "-v1.2"; // 40 characters: whole in a main chart's legend
        for (int i = 0; i < 2; i++) {
            f.benchmon.record(BenchmarkResult.builder(model, "d").environment("small-legend").metric("f1", 0.5 + i / 10.0)
                    .runAt(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(2 - i))).build());
        }
        open("/trends?env=small-legend&range=7d&metric=f1&focus=" + SnapshotPageTest.enc(model));
        waitForCharts();
        WebElement box = waitForSmallCharts().get(0);

        assertThat(box.findElements(By.cssSelector(".legendtext")).stream().map(WebElement::getText))
                .containsExactly("small-legend-yyy…yy-v1.2");
        Object legend = driver.executeScript("var d = arguments[0].querySelector('.js-plotly-plot');"
                + "return d._fullLayout.legend._width / d._fullLayout.width;", box);
        assertThat(((Number) legend).doubleValue()).as("legend's share of the small chart's width").isLessThan(0.3);
        Object hover = driver.executeScript("var d = arguments[0].querySelector('.js-plotly-plot').data;"
                + "return d.filter(t => t.mode === 'lines+markers').map(t => t.hoverlabel.namelength + ' | ' + t.text[0])"
                + ".join('\\n');", box);
        assertThat((String) hover).startsWith("0 | " + model + "<br>n=");
        screenshot("trends-small-chart-legend");
        assertNoConsoleErrors("small chart legend");
    }

    @Test
    void aSmallChartsLegendKeepsWhereLinesDifferInTheMiddleOfTheirNames() throws IOException {
        String model = "org/very-long-model-name";
        for (String dataset : List.of("v1-final-checkpoint-eval", "v2-final-checkpoint-eval")) {
            for (int i = 0; i < 2; i++) {
                f.benchmon.record(BenchmarkResult.builder(model, dataset).environment("legend-apart")
                        .metric("f1", 0.5 + i / 10.0)
                        .runAt(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofDays(2 - i))).build());
            }
        }
        open("/trends?env=legend-apart&range=7d&metric=f1&focus=" + SnapshotPageTest.enc(model));
        waitForCharts();
        WebElement box = waitForSmallCharts().get(0);

        // "org/very-long-model-name · v1-final-checkpoint-eval @legend-apart" and its v2 twin: 64 characters that
        // shortened alike to 24 and to 40 (the legend's length when 24 names two lines alike): "org/very-long-model-name
        // ·…@legend-apart".
        assertThat(box.findElements(By.cssSelector(".legendtext")).stream().map(WebElement::getText))
                .containsExactlyInAnyOrder("org/very-…v1-final-checkpoint-…end-apart",
                        "org/very-…v2-final-checkpoint-…end-apart");
        assertNoConsoleErrors("small chart legends apart");
    }

    @Test
    void theLayoutStaysReadableAtPhoneWidth() throws IOException {
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            open("/?range=90d");
            Object overflow = driver.executeScript("return document.documentElement.scrollWidth > window.innerWidth + 1;");
            assertThat(overflow).as("page wider than the phone screen").isEqualTo(false);
            screenshot("snapshot-phone");
            open("/regressions?range=90d");
            waitForCharts();
            screenshot("regressions-phone");
        } finally {
            driver.manage().window().setSize(new Dimension(1440, 1000));
        }
    }

    private void open(String path) {
        driver.get(f.baseUrl + path);
        HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d ->
                "complete".equals(((ChromeDriver) d).executeScript("return document.readyState")));
    }

    private void waitForCharts() {
        HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector(".main-svg")).isEmpty());
    }

    /**
     * Scrolls to each of the Trends page's small charts in turn (each is fetched when scrolled near) and waits until
     * Plotly has drawn it (or the fragment's "no results" message is shown), or its placeholder says it failed;
     * returns the placeholders.
     */
    private List<WebElement> waitForSmallCharts() {
        List<WebElement> boxes = driver.findElements(By.cssSelector(".chart.small[data-chart-url]"));
        for (WebElement b : boxes) {
            driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", b);
            // Drawn is a Plotly chart or the fragment's "no results" message (a fragment with no chart).
            HeadlessChromium.await(driver, Duration.ofSeconds(30)).until(d -> "failed".equals(b.getAttribute("data-chart-state"))
                    || "drawn".equals(b.getAttribute("data-chart-state")) && !b.findElements(By.cssSelector(".main-svg, .chart-empty")).isEmpty());
        }
        driver.executeScript("window.scrollTo(0, 0);");
        return boxes;
    }

    private int rows(String tableId) {
        return driver.findElements(By.cssSelector("#" + tableId + " tbody tr")).size();
    }

    private void screenshot(String name) throws IOException {
        Path target = SHOTS.resolve(name + ".png");
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        // A full-page picture: resize the window to the document's height first.
        Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight");
        Dimension before = driver.manage().window().getSize();
        if (height != null && height.intValue() > before.getHeight()) {
            driver.manage().window().setSize(new Dimension(before.getWidth(), Math.min(height.intValue() + 100, 6000)));
            png = driver.getScreenshotAs(OutputType.BYTES);
            driver.manage().window().setSize(before);
        }
        Files.write(target, png);
    }

    private void assertNoConsoleErrors(String where) {
        List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
        assertThat(errors).as("console errors on " + where).isEmpty();
    }

    private void collectRequests() {
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE).getAll()) {
            Matcher m = REQUEST_URL.matcher(e.getMessage());
            if (m.find()) {
                requestedUrls.add(m.group(1));
            }
        }
    }

    private static boolean local(String url) {
        // chrome:// pages (e.g. the download bubble) are built into the browser: no network.
        if (url.startsWith("data:") || url.startsWith("blob:") || url.startsWith("chrome://")) {
            return true;
        }
        String host = URI.create(url).getHost();
        return "127.0.0.1".equals(host) || "localhost".equals(host);
    }

    @SuppressWarnings("unused")
    private static File file(Path p) {
        return p.toFile();
    }
}
