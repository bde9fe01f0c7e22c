package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run means' span ({@link ComparisonQuery#runsOf}: per metric the runs, the oldest and newest run_at and the newest
 * result) read from the daily rollups is what the log gives: for a model with two prompt versions whose first days
 * differ, a run at midnight UTC, metrics some runs do not report, and windows that cut days in half. And when the
 * first day's month has been detached from the log (its cells stay), the span still answers, from that day's start.
 */
class RunSpansFromRollupsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();
    private final ComparisonQuery query = new ComparisonQuery(bm.jdbi());

    private void load() {
        List<BenchmarkResult> runs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // Prompt p1 from the first hour, p2 from the third day; every fifth run at midnight UTC exactly.
            Instant at = i % 5 == 0 ? T0.plusSeconds(86_400L * (i / 5)) : T0.plusSeconds(3_600L + i * 17_117L + i);
            String prompt = i % 2 == 0 ? "p1" : "p2";
            if (prompt.equals("p2") && at.isBefore(T0.plusSeconds(2 * 86_400L))) {
                continue;
            }
            BenchmarkResult.Builder b = BenchmarkResult.builder("m", "d").environment("ci").promptVersion(prompt)
                    .runAt(at).runId("run-" + i).idempotencyKey("k" + i).metric("score", 0.5 + i / 1000.0);
            if (i % 3 != 0) {
                b.metric("score2", 0.4 + i / 1000.0); // score2 is missing from every third run
            }
            runs.add(b.build());
        }
        bm.importAll(runs, n -> { });
    }

    @Test
    void the_rollups_give_the_span_the_log_gives_with_and_without_a_window() {
        load();
        Filter model = Filter.all().withModels("m").withDatasets("d").withEnvironments("ci");
        for (Filter f : List.of(model,
                model.withSince(T0.plusSeconds(86_400L + 5_000)),
                model.withSince(T0.plusSeconds(43_200)).withUntil(T0.plusSeconds(5 * 86_400L + 7_000)),
                model.withUntil(T0.plusSeconds(3 * 86_400L)))) {
            List<String> fromLog = texts(query.spansFromLog(f, List.of("score", "score2"), Instant.now()));
            assertThat(fromLog).as("the log's spans for %s", f).hasSize(2);
            assertThat(texts(query.spansFromRollups(f, List.of("score", "score2"), Instant.now())))
                    .as("the rollups' spans for %s", f).isEqualTo(fromLog);
        }
    }

    @Test
    void a_first_day_in_a_detached_month_answers_from_its_start() {
        bm.importAll(List.of(
                BenchmarkResult.builder("old", "d").environment("ci").runAt(Instant.parse("2021-05-05T06:07:08Z"))
                        .runId("old-1").metric("score", 0.5).build(),
                BenchmarkResult.builder("old", "d").environment("ci").runAt(Instant.parse("2021-06-02T10:00:00Z"))
                        .runId("old-2").metric("score", 0.6).build()), n -> { });
        bm.jdbi().useHandle(h -> h.execute("ALTER TABLE benchmark_log DETACH PARTITION benchmark_log_y2021m05"));
        try {
            List<ComparisonQuery.Span> spans = query.spansFromRollups(Filter.all().withModels("old"), List.of("score"), Instant.now());
            assertThat(spans).hasSize(1);
            assertThat(spans.get(0).runs()).as("runs, the detached month's cell included").isEqualTo(2);
            assertThat(spans.get(0).firstAt()).isEqualTo(Instant.parse("2021-05-05T00:00:00Z"));
            assertThat(spans.get(0).lastAt()).isEqualTo(Instant.parse("2021-06-02T10:00:00Z"));
        } finally {
            bm.jdbi().useHandle(h -> h.execute("ALTER TABLE benchmark_log ATTACH PARTITION benchmark_log_y2021m05 "
                    + "FOR VALUES FROM ('2021-05-01 00:00+00') TO ('2021-06-01 00:00+00')"));
        }
    }

    /**
     * A comparison of a window in a detached month answers from the month's rollups, as ARCHITECTURE says it does: the
     * newest results of its cells, which gave their stderr, are gone with the month, so the estimate is run-to-run.
     * It threw a NullPointerException (a 500 on /api/v1/compare and the Compare page).
     */
    @Test
    void a_comparison_of_a_window_in_a_detached_month_answers_from_its_rollups() {
        List<BenchmarkResult> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Instant at = Instant.parse("2021-03-02T10:00:00Z").plusSeconds(86_400L * i);
            runs.add(BenchmarkResult.builder("old-a", "d").environment("ci").runAt(at).metric("score", 0.50 + i / 1000.0)
                    .stderr("score", 0.01).build());
            runs.add(BenchmarkResult.builder("old-b", "d").environment("ci").runAt(at).metric("score", 0.60 + i / 1000.0)
                    .stderr("score", 0.01).build());
        }
        bm.importAll(runs, n -> { });
        Filter march = Filter.models(List.of("old-a", "old-b")).withSince(Instant.parse("2021-03-01T00:00:00Z"))
                .withUntil(Instant.parse("2021-04-01T00:00:00Z"));
        bm.jdbi().useHandle(h -> h.execute("ALTER TABLE benchmark_log DETACH PARTITION benchmark_log_y2021m03"));
        try {
            tech.tablesaw.api.Table t = bm.compareModels(march);

            assertThat(t.rowCount()).isEqualTo(2);
            int b = t.stringColumn("model_version").indexOf("old-b");
            assertThat(t.intColumn("n").get(b)).as("the month's six runs, from its rollups").isEqualTo(6);
            assertThat(t.doubleColumn("mean").get(b)).isCloseTo(0.6025, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(t.stringColumn("method").get(b)).isEqualTo("run_to_run_welch");
        } finally {
            bm.jdbi().useHandle(h -> h.execute("ALTER TABLE benchmark_log ATTACH PARTITION benchmark_log_y2021m03 "
                    + "FOR VALUES FROM ('2021-03-01 00:00+00') TO ('2021-04-01 00:00+00')"));
        }
    }

    /** The spans as comparable text (runs, oldest, newest, newest id), sorted: a span does not name its metric. */
    private static List<String> texts(List<ComparisonQuery.Span> spans) {
        return spans.stream().map(ComparisonQuery.Span::toString).sorted(Comparator.naturalOrder()).toList();
    }
}
