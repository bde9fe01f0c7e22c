package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static dev.benchmon.server.cli.PushCommandTest.hourly;
import static dev.benchmon.server.cli.PushCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** The alert links {@code benchmon push} prints: each alert's own dashboard page. */
class PushAlertLinksTest {
    @SharedServer
    private static TestServer server;

    @TempDir
    Path dir;

    private final Instant t = Instant.now().minus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    @Test
    void a_push_that_opens_an_alert_prints_the_link_to_the_alerts_own_page() throws IOException {
        String model = "push-prints-alert-page";
        Path steady = Files.writeString(dir.resolve("steady.jsonl"), hourly(model, t, 0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9));
        assertThat(run(Map.of(), "", "push", steady.toString(), "--server", server.url()).exitCode()).isZero();
        Path drop = Files.writeString(dir.resolve("drop.jsonl"), hourly(model, t, 6, 0.5));

        PushCommandTest.Run r = run(Map.of(), "", "push", drop.toString(), "--server", server.url());

        JsonNode alerts = ResultJson.mapper().readTree(server.get("/api/v1/alerts?model=" + model).body()).path("alerts");
        assertThat(alerts).hasSize(1);
        long id = alerts.get(0).path("id").asLong();
        // The link is a line of its own under the alert's line (indented to the alert's columns).
        assertThat(r.out().lines().map(String::strip)).as(r.out() + r.err()).contains(server.url() + "alerts/" + id);
        assertThat(r.out()).doesNotContain("#alert-");
    }
}
