package dev.benchmon.detect;

import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A metric's value is worded twice, once per language: Java's {@link MetricJudge#formatValue} (the push summary, the
 * findings' texts) and the database's {@code benchmon_format_value} (the alert history events SQL writes). The same
 * double asked of both gives the same text.
 */
class FormatValueParityTest {
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    @ParameterizedTest(name = "{0}")
    @ValueSource(doubles = {
            0.7612345678, 0.85, 0.6, 0.0, -0.0, -0.31875, 1234.5, // 1235: half up, from the shortest decimal
            9999.4, 9999.5, 12345, -1299.5, 123456789, // grouped from 10,000 up
            0.99995, 0.00012345, 0.000099995, 2.5e-5, -1e-9, // fixed from 0.0001 down, then 1.000e-09
            6.7765e23, // grouped from the exact value: 677,600,... (the shortest decimal would round up)
            1.7976931348623157e308, 2.2250738585072014e-308, 1e-310, // the largest, least normal, a subnormal
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void sql_and_java_word_a_value_alike(double value) {
        assertThat(sql(value)).isEqualTo(MetricJudge.formatValue(value));
    }

    @Test
    void a_null_value_has_no_text() {
        String text = bm.jdbi().withHandle(h -> h.createQuery("SELECT benchmon_format_value(NULL)")
                .mapTo(String.class).one());

        assertThat(text).isNull();
    }

    @Test
    void the_text_does_not_depend_on_the_sessions_float_digits() {
        // extra_float_digits 0 writes float8 with 15 digits: 0.12344999999999999 would read 0.12345 and round up.
        String text = bm.jdbi().inTransaction(h -> {
            h.execute("SET LOCAL extra_float_digits = 0");
            return h.createQuery("SELECT benchmon_format_value(:v)").bind("v", 0.12344999999999999)
                    .mapTo(String.class).one();
        });

        assertThat(text).isEqualTo("0.1234").isEqualTo(MetricJudge.formatValue(0.12344999999999999));
    }

    private String sql(double value) {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT benchmon_format_value(:v)").bind("v", value)
                .mapTo(String.class).one());
    }
}
