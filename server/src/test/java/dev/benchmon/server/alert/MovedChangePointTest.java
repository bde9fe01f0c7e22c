package dev.benchmon.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change point that later runs move to a later run, more than 3 runs on (the search's shortest segment, within which
 * the withdrawal looks for it), over real HTTP: it is the same change in a new place, not a withdrawn excursion. The
 * alert it confirmed keeps it, at its new place ({@code change_point} in the API), and its history says it moved; an
 * alert a change point raised keeps it likewise, and the new place opens no second alert.
 */
class MovedChangePointTest {
    @SharedServer
    private static TestServer server;

    private static final AtomicInteger SERIES = new AtomicInteger();

    /** A series of its own; run h has commit c{h}; {@code runs} the ids of its runs, c0 first. */
    private static final class Series {
        final String model = "moved-cp-" + SERIES.incrementAndGet();
        final List<Long> runs = new ArrayList<>();

        void push(String metric, double value) throws Exception {
            runs.add(AlertApi.push(server, model, runs.size(), metric, value));
        }

        /** Runs c{first}.. in one {@code POST /api/v1/results} (a back-fill), as {@link AlertApi#push} would one by one. */
        void pushAll(String metric, double... values) throws Exception {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < values.length; i++) {
                int h = runs.size() + i;
                body.append(i == 0 ? "" : ",").append("{\"model_version\":\"").append(model)
                        .append("\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\"")
                        .append(AlertApi.T0.plusSeconds(3600L * h)).append("\",\"commit_sha\":\"c").append(h)
                        .append("\",\"run_id\":\"").append(100 + h).append("\",\"metrics\":{\"").append(metric)
                        .append("\":").append(values[i]).append("}}");
            }
            var r = server.postJson("/api/v1/results", body.append("]").toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            ResultJson.mapper().readTree(r.body()).path("results").forEach(x -> runs.add(x.path("id").asLong()));
        }

        JsonNode alerts() throws Exception {
            return ResultJson.mapper().readTree(server.get("/api/v1/alerts?model=" + model).body()).path("alerts");
        }

        /** The series' one open alert. */
        JsonNode openAlert() throws Exception {
            List<JsonNode> open = new ArrayList<>();
            alerts().forEach(a -> {
                if (a.path("state").asText().equals("open")) {
                    open.add(a);
                }
            });
            assertThat(open).as(alerts().toString()).hasSize(1);
            return open.get(0);
        }

        /** The comments of alert {@code id}'s history, oldest first. */
        List<String> history(long id) throws Exception {
            List<String> comments = new ArrayList<>();
            AlertApi.alertWithHistory(server, id).path("history").forEach(e -> comments.add(e.path("comment").asText()));
            return comments;
        }
    }

    /**
     * f1 at 0.898 and 0.902 for 20 runs, one run at 0.85 (c20: an alert that the next runs, at 0.895 and 0.891, resolve),
     * then a drop to 0.858 and 0.862 from c24: its alert (c23..c24) is confirmed by the change point the detector first
     * places at c20 (before its shift, c19..c20); up to c26 it stays there. Returns the series with runs c0..c26.
     * (Since 2026-12-05 the flaky run at c20 is left out of the noise sd and of the change points' segmentation, and runs
     * at 0.888 and 0.892 after it were a small shift of their own; the dip at 0.891 to 0.895 is not.)
     */
    private static Series confirmedAtC20() throws Exception {
        Series s = new Series();
        for (int i = 0; i < 20; i++) {
            s.push("f1", i % 2 == 0 ? 0.898 : 0.902);
        }
        s.push("f1", 0.85);
        for (int i = 0; i < 3; i++) {
            s.push("f1", i % 2 == 0 ? 0.895 : 0.891);
        }
        for (int i = 0; i < 3; i++) {
            s.push("f1", i % 2 == 0 ? 0.858 : 0.862);
        }
        JsonNode a = s.openAlert();
        assertThat(a.path("commit_range").asText()).as(a.toString()).isEqualTo("c23..c24");
        assertThat(a.path("change_point").path("commit_range").asText()).as(a.toString()).isEqualTo("c19..c20");
        return s;
    }

    @Test
    void a_change_point_moved_four_runs_later_keeps_confirming_the_alert_from_its_new_place() throws Exception {
        Series s = confirmedAtC20();

        s.push("f1", 0.862); // c27: the detector now places the change at c24

        JsonNode cp = s.openAlert().path("change_point");
        assertThat(cp.path("commit_range").asText()).as(cp.toString()).isEqualTo("c23..c24");
        assertThat(cp.path("transaction_id").asLong()).isEqualTo(s.runs.get(24));
    }

    @Test
    void the_history_says_the_change_point_moved_not_that_it_was_withdrawn() throws Exception {
        Series s = confirmedAtC20();

        s.push("f1", 0.862);

        List<String> history = s.history(s.openAlert().path("id").asLong());
        assertThat(history).as(history.toString()).noneMatch(c -> c.contains("withdrawn"))
                .contains("change point moved in run " + s.runs.get(27) + ": with the runs since, the detector places the"
                        + " change point that confirmed this alert at run " + s.runs.get(24) + " (c23..c24), no longer at run "
                        + s.runs.get(20));
    }

    /** The weak step below: runs c0..c55 of accuracy, 0.85 then 0.83 from c40, noise sd 0.01 (seed 28). */
    private static Series weakStep() throws Exception {
        Series s = new Series();
        Random noise = new Random(28);
        for (int i = 0; i < 56; i++) {
            s.push("accuracy", (i < 40 ? 0.85 : 0.83) + 0.01 * noise.nextGaussian());
        }
        return s;
    }

    /**
     * ChangePointAlertsTest's weak step with noise seed 28 (accuracy 0.85 for 40 runs, then 0.83, noise sd 0.01): the
     * change point stored at c40 opens an alert of kind change_point, and later runs place the change at c44. That is
     * the same shift: one alert, which says where its change point went.
     */
    @Test
    void a_change_point_alert_whose_change_point_moves_stays_the_one_alert_of_its_shift() throws Exception {
        Series s = weakStep();

        JsonNode alerts = s.alerts();
        assertThat(alerts).as(alerts.toString()).singleElement().satisfies(a -> {
            assertThat(a.path("kind").asText()).isEqualTo("change_point");
            assertThat(a.path("commit_range").asText()).isEqualTo("c39..c40");
            assertThat(a.path("change_point").path("commit_range").asText()).isEqualTo("c43..c44");
        });
        assertThat(s.history(alerts.get(0).path("id").asLong())).anyMatch(c -> c.startsWith("change point moved in run ")
                && c.contains("the change point that raised this alert at run " + s.runs.get(44) + " (c43..c44)"));
    }

    /** The alert's words for its change point (the API's, the page's and {@code alerts list}'s) say where it is now. */
    @Test
    void a_change_point_alert_whose_change_point_moved_says_where_it_is_now() throws Exception {
        Series s = weakStep();

        JsonNode a = s.openAlert();
        assertThat(a.path("change_point").path("text").asText()).as(a.toString())
                .startsWith("change point, now placed at c43..c44 (confidence ");
        assertThat(server.get("/alerts/" + a.path("id").asLong()).body()).contains("change point, now placed at c43..c44");
    }

    /**
     * The reviewer's case: a dip of 4 runs (c20..c23) opens an alert that its change point (c19..c20) confirms; one
     * push (a back-fill) then holds runs back at the old level (c24..c29) and a new, deeper drop from c30. The dip's
     * change point is gone, and the series' next change point, c30, is in the same direction but is another change
     * (the runs came back in between): it is not the dip's change point moved, and the new drop opens its own alert.
     */
    @Test
    void a_later_drop_after_the_runs_came_back_is_not_the_change_point_moved_and_opens_its_own_alert() throws Exception {
        Series s = new Series();
        for (int i = 0; i < 20; i++) {
            s.push("f1", i % 2 == 0 ? 0.898 : 0.902);
        }
        for (int i = 0; i < 4; i++) {
            s.push("f1", i % 2 == 0 ? 0.858 : 0.862);
        }
        JsonNode dip = s.openAlert();
        assertThat(dip.path("change_point").path("commit_range").asText()).as(dip.toString()).isEqualTo("c19..c20");

        s.pushAll("f1", 0.898, 0.902, 0.898, 0.902, 0.898, 0.902, 0.838, 0.842, 0.838, 0.842, 0.838, 0.842);

        JsonNode alerts = s.alerts();
        assertThat(alerts).as(alerts.toString()).anySatisfy(a -> {
            assertThat(a.path("id").asLong()).isNotEqualTo(dip.path("id").asLong());
            assertThat(a.path("commit_range").asText()).isEqualTo("c29..c30");
        });
        assertThat(s.history(dip.path("id").asLong())).noneMatch(c -> c.startsWith("change point moved"));
    }

    /** Runs c0..c{n-1} of accuracy: 0.85, then {@code firstDrop} lower from c40 and {@code secondDrop} more from c45, noise sd 0.01. */
    private static Series weakSteps(int seed, int n, double firstDrop, double secondDrop) throws Exception {
        Series s = new Series();
        Random noise = new Random(seed);
        for (int i = 0; i < n; i++) {
            s.push("accuracy", 0.85 - (i < 40 ? 0 : firstDrop) - (i < 45 ? 0 : secondDrop) + 0.01 * noise.nextGaussian());
        }
        return s;
    }

    /**
     * A weak step (accuracy 0.85, then 0.83 from c40, noise sd 0.01, seed 13): c41 opens an alert, which the change point
     * stored at c40 confirms from c42; c43 has the detector place that change one run earlier, at c39. The alert names
     * the new place, and its history says so, as for a change point moved further (its commits are the ones to bisect:
     * the range the page shows changed, and the log says when and why).
     */
    @Test
    void a_change_point_placed_again_a_run_earlier_is_an_event_of_the_alerts_history() throws Exception {
        Series s = weakSteps(13, 43, 0.02, 0);
        JsonNode a = s.openAlert();
        assertThat(a.path("change_point").path("commit_range").asText()).as(a.toString()).isEqualTo("c39..c40");

        s.push("accuracy", 0.85 - 0.02 + 0.01 * noiseAt(13, 43)); // c43

        a = s.openAlert();
        assertThat(a.path("change_point").path("commit_range").asText()).as(a.toString()).isEqualTo("c38..c39");
        List<String> history = s.history(a.path("id").asLong());
        assertThat(history).as(history.toString()).noneMatch(c -> c.contains("withdrawn"))
                .contains("change point moved in run " + s.runs.get(43) + ": with the runs since, the detector places the"
                        + " change point that confirmed this alert at run " + s.runs.get(39) + " (c38..c39), no longer at run "
                        + s.runs.get(40));
    }

    /** The {@code i}th draw (from 0) of the noise {@code new Random(seed)} gives, as {@link #weakSteps} draws it. */
    private static double noiseAt(int seed, int i) {
        Random noise = new Random(seed);
        for (int k = 0; k < i; k++) {
            noise.nextGaussian();
        }
        return noise.nextGaussian();
    }

    /**
     * Two steps (accuracy 0.85, 0.82 from c40, 0.80 from c45, noise sd 0.01, seed 954): c42 opens an alert, which the
     * change point at c40 confirms; c47 has a second change point, at c45, more than 3 runs after the alert's shift, which
     * opens an alert of kind change_point (c48, which the detector sees without it, resolves that one: it still holds
     * its place). c49 has the detector drop c40 and keep only c45: the series' first change point after c40 is in the
     * same direction and 5 runs on, but another alert holds it, so the first alert's change point is withdrawn, not
     * moved onto it (two alerts on one change point).
     */
    @Test
    void a_change_point_is_not_moved_onto_the_place_another_alert_holds() throws Exception {
        Series s = weakSteps(954, 49, 0.03, 0.02);
        JsonNode first = s.openAlert();
        assertThat(s.alerts()).as(s.alerts().toString()).anySatisfy(b -> {
            assertThat(b.path("kind").asText()).isEqualTo("change_point");
            assertThat(b.path("commit_range").asText()).isEqualTo("c44..c45");
        });
        assertThat(first.path("change_point").path("commit_range").asText()).as(first.toString()).isEqualTo("c39..c40");

        s.push("accuracy", 0.80 + 0.01 * noiseAt(954, 49)); // c49

        JsonNode after = alert(s, first.path("id").asLong());
        assertThat(after.path("change_point").isNull() || after.path("change_point").isMissingNode())
                .as(after.toString()).isTrue();
        List<String> history = s.history(first.path("id").asLong());
        assertThat(history).as(history.toString()).noneMatch(c -> c.startsWith("change point moved"))
                .anyMatch(c -> c.startsWith("change point withdrawn in run " + s.runs.get(49) + ": "));
    }

    /** Alert {@code id} of the series, as {@code GET /api/v1/alerts} lists it. */
    private static JsonNode alert(Series s, long id) throws Exception {
        for (JsonNode a : s.alerts()) {
            if (a.path("id").asLong() == id) {
                return a;
            }
        }
        throw new AssertionError("no alert " + id + " in " + s.alerts());
    }
}
