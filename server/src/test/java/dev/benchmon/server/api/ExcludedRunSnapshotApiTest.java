package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.benchmon.server.support.SharedServer;
import dev.benchmon.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static dev.benchmon.server.api.ResultsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An excluded run no longer stands as a series' current value: GET /api/v1/snapshots answers the newest run that counts
 * once a run is excluded through POST /api/v1/runs/{id}/annotations, and the run again once it is included again; a
 * run that arrives after every run of its series was excluded is the current value whatever its run_at.
 */
class ExcludedRunSnapshotApiTest {
    @SharedServer
    private static TestServer server;

    private static final Instant T0 = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    /** Stores one result of model / d1 (accuracy, CI run id) and answers its id. */
    private static long record(String model, double accuracy, String runId, Instant runAt) {
        HttpResponse<String> r = server.postJson("/api/v1/results", "{\"model_version\":\"" + model + "\","
                + "\"dataset_version\":\"d1\",\"metrics\":{\"accuracy\":" + accuracy + "},\"run_id\":\"" + runId + "\","
                + "\"run_at\":\"" + runAt + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).at("/results/0/id").asLong();
    }

    private static void annotate(long run, String body) {
        HttpResponse<String> r = server.postJson("/api/v1/runs/" + run + "/annotations", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static void exclude(long run) {
        annotate(run, "{\"kind\": \"excluded\", \"reason\": \"flaky GPU node\", \"actor\": \"ana\"}");
    }

    private static JsonNode snapshots(String model) {
        return json(server.get("/api/v1/snapshots?model=" + model));
    }

    /** The id of the run the series' snapshot shows. */
    private static long currentRun(String model) {
        return snapshots(model).at("/rows/0/transaction_id").asLong();
    }

    @Test
    void anExcludedNewestRunLeavesTheSnapshotForTheNewestRunThatCountsAndIncludingItRestoresIt() {
        long n1 = record("nb-model", 0.9, "n1", T0);
        long n2 = record("nb-model", 0.9, "n2", T0.plus(1, ChronoUnit.HOURS));
        long n3 = record("nb-model", 0.5, "n3", T0.plus(2, ChronoUnit.HOURS));

        exclude(n3);

        JsonNode excluded = snapshots("nb-model");
        assertThat(excluded.get("row_count").asInt()).isEqualTo(1);
        assertThat(excluded.at("/rows/0/accuracy").asDouble()).isEqualTo(0.9);
        assertThat(excluded.at("/rows/0/transaction_id").asLong()).isEqualTo(n2);
        assertThat(excluded.at("/rows/0/run_id").asText()).isEqualTo("n2");
        assertThat(excluded.at("/rows/0/run_at").asText()).isEqualTo(T0.plus(1, ChronoUnit.HOURS).toString());
        // Runs seen: the excluded run arrived, so it is counted (and is the last seen).
        assertThat(excluded.at("/rows/0/run_count").asLong()).isEqualTo(3);
        assertThat(excluded.at("/rows/0/last_seen").asText()).isEqualTo(T0.plus(2, ChronoUnit.HOURS).toString());
        // The snapshot and the regressions name the same current value.
        assertThat(json(server.get("/api/v1/regressions?model=nb-model&metric=accuracy")).at("/rows/0/current").asDouble())
                .isEqualTo(0.9);

        annotate(n3, "{\"kind\": \"included\", \"text\": \"the node was fine\", \"actor\": \"ana\"}");

        JsonNode included = snapshots("nb-model");
        assertThat(included.at("/rows/0/accuracy").asDouble()).isEqualTo(0.5);
        assertThat(included.at("/rows/0/transaction_id").asLong()).isEqualTo(n3);
        assertThat(included.at("/rows/0/run_count").asLong()).isEqualTo(3);

        // Excluding an older run leaves the snapshot on the newest.
        exclude(n1);
        assertThat(currentRun("nb-model")).isEqualTo(n3);
    }

    @Test
    void aSeriesWhoseEveryRunIsExcludedHasNoSnapshotUntilARunArrivesEvenAnOlderOne() {
        long only = record("all-excluded", 0.6, "a1", T0.plus(2, ChronoUnit.HOURS));

        exclude(only);

        assertThat(snapshots("all-excluded").get("row_count").asInt()).isZero();

        // A late arrival, older than the excluded run: it is the only run that counts, so it is the current value.
        long late = record("all-excluded", 0.65, "a0", T0);
        JsonNode after = snapshots("all-excluded");
        assertThat(after.get("row_count").asInt()).isEqualTo(1);
        assertThat(after.at("/rows/0/transaction_id").asLong()).isEqualTo(late);
        assertThat(after.at("/rows/0/accuracy").asDouble()).isEqualTo(0.65);
        assertThat(after.at("/rows/0/run_count").asLong()).isEqualTo(2);

        // Including the newer run again makes it current again.
        annotate(only, "{\"kind\": \"included\", \"text\": \"fine after all\", \"actor\": \"ana\"}");
        assertThat(currentRun("all-excluded")).isEqualTo(only);
    }

    @Test
    void aLaterAttemptOfAnExcludedRunIsCurrentAndExcludingItFallsBackPastTheSupersededAttempt() {
        long first = record("attempts", 0.9, "r1", T0);
        long attempt1 = record("attempts", 0.4, "r2", T0.plus(1, ChronoUnit.HOURS));
        exclude(attempt1);
        assertThat(currentRun("attempts")).isEqualTo(first);

        // The CI run r2 is re-run: its second attempt counts (it was never excluded).
        long attempt2 = record("attempts", 0.85, "r2", T0.plus(1, ChronoUnit.HOURS));
        assertThat(currentRun("attempts")).isEqualTo(attempt2);

        // Excluding the second attempt too: the first attempt is superseded, so the snapshot is r1's.
        exclude(attempt2);
        assertThat(currentRun("attempts")).isEqualTo(first);
    }
}
