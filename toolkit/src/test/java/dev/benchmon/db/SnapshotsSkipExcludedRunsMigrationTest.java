package dev.benchmon.db;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V37 (a snapshot shows its series' newest run that counts) carries an older database forward: a snapshot left on an
 * excluded run moves onto the newest run that is neither excluded nor superseded by a later attempt, keeping its runs
 * seen (run_count, first_seen, last_seen); a snapshot whose run counts stays; a series whose every run is excluded
 * stays on its newest run. Applied twice, it changes nothing more.
 */
class SnapshotsSkipExcludedRunsMigrationTest {
    @Test
    void a_snapshot_on_an_excluded_run_moves_to_the_newest_run_that_counts() throws IOException, SQLException {
        String url = OldSchemas.upgradedFrom(36, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            st.execute("INSERT INTO series (model_version, dataset_version, prompt_version, environment)"
                       + " VALUES ('m2', 'd', '', 'ci'), ('m3', 'd', '', 'ci')");
            // m1: n1 and n2 at 0.9; n2's CI run re-run (attempt 2, 0.8, run r2) after n1; n3 at 0.5, excluded.
            // m2: its older run excluded, its snapshot on the newest. m3: its only run excluded.
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, run_key, attempt, metrics,
                                               commit_sha, run_id)
                    VALUES (11, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), NULL, 1, '{"accuracy": 0.9}', 'c11', 'n1'),
                           (12, 1, '2026-03-02T08:00:00Z', gen_random_uuid(), 'aaaaaaaa-0000-0000-0000-000000000012', 1,
                            '{"accuracy": 0.9}', 'c12', 'n2'),
                           (14, 1, '2026-03-02T08:00:00Z', gen_random_uuid(), 'aaaaaaaa-0000-0000-0000-000000000012', 2,
                            '{"accuracy": 0.8}', 'c14', 'n2'),
                           (13, 1, '2026-03-03T08:00:00Z', gen_random_uuid(), NULL, 1, '{"accuracy": 0.5}', 'c13', 'n3'),
                           (21, 2, '2026-03-01T08:00:00Z', gen_random_uuid(), NULL, 1, '{"accuracy": 0.7}', 'c21', 'o1'),
                           (22, 2, '2026-03-02T08:00:00Z', gen_random_uuid(), NULL, 1, '{"accuracy": 0.6}', 'c22', 'o2'),
                           (31, 3, '2026-03-02T08:00:00Z', gen_random_uuid(), NULL, 1, '{"accuracy": 0.4}', 'c31', 'x1')""");
            st.execute("INSERT INTO benchmark_latest_attempts (run_key, attempt, series_id)"
                       + " VALUES ('aaaaaaaa-0000-0000-0000-000000000012', 2, 1) ON CONFLICT (run_key) DO NOTHING");
            st.execute("""
                    INSERT INTO benchmark_snapshots (model_version, dataset_version, prompt_version, environment, metrics,
                                                     transaction_id, run_at, run_count, first_seen, last_seen,
                                                     commit_sha, run_id)
                    VALUES ('m1', 'd', '', 'ci', '{"accuracy": 0.5}', 13, '2026-03-03T08:00:00Z', 3,
                            '2026-03-01T08:00:00Z', '2026-03-03T08:00:00Z', 'c13', 'n3'),
                           ('m2', 'd', '', 'ci', '{"accuracy": 0.6}', 22, '2026-03-02T08:00:00Z', 2,
                            '2026-03-01T08:00:00Z', '2026-03-02T08:00:00Z', 'c22', 'o2'),
                           ('m3', 'd', '', 'ci', '{"accuracy": 0.4}', 31, '2026-03-02T08:00:00Z', 1,
                            '2026-03-02T08:00:00Z', '2026-03-02T08:00:00Z', 'c31', 'x1')""");
            st.execute("""
                    INSERT INTO excluded_runs (transaction_id, series_id, reason, actor)
                    VALUES (13, 1, 'flaky GPU node', 'ana'), (21, 2, 'warm-up run', 'ana'), (31, 3, 'broken', 'ana')""");
        });

        assertThat(OldSchemas.rows(url, """
                SELECT model_version, transaction_id, metrics ->> 'accuracy', commit_sha, run_id, run_at AT TIME ZONE 'UTC',
                       run_count, first_seen AT TIME ZONE 'UTC', last_seen AT TIME ZONE 'UTC'
                FROM benchmark_snapshots ORDER BY model_version""")).containsExactly(
                "m1 | 14 | 0.8 | c14 | n2 | 2026-03-02 08:00:00 | 3 | 2026-03-01 08:00:00 | 2026-03-03 08:00:00",
                "m2 | 22 | 0.6 | c22 | o2 | 2026-03-02 08:00:00 | 2 | 2026-03-01 08:00:00 | 2026-03-02 08:00:00",
                "m3 | 31 | 0.4 | c31 | x1 | 2026-03-02 08:00:00 | 1 | 2026-03-02 08:00:00 | 2026-03-02 08:00:00");
    }
}
