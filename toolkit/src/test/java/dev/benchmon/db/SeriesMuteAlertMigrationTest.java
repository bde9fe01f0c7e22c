package dev.benchmon.db;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V38 (a series mute remembers the alert whose mute created it, series_mutes.alert_id) carries an older database
 * forward: its mutes keep every field and stay in force until their expiry, linked to no alert (which alert's mute
 * made one was never stored), so unmuting an alert ends none of them. Applied twice, it changes nothing more.
 */
class SeriesMuteAlertMigrationTest {
    @Test
    void an_existing_mute_keeps_its_fields_and_stays_in_force_linked_to_no_alert() throws IOException, SQLException {
        String url = OldSchemas.upgradedFrom(37, st -> {
            OldSchemas.seriesM1(st);
            st.execute("""
                    INSERT INTO series_mutes (series_id, metric, reason, actor, starts_at, expires_at)
                    VALUES (1, 'accuracy', 'noisy runner', 'ana', '2026-03-01T08:00:00Z', '2099-01-01T00:00:00Z')""");
        });

        assertThat(OldSchemas.rows(url, """
                SELECT series_id, metric, reason, actor, starts_at AT TIME ZONE 'UTC', ends_at AT TIME ZONE 'UTC',
                       alert_id IS NULL, mute_in_force(m, now())
                FROM series_mutes m""")).containsExactly(
                "1 | accuracy | noisy runner | ana | 2026-03-01 08:00:00 | 2099-01-01 00:00:00 | t | t");
    }
}
