package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.server.Tokens;
import dev.benchmon.server.support.TestServer;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import dev.benchmon.alert.AlertChange;
import dev.benchmon.detect.DetectionOverrides;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.benchmon.server.web.SnapshotPageTest.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Compare page says, beside a row's last value, that its series and metric have an active alert: the mean over the
 * range hides a drop of the newest run. A database of its own (an alert on the shared page fixture would change what
 * other pages' tests count), pushed run by run as CI does: {@code cmpalert-base} steady, {@code cmpalert-cand} whose
 * newest f1 drops 10 points and opens an alert.
 */
class CompareActiveAlertPageTest {
    private static final String BASE = "cmpalert-base";
    private static final String CANDIDATE = "cmpalert-cand";
    private static final long ALERT;
    private static final Benchmon BM = Benchmon.connect(TestServer.freshDatabaseUrlWithCredentials());
    private static final Javalin APP = DashboardFixture.start(BM, Tokens.none());

    static {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(30, ChronoUnit.HOURS);
        Random noise = new Random(4);
        List<AlertChange> opened = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Instant at = t0.plus(i, ChronoUnit.HOURS);
            opened.addAll(BM.recordJudged(List.of(
                    BenchmarkResult.builder(BASE, "cmpalert-d").environment("ci").runAt(at).runId("cab-" + i)
                            .metric("f1", 0.88 + 0.004 * noise.nextGaussian()).build(),
                    BenchmarkResult.builder(CANDIDATE, "cmpalert-d").environment("ci").runAt(at).runId("cac-" + i)
                            .metric("f1", (i < 24 ? 0.90 : 0.80) + 0.004 * noise.nextGaussian()).build()),
                    Map.of(), DetectionOverrides.NONE).alerts());
        }
        assertThat(opened).hasSize(1);
        ALERT = opened.get(0).alertId();
    }

    @AfterAll
    static void stop() {
        APP.stop();
        BM.close();
    }

    @Test
    void the_row_whose_newest_run_opened_an_alert_says_so_beside_its_last_value() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + APP.port() + "/compare?range=7d&model=" + enc(BASE + "," + CANDIDATE))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        String page = r.body();

        assertThat(page).containsOnlyOnce("class=\"sub active-alert\"")
                .containsPattern("title=\"active alert: #" + ALERT + " open, critical: -\\d+\\.\\d points \\(the mean");
        assertThat(Html.text(page)).containsPattern("0\\.8\\d* ?alert #" + ALERT + " critical");
    }
}
