package dev.benchmon.detect;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.RecordOutcome;
import dev.benchmon.ingest.ResultWriter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Judging stored runs again (a recompute, a metric defined again) while pushes write: a push in flight is paused
 * inside its own transaction, as the product's push runs it (write, judgement, commit), so that each interleaving
 * happens every time.
 */
class JudgingAgainBesidePushesTest {
    @AutoClose
    private static Benchmon bm;

    @BeforeAll
    static void open() {
        bm = TestDatabases.fresh();
    }

    private static BenchmarkResult run(String model, String metric, int day, double value) {
        return BenchmarkResult.builder(model, "d").environment("ci")
                .runAt(Instant.parse(String.format("2026-11-%02dT00:00:00Z", day))).metric(metric, value).build();
    }

    /** Six steady runs of {@code model}, pushed and judged one by one. */
    private static void history(String model, String metric) {
        double[] values = {5, 5.02, 4.98, 5.01, 4.99, 5};
        for (int i = 0; i < values.length; i++) {
            bm.recordJudged(List.of(run(model, metric, i + 1, values[i])), java.util.Map.of(), DetectionOverrides.NONE);
        }
    }

    /** The stored verdict of {@code metric} for the series of {@code model}: its run's id and its direction. */
    private static Object[] storedVerdict(String model, String metric) {
        return bm.jdbi().withHandle(h -> h.createQuery("""
                        SELECT v.transaction_id, v.direction FROM detection_verdicts v JOIN series s ON s.id = v.series_id
                        WHERE s.model_version = :model AND v.metric = :metric""")
                .bind("model", model).bind("metric", metric)
                .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getString(2)}).one());
    }

    /** Waits until some session of this test's database waits for an advisory lock (the ingest lock, here). */
    private static void awaitWaitingForTheIngestLock() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until) {
            boolean waiting = bm.jdbi().withHandle(h -> h.createQuery(
                    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                    + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))")
                    .mapTo(Boolean.class).one());
            if (waiting) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nobody waited for the ingest lock within 20 s");
    }

    /**
     * A push of {@code result} as the product runs one (write, judgement, commit in one transaction), paused after
     * its write ({@code judgeFirst} false) or after its judgement (true); returns once it is paused.
     */
    private static PausedPush pausedPush(BenchmarkResult result, boolean judgeFirst) throws InterruptedException {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        CompletableFuture<Long> committed = CompletableFuture.supplyAsync(() -> new ResultWriter(bm.jdbi()).writeAll(
                List.of(result), (h, written) -> {
                    if (judgeFirst) {
                        bm.detection().judgeIngest(h, written);
                    }
                    paused.countDown();
                    try {
                        assertThat(resume.await(30, TimeUnit.SECONDS)).as("resumed").isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    if (!judgeFirst) {
                        bm.detection().judgeIngest(h, written);
                    }
                    return written.stream().map(RecordOutcome::transactionId).findFirst().orElseThrow();
                }));
        assertThat(paused.await(30, TimeUnit.SECONDS)).isTrue();
        return new PausedPush(committed, resume);
    }

    /** A push paused inside its transaction: {@link #resumeOnceWaitedFor} lets it commit. */
    private record PausedPush(CompletableFuture<Long> committed, CountDownLatch resume) {
        /** Once some session waits for the ingest lock the push holds, lets it go on; returns its run's id. */
        long resumeOnceWaitedFor() throws Exception {
            awaitWaitingForTheIngestLock();
            resume.countDown();
            return committed.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_recompute_asked_while_a_push_is_in_flight_judges_that_pushs_run() throws Exception {
        bm.defineMetrics(new MetricDefinition("recomputed_zorbs", MetricDirection.LOWER_IS_BETTER, "count", null, null));
        history("recompute-beside-push", "recomputed_zorbs");
        PausedPush push = pausedPush(run("recompute-beside-push", "recomputed_zorbs", 7, 5.01), false);

        // The recompute waits for the push in flight before it reads: judged before it committed, the run before it
        // would be the series' newest, and its verdict would replace the push's.
        CompletableFuture<Integer> recompute = CompletableFuture.supplyAsync(bm::recomputeDetection);
        long pushed = push.resumeOnceWaitedFor();
        recompute.get(30, TimeUnit.SECONDS);

        assertThat(storedVerdict("recompute-beside-push", "recomputed_zorbs")[0]).isEqualTo(pushed);
    }

    @Test
    void a_metric_defined_while_a_push_judges_it_at_the_old_definition_is_judged_again_with_that_push() throws Exception {
        bm.defineMetrics(new MetricDefinition("redefined_beside_push", MetricDirection.LOWER_IS_BETTER, "count", null, null));
        history("define-beside-push", "redefined_beside_push");
        // Judged while lower is better, committed only once the definition below was asked for.
        PausedPush push = pausedPush(run("define-beside-push", "redefined_beside_push", 7, 5.01), true);

        CompletableFuture<Void> define = CompletableFuture.runAsync(() -> bm.defineMetrics(
                new MetricDefinition("redefined_beside_push", MetricDirection.HIGHER_IS_BETTER, "count", null, null)));
        long pushed = push.resumeOnceWaitedFor();
        define.get(30, TimeUnit.SECONDS);

        assertThat(storedVerdict("define-beside-push", "redefined_beside_push"))
                .containsExactly(pushed, MetricDirection.HIGHER_IS_BETTER.sqlName());
    }

    @Test
    void a_recompute_of_many_batches_side_by_side_also_waits_for_a_push_in_flight() throws Exception {
        bm.defineMetrics(new MetricDefinition("batched_zorbs", MetricDirection.LOWER_IS_BETTER, "count", null, null));
        List<BenchmarkResult> many = new java.util.ArrayList<>();
        for (int i = 0; i < 2 * DetectionService.BATCH; i++) { // more series than one batch holds
            many.add(run("batched-" + i, "batched_zorbs", 1, 5));
        }
        bm.recordAll(many);
        history("batched-beside-push", "batched_zorbs");
        PausedPush push = pausedPush(run("batched-beside-push", "batched_zorbs", 7, 5.01), false);

        CompletableFuture<Integer> recompute = CompletableFuture.supplyAsync(bm::recomputeDetection);
        long pushed = push.resumeOnceWaitedFor();
        assertThat(recompute.get(60, TimeUnit.SECONDS)).isGreaterThan(DetectionService.BATCH);

        assertThat(storedVerdict("batched-beside-push", "batched_zorbs")[0]).isEqualTo(pushed);
        // The lock held for the recompute's session is let go: a push after it commits.
        bm.recordJudged(List.of(run("batched-beside-push", "batched_zorbs", 8, 5)), java.util.Map.of(), DetectionOverrides.NONE);
    }
}
