package dev.benchmon.db;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which database errors refuse the input (the client must change the request) and which are the server's own
 * trouble, by SQLSTATE and by the function that raised them, as PostgreSQL reports them to the driver.
 */
class InputRefusalsTest {
    private static final String MONTH_GUARD = "PL/pgSQL function benchmon_ensure_log_partitions(timestamp with time zone[],integer) "
            + "line 16 at RAISE\nSQL statement \"SELECT benchmon_ensure_log_partitions(...)\"\nPL/pgSQL function ingest_staged_results()";

    /** An error as the server sends it: severity, SQLSTATE, message, and where it was raised ({@code null}: a statement). */
    private static RuntimeException error(String state, String message, String where) {
        String fields = "SERROR\0C" + state + "\0M" + message + "\0" + (where == null ? "" : "W" + where + "\0");
        return new IllegalStateException("could not record results", new PSQLException(new ServerErrorMessage(fields)));
    }

    @Test
    void more_new_months_than_one_write_creates_is_invalid_input_naming_run_at() {
        var refusal = InputRefusals.of(error("54000", "run_at: these results span 121 months the log does not hold yet", MONTH_GUARD));

        assertThat(refusal).hasValueSatisfying(r -> {
            assertThat(r.kind()).isEqualTo(InputRefusals.Kind.INVALID);
            assertThat(r.field()).isEqualTo("run_at");
            assertThat(r.text()).isEqualTo("invalid run_at: these results span 121 months the log does not hold yet");
        });
    }

    @Test
    void a_detached_month_is_a_conflict_and_not_worth_a_retry() {
        RuntimeException detached = error("55000", "run_at: the month 2021-05-01 was detached from the log", MONTH_GUARD);

        assertThat(InputRefusals.of(detached)).hasValueSatisfying(r -> assertThat(r.kind()).isEqualTo(InputRefusals.Kind.CONFLICT));
        assertThat(TransientFailures.isTransient(detached)).isFalse();
    }

    @Test
    void a_database_that_stopped_accepting_commands_is_not_the_inputs_fault() {
        // Transaction-id wraparound protection raises 54000 too, from no function of benchmon's.
        assertThat(InputRefusals.of(error("54000", "database is not accepting commands to avoid wraparound data loss", null)))
                .isEmpty();
        RuntimeException closed = error("55000", "database \"benchmon\" is not currently accepting connections", null);
        assertThat(InputRefusals.of(closed)).isEmpty();
        assertThat(TransientFailures.isTransient(closed)).isTrue();
    }

    @Test
    void benchmons_functions_refusing_their_own_arguments_are_not_the_inputs_fault() {
        assertThat(InputRefusals.of(error("22023", "upsert_benchmark_results expects a JSON array of results", null))).isEmpty();
        assertThat(InputRefusals.of(error("22P02", "invalid input syntax for type integer: \"x\"", null))).isEmpty();
    }

    @Test
    void a_value_postgresql_cannot_hold_as_sent_is_invalid_input() {
        assertThat(InputRefusals.of(error("22001", "value too long for type character varying(64)", null)))
                .hasValueSatisfying(r -> assertThat(r.text()).isEqualTo("value too long for type character varying(64)"));
    }
}
