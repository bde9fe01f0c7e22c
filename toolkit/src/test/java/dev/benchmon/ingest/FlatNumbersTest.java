package dev.benchmon.ingest;

import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metrics of a streamed answer are read by a scan of PostgreSQL's jsonb text ({@link FlatNumbers}), with
 * Jackson's parser for anything else: both give the same names and numbers as {@link ResultJson#forEachMetric}.
 */
class FlatNumbersTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void open() {
        bm = TestDatabases.fresh();
    }

    /** What a reader of the numbers sees: "name=value" per number, in order. */
    private static List<String> asText(String json) {
        List<String> out = new ArrayList<>();
        ResultJson.forEachMetricText(json, (name, text, offset, length) -> out.add(name + "=" + Double.parseDouble(new String(text, offset, length))));
        return out;
    }

    private static List<String> asDoubles(String json) {
        List<String> out = new ArrayList<>();
        ResultJson.forEachMetric(json, (name, value) -> out.add(name + "=" + value));
        return out;
    }

    /** The jsonb text PostgreSQL writes for {@code json}. */
    private static String stored(String json) {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT CAST(:j AS jsonb)::text").bind("j", json).mapTo(String.class).one());
    }

    @Test
    void metrics_as_postgresql_writes_them_are_scanned_without_a_parser_and_read_as_the_same_numbers() {
        for (String json : List.of("{\"f1\": 0.8, \"cost\": 2, \"latency_ms\": 310.5}", "{}", "{\"a\": -0.0, \"b\": 1e-7, \"c\": 1.5E+300}",
                "{\"train/loss\": 12345678901234567890.5, \"é\": 0.25, \"x y\": -3}")) {
            String pg = stored(json);
            assertThat(FlatNumbers.forEach(pg, (name, text, offset, length) -> { })).as(pg).isTrue();
            assertThat(asText(pg)).as(pg).isEqualTo(asDoubles(pg)).hasSize(ResultJson.readMetrics(pg).size());
        }
        assertThat(asText(stored("{\"b\": 1e-7}"))).containsExactly("b=1.0E-7");
    }

    @Test
    void anything_but_a_flat_object_of_numbers_with_plain_keys_is_left_to_jackson_with_the_same_answer() {
        for (String json : List.of("{\"quote\\\"d\": 1, \"f1\": 0.5}", "{\"f1\": 0.5, \"nested\": {\"x\": 1}, \"s\": \"text\"}",
                "{\"t\": true, \"n\": null, \"f1\": 0.5, \"list\": [1, 2]}", "{\"tab\\tkey\": 2}")) {
            String pg = stored(json);
            assertThat(FlatNumbers.forEach(pg, (name, text, offset, length) -> { })).as(pg).isFalse();
            assertThat(asText(pg)).as(pg).isEqualTo(asDoubles(pg));
        }
        assertThat(asText(stored("{\"quote\\\"d\": 1, \"f1\": 0.5}"))).containsExactly("f1=0.5", "quote\"d=1.0");
    }

    @Test
    void malformed_text_is_never_half_read() {
        for (String json : List.of("{\"a\": 1,", "{\"a\": 01}", "{\"a\": 1.}", "{\"a\": -}", "{\"a\" 1}", "[1, 2]", "{\"a\": 1} x")) {
            List<String> seen = new ArrayList<>();
            assertThat(FlatNumbers.forEach(json, (name, text, offset, length) -> seen.add(name))).as(json).isFalse();
            assertThat(seen).as(json).isEmpty();
        }
    }
}
