package dev.benchmon.server.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;

import static dev.benchmon.server.web.DashboardFixture.OBRIEN;
import static dev.benchmon.server.web.DashboardFixture.SCRIPT;
import static dev.benchmon.server.web.SnapshotPageTest.enc;
import static org.assertj.core.api.Assertions.assertThat;

/** How the dashboard reads {@code refresh}, {@code focus} and a repeated single-value parameter. */
class DashboardParametersTest {
    private final DashboardFixture f = DashboardFixture.shared();
    private static final String CHECKED = "<input type=\"checkbox\" id=\"autorefresh\" checked>";
    private static final String UNCHECKED = "<input type=\"checkbox\" id=\"autorefresh\">";

    /** What the page's script writes (30), and the spellings of on a person writes by hand. */
    @ParameterizedTest(name = "refresh={0}")
    @ValueSource(strings = {"30", "", "1", "true", "on", "ON", "yes"})
    void a_refresh_that_says_on_ticks_the_box_and_links_carry_it(String value) {
        HttpResponse<String> r = f.get("/?range=7d&refresh=" + value);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains(CHECKED).contains("href=\"/trends?range=7d&amp;refresh=30\"");
    }

    @ParameterizedTest(name = "refresh={0}")
    @ValueSource(strings = {"0", "false", "off", "no"})
    void a_refresh_that_says_off_leaves_the_box_unticked_and_links_without_it(String value) {
        HttpResponse<String> r = f.get("/?range=7d&refresh=" + value);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains(UNCHECKED).doesNotContain("refresh=").doesNotContain("role=\"alert\"");
    }

    @ParameterizedTest(name = "refresh={0}")
    @ValueSource(strings = {"-5", "abc"})
    void a_refresh_not_understood_is_named_and_taken_as_off(String value) {
        HttpResponse<String> r = f.get("/?range=7d&refresh=" + value);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>refresh: &#39;" + value + "&#39; is neither on nor off")
                .contains(UNCHECKED).doesNotContain("refresh=" + value).contains("snapshot-table");
    }

    @Test
    void an_unknown_focus_is_named_and_not_carried_on() {
        HttpResponse<String> r = f.get("/trends?env=staging&range=7d&focus=nope");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>focus: unknown model &#39;nope&#39;")
                .contains("All metrics of ") // the fallback model's small charts, as before
                .doesNotContain("focus=nope").doesNotContain("value=\"nope\"");
    }

    @Test
    void a_known_focus_still_shows_its_model_without_a_notice() {
        HttpResponse<String> r = f.get("/trends?env=staging&range=7d&focus=" + enc(SCRIPT));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("All metrics of &lt;script&gt;").doesNotContain("role=\"alert\"");
    }

    /** The API refuses a repeated single value in the same words; the page names it and leaves it at its default. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/?range=24h&range=7d                 | range=24h",
            "/trends?metric=f1&metric=latency_ms | metric=latency_ms",
            "/?range=30d&sort=model&sort=runs     | sort=runs",
            "/compare?cost=f1&cost=latency_ms     | cost=latency_ms"})
    void a_repeated_single_value_is_named_and_not_carried_on(String path, String repeated) {
        HttpResponse<String> r = f.get(path);
        String name = repeated.substring(0, repeated.indexOf('='));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>" + name + ": give it once, not 2 times</li>")
                .doesNotContain("&amp;" + repeated + "\"").doesNotContain("?" + repeated + "\"");
        // not copied into links: no link names the parameter twice
        java.util.regex.Matcher href = java.util.regex.Pattern.compile("href=\"([^\"]*)\"").matcher(r.body());
        while (href.find()) {
            assertThat(href.group(1).split("[?;&]" + name + "=", -1)).as(href.group(1)).hasSizeLessThan(3);
        }
    }

    @Test
    void a_repeated_alerts_state_is_named_and_the_view_shows_its_default_open_alerts() {
        HttpResponse<String> r = f.get("/alerts?state=resolved&state=muted");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>state: give it once, not 2 times</li>")
                .contains("class=\"chip active\" aria-current=\"page\" id=\"state-open\"")
                .doesNotContain("state=resolved&amp;state=muted", "state=muted&amp;state=resolved");
        assertThat(Html.byId(r.body(), "triage-login")).contains("name=\"next\" value=\"/alerts?state=open\"");
    }

    @Test
    void a_blank_alerts_state_is_read_as_absent_as_blank_values_are_on_the_other_pages() {
        HttpResponse<String> r = f.get("/alerts?state=");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("class=\"chip active\" aria-current=\"page\" id=\"state-open\"")
                .doesNotContain("role=\"alert\"");
    }

    @Test
    void a_repeated_range_falls_back_to_the_default_range() {
        assertThat(f.get("/?range=24h&range=7d").body()).contains(TimeRange.DEFAULT.label())
                .doesNotContain("<option value=\"24h\" selected>");
    }

    @Test
    void list_parameters_may_repeat() {
        HttpResponse<String> r = f.get("/?env=staging&range=7d&model=" + enc(OBRIEN) + "&model=" + enc(SCRIPT));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("give it once");
    }
}
