package dev.benchmon.query;

import dev.benchmon.Benchmon;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.UnknownNameException;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static dev.benchmon.support.Results.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A query over the last 30 days of data imported from old files came back as {@code (0 rows ...)} with no hint; the
 * dashboard says "Widen the time range". An empty table of known names now says why in its printed name.
 */
class EmptyWindowTest {
    private static final Instant OLD = Instant.now().minus(Duration.ofDays(400));

    @AutoClose // after the class's last test
    private static Benchmon bm;

    @BeforeAll
    static void load() {
        bm = TestDatabases.fresh();
        for (String model : List.of("old-a", "old-b")) {
            for (int i = 0; i < 3; i++) {
                bm.record(BenchmarkResult.builder(model, "d").environment("ci").runAt(OLD.plusSeconds(i * 3600L))
                        .metric("f1", 0.8).build());
            }
        }
        bm.record(result("recent", "d", 0, 0.9, 100).toBuilder().runAt(Instant.now().minusSeconds(60)).build());
        // f1 stopped being reported: the series' latest run (ten days after the last f1) lacks it.
        bm.record(BenchmarkResult.builder("dropped", "d").environment("ci").runAt(OLD).metric("f1", 0.8).build());
        bm.record(BenchmarkResult.builder("dropped", "d").environment("ci").runAt(OLD.plus(Duration.ofDays(10)))
                .metric("accuracy", 0.7).build());
    }

    private static String newest() {
        return LocalDate.ofInstant(OLD.plusSeconds(2 * 3600L), ZoneOffset.UTC).toString();
    }

    @Test
    void an_empty_trend_of_old_data_says_the_window_is_empty_and_when_the_newest_result_is() {
        Table t = bm.timeSeries("old-a", "f1", Duration.ofDays(30));

        assertThat(t.rowCount()).isZero();
        assertThat(t.name()).endsWith(": no results in the last 30 days; the newest is " + newest() + ": widen the range");
        assertThat(t.toString()).contains("no results in the last 30 days; the newest is " + newest() + ": widen the range");
    }

    @Test
    void an_empty_trend_of_a_metric_the_latest_run_lacks_names_the_newest_run_that_reported_it() {
        Table t = bm.timeSeries("dropped", "f1", Duration.ofDays(30));

        assertThat(t.rowCount()).isZero();
        assertThat(t.name()).endsWith(": no results in the last 30 days; the newest is "
                + LocalDate.ofInstant(OLD, ZoneOffset.UTC) + ": widen the range");
    }

    @Test
    void an_empty_comparison_of_old_data_says_so_too() {
        Table t = bm.compareModels(List.of("old-a", "old-b"), Duration.ofDays(7));

        assertThat(t.rowCount()).isZero();
        assertThat(t.name()).endsWith(": no results in the last 7 days; the newest is " + newest() + ": widen the range");
    }

    @Test
    void a_trend_with_results_in_the_window_keeps_its_name() {
        Table t = bm.timeSeries("recent", "f1", Duration.ofDays(30));

        assertThat(t.rowCount()).isPositive();
        assertThat(t.name()).doesNotContain("no results");
    }

    @Test
    void an_unknown_model_is_still_refused_by_name() {
        assertThatThrownBy(() -> bm.timeSeries("nope", "f1", Duration.ofDays(30))).isInstanceOf(UnknownNameException.class);
    }

    @Test
    void a_window_is_worded_in_the_largest_unit_that_measures_it_whole() {
        assertThat(EmptyWindow.describe(Duration.ofDays(30))).isEqualTo("30 days");
        assertThat(EmptyWindow.describe(Duration.ofDays(1))).isEqualTo("day");
        assertThat(EmptyWindow.describe(Duration.ofHours(6))).isEqualTo("6 hours");
        assertThat(EmptyWindow.describe(Duration.ofHours(1))).isEqualTo("hour");
        assertThat(EmptyWindow.describe(Duration.ofHours(36))).isEqualTo("36 hours");
        assertThat(EmptyWindow.describe(Duration.ofMinutes(90))).isEqualTo("90 minutes");
        assertThat(EmptyWindow.describe(Duration.ofMinutes(1))).isEqualTo("minute");
        assertThat(EmptyWindow.describe(Duration.ofSeconds(45))).isEqualTo("45 seconds");
        assertThat(EmptyWindow.describe(Duration.ofMillis(5))).isEqualTo("5 milliseconds");
        assertThat(EmptyWindow.describe(Duration.ofMillis(1500))).isEqualTo("1500 milliseconds");
        assertThat(EmptyWindow.describe(Duration.ofNanos(250))).isEqualTo("250 nanoseconds");
    }

    @Test
    void the_newest_run_of_a_metric_is_that_of_the_filters_series_whatever_its_time_range() {
        dev.benchmon.Filter ci = dev.benchmon.Filter.all().withEnvironments("ci").withLast(Duration.ofDays(30));

        assertThat(bm.newestRunOf(ci.withModels("old-a", "old-b"), "f1").orElseThrow())
                .isCloseTo(OLD.plus(Duration.ofHours(2)), within(1, java.time.temporal.ChronoUnit.MICROS));
        // the series' latest run lacks f1: its newest f1 is older
        assertThat(bm.newestRunOf(ci.withModels("dropped"), "f1").orElseThrow())
                .isCloseTo(OLD, within(1, java.time.temporal.ChronoUnit.MICROS));
    }

    @Test
    void a_metric_the_filters_series_never_reported_has_no_newest_run() {
        assertThat(bm.newestRunOf(dev.benchmon.Filter.model("old-a"), "accuracy")).isEmpty();
    }
}
