package dev.benchmon.alert;

import dev.benchmon.Benchmon;
import dev.benchmon.detect.Severity;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grades' bounds are written once (Severity): SQL's grading of an alert's change now, given them, agrees with the
 * detector's. A minor alert opened at -10% from a baseline of 1 has size 1 at its opening; at -10% x k its size is k.
 */
class SeverityBoundsTest {
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    @ParameterizedTest(name = "size {0}")
    @ValueSource(doubles = {1.2, Severity.MAJOR - 0.01, Severity.MAJOR + 0.01, 2.9, Severity.CRITICAL + 0.01, 5})
    void sql_grades_an_alerts_change_now_as_the_detector_grades_a_regression_of_that_size(double size) {
        String sql = bm.jdbi().withHandle(h -> h.createQuery(
                        "SELECT alert_severity_now('minor', -0.1, 1.0, 1.0 - 0.1 * :k, :major, :critical)")
                .bind("k", size).bind("major", Severity.MAJOR).bind("critical", Severity.CRITICAL)
                .mapTo(String.class).one());

        assertThat(sql).isEqualTo(Severity.of(size));
    }
}
