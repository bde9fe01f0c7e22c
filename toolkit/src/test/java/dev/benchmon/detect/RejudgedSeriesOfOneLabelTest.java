package dev.benchmon.detect;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Regressions judged again under a request's minimum effect keep each row with its own series: model "org / m" with
 * dataset "d" and model "org" with dataset "m / d" read the same ("org / m / d @ci"), yet are two series.
 */
class RejudgedSeriesOfOneLabelTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    /** 21 hourly runs of latency_ms alternating about {@code level}, the last at {@code last}. */
    private static void record(Benchmon bm, String model, String dataset, double level, double last) {
        for (int i = 0; i < 21; i++) {
            double v = i < 20 ? level + (i % 2 == 0 ? 0.5 : -0.5) : last;
            bm.record(BenchmarkResult.builder(model, dataset).environment("ci").runAt(T0.plusSeconds(3600L * i))
                    .commitSha(String.format("%040x", i + 1)).metric("latency_ms", v).build());
        }
    }

    @Test
    void two_series_of_the_same_label_are_each_judged_again_as_themselves() {
        try (Benchmon bm = TestDatabases.fresh()) {
            record(bm, "org / m", "d", 100, 106);   // 6 ms worse
            record(bm, "org", "m / d", 50, 50.5);  // within noise

            List<Verdict> verdicts = bm.regressions(Filter.all(), RegressionOptions.defaults().withMinEffect("2"));

            assertThat(verdicts).filteredOn(v -> v.metric().equals("latency_ms"))
                    .extracting(Verdict::modelVersion, Verdict::datasetVersion, Verdict::current, Verdict::regression)
                    .containsExactlyInAnyOrder(tuple("org / m", "d", 106.0, true), tuple("org", "m / d", 50.5, false));
        }
    }
}
