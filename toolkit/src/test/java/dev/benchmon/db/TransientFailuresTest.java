package dev.benchmon.db;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which database failures are worth a retry, and which of them mean the database cannot be reached at all. */
class TransientFailuresTest {
    private static RuntimeException wrapped(Throwable cause) {
        return new IllegalStateException("writing failed", cause);
    }

    @Test
    void a_lost_connection_is_transient_and_unreachable() {
        RuntimeException lost = wrapped(new SQLException("An I/O error occurred", "08006"));
        assertThat(TransientFailures.isTransient(lost)).isTrue();
        assertThat(TransientFailures.isUnreachable(lost)).isTrue();
        assertThat(TransientFailures.isUnreachable(wrapped(new ConnectException("Connection refused")))).isTrue();
        assertThat(TransientFailures.isUnreachable(wrapped(new SQLException("the database system is starting up", "57P03"))))
                .isTrue();
    }

    @Test
    void a_refusal_about_one_statements_rows_is_not_unreachable() {
        // What the log answers for rows sent into a detached month, and a database not accepting connections alike.
        RuntimeException detached = wrapped(new SQLException("the month 2025-01 was detached from the log", "55000"));
        assertThat(TransientFailures.isTransient(detached)).isTrue();
        assertThat(TransientFailures.isUnreachable(detached)).isFalse();
        assertThat(TransientFailures.isUnreachable(wrapped(new SQLException("disk full", "53100")))).isFalse();
    }

    @Test
    void a_refusal_by_an_alerts_or_runs_state_is_not_transient() {
        // As alert_unmute and annotate_run raise it: 55000 naming the argument the state refuses.
        try (dev.benchmon.Benchmon bm = dev.benchmon.support.TestDatabases.fresh()) {
            Throwable refusal = org.assertj.core.api.Assertions.catchThrowable(() -> bm.jdbi().useHandle(h -> h.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'alert 1 is open, not muted, so there is nothing to unmute' "
                            + "USING ERRCODE = 'object_not_in_prerequisite_state', COLUMN = 'alert'; END $$")));
            Throwable unnamed = org.assertj.core.api.Assertions.catchThrowable(() -> bm.jdbi().useHandle(h -> h.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'not accepting connections' "
                            + "USING ERRCODE = 'object_not_in_prerequisite_state'; END $$")));

            assertThat(TransientFailures.isTransient(refusal)).as(String.valueOf(refusal)).isFalse();
            assertThat(TransientFailures.isTransient(unnamed)).as(String.valueOf(unnamed)).isTrue();
        }
    }

    @Test
    void a_constraint_is_neither() {
        RuntimeException duplicate = wrapped(new SQLException("duplicate key", "23505"));
        assertThat(TransientFailures.isTransient(duplicate)).isFalse();
        assertThat(TransientFailures.isUnreachable(duplicate)).isFalse();
    }
}
