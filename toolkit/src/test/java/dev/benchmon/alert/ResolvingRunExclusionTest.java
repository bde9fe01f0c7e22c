package dev.benchmon.alert;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.support.TestDatabases;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Excluding the run that resolved an alert (the detector's "back within noise in run N") judges the alert again: when
 * the runs that count still show its change, it goes back to the state it had before the resolve; including the run
 * again resolves it again. Each test pushes a series "m / d @ci" with f1 at 0.90 (four runs), then a drop to 0.80 that
 * opens an alert and a run back at 0.90 that resolves it, each run judged as a push judges it.
 */
class ResolvingRunExclusionTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();
    private int hour;
    private long drop;
    private long back;
    private int backHour;
    private long id;

    @BeforeEach
    void dropThenBack() {
        for (int i = 0; i < 4; i++) {
            push(0.90);
        }
        drop = push(0.80);
        id = alerts().get(0).id();
    }

    /** The run back at the old level, which resolves the alert (checked). */
    private void backAtTheOldLevel() {
        backHour = hour;
        back = push(0.90);
        assertThat(alert().state()).isEqualTo(AlertState.RESOLVED);
        assertThat(last().comment()).startsWith("back within noise in run " + back);
    }

    /** Records one run of f1 = value and judges it (the ingest path every entry point uses); returns its id. */
    private long push(double f1) {
        int h = hour++;
        return record(h, f1, "k" + h);
    }

    /** A CI re-run of the run back at the old level (same run id and time, new numbers): its attempt 2, which replaces it. */
    private long rerunOfTheRunBack(double f1) {
        return record(backHour, f1, "k" + backHour + "-attempt-2");
    }

    private long record(int h, double f1, String key) {
        BenchmarkResult r = BenchmarkResult.builder("m", "d").environment("ci").runAt(T0.plusSeconds(h * 3600L))
                .metric("f1", f1).commitSha("c" + h).runId("run-" + h).idempotencyKey(key).build();
        return bm.recordJudged(List.of(r), java.util.Map.of(), dev.benchmon.detect.DetectionOverrides.NONE)
                .outcomes().get(0).transactionId();
    }

    private Alert alert() {
        return bm.alertBook().get(id);
    }

    private List<Alert> alerts() {
        return bm.alertBook().list(AlertFilter.all());
    }

    private AlertEvent last() {
        List<AlertEvent> history = bm.alertBook().history(id);
        return history.get(history.size() - 1);
    }

    private Annotations.Annotated exclude(long run) {
        return bm.annotations().exclude(run, "wrong config", "bo");
    }

    private Annotations.Annotated include(long run) {
        return bm.annotations().annotate(run, "included", "the config was right", "bo");
    }

    /** The annotation's answer lists one alert change, and it is a reopen into state {@code as}. */
    private static void assertReopenedOnly(Annotations.Annotated answer, AlertState as) {
        assertThat(answer.alerts()).extracting(AlertChange::change, AlertChange::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertChange.REOPENED, as));
    }

    @Test
    void excluding_the_run_that_resolved_an_alert_reopens_it_when_the_change_still_stands() {
        backAtTheOldLevel();

        Annotations.Annotated a = exclude(back);

        assertThat(a.alerts()).containsExactly(new AlertChange(id, alert().seriesId(), AlertChange.REOPENED, AlertState.OPEN));
        assertThat(alert().state()).isEqualTo(AlertState.OPEN);
        assertThat(alert().transactionId()).isEqualTo(drop);
        assertThat(last()).satisfies(e -> {
            assertThat(List.of(e.state(), e.actor(), e.source())).containsExactly(AlertState.OPEN, "bo", "annotation");
            assertThat(e.comment()).isEqualTo("run " + back + ", which resolved it, was excluded: wrong config; the change"
                    + " persists without it: f1 0.8000 in run " + drop + " against the baseline 0.9000");
        });
        assertThat(alerts()).as("no second alert").hasSize(1);
    }

    @Test
    void an_alert_acknowledged_before_the_run_resolved_it_comes_back_acknowledged() {
        bm.acknowledge(id, "ana", "on it");
        backAtTheOldLevel();

        Annotations.Annotated a = exclude(back);

        assertReopenedOnly(a, AlertState.ACKNOWLEDGED);
        assertThat(alert().state()).isEqualTo(AlertState.ACKNOWLEDGED);
    }

    @Test
    void an_open_alert_comes_back_muted_while_a_mute_of_its_series_covers_its_metric() {
        backAtTheOldLevel();
        bm.annotations().mute(alert().seriesId(), "f1", "runner migration", "ana", Instant.now().plusSeconds(3600), null);

        Annotations.Annotated a = exclude(back);

        assertThat(a.alerts()).extracting(AlertChange::state).containsExactly(AlertState.MUTED);
        assertThat(alert().state()).isEqualTo(AlertState.MUTED);
        assertThat(last().source()).isEqualTo("mute");
        assertThat(last().comment()).endsWith("; muted, as its series is");
    }

    /**
     * The drop opens while a mute of the series covers f1 (muted: the mute's, not a person's), the run back resolves
     * it, and the mute is ended: the alert comes back open (and is announced, as a reopen), not muted with no mute in
     * force, which would hide a change that persists.
     */
    @Test
    void an_alert_that_opened_muted_under_a_series_mute_comes_back_open_once_no_mute_covers_its_metric() {
        backAtTheOldLevel();
        int series = alert().seriesId();
        bm.annotations().mute(series, "f1", "runner migration", "ana", Instant.now().plusSeconds(3600), null);
        long drop2 = push(0.80);
        Alert muted = alerts().stream().filter(x -> x.transactionId() == drop2).findFirst().orElseThrow();
        assertThat(muted.state()).as("opened muted, under the mute").isEqualTo(AlertState.MUTED);
        id = muted.id();
        backAtTheOldLevel();
        bm.annotations().unmute(series, "f1", "migration done", "ana");

        Annotations.Annotated a = exclude(back);

        assertThat(a.alerts()).containsExactly(new AlertChange(id, series, AlertChange.REOPENED, AlertState.OPEN));
        assertThat(alert().state()).isEqualTo(AlertState.OPEN);
        assertThat(List.of(last().source(), last().comment())).containsExactly("mute", "run " + back
                + ", which resolved it, was excluded: wrong config; the change persists without it: f1 0.8000 in run "
                + drop2 + " against the baseline 0.9000; open, as no mute of its series covers it now");
    }

    @Test
    void an_alert_muted_by_a_mute_of_its_series_and_resolved_comes_back_open_when_that_mute_has_ended() {
        int series = alert().seriesId();
        bm.annotations().mute(series, "f1", "runner migration", "ana", Instant.now().plusSeconds(3600), null);
        assertThat(alert().state()).as("the open alert is muted by the mute").isEqualTo(AlertState.MUTED);
        backAtTheOldLevel();
        bm.annotations().unmute(series, "f1", "migration done", "ana");

        assertReopenedOnly(exclude(back), AlertState.OPEN);
        assertThat(alert().state()).isEqualTo(AlertState.OPEN);
    }

    @Test
    void an_alert_a_person_muted_comes_back_muted_with_no_mute_of_its_series_in_force() {
        bm.alertBook().triage(id, AlertState.MUTED, "ana", "known flaky runner", "toolkit");
        backAtTheOldLevel();

        assertReopenedOnly(exclude(back), AlertState.MUTED);
        assertThat(alert().state()).isEqualTo(AlertState.MUTED);
    }

    /**
     * The person's mute still stands once the exclusion restored it: a mute of the series that ends later opens only
     * the alerts a mute silenced, not this one (the newest event before the restore is the detector's resolve, not the
     * person's mute).
     */
    @Test
    void an_alert_a_person_muted_and_an_exclusion_restored_stays_muted_when_a_series_mute_ends() {
        bm.alertBook().triage(id, AlertState.MUTED, "ana", "known flaky runner", "toolkit");
        backAtTheOldLevel();
        exclude(back);
        int series = alert().seriesId();
        bm.annotations().mute(series, "f1", "runner migration", "bo", Instant.now().plusSeconds(3600), null);

        assertThat(bm.annotations().unmute(series, "f1", "migration done", "bo").alerts()).isEmpty();
        assertThat(alert().state()).isEqualTo(AlertState.MUTED);
    }

    /**
     * A CI re-run of the run back (attempt 2, also back) replaces it; excluding the re-run leaves runs 1 to the drop
     * counting, the drop the newest: the alert is judged again (its resolving run no longer counts) and reopens;
     * including the re-run again resolves it on the re-run.
     */
    @Test
    void excluding_the_re_run_that_replaced_the_run_that_resolved_an_alert_reopens_it() {
        backAtTheOldLevel();
        long rerun = rerunOfTheRunBack(0.90);
        assertThat(rerun).as("stored as a new attempt").isNotEqualTo(back);
        assertThat(alert().state()).isEqualTo(AlertState.RESOLVED);

        Annotations.Annotated a = exclude(rerun);

        assertThat(a.alerts()).containsExactly(new AlertChange(id, alert().seriesId(), AlertChange.REOPENED, AlertState.OPEN));
        assertThat(last().comment()).isEqualTo("run " + rerun + " excluded: wrong config; with run " + back
                + ", which resolved it, replaced by a later attempt of its CI run, the change persists: f1 0.8000 in run "
                + drop + " against the baseline 0.9000");

        assertThat(include(rerun).resolvedAlerts()).as("back at the old level in the re-run").containsExactly(id);
        assertThat(last().comment()).endsWith("; back at the old level in run " + rerun + " (f1 0.9000)");
    }

    @Test
    void including_the_run_again_resolves_the_alert_again_and_excluding_it_again_reopens_it_again() {
        backAtTheOldLevel();
        exclude(back);

        Annotations.Annotated included = include(back);

        assertThat(included.alerts()).containsExactly(
                new AlertChange(id, alert().seriesId(), AlertChange.RESOLVED, AlertState.RESOLVED));
        assertThat(included.resolvedAlerts()).containsExactly(id);
        assertThat(alert().state()).isEqualTo(AlertState.RESOLVED);
        assertThat(List.of(last().source(), last().comment())).containsExactly("annotation", "run " + back
                + " included again: the config was right; run " + back + ", which resolved it, counts again (f1 0.9000)");

        assertThat(exclude(back).alerts()).extracting(AlertChange::change).containsExactly(AlertChange.REOPENED);
        assertThat(alert().state()).isEqualTo(AlertState.OPEN);
    }

    @Test
    void including_the_run_again_leaves_the_alert_open_when_a_later_run_that_counts_shows_the_change() {
        backAtTheOldLevel();
        exclude(back);
        long still = push(0.80);
        assertThat(alert().lastTransactionId()).as("the reopened alert follows the drop's later run").isEqualTo(still);

        Annotations.Annotated included = include(back);

        assertThat(included.resolvedAlerts()).isEmpty();
        assertThat(alert().state()).isEqualTo(AlertState.OPEN);
    }

    /** A person's triage wins: acknowledging the reopened alert ends the detector's resolve that including the run restores. */
    @Test
    void an_alert_a_person_acknowledged_after_the_exclusion_reopened_it_stays_acknowledged_when_the_run_is_included_again() {
        backAtTheOldLevel();
        exclude(back);
        bm.acknowledge(id, "ana", "looking at the drop");

        assertThat(include(back).resolvedAlerts()).isEmpty();
        assertThat(alert().state()).isEqualTo(AlertState.ACKNOWLEDGED);
    }

    @Test
    void an_alert_a_person_resolved_is_not_reopened_by_excluding_the_run_that_had_resolved_it() {
        backAtTheOldLevel();
        bm.alertBook().triage(id, AlertState.OPEN, "ana", "not over yet", "toolkit");
        bm.alertBook().triage(id, AlertState.RESOLVED, "ana", "fixed upstream", "toolkit");

        Annotations.Annotated a = exclude(back);

        assertThat(a.alerts()).isEmpty();
        assertThat(alert().state()).isEqualTo(AlertState.RESOLVED);
        assertThat(last().actor()).isEqualTo("ana");
    }

    @Test
    void the_alert_stays_resolved_while_another_run_that_counts_is_back_and_reopens_once_that_one_is_excluded_too() {
        backAtTheOldLevel();
        long alsoBack = push(0.90);

        assertThat(exclude(back).alerts()).isEmpty();
        assertThat(alert().state()).isEqualTo(AlertState.RESOLVED);

        Annotations.Annotated a = exclude(alsoBack);

        assertReopenedOnly(a, AlertState.OPEN);
        assertThat(last().comment()).isEqualTo("run " + alsoBack + " excluded: wrong config; with run " + back
                + ", which resolved it, excluded too, the change persists: f1 0.8000 in run " + drop
                + " against the baseline 0.9000");

        assertThat(include(alsoBack).resolvedAlerts()).as("back at the old level in the run included").containsExactly(id);
        assertThat(last().comment()).endsWith("; back at the old level in run " + alsoBack + " (f1 0.9000)");
    }

    /**
     * The drop's run and the run back both excluded, the drop's first (the alert, resolved, is left as it is) and then
     * the run back (no run of the change counts: it stays resolved); including the drop's run again leaves the run
     * back excluded alone, so the alert opens as excluding that run alone opens it; including the run back too leaves
     * the alert as the detector left it.
     */
    @Test
    void with_the_drops_run_excluded_first_including_it_again_reopens_the_alert_as_excluding_the_run_back_alone_does() {
        backAtTheOldLevel();
        List<Object> asLeft = ends();
        exclude(drop);
        assertThat(exclude(back).alerts()).as("no run of its change counts").isEmpty();
        assertThat(alert().state()).isEqualTo(AlertState.RESOLVED);

        assertReopenedOnly(include(drop), AlertState.OPEN);
        assertThat(include(back).resolvedAlerts()).containsExactly(id);

        assertThat(ends()).isEqualTo(asLeft);
    }

    /** The alert's state, the run it names, its shift, the run it follows and its value. */
    private List<Object> ends() {
        Alert a = alert();
        return List.of(a.state(), a.transactionId(), a.shiftTx(), a.lastTransactionId(), String.valueOf(a.current()));
    }

    @Test
    void the_alert_stays_resolved_when_an_alert_opened_since_follows_the_change() {
        backAtTheOldLevel();
        push(0.80);
        List<Alert> opened = alerts().stream().filter(x -> x.id() != id).toList();
        assertThat(opened).as("a second drop after the run back opens an alert of its own").singleElement()
                .satisfies(x -> assertThat(x.state()).isEqualTo(AlertState.OPEN));

        assertThat(exclude(back).alerts()).extracting(AlertChange::alertId).doesNotContain(id);

        assertThat(alert().state()).isEqualTo(AlertState.RESOLVED);
    }
}
