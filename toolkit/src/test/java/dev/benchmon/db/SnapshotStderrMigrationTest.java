package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V40 (the snapshot holds its latest run's standard errors) carries a version 39 database's snapshots forward from the
 * log: each snapshot gets the stderr of its own run (not of an older run of its series), a snapshot whose run carried
 * none keeps none. Applied twice, it changes nothing more.
 */
class SnapshotStderrMigrationTest {
    private static String url;

    @BeforeAll
    static void aVersion39DatabaseWithSnapshotsIsUpgraded() throws IOException, SQLException {
        url = OldSchemas.upgradedFrom(39, SnapshotStderrMigrationTest::version39Rows);
    }

    /** Series m1: an older run with acc's stderr 0.02, its snapshot's run with 0.01. Series m2: one run without. */
    private static void version39Rows(Statement st) throws SQLException {
        OldSchemas.seriesM1InMarch2026(st);
        st.execute("INSERT INTO series (model_version, dataset_version, prompt_version, environment)"
                   + " VALUES ('m2', 'd', '', 'ci')");
        st.execute("""
                INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, metrics, stderr)
                VALUES (11, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '{"acc": 0.8}', '{"acc": 0.02}'),
                       (12, 1, '2026-03-02T08:00:00Z', gen_random_uuid(), '{"acc": 0.9}', '{"acc": 0.01}'),
                       (21, 2, '2026-03-02T08:00:00Z', gen_random_uuid(), '{"acc": 0.7}', NULL)""");
        st.execute("""
                INSERT INTO benchmark_snapshots (model_version, dataset_version, prompt_version, environment, metrics,
                                                 transaction_id, run_at, run_count, first_seen, last_seen)
                VALUES ('m1', 'd', '', 'ci', '{"acc": 0.9}', 12, '2026-03-02T08:00:00Z', 2,
                        '2026-03-01T08:00:00Z', '2026-03-02T08:00:00Z'),
                       ('m2', 'd', '', 'ci', '{"acc": 0.7}', 21, '2026-03-02T08:00:00Z', 1,
                        '2026-03-02T08:00:00Z', '2026-03-02T08:00:00Z')""");
    }

    @Test
    void each_snapshot_gets_the_stderr_of_its_own_run_from_the_log() throws SQLException {
        assertThat(OldSchemas.rows(url, "SELECT model_version, transaction_id, stderr FROM benchmark_snapshots"
                                        + " ORDER BY model_version"))
                .containsExactly("m1 | 12 | {\"acc\": 0.01}", "m2 | 21 | null");
    }

    @Test
    void the_migration_alone_fills_it_before_the_repeatable_files_run() throws IOException, SQLException {
        String byHand = OldSchemas.databaseAt(39, SnapshotStderrMigrationTest::version39Rows);
        try (Connection c = DriverManager.getConnection(byHand, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            OldSchemas.applyVersion(st, 40);

            assertThat(OldSchemas.rows(st, "SELECT model_version, stderr FROM benchmark_snapshots ORDER BY 1"))
                    .containsExactly("m1 | {\"acc\": 0.01}", "m2 | null");
        }
    }

    @Test
    void the_toolkits_snapshot_table_shows_the_carried_stderr() {
        try (Benchmon bm = OldSchemas.open(url)) {
            Table latest = bm.latestSnapshots(Filter.model("m1"));

            assertThat(latest.doubleColumn("acc").get(0)).isEqualTo(0.9);
            assertThat(latest.doubleColumn("acc_stderr").get(0)).isEqualTo(0.01);
        }
    }
}
