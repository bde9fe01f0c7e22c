package dev.benchmon.server.web;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.MetricDirection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A metric declared with direction none (as pytest-benchmark's stddev is) is tracked and never judged: the snapshot
 * and comparison say so rather than ask to declare it. On the shared page fixture, a model of its own (environment
 * {@code tracked-none}) reporting {@code spread_none} (declared none) and {@code spread_unknown} (not declared).
 */
class DirectionNoneTitlesTest {
    private static final String ENV = "tracked-none";
    private static final boolean RECORDED = record(DashboardFixture.shared());
    private static final String NONE_TITLE = "title=\"tracked, never judged (direction none)\"";
    private static final String UNKNOWN_TITLE = "title=\"direction unknown: declare it with benchmon metrics define\"";
    private final DashboardFixture f = DashboardFixture.shared();

    private static boolean record(DashboardFixture f) {
        f.benchmon.defineMetric("spread_none", MetricDirection.NONE, "ms", "how much the timings vary");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        for (int i = 1; i <= 2; i++) {
            f.benchmon.record(BenchmarkResult.builder("none-model", "known-set").environment(ENV)
                    .runAt(now.minus(Duration.ofDays(i))).metric("spread_none", i).metric("spread_unknown", i).build());
        }
        return true;
    }

    @Test
    void the_snapshot_header_of_a_metric_declared_none_says_it_is_never_judged() {
        assertThat(RECORDED).isTrue();
        String html = f.get("/?env=" + ENV + "&range=7d").body();

        assertThat(html).contains("<span class=\"label\">spread_none</span><span class=\"dir\" " + NONE_TITLE + ">")
                .contains("<span class=\"label\">spread_unknown</span><span class=\"dir\" " + UNKNOWN_TITLE + ">");
    }

    @Test
    void the_comparison_of_a_metric_declared_none_says_it_is_never_judged() {
        assertThat(RECORDED).isTrue();
        String html = f.get("/compare?env=" + ENV + "&range=7d&metric=spread_none").body();

        assertThat(html).contains("spread_none <span class=\"dir\" " + NONE_TITLE + ">");
    }
}
