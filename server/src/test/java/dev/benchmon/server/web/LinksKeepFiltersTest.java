package dev.benchmon.server.web;

import dev.benchmon.alert.Alert;
import dev.benchmon.alert.AlertFilter;
import dev.benchmon.alert.RunRecords;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static dev.benchmon.server.web.DashboardFixture.OBRIEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The links from a page's tables to the dashboard's own pages (a series, a run, an alert) carry the filters in force,
 * as the tab links do: the range (a custom range's times too), the environments and the other filters, so that the
 * page they lead to, and its tabs, keep them. What picks something on one page only (a sort, a selected row) stays
 * behind. Over real HTTP from the shared fixture (its names hold quotes and angle brackets).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinksKeepFiltersTest {
    private static final String CUSTOM = "env=staging&range=custom&from=2020-01-01&to=2099-12-31";

    private final DashboardFixture f = DashboardFixture.shared();
    private int obrienSeries;
    private Alert obrienAlert;

    @BeforeAll
    void findTheKnownSeries() {
        obrienSeries = new RunRecords(f.benchmon.jdbi()).seriesIds().get(OBRIEN + " / known-set / p-1 @staging");
        obrienAlert = f.benchmon.alertBook().list(AlertFilter.all().withSeries(obrienSeries)).stream()
                .filter(a -> a.metric().equals("f1")).findFirst().orElseThrow();
    }

    private String page(String path) {
        var r = f.get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    private static List<String> row(String html, String table, String startsWith) {
        return Html.rawTable(html, table).stream().filter(r -> Html.text(r.get(0)).startsWith(startsWith)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + startsWith + " in #" + table));
    }

    @Test
    void the_snapshots_series_and_run_links_carry_the_range_and_filters_but_not_its_sort() {
        String html = page("/?env=staging&range=7d&sort=model&order=asc");

        assertThat(Html.hrefs(String.join("", row(html, "snapshot-table", OBRIEN))))
                .contains("/series/" + obrienSeries + "?env=staging&range=7d")
                .filteredOn(h -> h.startsWith("/runs/")).isNotEmpty().allMatch(h -> h.endsWith("?env=staging&range=7d"));
    }

    @Test
    void the_regressions_links_to_series_run_and_alert_carry_a_custom_ranges_times() {
        String html = page("/regressions?" + CUSTOM);
        List<String> links = Html.hrefs(String.join("", row(html, "regression-table", OBRIEN)));

        assertThat(links).contains("/series/" + obrienSeries + "?" + CUSTOM, "/alerts/" + obrienAlert.id() + "?" + CUSTOM)
                .filteredOn(h -> h.startsWith("/runs/")).singleElement().asString().endsWith("?" + CUSTOM);
    }

    @Test
    void the_alerts_view_links_to_an_alert_its_series_and_its_run_with_the_range_but_not_the_state_chosen() {
        String html = page("/alerts?state=all&range=7d");

        assertThat(Html.hrefs(String.join("", row(html, "alerts-table", "#" + obrienAlert.id()))))
                .contains("/alerts/" + obrienAlert.id() + "?range=7d", "/series/" + obrienSeries + "?range=7d",
                        "/runs/" + obrienAlert.transactionId() + "?range=7d");
    }

    @Test
    void an_alerts_page_leads_back_to_the_alerts_view_with_the_range_it_came_with() {
        String html = page("/alerts/" + obrienAlert.id() + "?range=7d");

        assertThat(Html.attribute(html, "alert-triage", "href"))
                .isEqualTo("/alerts?range=7d&state=" + obrienAlert.state().sqlName() + "#alert-" + obrienAlert.id());
    }

    @Test
    void the_series_pages_run_links_carry_the_range_it_came_with() {
        String html = page("/series/" + obrienSeries + "?range=30d");

        assertThat(Html.hrefs(String.join("", Html.rawTable(html, "series-runs").get(1))))
                .filteredOn(h -> h.startsWith("/runs/")).singleElement().asString().endsWith("?range=30d");
    }
}
