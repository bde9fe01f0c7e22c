package dev.benchmon.alert;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.detect.DetectionOverrides;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert history events SQL writes word a metric's value as Java's MetricJudge.formatValue does (4 significant
 * digits: 0.3012, 0.9000), not as float8's text (0.3012345678, 0.9). Each test pushes a series "m / d @ci" through
 * {@link Benchmon#recordJudged}, as every entry point does, then reads the alert's history.
 */
class ValueTextsInAlertEventsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();
    private int hour;

    @Test
    void an_exclusion_the_change_persists_without_words_the_later_run_and_the_baseline_to_4_digits() {
        ExcludedDrop d = dropExcludedBefore(0.3012345678);

        assertThat(lastComment(d.alert())).isEqualTo("run " + d.drop() + " excluded: runner lost its GPU; the change"
                + " persists without it: f1 0.3012 in run " + d.later() + " against the baseline 0.9000; the alert now"
                + " names run " + d.later() + ", the first run of the change left");
    }

    @Test
    void an_exclusion_that_leaves_a_run_back_near_the_baseline_words_its_value_to_4_digits() {
        // still a regression against 0.90, but nearer it than half the alert's change (0.30)
        ExcludedDrop d = dropExcludedBefore(0.6212345678);

        assertThat(bm.alertBook().get(d.alert()).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(lastComment(d.alert())).isEqualTo("run " + d.drop() + " excluded: runner lost its GPU; back at"
                + " the old level in run " + d.later() + " (f1 0.6212)");
    }

    private record ExcludedDrop(long alert, long drop, long later) {
    }

    /** Four runs of f1 at 0.90, a drop to 0.30 (an alert), one run at {@code later}; then the drop's run is excluded. */
    private ExcludedDrop dropExcludedBefore(double later) {
        for (int i = 0; i < 4; i++) {
            push(0.90);
        }
        long drop = push(0.30);
        ExcludedDrop d = new ExcludedDrop(alertOn(drop), drop, push(later));
        bm.annotations().exclude(drop, "runner lost its GPU", "ana");
        return d;
    }

    @Test
    void a_severity_escalation_words_the_value_and_the_baseline_to_4_digits() {
        for (int i = 0; i < 10; i++) {
            push(i % 2 == 0 ? 0.88 : 0.92);
        }
        for (double f1 : new double[] {0.84, 0.84, 0.80, 0.75}) {
            push(f1);
        }
        long alert = alertOn(push(0.70)); // -18.0 points, minor
        long deeper = push(0.6012345678);

        assertThat(bm.alertBook().history(alert)).filteredOn(e -> e.comment() != null
                        && e.comment().startsWith("severity escalated")).singleElement()
                .satisfies(e -> assertThat(e.comment()).startsWith("severity escalated from minor to major: f1 0.6012"
                        + " in run " + deeper + " against the baseline 0.8800 (")); // was 0.6012345678, 0.88
    }

    /** Records one run of f1 = value and judges it; returns its run (transaction id). */
    private long push(double f1) {
        int h = hour++;
        BenchmarkResult r = BenchmarkResult.builder("m", "d").environment("ci").runAt(T0.plusSeconds(h * 3600L))
                .commitSha("c" + h).runId("run-" + h).idempotencyKey("k" + h).metric("f1", f1).build();
        return bm.recordJudged(List.of(r), Map.of(), DetectionOverrides.NONE).outcomes().get(0).transactionId();
    }

    /** The alert opened on run {@code run}. */
    private long alertOn(long run) {
        return bm.alertBook().list(AlertFilter.all()).stream().filter(a -> a.transactionId() == run).findFirst()
                .orElseThrow(() -> new AssertionError("no alert on run " + run)).id();
    }

    private String lastComment(long alert) {
        List<AlertEvent> history = bm.alertBook().history(alert);
        return history.get(history.size() - 1).comment();
    }
}
