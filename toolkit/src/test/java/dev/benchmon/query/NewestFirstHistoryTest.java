package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A newest-first history of a filter that names more than one series reads only the days that hold its rows
 * ({@link FilterSql#boundToNewest}), and answers exactly what the whole log answers. Six series (three models, two
 * datasets), one result each every two hours for 30 days (72 a day); every tenth result of model m0 tagged
 * {@code suite=nightly}; a CI run on the newest day sent twice, so its first attempt is superseded. The reference is
 * the same filter read without a bound: a limit larger than the log, which no window holds.
 */
class NewestFirstHistoryTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;
    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant END = START.plus(30, ChronoUnit.DAYS);
    private static final int WHOLE_LOG = 100_000;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        List<BenchmarkResult> results = new ArrayList<>();
        int i = 0;
        for (Instant at = START; at.isBefore(END); at = at.plus(2, ChronoUnit.HOURS)) {
            for (int m = 0; m < 3; m++) {
                for (int d = 0; d < 2; d++) {
                    BenchmarkResult.Builder b = BenchmarkResult.builder("m" + m, "d" + d).environment("ci").runAt(at)
                            .metric("f1", 0.5 + (i++ % 17) / 100.0);
                    results.add(m == 0 && i % 10 == 0 ? b.tag("suite", "nightly").build() : b.build());
                }
            }
        }
        Instant rerun = END.minus(3, ChronoUnit.HOURS);
        results.add(BenchmarkResult.builder("m1", "d0").environment("ci").runAt(rerun).runId("gh-7").metric("f1", 0.1).build());
        bm.recordAll(results);
        bm.record(BenchmarkResult.builder("m1", "d0").environment("ci").runAt(rerun).runId("gh-7").metric("f1", 0.9).build());
    }

    private static List<Long> ids(Filter f) {
        return bm.history(f).longColumn("id").asList();
    }

    private static List<Long> newestOfWholeLog(Filter f, int n) {
        List<Long> all = ids(f.withLimit(WHOLE_LOG));
        return all.subList(0, Math.min(n, all.size()));
    }

    /**
     * That the newest {@code limit} results of {@code f} (as many as it has) are the first of the whole log read
     * newest first, and whether the read was narrowed to a window ({@code windowed}).
     */
    private static void assertNewestAreThoseOfWholeLog(Filter f, int limit, boolean windowed) {
        assertThat(bounded(f, limit)).as("read from a window").isEqualTo(windowed);
        assertThat(ids(f.withLimit(limit))).as(f.toString()).hasSize(limit).isEqualTo(newestOfWholeLog(f, limit));
    }

    /** Whether the read of {@code f} at {@code limit} was narrowed to a window, as the history reads bound it. */
    private static boolean bounded(Filter f, int limit) {
        return bm.jdbi().withHandle(h -> FilterSql.ofCurrentLog(f, "t", Instant.now())
                .boundToNewest(h, limit).where().contains(":f_newest_bound"));
    }

    @Test
    void a_history_cut_at_its_limit_says_so_in_its_name_and_one_holding_every_match_does_not() {
        Filter series = Filter.model("m0").withDatasets("d0"); // one result every two hours for 30 days: 360
        assertThat(bm.history(series.withLimit(360)).rowCount()).isEqualTo(360);

        assertThat(bm.history(series.withLimit(360)).name()).isEqualTo("history");
        assertThat(bm.history(series.withLimit(359)).name()).isEqualTo("history: the newest 359 results (the limit); "
                + "older ones match too: give Filter.withLimit(n) for more, or a narrower filter");
        assertThat(bm.history(Filter.all()).name()).startsWith("history: the newest 1000 results (the limit, by default)");
        assertThat(bm.history(Filter.all().withLimit(50)).name()).as("a limit within the newest day (a bounded read)")
                .startsWith("history: the newest 50 results (the limit)");
    }

    @Test
    void the_newest_results_of_all_series_are_those_of_the_whole_log() {
        assertNewestAreThoseOfWholeLog(Filter.all(), 50, true); // the newest day holds 72
    }

    @Test
    void a_limit_past_the_newest_day_is_read_from_a_window_as_wide_as_it_needs() {
        assertNewestAreThoseOfWholeLog(Filter.all(), 300, true);
    }

    @Test
    void the_newest_results_of_one_model_are_those_of_the_whole_log() {
        assertNewestAreThoseOfWholeLog(Filter.model("m2"), 100, true);
    }

    @Test
    void a_superseded_attempt_is_neither_counted_nor_listed() {
        Filter m1 = Filter.model("m1").withDatasets("d0", "d1");
        List<Long> newest = ids(m1.withLimit(5));
        assertThat(newest).isEqualTo(newestOfWholeLog(m1, 5));
        assertThat(bm.history(m1.withLimit(5)).doubleColumn("f1").asList()).doesNotContain(0.1).contains(0.9);
    }

    @Test
    void a_filter_whose_windows_hold_too_few_rows_reads_the_whole_log() {
        Filter nightly = Filter.model("m0").withTag("suite", "nightly");
        assertThat(bounded(nightly, 200)).isFalse(); // fewer than 200 in all
        assertThat(ids(nightly.withLimit(200))).isEqualTo(newestOfWholeLog(nightly, 200)).hasSizeBetween(1, 199);
    }

    @Test
    void a_window_that_would_reach_past_the_middle_of_the_logs_time_is_cut_there() {
        // 700 rows lie in the newest 10 of the 30 days; the third window (466 hours) is cut at the middle (about 15 days).
        assertNewestAreThoseOfWholeLog(Filter.all(), 700, true);
    }

    @Test
    void a_window_past_the_middle_of_the_logs_time_is_not_read_and_the_whole_log_is() {
        // 1,200 of the 2,161 rows lie in the newest 17 of the 30 days: the window that would hold them is not tried.
        assertNewestAreThoseOfWholeLog(Filter.all(), 1_200, false);
    }

    @Test
    void a_window_ends_where_the_filter_ends() {
        Filter until = Filter.all().withUntil(END.minus(4, ChronoUnit.DAYS));
        assertNewestAreThoseOfWholeLog(until, 60, true);
        assertThat(bm.history(until.withLimit(60)).instantColumn("run_at").asList())
                .allMatch(t -> t.isBefore(END.minus(4, ChronoUnit.DAYS)));
    }

    @Test
    void one_series_is_read_by_its_own_index_without_a_window() {
        assertThat(bounded(Filter.model("m0").withDatasets("d0").withEnvironments("ci").withPrompts(""), 10)).isFalse();
    }

    @Test
    void the_streamed_answers_are_the_same_rows() {
        // Up to 5,000 rows without chosen metrics are read in one statement; with a metric chosen, through a cursor.
        for (Filter f : List.of(Filter.model("m2").withLimit(100), Filter.model("m2").withMetrics("f1").withLimit(100))) {
            List<Long> streamed = new ArrayList<>();
            bm.streamHistory(f, new ResultStream.Sink() {
                @Override
                public void columns(List<ResultStream.Column> columns) {
                    assertThat(columns.get(0).name()).isEqualTo("id");
                }

                @Override
                public void row(Object[] values) {
                    streamed.add((Long) values[0]);
                }
            });
            assertThat(streamed).as(f.toString()).isEqualTo(newestOfWholeLog(Filter.model("m2"), 100));
        }
    }

    /** A history file (the CSV's rows): the same newest rows, listed oldest first, as import stores them. */
    @Test
    void the_streamed_csv_rows_are_the_same_rows_oldest_first() {
        for (Filter f : List.of(Filter.all().withLimit(100), Filter.all().withMetrics("f1").withLimit(100))) {
            List<Long> streamed = new ArrayList<>();
            bm.streamHistory(f, new ResultStream.Sink() {
                @Override
                public void columns(List<ResultStream.Column> columns) {
                }

                @Override
                public void row(Object[] values) {
                    streamed.add((Long) values[0]);
                }
            }, true);
            List<Long> expected = new ArrayList<>(newestOfWholeLog(Filter.all(), 100));
            java.util.Collections.reverse(expected);
            assertThat(streamed).as(f.toString()).isEqualTo(expected);
        }
    }

    /**
     * The JSON Lines export's newest 100 results (oldest first) are the last 100 lines of the whole log's, after the
     * line stating f1's definition that both start with.
     */
    @Test
    void the_json_lines_export_is_the_same_lines() {
        StringWriter bounded = new StringWriter();
        StringWriter whole = new StringWriter();
        assertThat(bm.writeHistoryAsJsonLines(Filter.all().withLimit(100), bounded)).isEqualTo(100);
        bm.writeHistoryAsJsonLines(Filter.all().withLimit(WHOLE_LOG), whole);
        List<String> lines = Arrays.asList(bounded.toString().split("\n"));
        List<String> all = Arrays.asList(whole.toString().split("\n"));
        assertThat(lines.get(0)).startsWith("{\"metric_definitions\"").isEqualTo(all.get(0));
        assertThat(lines.subList(1, lines.size())).hasSize(100).isEqualTo(all.subList(all.size() - 100, all.size()));
    }
}
