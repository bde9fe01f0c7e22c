package dev.benchmon.detect;

import dev.benchmon.Arguments;
import dev.benchmon.Benchmon;
import dev.benchmon.InvalidArgumentException;
import dev.benchmon.RegressionOptions;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import static dev.benchmon.support.Results.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code bm.detectRegressions(model, threshold)}: the threshold is honoured as the
 * smallest relative change that counts, on top of the noise model. Series "steady": twelve runs of f1 0.900 +- 0.001,
 * then 0.873, 3% worse and far beyond the noise.
 */
class RegressionThresholdTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        for (int i = 0; i < 12; i++) {
            bm.record(result("steady", "d", i, 0.900 + 0.001 * (i % 3 - 1), 100));
        }
        bm.record(result("steady", "d", 12, 0.873, 100));
    }

    private static boolean f1IsRegression(Table t) {
        Table f1 = t.where(t.stringColumn("metric").isEqualTo("f1"));
        assertThat(f1.rowCount()).isEqualTo(1);
        return f1.booleanColumn("is_regression").get(0);
    }

    @Test
    void a_change_under_the_threshold_is_not_a_regression() {
        assertThat(f1IsRegression(bm.detectRegressions("steady", 0.05))).isFalse();
    }

    @Test
    void a_change_over_the_threshold_is_a_regression() {
        assertThat(f1IsRegression(bm.detectRegressions("steady", 0.02))).isTrue();
    }

    @Test
    void a_threshold_of_zero_leaves_the_noise_model_alone_to_decide() {
        assertThat(f1IsRegression(bm.detectRegressions("steady", 0))).isTrue();
    }

    @Test
    void a_threshold_over_one_is_refused_as_a_likely_percentage() {
        assertThatThrownBy(() -> bm.detectRegressions("steady", 5)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid argument: threshold: must be a finite number >= 0 and at most 1")
                .hasMessageContaining("0.05 means 5%").hasMessageContaining("got 5.0 (500%)");
    }

    @Test
    void regression_options_with_a_threshold_over_one_are_refused_as_detect_regressions_refuses_it() {
        // They were accepted, and the simple rule then flagged only changes of more than 500%.
        assertThatThrownBy(() -> RegressionOptions.defaults().withThreshold(5)).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("invalid argument: threshold: " + Arguments.FRACTION + ", got 5.0 (500%)");
    }

    @Test
    void a_threshold_that_is_not_a_number_is_refused() {
        assertThatThrownBy(() -> bm.detectRegressions("steady", Double.NaN)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("invalid argument: threshold: ");
    }
}
