package dev.benchmon.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.detect.DetectionSettings;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Excluding or including a run grades again the alerts raised before it (their {@code now_severity}), over real HTTP
 * (POST /api/v1/runs/{id}/annotations): an alert graded again and otherwise untouched is in the answer's
 * {@code alerts} with effect {@code regraded}, as the alerts the annotation kept, resolved or reopened are; and the
 * grade comes from the detection window's runs ({@link DetectionSettings#DEFAULT_WINDOW} newest counted runs), not the
 * alert's whole history.
 */
class RegradedAlertsAnswerTest {
    @SharedServer
    private static TestServer server;

    private static final AtomicInteger SERIES = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A series of its own: its model's name and the hour of its next run. */
    private static final class Series {
        final String model = "regraded-" + SERIES.incrementAndGet();
        int hour;

        /** Stores one result of f1 = {@code f1}, an hour after the one before. */
        JsonNode push(double f1) throws Exception {
            int h = hour++;
            HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"" + model
                    + "\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\"" + T0.plusSeconds(3600L * h)
                    + "\",\"commit_sha\":\"c" + h + "\",\"run_id\":\"" + (100 + h) + "\",\"metrics\":{\"f1\":" + f1 + "}}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            return ResultJson.mapper().readTree(r.body());
        }

        long run(double f1) throws Exception {
            return push(f1).path("results").get(0).path("id").asLong();
        }
    }

    /** An alert opened by a drop to 0.85 (fourteen runs at 0.90 and 0.91 before it), and its series. */
    private record Drop(Series series, long alert) {
    }

    private static Drop drop() throws Exception {
        Series s = new Series();
        for (int i = 0; i < 14; i++) {
            s.push(i % 2 == 0 ? 0.90 : 0.91);
        }
        JsonNode drop = s.push(0.85);
        assertThat(drop.path("alerts")).as(drop.toString()).hasSize(1);
        return new Drop(s, drop.path("alerts").get(0).path("id").asLong());
    }

    private static JsonNode annotate(long run, String kind, String text) throws Exception {
        return AlertApi.annotate(server, run, kind, text);
    }

    private static JsonNode alert(long id) throws Exception {
        return AlertApi.alertWithHistory(server, id).path("alert");
    }

    /**
     * The drop's alert escalated by a deeper run (0.76), then following a later run near the drop's level (0.84): the
     * deeper run is neither the run the alert names nor the one it follows.
     */
    private static long escalatedByARunBetween(Drop drop) throws Exception {
        long deeper = drop.series().run(0.76);
        drop.series().push(0.84);
        JsonNode a = alert(drop.alert());
        assertThat(a.path("now_severity").asText()).as("escalated by the deeper run: %s", a)
                .isNotEqualTo(a.path("severity").asText());
        assertThat(a.path("last_transaction_id").asLong()).as("follows the later run").isNotEqualTo(deeper);
        return deeper;
    }

    @Test
    void the_answer_of_an_exclusion_lists_an_alert_it_only_graded_again_as_regraded() throws Exception {
        Drop drop = drop();
        long deeper = escalatedByARunBetween(drop);

        JsonNode answer = annotate(deeper, "excluded", "flaky runner");

        assertThat(answer.path("alerts")).as(answer.toString()).singleElement().satisfies(a -> {
            assertThat(List.of(a.path("id").asLong(), a.path("effect").asText(), a.path("state").asText()))
                    .containsExactly(drop.alert(), "regraded", "open");
            assertThat(a.path("now_severity").asText()).as("graded from the runs left").isEqualTo(a.path("severity").asText());
        });
    }

    @Test
    void the_answer_of_an_inclusion_lists_an_alert_it_only_graded_again_as_regraded() throws Exception {
        Drop drop = drop();
        long deeper = escalatedByARunBetween(drop);
        String escalated = alert(drop.alert()).path("now_severity").asText();
        annotate(deeper, "excluded", "flaky runner");

        JsonNode answer = annotate(deeper, "included", "the runner was fine");

        assertThat(answer.path("alerts")).as(answer.toString()).singleElement().satisfies(a -> {
            assertThat(List.of(a.path("id").asLong(), a.path("effect").asText(), a.path("now_severity").asText()))
                    .containsExactly(drop.alert(), "regraded", escalated);
        });
    }

    /**
     * The drop escalated by a deeper run, then more than a detection window of runs at the drop's level, then a second
     * deeper run. Excluding the second grades the alert again from the newest window of runs that count: the first
     * deeper run, older than the window, no longer holds the grade up (the grade is the change now, as detection sees
     * it; reading every run since a long-open alert opened read its whole history at every exclusion).
     */
    @Test
    void an_exclusion_grades_the_alert_again_from_the_newest_window_of_runs_only() throws Exception {
        Drop drop = drop();
        drop.series().push(0.76);
        for (int i = 0; i < DetectionSettings.DEFAULT_WINDOW + 2; i++) {
            drop.series().push(0.85);
        }
        long second = drop.series().run(0.76);
        JsonNode before = alert(drop.alert());
        assertThat(List.of(before.path("state").asText(), before.path("now_severity").asText()))
                .as("still open, escalated: %s", before).containsExactly("open", escalatedGrade(before));

        annotate(second, "excluded", "flaky runner");

        JsonNode a = alert(drop.alert());
        assertThat(a.path("now_severity").asText()).as(a.toString()).isEqualTo(a.path("severity").asText());
    }

    /** The alert's grade now, which must differ from its opening's (else the test would prove nothing). */
    private static String escalatedGrade(JsonNode alert) {
        assertThat(alert.path("now_severity").asText()).isNotEqualTo(alert.path("severity").asText());
        return alert.path("now_severity").asText();
    }
}
