package dev.benchmon.detect;

import dev.benchmon.BaselineMode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
import dev.benchmon.ValidationException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's per-request options as a user passes them: {@code min_effect=2%} is relative, a plain
 * number absolute; a pinned baseline is refused by the engine (it is the simple rule's).
 * Series "lat": latency_ms alternating 100.5 / 99.5 for 20 runs (noise sd about 0.7 ms), then 106: 6% worse,
 * far beyond the noise and beyond latency's default relative minimum effect.
 */
class RegressionOptionsEngineTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;
    private static long firstRun;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        List<BenchmarkResult> runs = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            double v = i < 20 ? 100 + (i % 2 == 0 ? 0.5 : -0.5) : 106;
            runs.add(BenchmarkResult.builder("lat", "d").environment("ci").runAt(t0.plusSeconds(3600L * i))
                    .commitSha(String.format("%040x", i + 1)).metric("latency_ms", v).build());
        }
        for (BenchmarkResult r : runs) {
            long id = bm.record(r).transactionId();
            if (firstRun == 0) {
                firstRun = id;
            }
        }
    }

    private static Verdict latency(RegressionOptions options) {
        return bm.regressions(Filter.model("lat"), options).stream().filter(v -> v.metric().equals("latency_ms"))
                .findFirst().orElseThrow();
    }

    @Test
    void by_default_a_6_percent_latency_rise_far_beyond_the_noise_is_a_regression() {
        assertThat(latency(RegressionOptions.defaults()).regression()).isTrue();
    }

    @Test
    void a_percentage_minimum_effect_is_relative_to_the_baseline() {
        assertThat(latency(RegressionOptions.defaults().withMinEffect("10%")).regression()).isFalse();
        assertThat(latency(RegressionOptions.defaults().withMinEffect("2%")).regression()).isTrue();
        assertThat(RegressionOptions.defaults().withMinEffect("2%").relativeMinEffect()).isEqualTo(0.02);
    }

    @Test
    void a_plain_number_minimum_effect_is_absolute_in_the_metrics_unit() {
        // 10 (not 10%) means 10 ms, above the 6 ms rise; 2 means 2 ms, below it.
        assertThat(latency(RegressionOptions.defaults().withMinEffect("10")).regression()).isFalse();
        assertThat(latency(RegressionOptions.defaults().withMinEffect("2")).regression()).isTrue();
        assertThat(RegressionOptions.defaults().withMinEffect("2").minEffect()).isEqualTo(2.0);
    }

    /** 0 is the Java API's "no floor" (withMinEffect(0), detectRegressions(model, 0)): as text it is the same. */
    @Test
    void a_minimum_effect_of_zero_as_text_is_no_floor_as_the_number_zero_is() {
        for (String zero : List.of("0", "0.0", " 0% ")) {
            RegressionOptions o = RegressionOptions.defaults().withMinEffect(zero);

            assertThat(o).as(zero).isEqualTo(RegressionOptions.defaults().withMinEffect(0.0));
            assertThat(latency(o).regression()).as(zero).isTrue();
        }
        assertThatThrownBy(() -> RegressionOptions.defaults().withMinEffect("-1"))
                .hasMessageContaining("min_effect: must be a number >= 0 in the metric's unit (0: no floor), or a "
                        + "percentage such as 2%, got '-1'");
    }

    @Test
    void a_bad_minimum_effect_names_min_effect() {
        for (String bad : List.of("abc", "-2%", "-1", "%", "2%%", "NaN")) {
            assertThatThrownBy(() -> RegressionOptions.defaults().withMinEffect(bad)).as(bad)
                    .isInstanceOfSatisfying(ValidationException.class,
                            e -> assertThat(e.problems().get(0).field()).isEqualTo("min_effect"));
        }
    }

    @Test
    void the_engine_refuses_a_pinned_baseline_and_points_to_the_comparison_and_the_simple_rule() {
        assertThatThrownBy(() -> bm.regressions(Filter.all(), RegressionOptions.defaults().pinnedTo(firstRun)))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.problems().get(0).field()).isEqualTo("baseline");
                    assertThat(e.problems().get(0).message()).contains("compare").contains("detect_regressions");
                });
        // The simple rule still honours it.
        assertThat(bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults().pinnedTo(firstRun)))
                .anySatisfy(v -> assertThat(v.metric()).isEqualTo("latency_ms"));
        assertThat(RegressionOptions.defaults().pinnedTo(firstRun).baseline()).isEqualTo(BaselineMode.PINNED);
    }
}
