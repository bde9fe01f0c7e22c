package dev.benchmon.alert;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An alert keeps the run before its change as it was known when the alert was raised ({@code before_transaction_id},
 * V34): the detector's last run of the baseline, or, for a finding that does not say it, the newest counted run of the
 * metric before the change. Its commit range starts at that run's commit ({@code #id} only when it has none), and its
 * compare link joins the same two commits.
 */
class AlertRunBeforeTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Links GITHUB = new Links("https://github.com/acme/models", null);
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();
    private int hour;

    /** Records one run of m / d @ci with f1 = value, of commit {@code c<hour>} (or none); returns its id. */
    private long run(double f1, boolean commit) {
        int h = hour++;
        BenchmarkResult.Builder b = BenchmarkResult.builder("m", "d").environment("ci").runAt(T0.plusSeconds(h * 3600L))
                .metric("f1", f1).idempotencyKey("k" + h);
        if (commit) {
            b.commitSha("c" + h);
        }
        return bm.record(b.build()).transactionId();
    }

    /** The two runs of a change: the last before it and the first of it. */
    private record Change(long before, long first) {
    }

    /**
     * Four runs of f1 at 0.90 (c0 to c3; the fourth, the last before the change, without a commit unless
     * {@code beforeWithCommit}), then one more (c4), judged fine: the findings below are a toolkit caller's own.
     */
    private Change stableRuns(boolean beforeWithCommit) {
        for (int i = 0; i < 3; i++) {
            run(0.90, true);
        }
        long before = run(0.90, beforeWithCommit);
        return new Change(before, run(0.90, true));
    }

    private int series() {
        return new RunRecords(bm.jdbi()).seriesIds().get("m / d @ci");
    }

    /** A regression of f1 at run {@code tx} (commit {@code commitTo}) that names no commit before it. */
    private Finding regressionAt(long tx, String commitTo, Long txBefore) {
        return new Finding(series(), "f1", Finding.Kind.REGRESSION, tx, 0.90, 0.80, -0.111, "major", "f1 regression",
                null, commitTo, null, null, null, txBefore);
    }

    private Alert raise(Finding finding) {
        return bm.alertBook().get(bm.alertBook().record(List.of(finding)).get(0).alertId());
    }

    @Test
    void an_alert_the_detector_raises_keeps_its_last_run_of_the_baseline_as_the_run_before() {
        long lastStable = 0;
        for (int i = 0; i < 4; i++) {
            lastStable = run(0.90, true);
        }
        long drop = run(0.80, true);

        Alert a = bm.alertBook().list(AlertFilter.all()).get(0);

        assertThat(a.transactionId()).isEqualTo(drop);
        assertThat(a.fromTransactionId()).isEqualTo(lastStable);
        assertThat(a.commitRange()).isEqualTo("c3..c4");
    }

    @Test
    void an_alert_whose_run_before_has_a_commit_names_that_commit_though_its_finding_gave_none() {
        Change change = stableRuns(true);

        Alert a = raise(regressionAt(change.first(), "c4", null));

        assertThat(a.commitRange()).isEqualTo("c3..c4");
        assertThat(a.commitFrom()).isEqualTo("c3");
    }

    @Test
    void the_compare_link_joins_the_two_commits_the_commit_range_names() {
        Change change = stableRuns(true);

        Alert a = raise(regressionAt(change.first(), "c4", null));

        assertThat(a.compareUrl(GITHUB)).isEqualTo("https://github.com/acme/models/compare/c3...c4");
        assertThat(AlertMessages.json(List.of(a), null, GITHUB).get(0).path("compare_url").asText())
                .isEqualTo("https://github.com/acme/models/compare/c3...c4");
    }

    @Test
    void a_run_before_without_a_commit_is_named_by_its_id() {
        Change change = stableRuns(false);

        Alert a = raise(regressionAt(change.first(), "c4", null));

        assertThat(a.commitRange()).isEqualTo("id " + change.before() + "..c4");
        assertThat(a.compareUrl(GITHUB)).isEqualTo("https://github.com/acme/models/commit/c4");
    }

    @Test
    void a_finding_with_a_commit_before_but_no_run_before_stores_no_other_run_beside_that_commit() {
        run(0.90, true); // c0
        Change change = stableRuns(true);

        Alert a = raise(new Finding(series(), "f1", Finding.Kind.REGRESSION, change.first(), 0.90, 0.80, -0.111,
                "major", "f1 regression", "c0", "c5", null, null, null, null));

        assertThat(a.commitFrom()).isEqualTo("c0");
        assertThat(a.fromTransactionId()).isNull(); // not the run before the change, whose commit is c4
        assertThat(a.commitRange()).isEqualTo("c0..c5");
    }

    @Test
    void the_run_before_is_the_one_the_finding_names_not_one_looked_up() {
        long first = run(0.90, true);
        for (int i = 0; i < 3; i++) {
            run(0.90, false);
        }
        long drop = run(0.90, true);

        Alert a = raise(regressionAt(drop, "c4", first));

        assertThat(a.fromTransactionId()).isEqualTo(first);
        assertThat(a.commitRange()).isEqualTo("id " + first + "..c4"); // the finding's commit before: none
    }

    @Test
    void the_run_before_stays_the_one_known_when_the_alert_was_raised() {
        Change change = stableRuns(false);
        Alert raised = raise(regressionAt(change.first(), "c4", null));

        bm.annotations().exclude(change.before(), "runner lost its GPU", "ana");

        Alert a = bm.alertBook().get(raised.id());
        assertThat(a.fromTransactionId()).isEqualTo(change.before());
        assertThat(a.commitRange()).isEqualTo("id " + change.before() + "..c4");
    }
}
