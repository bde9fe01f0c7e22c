package dev.benchmon.db;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V33 (a mute's end is one generated column, ends_at) carries a V32 database's mutes forward: each existing mute gets
 * ends_at = coalesce(ended_at, expires_at), so a mute ended early ends when it was ended and one that was not ends at
 * its expiry.
 */
class MuteEndsAtMigrationTest {
    @Test
    void existing_mutes_end_when_they_were_ended_else_at_their_expiry() throws IOException, SQLException {
        String url = OldSchemas.upgradedFrom(32, st -> {
            OldSchemas.seriesM1(st);
            st.execute("""
                    INSERT INTO series_mutes (id, series_id, metric, reason, actor, starts_at, expires_at, ended_at, ended_by)
                    OVERRIDING SYSTEM VALUE
                    VALUES (5, 1, NULL, 'runner migration', 'ana', '2026-03-01T00:00:00Z', '2026-03-08T00:00:00Z',
                            '2026-03-03T10:00:00.123456Z', 'bo'),
                           (6, 1, 'f1', 'flaky', 'ana', '2026-02-01T00:00:00Z', '2026-02-08T00:00:00Z', NULL, NULL)""");
        });

        assertThat(OldSchemas.rows(url, "SELECT id, ends_at AT TIME ZONE 'UTC' FROM series_mutes ORDER BY id"))
                .containsExactly("5 | 2026-03-03 10:00:00.123456", "6 | 2026-02-08 00:00:00");
    }
}
