package dev.benchmon.db;

import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V41 (an alert the detector resolved keeps the run whose verdict resolved it, alerts.resolved_tx) carries a version 40
 * database forward: an alert whose newest event is the detector's "back within noise in run N" keeps run N, so
 * excluding that run reopens it; an alert a person resolved keeps none. Applied twice, it changes nothing more.
 */
class AlertResolvedRunMigrationTest {
    private static final String RESOLVED = "SELECT id, state, resolved_tx FROM alerts ORDER BY id";

    /**
     * A version 40 database: f1 and acc at 0.90 in run 11, a drop to 0.80 in run 12, back at 0.90 in run 13; the f1
     * alert run 12 raised, resolved by the detector on run 13, and the acc alert, resolved by ana.
     */
    private static String upgradedVersion40Database() throws IOException, SQLException {
        return OldSchemas.upgradedFrom(40, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, metrics, commit_sha)
                    VALUES (11, 1, '2026-03-01T08:00:00Z', gen_random_uuid(), '{"f1": 0.90, "acc": 0.90}', 'c11'),
                           (12, 1, '2026-03-02T08:00:00Z', gen_random_uuid(), '{"f1": 0.80, "acc": 0.80}', 'c12'),
                           (13, 1, '2026-03-03T08:00:00Z', gen_random_uuid(), '{"f1": 0.90, "acc": 0.90}', 'c13')""");
            st.execute("""
                    INSERT INTO alerts (id, series_id, metric, kind, transaction_id, raised_tx, last_transaction_id,
                                        followed_tx, before_transaction_id, commit_from, commit_to, baseline, current,
                                        raised_value, magnitude, verdict, state, shift_tx)
                    OVERRIDING SYSTEM VALUE
                    VALUES (1, 1, 'f1', 'regression', 12, 12, 12, 12, 11, 'c11', 'c12', 0.90, 0.80, 0.80, -0.111,
                            'f1 regression', 'resolved', 12),
                           (2, 1, 'acc', 'regression', 12, 12, 12, 12, 11, 'c11', 'c12', 0.90, 0.80, 0.80, -0.111,
                            'acc regression', 'resolved', 12)""");
            st.execute("""
                    INSERT INTO alert_events (alert_id, state, actor, comment, source)
                    VALUES (1, 'open', 'benchmon', 'opened: f1 regression', 'detector'),
                           (2, 'open', 'benchmon', 'opened: acc regression', 'detector'),
                           (1, 'resolved', 'benchmon', 'back within noise in run 13: f1 0.9000', 'detector'),
                           (2, 'resolved', 'benchmon', 'back within noise in run 13: acc 0.9000', 'detector'),
                           (2, 'open', 'ana', 'not over yet', 'api'),
                           (2, 'resolved', 'ana', 'fixed upstream', 'api')""");
        });
    }

    @Test
    void an_alert_the_detector_resolved_keeps_the_run_that_resolved_it_and_one_a_person_resolved_none()
            throws IOException, SQLException {
        String url = upgradedVersion40Database();

        assertThat(OldSchemas.rows(url, RESOLVED)).containsExactly("1 | resolved | 13", "2 | resolved | null");
    }

    @Test
    void excluding_the_run_that_resolved_an_existing_alert_reopens_it_and_leaves_a_person_s_resolution()
            throws IOException, SQLException {
        String url = upgradedVersion40Database();

        try (Benchmon bm = OldSchemas.open(url)) {
            bm.annotations().exclude(13, "wrong config", "ana");
        }

        assertThat(OldSchemas.rows(url, RESOLVED)).containsExactly("1 | open | 13", "2 | resolved | null");
    }

    @Test
    void applied_a_second_time_it_changes_nothing_more() throws IOException, SQLException {
        String url = upgradedVersion40Database();
        try (Connection c = DriverManager.getConnection(url, TestDatabases.user(), TestDatabases.password());
             Statement st = c.createStatement()) {
            OldSchemas.applyVersion(st, 41);

            assertThat(OldSchemas.rows(st, RESOLVED)).containsExactly("1 | resolved | 13", "2 | resolved | null");
        }
    }
}
