package dev.benchmon.alert;

import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** How the alert functions' errors become benchmon's exceptions, on a real database. */
class SqlErrorsTest {
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    @Test
    void a_mute_ended_early_keeps_the_expiry_it_was_given_and_records_when_it_ended() {
        bm.record(dev.benchmon.BenchmarkResult.builder("m", "d").environment("ci").metric("f1", 0.9).build());
        int series = bm.jdbi().withHandle(h -> h.createQuery("SELECT id FROM series").mapTo(Integer.class).one());
        java.time.Instant planned = java.time.Instant.parse("2099-01-01T00:00:00Z");
        bm.annotations().mute(series, null, "runner migration", "ana", planned, null);

        bm.annotations().unmute(series, null, "done", "bo");

        assertThat(bm.annotations().mutes(series, null)).singleElement().satisfies(m -> {
            assertThat(m.expiresAt()).isEqualTo(planned);
            assertThat(m.endedAt()).isNotNull().isBefore(planned);
            assertThat(m.inForceAt(java.time.Instant.now())).isFalse();
        });
        assertThat(bm.annotations().isMuted(series, "f1", java.time.Instant.now())).isFalse();
    }

    @Test
    void a_not_found_error_is_of_the_kind_its_column_names_whatever_its_message_says() {
        JdbiException e = catchThrowableOfType(JdbiException.class, () -> bm.jdbi().useHandle(h -> h.execute(
                "DO $$ BEGIN RAISE EXCEPTION 'nothing here' USING ERRCODE = 'no_data_found', COLUMN = 'series'; END $$")));

        assertThat(SqlErrors.translate(e, "mute", "testing")).isInstanceOf(NotFoundException.class)
                .satisfies(n -> assertThat(((NotFoundException) n).kind()).isEqualTo("series"));
    }

    @Test
    void unmuting_a_series_that_does_not_exist_is_not_found_naming_series_and_one_without_a_mute_naming_mute() {
        assertThatThrownBy(() -> bm.annotations().unmute(4242, null, null, "ana")).isInstanceOf(NotFoundException.class)
                .satisfies(n -> assertThat(((NotFoundException) n).kind()).isEqualTo("series"));
        bm.record(dev.benchmon.BenchmarkResult.builder("m", "d").environment("ci").metric("f1", 0.9).build());
        int series = bm.jdbi().withHandle(h -> h.createQuery("SELECT id FROM series").mapTo(Integer.class).one());

        assertThatThrownBy(() -> bm.annotations().unmute(series, null, null, "ana")).isInstanceOf(NotFoundException.class)
                .satisfies(n -> assertThat(((NotFoundException) n).kind()).isEqualTo("mute"));
    }
}
