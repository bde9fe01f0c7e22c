package dev.benchmon.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Excluding the run an alert follows when it is not the run the alert was raised on: a drop opens the alert, a deeper
 * run of the drop is followed (its last run and value), then that deeper run is excluded over real HTTP
 * (POST /api/v1/runs/{id}/annotations). The alert then follows the newest run of its change left, its opening run,
 * and shows its change now from it (docs/ALERTS.md, "Annotations without rewriting history"), in whatever active state
 * it is; including the deeper run again makes it follow that run again.
 */
class FollowedRunExclusionTest {
    @SharedServer
    private static TestServer server;

    private static final AtomicInteger SERIES = new AtomicInteger();

    /** The alert of a drop, the drop's run (f1 0.85) and the deeper run (0.76) the alert follows. */
    private record FollowedDrop(String model, long alert, long opening, long deeper) {
    }

    /**
     * Fourteen runs of f1 at 0.90 and 0.91 (a series of its own), a drop to 0.85 that opens an alert (baseline 0.905,
     * -5.5 points), then a deeper run at 0.76 that the alert follows; the alert then put in {@code state} by ana.
     */
    private static FollowedDrop dropFollowedByADeeperRun(String state) throws Exception {
        String model = "followed-" + SERIES.incrementAndGet();
        for (int i = 0; i < 14; i++) {
            push(model, i, i % 2 == 0 ? 0.90 : 0.91);
        }
        JsonNode drop = push(model, 14, 0.85);
        assertThat(drop.path("alerts")).as(drop.toString()).hasSize(1);
        long alert = drop.path("alerts").get(0).path("id").asLong();
        long deeper = runOf(push(model, 15, 0.76));
        JsonNode followed = alert(alert);
        assertThat(List.of(followed.path("transaction_id").asLong(), followed.path("last_transaction_id").asLong()))
                .as("it names the drop's run and follows the deeper one: %s", followed)
                .containsExactly(runOf(drop), deeper);
        if (!state.equals("open")) {
            HttpResponse<String> r = server.postJson("/api/v1/alerts/" + alert + "/state",
                    "{\"state\": \"" + state + "\", \"comment\": \"looking at it\", \"actor\": \"ana\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        return new FollowedDrop(model, alert, runOf(drop), deeper);
    }

    /** Stores one result of series {@code model} / d @ci, at hour {@code h} of a day, with f1 = {@code f1}. */
    private static JsonNode push(String model, int h, double f1) throws Exception {
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"" + model
                + "\",\"dataset_version\":\"d\",\"environment\":\"ci\",\"run_at\":\"2026-01-01T" + String.format("%02d", h)
                + ":00:00Z\",\"commit_sha\":\"c" + h + "\",\"run_id\":\"" + (100 + h) + "\",\"metrics\":{\"f1\":" + f1 + "}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return ResultJson.mapper().readTree(r.body());
    }

    private static long runOf(JsonNode pushAnswer) {
        return pushAnswer.path("results").get(0).path("id").asLong();
    }

    private static JsonNode annotate(long run, String kind, String text) throws Exception {
        return AlertApi.annotate(server, run, kind, text);
    }

    private static JsonNode alertWithHistory(long id) throws Exception {
        return AlertApi.alertWithHistory(server, id);
    }

    /** The newest event of the alert's history from {@code source} (an annotation also grades it again: 'severity'). */
    private static JsonNode lastEvent(long alert, String source) throws Exception {
        JsonNode found = null;
        for (JsonNode e : alertWithHistory(alert).path("history")) {
            if (e.path("source").asText().equals(source)) {
                found = e;
            }
        }
        assertThat(found).as("an event from %s", source).isNotNull();
        return found;
    }

    private static JsonNode alert(long id) throws Exception {
        return alertWithHistory(id).path("alert");
    }

    @ParameterizedTest(name = "an alert {0}")
    @ValueSource(strings = {"open", "acknowledged", "muted"})
    void excluding_the_deeper_run_an_alert_follows_moves_its_last_run_and_value_to_the_run_left(String state)
            throws Exception {
        FollowedDrop drop = dropFollowedByADeeperRun(state);

        annotate(drop.deeper(), "excluded", "flaky runner");

        JsonNode a = alert(drop.alert());
        assertThat(List.of(a.path("state").asText(), a.path("transaction_id").asLong(), a.path("last_transaction_id").asLong()))
                .as(a.toString()).containsExactly(state, drop.opening(), drop.opening());
        assertThat(a.path("current").asDouble()).isEqualTo(0.85);
    }

    @ParameterizedTest(name = "an alert {0}")
    @ValueSource(strings = {"open", "acknowledged", "muted"})
    void once_the_deeper_run_is_excluded_the_change_now_is_the_change_of_the_run_left(String state) throws Exception {
        FollowedDrop drop = dropFollowedByADeeperRun(state);

        annotate(drop.deeper(), "excluded", "flaky runner");

        JsonNode a = alert(drop.alert());
        assertThat(List.of(a.path("now_transaction_id").asLong(), a.path("now_value").asDouble()))
                .as(a.toString()).containsExactly(drop.opening(), 0.85);
        assertThat(a.path("now_change").asText()).isEqualTo(a.path("change").asText()).isEqualTo("-5.5 points");
    }

    @Test
    void the_answer_of_the_exclusion_lists_the_alert_kept_and_its_history_names_the_run_it_follows_now() throws Exception {
        FollowedDrop drop = dropFollowedByADeeperRun("open");

        JsonNode answer = annotate(drop.deeper(), "excluded", "flaky runner");

        assertThat(answer.path("alerts")).as(answer.toString()).singleElement().satisfies(kept -> {
            assertThat(List.of(kept.path("id").asLong(), kept.path("effect").asText(), kept.path("state").asText()))
                    .containsExactly(drop.alert(), "kept", "open");
            assertThat(kept.path("last_transaction_id").asLong()).isEqualTo(drop.opening());
        });
        JsonNode event = lastEvent(drop.alert(), "annotation");
        assertThat(List.of(event.path("source").asText(), event.path("state").asText(), event.path("actor").asText()))
                .containsExactly("annotation", "open", "ana");
        assertThat(event.path("comment").asText()).isEqualTo("run " + drop.deeper() + " excluded: flaky runner; the alert"
                + " follows run " + drop.opening() + " (f1 0.8500), the newest run of its change left");
    }

    @ParameterizedTest(name = "an alert {0}")
    @ValueSource(strings = {"open", "acknowledged", "muted"})
    void including_the_deeper_run_again_makes_the_alert_follow_it_again(String state) throws Exception {
        FollowedDrop drop = dropFollowedByADeeperRun(state);
        annotate(drop.deeper(), "excluded", "flaky runner");

        JsonNode answer = annotate(drop.deeper(), "included", "the runner was fine");

        JsonNode a = alert(drop.alert());
        assertThat(List.of(a.path("state").asText(), a.path("transaction_id").asLong(), a.path("last_transaction_id").asLong(),
                a.path("now_transaction_id").asLong())).as(a.toString())
                .containsExactly(state, drop.opening(), drop.deeper(), drop.deeper());
        assertThat(List.of(a.path("current").asDouble(), a.path("now_value").asDouble())).containsExactly(0.76, 0.76);
        assertThat(answer.path("alerts")).as(answer.toString()).singleElement()
                .satisfies(kept -> assertThat(List.of(kept.path("id").asLong(), kept.path("effect").asText()))
                        .containsExactly(drop.alert(), "kept"));
    }

    /**
     * A drop that deepens twice (0.85 opens the alert, which follows 0.80, then 0.76): its two later runs excluded
     * newest first, then included again oldest first. At each step the alert follows the newest run of its change
     * that counts, with that run's value.
     */
    @Test
    void excluding_and_including_the_later_runs_of_a_deepening_drop_moves_the_run_followed_to_the_newest_that_counts()
            throws Exception {
        String model = "deepening-" + SERIES.incrementAndGet();
        for (int i = 0; i < 14; i++) {
            push(model, i, i % 2 == 0 ? 0.90 : 0.91);
        }
        JsonNode drop = push(model, 14, 0.85);
        long alert = drop.path("alerts").get(0).path("id").asLong();
        long second = runOf(push(model, 15, 0.80));
        long third = runOf(push(model, 16, 0.76));
        List<List<Object>> followed = new java.util.ArrayList<>();

        for (String[] step : new String[][] {{"excluded", "3"}, {"excluded", "2"}, {"included", "2"}, {"included", "3"}}) {
            annotate(step[1].equals("2") ? second : third, step[0], step[0].equals("excluded") ? "flaky runner" : "fine");
            JsonNode a = alert(alert);
            followed.add(List.of(a.path("last_transaction_id").asLong(), a.path("current").asDouble(),
                    a.path("now_transaction_id").asLong()));
        }

        assertThat(followed).containsExactly(List.of(second, 0.80, second), List.of(runOf(drop), 0.85, runOf(drop)),
                List.of(second, 0.80, second), List.of(third, 0.76, third));
    }

    @Test
    void the_history_of_an_alert_whose_followed_run_is_included_again_says_it_follows_that_run_again() throws Exception {
        FollowedDrop drop = dropFollowedByADeeperRun("open");
        annotate(drop.deeper(), "excluded", "flaky runner");

        annotate(drop.deeper(), "included", "the runner was fine");

        assertThat(lastEvent(drop.alert(), "annotation").path("comment").asText()).isEqualTo("run " + drop.deeper()
                + " included again: the runner was fine; the alert follows run " + drop.deeper() + " (f1 0.7600) again");
    }

    /**
     * The deeper run (0.76) escalated the alert opened at 0.85; excluded, it no longer grades the alert's change now:
     * {@code now_severity} is graded again from the runs left (the opening's run), and an event says so. It kept the
     * grade the excluded run had raised it to.
     */
    @Test
    void excluding_the_run_that_escalated_an_alert_grades_its_change_now_again_from_the_runs_left() throws Exception {
        FollowedDrop drop = dropFollowedByADeeperRun("open");
        JsonNode before = alert(drop.alert());
        assertThat(before.path("now_severity").asText()).as("escalated by the deeper run: %s", before)
                .isNotEqualTo(before.path("severity").asText());

        annotate(drop.deeper(), "excluded", "flaky runner");

        JsonNode a = alert(drop.alert());
        assertThat(a.path("now_severity").asText()).as(a.toString()).isEqualTo(a.path("severity").asText());
        assertThat(lastEvent(drop.alert(), "severity").path("comment").asText()).isEqualTo("severity back to "
                + a.path("severity").asText() + " from " + before.path("now_severity").asText() + ": run " + drop.deeper()
                + " excluded, graded again from the runs of f1 that count");
    }

    @Test
    void including_the_run_that_escalated_an_alert_again_grades_its_change_now_by_it_again() throws Exception {
        FollowedDrop drop = dropFollowedByADeeperRun("open");
        String escalated = alert(drop.alert()).path("now_severity").asText();
        annotate(drop.deeper(), "excluded", "flaky runner");

        annotate(drop.deeper(), "included", "the runner was fine");

        assertThat(alert(drop.alert()).path("now_severity").asText()).isEqualTo(escalated);
    }
}
