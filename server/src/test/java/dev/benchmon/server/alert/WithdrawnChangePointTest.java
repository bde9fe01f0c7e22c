package dev.benchmon.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dip's change point, which confirmed the dip's alert, withdrawn by the first run back at the old level, over real
 * HTTP (POST /api/v1/results): the event of the alert's history names the run that withdrew it, also when that run
 * came in one request with others of its series, and words its value as the alerts' texts do (4 significant digits).
 */
class WithdrawnChangePointTest {
    @SharedServer
    private static TestServer server;

    private static final AtomicInteger SERIES = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A series of its own (its model's name) and the hour of its next run. */
    private static final class Series {
        final String model = "withdrawn-" + SERIES.incrementAndGet();
        int hour;

        private String result(double f1) {
            int h = hour++;
            return "{\"model_version\":\"" + model + "\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\""
                    + T0.plusSeconds(3600L * h) + "\",\"commit_sha\":\"c" + h + "\",\"run_id\":\"" + (100 + h)
                    + "\",\"metrics\":{\"f1\":" + f1 + "}}";
        }

        /** Stores the results of f1 = {@code values} in one request; their runs' ids, in order. */
        List<Long> push(double... values) throws Exception {
            List<String> results = new ArrayList<>();
            for (double v : values) {
                results.add(result(v));
            }
            HttpResponse<String> r = server.postJson("/api/v1/results", "[" + String.join(",", results) + "]");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            List<Long> ids = new ArrayList<>();
            ResultJson.mapper().readTree(r.body()).path("results").forEach(x -> ids.add(x.path("id").asLong()));
            return ids;
        }
    }

    /**
     * Forty runs of f1 at 0.709 and 0.713, then a three-run dip to 0.654 pushed a run at a time: the dip opens an
     * alert, and its third run stores the change point that confirms it. Returns the alert's id.
     */
    private static long dipConfirmedByAChangePoint(Series s) throws Exception {
        for (int i = 0; i < 40; i++) {
            s.push(i % 2 == 0 ? 0.709 : 0.713);
        }
        for (int i = 0; i < 3; i++) {
            s.push(0.654);
        }
        JsonNode list = ResultJson.mapper().readTree(server.get("/api/v1/alerts?model=" + s.model).body());
        assertThat(list.path("alerts")).as(list.toString()).singleElement()
                .satisfies(a -> assertThat(a.path("change_point").isObject()).as("confirmed: %s", a).isTrue());
        return list.path("alerts").get(0).path("id").asLong();
    }

    /** The comment of the alert's event that says its change point was withdrawn. */
    private static String withdrawal(long alert) throws Exception {
        JsonNode body = AlertApi.alertWithHistory(server, alert);
        assertThat(body.path("alert").path("change_point").isNull()).as("withdrawn: %s", body).isTrue();
        List<String> found = new ArrayList<>();
        body.path("history").forEach(e -> {
            if (e.path("comment").asText().startsWith("change point withdrawn")) {
                found.add(e.path("comment").asText());
            }
        });
        assertThat(found).as(body.toString()).hasSize(1);
        return found.get(0);
    }

    @Test
    void a_push_of_several_runs_says_the_change_point_withdrawn_in_the_run_that_withdrew_it() throws Exception {
        Series s = new Series();
        long alert = dipConfirmedByAChangePoint(s);

        // a fourth run of the dip (the change point stays), the first run back (it withdraws it), one more run back
        List<Long> runs = s.push(0.654, 0.711, 0.711);

        assertThat(withdrawal(alert)).startsWith("change point withdrawn in run " + runs.get(1) + ": ");
    }

    @Test
    void the_withdrawal_words_the_value_of_the_run_back_with_four_significant_digits() throws Exception {
        Series s = new Series();
        long alert = dipConfirmedByAChangePoint(s);

        s.push(0.71234999999);

        assertThat(withdrawal(alert)).contains(": f1 0.7123 is back at the old level").doesNotContain("0.7123499");
    }
}
