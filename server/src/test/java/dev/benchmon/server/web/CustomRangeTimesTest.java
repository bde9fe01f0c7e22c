package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import static dev.benchmon.server.web.SnapshotPageTest.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The custom range's {@code from} and {@code to} take what the API's {@code since} and {@code until} take (a date, a
 * date-time with or without a zone, epoch seconds), read as the API reads them; a bad one is named, escaped, and only
 * the notice of a page that shows defaults says so.
 */
class CustomRangeTimesTest {
    private final DashboardFixture f = DashboardFixture.shared();

    /** Model "range-times": runs at 2026-11-29 12:00, 2026-11-30 12:00 and 12:01 UTC. */
    private static final String MODEL = "range-times";
    private static final Instant NOON = Instant.parse("2026-11-30T12:00:00Z");

    @BeforeAll
    static void seed() {
        DashboardFixture f = DashboardFixture.shared();
        for (Instant at : new Instant[] {NOON.minus(1, ChronoUnit.DAYS), NOON, NOON.plusSeconds(60)}) {
            // keyed by time: a second test class seeding the shared database stores nothing twice
            f.benchmon.record(BenchmarkResult.builder(MODEL, "d").runAt(at).metric("f1", 0.9)
                    .idempotencyKey("range-times-" + at.getEpochSecond()).build());
        }
    }

    private static String runsInWindow(String html) {
        return SnapshotPageTest.kpi(html, "Runs in window");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ssXXX"})
    void aCustomRangeTakesTimesInTheFormsTheApiTakesAndCountsOnlyTheRunsBetweenThem(String form) {
        DateTimeFormatter format = DateTimeFormatter.ofPattern(form).withZone(ZoneOffset.UTC);

        // One minute from noon: the run at 12:01 is at the exclusive end.
        HttpResponse<String> r = f.get("/?model=" + MODEL + "&range=custom&from=" + enc(format.format(NOON)) + "&to="
                + enc(format.format(NOON.plusSeconds(60))));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("role=\"alert\"");
        assertThat(runsInWindow(r.body())).isEqualTo("1");
    }

    /** /?from=...&to=... (no range) showed the dates in their boxes and drew the default month. */
    @Test
    void datesWithoutARangeAreACustomRange() {
        HttpResponse<String> r = f.get("/?model=" + MODEL + "&from=2026-11-30&to=2026-11-30");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(runsInWindow(r.body())).isEqualTo("2");
        assertThat(Html.byId(r.body(), "f-range")).contains("<option value=\"custom\" selected");
    }

    @Test
    void aRangeNamedBesideDatesIsTheRangeShown() {
        HttpResponse<String> r = f.get("/?model=" + MODEL + "&range=all&from=2026-11-30&to=2026-11-30");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(runsInWindow(r.body())).isEqualTo("3");
    }

    @Test
    void theTabLinksCarryDatesWithoutARangeAsACustomRange() {
        String html = f.get("/?model=" + MODEL + "&from=2026-11-30&to=2026-11-30").body();

        assertThat(Html.hrefs(html)).anyMatch(h -> h.startsWith("/trends?") && h.contains("range=custom")
                && h.contains("from=2026-11-30"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"range=bogus", "range=7d&range=all"})
    void aRangeNotUnderstoodBesideDatesShowsTheDefaultAndLinksDropTheDates(String range) {
        HttpResponse<String> r = f.get("/?model=" + MODEL + "&" + range + "&from=2026-11-30&to=2026-11-30");

        assertThat(r.statusCode()).isEqualTo(400); // the notice names the range
        assertThat(runsInWindow(r.body())).isEqualTo("3"); // the default month, not the day
        assertThat(Html.byId(r.body(), "f-range")).contains("<option value=\"30d\" selected");
        assertThat(Html.hrefs(r.body())).filteredOn(h -> h.startsWith("/trends?")).isNotEmpty()
                .noneMatch(h -> h.contains("from="));
    }

    @Test
    void aTrendLeftEmptyByItsRangeSaysWhenTheNewestResultWas() {
        String html = f.get("/trends?model=" + MODEL + "&metric=f1&range=24h").body();

        assertThat(Html.text(Html.byId(html, "empty-note"))).startsWith(
                "The newest f1 result of this model is from 2026-11-30 12:01 UTC (").endsWith(
                "ago): choose a time range that holds it.");
    }

    @Test
    void aTrendOfAMetricTheModelNeverReportedSaysSo() {
        String html = f.get("/trends?model=" + MODEL + "&metric=latency_ms&range=all").body();

        assertThat(Html.text(Html.byId(html, "empty-note"))).isEqualTo("This model has never reported latency_ms with "
                + "this environment, dataset and prompt choice: choose other models or another metric.");
    }

    @Test
    void aCustomRangeOfOneDateTakesInThatWholeDayAsTheApiDoes() {
        HttpResponse<String> r = f.get("/?model=" + MODEL + "&range=custom&from=2026-11-30&to=2026-11-30");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(runsInWindow(r.body())).isEqualTo("2");
    }

    @Test
    void epochSecondsAreABoundAsInTheApi() {
        HttpResponse<String> r = f.get("/?model=" + MODEL + "&range=custom&from=" + NOON.getEpochSecond());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(runsInWindow(r.body())).isEqualTo("2");
    }

    /** -1 was read as epoch seconds, 1969-12-31T23:59:59Z: a range from then was every run, as if it were a day ago. */
    @Test
    void aNegativeNumberIsNoBoundAsInTheApi() {
        HttpResponse<String> r = f.get("/?model=" + MODEL + "&range=custom&from=-1&to=2026-11-30");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>from: &#39;-1&#39; is a negative number, epoch seconds before 1970 "
                        + "(1969-12-31T23:59:59Z) and so before any result, not a time ago")
                .contains("start – 2026-11-30");
    }

    @Test
    void aTimeStaysInTheFormAsTypedInATextBoxWhileADateKeepsItsDateBox() {
        String from = "2026-11-30 12:00";

        String html = f.get("/?range=custom&from=" + enc(from) + "&to=9999-12-31").body();

        assertThat(Html.attribute(html, "f-from", "type")).isEqualTo("text");
        assertThat(Html.attribute(html, "f-from", "value")).isEqualTo(from);
        assertThat(Html.attribute(html, "f-to", "type")).isEqualTo("date");
        assertThat(Html.attribute(html, "f-to", "value")).isEqualTo("9999-12-31");
        assertThat(html).contains(from + " – 9999-12-31");
    }

    @Test
    void aToDayBeforeFromIsNamedAsTypedAndTheRangeKeepsItsFromWithoutClaimingDefaults() {
        HttpResponse<String> r = f.get("/?range=custom&from=2026-12-05&to=2026-11-30");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>to: to 2026-11-30 (through the end of that day, UTC) must be after from "
                        + "2026-12-05</li>")
                .doesNotContain("2026-12-01")
                .contains("Some of this view's settings were not understood; they are left out.")
                .doesNotContain("defaults are shown instead")
                .contains("2026-12-05 – now");
    }

    @Test
    void aBadFromIsEchoedEscapedWithTheFormsTakenAndTheRangeKeepsItsTo() {
        HttpResponse<String> r = f.get("/?range=custom&from=" + enc("<b>noon</b>") + "&to=2026-11-30");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>from: &#39;&lt;b&gt;noon&lt;/b&gt;&#39; is not a date-time; use ISO-8601 with a "
                        + "zone (2026-01-31T12:00:00Z")
                .doesNotContain("<b>noon</b>")
                .contains("they are left out.").doesNotContain("defaults are shown instead")
                .contains("start – 2026-11-30");
    }

    @Test
    void aCustomRangeWithoutAGoodBoundSaysTheDefaultRangeIsShown() {
        HttpResponse<String> r = f.get("/?range=custom&from=2026-11-31T12:00");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>from: &#39;2026-11-31T12:00&#39; is not a valid date-time")
                .contains("Some of this view's settings were not understood; defaults are shown instead.")
                .contains(TimeRange.DEFAULT.label());
    }

    @Test
    void aBoundLeftOutBesideAnUnknownModelStillSaysDefaultsAreShownForTheModel() {
        HttpResponse<String> r = f.get("/?range=custom&from=2026-11-01&to=soon&model=nope");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("<li>to: &#39;soon&#39; is not a date-time").contains("<li>model: unknown model")
                .contains("defaults are shown instead");
    }
}
