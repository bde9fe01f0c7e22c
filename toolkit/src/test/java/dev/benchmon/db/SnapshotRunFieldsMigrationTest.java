package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.Filter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V17 (the snapshot holds its latest run's commit, branch and run id) carries a version 16 database's snapshots
 * forward from the log, and the writer keeps the fields with the run's metrics afterwards.
 */
class SnapshotRunFieldsMigrationTest {
    private static final String FIELDS = "SELECT model_version, commit_sha, branch, run_id FROM benchmark_snapshots "
            + "WHERE model_version = '%s'";

    private static String url;

    @BeforeAll
    static void aVersion16DatabaseWithASnapshotIsUpgraded() throws IOException, SQLException {
        url = OldSchemas.upgraded(16, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            // Two runs of the series; the snapshot points at the newer.
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, metrics, commit_sha, branch, run_id)
                    VALUES (11, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '{"f1": 0.8}', 'c-old', 'main', 'ci-11'),
                           (12, 1, '2026-03-02T08:00:00Z', gen_random_uuid(), '{"f1": 0.9}', 'c-new', 'release', 'ci-12')""");
            OldSchemas.snapshotM1(st, 12, 2);
        });
    }

    @Test
    void a_snapshot_carries_its_latest_runs_commit_branch_and_run_id_from_the_log() throws SQLException {
        assertThat(OldSchemas.rows(url, FIELDS.formatted("m1"))).containsExactly("m1 | c-new | release | ci-12");
        try (Benchmon bm = OldSchemas.open(url)) {
            Table latest = bm.latestSnapshots(Filter.all());
            assertThat(latest.stringColumn("commit_sha").get(0)).isEqualTo("c-new");
            assertThat(latest.stringColumn("branch").get(0)).isEqualTo("release");
            assertThat(latest.stringColumn("run_id").get(0)).isEqualTo("ci-12");
        }
    }

    @Test
    void a_newer_run_replaces_the_fields_and_an_older_late_arrival_leaves_them() throws SQLException {
        try (Benchmon bm = OldSchemas.open(url)) {
            bm.record(BenchmarkResult.builder("m2", "d").environment("ci").runAt(Instant.parse("2026-03-05T08:00:00Z"))
                    .commitSha("c-5").branch("main").runId("ci-5").metric("f1", 0.9).build());
            bm.record(BenchmarkResult.builder("m2", "d").environment("ci").runAt(Instant.parse("2026-03-06T08:00:00Z"))
                    .commitSha("c-6").branch("dev").runId("ci-6").metric("f1", 0.91).build());
            bm.record(BenchmarkResult.builder("m2", "d").environment("ci").runAt(Instant.parse("2026-03-04T08:00:00Z"))
                    .commitSha("c-4").branch("old").runId("ci-4").metric("f1", 0.7).build());
        }
        assertThat(OldSchemas.rows(url, FIELDS.formatted("m2"))).containsExactly("m2 | c-6 | dev | ci-6");
    }
}
