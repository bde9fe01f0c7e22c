package dev.benchmon.detect;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import static dev.benchmon.support.Results.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Benchmon.detectRegressions} (and so {@code GET /api/v1/regressions}) words a verdict's change with the metric's
 * unit, as push, the alerts and the Regressions page do: a user read {@code within noise: +7.59 (+2.8%)} for a latency
 * in the API beside {@code +7.59 ms} on the page.
 */
class RegressionExplanationUnitsTest {
    @AutoClose
    private static Benchmon bm;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        double[] noise = {0, 2, -1, 3, -2, 1, 2, -3, 1, 0};
        for (int i = 0; i < 16; i++) {
            bm.record(BenchmarkResult.builder("units-v1", "d").environment("ci").runAt(T0.plusSeconds(i * 3600L))
                    .metric("latency_ms", 270 + noise[i % noise.length]).metric("accuracy", 0.8).build());
        }
    }

    private static String explanation(Table t, String metric) {
        Table m = t.where(t.stringColumn("metric").isEqualTo(metric));
        assertThat(m.rowCount()).as(t.print()).isEqualTo(1);
        return m.stringColumn("explanation").get(0);
    }

    @Test
    void a_latencys_change_is_said_in_milliseconds() {
        Table t = bm.detectRegressions(Filter.model("units-v1"), RegressionOptions.defaults());

        assertThat(explanation(t, "latency_ms")).matches("within noise: [+-][0-9.]+ ms \\(.*");
    }

    @Test
    void a_proportion_is_worded_without_its_unit_ratio() {
        Table t = bm.detectRegressions(Filter.model("units-v1"), RegressionOptions.defaults());

        assertThat(bm.metricDefinitions(java.util.List.of("accuracy")).stringColumn("unit").get(0)).isEqualTo("ratio");
        assertThat(explanation(t, "accuracy")).doesNotContain("ratio");
    }
}
