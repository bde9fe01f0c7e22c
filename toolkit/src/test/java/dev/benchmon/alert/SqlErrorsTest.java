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
    void a_not_found_error_is_of_the_kind_its_column_names_whatever_its_message_says() {
        JdbiException e = catchThrowableOfType(JdbiException.class, () -> bm.jdbi().useHandle(h -> h.execute(
                "DO $$ BEGIN RAISE EXCEPTION 'nothing here' USING ERRCODE = 'no_data_found', COLUMN = 'series'; END $$")));

        assertThat(SqlErrors.translate(e, "mute", "testing")).isInstanceOf(NotFoundException.class)
                .satisfies(n -> assertThat(((NotFoundException) n).kind()).isEqualTo("series"));
    }

    @Test
    void unmuting_a_series_that_does_not_exist_is_not_found_naming_series() {
        assertThatThrownBy(() -> bm.annotations().unmute(4242, null, null, "ana")).isInstanceOf(NotFoundException.class)
                .satisfies(n -> assertThat(((NotFoundException) n).kind()).isEqualTo("series"));
    }

    @Test
    void unmuting_a_series_without_a_mute_is_not_found_naming_mute() {
        bm.record(dev.benchmon.BenchmarkResult.builder("m", "d").environment("ci").metric("f1", 0.9).build());
        int series = bm.jdbi().withHandle(h -> h.createQuery("SELECT id FROM series").mapTo(Integer.class).one());

        assertThatThrownBy(() -> bm.annotations().unmute(series, null, null, "ana")).isInstanceOf(NotFoundException.class)
                .satisfies(n -> assertThat(((NotFoundException) n).kind()).isEqualTo("mute"));
    }
}
