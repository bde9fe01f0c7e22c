package dev.benchmon.query;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The exports' instants read exactly as {@link Instant#toString()} writes them. */
class InstantTextTest {
    @Test
    void instants_of_whole_milliseconds_in_any_order_read_as_instant_to_string_writes_them() {
        InstantText text = new InstantText();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochMilli(random.nextLong(0, 253_402_300_800_000L));
            if (i % 3 == 0) {
                t = Instant.ofEpochSecond(t.getEpochSecond()); // whole seconds: no fraction
            }
            assertThat(text.toString(t)).isEqualTo(t.toString());
        }
    }

    @Test
    void instants_a_few_minutes_apart_share_their_day_and_cross_midnight_as_instant_to_string_writes_them() {
        // A history's order: many instants of one day, then the next day's (the date part is reused within a day).
        InstantText text = new InstantText();
        SplittableRandom random = new SplittableRandom(11);
        long millis = Instant.parse("2023-12-30T22:00:00Z").toEpochMilli();
        for (int i = 0; i < 100_000; i++) {
            millis += random.nextLong(0, 600_000);
            Instant t = Instant.ofEpochMilli(i % 2 == 0 ? millis : millis / 1000 * 1000);
            assertThat(text.toString(t)).isEqualTo(t.toString());
        }
    }

    @Test
    void the_edges_and_instants_outside_the_fast_range_read_the_same() {
        InstantText text = new InstantText();
        for (Instant t : new Instant[] {Instant.EPOCH, Instant.parse("1970-01-01T00:00:00.001Z"),
                Instant.parse("2024-02-29T23:59:59.999Z"), Instant.parse("9999-12-31T23:59:59.999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("1969-12-31T23:59:59Z"),
                Instant.parse("2026-01-01T00:00:00.000000001Z"), Instant.parse("2026-01-01T00:00:00.120Z"),
                Instant.parse("2026-01-01T23:59:59Z"), Instant.parse("2026-01-02T00:00:00Z")}) {
            assertThat(text.toString(t)).isEqualTo(t.toString());
        }
    }

    @Test
    void instants_of_whole_microseconds_as_the_database_stores_them_read_as_instant_to_string_writes_them() {
        InstantText text = new InstantText();
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 100_000; i++) {
            long micros = random.nextLong(0, 253_402_300_800_000_000L);
            Instant t = Instant.ofEpochSecond(micros / 1_000_000, micros % 1_000_000 * 1_000);
            assertThat(text.toString(t)).isEqualTo(t.toString());
        }
        assertThat(text.toString(Instant.parse("2026-01-31T12:00:00.123456Z"))).isEqualTo("2026-01-31T12:00:00.123456Z");
        assertThat(text.toString(Instant.parse("2026-01-31T12:00:00.000100Z"))).isEqualTo("2026-01-31T12:00:00.000100Z");
    }
}
