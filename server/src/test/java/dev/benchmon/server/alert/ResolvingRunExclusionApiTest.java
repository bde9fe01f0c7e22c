package dev.benchmon.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP (POST /api/v1/runs/{id}/annotations): excluding the run whose verdict resolved an alert ("back within
 * noise") reopens the alert when the runs that count still show its change; the answer lists it with effect
 * {@code reopened}, and its history says which run resolved it and why it is open again. Including the run again
 * resolves it again.
 */
class ResolvingRunExclusionApiTest {
    @SharedServer
    private static TestServer server;

    private static final AtomicInteger SERIES = new AtomicInteger();

    /** A series of its own: four runs of f1 at 0.90, a drop to 0.80 (its alert opens) and a run back at 0.90. */
    private record Resolved(long drop, long back, long alert) {
    }

    private static Resolved resolvedByARunBack() throws Exception {
        String model = "resolving-" + SERIES.incrementAndGet();
        for (int h = 0; h < 4; h++) {
            AlertApi.push(server, model, h, "f1", 0.90);
        }
        long drop = AlertApi.push(server, model, 4, "f1", 0.80);
        long back = AlertApi.push(server, model, 5, "f1", 0.90);
        JsonNode alert = AlertApi.onlyAlert(server, model);
        assertThat(alert.path("state").asText()).as(alert.toString()).isEqualTo("resolved");
        return new Resolved(drop, back, alert.path("id").asLong());
    }

    @Test
    void excluding_the_run_that_resolved_an_alert_answers_the_alert_reopened_and_its_history_says_why() throws Exception {
        Resolved r = resolvedByARunBack();

        JsonNode answer = AlertApi.annotate(server, r.back(), "excluded", "wrong config");

        assertThat(answer.path("resolved_alerts")).isEmpty();
        assertThat(answer.path("alerts")).as(answer.toString()).singleElement().satisfies(a ->
                assertThat(List.of(a.path("id").asLong(), a.path("effect").asText(), a.path("state").asText(),
                        a.path("transaction_id").asLong())).containsExactly(r.alert(), "reopened", "open", r.drop()));
        JsonNode history = AlertApi.alertWithHistory(server, r.alert()).path("history");
        JsonNode last = history.get(history.size() - 1);
        assertThat(List.of(last.path("state").asText(), last.path("actor").asText(), last.path("source").asText(),
                last.path("comment").asText())).containsExactly("open", "ana", "annotation", "run " + r.back()
                + ", which resolved it, was excluded: wrong config; the change persists without it: f1 0.8000 in run "
                + r.drop() + " against the baseline 0.9000");
        assertThat(history.get(history.size() - 2).path("comment").asText())
                .startsWith("back within noise in run " + r.back());
    }

    @Test
    void including_the_run_again_answers_the_alert_resolved_again() throws Exception {
        Resolved r = resolvedByARunBack();
        AlertApi.annotate(server, r.back(), "excluded", "wrong config");

        JsonNode answer = AlertApi.annotate(server, r.back(), "included", "the config was right");

        assertThat(answer.path("resolved_alerts")).as(answer.toString()).extracting(JsonNode::asLong)
                .containsExactly(r.alert());
        assertThat(answer.path("alerts")).singleElement().satisfies(a ->
                assertThat(List.of(a.path("effect").asText(), a.path("state").asText())).containsExactly("resolved", "resolved"));
    }
}
