package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.MetricDirection;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The definitions of named metrics ({@link Catalog#metricDefinitions(java.util.Collection)}): the rows
 * {@code metricDefinitions()} has for them and no others, read in one statement, so that a page drawing a few
 * metrics does not read every metric name in the database. Statements are counted by {@link CountingCatalog}.
 */
class MetricDefinitionsOfTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;
    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        // latency_ms and f1 are defined in every database (ms, ratio); widgets is neither defined nor in the dictionary.
        bm.record(BenchmarkResult.builder("m", "d").metric("f1", 0.8).metric("latency_ms", 90).metric("widgets", 3)
                .metric("throughput", 12).build());
        bm.defineMetric("throughput", MetricDirection.HIGHER_IS_BETTER, "req/s", "requests answered per second");
    }

    @Test
    void the_rows_are_those_of_all_definitions_for_the_metrics_named() {
        Table all = bm.metricDefinitions();
        List<String> named = List.of("widgets", "latency_ms", "throughput");

        Table some = bm.metricDefinitions(named);

        Table expected = all.where(all.stringColumn("name").isIn(named));
        assertThat(some.columnNames()).isEqualTo(all.columnNames());
        assertThat(some.print(100)).isEqualTo(expected.print(100));
        assertThat(some.stringColumn("unit").asList()).containsExactly("ms", "req/s", ""); // Tablesaw's missing text
        assertThat(some.stringColumn("direction").asList()).containsExactly("lower_is_better", "higher_is_better", "unknown");
    }

    @Test
    void they_are_read_in_one_statement() {
        AtomicInteger statements = new AtomicInteger();
        CountingCatalog.of(bm, statements).metricDefinitions(List.of("f1", "latency_ms", "widgets"));

        assertThat(statements).hasValue(1);
    }

    @Test
    void a_name_neither_seen_nor_defined_has_no_row_and_a_name_asked_twice_one() {
        Table some = bm.metricDefinitions(List.of("f1", "never-seen", "f1"));

        assertThat(some.stringColumn("name").asList()).containsExactly("f1");
    }

    @Test
    void no_names_read_nothing() {
        AtomicInteger statements = new AtomicInteger();
        Table none = CountingCatalog.of(bm, statements).metricDefinitions(List.of());

        assertThat(none.rowCount()).isZero();
        assertThat(none.columnNames()).containsExactly("name", "direction", "unit", "description", "defined", "built_in");
        assertThat(statements).hasValue(0);
    }
}
