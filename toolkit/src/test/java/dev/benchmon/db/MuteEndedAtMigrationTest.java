package dev.benchmon.db;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V32 (a mute ended early keeps its planned expiry and records when it ended) carries an older database's mutes forward:
 * V26 overwrote the expiry of a mute ended early with the time it was ended, so that time becomes ended_at and the
 * planned expiry comes back from the event of an alert the mute muted; a mute that ran to its expiry is unchanged.
 */
class MuteEndedAtMigrationTest {
    @Test
    void a_mute_ended_early_gets_its_end_apart_and_its_planned_expiry_back() throws IOException, SQLException {
        String url = OldSchemas.upgradedFrom(31, st -> {
            OldSchemas.seriesM1InMarch2026(st);
            st.execute("""
                    INSERT INTO benchmark_log (id, series_id, run_at, idempotency_key, metrics, commit_sha)
                    VALUES (12, 1, '2026-03-02T08:00:00Z', gen_random_uuid(), '{"f1": 0.80}', 'c12')""");
            st.execute("""
                    INSERT INTO series_mutes (id, series_id, metric, reason, actor, starts_at, expires_at, ended_by, end_reason)
                    OVERRIDING SYSTEM VALUE
                    VALUES (5, 1, NULL, 'runner migration', 'ana', '2026-03-01T00:00:00Z', '2026-03-03T10:00:00Z', 'bo', 'done'),
                           (6, 1, 'f1', 'flaky', 'ana', '2026-02-01T00:00:00Z', '2026-02-08T00:00:00Z', NULL, NULL)""");
            st.execute("""
                    INSERT INTO alerts (series_id, metric, kind, transaction_id, raised_tx, last_transaction_id, followed_tx,
                                        baseline, current, magnitude, verdict, state, shift_tx)
                    VALUES (1, 'f1', 'regression', 12, 12, 12, 12, 0.90, 0.80, -0.1 / 0.9, 'f1 regression', 'open', 12)""");
            st.execute("""
                    INSERT INTO alert_events (alert_id, state, actor, comment, source)
                    VALUES (1, 'muted', 'ana', 'mute 5 until 2026-03-08 00:00:00+00: runner migration', 'mute'),
                           (1, 'open', 'bo', 'mute 5 ended early: done', 'mute')""");
        });

        assertThat(OldSchemas.rows(url, "SELECT id, expires_at AT TIME ZONE 'UTC', ended_at AT TIME ZONE 'UTC' "
                + "FROM series_mutes ORDER BY id"))
                .containsExactly("5 | 2026-03-08 00:00:00 | 2026-03-03 10:00:00", "6 | 2026-02-08 00:00:00 | null");
    }
}
