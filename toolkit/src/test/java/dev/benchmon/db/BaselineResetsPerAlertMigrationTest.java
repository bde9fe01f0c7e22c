package dev.benchmon.db;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V36 (a baseline reset per expected alert, not per series and metric) carries an older database's resets forward:
 * until V35 only the newest expected alert of a metric had its row, so every expected alert gets one, and a row whose
 * alert is no longer expected goes; the reset in force is then the newest expected alert's.
 */
class BaselineResetsPerAlertMigrationTest {
    @Test
    void every_expected_alert_gets_its_reset_and_the_newest_is_in_force() throws IOException, SQLException {
        String url = OldSchemas.upgradedFrom(35, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, metrics, commit_sha)
                    VALUES (12, 1, '2026-03-02T08:00:00Z', gen_random_uuid(), '{"f1": 0.80, "f2": 0.5}', 'c12'),
                           (13, 1, '2026-03-03T08:00:00Z', gen_random_uuid(), '{"f1": 0.70, "f2": 0.4}', 'c13')""");
            st.execute("""
                    INSERT INTO alerts (id, series_id, metric, kind, transaction_id, raised_tx, last_transaction_id,
                                        followed_tx, baseline, current, magnitude, verdict, state, shift_tx)
                    OVERRIDING SYSTEM VALUE
                    VALUES (1, 1, 'f1', 'regression', 12, 12, 12, 12, 0.90, 0.80, -0.1, 'f1 regression', 'expected', 12),
                           (2, 1, 'f1', 'regression', 13, 13, 13, 13, 0.80, 0.70, -0.1, 'f1 regression', 'expected', 13),
                           (3, 1, 'f2', 'regression', 13, 13, 13, 13, 0.50, 0.40, -0.1, 'f2 regression', 'resolved', 13)""");
            st.execute("""
                    INSERT INTO baseline_resets (series_id, metric, transaction_id, run_at, alert_id)
                    VALUES (1, 'f1', 13, '2026-03-03T08:00:00Z', 2), (1, 'f2', 13, '2026-03-03T08:00:00Z', 3)""");
        });

        assertThat(OldSchemas.rows(url, "SELECT alert_id, metric, transaction_id FROM baseline_resets ORDER BY alert_id"))
                .containsExactly("1 | f1 | 12", "2 | f1 | 13");
        assertThat(OldSchemas.rows(url, "SELECT metric, transaction_id FROM baseline_reset_in_force(1)"))
                .containsExactly("f1 | 13");
    }
}
