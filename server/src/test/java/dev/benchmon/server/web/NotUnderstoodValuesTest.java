package dev.benchmon.server.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.benchmon.server.web.DashboardFixture.OBRIEN;
import static dev.benchmon.server.web.DashboardFixture.SCRIPT;
import static dev.benchmon.server.web.SnapshotPageTest.enc;
import static org.assertj.core.api.Assertions.assertThat;

/** A value the dashboard did not understand is named in the notice (400) and not carried on in its links and forms. */
class NotUnderstoodValuesTest {
    private final DashboardFixture f = DashboardFixture.shared();

    /** Every link and form value of a page, entities decoded. */
    static List<String> carried(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?:href|value)=\"([^\"]*)\"").matcher(html);
        while (m.find()) {
            out.add(Html.unescape(m.group(1)));
        }
        return out;
    }

    @Test
    void an_unknown_model_and_range_are_named_and_no_link_or_form_carries_them() {
        HttpResponse<String> r = f.get("/?model=nope&range=forever");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>model: unknown model &#39;nope&#39;")
                .contains("<li>range: unknown range &#39;forever&#39;");
        assertThat(carried(r.body())).isNotEmpty().noneMatch(v -> v.contains("nope") || v.contains("forever"));
    }

    @Test
    void the_csv_link_leaves_out_a_value_not_understood_and_downloads() {
        HttpResponse<String> page = f.get("/?model=nope&range=7d");
        String csv = Html.attribute(page.body(), "csv-link", "href");

        assertThat(csv).isEqualTo("/snapshot.csv?range=7d");
        HttpResponse<String> download = f.get(csv);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/trends", "/compare", "/regressions"})
    void the_other_tabs_do_not_carry_an_unknown_model_on(String path) {
        HttpResponse<String> r = f.get(path + "?range=7d&model=nope");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>model: unknown model &#39;nope&#39;");
        assertThat(carried(r.body())).noneMatch(v -> v.contains("nope")).contains("/?range=7d");
    }

    @Test
    void a_list_keeps_the_names_it_knows_in_its_links() {
        HttpResponse<String> r = f.get("/?range=7d&model=" + enc(OBRIEN) + "&model=nope");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(carried(r.body())).noneMatch(v -> v.contains("nope"))
                .contains("/trends?range=7d&model=" + enc(OBRIEN));
    }

    @Test
    void a_long_value_not_understood_is_not_repeated_in_every_link() {
        String longValue = "x".repeat(7000);
        HttpResponse<String> r = f.get("/?range=7d&dataset=" + longValue);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body().split(longValue, -1).length - 1).isLessThanOrEqualTo(1); // in the notice at most
    }

    @Test
    void a_bad_date_metric_and_setting_are_not_carried_on() {
        HttpResponse<String> r = f.get("/regressions?range=custom&from=2026-01-01&to=2026-02-30&metric=nope"
                + "&sensitivity=-1&min_effect=abc");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>to: ").contains("<li>metric: ").contains("<li>sensitivity: ")
                .contains("<li>min_effect: ");
        assertThat(carried(r.body())).noneMatch(v -> v.contains("2026-02-30") || v.contains("nope")
                || v.contains("sensitivity=") || v.contains("min_effect=")).contains("/trends?range=custom&from=2026-01-01");
    }

    @Test
    void an_unknown_sort_is_not_carried_to_the_csv_or_the_pages() {
        HttpResponse<String> r = f.get("/?range=7d&sort=nope&order=up");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>sort: unknown column &#39;nope&#39;").contains("<li>order: must be asc or desc");
        assertThat(carried(r.body())).noneMatch(v -> v.contains("nope") || v.contains("order=up"));
        assertThat(Html.attribute(r.body(), "csv-link", "href")).isEqualTo("/snapshot.csv?range=7d");
    }

    @Test
    void a_reference_not_among_the_models_is_not_carried_on() {
        HttpResponse<String> r = f.get("/compare?range=7d&ref=nope");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>ref: the reference model &#39;nope&#39; is not among the models compared");
        assertThat(carried(r.body())).noneMatch(v -> v.contains("nope"));
    }

    @Test
    void an_unknown_vs_is_named_and_the_default_model_is_compared_item_by_item() {
        String view = "/compare?env=staging&range=7d&model=" + enc(OBRIEN) + "&model=" + enc(SCRIPT) + "&ref=" + enc(OBRIEN);
        String byDefault = vsSelect(f.get(view).body());

        HttpResponse<String> r = f.get(view + "&vs=nope");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>vs: unknown model &#39;nope&#39; (known: ").contains("id=\"paired-table\"");
        assertThat(vsSelect(r.body())).isEqualTo(byDefault).contains(" selected>");
        assertThat(carried(r.body())).noneMatch(v -> v.contains("nope"));
    }

    /** The paired comparison's choice of model: its select, with the option selected. */
    private static String vsSelect(String html) {
        Matcher m = Pattern.compile("<select id=\"f-vs\".*?</select>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("the paired comparison's select").isTrue();
        return m.group();
    }

    private static final String POOL_BOX = "<input type=\"checkbox\" name=\"pool\" value=\"1\" class=\"autosubmit\"";

    @ParameterizedTest(name = "pool={0}")
    @ValueSource(strings = {"0", "false", "off", "no", "OFF"})
    void a_pool_that_says_off_compares_like_with_like(String value) {
        HttpResponse<String> r = f.get("/compare?range=7d&pool=" + value);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains(POOL_BOX + ">").contains("one row per dataset version and environment")
                .doesNotContain("pooled over dataset versions");
        assertThat(carried(r.body())).noneMatch(v -> v.contains("pool="));
    }

    @ParameterizedTest(name = "pool={0}")
    @ValueSource(strings = {"1", "true", "on", "yes"})
    void a_pool_that_says_on_pools_and_links_carry_pool_1(String value) {
        HttpResponse<String> r = f.get("/compare?range=7d&pool=" + value);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains(POOL_BOX + " checked>").contains("pooled over dataset versions");
        assertThat(carried(r.body())).contains("/trends?range=7d&pool=1");
    }

    @Test
    void a_pool_not_understood_is_named_and_taken_as_off() {
        HttpResponse<String> r = f.get("/compare?range=7d&pool=maybe");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>pool: &#39;maybe&#39; is neither on nor off").contains(POOL_BOX + ">");
        assertThat(carried(r.body())).noneMatch(v -> v.contains("maybe"));
    }

    @Test
    void unknown_scatter_axes_are_named_and_not_carried_on() {
        HttpResponse<String> r = f.get("/compare?range=7d&quality=nope&cost=nope");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>quality: unknown metric &#39;nope&#39;")
                .contains("<li>cost: unknown metric &#39;nope&#39;").contains("compare_scatter");
        assertThat(carried(r.body())).noneMatch(v -> v.contains("nope"));
    }

    /** A metric of its own, defined (as a person declares one before its first result) and never recorded. */
    private static final String DEFINED_ONLY = "nuv_defined_only_score";

    private void defineOnly() {
        f.benchmon.defineMetric(DEFINED_ONLY, dev.benchmon.MetricDirection.HIGHER_IS_BETTER, null, null);
    }

    @Test
    void a_metric_defined_but_without_results_is_named_as_such_not_as_unknown() {
        defineOnly();
        HttpResponse<String> r = f.get("/trends?range=7d&metric=" + DEFINED_ONLY);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>metric: unknown metric &#39;" + DEFINED_ONLY + "&#39; (defined, but no stored "
                + "result holds it yet; metrics with results: ").doesNotContain("&#39;" + DEFINED_ONLY + "&#39; (known: ");
    }

    @Test
    void a_scatter_axis_naming_a_metric_defined_but_without_results_says_it_has_none_yet() {
        defineOnly();
        HttpResponse<String> r = f.get("/compare?range=7d&quality=" + DEFINED_ONLY);

        assertThat(r.body()).contains("<li>quality: unknown metric &#39;" + DEFINED_ONLY + "&#39; (defined, but no stored "
                + "result holds it yet");
    }

    @Test
    void a_metric_neither_defined_nor_stored_lists_the_known_metrics() {
        HttpResponse<String> r = f.get("/trends?range=7d&metric=nuv_nowhere_score");

        assertThat(r.body()).contains("<li>metric: unknown metric &#39;nuv_nowhere_score&#39; (known: ")
                .doesNotContain("defined, but");
    }

    @Test
    void a_selection_that_names_no_change_is_named() {
        HttpResponse<String> r = f.get("/regressions?range=7d&sel=abc");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>sel: &#39;abc&#39; names no change");
        assertThat(carried(r.body())).noneMatch(v -> v.contains("abc"));
    }

    @Test
    void a_selection_of_a_change_this_view_no_longer_shows_is_a_note() {
        HttpResponse<String> r = f.get("/regressions?range=7d&sel=999999:f1");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<li>sel: 999999:f1 is not among the changes of this view");
    }

    @ParameterizedTest(name = "dataset={0}")
    @ValueSource(strings = {"%01", "%00", "known-set%01"})
    void a_value_holding_a_control_character_is_named_and_not_carried_on(String value) {
        HttpResponse<String> r = f.get("/?range=7d&dataset=" + value);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>dataset: holds the control character U+00");
        assertThat(carried(r.body())).noneMatch(v -> v.contains("dataset=")).contains("/trends?range=7d");
    }

    @Test
    void a_value_not_valid_utf8_is_named_and_not_carried_on() {
        HttpResponse<String> r = f.get("/?range=7d&model=%C0%AF");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>model: is not valid percent-encoded UTF-8 (&#39;%C0%AF&#39;")
                .doesNotContain("\uFFFD");
        assertThat(carried(r.body())).noneMatch(v -> v.contains("model=")).contains("/trends?range=7d");
    }

    @Test
    void surrounding_whitespace_is_still_trimmed_without_a_notice() {
        HttpResponse<String> r = f.get("/?range=%097d%0A");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(carried(r.body())).contains("/trends?range=7d");
    }

    @Test
    void custom_dates_without_a_good_date_show_the_default_range() {
        HttpResponse<String> r = f.get("/?range=custom&from=2026-13-45");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>from: &#39;2026-13-45&#39; is not a valid date-time")
                .contains("<option value=\"" + TimeRange.DEFAULT.key() + "\" selected>")
                .contains(TimeRange.DEFAULT.label()).doesNotContain("start – now");
        assertThat(carried(r.body())).noneMatch(v -> v.contains("range=") || v.contains("2026-13-45"));
    }
}
