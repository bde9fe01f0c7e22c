package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In headless Chromium: a model or metric past the first {@value OfferedNames#LISTED} that a select lists is found by
 * typing its name, in the filter bar and beside the Compare tab's Reference and item-by-item selects and the Trends
 * tab's focus. {@link HourlyF1Runs#manyModels}: 130 models, of which {@code m126} and {@code m127} are listed by none of
 * the selects; and model {@code wide} with 120 metrics {@code zz000} to {@code zz119}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelTypeaheadBrowserTest {
    private TestServer server;
    private HeadlessChromium chromium;
    private ChromeDriver driver;

    @BeforeAll
    void start() throws IOException {
        HeadlessChromium.assumeInstalled();
        server = TestServer.start();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        server.benchmon().recordAll(HourlyF1Runs.manyModels(now));
        // 120 metric names, more than the metric select lists: one result of model "wide" reports them all.
        var wide = BenchmarkResult.builder("wide", "d").environment("ci").runAt(now.minus(Duration.ofMinutes(30)));
        for (int i = 0; i < 120; i++) {
            wide.metric(String.format(Locale.ROOT, "zz%03d", i), i);
        }
        server.benchmon().record(wide.build());
        chromium = HeadlessChromium.start(1440, 1000);
        driver = chromium.driver();
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

    @ParameterizedTest(name = "{0}, beside #{1}")
    @CsvSource({
            "/compare?range=7d, f-ref, ref, m127",   // the Compare tab's reference
            "/compare?range=7d, f-vs, vs, m126",     // the model it compares item by item
            "/trends?range=7d, f-focus, focus, m127" // the Trends tab's focus model
    })
    void a_model_past_the_listed_ones_is_found_by_typing_its_name_and_chosen(String page, String select, String param,
                                                                             String model) {
        open(page);
        assertThat(optionValues(select)).doesNotContain(model);

        var find = driver.findElement(By.id(select + "-find"));
        find.sendKeys(model);
        waitForOffer(find.getAttribute("list"), model);
        chromium.leaveAfter(() -> find.sendKeys(Keys.TAB));

        assertThat(driver.getCurrentUrl()).contains(param + "=" + model);
        assertThat(new Select(driver.findElement(By.id(select))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo(model);
    }

    /**
     * A name typed whole is taken at once, before its suggestions arrive: with Tab, and with Enter, which would
     * otherwise send the form with the select's old choice.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"TAB, /compare?range=7d, f-ref, ref", "ENTER, /trends?range=7d, f-focus, focus"})
    void a_name_typed_whole_is_taken_at_once(Keys key, String page, String select, String param) {
        open(page);

        var find = driver.findElement(By.id(select + "-find"));
        chromium.leaveAfter(() -> find.sendKeys("m126" + key));

        assertThat(driver.getCurrentUrl()).contains(param + "=m126");
    }

    @Test
    void the_reference_is_not_offered_to_be_compared_item_by_item_with_itself() {
        open("/compare?range=7d&ref=m127");

        var find = driver.findElement(By.id("f-vs-find"));
        find.sendKeys("m12");
        waitForOffer("f-vs-names", "m126");

        assertThat(driver.findElements(By.cssSelector("#f-vs-names option[value='m127']"))).isEmpty();
    }

    @Test
    void a_metric_past_the_listed_ones_is_found_in_the_filter_bar_by_typing_its_name() {
        open("/trends?range=7d&model=wide");
        assertThat(optionValues("f-metric")).doesNotContain("zz119");

        var find = driver.findElement(By.cssSelector("input.typeahead[data-kind=metric]"));
        find.sendKeys("zz119");
        waitForOffer(find.getAttribute("list"), "zz119");
        chromium.leaveAfter(() -> find.sendKeys(Keys.TAB));

        assertThat(driver.getCurrentUrl()).contains("metric=zz119");
    }

    @Test
    void a_model_past_the_listed_ones_is_checked_in_the_filter_bar_by_typing_its_name() {
        open("/trends?range=7d");
        driver.findElement(By.cssSelector("#f-models summary")).click();
        var find = driver.findElement(By.cssSelector("#f-models input.typeahead"));
        find.sendKeys("m127");
        waitForOffer("model-names", "m127");
        find.sendKeys(Keys.TAB);
        assertThat(driver.findElement(By.cssSelector("#f-models input[name=model][value=m127]")).isSelected()).isTrue();

        // The list closes: the filter is applied.
        chromium.leaveAfter(() -> driver.findElement(By.cssSelector("#f-models summary")).click());

        assertThat(driver.getCurrentUrl()).contains("model=m127");
    }

    private void waitForOffer(String listId, String name) {
        HeadlessChromium.await(driver, Duration.ofSeconds(10)).until(d ->
                !d.findElements(By.cssSelector("#" + listId + " option[value='" + name + "']")).isEmpty());
    }

    private java.util.List<String> optionValues(String selectId) {
        return new Select(driver.findElement(By.id(selectId))).getOptions().stream()
                .map(o -> o.getAttribute("value")).toList();
    }

    private void open(String path) {
        chromium.open(server.url() + path.substring(1));
    }
}
