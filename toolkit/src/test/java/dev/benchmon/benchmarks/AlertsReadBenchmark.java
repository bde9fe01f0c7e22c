package dev.benchmon.benchmarks;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.alert.Alert;
import dev.benchmon.alert.AlertFilter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What reading alerts costs (the {@code /alerts} page reads up to 10,000): {@value #ALERTS} active alerts, one per run
 * of {@value #SERIES} series with {@value #RUNS} runs each over 13 months, each read with its change now (the newest
 * counted run of its metric). Not a timed test: run it with
 * {@code ./mvnw -B -o -pl toolkit test -Dtest=AlertsReadBenchmark -Dbenchmon.groups=benchmark
 * -Dbenchmon.excludedGroups=none} and read the figures.
 */
@Tag("benchmark")
class AlertsReadBenchmark {
    private static final int SERIES = 20;
    private static final int RUNS = 1_000;
    private static final int ALERTS = 20_000;
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void reading_ten_thousand_alerts() {
        try (Benchmon bm = TestDatabases.fresh()) {
            List<BenchmarkResult> runs = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                for (int s = 0; s < SERIES; s++) {
                    runs.add(BenchmarkResult.builder("model-" + s, "d").environment("ci")
                            .runAt(T0.plusSeconds(i * 34_000L)).runId(s + "-" + i).commitSha("c" + i)
                            .metric("f1", i % 2 == 0 ? 0.80 : 0.70).build());
                }
            }
            bm.importAll(runs, n -> { });
            // One active alert per run (the fixture writes the table as its owner: no finding would open 20,000).
            bm.jdbi().useHandle(h -> {
                h.execute("""
                        INSERT INTO alerts (series_id, metric, kind, transaction_id, raised_tx, last_transaction_id,
                                            followed_tx, baseline, current, raised_value, followed_value, magnitude,
                                            severity, verdict, state)
                        SELECT t.series_id, 'f1', 'regression', t.id, t.id, t.id, t.id, 0.9, 0.8, 0.8, 0.8, -0.111,
                               'minor', 'f1 0.9 -> 0.8', CASE WHEN t.id % 3 = 0 THEN 'acknowledged' ELSE 'open' END
                        FROM benchmark_transactions t""");
                h.execute("ANALYZE");
            });
            for (int limit : new int[] {10_000, 100}) {
                AlertFilter filter = AlertFilter.all().withLimit(limit);
                List<Alert> read = bm.alertBook().list(filter); // warm up (plans, caches)
                assertThat(read).hasSize(limit);
                int n = 3;
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    bm.alertBook().list(filter);
                }
                System.out.printf(Locale.ROOT, "%nALERTS READ: %d of %d active alerts: %.1f ms per read%n", limit, ALERTS,
                        (System.nanoTime() - start) / 1e6 / n);
            }
        }
    }
}
