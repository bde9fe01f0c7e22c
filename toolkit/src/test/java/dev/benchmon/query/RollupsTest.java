package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daily rollups (V9, R__rollup_functions.sql) answer trends, comparisons and run counts exactly as
 * the same aggregates over the log do: for a database upgraded with its data, and after new writes
 * that merge into existing days. The expected answers are computed here with avg, stddev_samp, min,
 * max and count over the raw log.
 */
class RollupsTest {
    private static final Path SQL = Path.of("..", "sql", "migrations");
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    /** A window that starts and ends inside days, so both edges come from the log. */
    private static final Instant SINCE = Instant.parse("2026-03-04T07:30:00Z");
    private static final Instant UNTIL = Instant.parse("2026-03-25T15:10:00Z");

    @Test
    void an_upgraded_database_with_data_answers_trends_comparisons_and_counts_as_its_log_does() throws Exception {
        String url = TestDatabases.freshDatabaseUrl();
        // A database from before the rollups (versions 1 to 8, applied by hand), with results in its log.
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            try (var files = Files.list(SQL)) {
                for (Path f : files.filter(f -> f.getFileName().toString().matches("V[1-8]__.*\\.sql")).sorted().toList()) {
                    st.execute(Files.readString(f));
                }
            }
            for (String json : batches(1, 400)) {
                st.execute("""
                        INSERT INTO benchmark_transactions (idempotency_key, model_version, dataset_version, environment,
                                                            metrics, run_at, run_id, commit_sha)
                        SELECT gen_random_uuid()::text, r ->> 'model_version', r ->> 'dataset_version', r ->> 'environment',
                               r -> 'metrics', (r ->> 'run_at')::timestamptz, r ->> 'run_id', r ->> 'commit_sha'
                        FROM jsonb_array_elements('%s'::jsonb) r""".formatted(json));
            }
            st.execute(TestDatabases.SNAPSHOTS_FROM_LOG);
        }
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password())) {
            long cells = bm.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM benchmark_rollups_daily")
                    .mapTo(Long.class).one());
            assertThat(cells).isPositive();
            assertAnswersEqualTheLog(bm);
        }
    }

    @Test
    void new_results_fold_into_existing_days_and_the_answers_still_equal_the_log() {
        try (Benchmon bm = TestDatabases.fresh()) {
            bm.recordAll(results(2, 300));
            bm.recordAll(results(3, 1)); // one at a time through the same trigger
            for (BenchmarkResult r : results(4, 50)) {
                bm.record(r);
            }
            bm.importAll(results(5, 300), n -> { });
            assertAnswersEqualTheLog(bm);
        }
    }

    @Test
    void rebuilding_the_rollups_from_the_log_gives_the_cells_the_writes_kept() {
        try (Benchmon bm = TestDatabases.fresh()) {
            bm.recordAll(results(6, 200));
            for (BenchmarkResult r : results(7, 40)) {
                bm.record(r);
            }
            Jdbi jdbi = bm.jdbi();
            String cellsSql = "SELECT series_id, metric_id, day, n, round(sum::numeric, 9) AS s, round(sum_sq_dev::numeric, 9) AS q, min, max, "
                    + "last_transaction_id, last_value FROM benchmark_rollups_daily ORDER BY 1, 2, 3";
            List<Map<String, Object>> kept = jdbi.withHandle(h -> h.createQuery(cellsSql).mapToMap().list());
            jdbi.useHandle(h -> h.execute("SELECT rebuild_benchmark_rollups()"));
            List<Map<String, Object>> rebuilt = jdbi.withHandle(h -> h.createQuery(cellsSql).mapToMap().list());
            assertThat(rebuilt).isEqualTo(kept);
        }
    }

    @Test
    void a_metric_name_that_another_writer_registered_first_is_rolled_up_once_that_writer_commits() throws Exception {
        String url = TestDatabases.freshDatabaseUrl();
        try (Benchmon bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password());
             Connection first = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password())) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            bm.record(BenchmarkResult.builder("a", "d").runAt(now.minusSeconds(60)).metric("f1", 0.5).build());
            // The first writer's insert registers the new name and keeps its transaction open.
            first.setAutoCommit(false);
            try (Statement st = first.createStatement()) {
                st.execute("INSERT INTO benchmark_log (series_id, idempotency_key, metrics, run_at) SELECT s.id, "
                        + "gen_random_uuid(), '{\"shared_new\": 1}', now() - interval '30 seconds' FROM series s WHERE s.model_version = 'a'");
            }
            // A second writer, of another series, needs the same name: it waits for the first.
            CompletableFuture<Void> second = CompletableFuture.runAsync(() ->
                    bm.record(BenchmarkResult.builder("b", "d").runAt(now.minusSeconds(10)).metric("shared_new", 2).build()));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (bm.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND wait_event_type = 'Lock'").mapTo(Integer.class).one()) == 0) {
                assertThat(System.nanoTime()).as("the second writer waits for the first").isLessThan(deadline);
                assertThat(second).isNotDone();
                Thread.sleep(20);
            }
            first.commit();
            second.get(10, TimeUnit.SECONDS);
            List<String> cells = bm.jdbi().withHandle(h -> h.createQuery("""
                    SELECT s.model_version || ' ' || r.n || ' ' || r.sum FROM benchmark_rollups_daily r
                    JOIN series s ON s.id = r.series_id JOIN metric_names mn ON mn.id = r.metric_id
                    WHERE mn.name = 'shared_new' ORDER BY 1""").mapTo(String.class).list());
            assertThat(cells).containsExactly("a 1 1", "b 1 2");
        }
    }

    private static void assertAnswersEqualTheLog(Benchmon bm) {
        for (Filter f : List.of(Filter.all().withSince(SINCE).withUntil(UNTIL),
                Filter.all().withModels("m0", "m2").withSince(SINCE),
                Filter.all().withEnvironments("gpu").withUntil(UNTIL),
                Filter.all().withSince(Instant.parse("2026-03-10T01:00:00Z")).withUntil(Instant.parse("2026-03-10T23:00:00Z")),
                Filter.all())) {
            assertThat(trend(bm.timeSeries(f, "f1", Bucket.DAY))).as("daily trend of %s", f)
                    .isEqualTo(expectedTrend(bm.jdbi(), f, "day"));
            assertThat(trend(bm.timeSeries(f, "latency_ms", Bucket.WEEK))).as("weekly trend of %s", f)
                    .isEqualTo(expectedTrend(bm.jdbi(), f, "week"));
            // pooled over datasets and environments, as the log query below aggregates
            assertThat(comparison(bm.compareModels(f.models().isEmpty() ? f.withModels("m0", "m1", "m2", "m3") : f,
                    dev.benchmon.compare.CompareOptions.defaults().withPooled(true))))
                    .as("comparison of %s", f).isEqualTo(expectedComparison(bm.jdbi(), f));
            assertThat(bm.summary(f).runs()).as("runs of %s", f).isEqualTo(expectedRuns(bm.jdbi(), f));
        }
    }

    // ---- what the log says ------------------------------------------------------------------------

    private static final String LOG_WHERE = """
             (CAST(:models AS text[]) IS NULL OR t.model_version = ANY (CAST(:models AS text[])))
             AND (CAST(:envs AS text[]) IS NULL OR t.environment = ANY (CAST(:envs AS text[])))
             AND (CAST(:since AS timestamptz) IS NULL OR t.run_at >= CAST(:since AS timestamptz))
             AND (CAST(:until AS timestamptz) IS NULL OR t.run_at < CAST(:until AS timestamptz))""";

    private static Map<String, Figures> expectedTrend(Jdbi jdbi, Filter f, String unit) {
        String metric = unit.equals("day") ? "f1" : "latency_ms";
        return jdbi.withHandle(h -> bindFilter(h.createQuery("""
                SELECT date_trunc(:unit, t.run_at) AS bucket, t.model_version, t.dataset_version, t.prompt_version,
                       t.environment, avg(v) AS mean, min(v) AS min, max(v) AS max,
                       stddev_samp(v) AS stddev, count(*)::int AS count,
                       (array_agg(t.commit_sha ORDER BY t.run_at DESC, t.id DESC))[1] AS last_commit_sha
                FROM benchmark_transactions t CROSS JOIN LATERAL (SELECT (t.metrics ->> :metric)::float8 AS v) x
                WHERE x.v IS NOT NULL AND""" + LOG_WHERE + " GROUP BY 1, 2, 3, 4, 5"), f)
                .bind("unit", unit).bind("metric", metric)
                .map((rs, ctx) -> Map.entry(rs.getObject("bucket", OffsetDateTime.class).toInstant() + " "
                                + series(rs.getString("model_version"), rs.getString("dataset_version"),
                                rs.getString("prompt_version"), rs.getString("environment")),
                        line(rs.getDouble("mean"), rs.getDouble("min"), rs.getDouble("max"), (Double) rs.getObject("stddev"),
                                rs.getInt("count"), rs.getString("last_commit_sha"))))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new)));
    }

    private static Map<String, Figures> expectedComparison(Jdbi jdbi, Filter f) {
        Filter g = f.models().isEmpty() ? f.withModels("m0", "m1", "m2", "m3") : f;
        return jdbi.withHandle(h -> bindFilter(h.createQuery("""
                SELECT t.model_version, m.key AS metric, count(*)::int AS n, avg((m.value #>> '{}')::float8) AS mean,
                       stddev_samp((m.value #>> '{}')::float8) AS stddev, min((m.value #>> '{}')::float8) AS min,
                       max((m.value #>> '{}')::float8) AS max,
                       (array_agg((m.value #>> '{}')::float8 ORDER BY t.run_at DESC, t.id DESC))[1] AS last
                FROM benchmark_transactions t CROSS JOIN LATERAL jsonb_each(t.metrics) AS m(key, value)
                WHERE""" + LOG_WHERE + " GROUP BY 1, 2"), g)
                .map((rs, ctx) -> Map.entry(rs.getString("model_version") + " " + rs.getString("metric"),
                        line(rs.getDouble("mean"), rs.getDouble("min"), rs.getDouble("max"), (Double) rs.getObject("stddev"),
                                rs.getInt("n"), String.valueOf(rs.getDouble("last")))))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new)));
    }

    private static long expectedRuns(Jdbi jdbi, Filter f) {
        return jdbi.withHandle(h -> bindFilter(h.createQuery("SELECT count(*) FROM benchmark_transactions t WHERE" + LOG_WHERE), f)
                .mapTo(Long.class).one());
    }

    private static org.jdbi.v3.core.statement.Query bindFilter(org.jdbi.v3.core.statement.Query q, Filter f) {
        return q.bind("models", f.models().isEmpty() ? null : f.models().toArray(String[]::new))
                .bind("envs", f.environments().isEmpty() ? null : f.environments().toArray(String[]::new))
                .bind("since", f.since() == null ? null : OffsetDateTime.ofInstant(f.since(), ZoneOffset.UTC))
                .bind("until", f.until() == null ? null : OffsetDateTime.ofInstant(f.until(), ZoneOffset.UTC));
    }

    // ---- what benchmon says -----------------------------------------------------------------------

    /** A trend line's key: one line per series. */
    private static String series(String model, String dataset, String prompt, String environment) {
        return model + " / " + dataset + " / " + prompt + " @" + environment;
    }

    private static Map<String, Figures> trend(Table t) {
        Map<String, Figures> out = new TreeMap<>();
        for (Row r : t) {
            out.put(r.getInstant("bucket") + " " + series(r.getString("model_version"), r.getString("dataset_version"),
                            r.getString("prompt_version"), r.getString("environment")),
                    line(r.getDouble("mean"), r.getDouble("min"), r.getDouble("max"), nullable(r.getDouble("stddev")),
                            r.getInt("count"), r.getString("last_commit_sha")));
        }
        return out;
    }

    private static Map<String, Figures> comparison(Table t) {
        Map<String, Figures> out = new TreeMap<>();
        for (Row r : t) {
            out.put(r.getString("model_version") + " " + r.getString("metric"),
                    line(r.getDouble("mean"), r.getDouble("min"), r.getDouble("max"), nullable(r.getDouble("stddev")),
                            r.getInt("n"), String.valueOf(r.getDouble("last"))));
        }
        return out;
    }

    private static Double nullable(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** One group's figures; equal when counts, extremes and last agree and mean and stddev agree to 1e-9 relative. */
    private record Figures(double mean, double min, double max, Double stddev, int n, String last) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Figures f && close(mean, f.mean) && min == f.min && max == f.max && n == f.n
                    && java.util.Objects.equals(last, f.last)
                    && (stddev == null ? f.stddev == null : f.stddev != null && close(stddev, f.stddev));
        }

        @Override
        public int hashCode() {
            return n;
        }

        private static boolean close(double a, double b) {
            return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-15;
        }
    }

    private static Figures line(double mean, double min, double max, Double stddev, int n, String last) {
        return new Figures(mean, min, max, stddev, n, last);
    }

    // ---- data -------------------------------------------------------------------------------------

    /** {@code n} results over four weeks of March, in random order, of 4 models x 2 datasets x 2 environments. */
    private static List<BenchmarkResult> results(long seed, int n) {
        Random rnd = new Random(seed);
        List<BenchmarkResult> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int s = rnd.nextInt(16);
            Instant at = T0.plusSeconds(rnd.nextInt(28 * 24 * 3600));
            BenchmarkResult.Builder b = BenchmarkResult.builder("m" + s % 4, "d" + (s / 4) % 2)
                    .environment(s >= 8 ? "gpu" : "ci").runAt(at).runId(seed + "-" + i)
                    .commitSha(String.format(Locale.ROOT, "%08x", rnd.nextInt()))
                    .metric("f1", 0.8 + rnd.nextGaussian() * 0.01)
                    .metric("latency_ms", 400 + rnd.nextGaussian() * 0.01);
            if (rnd.nextInt(5) > 0) {
                b.metric("recall", 0.7 + rnd.nextDouble() / 10);
            }
            out.add(b.build());
        }
        return out;
    }

    /** The results as JSON arrays of 100 in the shape upsert_benchmark_results takes, quoted for a SQL literal. */
    private static List<String> batches(long seed, int n) {
        List<BenchmarkResult> all = results(seed, n);
        List<String> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += 100) {
            StringBuilder sb = new StringBuilder("[");
            for (BenchmarkResult r : all.subList(from, Math.min(all.size(), from + 100))) {
                StringBuilder metrics = new StringBuilder("{");
                r.metrics().forEach((k, v) -> metrics.append(metrics.length() > 1 ? "," : "").append('"').append(k)
                        .append("\":").append(v));
                sb.append(sb.length() > 1 ? "," : "").append(String.format(Locale.ROOT,
                        "{\"model_version\":\"%s\",\"dataset_version\":\"%s\",\"environment\":\"%s\",\"run_at\":\"%s\","
                                + "\"run_id\":\"%s\",\"commit_sha\":\"%s\",\"metrics\":%s}",
                        r.modelVersion(), r.datasetVersion(), r.environment(), r.runAt(), r.runId(), r.commitSha(),
                        metrics.append('}')));
            }
            out.add(sb.append(']').toString());
        }
        return out;
    }
}
