package dev.benchmon.db;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V34 (an alert keeps the run before its change) carries a V33 database's alerts forward: each existing alert gets the
 * run an alert read found before the change (the newest run of the series before the change's first run that reports
 * the metric and is not excluded), and an alert without a commit before takes that run's commit.
 */
class AlertRunBeforeMigrationTest {
    /**
     * Runs 11 (c11, f1 and errors), 12 (c12, f1), 13 (c13, f1, excluded), 14 (no commit, f1), 15 (c15, f1 and errors)
     * and 16 (c16, f1); alerts of f1 from run 15 and from run 16, without a commit before, of errors from run 15
     * with its commit before given (c11), and change points of f1 from run 16 with an older commit before (c12, not
     * that of run 15, the newest run before) and with a commit no run has (c99).
     */
    private static String upgradedDatabase() throws IOException, SQLException {
        return OldSchemas.upgradedFrom(33, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, metrics, commit_sha)
                    VALUES (11, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '{"f1": 0.90, "errors": 0}', 'c11'),
                           (12, 1, '2026-03-02T08:00:00Z', gen_random_uuid(), '{"f1": 0.90}', 'c12'),
                           (13, 1, '2026-03-03T08:00:00Z', gen_random_uuid(), '{"f1": 0.90}', 'c13'),
                           (14, 1, '2026-03-04T08:00:00Z', gen_random_uuid(), '{"f1": 0.90}', NULL),
                           (15, 1, '2026-03-05T08:00:00Z', gen_random_uuid(), '{"f1": 0.80, "errors": 5}', 'c15'),
                           (16, 1, '2026-03-06T08:00:00Z', gen_random_uuid(), '{"f1": 0.70}', 'c16')""");
            st.execute("INSERT INTO excluded_runs (transaction_id, series_id, reason, actor) VALUES (13, 1, 'flaky', 'ana')");
            st.execute("""
                    INSERT INTO alerts (id, series_id, metric, kind, transaction_id, raised_tx, last_transaction_id,
                                        followed_tx, commit_from, commit_to, verdict, state, shift_tx)
                    OVERRIDING SYSTEM VALUE
                    VALUES (1, 1, 'f1', 'regression', 15, 15, 15, 15, NULL, 'c15', 'f1 regression', 'open', 15),
                           (2, 1, 'f1', 'regression', 16, 16, 16, 16, NULL, 'c16', 'f1 regression', 'resolved', 16),
                           (3, 1, 'errors', 'regression', 15, 15, 15, 15, 'c11', 'c15', 'errors regression', 'open', 15),
                           (4, 1, 'f1', 'change_point', 16, 16, 16, 16, 'c12', 'c16', 'f1 change point', 'open', 16),
                           (5, 1, 'f1', 'change_point', 15, 15, 15, 15, 'c99', 'c15', 'f1 change point', 'open', 15)""");
        });
    }

    @Test
    void existing_alerts_keep_the_run_before_their_change_and_its_commit() throws IOException, SQLException {
        String url = upgradedDatabase();

        assertThat(OldSchemas.rows(url, "SELECT id, before_transaction_id, commit_from FROM alerts ORDER BY id"))
                .containsExactly("1 | 14 | null", "2 | 15 | c15", "3 | 11 | c11", "4 | 12 | c12", "5 | null | c99");
    }

    @Test
    void an_existing_alert_with_a_commit_before_keeps_a_run_of_that_commit_or_none() throws IOException, SQLException {
        String url = upgradedDatabase();

        try (var bm = OldSchemas.open(url)) {
            assertThat(bm.alertBook().get(4).fromTransactionId()).isEqualTo(12L);
            assertThat(bm.alertBook().get(4).commitRange()).isEqualTo("c12..c16");
            assertThat(bm.alertBook().get(5).fromTransactionId()).isNull();
        }
    }

    @Test
    void an_existing_alert_whose_run_before_has_a_commit_names_it_in_its_commit_range() throws IOException, SQLException {
        String url = upgradedDatabase();

        try (var bm = OldSchemas.open(url)) {
            assertThat(bm.alertBook().get(1).commitRange()).isEqualTo("id 14..c15");
            assertThat(bm.alertBook().get(2).commitRange()).isEqualTo("c15..c16");
        }
    }
}
