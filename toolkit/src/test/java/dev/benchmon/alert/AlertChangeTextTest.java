package dev.benchmon.alert;

import dev.benchmon.Benchmon;
import dev.benchmon.detect.MetricJudge;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Points or percent" is stated twice, once per language: Java's {@link Alert#changeText} (an alert's
 * {@code change}, by {@link MetricJudge#inPoints} and a verdict's words) and the database's {@code alert_change_text} (the severity-escalation event that
 * alert_regrade writes). They must agree: the same changes, asked of both, the same text.
 */
class AlertChangeTextTest {
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    @ParameterizedTest(name = "{0} of {1}, proportion {2}: {3}")
    @CsvSource({
            "-0.3181818181818182, 0.88, true,  -28.0 points", // f1 0.88 to 0.60
            "-0.20454545454545453, 0.88, true, -18.0 points",
            "0.25,                0.4,  true,  +10.0 points",
            "-0.3181818181818182, 0.88, false, -31.8%",       // a unit that is no proportion
            "0.5,                 2.0,  true,  +50.0%",       // a level outside [0, 1]: no proportion's
            "2.0,                 0.6,  true,  +200.0%",      // a change beyond 100 points
            "-0.31875,            0.88, true,  -28.0 points", // 0.88 to 0.5995: -28.049999999999997 points as a double
            "-0.0004545454545454, 0.88, true,  -0.04 points", // a drop one decimal would show as -0.0: two significant digits
            "-0.000454545454545,  0.88, false, -0.045%",
            "0.0000022727272727,  0.88, true,  +0.0002 points", // 0.88 to 0.880002
            "-0.0000005,          1.0,  false, -0.0%",        // below 0.0001%: a double's rounding, no change
            "0.00049,             1.0,  false, +0.049%",
            "-0.000495,           1.0,  false, -0.05%",       // 0.0495 rounds half up to 0.050, written 0.05
            "0.0000999,           1.0,  false, +0.01%",       // 0.00999 to two digits crosses to 0.010, written 0.01
            "0.0005,              1.0,  false, +0.1%",        // 0.05 rounds to 0.1 at one decimal
            "0.0,                 0.88, true,  +0.0 points",
            "-0.0,                1.0,  false, -0.0%",        // the sign bit, as Java's %+.1f writes it
            "NaN,                 1.0,  false, NaN%",
            "Infinity,            1.0,  false, +Infinity%",
            "-Infinity,           1.0,  false, -Infinity%"})
    void sql_and_java_word_a_change_alike(double relative, double baseline, boolean proportion, String expected) {
        String sql = bm.jdbi().withHandle(h -> h.createQuery("SELECT alert_change_text(:r, :b, :p)")
                .bind("r", relative).bind("b", baseline).bind("p", proportion).mapTo(String.class).one());

        assertThat(sql).isEqualTo(expected);
        assertThat(Alert.changeText(relative, baseline, proportion)).isEqualTo(expected);
    }
}
