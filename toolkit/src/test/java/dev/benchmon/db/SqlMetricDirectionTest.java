package dev.benchmon.db;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.MetricDirection;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a psql user gets from {@code metric_direction(name)} and {@code detect_regressions()} called without the
 * engine's directions: the same direction the toolkit, API and CLI give, never a guess by substring. Series "m":
 * eight steady runs of {@code eval_wer}, {@code memory_bandwidth_gbps} and {@code weird_thing} (a name neither
 * declared nor in the engine's dictionary), then a run where {@code weird_thing} fell by half.
 */
class SqlMetricDirectionTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < 9; i++) {
            bm.record(BenchmarkResult.builder("m", "d").environment("ci").runAt(t0.plusSeconds(3600L * i))
                    .metric("eval_wer", 0.2 + (i % 2) * 0.001).metric("memory_bandwidth_gbps", 900 + i % 2)
                    .metric("weird_thing", i < 8 ? 10 + (i % 2) * 0.01 : 5).build());
        }
    }

    private static String sqlDirection(String metric) {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT metric_direction(:m)").bind("m", metric)
                .mapTo(String.class).one());
    }

    @Test
    void a_judged_metric_has_the_engines_direction_from_its_name() {
        assertThat(sqlDirection("eval_wer")).isEqualTo("lower_is_better").isEqualTo(bm.direction("eval_wer").sqlName());
        // A substring match on "memory" called this lower-is-better; the engine reads it as a bandwidth.
        String bandwidth = bm.jdbi().withHandle(h -> h.createQuery("SELECT direction FROM detection_verdicts "
                + "WHERE metric = 'memory_bandwidth_gbps' LIMIT 1").mapTo(String.class).one());
        assertThat(bandwidth).isEqualTo("higher_is_better");
    }

    @Test
    void a_name_nobody_declared_and_the_dictionary_does_not_know_is_unknown() {
        assertThat(sqlDirection("weird_thing")).isEqualTo("unknown").isEqualTo(bm.direction("weird_thing").sqlName());
        assertThat(sqlDirection("never_pushed")).isEqualTo("unknown");
    }

    @Test
    void detect_regressions_without_directions_calls_a_drop_of_an_unknown_metric_a_change_not_a_regression() {
        Map<String, Object> row = bm.jdbi().withHandle(h -> h.createQuery(
                "SELECT direction, is_regression, outcome FROM detect_regressions() WHERE metric = 'weird_thing'")
                .mapToMap().one());
        assertThat(row).containsEntry("direction", "unknown").containsEntry("is_regression", false)
                .containsEntry("outcome", "changed_direction_unknown");
    }

    /**
     * A definition against the dictionary wins in SQL too, and the stored verdicts follow it at once (defining re-judges
     * the series that report the metric). On a metric of its own series: the other tests read memory_bandwidth_gbps'
     * verdicts as the dictionary directs them.
     */
    @Test
    void a_definition_wins_over_the_dictionary_in_sql_and_in_the_stored_verdicts() {
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < 9; i++) {
            bm.record(BenchmarkResult.builder("defined", "d").environment("ci").runAt(t0.plusSeconds(3600L * i))
                    .metric("cache_bandwidth_gbps", 900 + i % 2).build());
        }
        String before = storedDirection("cache_bandwidth_gbps");

        bm.defineMetric("cache_bandwidth_gbps", MetricDirection.LOWER_IS_BETTER, null, "declared against the dictionary");

        assertThat(before).isEqualTo("higher_is_better");
        assertThat(sqlDirection("cache_bandwidth_gbps")).isEqualTo("lower_is_better");
        assertThat(storedDirection("cache_bandwidth_gbps")).isEqualTo("lower_is_better");
    }

    private static String storedDirection(String metric) {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT direction FROM detection_verdicts WHERE metric = :m LIMIT 1")
                .bind("m", metric).mapTo(String.class).one());
    }
}
