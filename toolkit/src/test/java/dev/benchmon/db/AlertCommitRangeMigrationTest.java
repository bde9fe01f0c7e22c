package dev.benchmon.db;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V35 (an alert that followed a later run gets back the commit range of its change) repairs a V34 database's alerts
 * whose commit range a follow widened to the commit of the run they followed, and leaves every other alert as it is.
 */
class AlertCommitRangeMigrationTest {
    /**
     * Runs 11 (c11), 12 (c12), 13 (c13), 14 (no commit), 15 (c15), each with the run before the change 11 (c11):
     * <ol>
     *   <li>f1 raised on 12 and following 13, widened by that follow to c13;</li>
     *   <li>loss raised on 14 (no commit) and following 15, widened to c15;</li>
     *   <li>acc raised on 12 and following 13, not widened (c12);</li>
     *   <li>errors raised on 12 and following 13, with a toolkit caller's own commit that no run has (abc);</li>
     *   <li>p95 raised on 13 with its shift from 12, an exclusion of 13 having moved it to name 15 with c15.</li>
     * </ol>
     */
    private static String upgradedDatabase() throws IOException, SQLException {
        return OldSchemas.upgradedFrom(34, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, metrics, commit_sha)
                    VALUES (11, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '{"f1": 0.90}', 'c11'),
                           (12, 1, '2026-03-02T08:00:00Z', gen_random_uuid(), '{"f1": 0.70}', 'c12'),
                           (13, 1, '2026-03-03T08:00:00Z', gen_random_uuid(), '{"f1": 0.50}', 'c13'),
                           (14, 1, '2026-03-04T08:00:00Z', gen_random_uuid(), '{"f1": 0.50}', NULL),
                           (15, 1, '2026-03-05T08:00:00Z', gen_random_uuid(), '{"f1": 0.50}', 'c15')""");
            st.execute("INSERT INTO excluded_runs (transaction_id, series_id, reason, actor) VALUES (13, 1, 'flaky', 'ana')");
            st.execute("""
                    INSERT INTO alerts (id, series_id, metric, kind, transaction_id, raised_tx, last_transaction_id,
                                        followed_tx, before_transaction_id, commit_from, commit_to, verdict, state,
                                        shift_tx)
                    OVERRIDING SYSTEM VALUE
                    VALUES (1, 1, 'f1', 'regression', 12, 12, 13, 13, 11, 'c11', 'c13', 'since commit c11..c12', 'acknowledged', 12),
                           (2, 1, 'loss', 'regression', 14, 14, 15, 15, 11, 'c11', 'c15', 'since the run of 2026-03-04', 'open', 14),
                           (3, 1, 'acc', 'regression', 12, 12, 13, 13, 11, 'c11', 'c12', 'since commit c11..c12', 'open', 12),
                           (4, 1, 'errors', 'regression', 12, 12, 13, 13, 11, 'c11', 'abc', 'errors regression', 'open', 12),
                           (5, 1, 'p95', 'regression', 15, 13, 15, 15, 11, 'c11', 'c15', 'since commit c11..c12', 'open', 12)""");
        });
    }

    @Test
    void an_alert_a_follow_widened_gets_back_the_commit_of_its_change_s_first_run() throws IOException, SQLException {
        String url = upgradedDatabase();

        try (var bm = OldSchemas.open(url)) {
            assertThat(bm.alertBook().get(1).commitRange()).isEqualTo("c11..c12");
            assertThat(bm.alertBook().get(2).commitRange()).isEqualTo("c11..id 14");
        }
    }

    @Test
    void alerts_without_proof_of_a_widening_keep_their_commit_range() throws IOException, SQLException {
        String url = upgradedDatabase();

        assertThat(OldSchemas.rows(url, "SELECT id, commit_to FROM alerts WHERE id IN (3, 4, 5) ORDER BY id"))
                .containsExactly("3 | c12", "4 | abc", "5 | c15");
    }
}
