package dev.benchmon.compare;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.UnknownNameException;
import dev.benchmon.ValidationException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The toolkit's paired comparison of two model versions picks the environment as benchmon compare and the API do,
 * from the results that count: an excluded run is neither a model's latest result nor makes a choice.
 */
class ComparisonEnvironmentTest {
    private static final Instant T0 = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();

    private long result(String model, String environment, int hours) {
        return bm.record(BenchmarkResult.builder(model, "qa").environment(environment)
                .runAt(T0.plus(hours, ChronoUnit.HOURS)).metric("accuracy", 0.8).build()).transactionId();
    }

    private void exclude(long run) {
        bm.annotations().exclude(run, "runner lost its GPU", "ana");
    }

    @Test
    void two_model_versions_are_compared_in_the_one_environment_both_have_results_in() {
        result("base", "ci", 0);
        result("cand", "ci", 1);
        result("base", "laptop", 2); // base's newest result, in an environment cand has none in

        RunComparison c = bm.comparison("base", "cand");

        assertThat(c.a().environment()).isEqualTo("ci");
        assertThat(c.b().environment()).isEqualTo("ci");
        assertThat(bm.comparison("base", "cand", CompareOptions.defaults()).toString()).isEqualTo(c.toString());
        assertThat(bm.comparison("base", "cand", null, null, CompareOptions.defaults()).toString()).isEqualTo(c.toString());
    }

    /** It said "no model or result is named 'cand' (known: base, cand)". */
    @Test
    void a_model_without_results_in_the_environment_named_is_refused_naming_the_environment_not_as_unknown() {
        result("base", "ci", 0);
        result("base", "prod", 1);
        result("cand", "ci", 2);

        assertThatThrownBy(() -> bm.comparison("base", "cand", null, "prod", CompareOptions.defaults()))
                .isInstanceOf(dev.benchmon.InvalidArgumentException.class)
                .hasMessageContaining("environment: model 'cand' has no result in environment 'prod' (it has results in: ci)");
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

    @Test
    void an_environment_where_every_run_of_a_model_is_excluded_is_not_shared() {
        result("base", "ci", 0);
        result("cand", "ci", 1);
        exclude(result("base", "nightly", 2));
        result("cand", "nightly", 3);

        // base has no result that counts in nightly: the one environment both have is ci, as the compare page offers
        assertThat(bm.comparison("base", "cand", null, null, CompareOptions.defaults()).a().environment())
                .isEqualTo("ci");
        assertThat(ResultRefs.shared(bm.readJdbi(), "base", "cand", null, null))
                .containsExactly(new ResultRefs.Shared("qa", "ci"));
    }

    /** base has no result in nightly, which refuses it; B naming nothing at all is the mistake said first. */
    @Test
    void an_unknown_b_is_named_before_a_model_a_without_results_in_the_environment() {
        result("base", "ci", 0);

        assertThatThrownBy(() -> bm.comparison("base", "nosuch", null, "nightly", CompareOptions.defaults()))
                .isInstanceOfSatisfying(UnknownNameException.class, e -> assertThat(e.name()).isEqualTo("nosuch"));
    }

    @Test
    void a_model_whose_newest_run_is_excluded_is_compared_by_its_newest_run_that_counts() {
        long counts = result("base", "ci", 0);
        exclude(result("base", "ci", 2));
        result("cand", "ci", 1);

        assertThat(bm.comparison("base", "cand", null, null, CompareOptions.defaults()).a().id()).isEqualTo(counts);
    }

    @Test
    void a_model_whose_every_run_is_excluded_is_refused_naming_it_and_offered_to_nobody() {
        result("base", "ci", 0);
        exclude(result("cand", "ci", 1));

        assertThatThrownBy(() -> bm.comparison("base", "cand", null, null, CompareOptions.defaults()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("model 'cand' has no run that counts: every run of it is excluded");
        // the compare page's choice of models to compare base with
        assertThat(ResultRefs.sharingWith(bm.readJdbi(), "base", java.util.List.of("cand"), null, null)).isEmpty();
    }
}
