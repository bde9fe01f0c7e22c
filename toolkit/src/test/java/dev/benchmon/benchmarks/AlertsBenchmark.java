package dev.benchmon.benchmarks;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
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
 * What alerts add to a push: the ingest path ({@code record}: store one result, judge its series, record the
 * findings) over {@value #PUSHES} pushes to 20 series, where every third round regresses (alerts open, follow and
 * resolve), against the same pushes that never regress (findings within noise, no alert opens), measured in the
 * same run; plus the simple SQL rule with 10% of the runs excluded. Not a timed test: run it with
 * {@code ./mvnw -B -pl toolkit -Pbenchmarks test -Dtest=AlertsBenchmark} and read the figures.
 */
@Tag("benchmark")
class AlertsBenchmark {
    private static final int SERIES = 20;
    private static final int HISTORY = 50;
    private static final int PUSHES = 400;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void alerting_cost_per_push() {
        try (Benchmon plain = TestDatabases.fresh(); Benchmon alerting = TestDatabases.fresh()) {
            preload(plain);
            preload(alerting);
            warmUp(plain);
            warmUp(alerting);
            double base = pushes(plain, false);
            double withAlerts = pushes(alerting, true);
            int opened = alerting.alertBook().list(AlertFilter.all().withLimit(10_000)).size();
            assertThat(opened).isPositive();

            // The detector over every series, with and without 10% of the runs excluded.
            double detect = detectAll(plain);
            List<Long> ids = plain.jdbi().withHandle(h -> h.createQuery(
                    "SELECT id FROM benchmark_transactions WHERE id % 10 = 0").mapTo(Long.class).list());
            ids.forEach(id -> plain.annotations().exclude(id, "benchmark", "bench"));
            double detectExcluded = detectAll(plain);

            System.out.printf(Locale.ROOT, "%nALERTS BENCHMARK (%d pushes of 1 result, %d series x %d runs of history)%n",
                    PUSHES, SERIES, HISTORY);
            System.out.printf(Locale.ROOT, "| what | mean per call | ratio |%n|---|---:|---:|%n");
            System.out.printf(Locale.ROOT, "| baseline: record a push that never regresses (no alert opens) | %.2f ms | 1.00 |%n", base);
            System.out.printf(Locale.ROOT, "| record pushes that open, follow and resolve alerts (%d opened) | %.2f ms | %.2f |%n", opened, withAlerts,
                    withAlerts / base);
            System.out.printf(Locale.ROOT, "| baseline: detect_regressions over all %d series | %.2f ms | 1.00 |%n", SERIES, detect);
            System.out.printf(Locale.ROOT, "| detect_regressions with %d runs excluded | %.2f ms | %.2f |%n", ids.size(),
                    detectExcluded, detectExcluded / detect);
        }
    }

    private static void preload(Benchmon bm) {
        List<BenchmarkResult> history = new ArrayList<>();
        for (int i = 0; i < HISTORY; i++) {
            for (int s = 0; s < SERIES; s++) {
                history.add(result(s, i, 0.90 + (i % 3) * 0.002));
            }
        }
        bm.importAll(history, n -> { });
        bm.jdbi().useHandle(h -> h.execute("ANALYZE"));
    }

    private static void warmUp(Benchmon bm) {
        for (int i = 0; i < 40; i++) {
            push(bm, HISTORY + i, i % SERIES, 0.90);
        }
    }

    /** Mean milliseconds per push; with {@code regress}, every third round of pushes drops f1 from 0.90 to 0.70. */
    private static double pushes(Benchmon bm, boolean regress) {
        long start = System.nanoTime();
        for (int i = 0; i < PUSHES; i++) {
            int s = i % SERIES;
            int run = HISTORY + 40 + i;
            push(bm, run, s, regress && (i / SERIES) % 3 == 1 ? 0.70 : 0.90);
        }
        return (System.nanoTime() - start) / 1e6 / PUSHES;
    }

    private static void push(Benchmon bm, int run, int s, double f1) {
        bm.record(result(s, run, f1)); // stores, judges and records the findings as alerts
    }

    private static double detectAll(Benchmon bm) {
        for (int i = 0; i < 5; i++) {
            bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults());
        }
        int n = 50;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults());
        }
        return (System.nanoTime() - start) / 1e6 / n;
    }

    private static BenchmarkResult result(int s, int run, double f1) {
        return BenchmarkResult.builder("model-" + s, "d").environment("ci").runAt(T0.plusSeconds(run * 3600L))
                .runId(s + "-" + run).commitSha("c" + run).metric("f1", f1).metric("latency_ms", 400 + run % 7).build();
    }
}
