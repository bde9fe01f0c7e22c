package dev.benchmon.notebooks;

import dev.benchmon.BaselineMode;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
import dev.benchmon.detect.Verdict;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static dev.benchmon.support.Results.result;
import static org.assertj.core.api.Assertions.assertThat;

/** What help() in benchmon.jsh shows does what it says (JShellSessionIT types every line in a real jshell). */
class HelpExamplesTest {
    /** The help line that chooses a baseline. */
    private static String baselineExample() throws IOException {
        List<String> lines = JShellSessionIT.helpLines().stream().filter(l -> l.contains("withBaseline(")).toList();
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    @Test
    void the_baseline_example_calls_the_rule_that_honours_the_baseline() throws IOException {
        // The engine (bm.regressions, bm.detectRegressions) judges against each series' own segment and ignores it.
        assertThat(baselineExample()).startsWith("bm.simpleRuleRegressions(Filter.all(), "
                + "RegressionOptions.defaults().withBaseline(BaselineMode.PREVIOUS))");
    }

    @Test
    void the_baseline_example_compares_with_the_run_before_the_latest() {
        try (Benchmon bm = TestDatabases.fresh()) {
            for (int i = 0; i < 3; i++) {
                bm.record(result("help", "d", i, 0.90 - i * 0.05, 100));
            }
            // The example's call, as help() shows it: one baseline run (the previous), where the mean would use two.
            List<Verdict> vs = bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults().withBaseline(BaselineMode.PREVIOUS));
            assertThat(vs).isNotEmpty().allSatisfy(v -> assertThat(v.baselineRuns()).isEqualTo(1));
            assertThat(vs).filteredOn(v -> v.metric().equals("f1")).singleElement()
                    .satisfies(v -> assertThat(v.baseline()).isEqualTo(0.85));
        }
    }
}
