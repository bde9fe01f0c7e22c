package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.Filter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V22 (a snapshot's run_count counts runs, a CI re-run once) carries a version 21 database's counts forward, and the
 * writer counts runs afterwards, as histories do.
 */
class SnapshotRunCountMigrationTest {
    private static final String COUNT = "SELECT run_count FROM benchmark_snapshots WHERE model_version = '%s'";

    private static String url;

    @BeforeAll
    static void aVersion21DatabaseWhoseSnapshotCountedARerunTwiceIsUpgraded() throws IOException, SQLException {
        // Upgraded, then given V22 once more: the schema file (psql \\ir) may apply the migration to a database that has it
        // already, and nothing changes.
        url = OldSchemas.upgradedFrom(21, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            // Run ci-11 and its re-run (attempt 2), and run ci-12: two runs, which the old writer counted as three.
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, run_key, attempt, metrics, run_id)
                    VALUES (11, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '00000000-0000-0000-0000-000000000011', 1,
                            '{"f1": 0.5}', 'ci-11'),
                           (12, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '00000000-0000-0000-0000-000000000011', 2,
                            '{"f1": 0.8}', 'ci-11'),
                           (13, 1, '2026-03-02T08:00:00Z', gen_random_uuid(), '00000000-0000-0000-0000-000000000013', 1,
                            '{"f1": 0.9}', 'ci-12')""");
            OldSchemas.snapshotM1(st, 13, 3);
        });
    }

    @Test
    void a_rerun_counted_twice_by_the_old_writer_counts_once() throws SQLException {
        assertThat(OldSchemas.rows(url, COUNT.formatted("m1"))).containsExactly("2");
    }

    @Test
    void the_writer_counts_a_ci_rerun_once_as_the_history_lists_it() throws SQLException {
        try (Benchmon bm = OldSchemas.open(url)) {
            Instant at = Instant.parse("2026-03-05T08:00:00Z");
            bm.record(BenchmarkResult.builder("m2", "d").environment("ci").runAt(at).runId("ci-20").metric("f1", 0.5).build());
            bm.record(BenchmarkResult.builder("m2", "d").environment("ci").runAt(at).runId("ci-20").metric("f1", 0.9).build());
            bm.record(BenchmarkResult.builder("m2", "d").environment("ci").runAt(at.plusSeconds(3600)).runId("ci-21")
                    .metric("f1", 0.9).build());

            assertThat(bm.history(Filter.model("m2")).rowCount()).isEqualTo(2);
            assertThat(bm.latestSnapshots(Filter.model("m2")).longColumn("run_count").get(0)).isEqualTo(2);
        }
    }
}
