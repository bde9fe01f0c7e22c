package dev.benchmon.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the change point that confirmed an alert is, over real HTTP: an alert the per-run test opened at a noisy run
 * after a weak step keeps its own commit range, and the detector placed the change point that confirmed it earlier,
 * at the step. The API ({@code change_point.commit_range}) and the pages ("confirmed by a change point at c39..c40")
 * say that range, which is where to bisect; an alert confirmed at its own shift keeps the short wording.
 */
class ChangePointRangeTest {
    @SharedServer
    private static TestServer server;

    private static final AtomicInteger SERIES = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A series of its own; run h has commit c{h}. */
    private static final class Series {
        final String model = "cp-range-" + SERIES.incrementAndGet();
        int hour;

        void push(double accuracy) throws Exception {
            int h = hour++;
            HttpResponse<String> r = server.postJson("/api/v1/results", "[{\"model_version\":\"" + model
                    + "\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\"" + T0.plusSeconds(3600L * h)
                    + "\",\"commit_sha\":\"c" + h + "\",\"run_id\":\"" + (100 + h) + "\",\"metrics\":{\"accuracy\":"
                    + accuracy + "}}]");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }

        /** The series' one alert, as {@code GET /api/v1/alerts} lists it. */
        JsonNode alert() throws Exception {
            return AlertApi.onlyAlert(server, model);
        }
    }

    /**
     * 40 runs of accuracy at 0.85, then 30 at 0.83, noise sd 0.01 from seed 50 (ChangePointAlertsTest's weak step): a
     * noisy run at c45 opens the alert (c44..c45), and the change point stored later, at the step (c39..c40),
     * confirms it.
     */
    private static Series confirmedEarlier() throws Exception {
        Series s = new Series();
        Random step = new Random(50);
        for (int i = 0; i < 70; i++) {
            s.push((i < 40 ? 0.85 : 0.83) + 0.01 * step.nextGaussian());
        }
        JsonNode a = s.alert();
        assertThat(a.path("commit_range").asText()).as(a.toString()).isEqualTo("c44..c45");
        assertThat(a.path("change_point").isObject()).as(a.toString()).isTrue();
        return s;
    }

    @Test
    void the_api_gives_the_commit_range_of_a_change_point_placed_before_the_alerts_own() throws Exception {
        JsonNode cp = confirmedEarlier().alert().path("change_point");

        assertThat(cp.path("commit_range").asText()).as(cp.toString()).isEqualTo("c39..c40");
        assertThat(cp.path("transaction_id").isIntegralNumber()).isTrue();
        assertThat(cp.path("confidence").isNumber()).isTrue();
    }

    @Test
    void the_alert_page_and_the_series_alerts_tab_say_where_the_confirming_change_point_is() throws Exception {
        JsonNode a = confirmedEarlier().alert();

        String page = server.get("/alerts/" + a.path("id").asLong()).body();
        String series = server.get("/series/" + a.path("series_id").asLong()).body();

        assertThat(page).contains("confirmed by a change point at c39..c40 (confidence ");
        assertThat(series).contains("confirmed by a change point at c39..c40 (confidence ");
    }

    /**
     * Marking the alert expected starts its baseline at its run (c45), so the change point at c40 leaves the series'
     * stored change points with the next run; the alert keeps it (an expected alert keeps its own), and says what became
     * of it rather than a bare run id.
     */
    @Test
    void an_expected_alert_whose_change_point_left_the_series_says_so() throws Exception {
        Series s = confirmedEarlier();
        long id = s.alert().path("id").asLong();
        HttpResponse<String> expect = server.postJson("/api/v1/alerts/" + id + "/state",
                "{\"state\": \"expected\", \"comment\": \"new tokenizer\", \"actor\": \"ana\"}");
        assertThat(expect.statusCode()).as(expect.body()).isEqualTo(200);
        s.push(0.83);

        JsonNode cp = s.alert().path("change_point");
        String page = server.get("/alerts/" + id).body();

        assertThat(cp.path("commit_range").isNull()).as(cp.toString()).isTrue();
        assertThat(cp.path("text").asText()).as(cp.toString())
                .startsWith("confirmed by a change point at run " + cp.path("transaction_id").asLong()
                        + ", no longer a change point of the series (confidence ");
        assertThat(page).contains(cp.path("text").asText());
    }

    /** A drop kept from its first run: the change point starts where the alert's change does, so no range is repeated. */
    @Test
    void an_alert_confirmed_at_its_own_first_run_keeps_the_short_wording_and_the_api_its_own_range() throws Exception {
        Series s = new Series();
        for (int i = 0; i < 20; i++) {
            s.push(i % 2 == 0 ? 0.898 : 0.902);
        }
        for (int i = 0; i < 6; i++) {
            s.push(0.80);
        }
        JsonNode a = s.alert();

        String page = server.get("/alerts/" + a.path("id").asLong()).body();

        assertThat(a.path("change_point").path("commit_range").asText()).as(a.toString())
                .isEqualTo(a.path("commit_range").asText()).isEqualTo("c19..c20");
        assertThat(page).contains("confirmed by a change point (confidence ").doesNotContain("change point at ");
    }
}
