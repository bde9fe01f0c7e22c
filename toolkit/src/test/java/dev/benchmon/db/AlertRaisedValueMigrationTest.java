package dev.benchmon.db;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V31 (an alert keeps the value it was raised on and the run the detector had it follow) carries an older database's
 * alerts forward: the opening's value from the baseline and the relative change, else from the raising run in the log,
 * even where following a deeper drop overwrote {@code current}; the run followed is the one the alert follows.
 */
class AlertRaisedValueMigrationTest {
    /**
     * Runs 11 (f1 0.90, errors 0), 12 (0.80, 5) and 13 (0.60, 9); a regression of f1 raised on run 12 at -11.1% from
     * 0.90 and an error count raised on run 12 from 0, both following run 13.
     */
    private static String upgradedDatabase() throws IOException, SQLException {
        return OldSchemas.upgradedFrom(30, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, metrics, commit_sha)
                    VALUES (11, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '{"f1": 0.90, "errors": 0}', 'c11'),
                           (12, 1, '2026-03-02T08:00:00Z', gen_random_uuid(), '{"f1": 0.80, "errors": 5}', 'c12'),
                           (13, 1, '2026-03-03T08:00:00Z', gen_random_uuid(), '{"f1": 0.60, "errors": 9}', 'c13')""");
            st.execute("""
                    INSERT INTO alerts (series_id, metric, kind, transaction_id, raised_tx, last_transaction_id, baseline,
                                        current, magnitude, verdict, state, shift_tx)
                    VALUES (1, 'f1', 'regression', 12, 12, 13, 0.90, 0.60, -0.1 / 0.9, 'f1 regression', 'open', 12),
                           (1, 'errors', 'regression', 12, 12, 13, 0, 9, NULL, 'errors regression', 'open', 12)""");
        });
    }

    @Test
    void an_existing_alert_keeps_the_value_it_was_raised_on_and_follows_the_run_it_followed() throws IOException, SQLException {
        String url = upgradedDatabase();

        assertThat(OldSchemas.rows(url, "SELECT metric, round(raised_value::numeric, 4), followed_tx, followed_value "
                + "FROM alerts ORDER BY id")).containsExactly("f1 | 0.8000 | 13 | 0.6", "errors | 5.0000 | 13 | 9");
    }
}
