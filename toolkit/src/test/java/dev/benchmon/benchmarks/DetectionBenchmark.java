package dev.benchmon.benchmarks;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.RecordOutcome;
import dev.benchmon.detect.CorpusBenchmarkSupport;
import dev.benchmon.detect.DetectionOverrides;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The detection engine measured: per scenario of the labelled corpus, false alerts per series per
 * 100 runs, detection rate and delay, repeat alerts, each beside the landed rule (mean of the previous
 * 5 runs, 5%) in the same run; then the cost at ingest (one push of one result with and without the
 * engine) and a full recompute of a 1M-result database generated with bulk SQL. Not a timed test:
 * {@code ./mvnw -B -pl toolkit -Pbenchmarks test -Dtest=DetectionBenchmark}.
 */
@Tag("benchmark")
class DetectionBenchmark {
    /** Series of the recompute database ({@code -Ddetect.series=...}; 2000 x 500 runs = 1M results). */
    private static final int SERIES_1M = Integer.getInteger("detect.series", 2_000);
    private static final int RUNS_1M = Integer.getInteger("detect.runs", 500);
    /** Timed single-result pushes ({@code -Ddetect.pushes=...}). */
    private static final int PUSHES = Integer.getInteger("detect.pushes", 200);

    @Test
    void detection_quality_and_cost() {
        if (!Boolean.getBoolean("detect.skipCorpus")) { // -Ddetect.skipCorpus=true: only the costs
            System.out.println(CorpusBenchmarkSupport.table());
        }
        try (Benchmon bm = TestDatabases.fresh()) {
            ingestOverhead(bm);
            recompute1M(bm);
        }
    }

    private static void ingestOverhead(Benchmon bm) {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        // 200 runs of history for one series, then timed single-result pushes with and without detection.
        for (int i = 0; i < 200; i++) {
            bm.recordJudged(List.of(result("ingest", t0.plusSeconds(3600L * i), i)), java.util.Map.of(), DetectionOverrides.NONE);
        }
        int n = PUSHES;
        long raw = 0;
        long judged = 0;
        for (int i = 0; i < n; i++) {
            BenchmarkResult a = result("ingest-raw", t0.plusSeconds(3600L * (300 + i)), i);
            long s = System.nanoTime();
            bm.jdbi().withHandle(h -> h.createQuery("SELECT transaction_id FROM upsert_benchmark_results(CAST(:j AS jsonb))")
                    .bind("j", "[" + dev.benchmon.ingest.ResultJson.toNode(a) + "]").mapTo(Long.class).list());
            raw += System.nanoTime() - s;
            BenchmarkResult b = result("ingest", t0.plusSeconds(3600L * (300 + i)), i);
            s = System.nanoTime();
            bm.recordJudged(List.of(b), java.util.Map.of(), DetectionOverrides.NONE);
            judged += System.nanoTime() - s;
        }
        System.out.printf(Locale.ROOT, "%nINGEST OVERHEAD (one result with 3 metrics, series with 200-400 runs, %d pushes)%n", n);
        System.out.printf(Locale.ROOT, "  baseline: write only (upsert_benchmark_results)   %6.2f ms per push%n", raw / 1e6 / n);
        System.out.printf(Locale.ROOT, "  benchmon write + detection + store                %6.2f ms per push  (+%.2f ms)%n",
                judged / 1e6 / n, (judged - raw) / 1e6 / n);
    }

    private static BenchmarkResult result(String model, Instant at, int i) {
        return BenchmarkResult.builder(model, "d").environment("ci").runAt(at).commitSha(String.format("%040x", i))
                .metric("accuracy", 0.85 + 0.005 * Math.sin(i * 1.7)).metric("latency_ms", 400 + 20 * Math.cos(i * 2.3))
                .metric("cost", 0.004 + 0.0002 * Math.sin(i * 0.9)).build();
    }

    private static void recompute1M(Benchmon bm) {
        long s = System.nanoTime();
        bm.jdbi().useHandle(h -> {
            h.execute("SET synchronous_commit = off");
            // As the writer stores them (schema v2): series, the months, then the log and its keys.
            h.execute("""
                    INSERT INTO series (model_version, dataset_version, prompt_version, environment)
                    SELECT 'model-' || s, 'd', '', 'ci' FROM generate_series(1, :series) s
                    ON CONFLICT ON CONSTRAINT series_key DO NOTHING""".replace(":series", String.valueOf(SERIES_1M)));
            h.execute("""
                    SELECT benchmon_ensure_log_partitions(ARRAY(
                        SELECT timestamptz '2025-01-01' + r * interval '1 hour' FROM generate_series(1, :runs) r))"""
                    .replace(":runs", String.valueOf(RUNS_1M)));
            h.execute("""
                    INSERT INTO benchmark_log (idempotency_key, series_id, metrics, run_at, commit_sha)
                    SELECT benchmark_key_uuid('k' || s || '-' || r), x.id,
                           jsonb_build_object('accuracy', 0.85 + 0.01 * (random() - 0.5) - CASE WHEN r > 400 AND s % 10 = 0 THEN 0.05 ELSE 0 END,
                                              'latency_ms', 400 + 40 * (random() - 0.5), 'cost', 0.004 + 0.0004 * (random() - 0.5)),
                           timestamptz '2025-01-01' + r * interval '1 hour', md5(s::text || r::text)
                    FROM generate_series(1, :series) s
                    JOIN series x ON x.model_version = 'model-' || s AND x.dataset_version = 'd' AND x.prompt_version = ''
                                 AND x.environment = 'ci',
                         generate_series(1, :runs) r""".replace(":series", String.valueOf(SERIES_1M))
                    .replace(":runs", String.valueOf(RUNS_1M)));
            h.execute("""
                    INSERT INTO benchmark_result_keys (idempotency_key, transaction_id)
                    SELECT idempotency_key, id FROM benchmark_log
                    ON CONFLICT DO NOTHING""");
            // Snapshots too, so the simple-rule baseline has every series' latest run to judge.
            h.execute("""
                    INSERT INTO benchmark_snapshots (model_version, dataset_version, prompt_version, environment, metrics,
                        commit_sha, branch, run_id, transaction_id, run_at, run_count, first_seen, last_seen)
                    SELECT DISTINCT ON (model_version, dataset_version, prompt_version, environment)
                           model_version, dataset_version, prompt_version, environment, metrics, commit_sha, branch,
                           run_id, id, run_at, :runs,
                           timestamptz '2025-01-01', run_at
                    FROM benchmark_transactions WHERE model_version LIKE 'model-%'
                    ORDER BY model_version, dataset_version, prompt_version, environment, run_at DESC, id DESC
                    ON CONFLICT DO NOTHING""".replace(":runs", String.valueOf(RUNS_1M)));
            h.execute("ANALYZE");
        });
        double load = (System.nanoTime() - s) / 1e9;
        long rows = bm.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions").mapTo(Long.class).one());
        s = System.nanoTime();
        long simpleRows = bm.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM detect_regressions()").mapTo(Long.class).one());
        double simple = (System.nanoTime() - s) / 1e9;
        s = System.nanoTime();
        int series = bm.recomputeDetection();
        double recompute = (System.nanoTime() - s) / 1e9;
        long stored = bm.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM detection_verdicts").mapTo(Long.class).one());
        System.out.printf(Locale.ROOT, "%nFULL RECOMPUTE (%,d results, %d series x %d runs x 3 metrics; generated with bulk SQL in %.1f s)%n",
                rows, SERIES_1M, RUNS_1M, load);
        // The baseline is valid only when it judged every series' latest run (it reads the snapshots).
        System.out.printf(Locale.ROOT, "  baseline: simple rule over every series (detect_regressions, %,d verdicts)  %6.2f s%n",
                simpleRows, simple);
        System.out.printf(Locale.ROOT, "  benchmon metrics recompute (%d series, %,d verdicts + change points stored)  %6.2f s  = %.1fx%n",
                series, stored, recompute, recompute / simple);
    }
}
