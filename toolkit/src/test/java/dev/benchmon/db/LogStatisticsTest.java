package dev.benchmon.db;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partitioned log's own planner statistics ({@link LogStatistics}), which autovacuum never gathers: a database
 * written by pushes alone (no bulk load, which refreshes its own) gets them from the check, and only when they are
 * missing or the log grew by more than a tenth.
 */
class LogStatisticsTest {
    @AutoClose
    private final Benchmon bm = TestDatabases.freshLeastPrivilege(); // as the server's login calls it

    @Test
    void a_log_written_by_pushes_alone_is_analyzed_once_and_not_again_until_it_grows() throws Exception {
        assertThat(parentRows()).as("a partitioned table autovacuum never analyzes").isLessThanOrEqualTo(0);
        for (int i = 0; i < 3; i++) {
            bm.record(BenchmarkResult.builder("m", "d").runAt(Instant.now().minusSeconds(60L * i)).metric("f1", 0.5 + i / 100.0)
                    .build());
        }

        // The months' live rows reach the statistics system within a second or so of the commits.
        boolean analyzed = false;
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!analyzed && System.nanoTime() < until) {
            analyzed = LogStatistics.refresh(bm.jdbi());
            if (!analyzed) {
                Thread.sleep(250);
            }
        }

        assertThat(analyzed).isTrue();
        assertThat(parentRows()).isEqualTo(3);
        long inheritedStatistics = bm.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stats WHERE "
                + "tablename = 'benchmark_log' AND schemaname = current_schema() AND inherited").mapTo(Long.class).one());
        assertThat(inheritedStatistics).isPositive();
        assertThat(LogStatistics.refresh(bm.jdbi())).as("no growth since").isFalse();
    }

    /** What the planner believes the partitioned log holds: -1 before its first ANALYZE. */
    private double parentRows() {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT reltuples FROM pg_class WHERE oid = 'benchmark_log'::regclass")
                .mapTo(Double.class).one());
    }
}
