package dev.benchmon.alert;

import dev.benchmon.Benchmon;
import dev.benchmon.detect.Severity;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grades' bounds are written once (Severity): SQL's grading of an alert's change now, given them, agrees with the
 * detector's. A minor alert opened at -50% from a baseline of 1 has size 1 at its opening; at -50% x k its size is k.
 * -50% keeps the sizes at the bounds exact in float8 (1 - 0.5 x 1.5 = 0.25, 1 - 0.5 x 3 = -0.5, each over -0.5), so
 * the bounds themselves tell a {@code >=} from a {@code >}.
 */
class SeverityBoundsTest {
    // alert_severity_now is IMMUTABLE and reads no table: one database serves every case.
    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void open() {
        bm = TestDatabases.fresh();
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(doubles = {1.2, Severity.MAJOR - 0.01, Severity.MAJOR, Severity.MAJOR + 0.01, 2.9, Severity.CRITICAL,
            Severity.CRITICAL + 0.01, 5})
    void sql_grades_an_alerts_change_now_as_the_detector_grades_a_regression_of_that_size(double size) {
        String sql = bm.jdbi().withHandle(h -> h.createQuery(
                        "SELECT alert_severity_now('minor', -0.5, 1.0, 1.0 - 0.5 * :k, :major, :critical)")
                .bind("k", size).bind("major", Severity.MAJOR).bind("critical", Severity.CRITICAL)
                .mapTo(String.class).one());

        assertThat(sql).isEqualTo(Severity.of(size));
    }
}
