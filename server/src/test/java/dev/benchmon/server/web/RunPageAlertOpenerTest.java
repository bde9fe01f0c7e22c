package dev.benchmon.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run page never says "already alerted" of the run that opened the alert. A push of several runs of a series opens
 * its alerts at the newest run, while that run's stored verdict holds no alert flag (the engine's alert memory gives the
 * shift to the push's first run down once the push is sent again); a walkthrough read "regression, already alerted"
 * on the run its alerts name.
 * Model run-opener: f1 about 0.84 for nineteen runs, then one POST of three runs about 0.80.
 */
class RunPageAlertOpenerTest {
    private static final double[] STEADY = {0.842, 0.838, 0.845, 0.836, 0.841, 0.839, 0.843, 0.837, 0.840, 0.844, 0.835,
            0.842, 0.838, 0.841, 0.839, 0.843, 0.836, 0.840, 0.842};
    private static final double[] DOWN = {0.803, 0.8029, 0.810};

    @SharedServer
    private static TestServer server;

    private static String result(int i, Instant t0, double f1) {
        return String.format(Locale.ROOT, "{\"model_version\":\"run-opener\",\"dataset_version\":\"ro-set\",\"environment\":"
                + "\"ci\",\"run_id\":\"gh-%d\",\"commit_sha\":\"%040x\",\"run_at\":\"%s\",\"metrics\":{\"f1\":%s}}",
                i, 1000 + i, t0.plus(Duration.ofHours(i)), f1);
    }

    @Test
    void the_run_whose_push_opened_the_alert_is_shown_as_the_regression_not_as_already_alerted() throws Exception {
        Instant t0 = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.MINUTES);
        for (int i = 0; i < STEADY.length; i++) {
            assertThat(server.postJson("/api/v1/results", result(i, t0, STEADY[i])).statusCode()).isEqualTo(201);
        }
        List<String> down = new ArrayList<>();
        for (int i = 0; i < DOWN.length; i++) {
            down.add(result(STEADY.length + i, t0, DOWN[i]));
        }
        String body = "{\"results\":[" + String.join(",", down) + "]}";
        HttpResponse<String> pushed = server.postJson("/api/v1/results", body);
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(201);
        // The same push again (a CI job retried): nothing new is stored, the runs are judged again, with the alerts
        // now in the series' memory.
        assertThat(server.postJson("/api/v1/results", body).statusCode()).isBetween(200, 201);
        JsonNode alerts = new ObjectMapper().readTree(pushed.body()).get("alerts");
        long opener = -1;
        for (JsonNode a : alerts) {
            if (a.path("metric").asText().equals("f1")) {
                opener = a.path("transaction_id").asLong();
            }
        }
        assertThat(opener).as(pushed.body()).isPositive();

        List<List<String>> rows = Html.table(server.get("/runs/" + opener).body(), "run-metrics");
        String f1 = rows.stream().filter(r -> r.get(0).equals("f1")).findFirst().orElseThrow().get(5);

        assertThat(f1).startsWith("regression: ").doesNotContain("already alerted");
    }
}
