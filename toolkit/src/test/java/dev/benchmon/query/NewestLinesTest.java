package dev.benchmon.query;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.UnknownNameException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code newestLines} charts the series with the newest results of a metric, chosen before their trends are read. One
 * model that lm-eval ran on tasks t0 to t5, an hour apart two days ago (t5 newest), on t6 an hour after t5 whose next
 * run reported only a loss (its snapshot has no f1, its newest f1 is still the newest of all), and on "old" 40 days
 * ago. t2's run carries a tag. Model "e" has one result the day before a midnight ten days ago, another six hours after.
 */
class NewestLinesTest {
    @AutoClose // after the class's last test
    private static Benchmon bm;
    private static final Instant T0 = Instant.now().minus(2, ChronoUnit.DAYS);
    private static final Filter LAST_30_DAYS = Filter.model("m").withLast(Duration.ofDays(30));
    private static final Instant MIDNIGHT_10_DAYS_AGO = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(10, ChronoUnit.DAYS);

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        List<BenchmarkResult> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            BenchmarkResult.Builder b = run("t" + i, T0.plus(i, ChronoUnit.HOURS)).metric("f1", 0.5 + i / 100.0);
            results.add(i == 2 ? b.tag("suite", "nightly").build() : b.build());
        }
        results.add(run("t6", T0.plus(6, ChronoUnit.HOURS)).metric("f1", 0.7).build());
        results.add(run("t6", T0.plus(7, ChronoUnit.HOURS)).metric("loss", 1.5).build());
        results.add(run("old", Instant.now().minus(40, ChronoUnit.DAYS)).metric("f1", 0.4).build());
        // Model "e": a result the day before MIDNIGHT_10_DAYS_AGO and a newer one six hours after it.
        results.add(BenchmarkResult.builder("e", "in-window").environment("ci")
                .runAt(MIDNIGHT_10_DAYS_AGO.minus(12, ChronoUnit.HOURS)).metric("f1", 0.6).build());
        results.add(BenchmarkResult.builder("e", "day-after").environment("ci")
                .runAt(MIDNIGHT_10_DAYS_AGO.plus(6, ChronoUnit.HOURS)).metric("f1", 0.6).build());
        bm.recordAll(results);
    }

    private static BenchmarkResult.Builder run(String task, Instant at) {
        return BenchmarkResult.builder("m", task).environment("ci").runAt(at);
    }

    private static List<String> datasets(Table trend) {
        return trend.stringColumn("dataset_version").unique().asList().stream().sorted().toList();
    }

    @Test
    void draws_the_series_with_the_newest_results_and_counts_those_in_the_view() {
        TrendLines lines = bm.newestLines(LAST_30_DAYS, "f1", Bucket.DAY, 3);
        assertThat(datasets(lines.trend())).containsExactly("t4", "t5", "t6");
        assertThat(lines.shown()).isEqualTo(3);
        assertThat(lines.total()).isEqualTo(7); // t0 to t6; "old" is outside the window
        assertThat(lines.capped()).isTrue();
    }

    @Test
    void a_series_whose_latest_run_lacks_the_metric_is_chosen_by_its_newest_result_of_it() {
        assertThat(datasets(bm.newestLines(LAST_30_DAYS, "f1", Bucket.DAY, 1).trend())).containsExactly("t6");
    }

    @Test
    void the_chosen_lines_hold_the_same_rows_as_the_whole_trend() {
        Table whole = bm.timeSeries(LAST_30_DAYS, "f1", Bucket.DAY);
        Table chosen = bm.newestLines(LAST_30_DAYS, "f1", Bucket.DAY, 2).trend();
        Table expected = whole.where(whole.stringColumn("dataset_version").isIn("t5", "t6"));
        assertThat(chosen.printAll()).isEqualTo(expected.printAll());
    }

    @Test
    void a_series_whose_newest_run_is_excluded_is_chosen_by_that_run_as_the_trend_draws_it() {
        // Model "x": on "a" a run 40 days ago that counts and one a day ago, excluded (the snapshot stays on the older
        // run, V37); on "b" a run two days ago. The trend draws the excluded run, so "a" has the newest result.
        bm.record(BenchmarkResult.builder("x", "a").environment("ci").runAt(Instant.now().minus(40, ChronoUnit.DAYS))
                .metric("f1", 0.5).build());
        long excluded = bm.record(BenchmarkResult.builder("x", "a").environment("ci")
                .runAt(Instant.now().minus(1, ChronoUnit.DAYS)).metric("f1", 0.1).build()).transactionId();
        bm.record(BenchmarkResult.builder("x", "b").environment("ci").runAt(Instant.now().minus(2, ChronoUnit.DAYS))
                .metric("f1", 0.6).build());
        bm.annotations().exclude(excluded, "runner lost its GPU", "ana");
        Filter x = Filter.model("x").withLast(Duration.ofDays(30));

        TrendLines lines = bm.newestLines(x, "f1", Bucket.DAY, 1);

        assertThat(datasets(bm.timeSeries(x, "f1", Bucket.DAY))).containsExactly("a", "b");
        assertThat(datasets(lines.trend())).containsExactly("a");
        assertThat(lines.total()).isEqualTo(2);
    }

    @Test
    void hour_buckets_read_the_chosen_series_from_the_log() {
        assertThat(datasets(bm.newestLines(LAST_30_DAYS, "f1", Bucket.HOUR, 2).trend())).containsExactly("t5", "t6");
    }

    @Test
    void a_window_that_ends_chooses_from_the_rollups_of_its_days() {
        Filter window = Filter.model("m").withSince(Instant.now().minus(45, ChronoUnit.DAYS))
                .withUntil(Instant.now().truncatedTo(ChronoUnit.DAYS));
        TrendLines lines = bm.newestLines(window, "f1", Bucket.DAY, 2);
        assertThat(datasets(lines.trend())).containsExactly("t5", "t6");
        assertThat(lines.total()).isEqualTo(8); // "old" too
    }

    @Test
    void a_window_ending_at_midnight_does_not_choose_by_the_day_after_it() {
        // until is exclusive: the window's last day is the day before; "day-after" has results only after the window.
        Filter window = Filter.model("e").withSince(MIDNIGHT_10_DAYS_AGO.minus(5, ChronoUnit.DAYS)).withUntil(MIDNIGHT_10_DAYS_AGO);
        TrendLines lines = bm.newestLines(window, "f1", Bucket.DAY, 1);
        assertThat(datasets(lines.trend())).containsExactly("in-window");
        assertThat(lines.total()).isEqualTo(1);
    }

    @Test
    void fewer_series_than_the_most_drawn_are_all_drawn() {
        TrendLines lines = bm.newestLines(LAST_30_DAYS, "f1", Bucket.DAY, 24);
        assertThat(lines.shown()).isEqualTo(7);
        assertThat(lines.total()).isEqualTo(7);
        assertThat(lines.capped()).isFalse();
    }

    @Test
    void a_tag_filter_which_only_the_log_answers_keeps_the_newest_lines_of_the_whole_trend() {
        TrendLines lines = bm.newestLines(LAST_30_DAYS.withTag("suite", "nightly"), "f1", Bucket.DAY, 3);
        assertThat(datasets(lines.trend())).containsExactly("t2");
        assertThat(lines.total()).isEqualTo(1);
    }

    @Test
    void no_series_in_the_view_is_an_empty_trend() {
        TrendLines lines = bm.newestLines(Filter.model("m").withLast(Duration.ofHours(1)), "f1", Bucket.DAY, 3);
        assertThat(lines.trend().rowCount()).isZero();
        assertThat(lines.total()).isZero();
        assertThat(lines.trend().columnNames()).contains("bucket", "mean", "dataset_version");
    }

    @Test
    void an_unknown_metric_is_named() {
        assertThatThrownBy(() -> bm.newestLines(LAST_30_DAYS, "f2", Bucket.DAY, 3))
                .isInstanceOf(UnknownNameException.class).hasMessageContaining("f2");
    }

    @Test
    void at_least_one_line_is_drawn() {
        assertThatThrownBy(() -> bm.newestLines(LAST_30_DAYS, "f1", Bucket.DAY, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max must be positive: 0");
    }
}
