package dev.benchmon.benchmarks;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bulk ingest of 100,000 results with 5 metrics each through {@code importAll} (the path of
 * {@code benchmon import} and large pushes), reported as a ratio to raw {@code COPY} of the same
 * rows into a plain table measured in the same run (the fastest PostgreSQL can take them).
 * Target from the issue: well under 30 s on 2 cores. Not a timed test: run it with
 * {@code ./mvnw -B -pl toolkit -Pbenchmarks test} and read the figures.
 */
@Tag("benchmark")
class IngestBenchmark {
    private static final int N = 100_000;

    @Test
    void bulk_import_of_100k_results() throws Exception {
        List<BenchmarkResult> results = new ArrayList<>(N);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < N; i++) {
            results.add(BenchmarkResult.builder("model-" + (i % 20), "dataset-" + (i % 5)).environment("ci")
                    .runAt(t0.plusSeconds(i * 60L)).runId(String.valueOf(i))
                    .metric("precision", 0.9 + (i % 7) / 1000.0).metric("recall", 0.8 + (i % 11) / 1000.0)
                    .metric("f1", 0.85).metric("latency_ms", 400 + i % 50).metric("cost", 0.004).build());
        }
        try (Benchmon bm = TestDatabases.fresh()) {
            double copySeconds = rawCopy(bm, results);
            long start = System.nanoTime();
            bm.importAll(results, n -> { });
            double importSeconds = (System.nanoTime() - start) / 1e9;
            long stored = bm.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_transactions").mapTo(Long.class).one());
            assertThat(stored).isEqualTo(N);
            System.out.printf(Locale.ROOT, "%nINGEST BENCHMARK (%d results x 5 metrics)%n", N);
            System.out.printf(Locale.ROOT, "  baseline: raw COPY into a plain table  %6.2f s  %,9.0f rows/s%n", copySeconds, N / copySeconds);
            System.out.printf(Locale.ROOT, "  benchmon importAll (log + snapshots)   %6.2f s  %,9.0f rows/s  = %.1fx the COPY time%n",
                    importSeconds, N / importSeconds, importSeconds / copySeconds);
        }
    }

    private static double rawCopy(Benchmon bm, List<BenchmarkResult> results) throws Exception {
        StringBuilder csv = new StringBuilder();
        for (BenchmarkResult r : results) {
            csv.append(r.modelVersion()).append('\t').append(r.datasetVersion()).append('\t').append(r.environment())
                    .append('\t').append(r.runAt()).append('\t')
                    .append(dev.benchmon.ingest.ResultJson.mapper().writeValueAsString(r.metrics())).append('\n');
        }
        try (Connection c = bm.database().dataSource().getConnection()) {
            c.createStatement().execute("CREATE TABLE copy_baseline (model_version text, dataset_version text, "
                    + "environment text, run_at timestamptz, metrics jsonb)");
            long start = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY copy_baseline FROM STDIN", new StringReader(csv.toString()));
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
