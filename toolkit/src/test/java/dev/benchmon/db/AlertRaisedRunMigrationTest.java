package dev.benchmon.db;

import dev.benchmon.Benchmon;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V23 (an alert keeps the run it was raised on apart from the run it names) carries a version 22 database's alerts
 * forward: each was raised on the run it names, so excluding that run and including it again finds it. Each test
 * upgrades a database of its own.
 */
class AlertRaisedRunMigrationTest {
    private static final String NAMED = "SELECT transaction_id, raised_tx FROM alerts";

    /** A version 22 database: f1 0.90 in run 11, a drop to 0.80 in runs 12 and 13, and the open alert run 12 raised. */
    private static String upgradedVersion22Database() throws IOException, SQLException {
        return OldSchemas.upgradedFrom(22, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, metrics, commit_sha)
                    VALUES (11, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '{"f1": 0.90}', 'c11'),
                           (12, 1, '2026-03-02T08:00:00Z', gen_random_uuid(), '{"f1": 0.80}', 'c12'),
                           (13, 1, '2026-03-03T08:00:00Z', gen_random_uuid(), '{"f1": 0.80}', 'c13')""");
            st.execute("""
                    INSERT INTO alerts (series_id, metric, kind, transaction_id, last_transaction_id, commit_from, commit_to,
                                        baseline, current, magnitude, verdict, state, shift_tx)
                    VALUES (1, 'f1', 'regression', 12, 13, 'c11', 'c12', 0.90, 0.80, -0.111, 'f1 regression', 'open', 12)""");
            st.execute("INSERT INTO alert_events (alert_id, state, actor, comment, source) "
                    + "SELECT id, 'open', 'benchmon', 'opened', 'detector' FROM alerts");
        });
    }

    @Test
    void an_existing_alert_was_raised_on_the_run_it_names() throws IOException, SQLException {
        String url = upgradedVersion22Database();

        assertThat(OldSchemas.rows(url, NAMED)).containsExactly("12 | 12");
    }

    @Test
    void an_existing_alert_names_its_run_again_once_that_run_is_excluded_and_included_again() throws IOException, SQLException {
        String url = upgradedVersion22Database();
        try (Benchmon bm = OldSchemas.open(url)) {
            bm.annotations().exclude(12, "runner lost its GPU", "ana");
            assertThat(OldSchemas.rows(url, NAMED)).containsExactly("13 | 12");

            bm.annotations().annotate(12, "included", "the GPU was fine", "ana");
        }

        assertThat(OldSchemas.rows(url, NAMED)).containsExactly("12 | 12");
    }
}
