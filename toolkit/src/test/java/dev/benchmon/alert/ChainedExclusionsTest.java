package dev.benchmon.alert;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exclusions chained and undone in part: excluding run p, then run q, then including q again leaves an alert as
 * excluding p alone does (alert_run_to_name: what an alert names and follows depends on which runs are excluded, not on
 * the order). Each case pushes the same runs to two databases: one excludes p, then q, then includes q; the other
 * excludes p only.
 */
class ChainedExclusionsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** f1 of the runs after ten noisy runs at 0.90/0.91 (the first opens the alert: p), and which later run is q. */
    @ParameterizedTest(name = "{0}: q is run {1} of them")
    @CsvSource(delimiter = ';', value = {
            "0.80 0.80 0.80; 1", "0.80 0.80 0.80; 2", "0.80 0.80; 1", "0.80 0.70 0.70; 1", "0.80 0.80 0.80 0.80; 2",
            "0.80 0.86 0.80; 1", "0.80 0.80 0.86; 1", "0.80 0.80 0.86; 2", "0.70 0.60 0.60; 1", "0.70 0.86 0.70; 2"})
    void excluding_p_then_q_then_including_q_leaves_the_alert_as_excluding_p_alone(String values, int q) {
        double[] drop = Arrays.stream(values.split(" ")).mapToDouble(Double::parseDouble).toArray();
        try (Benchmon chained = TestDatabases.fresh(); Benchmon alone = TestDatabases.fresh()) {
            List<Long> runs = pushAll(chained, drop);
            assertThat(pushAll(alone, drop)).isEqualTo(runs);
            long p = runs.get(0);

            chained.annotations().exclude(p, "runner lost its GPU", "ana");
            chained.annotations().exclude(runs.get(q), "runner lost its GPU", "ana");
            chained.annotations().annotate(runs.get(q), "included", "the GPU was fine after all", "ana");
            alone.annotations().exclude(p, "runner lost its GPU", "ana");

            assertThat(alerts(chained)).isEqualTo(alerts(alone));
        }
    }

    /**
     * A drift that opens an alert at 0.70 (p) that then follows no later run (at 0.60 the engine's baseline has
     * followed the drift), so excluding p moves the run it follows (to the newest run left) as well as the run it names
     * (q, the next 0.60); r, a third 0.60, is pushed before the exclusions or between p's and q's.
     */
    @ParameterizedTest(name = "r pushed after p was excluded: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void a_drift_whose_followed_run_is_excluded_ends_as_excluding_p_alone(boolean rAfterP) {
        try (Benchmon chained = TestDatabases.fresh(); Benchmon alone = TestDatabases.fresh()) {
            List<List<Long>> runIds = new ArrayList<>();
            for (Benchmon bm : List.of(chained, alone)) {
                List<Long> runs = push(bm, 0, 0.88, 0.92, 0.88, 0.92, 0.88, 0.92, 0.88, 0.92, 0.88, 0.92,
                        0.84, 0.84, 0.80, 0.75, 0.70, 0.60);
                if (!rAfterP) {
                    runs.addAll(push(bm, 16, 0.60));
                }
                bm.annotations().exclude(runs.get(14), "runner lost its GPU", "ana");
                if (rAfterP) {
                    runs.addAll(push(bm, 16, 0.60));
                }
                runIds.add(runs);
            }
            // q is excluded on chained by the id it has there: the same run as in alone only if the ids agree.
            assertThat(runIds.get(0)).as("chained's run ids, alone's").isEqualTo(runIds.get(1));
            long q = runIds.get(0).get(15);

            chained.annotations().exclude(q, "runner lost its GPU", "ana");
            chained.annotations().annotate(q, "included", "the GPU was fine after all", "ana");

            assertThat(alerts(chained)).isEqualTo(alerts(alone));
        }
    }

    /** Pushes runs of f1 at these values, an hour apart from hour {@code from}; returns their ids. */
    private static List<Long> push(Benchmon bm, int from, double... values) {
        List<Long> runs = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            int h = from + i;
            BenchmarkResult r = BenchmarkResult.builder("m", "d").environment("ci").runAt(T0.plusSeconds(h * 3600L))
                    .metric("f1", values[i]).commitSha("c" + h).runId("run-" + h).idempotencyKey("k" + h).build();
            runs.add(bm.recordJudged(List.of(r), java.util.Map.of(), dev.benchmon.detect.DetectionOverrides.NONE)
                    .outcomes().get(0).transactionId());
        }
        return runs;
    }

    /** Pushes the noisy history (0.90 and 0.91) and then the drop; returns the drop's runs. */
    private static List<Long> pushAll(Benchmon bm, double[] drop) {
        double[] all = new double[10 + drop.length];
        for (int h = 0; h < all.length; h++) {
            all[h] = h < 10 ? (h % 2 == 0 ? 0.90 : 0.91) : drop[h - 10];
        }
        List<Long> runs = push(bm, 0, all);
        return runs.subList(10, runs.size());
    }

    /** What an alert is about and follows: id, state, the run it names, its shift, the run it follows and its value. */
    private static List<List<Object>> alerts(Benchmon bm) {
        return bm.alertBook().list(AlertFilter.all()).stream()
                .map(a -> List.<Object>of(a.id(), a.state(), a.transactionId(), a.shiftTx(), a.lastTransactionId(),
                        String.valueOf(a.current()), String.valueOf(a.nowTransactionId()), a.commitRange()))
                .toList();
    }
}
