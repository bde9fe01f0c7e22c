package dev.benchmon.server.benchmarks;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.server.cli.Main;
import dev.benchmon.server.support.TestServer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * benchmon at 1M (default) or 10M results ({@code -Dbenchmon.scale=10m}) of the users' shape (see
 * {@link ScaleData}): every row of issue 9's table, each beside raw SQL for the same answer measured in
 * the same run on the same database, and the ratio. Nothing is asserted against a clock.
 *
 * <p>Run: {@code ./mvnw -B -o -pl server -am -Pbenchmarks test -Dtest=ScaleBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false} (add {@code -Dbenchmon.scale=10m} for 10M; it loads the
 * machine for many minutes; {@code -Dbenchmon.scale.results=100000} for any size,
 * {@code -Dbenchmon.scale.reads=false} for the write and storage rows only). Sizes of the write rows: {@code -Dbenchmon.scale.import=50000} results
 * imported, {@code -Dbenchmon.scale.pushBatches=2} requests of 10,000, {@code -Dbenchmon.scale.singles=200}
 * single POSTs per client. The bulk is COPYed (the product's write path is measured separately, on top).
 * A smaller run: {@code -Dbenchmon.scale=100k}. The read rows are served by a separate {@code benchmon serve}
 * process with the launcher's heap options ({@link ServeProcess}), whose peak RSS is printed; its warm-up rounds
 * {@code -Dbenchmon.scale.warmup=100} and read load {@code -Dbenchmon.scale.readLoad=25} requests per client.
 * After the read rows, 5,000 models and 1,000 metric names are added and the pages measured again.
 */
@Tag("benchmark")
class ScaleBenchmark {
    private static final int CLIENTS = 8;
    /** Most warm-up rounds (100 POSTs per client each) before the single-POST row ({@link #singlesRow}). */
    private static final int SINGLES_WARMUP_MAX_ROUNDS = 12;
    /**
     * Results the single-POST warm-up may send at most (and milliseconds of run_at it spans): the measured POSTs' keys
     * and times start after them, so that none is a warm-up's result again or a late run.
     */
    private static final int WARMUP_SPAN = (SINGLES_WARMUP_MAX_ROUNDS + 1) * CLIENTS * 100;
    private static final int READ_REPEATS = 11;
    private static final int WARMUP_ROUNDS = Integer.getInteger("benchmon.scale.warmup", 100);
    /** Rounds of the reads between two looks at the server's JIT ({@link #jitQuietRow}). */
    private static final int QUIET_BATCH = 20;
    /** Methods compiled in a batch below which the server's JIT counts as quiet. */
    private static final int QUIET_COMPILATIONS = 5;
    private static final int QUIET_MAX_BATCHES = 15;
    /** The warm-up rounds whose history answers make the just-started row. */
    private static final int COLD_ROUNDS = Math.min(READ_REPEATS, WARMUP_ROUNDS);

    private final long total = parseScale(System.getProperty("benchmon.scale.results", System.getProperty("benchmon.scale", "1m")));
    private final boolean reads = Boolean.parseBoolean(System.getProperty("benchmon.scale.reads", "true"));
    private final int importN = Integer.getInteger("benchmon.scale.import", 50_000);
    private final int pushBatches = Integer.getInteger("benchmon.scale.pushBatches", 2);
    private final int singles = Integer.getInteger("benchmon.scale.singles", 200);
    private final ScaleData data = new ScaleData(42, Instant.now().truncatedTo(ChronoUnit.HOURS));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String[]> table = new ArrayList<>();

    @Test
    void scale() throws Exception {
        Path dir = Files.createTempDirectory("benchmon-scale");
        try (TestServer server = TestServer.start()) {
            Jdbi jdbi = server.benchmon().jdbi();
            long t0 = System.nanoTime();
            bulkLoad(server);
            System.out.printf(Locale.ROOT, "%nSCALE: bulk of %,d results loaded in %.1f s%n", total, (System.nanoTime() - t0) / 1e9);

            importRow(dir);
            importMemoryRows(dir);
            pushRow(server, jdbi);
            singlesRow(server, jdbi);
            if (reads) {
                readRows(server, jdbi);
            }
            storageRows(jdbi);
            pushFloorRow(server);
            print();
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- the bulk -------------------------------------------------------------------------------

    /**
     * COPY into a plain staging table, then into the log's schema (v2) with set-based SQL: series,
     * the months' partitions, log rows (secondary indexes dropped for the load and built once after,
     * the usual bulk-load practice), keys, snapshots; the rollups follow by the log's trigger.
     */
    private void bulkLoad(TestServer server) throws Exception {
        try (Connection c = server.benchmon().database().dataSource().getConnection()) {
            List<String> indexes = new ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                    SELECT indexdef FROM pg_indexes i
                    WHERE i.tablename = 'benchmark_log' AND i.schemaname = current_schema()
                      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)""")) {
                while (rs.next()) {
                    indexes.add(rs.getString(1));
                }
            }
            try (Statement st = c.createStatement()) {
                for (String def : indexes) {
                    st.execute("DROP INDEX " + def.replaceAll("^CREATE (UNIQUE )?INDEX (\\S+) ON .*$", "$2"));
                }
                st.execute(plainTable("bulk_staging").replace("CREATE TABLE", "CREATE UNLOGGED TABLE"));
            }
            c.setAutoCommit(false);
            int parts = (int) Math.max(10, total / 200_000);
            for (int p = 0; p < parts; p++) {
                data.copyInto(c, "bulk_staging", total * p / parts, total * (p + 1) / parts, total, "bulk-");
                c.commit();
            }
            try (Statement st = c.createStatement()) {
                st.execute("""
                        INSERT INTO series (model_version, dataset_version, prompt_version, environment)
                        SELECT DISTINCT model_version, dataset_version, prompt_version, environment FROM bulk_staging
                        ON CONFLICT DO NOTHING""");
                st.execute("SELECT benchmon_ensure_log_partitions(ARRAY(SELECT DISTINCT date_trunc('day', run_at) FROM bulk_staging))");
                c.commit();
                for (int p = 0; p < parts; p++) {
                    // In slices, so that each statement's rollups fold a bounded transition table.
                    st.execute(String.format(Locale.ROOT, """
                            INSERT INTO benchmark_log (series_id, run_at, recorded_at, idempotency_key, model_provider,
                                                       metrics, commit_sha, branch, run_id, triggered_by)
                            SELECT s.id, b.run_at, b.recorded_at, benchmark_key_uuid(b.idempotency_key), b.model_provider,
                                   b.metrics, b.commit_sha, b.branch, b.run_id, b.triggered_by
                            FROM bulk_staging b
                            JOIN series s ON s.model_version = b.model_version AND s.dataset_version = b.dataset_version
                                         AND s.prompt_version = b.prompt_version AND s.environment = b.environment
                            WHERE b.ctid >= '(%d,0)' AND b.ctid < '(%d,0)'
                            ORDER BY b.run_at""", pageOf(c, p, parts), pageOf(c, p + 1, parts)));
                    c.commit();
                }
                st.execute("INSERT INTO benchmark_result_keys SELECT idempotency_key, id FROM benchmark_log");
                for (String def : indexes) {
                    // pg_indexes shows a partitioned index as "ON ONLY" the parent: created that way it would
                    // stay invalid and build no index on the months.
                    st.execute(def.replace(" ON ONLY ", " ON "));
                }
                c.commit();
                st.execute("""
                        INSERT INTO benchmark_snapshots (model_version, dataset_version, prompt_version, environment,
                               model_provider, metrics, commit_sha, branch, run_id, transaction_id, run_at, run_count,
                               first_seen, last_seen)
                        SELECT s.model_version, s.dataset_version, s.prompt_version, s.environment, l.model_provider,
                               l.metrics, l.commit_sha, l.branch, l.run_id, l.id, l.run_at, a.n, a.first_seen, a.last_seen
                        FROM (SELECT series_id, count(*) AS n, min(run_at) AS first_seen, max(run_at) AS last_seen
                              FROM benchmark_log GROUP BY 1) a
                        JOIN series s ON s.id = a.series_id
                        CROSS JOIN LATERAL (SELECT t.* FROM benchmark_log t WHERE t.series_id = a.series_id
                              ORDER BY t.run_at DESC, t.id DESC LIMIT 1) l""");
                st.execute("DROP TABLE bulk_staging");
                c.commit();
                c.setAutoCommit(true);
                st.execute("VACUUM ANALYZE");
            }
        }
    }

    /**
     * The floor under the write rows: the rows of plain table {@code staging} stored as the product stores them, by
     * set-based SQL alone (the series, the months' partitions, the log with its indexes and the daily rollups its
     * trigger keeps, the idempotency keys, the snapshots), in one transaction. No JSON is parsed, nothing validated,
     * no run keys or attempts numbered, nothing judged or alerted: what issue 9's "raw SQL for the same answer" costs
     * for a write. Committed when {@code keep}, else rolled back (a write row onto the bulk leaves the bulk as it was).
     *
     * @return the seconds the statements took (the commit included when kept)
     */
    private static double storeBySql(Connection c, String staging, boolean keep) throws SQLException {
        c.setAutoCommit(false);
        long s = System.nanoTime();
        try (Statement st = c.createStatement()) {
            st.execute("INSERT INTO series (model_version, dataset_version, prompt_version, environment) SELECT DISTINCT "
                    + "model_version, dataset_version, prompt_version, environment FROM " + staging + " ON CONFLICT DO NOTHING");
            st.execute("SELECT benchmon_ensure_log_partitions(ARRAY(SELECT DISTINCT date_trunc('month', run_at AT TIME ZONE 'UTC') "
                    + "AT TIME ZONE 'UTC' FROM " + staging + "))"); // the UTC months, as the product's
            st.execute("""
                    WITH stored AS (
                        INSERT INTO benchmark_log (series_id, run_at, recorded_at, idempotency_key, model_provider,
                                                   metrics, commit_sha, branch, run_id, triggered_by)
                        SELECT s.id, b.run_at, b.recorded_at, benchmark_key_uuid(b.idempotency_key), b.model_provider,
                               b.metrics, b.commit_sha, b.branch, b.run_id, b.triggered_by
                        FROM %s b
                        JOIN series s ON s.model_version = b.model_version AND s.dataset_version = b.dataset_version
                                     AND s.prompt_version = b.prompt_version AND s.environment = b.environment
                        ORDER BY b.run_at
                        RETURNING id, idempotency_key, series_id, run_at, model_provider, metrics, commit_sha, branch, run_id),
                    keyed AS (INSERT INTO benchmark_result_keys SELECT idempotency_key, id FROM stored)
                    INSERT INTO benchmark_snapshots AS n (model_version, dataset_version, prompt_version, environment,
                           model_provider, metrics, commit_sha, branch, run_id, transaction_id, run_at, run_count,
                           first_seen, last_seen)
                    SELECT DISTINCT ON (l.series_id) r.model_version, r.dataset_version, r.prompt_version, r.environment,
                           l.model_provider, l.metrics, l.commit_sha, l.branch, l.run_id, l.id, l.run_at,
                           count(*) OVER w, min(l.run_at) OVER w, max(l.run_at) OVER w
                    FROM stored l JOIN series r ON r.id = l.series_id
                    WINDOW w AS (PARTITION BY l.series_id)
                    ORDER BY l.series_id, l.run_at DESC, l.id DESC
                    ON CONFLICT (model_version, dataset_version, prompt_version, environment) DO UPDATE SET
                        run_count = n.run_count + excluded.run_count,
                        first_seen = least(n.first_seen, excluded.first_seen),
                        last_seen = greatest(n.last_seen, excluded.last_seen),
                        (metrics, model_provider, commit_sha, branch, run_id, transaction_id, run_at) = (
                            SELECT CASE WHEN m THEN excluded.metrics ELSE n.metrics END,
                                   CASE WHEN m THEN excluded.model_provider ELSE n.model_provider END,
                                   CASE WHEN m THEN excluded.commit_sha ELSE n.commit_sha END,
                                   CASE WHEN m THEN excluded.branch ELSE n.branch END,
                                   CASE WHEN m THEN excluded.run_id ELSE n.run_id END,
                                   CASE WHEN m THEN excluded.transaction_id ELSE n.transaction_id END,
                                   CASE WHEN m THEN excluded.run_at ELSE n.run_at END
                            FROM (SELECT excluded.run_at > n.run_at AS m) moves)""".formatted(staging));
            if (keep) {
                c.commit();
            }
            return (System.nanoTime() - s) / 1e9;
        } catch (SQLException | RuntimeException e) {
            c.rollback(); // a failure, kept or not: nothing half done, and the failure is the one reported
            throw e;
        } finally {
            if (!keep) {
                c.rollback();
            }
            c.setAutoCommit(true);
        }
    }

    /**
     * The floor row under a write row, at row {@code at} of the table: {@link #storeBySql}'s time beside the COPY, and the
     * product's rate against it.
     */
    private void floorRow(int at, String what, double sqlSeconds, double productSeconds) {
        String[] r = {"  " + what + ": the same rows by set-based SQL into the log, its keys, rollups and snapshots (no parsing, no judging)",
                "-", String.format(Locale.ROOT, "%.2f s", sqlSeconds),
                String.format(Locale.ROOT, "%.3fx its rate", sqlSeconds / productSeconds)};
        table.add(at, r);
        System.out.printf(Locale.ROOT, "  %s: %s | %s | %s%n", (Object[]) r);
    }

    /** The first heap page of slice {@code p} of {@code parts} of the staging table (slices by ctid). */
    private static long pageOf(Connection c, int p, int parts) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_relation_size('bulk_staging') / current_setting('block_size')::int")) {
            rs.next();
            long pages = rs.getLong(1) + 1;
            return pages * p / parts;
        }
    }

    // ---- writes ---------------------------------------------------------------------------------

    /** benchmon import of a JSON Lines file into an empty database vs COPY of the same rows into a plain table. */
    private void importRow(Path dir) throws Exception {
        Path file = importFile(dir, importN);
        String url = TestServer.freshDatabaseUrlWithCredentials();
        // Create the schema first, so the import's time is the import's. The baselines (COPY, then the set-based
        // store of the copied rows) go into their own database: the import finds none of its keys stored.
        String baselineUrl = TestServer.freshDatabaseUrlWithCredentials();
        dev.benchmon.Benchmon.connect(baselineUrl).close();
        dev.benchmon.Benchmon.connect(url).close();
        double copySeconds;
        double sqlSeconds;
        try (dev.benchmon.Benchmon bm = dev.benchmon.Benchmon.connect(baselineUrl);
             Connection c = bm.database().dataSource().getConnection()) {
            c.createStatement().execute(plainTable("copy_import"));
            long s = System.nanoTime();
            data.copyInto(c, "copy_import", 0, importN, importN, "imp-");
            copySeconds = (System.nanoTime() - s) / 1e9;
            sqlSeconds = storeBySql(c, "copy_import", true);
        }
        resetPeakHeap();
        StringWriter out = new StringWriter();
        var cl = Main.commandLine(Map.of(), new ByteArrayInputStream(new byte[0]));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        long s = System.nanoTime();
        int code = cl.execute("import", "--db", url, file.toString());
        double importSeconds = (System.nanoTime() - s) / 1e9;
        assertThat(code).as(out.toString()).isZero();
        long peakMb = peakHeapBytes() / (1 << 20);
        row(String.format(Locale.ROOT, "benchmon import, %,d results (empty database)", importN),
                String.format(Locale.ROOT, "%.1f s (%,.0f/s), peak heap %,d MB", importSeconds, importN / importSeconds, peakMb),
                String.format(Locale.ROOT, "COPY %.2f s", copySeconds),
                String.format(Locale.ROOT, "%.3fx COPY rate", copySeconds / importSeconds));
        floorRow(table.size(), "import", sqlSeconds, importSeconds);
    }

    /** {@code n} results of the seeded generator as a JSON Lines file of the API's format. */
    private Path importFile(Path dir, long n) throws IOException {
        Path file = dir.resolve("import-" + n + ".jsonl");
        try (Writer w = Files.newBufferedWriter(file)) {
            for (long i = 0; i < n; i++) {
                w.write(data.row(i, n).json("imp-"));
                w.write('\n');
            }
        }
        return file;
    }

    /**
     * Bounded memory: {@code benchmon import} as its own JVM with a small heap ({@value #IMPORT_HEAP}) on files of
     * {@code importN} and four times as many results, each into an empty database; its peak resident memory is read
     * from {@code /proc} while it runs. The in-process row's peak heap says little (the benchmark's JVM may grow its
     * heap to gigabytes before it collects): an import that streamed in constant memory finishes both files in the
     * same heap with about the same peak.
     */
    private void importMemoryRows(Path dir) throws Exception {
        for (long n : new long[] {importN, 4L * importN}) {
            Path file = importFile(dir, n);
            String url = TestServer.freshDatabaseUrlWithCredentials();
            dev.benchmon.Benchmon.connect(url).close(); // the schema first, as in the row above
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), IMPORT_HEAP,
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "import", "--db", url, file.toString());
            Path log = dir.resolve("import-" + n + ".log");
            long s = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long peakKb = 0;
            while (!p.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                peakKb = Math.max(peakKb, ServeProcess.memoryOf(p.pid()).peakKb());
            }
            double seconds = (System.nanoTime() - s) / 1e9;
            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
            Files.delete(file);
            row(String.format(Locale.ROOT, "benchmon import in its own JVM (%s), %,d results (empty database)", IMPORT_HEAP, n),
                    String.format(Locale.ROOT, "%.1f s (%,.0f/s), peak RSS %,d MB", seconds, n / seconds, peakKb / 1024), "-", "-");
        }
    }

    private static final String IMPORT_HEAP = "-Xmx128m";

    /** HTTP batch push of requests of 10,000 results onto the big database vs COPY of the same rows into a plain table. */
    private void pushRow(TestServer server, Jdbi jdbi) throws Exception {
        int n = pushBatches * 10_000;
        List<String> bodies = new ArrayList<>();
        for (int b = 0; b < pushBatches; b++) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < 10_000; i++) {
                long k = (long) b * 10_000 + i;
                body.append(i == 0 ? "" : ",").append(data.fresh(k, data.end().plusSeconds(k)).json("push-"));
            }
            bodies.add(body.append(']').toString());
        }
        URI results = URI.create(server.url() + "api/v1/results");
        long s = System.nanoTime();
        for (String body : bodies) {
            HttpResponse<String> r = http.send(post(results, body), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
        double pushSeconds = (System.nanoTime() - s) / 1e9;
        double copySeconds;
        try (Connection c = server.benchmon().database().dataSource().getConnection()) {
            c.createStatement().execute(plainTable("copy_push"));
            long cs = System.nanoTime();
            // the rows the push sent (their series and times; keys of their own), for the floor too (pushFloorRow)
            data.copyInto(c, "copy_push", 0, n, k -> data.fresh(k, data.end().plusSeconds(k)), "pushcopy-");
            copySeconds = (System.nanoTime() - cs) / 1e9;
        }
        row(String.format(Locale.ROOT, "HTTP batch push, %d x 10k, onto %s", pushBatches, scaleName()),
                String.format(Locale.ROOT, "%.1f s (%,.0f results/s)", pushSeconds, n / pushSeconds),
                String.format(Locale.ROOT, "COPY %.2f s", copySeconds),
                String.format(Locale.ROOT, "%.4fx COPY rate", copySeconds / pushSeconds));
        pushFloorAt = table.size();
        this.pushSeconds = pushSeconds;
    }

    /** Where the batch push's floor row goes in the table, and the push's time it is set against. */
    private int pushFloorAt = -1;
    private double pushSeconds;

    /**
     * The batch push's floor ({@link #storeBySql} of the rows it sent, onto the bulk, rolled back), measured after every
     * other row: the rolled-back rows leave dead tuples and split index pages behind, which the storage and read rows
     * would otherwise count. Printed under the push's row.
     */
    private void pushFloorRow(TestServer server) throws SQLException {
        if (pushFloorAt < 0) {
            return;
        }
        double sqlSeconds;
        try (Connection c = server.benchmon().database().dataSource().getConnection()) {
            sqlSeconds = storeBySql(c, "copy_push", false);
        }
        floorRow(pushFloorAt, "batch push", sqlSeconds, pushSeconds);
    }

    /** 8 clients POSTing one result each vs 8 threads each committing one INSERT of a result row. */
    private void singlesRow(TestServer server, Jdbi jdbi) throws Exception {
        URI results = URI.create(server.url() + "api/v1/results");
        long base = 1_000_000_000L;
        Instant at = data.end().plus(6, ChronoUnit.HOURS); // after the bulk and the pushes, within the validator's day ahead
        // Warm-up: a server runs for days, so the row measures it compiled. The detection path's big methods take C2
        // long (JFR, 2026-11-30: DetectionService.judgeRun about 0.5 s a compilation, four times, MetricJudge.noiseAware
        // 0.8 s), and a served process's compiler thread was still busy a few thousand requests in.
        // Rounds of 100 POSTs per client until the JIT is quiet: a round whose compilations took under a tenth of
        // its wall time (this JVM's, which holds the server; CompilationMXBean). One round of 100 was not enough on
        // 2 cores: a C2 thread still took most of a core minutes into a load (JFR, 2026-12-07: 16.5 s of compiling in
        // 25 s), and the row measured the server about 40% below the rate it held once compiled.
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        int warmRounds = 0;
        long warmed = 0;
        boolean quiet = false;
        double compiling = 0; // the share of the last warm-up round's wall time the JIT compiled
        while (!quiet && warmRounds < SINGLES_WARMUP_MAX_ROUNDS) {
            long offset = base + warmed;
            long compiledBefore = jit.getTotalCompilationTime();
            Load.Stats round = Load.measure(CLIENTS, 100, i -> expect(http.send(post(results,
                    data.fresh(offset + i, at.plusMillis(offset - base + i)).json("warm-")),
                    HttpResponse.BodyHandlers.discarding()), 201));
            warmed += round.requests();
            warmRounds++;
            compiling = (jit.getTotalCompilationTime() - compiledBefore) / (round.seconds() * 1000);
            quiet = compiling < 0.1;
        }
        Load.Stats product = Load.measure(CLIENTS, singles, i -> expect(http.send(post(results,
                data.fresh(base + WARMUP_SPAN + i, at.plusSeconds(WARMUP_SPAN / 1000 + i)).json("one-")),
                HttpResponse.BodyHandlers.discarding()), 201));
        jdbi.useHandle(h -> h.execute(plainTable("commit_baseline")));
        var ds = server.benchmon().database().dataSource();
        Load.Stats raw = Load.measure(CLIENTS, singles, i -> {
            try (Connection c = ds.getConnection();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO commit_baseline (" + ScaleData.COLUMNS
                         + ") VALUES (?, ?, ?, '', ?, 'bench', CAST(? AS jsonb), ?, now(), ?, 'main', ?, 'scale')")) {
                ScaleData.Row r = data.fresh(base + 50_000 + i, at);
                ps.setString(1, r.key("raw-"));
                ps.setString(2, ScaleData.model(r.series()));
                ps.setString(3, ScaleData.dataset(r.series()));
                ps.setString(4, ScaleData.environment(r.series()));
                ps.setString(5, r.metricsJson());
                ps.setObject(6, java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC));
                ps.setString(7, ScaleData.commit(i));
                ps.setString(8, "raw-" + i);
                ps.executeUpdate();
            }
        });
        row(String.format(Locale.ROOT, "single-result POST, %d clients x %d (after %,d POSTs of warm-up; the JIT compiled "
                        + "%.0f%% of the last warm-up round's time%s)", CLIENTS, singles, warmed, compiling * 100,
                        quiet ? "" : ", NOT quiet"),
                String.format(Locale.ROOT, "%,.0f req/s, p50 %.1f ms, p99 %.1f ms", product.perSecond(), product.p50(), product.p99()),
                String.format(Locale.ROOT, "INSERT+commit %,.0f/s, p99 %.1f ms", raw.perSecond(), raw.p99()),
                String.format(Locale.ROOT, "%.2fx raw rate", product.perSecond() / raw.perSecond()));
    }

    // ---- reads ----------------------------------------------------------------------------------

    /**
     * The read rows, served by a separate {@code benchmon serve} process with the launcher's memory options on the
     * same database (so its resident memory is the server's alone): first the detection engine's stored verdicts
     * for every series (what {@code /} and the Regressions tab read; the COPYed bulk has none), then each read
     * beside raw SQL for the same answer, the pages, a concurrent read load, and the server's peak RSS.
     */
    private void readRows(TestServer server, Jdbi jdbi) throws Exception {
        long v0 = System.nanoTime();
        int judged = server.benchmon().recomputeDetection();
        System.out.printf(Locale.ROOT, "SCALE: stored verdicts of %,d series in %.1f s%n", judged, (System.nanoTime() - v0) / 1e9);
        jdbi.useHandle(h -> h.execute("VACUUM ANALYZE detection_verdicts"));
        try (ServeProcess serve = ServeProcess.start(server.databaseUrl())) {
            // A fresh JVM: warm its JIT on the same requests first, as a server that has been up for a while is
            // ({@code benchmon.scale.warmup} rounds of every read, default 100). The answers keep getting faster for a
            // few hundred requests (history of 1,000 rows on a copy of the 1M data, 2026-11-30: 20 ms over requests
            // 2-11, 11-13 ms over 12-30, 6-7 ms over 100-200), and the raw side is warmed as long (readRow). What a
            // just-started server answers is printed on its own row, from the first rounds.
            List<Double> coldHistory = new ArrayList<>();
            for (int i = 0; i < WARMUP_ROUNDS; i++) {
                for (String path : readPaths()) {
                    long s = System.nanoTime();
                    expect(http.send(HttpRequest.newBuilder(URI.create(serve.url + path)).GET().build(),
                            HttpResponse.BodyHandlers.ofByteArray()), 200);
                    if (path.equals(historyPath()) && i < COLD_ROUNDS) {
                        coldHistory.add((System.nanoTime() - s) / 1e6);
                    }
                }
            }
            jitQuietRow(serve);
            if (!coldHistory.isEmpty()) { // none with -Dbenchmon.scale.warmup=0
                coldHistory.sort(null);
                int n = coldHistory.size();
                double median = n % 2 == 1 ? coldHistory.get(n / 2) : (coldHistory.get(n / 2 - 1) + coldHistory.get(n / 2)) / 2;
                row(String.format(Locale.ROOT, "history of one series, 1,000 rows: the first %d answers of a just-started server", n),
                        "median " + ms(median), "-", "-");
            }
            measureReads(serve.url, jdbi);
            readLoadRow(serve.url);
            exportAllRow(serve.url, jdbi);
            manyNamesRows(serve.url, server);
            ServeProcess.Memory m = serve.memory();
            row("server RSS, `benchmon serve` process (" + serve.javaOptions + ")",
                    String.format(Locale.ROOT, "peak %,d MB (now %,d MB)", m.peakKb() / 1024, m.nowKb() / 1024),
                    "target 512 MB", String.format(Locale.ROOT, "%.2fx target", m.peakKb() / 1024.0 / 512));
        }
        explain(jdbi);
    }

    /**
     * Steady state, as JMH measures it: after the fixed warm-up rounds, more rounds of the same reads in batches of
     * {@value #QUIET_BATCH} until the server's JIT compiles at most {@value #QUIET_COMPILATIONS} methods in a batch
     * ({@link ServeProcess#jitCompilations}), or {@value #QUIET_MAX_BATCHES} batches. 100 rounds were not enough: C2
     * was still compiling the history path after them (2026-12-02), so the read rows measured a server part-way
     * through its JIT warm-up. The row says how many requests it took, and whether the JIT went quiet.
     */
    /** Rounds of every read the server answered before the read rows: the raw side is warmed as many runs. */
    private int serverWarmRounds = WARMUP_ROUNDS;

    private void jitQuietRow(ServeProcess serve) throws Exception {
        if (WARMUP_ROUNDS == 0) {
            return;
        }
        long before = serve.jitCompilations();
        long last = before;
        int batches = 0;
        long inBatch = Long.MAX_VALUE;
        while (batches < QUIET_MAX_BATCHES && inBatch > QUIET_COMPILATIONS) {
            for (int i = 0; i < QUIET_BATCH; i++) {
                for (String path : readPaths()) {
                    expect(http.send(HttpRequest.newBuilder(URI.create(serve.url + path)).GET().build(),
                            HttpResponse.BodyHandlers.ofByteArray()), 200);
                }
            }
            long now = serve.jitCompilations();
            inBatch = now - last;
            last = now;
            batches++;
        }
        serverWarmRounds = WARMUP_ROUNDS + batches * QUIET_BATCH;
        row(String.format(Locale.ROOT, "server JIT warm-up: %d rounds of the reads, then rounds of %d until a round compiles <= %d methods",
                        WARMUP_ROUNDS, QUIET_BATCH, QUIET_COMPILATIONS),
                String.format(Locale.ROOT, "%s after %,d more rounds (%,d methods compiled; %,d in the last %d)",
                        inBatch <= QUIET_COMPILATIONS ? "quiet" : "NOT quiet", batches * QUIET_BATCH, last - before, inBatch, QUIET_BATCH),
                "-", "-");
    }

    private void measureReads(String url, Jdbi jdbi) throws Exception {
        String m0 = ScaleData.model(0);
        String m1 = ScaleData.model(1);
        String d0 = ScaleData.dataset(0);
        String e0 = ScaleData.environment(0);

        readRow("snapshot (900 series), GET /api/v1/snapshots", url, "api/v1/snapshots", jdbi, SNAPSHOT_SQL);
        readRow("history of one series, 1,000 rows", url, historyPath(), jdbi, historySql(m0, d0, e0));
        readRow("history of all series, newest 1,000 rows", url, NEWEST_PATH, jdbi, newestSql(url));
        readRow("90-day daily trend, one model, f1", url,
                "api/v1/trends?model=" + m0 + "&metric=f1&last=90d&bucket=day", jdbi, """
                SELECT date_trunc('day', t.run_at) AS bucket, t.model_version, avg((t.metrics ->> 'f1')::float8),
                       min((t.metrics ->> 'f1')::float8), max((t.metrics ->> 'f1')::float8),
                       stddev_samp((t.metrics ->> 'f1')::float8), count(*),
                       t.dataset_version, t.prompt_version, t.environment
                FROM benchmark_transactions t
                WHERE t.model_version = '%s' AND t.run_at >= now() - interval '90 days' AND (t.metrics -> 'f1') IS NOT NULL
                GROUP BY 1, 2, 8, 9, 10 ORDER BY 2, 8, 9, 10, 1""".formatted(m0));
        readRow("compare 2 models, 90 days", url, "api/v1/compare?model=" + m0 + "," + m1 + "&last=90d", jdbi, """
                SELECT t.model_version, m.key, count(*), avg((m.value #>> '{}')::float8), stddev_samp((m.value #>> '{}')::float8),
                       min((m.value #>> '{}')::float8), max((m.value #>> '{}')::float8)
                FROM benchmark_transactions t CROSS JOIN LATERAL jsonb_each(t.metrics) m
                WHERE t.model_version IN ('%s', '%s') AND t.run_at >= now() - interval '90 days'
                GROUP BY 1, 2""".formatted(m0, m1));
        pageRow("dashboard /", url, "");
        pageRow("dashboard /trends (one model, 90 days)", url, "trends?model=" + m0 + "&range=90d");
        smallChartRow("dashboard /trends (one model, 90 days)", url, "trends?model=" + m0 + "&range=90d");
        pageRow("dashboard /compare (2 models, 90 days)", url, "compare?model=" + m0 + "&model=" + m1 + "&range=90d");
        pageRow("dashboard /regressions", url, "regressions");
        pageRow("dashboard /compare, no model chosen (90 days)", url, "compare?range=90d");
    }

    /**
     * The pages again after a project's names grow, as issue 9 found them: 5,000 more models (one result each) and
     * W&B-style summaries with 1,000 metric names in all (200 per result, the most one result may hold) on five
     * two-run series; the pages of the big series, and the Trends page of a two-run series with its 200 metrics.
     */
    private void manyNamesRows(String url, TestServer server) throws Exception {
        List<BenchmarkResult> results = new ArrayList<>();
        Instant at = data.end().minus(1, ChronoUnit.HOURS);
        for (int i = 0; i < 5_000; i++) {
            results.add(BenchmarkResult.builder(String.format(Locale.ROOT, "extra-model-%04d", i), "dataset-0")
                    .environment("ci").runAt(at).metric("f1", 0.8 + (i % 7) / 100.0).build());
        }
        // 1,000 metric names in all, at most 200 per result (ResultValidator.MAX_METRICS): the two-run series
        // "wandb-run" reports the first 200, four other two-run models 200 each.
        for (int model = 0; model < 5; model++) {
            for (int run = 0; run < 2; run++) {
                BenchmarkResult.Builder b = BenchmarkResult.builder(
                        model == 0 ? "wandb-run" : "wandb-sweep-" + model, "dataset-0")
                        .environment("ci").runAt(at.minus(run, ChronoUnit.DAYS));
                for (int m = model * 200; m < (model + 1) * 200; m++) {
                    b.metric(String.format(Locale.ROOT, "train/layer_%03d/grad_norm", m), 0.1 + m / 1e4 + run / 1e3);
                }
                results.add(b.build());
            }
        }
        server.benchmon().importAll(results, n -> { });
        String m0 = ScaleData.model(0);
        String m1 = ScaleData.model(1);
        List<String[]> pages = List.of(
                new String[] {"dashboard /", ""},
                new String[] {"dashboard /trends (one model, 90 days)", "trends?model=" + m0 + "&range=90d"},
                new String[] {"dashboard /trends (no model chosen, f1, 90 days)", "trends?metric=f1&range=90d"},
                new String[] {"dashboard /compare (2 models, 90 days)", "compare?model=" + m0 + "&model=" + m1 + "&range=90d"},
                new String[] {"dashboard /compare, no model chosen (90 days)", "compare?range=90d"},
                new String[] {"dashboard /regressions", "regressions"},
                new String[] {"dashboard /trends of a two-run series with 200 metrics", "trends?model=wandb-run&range=all"});
        for (String[] p : pages) {
            for (int i = 0; i < 3; i++) { // warm the new answers up, as the others were
                expect(http.send(HttpRequest.newBuilder(URI.create(url + p[1])).GET().build(), HttpResponse.BodyHandlers.discarding()), 200);
            }
        }
        for (String[] p : pages) {
            pageRow(p[0] + ", with 5,000 more models and 1,000 metric names", url, p[1]);
            if (p[1].startsWith("trends?")) {
                smallChartRow(p[0] + ", with 5,000 more models and 1,000 metric names", url, p[1]);
            }
        }
    }

    private static final String SNAPSHOT_SQL = """
            SELECT s.*, t.commit_sha, t.branch, t.run_id, t.triggered_by, t.tags, t.notes, t.recorded_at
            FROM benchmark_snapshots s JOIN benchmark_log t ON t.id = s.transaction_id AND t.run_at = s.run_at""";

    private static String historySql(String model, String dataset, String environment) {
        // The fastest raw SQL for the answer: the series' id, then its rows by the series index.
        return "SELECT t.* FROM benchmark_log t WHERE t.series_id = (SELECT id FROM series WHERE model_version = '" + model
                + "' AND dataset_version = '" + dataset + "' AND prompt_version = '' AND environment = '" + environment
                + "') ORDER BY t.run_at DESC, t.id DESC LIMIT 1000";
    }

    /** 8 clients reading pages and API answers at once ({@code benchmon.scale.readLoad} requests each, default 25). */
    private void readLoadRow(String url) throws Exception {
        int perClient = Integer.getInteger("benchmon.scale.readLoad", 25);
        List<String> paths = readPaths();
        Load.Stats s = Load.measure(CLIENTS, perClient, i -> expect(http.send(HttpRequest.newBuilder(URI.create(url + paths.get(i % paths.size())))
                .GET().build(), HttpResponse.BodyHandlers.discarding()), 200));
        row(String.format(Locale.ROOT, "read load, %d clients x %d (the pages and API reads above, round robin)", CLIENTS, perClient),
                String.format(Locale.ROOT, "%,.0f req/s, p50 %.1f ms, p99 %.1f ms", s.perSecond(), s.p50(), s.p99()), "-", "-");
    }

    /**
     * A whole database copied out as {@code benchmon export history --all --format jsonl --server} reads it
     * ({@code GET /api/v1/history?limit=all&format=jsonl}, counted as it comes and kept nowhere), beside COPY of the same
     * rows with their series' names, oldest first, to nowhere: how fast every result leaves, and (the RSS row after it)
     * that the server's memory does not grow with the log. Once: at 1M results it is about 25 s.
     */
    private void exportAllRow(String url, Jdbi jdbi) throws Exception {
        long s = System.nanoTime();
        long[] counted = {0, 0};
        HttpResponse<java.io.InputStream> r = expect(http.send(HttpRequest.newBuilder(URI.create(url
                + "api/v1/history?limit=all&format=jsonl")).GET().build(), HttpResponse.BodyHandlers.ofInputStream()), 200);
        try (java.io.InputStream in = r.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                counted[1] += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        counted[0]++;
                    }
                }
            }
        }
        double product = (System.nanoTime() - s) / 1e9;
        double raw = jdbi.withHandle(h -> {
            long c0 = System.nanoTime();
            h.getConnection().unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyOut("""
                    COPY (SELECT s.model_version, s.dataset_version, s.prompt_version, s.environment, l.*
                          FROM benchmark_log l JOIN series s ON s.id = l.series_id ORDER BY l.run_at, l.id) TO STDOUT""",
                    java.io.OutputStream.nullOutputStream());
            return (System.nanoTime() - c0) / 1e9;
        });
        row(String.format(Locale.ROOT, "export history --all, JSON Lines from the server (%,d lines, %,.0f MB)",
                        counted[0], counted[1] / 1e6),
                String.format(Locale.ROOT, "%.1f s (%,.0f results/s)", product, counted[0] / product),
                String.format(Locale.ROOT, "COPY TO %.1f s", raw), String.format(Locale.ROOT, "%.2fx COPY rate", raw / product));
    }

    /** The newest 1,000 results of every series: no index orders the whole log by run_at (FilterSql#boundToNewest). */
    private static final String NEWEST_PATH = "api/v1/history?limit=1000";

    /**
     * The fastest raw SQL for {@link #NEWEST_PATH}'s answer: told the oldest run_at of that answer, as if the writer of
     * the SQL knew it, so the BRIN index reads the answer's days alone (unbounded, the sort of every row took 2.7 s at
     * 1M results).
     */
    private String newestSql(String url) throws Exception {
        byte[] body = expect(http.send(HttpRequest.newBuilder(URI.create(url + NEWEST_PATH)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()), 200).body();
        var rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("rows");
        String oldest = rows.get(rows.size() - 1).get("run_at").asText();
        return "SELECT t.* FROM benchmark_log t WHERE t.run_at >= '" + oldest + "' ORDER BY t.run_at DESC, t.id DESC LIMIT 1000";
    }

    /** The history row's request: one series (all four names), its newest 1,000 results. */
    private static String historyPath() {
        return "api/v1/history?model=" + ScaleData.model(0) + "&dataset=" + ScaleData.dataset(0) + "&environment="
                + ScaleData.environment(0) + "&prompt=&limit=1000";
    }

    /**
     * The pages and API answers of the warm-up and the read load: the same requests the rows measure (a warm-up of
     * the model-only history warmed another code path than the one-series history measured).
     */
    private static List<String> readPaths() {
        String m0 = ScaleData.model(0);
        String m1 = ScaleData.model(1);
        return List.of("", "api/v1/snapshots", "trends?model=" + m0 + "&range=90d", historyPath(),
                "regressions", "api/v1/snapshots?format=csv", NEWEST_PATH, "compare?model=" + m0 + "&model=" + m1 + "&range=90d",
                "api/v1/trends?model=" + m0 + "&metric=f1&last=90d&bucket=day", "api/v1/compare?model=" + m0 + "," + m1 + "&last=90d");
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of the snapshot and history reads, printed after the table for the record. */
    private void explain(Jdbi jdbi) {
        jdbi.useHandle(h -> {
            for (String sql : List.of(SNAPSHOT_SQL, historySql(ScaleData.model(0), ScaleData.dataset(0), ScaleData.environment(0)))) {
                System.out.println("EXPLAIN (ANALYZE, BUFFERS) " + sql.replaceAll("\\s+", " "));
                h.createQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql).mapTo(String.class).list()
                        .forEach(l -> System.out.println("  " + l));
            }
        });
    }

    private void readRow(String what, String base, String path, Jdbi jdbi, String rawSql) throws Exception {
        URI uri = URI.create(base + path);
        // Bytes, not a String: decoding the answer is the client's time, not the server's.
        double product = median(() -> expect(http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()), 200));
        Work rawRead = () -> jdbi.useHandle(h -> readAll(h, rawSql));
        // As warm as the server's answers (readRows), or 10 s of runs for a slow one (its time is the database's).
        long warmUntil = System.nanoTime() + 10_000_000_000L;
        for (int i = 0; i < serverWarmRounds && System.nanoTime() < warmUntil; i++) {
            rawRead.run();
        }
        double raw = median(rawRead);
        row(what, ms(product), ms(raw), String.format(Locale.ROOT, "%.1fx", product / raw));
    }

    private void pageRow(String what, String base, String path) throws Exception {
        URI uri = URI.create(base + path);
        double[] bytes = new double[1];
        double t = median(() -> bytes[0] = expect(http.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofString()), 200).body().length());
        row(what, ms(t) + String.format(Locale.ROOT, " (%,.0f KB)", bytes[0] / 1024), "-", "-");
    }

    /**
     * One small chart of a Trends page as the page's script fetches it ({@code GET /trends/small-chart}, the URL of the
     * page's first placeholder): the page no longer carries its small charts, each costs a request of its own when
     * scrolled near, so the table prints one beside the page, with how many the page has. Warmed up first, as the
     * page's own requests are.
     */
    private void smallChartRow(String page, String base, String pagePath) throws Exception {
        String html = expect(http.send(HttpRequest.newBuilder(URI.create(base + pagePath)).GET().build(),
                HttpResponse.BodyHandlers.ofString()), 200).body();
        Matcher m = Pattern.compile("data-chart-url=\"/([^\"]*)\"").matcher(html);
        List<String> charts = new ArrayList<>();
        while (m.find()) {
            charts.add(m.group(1).replace("&amp;", "&")); // the attribute's escaping: the URL itself is encoded
        }
        String what = page + ": one of its small charts, GET /trends/small-chart";
        if (charts.isEmpty()) {
            row(what, "no small chart on the page", "-", "-");
            return;
        }
        URI first = URI.create(base + charts.get(0));
        for (int i = 0; i < 10; i++) {
            expect(http.send(HttpRequest.newBuilder(first).GET().build(), HttpResponse.BodyHandlers.discarding()), 200);
        }
        pageRow(String.format(Locale.ROOT, "%s (the first of %d; %s)", what, charts.size(),
                URLDecoder.decode(charts.get(0).replaceAll(".*[?&]chart=([^&]*).*", "$1"), StandardCharsets.UTF_8)),
                base, charts.get(0));
    }

    private static void readAll(Handle h, String sql) {
        h.createQuery(sql).map((rs, ctx) -> {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                rs.getString(i);
            }
            return null;
        }).list();
    }

    // ---- storage and memory ---------------------------------------------------------------------

    private void storageRows(Jdbi jdbi) {
        jdbi.useHandle(h -> {
            h.execute("DROP TABLE IF EXISTS plain_log");
            h.execute("CREATE TABLE plain_log AS SELECT " + ScaleData.COLUMNS + ", stderr, sample_sizes, tags, metadata, notes"
                    + " FROM benchmark_transactions");
            long rows = h.createQuery("SELECT count(*) FROM benchmark_transactions").mapTo(Long.class).one();
            // The log: its months with their indexes, the key table, series and snapshots.
            long product = h.createQuery("""
                    SELECT (SELECT sum(pg_total_relation_size(i.inhrelid)) FROM pg_inherits i
                            WHERE i.inhparent = 'benchmark_log'::regclass)
                         + pg_total_relation_size('benchmark_result_keys') + pg_total_relation_size('series')
                         + pg_total_relation_size('benchmark_snapshots')""")
                    .mapTo(Long.class).one();
            long rollups = h.createQuery("""
                    SELECT pg_total_relation_size('benchmark_rollups_daily') + pg_total_relation_size('benchmark_runs_daily')
                         + pg_total_relation_size('metric_names')""")
                    .mapTo(Long.class).one();
            long plain = h.createQuery("SELECT pg_total_relation_size('plain_log')").mapTo(Long.class).one();
            row(String.format(Locale.ROOT, "storage per result with indexes (%,d results): log, keys, series, snapshots", rows),
                    String.format(Locale.ROOT, "%,d B", product / rows), String.format(Locale.ROOT, "plain table %,d B", plain / rows),
                    String.format(Locale.ROOT, "%.2fx", (double) product / plain));
            // Rollups grow with series x metrics x days, not with results: per result they shrink as days fill up.
            row("  + daily rollups (per series, metric and day)", String.format(Locale.ROOT, "%,d B", rollups / rows), "-",
                    String.format(Locale.ROOT, "%.2fx", (double) (product + rollups) / plain));
        });
        row("benchmark JVM RSS (in-process server for the write rows, load generator, generator)", String.format(Locale.ROOT, "%,d MB", rssKb() / 1024),
                String.format(Locale.ROOT, "heap max %,d MB", Runtime.getRuntime().maxMemory() >> 20), "-");
    }

    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException ignored) {
            // not Linux: reported as 0
        }
        return 0;
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private void row(String what, String product, String raw, String ratio) {
        table.add(new String[] {what, product, raw, ratio});
        System.out.printf(Locale.ROOT, "  %s: %s | %s | %s%n", what, product, raw, ratio);
    }

    private void print() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%nSCALE BENCHMARK at %s results (%d series, 5 metrics, a year; embedded PostgreSQL, %d cores, %s)%n",
                scaleName(), ScaleData.SERIES, Runtime.getRuntime().availableProcessors(), Instant.now().truncatedTo(ChronoUnit.MINUTES)));
        sb.append("| what | benchmon | raw SQL, same run | ratio |\n|---|---|---|---|\n");
        for (String[] r : table) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        System.out.println(sb);
    }

    private String scaleName() {
        return total % 1_000_000 == 0 ? (total / 1_000_000) + "M" : String.format(Locale.ROOT, "%,d", total);
    }

    private static long parseScale(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("m")) return Long.parseLong(t.substring(0, t.length() - 1)) * 1_000_000L;
        if (t.endsWith("k")) return Long.parseLong(t.substring(0, t.length() - 1)) * 1_000L;
        return Long.parseLong(t);
    }

    private static String plainTable(String name) {
        return "CREATE TABLE " + name + " (idempotency_key text, model_version text, dataset_version text, prompt_version text, "
                + "environment text, model_provider text, metrics jsonb, run_at timestamptz, recorded_at timestamptz, "
                + "commit_sha text, branch text, run_id text, triggered_by text)";
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%,.1f ms", millis);
    }

    private static <T> HttpResponse<T> expect(HttpResponse<T> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    private static HttpRequest post(URI uri, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private interface Work {
        void run() throws Exception;
    }

    /** Median wall time in ms of {@value #READ_REPEATS} runs after one warm-up. */
    private static double median(Work w) throws Exception {
        w.run();
        double[] ms = new double[READ_REPEATS];
        for (int i = 0; i < READ_REPEATS; i++) {
            long s = System.nanoTime();
            w.run();
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(ms);
        return ms[READ_REPEATS / 2];
    }
}
