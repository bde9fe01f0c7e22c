package dev.benchmon.benchmarks;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.ExampleOutcome;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.compare.Estimate;
import dev.benchmon.compare.PairedStatistics;
import dev.benchmon.compare.UnpairedStatistics;
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
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paired comparison, measured. Run with {@code ./mvnw -B -pl toolkit -Pbenchmarks test -Dtest=ComparisonBenchmark}.
 *
 * <ol>
 *   <li>Coverage: in 1,000 seeded trials of items drawn from a known population, how often the 95% paired
 *       bootstrap interval holds the true difference (target 93-97%), next to the unpaired two-proportion
 *       interval on the same data as the baseline (also about 95%, but wider: pairing removes the items'
 *       shared difficulty).</li>
 *   <li>Storage and ingest: 100 results of 10,000 items each through {@code recordAll} (one result per call,
 *       as pushes arrive), against a baseline measured in the same run: COPY of the same outcomes into a plain
 *       table with one row per (result, item) and its primary key.</li>
 * </ol>
 * Nothing timed is asserted; the figures are printed.
 */
@Tag("benchmark")
class ComparisonBenchmark {
    private static final int TRIALS = 1000;

    @Test
    void intervals_cover_the_true_difference() {
        // Binary: A right with p 0.70; B right with 0.90 when A is, 0.30 when A is not -> p_B = 0.72, diff 0.02.
        Result binary = coverage("0/1 scores, n = 300, true diff +0.02", 300, 0.02, (r, ab) -> {
            ab[0] = r.nextDouble() < 0.70 ? 1 : 0;
            ab[1] = r.nextDouble() < (ab[0] == 1 ? 0.90 : 0.30) ? 1 : 0;
        });
        // Continuous: item difficulty d ~ U(0,1); A = d + N(0, 0.1²)-ish noise, B = A + 0.03 + noise.
        Result continuous = coverage("scores in [0, 1], n = 100, true diff +0.03", 100, 0.03, (r, ab) -> {
            double d = r.nextDouble();
            ab[0] = d + 0.1 * (r.nextDouble() - 0.5);
            ab[1] = ab[0] + 0.03 + 0.2 * (r.nextDouble() - 0.5);
        });
        System.out.printf(Locale.ROOT, "%nCOVERAGE OF 95%% INTERVALS (%d seeded trials each; target 93-97%%)%n", TRIALS);
        System.out.printf(Locale.ROOT, "  %-44s %-34s %9s %11s %8s%n", "population", "interval", "coverage", "mean width",
                "width");
        for (Result r : List.of(binary, continuous)) {
            System.out.printf(Locale.ROOT, "  %-44s %-34s %8.1f%% %11.4f %7.2fx%n", r.name, "baseline: unpaired (2-prop / Welch)",
                    100.0 * r.unpairedCovered / TRIALS, r.unpairedWidth / TRIALS, 1.0);
            System.out.printf(Locale.ROOT, "  %-44s %-34s %8.1f%% %11.4f %7.2fx%n", "", "paired bootstrap (2,000 resamples)",
                    100.0 * r.pairedCovered / TRIALS, r.pairedWidth / TRIALS, r.pairedWidth / r.unpairedWidth);
            assertThat(r.pairedCovered).isBetween(930, 970);
        }
    }

    private interface Draw {
        void item(SplittableRandom r, double[] ab);
    }

    private record Result(String name, int pairedCovered, double pairedWidth, int unpairedCovered, double unpairedWidth) {
    }

    private static Result coverage(String name, int n, double truth, Draw draw) {
        int pairedCovered = 0;
        int unpairedCovered = 0;
        double pairedWidth = 0;
        double unpairedWidth = 0;
        boolean binary = name.startsWith("0/1");
        for (int trial = 0; trial < TRIALS; trial++) {
            SplittableRandom r = new SplittableRandom(1_000_003L * trial + 17);
            double[] a = new double[n];
            double[] b = new double[n];
            double[] ab = new double[2];
            for (int i = 0; i < n; i++) {
                draw.item(r, ab);
                a[i] = ab[0];
                b[i] = ab[1];
            }
            Estimate p = PairedStatistics.compare(a, b, 0.95, 2000, trial);
            pairedCovered += p.ciLow() <= truth && truth <= p.ciHigh() ? 1 : 0;
            pairedWidth += p.ciHigh() - p.ciLow();
            Estimate u = binary ? UnpairedStatistics.twoProportion(mean(a), n, mean(b), n, 0.95)
                    : UnpairedStatistics.runToRun(a, b, 0.95);
            unpairedCovered += u.ciLow() <= truth && truth <= u.ciHigh() ? 1 : 0;
            unpairedWidth += u.ciHigh() - u.ciLow();
        }
        return new Result(name, pairedCovered, pairedWidth, unpairedCovered, unpairedWidth);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    @Test
    void storage_and_ingest_of_10k_items_per_result() throws Exception {
        int results = 100;
        int items = 10_000;
        SplittableRandom r = new SplittableRandom(42);
        List<BenchmarkResult> batch = new ArrayList<>(results);
        Instant t0 = Instant.parse("2026-06-01T00:00:00Z");
        for (int k = 0; k < results; k++) {
            List<ExampleOutcome> ex = new ArrayList<>(items);
            double sum = 0;
            for (int i = 0; i < items; i++) {
                double score = r.nextDouble() < 0.8 ? 1 : 0;
                sum += score;
                ex.add(new ExampleOutcome(String.format(Locale.ROOT, "item-%05d", i), score,
                        Map.of("topic", "t" + (i % 12))));
            }
            batch.add(BenchmarkResult.builder("model-" + (k % 4), "eval-v1").environment("ci")
                    .runAt(t0.plusSeconds(600L * k)).runId("run-" + k).metric("accuracy", sum / items)
                    .examples(ex).build());
        }
        try (Benchmon bm = TestDatabases.fresh()) {
            double copySeconds = rawCopy(bm, batch);
            long baselineBytes = size(bm, "item_rows_baseline");

            long start = System.nanoTime();
            List<Long> ids = new ArrayList<>();
            for (BenchmarkResult result : batch) {
                ids.add(bm.record(result).transactionId());
            }
            double ingestSeconds = (System.nanoTime() - start) / 1e9;
            long outcomeBytes = size(bm, "example_outcomes");
            long itemBytes = size(bm, "example_items");
            long logBytesWith = bm.jdbi().withHandle(h -> h.createQuery(
                    "SELECT sum(pg_column_size(t.*)) FROM benchmark_transactions t").mapTo(Long.class).one());
            long stored = bm.jdbi().withHandle(h -> h.createQuery("SELECT sum(item_count) FROM example_outcomes")
                    .mapTo(Long.class).one());
            assertThat(stored).isEqualTo((long) results * items);
            // The same results without examples, for the log's row size.
            try (Benchmon plain = TestDatabases.fresh()) {
                for (BenchmarkResult result : batch) {
                    plain.record(result.toBuilder().examples(List.of()).build());
                }
                long logBytesWithout = plain.jdbi().withHandle(h -> h.createQuery(
                        "SELECT sum(pg_column_size(t.*)) FROM benchmark_transactions t").mapTo(Long.class).one());

                long compareStart = System.nanoTime();
                var c = bm.comparison(ids.get(0), ids.get(4), CompareOptions.defaults());
                double compareMs = (System.nanoTime() - compareStart) / 1e6;
                assertThat(c.summary().stringColumn("method").get(0)).isEqualTo("paired_bootstrap+mcnemar_exact");

                double n = (double) results * items;
                System.out.printf(Locale.ROOT, "%nPER-EXAMPLE OUTCOMES (%d results x %,d items = %,d outcomes, 12 slices)%n",
                        results, items, (long) n);
                System.out.printf(Locale.ROOT, "  %-58s %10s %14s %8s%n", "", "bytes/item", "items/s", "ratio");
                System.out.printf(Locale.ROOT, "  %-58s %10.1f %,14.0f %8s%n",
                        "baseline: COPY into one row per (result, item) + PK", baselineBytes / n, n / copySeconds, "1.00x");
                System.out.printf(Locale.ROOT, "  %-58s %10.1f %,14.0f %7.2fx%n",
                        "benchmon: record() per result, arrays + interned items",
                        (outcomeBytes + itemBytes) / n, n / ingestSeconds, (outcomeBytes + itemBytes) / (double) baselineBytes);
                System.out.printf(Locale.ROOT, "    of which example_outcomes %.1f B/item, example_items (once per dataset) %,d B%n",
                        outcomeBytes / n, itemBytes);
                System.out.printf(Locale.ROOT, "  ingest: %.2f s for %d results = %.0f ms per result of 10,000 items "
                        + "(baseline COPY %.2f s: %.1fx the time)%n", ingestSeconds, results, 1000 * ingestSeconds / results,
                        copySeconds, ingestSeconds / copySeconds);
                System.out.printf(Locale.ROOT, "  log rows: %,d bytes with examples, %,d without (the log never holds them)%n",
                        logBytesWith, logBytesWithout);
                System.out.printf(Locale.ROOT, "  paired comparison of two stored results (10,000 items, 2,000 resamples, "
                        + "12 slices): %.0f ms%n", compareMs);
            }
        }
    }

    private static long size(Benchmon bm, String table) {
        return bm.jdbi().withHandle(h -> {
            h.execute("VACUUM ANALYZE " + table);
            return h.createQuery("SELECT pg_total_relation_size(CAST(:t AS regclass))").bind("t", table)
                    .mapTo(Long.class).one();
        });
    }

    private static double rawCopy(Benchmon bm, List<BenchmarkResult> batch) throws Exception {
        StringBuilder tsv = new StringBuilder();
        for (int k = 0; k < batch.size(); k++) {
            List<ExampleOutcome> ex = batch.get(k).examples();
            for (int i = 0; i < ex.size(); i++) {
                tsv.append(k + 1).append('\t').append(i + 1).append('\t').append(ex.get(i).score()).append('\n');
            }
        }
        try (Connection c = bm.database().dataSource().getConnection()) {
            c.createStatement().execute("CREATE TABLE item_rows_baseline (transaction_id bigint, item_id integer, "
                    + "score float8, PRIMARY KEY (transaction_id, item_id))");
            long start = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY item_rows_baseline FROM STDIN", new StringReader(tsv.toString()));
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
