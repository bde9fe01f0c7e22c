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
    void a_constraint_is_neither() {
        RuntimeException duplicate = wrapped(new SQLException("duplicate key", "23505"));
        assertThat(TransientFailures.isTransient(duplicate)).isFalse();
        assertThat(TransientFailures.isUnreachable(duplicate)).isFalse();
    }
}
