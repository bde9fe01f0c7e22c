package dev.benchmon.server.web;

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
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In headless Chromium: a model past the first {@value OfferedNames#LISTED} that a select lists is found by typing its
 * name, in the filter bar and beside the Compare tab's Reference and item-by-item selects and the Trends tab's focus.
 * 130 models {@code m000} to {@code m129} on dataset {@code d}, environment {@code ci}, within the last day; {@code m129}
 * has three runs, {@code m128} two, the others one, so {@code m126} and {@code m127} are listed by none of the selects.
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
        server.benchmon().recordAll(HourlyF1Runs.of(Instant.now().truncatedTo(ChronoUnit.MINUTES), 130,
                k -> String.format(Locale.ROOT, "m%03d", k), k -> k == 129 ? 3 : k == 128 ? 2 : 1,
                (k, run) -> 0.7 + k / 1000.0 + run / 100.0));
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
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d ->
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
