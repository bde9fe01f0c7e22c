package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chart marks read the metric definitions (a change point's text of a proportion reads in points) only when there is a
 * change point to describe: every Trends page reads marks, and most ranges have none.
 */
class ChartMarksStatementsTest {

    @Test
    void marks_without_a_change_point_do_not_read_the_metric_definitions() {
        try (Benchmon bm = TestDatabases.fresh()) {
            bm.record(BenchmarkResult.builder("m", "d").runAt(Instant.parse("2026-03-01T00:00:00Z")).metric("f1", 0.8)
                    .notes("a note").build());
            List<String> statements = new CopyOnWriteArrayList<>();
            Jdbi counted = Jdbi.create(() -> bm.database().dataSource().getConnection()).setSqlLogger(new SqlLogger() {
                @Override
                public void logAfterExecution(StatementContext ctx) {
                    statements.add(ctx.getRenderedSql());
                }
            });

            assertThat(new ChartMarksQuery(counted).marks(Filter.all(), List.of("f1"))).containsKey("f1");

            assertThat(statements).hasSize(2).noneMatch(sql -> sql.contains("metric_definitions"));
        }
    }
}
