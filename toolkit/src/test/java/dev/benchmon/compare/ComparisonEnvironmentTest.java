package dev.benchmon.compare;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.ValidationException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The toolkit's paired comparison of two model versions picks the environment as benchmon compare and the API do. */
class ComparisonEnvironmentTest {
    private static final Instant T0 = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    private void result(String model, String environment, int hours) {
        bm.record(BenchmarkResult.builder(model, "qa").environment(environment).runAt(T0.plus(hours, ChronoUnit.HOURS))
                .metric("accuracy", 0.8).build());
    }

    @Test
    void two_model_versions_are_compared_in_the_one_environment_both_have_results_in() {
        result("base", "ci", 0);
        result("cand", "ci", 1);
        result("base", "laptop", 2); // base's newest result, in an environment cand has none in

        RunComparison c = bm.comparison("base", "cand", null, null, CompareOptions.defaults());

        assertThat(c.a().environment()).isEqualTo("ci");
        assertThat(c.b().environment()).isEqualTo("ci");
    }

    @Test
    void two_model_versions_sharing_several_environments_are_refused_until_one_is_named() {
        for (String env : new String[] {"ci", "nightly"}) {
            result("base", env, 0);
            result("cand", env, 1);
        }

        assertThatThrownBy(() -> bm.comparison("base", "cand", null, null, CompareOptions.defaults()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("several environments (ci, nightly)");
        assertThat(bm.comparison("base", "cand", null, "nightly", CompareOptions.defaults()).a().environment())
                .isEqualTo("nightly");
    }
}
