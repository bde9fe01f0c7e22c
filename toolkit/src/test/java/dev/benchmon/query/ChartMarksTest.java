package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Chart marks of several metrics read together equal those read one metric at a time, each under its metric. */
class ChartMarksTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void marks_of_several_metrics_land_under_their_metric_with_that_metrics_value() {
        try (Benchmon bm = TestDatabases.fresh()) {
            bm.recordAll(List.of(
                    BenchmarkResult.builder("m", "d").runAt(T0).metric("f1", 0.8).metric("latency_ms", 120).notes("both").build(),
                    BenchmarkResult.builder("m", "d").runAt(T0.plusSeconds(60)).metric("f1", 0.7).notes("f1 only").build(),
                    BenchmarkResult.builder("m", "d").runAt(T0.plusSeconds(120)).metric("f1", 0.75).metric("latency_ms", 110).build()));

            Map<String, List<ChartMark>> marks = bm.chartMarks(Filter.all(), List.of("latency_ms", "f1", "latency_ms", "absent"));

            assertThat(marks).containsOnlyKeys("latency_ms", "f1", "absent");
            assertThat(marks.get("f1")).extracting(ChartMark::text).containsExactly("note: both", "note: f1 only");
            assertThat(marks.get("f1")).extracting(ChartMark::value).containsExactly(0.8, 0.7);
            assertThat(marks.get("latency_ms")).singleElement().satisfies(m -> {
                assertThat(m.text()).isEqualTo("note: both");
                assertThat(m.value()).isEqualTo(120.0);
            });
            assertThat(marks.get("absent")).isEmpty();
            assertThat(marks.get("f1")).isEqualTo(bm.chartMarks(Filter.all(), "f1"));
            assertThat(bm.chartMarks(Filter.all(), List.of())).isEmpty();
        }
    }
}
