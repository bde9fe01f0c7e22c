package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trends charts the focus model's metrics as reported over the chosen range, not only those of its latest results:
 * a metric the model stopped reporting still has its history in the range. On the shared page fixture, a model of
 * its own (environment {@code stopped}): 20 days ago f1 and old_only, 3 days ago f1 and perplexity, a day ago f1.
 */
class TrendsReportedMetricsTest {
    private static final String MODEL = "stopping-model";
    private static final boolean RECORDED = record(DashboardFixture.shared());
    private final DashboardFixture f = DashboardFixture.shared();

    private static boolean record(DashboardFixture f) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        f.benchmon.record(run(now.minus(Duration.ofDays(20))).metric("f1", 0.5).metric("old_only", 1).build());
        f.benchmon.record(run(now.minus(Duration.ofDays(3))).metric("f1", 0.6).metric("perplexity", 12).build());
        f.benchmon.record(run(now.minus(Duration.ofDays(1))).metric("f1", 0.61).build());
        return true;
    }

    private static BenchmarkResult.Builder run(Instant at) {
        return BenchmarkResult.builder(MODEL, "known-set").environment("stopped").runAt(at);
    }

    /** The metrics of the page's small charts (each placeholder names its metric), in order. */
    private List<String> smallCharts(String range) {
        assertThat(RECORDED).isTrue();
        String html = f.get("/trends?env=stopped&range=" + range + "&metric=f1&focus=" + MODEL).body();
        return List.copyOf(Html.smallCharts(html).keySet());
    }

    @Test
    void aMetricTheModelStoppedReportingWithinTheRangeIsCharted() {
        assertThat(smallCharts("7d")).containsExactly("f1", "perplexity");
    }

    @Test
    void aMetricReportedOnlyBeforeTheRangeIsNot() {
        assertThat(smallCharts("7d")).doesNotContain("old_only");
        assertThat(smallCharts("30d")).containsExactly("f1", "old_only", "perplexity");
    }
}
