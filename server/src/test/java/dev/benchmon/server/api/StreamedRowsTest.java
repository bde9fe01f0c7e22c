package dev.benchmon.server.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The streamed answers' instants read exactly as {@link Instant#toString()} writes them. */
class StreamedRowsTest {
    @Test
    void instants_of_whole_milliseconds_read_as_instant_to_string_writes_them() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochMilli(random.nextLong(0, 253_402_300_800_000L));
            if (i % 3 == 0) {
                t = Instant.ofEpochSecond(t.getEpochSecond()); // whole seconds: no fraction
            }
            assertThat(StreamedRows.iso(t)).isEqualTo(t.toString());
        }
    }

    @Test
    void the_edges_and_instants_outside_the_fast_range_read_the_same() {
        for (Instant t : new Instant[] {Instant.EPOCH, Instant.parse("1970-01-01T00:00:00.001Z"),
                Instant.parse("2024-02-29T23:59:59.999Z"), Instant.parse("9999-12-31T23:59:59.999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("1969-12-31T23:59:59Z"),
                Instant.parse("2026-01-01T00:00:00.000000001Z"), Instant.parse("2026-01-01T00:00:00.120Z")}) {
            assertThat(StreamedRows.iso(t)).isEqualTo(t.toString());
        }
    }
}
