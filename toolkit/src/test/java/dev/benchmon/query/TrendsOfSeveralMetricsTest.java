package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Trends of several metrics read together (the Trends tab's small multiples) equal one trend per metric. */
class TrendsOfSeveralMetricsTest {
    @Test
    void several_metrics_at_once_equal_each_metric_alone_and_keep_the_order_asked() {
        try (Benchmon bm = TestDatabases.fresh()) {
            Instant t0 = Instant.parse("2026-04-01T03:00:00Z");
            List<BenchmarkResult> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                BenchmarkResult.Builder b = BenchmarkResult.builder("tm" + (i % 2), "d").runAt(t0.plusSeconds(5_400L * i))
                        .metric("f1", 0.7 + (i % 7) / 100.0).metric("latency_ms", 300 + i % 11);
                if (i % 3 == 0) {
                    b.metric("acc,none", 0.5 + (i % 5) / 50.0);
                }
                results.add(b.build());
            }
            bm.importAll(results, n -> { });
            List<String> metrics = List.of("latency_ms", "acc,none", "f1");
            for (Filter f : List.of(Filter.model("tm0"), Filter.models(List.of("tm0", "tm1"))
                    .withSince(Instant.parse("2026-04-03T10:00:00Z")).withUntil(Instant.parse("2026-04-09T20:00:00Z")))) {
                for (Bucket bucket : List.of(Bucket.DAY, Bucket.WEEK, Bucket.HOUR)) {
                    Map<String, Table> together = bm.timeSeries(f, metrics, bucket);
                    assertThat(together.keySet()).containsExactlyElementsOf(metrics);
                    for (String m : metrics) {
                        Table alone = bm.timeSeries(f, m, bucket);
                        Table t = together.get(m);
                        assertThat(t.rowCount()).as("%s %s %s", f, bucket, m).isEqualTo(alone.rowCount()).isPositive();
                        assertThat(t.columnNames()).isEqualTo(alone.columnNames());
                        for (var c : alone.columns()) {
                            for (int r = 0; r < t.rowCount(); r++) {
                                String where = f + " " + bucket + " " + m + " row " + r + " " + c.name();
                                if (c instanceof tech.tablesaw.api.DoubleColumn d) {
                                    double x = d.getDouble(r);
                                    double y = t.doubleColumn(c.name()).getDouble(r);
                                    // the same sums merged in another order: equal up to the last bits
                                    assertThat(Double.isNaN(y)).as(where).isEqualTo(Double.isNaN(x));
                                    if (!Double.isNaN(x)) {
                                        assertThat(y).as(where).isCloseTo(x, org.assertj.core.data.Offset.offset(1e-12 * Math.max(1, Math.abs(x))));
                                    }
                                } else {
                                    assertThat(t.column(c.name()).getString(r)).as(where).isEqualTo(c.getString(r));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
