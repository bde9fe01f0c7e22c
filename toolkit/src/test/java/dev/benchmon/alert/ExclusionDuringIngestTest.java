package dev.benchmon.alert;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * An exclusion and an ingest of the same series at the same time leave the snapshot on the newest run that counts,
 * whichever commits first: each of them holds its transaction open on one connection while the other runs on another
 * (the annotation through {@code annotate_run}, the ingest through {@code upsert_benchmark_results}, as the toolkit
 * calls them). In READ COMMITTED neither sees the other's uncommitted rows, so without the advisory lock they take
 * (shared by ingests, exclusive by an exclusion: R__alert_functions.sql, R__ingest_functions.sql) the snapshot kept a
 * wrong run until the series' next run.
 */
class ExclusionDuringIngestTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private String url;
    private Benchmon bm;
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @BeforeEach
    void open() {
        url = TestDatabases.freshMigratedDatabaseUrl();
        bm = Benchmon.connect(url, TestDatabases.user(), TestDatabases.password());
    }

    @AfterEach
    void close() {
        other.shutdownNow();
        bm.close();
    }

    @Test
    void excluding_the_newest_run_while_an_older_run_is_being_ingested_moves_the_snapshot_onto_that_run() throws Exception {
        record("m", 1, 0.90);
        long newest = record("m", 3, 0.50);

        long arriving = excludeWhileIngesting(newest, "m", 2, 0.88);

        // Run 1 is older than the run that arrived, which counts: the snapshot shows the latter.
        assertThat(snapshotRun("m")).isEqualTo(arriving);
    }

    @Test
    void a_late_run_ingested_while_the_only_run_is_being_excluded_becomes_the_snapshot() throws Exception {
        long only = record("m", 3, 0.50);
        try (Connection annotating = connection()) {
            annotating.setAutoCommit(false);
            exclude(annotating, only);

            Future<Long> late = other.submit(() -> record("m", 1, 0.90));
            awaitWaitingOrDone(late);
            annotating.commit();
            long lateRun = late.get(20, TimeUnit.SECONDS);

            assertThat(snapshotRun("m")).isEqualTo(lateRun);
        }
    }

    @Test
    void excluding_the_only_run_while_a_late_run_is_being_ingested_moves_the_snapshot_onto_the_late_run() throws Exception {
        long only = record("m", 3, 0.50);

        long late = excludeWhileIngesting(only, "m", 1, 0.90);

        assertThat(snapshotRun("m")).isEqualTo(late);
    }

    @Test
    void ingests_of_other_series_do_not_wait_for_each_other() throws Exception {
        // The metric's name and the log's month exist already (a first ingest of either waits for the other's commit).
        record("w", 0, 0.70);
        try (Connection ingest = connection()) {
            ingest.setAutoCommit(false);
            upsert(ingest, "m", 1, 0.90);

            // The lock ingest takes (the advisory lock, shared) does not conflict with itself: a second ingest, in a
            // series of its own, commits while the first is still open.
            long other = this.other.submit(() -> record("n", 1, 0.80)).get(20, TimeUnit.SECONDS);
            assertThat(snapshotRun("n")).isEqualTo(other);
            ingest.commit();
        }
    }

    /**
     * Stores a run of {@code model} in a transaction held open while another connection excludes run {@code excluded}
     * through the toolkit, then commits it and waits for the exclusion; answers the stored run's id.
     */
    private long excludeWhileIngesting(long excluded, String model, int hour, double f1) throws Exception {
        try (Connection ingest = connection()) {
            ingest.setAutoCommit(false);
            long arriving = upsert(ingest, model, hour, f1);

            Future<?> exclusion = other.submit(() -> bm.annotations().exclude(excluded, "flaky GPU node", "ana"));
            awaitWaitingOrDone(exclusion);
            ingest.commit();
            exclusion.get(20, TimeUnit.SECONDS);
            return arriving;
        }
    }

    /** Records one run of model / d @ci at hour {@code hour} after T0 through the toolkit; answers its id. */
    private long record(String model, int hour, double f1) {
        return bm.record(result(model, hour, f1)).transactionId();
    }

    private static BenchmarkResult result(String model, int hour, double f1) {
        return BenchmarkResult.builder(model, "d").environment("ci").runAt(T0.plusSeconds(hour * 3600L))
                .metric("f1", f1).runId(model + "-run-" + hour).build();
    }

    /** Stores a run as the toolkit's JSON path does, in {@code c}'s open transaction; answers its id. */
    private static long upsert(Connection c, String model, int hour, double f1) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT transaction_id FROM upsert_benchmark_results(CAST(? AS jsonb))")) {
            ps.setString(1, "[{\"model_version\": \"" + model + "\", \"dataset_version\": \"d\", \"environment\": \"ci\","
                    + " \"metrics\": {\"f1\": " + f1 + "}, \"run_at\": \"" + T0.plusSeconds(hour * 3600L) + "\","
                    + " \"run_id\": \"" + model + "-run-" + hour + "\"}]");
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    /** Excludes a run as the toolkit does, in {@code c}'s open transaction. */
    private static void exclude(Connection c, long run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT annotation_id FROM annotate_run(?, 'excluded', 'flaky GPU node', 'ana')")) {
            ps.setLong(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    /** The run the snapshot of model / d @ci stands on. */
    private long snapshotRun(String model) throws SQLException {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("SELECT transaction_id FROM benchmark_snapshots"
                     + " WHERE model_version = ? AND dataset_version = 'd' AND environment = 'ci'")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a snapshot of " + model).isTrue();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Waits until the other connection's work is done or waits for a lock (on the open transaction's table or rows):
     * then committing the open transaction is what it waits for, if anything.
     */
    private void awaitWaitingOrDone(Future<?> work) throws SQLException, InterruptedException {
        try (Connection watcher = connection(); Statement st = watcher.createStatement()) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < until) {
                if (work.isDone()) {
                    return;
                }
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        fail("the other connection neither finished nor waited for a lock within 20 s");
    }

    private Connection connection() throws SQLException {
        return DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
    }
}
