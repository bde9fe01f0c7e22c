package dev.benchmon.detect;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.Map;

import static dev.benchmon.support.Results.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's trial: twenty runs of accuracy about 0.82 (noise about 0.005), then 0.785, a drop of 7.7 noise sd and
 * 4.2% of the baseline. Push called it a major regression; the README's {@code bm.detectRegressions(model, 0.05)}
 * said {@code ok}, and the user concluded there was none. The toolkit's call as the docs show it now agrees with push,
 * and the threshold overload never calls such a drop plain {@code ok}.
 */
class DetectRegressionsAsPushTest {
    private static final String MODEL = "summarizer-v3";
    private static final double[] NOISE = {0, 0.006, -0.004, 0.003, -0.007, 0.002, 0.005, -0.003, -0.001, 0.004};

    @AutoClose // after the class's last test
    private static Benchmon bm;
    private static MetricJudgement pushed;

    private static BenchmarkResult run(int i, double accuracy) {
        return run(MODEL, i, accuracy);
    }

    private static BenchmarkResult run(String model, int i, double accuracy) {
        return BenchmarkResult.builder(model, "news-v1").environment("ci").runAt(T0.plusSeconds(i * 3600L))
                .metric("accuracy", accuracy).build();
    }

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        for (int i = 0; i < 20; i++) {
            bm.record(run(i, 0.82 + NOISE[i % NOISE.length]));
            bm.record(run("steady-v1", i, 0.82 + NOISE[i % NOISE.length]));
        }
        bm.record(run("steady-v1", 20, 0.823));
        // As push records it: its verdict is what push printed, alerted and the dashboard shows.
        Benchmon.Recorded r = bm.recordJudged(List.of(run(20, 0.785)), Map.of(), DetectionOverrides.NONE);
        pushed = r.verdicts().values().iterator().next().metrics().stream()
                .filter(m -> m.metric().equals("accuracy")).findFirst().orElseThrow().judgement();
    }

    private static Row accuracy(Table t) {
        Table a = t.where(t.stringColumn("metric").isEqualTo("accuracy"));
        assertThat(a.rowCount()).as(t.print()).isEqualTo(1);
        return a.row(0);
    }

    @Test
    void push_calls_the_drop_a_regression() {
        assertThat(pushed.outcome()).isEqualTo(Outcome.REGRESSION);
        assertThat(Math.abs(pushed.z())).isGreaterThan(5);
        assertThat(pushed.relativeChange()).isBetween(-0.05, -0.03);
    }

    @Test
    void detect_regressions_of_a_model_judges_as_push_did() {
        Row a = accuracy(bm.detectRegressions(MODEL));

        assertThat(a.getString("outcome")).isEqualTo("regression");
        assertThat(a.getBoolean("is_regression")).isTrue();
        assertThat(a.getString("severity")).isEqualTo(pushed.severity(DetectionSettings.DEFAULT_SENSITIVITY));
        assertThat(a.getDouble("z")).isEqualTo(pushed.z());
    }

    @Test
    void a_drop_beyond_the_noise_under_the_callers_minimum_effect_is_below_min_effect_not_ok() {
        Row a = accuracy(bm.detectRegressions(MODEL, 0.05));

        assertThat(a.getBoolean("is_regression")).isFalse();
        assertThat(a.getString("outcome")).isEqualTo("below_min_effect");
        assertThat(a.getString("explanation"))
                .startsWith("beyond the noise but below the minimum effect given (5% of the baseline: 0.041")
                .endsWith("; at the metric's own settings (as push judged it): regression");
    }

    @Test
    void a_run_within_the_noise_stays_ok_under_a_callers_minimum_effect() {
        Row a = accuracy(bm.detectRegressions("steady-v1", 0.05));

        assertThat(a.getString("outcome")).isEqualTo("ok");
        assertThat(a.getString("explanation")).startsWith("within noise: ");
    }

    @Test
    void a_threshold_under_the_drop_flags_it_as_push_did() {
        Row a = accuracy(bm.detectRegressions(MODEL, 0.02));

        assertThat(a.getString("outcome")).isEqualTo("regression");
        assertThat(a.getBoolean("is_regression")).isTrue();
    }
}
