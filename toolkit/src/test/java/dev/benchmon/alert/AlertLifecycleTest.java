package dev.benchmon.alert;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.RecordOutcome;
import dev.benchmon.RegressionOptions;
import dev.benchmon.ValidationException;
import dev.benchmon.detect.Verdict;
import dev.benchmon.support.TestDatabases;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Alerts from the detector's verdicts through their states, on a real database. Each test pushes a
 * series "m / d @ci" with f1 at 0.90 (four runs), then what it needs; every push is judged by the
 * current detector and fed to {@link Alerts#onFindings} as the server does.
 */
class AlertLifecycleTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    @AutoClose
    private final Benchmon bm = TestDatabases.fresh();
    private int hour;

    @BeforeEach
    void fourStableRuns() {
        for (int i = 0; i < 4; i++) {
            push(0.90);
        }
    }

    /** Records one run of f1 = value and judges it; returns what changed. */
    private Pushed push(double f1) {
        BenchmarkResult r = nextRun().metric("f1", f1).build();
        // The ingest path every entry point uses: record, judge with the detection engine, open or resolve alerts.
        Benchmon.Recorded recorded = bm.recordJudged(List.of(r), java.util.Map.of(),
                dev.benchmon.detect.DetectionOverrides.NONE);
        RecordOutcome o = recorded.outcomes().get(0);
        List<Verdict> verdicts = bm.regressions(Filter.all(), RegressionOptions.defaults());
        return new Pushed(o.transactionId(), recorded.alerts(),
                verdicts.stream().filter(v -> v.metric().equals("f1")).findFirst().orElse(null));
    }

    private record Pushed(long run, List<AlertChange> changes, Verdict verdict) {
        long alertId() {
            return changes.get(0).alertId();
        }
    }

    private Alert alert(long id) {
        return bm.alertBook().get(id);
    }

    @Test
    void the_engines_findings_are_recorded_without_reading_the_metric_definitions_again() {
        // The engine read the definitions to judge the push; its findings say whether f1 is a proportion.
        BenchmarkResult r = BenchmarkResult.builder("m", "d").environment("ci").runAt(T0.plusSeconds(hour++ * 3600L))
                .metric("f1", 0.80).commitSha("c-drop").build();
        Benchmon.Recorded recorded = bm.recordJudged(List.of(r), java.util.Map.of(),
                dev.benchmon.detect.DetectionOverrides.NONE);
        List<Finding> findings = EngineFindings.of(recorded.verdicts().values(),
                List.of(recorded.outcomes().get(0).transactionId()));

        // The same findings without the flag, as a caller that does not know it sends them.
        List<Finding> unflagged = findings.stream().map(f -> new Finding(f.seriesId(), f.metric(), f.kind(),
                f.transactionId(), f.baseline(), f.current(), f.magnitude(), f.severity(), f.text(), f.commitFrom(),
                f.commitTo(), f.shiftTx(), f.seenIn(), f.confidence(), f.txBefore())).toList();

        // Recorded again (nothing changes the second time), each in a transaction that counts its reads of the
        // definitions (alert_record_findings reads them too: the engine's findings spare the Java side's read).
        assertThat(findings).singleElement().satisfies(f -> assertThat(f.proportion()).isTrue());
        assertThat(definitionReads(findings)).isEqualTo(definitionReads(unflagged) - 1);
    }

    /** Scans of {@code metric_definitions} by {@link Alerts#onFindings} of {@code findings} in a transaction of its own. */
    private long definitionReads(List<Finding> findings) {
        return bm.jdbi().inTransaction(h -> {
            Alerts.onFindings(h, findings);
            return h.createQuery("SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables"
                    + " WHERE relname = 'metric_definitions'").mapTo(Long.class).one();
        });
    }

    @Test
    void a_regression_opens_an_alert_with_series_metric_run_commit_range_and_verdict() {
        Pushed p = push(0.80);

        assertThat(p.changes()).singleElement().satisfies(c -> {
            assertThat(c.change()).isEqualTo("opened");
            assertThat(c.state()).isEqualTo(AlertState.OPEN);
        });
        Alert a = alert(p.alertId());
        assertThat(a.series()).isEqualTo("m / d @ci");
        assertThat(a.metric()).isEqualTo("f1");
        assertThat(a.kind()).isEqualTo("regression");
        assertThat(a.transactionId()).isEqualTo(p.run());
        assertThat(a.runId()).isEqualTo("run-4");
        assertThat(a.commitRange()).isEqualTo("c3..c4");
        assertThat(a.baseline()).isCloseTo(0.90, within(1e-9));
        assertThat(a.magnitude()).isCloseTo(-0.10 / 0.90, within(1e-9));
        assertThat(a.verdict()).contains("f1").contains("regression");
        assertThat(bm.alertBook().history(a.id())).singleElement()
                .satisfies(e -> assertThat(e.actor()).isEqualTo("benchmon"));
    }

    @Test
    void judging_the_same_run_again_opens_nothing_new() {
        push(0.80);

        assertThat(bm.alertOnNewestRuns()).isEmpty();
        assertThat(bm.alertBook().list(AlertFilter.all())).hasSize(1);
    }

    @Test
    void a_list_limit_out_of_range_is_refused_naming_limit() {
        assertThatThrownBy(() -> bm.alerts(new AlertFilter(List.of(), null, null, 0)))
                .isInstanceOf(dev.benchmon.InvalidArgumentException.class)
                .hasMessage("invalid argument: limit: must be from 1 to 10000, got 0");
    }

    @Test
    void a_mute_ending_before_it_starts_is_refused_with_its_times_in_iso_8601() {
        int series = alert(push(0.80).alertId()).seriesId();

        assertThatThrownBy(() -> bm.annotations().mute(series, "f1", "r", "ana", Instant.now().minus(java.time.Duration.ofDays(7)), null))
                .isInstanceOf(dev.benchmon.InvalidArgumentException.class)
                .hasMessageMatching("invalid argument: until: must be after the start of the mute "
                        + "\\(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z\\), got "
                        + "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    }

    @Test
    void a_mute_asked_again_within_a_minute_of_its_expiry_is_left_as_it_is_and_a_later_one_extends_it() {
        int series = alert(push(0.80).alertId()).seriesId();
        Instant week = Instant.now().plus(java.time.Duration.ofDays(7));
        Annotations.Muted first = bm.annotations().muteSeries(series, "f1", "runner migration", "ana", week, null);

        Annotations.Muted repeated = bm.annotations().muteSeries(series, "f1", "again", "bo", week.plusSeconds(30), null);
        Annotations.Muted later = bm.annotations().muteSeries(series, "f1", "again", "bo", week.plusSeconds(120), null);

        assertThat(repeated.extendedFrom()).isNull();
        assertThat(repeated.mute().expiresAt()).isEqualTo(first.mute().expiresAt());
        assertThat(later.extendedFrom()).isEqualTo(first.mute().expiresAt());
        assertThat(later.mute().expiresAt()).isAfter(first.mute().expiresAt());
    }

    @Test
    void muting_a_muted_metric_again_stores_no_second_mute_and_extends_the_one_in_force() {
        int series = alert(push(0.80).alertId()).seriesId();
        Instant week = Instant.now().plus(java.time.Duration.ofDays(7));
        Annotations.Muted first = bm.annotations().muteSeries(series, "f1", "runner migration", "ana", week, null);

        Annotations.Muted shorter = bm.annotations().muteSeries(series, "f1", "again", "bo", week.minusSeconds(60), null);
        Annotations.Muted longer = bm.annotations().muteSeries(series, "f1", "again", "bo", week.plusSeconds(3600), null);
        Annotations.Muted wholeSeries = bm.annotations().muteSeries(series, null, "all", "bo", week, null);

        assertThat(first.created()).isTrue();
        assertThat(List.of(shorter.created(), longer.created())).containsExactly(false, false);
        assertThat(shorter.extendedFrom()).isNull();
        assertThat(longer.extendedFrom()).isEqualTo(first.mute().expiresAt());
        assertThat(shorter.mute().id()).isEqualTo(first.mute().id());
        assertThat(shorter.mute().expiresAt()).isEqualTo(first.mute().expiresAt());
        assertThat(longer.mute()).satisfies(m -> {
            assertThat(m.id()).isEqualTo(first.mute().id());
            assertThat(m.expiresAt()).isAfter(first.mute().expiresAt());
            assertThat(List.of(m.reason(), m.actor())).containsExactly("runner migration", "ana");
        });
        assertThat(wholeSeries.created()).as("another scope").isTrue();
        assertThat(bm.annotations().mutes(series, Instant.now())).hasSize(2);
    }

    @Test
    void alerts_are_listed_by_their_series_model_dataset_prompt_and_environment() {
        long id = push(0.80).alertId();

        assertThat(bm.alertBook().list(AlertFilter.all().withSeriesNames(List.of("m"), List.of("d"), List.of(""),
                List.of("ci")))).extracting(Alert::id).containsExactly(id);
        assertThat(bm.alertBook().list(AlertFilter.all().withSeriesNames(List.of("other"), List.of(), List.of(),
                List.of()))).isEmpty();
        assertThat(bm.alertBook().list(AlertFilter.all().withSeriesNames(List.of(), List.of(), List.of(),
                List.of("gpu", "ci")))).extracting(Alert::id).containsExactly(id);
    }

    @Test
    void acknowledging_an_acknowledged_alert_appends_nothing_and_answers_the_first_acknowledgement() {
        long id = push(0.80).alertId();
        AlertEvent first = bm.alertBook().triage(id, AlertState.ACKNOWLEDGED, "ana", "bisecting", "toolkit").event();

        Alerts.Triaged again = bm.alertBook().triage(id, AlertState.ACKNOWLEDGED, "bo", "me too", "toolkit");

        assertThat(again.changed()).isFalse();
        assertThat(again.event()).isEqualTo(first);
        assertThat(bm.alertBook().history(id)).hasSize(2);
    }

    @Test
    void the_histories_of_several_alerts_are_read_at_once_each_oldest_first_by_alert_id() {
        long id = push(0.80).alertId();
        bm.alertBook().triage(id, AlertState.ACKNOWLEDGED, "ana", "bisecting", "toolkit");

        var histories = bm.alertBook().history(List.of(id, id + 1000));

        assertThat(histories).containsOnlyKeys(id); // an id of no alert is left out
        assertThat(histories.get(id)).isEqualTo(bm.alertBook().history(id))
                .extracting(AlertEvent::state).containsExactly(AlertState.OPEN, AlertState.ACKNOWLEDGED);
        assertThat(bm.alertBook().history(List.of())).isEmpty();
    }

    @Test
    void resolving_an_alert_an_exclusion_resolved_is_recorded_and_survives_including_the_run_again() {
        Pushed p = push(0.80);
        long id = p.alertId();
        bm.alertBook().triage(id, AlertState.RESOLVED, "ana", "flaky runner", "toolkit");
        bm.alertBook().triage(id, AlertState.OPEN, "ana", "not flaky after all", "toolkit");
        bm.annotations().exclude(p.run(), "runner migration", "bo");
        assertThat(alert(id).state()).isEqualTo(AlertState.RESOLVED);

        Alerts.Triaged resolved = bm.alertBook().triage(id, AlertState.RESOLVED, "cy", "fixed upstream", "toolkit");
        bm.annotations().annotate(p.run(), "included", "migration done", "bo");

        assertThat(resolved.changed()).isTrue();
        assertThat(resolved.event().actor()).isEqualTo("cy");
        assertThat(alert(id).state()).as("a person's resolution stays when the run is included again")
                .isEqualTo(AlertState.RESOLVED);
    }

    /** The next run of the series, an hour after the one before, with its commit, CI run and key; no metrics yet. */
    private BenchmarkResult.Builder nextRun() {
        int h = hour++;
        return BenchmarkResult.builder("m", "d").environment("ci").runAt(T0.plusSeconds(h * 3600L))
                .commitSha("c" + h).runId("run-" + h).idempotencyKey("k" + h);
    }

    /** Records one run of f1 and loss, judged as {@link #push} judges; returns the alerts that changed. */
    private List<AlertChange> pushWithLoss(double f1, double loss) {
        BenchmarkResult r = nextRun().metric("f1", f1).metric("loss", loss).build();
        return bm.recordJudged(List.of(r), java.util.Map.of(), dev.benchmon.detect.DetectionOverrides.NONE).alerts();
    }

    /**
     * An f1 alert muted for a period with the whole series ({@code alerts mute ID --for 7d --series-id N}: the mute
     * remembers the alert), and a loss alert that mute alone silenced since.
     */
    private record MutedWithItsSeries(long alert, int series, Annotations.Muted mute, long loss) {
    }

    private MutedWithItsSeries mutedWithItsSeriesAndASilencedAlert() {
        long id = push(0.80).alertId();
        int series = alert(id).seriesId();
        Annotations.Muted mute = muteForAWeek(id, null);
        for (int i = 0; i < 4; i++) {
            pushWithLoss(0.80, 1.0);
        }
        long loss = pushWithLoss(0.80, 2.0).stream().filter(c -> c.change().equals(AlertChange.OPENED))
                .findFirst().orElseThrow().alertId();
        assertThat(alert(loss).state()).as("silenced by the mute of the whole series").isEqualTo(AlertState.MUTED);
        return new MutedWithItsSeries(id, series, mute, loss);
    }

    /**
     * Alert {@code id} muted for a week as {@code alerts mute ID --for 7d} does it: its state (by ana, "runner
     * migration"), then its series' mute of {@code metric} ({@code null}: every metric) that names it.
     */
    private Annotations.Muted muteForAWeek(long id, String metric) {
        bm.alertBook().setState(id, AlertState.MUTED, "ana", "runner migration", "toolkit");
        return bm.annotations().muteSeries(alert(id).seriesId(), metric, "runner migration", "ana",
                Instant.now().plus(java.time.Duration.ofDays(7)), null, id);
    }

    @Test
    void unmuting_an_alert_ends_the_series_mute_its_mute_created_and_opens_the_alerts_that_mute_alone_silenced() {
        MutedWithItsSeries m = mutedWithItsSeriesAndASilencedAlert();

        Alerts.Unmuted unmuted = bm.alertBook().unmuteAlert(m.alert(), "bo", "migration done", "toolkit");

        assertThat(m.mute().created()).isTrue();
        assertThat(unmuted.event().state()).isEqualTo(AlertState.OPEN);
        assertThat(unmuted.endedMuteIds()).containsExactly(m.mute().mute().id());
        assertThat(unmuted.alerts())
                .containsExactly(new AlertChange(m.loss(), m.series(), AlertChange.OPENED, AlertState.OPEN));
        assertThat(alert(m.loss()).state()).isEqualTo(AlertState.OPEN);
        assertThat(bm.annotations().mutes(m.series(), Instant.now())).isEmpty();
    }

    @Test
    void unmuting_an_alert_leaves_a_mute_its_mute_found_in_force_and_did_not_create() {
        long id = push(0.80).alertId();
        int series = alert(id).seriesId();
        Instant week = Instant.now().plus(java.time.Duration.ofDays(7));
        Annotations.Muted own = bm.annotations().muteSeries(series, "f1", "noisy runner", "cy", week, null);
        bm.alertBook().setState(id, AlertState.MUTED, "ana", "runner migration", "toolkit");
        Annotations.Muted asked = bm.annotations().muteSeries(series, "f1", "runner migration", "ana", week, null, id);

        Alerts.Unmuted unmuted = bm.alertBook().unmuteAlert(id, "bo", null, "toolkit");

        assertThat(asked.created()).isFalse();
        assertThat(unmuted.endedMuteIds()).isEmpty();
        assertThat(bm.annotations().mutes(series, Instant.now())).extracting(Mute::id).containsExactly(own.mute().id());
    }

    @Test
    void resolving_a_muted_alert_ends_the_series_mute_its_mute_created_and_opens_the_alerts_that_mute_alone_silenced() {
        MutedWithItsSeries m = mutedWithItsSeriesAndASilencedAlert();

        Alerts.Triaged resolved = bm.alertBook().triage(m.alert(), AlertState.RESOLVED, "bo", "fixed upstream", "toolkit");

        assertThat(resolved.event().state()).isEqualTo(AlertState.RESOLVED);
        assertThat(resolved.endedMuteIds()).containsExactly(m.mute().mute().id());
        assertThat(resolved.alerts())
                .containsExactly(new AlertChange(m.loss(), m.series(), AlertChange.OPENED, AlertState.OPEN));
        assertThat(alert(m.loss()).state()).isEqualTo(AlertState.OPEN);
        List<AlertEvent> history = bm.alertBook().history(m.loss());
        assertThat(history.get(history.size() - 1).comment()).isEqualTo("mute " + m.mute().mute().id()
                + " ended early: alert " + m.alert() + ", whose mute created it, was resolved");
        assertThat(bm.annotations().mutes(m.series(), Instant.now())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = AlertState.class, names = {"ACKNOWLEDGED", "EXPECTED"})
    void acknowledging_or_marking_expected_a_muted_alert_ends_the_series_mute_its_mute_created_saying_how(
            AlertState state) {
        long id = push(0.80).alertId();
        int series = alert(id).seriesId();
        long mute = muteForAWeek(id, "f1").mute().id();

        Alerts.Triaged t = bm.alertBook().triage(id, state, "bo", "on it", "toolkit");

        String how = state == AlertState.EXPECTED ? "marked expected" : "acknowledged";
        assertThat(t.endedMuteIds()).containsExactly(mute);
        assertThat(t.endedHow()).as("as the mute's end_reason words it").isEqualTo(how);
        Mute ended = bm.annotations().mutes(series, null).get(0);
        assertThat(List.of(ended.id(), ended.endedBy(), ended.endReason())).containsExactly(mute, "bo", "alert " + id
                + ", whose mute created it, " + how + ": on it");
        assertThat(bm.annotations().mutes(series, Instant.now())).isEmpty();
    }

    @Test
    void resolving_a_muted_alert_whose_mute_covered_its_metric_opens_no_alert_of_another_metric() throws Exception {
        long id = push(0.80).alertId();
        int series = alert(id).seriesId();
        // A loss alert silenced by a loss mute that has expired since: no later run, so it stays muted.
        Instant expiry = Instant.now().plusSeconds(6);
        bm.annotations().mute(series, "loss", "loss logging broken", "cy", expiry, null);
        for (int i = 0; i < 4; i++) {
            pushWithLoss(0.80, 1.0);
        }
        long loss = pushWithLoss(0.80, 2.0).stream().filter(c -> c.change().equals(AlertChange.OPENED))
                .findFirst().orElseThrow().alertId();
        assertThat(alert(loss).state()).isEqualTo(AlertState.MUTED);
        Thread.sleep(Math.max(0, java.time.Duration.between(Instant.now(), expiry).toMillis()) + 500);
        muteForAWeek(id, "f1");

        Alerts.Triaged resolved = bm.alertBook().triage(id, AlertState.RESOLVED, "bo", "fixed upstream", "toolkit");

        assertThat(resolved.endedMuteIds()).hasSize(1);
        assertThat(resolved.alerts()).as("the ended mute covered f1 alone").isEmpty();
        assertThat(alert(loss).state()).isEqualTo(AlertState.MUTED);
    }

    @Test
    void resolving_a_muted_alert_leaves_a_mute_a_person_made_on_its_own_in_force() {
        long id = push(0.80).alertId();
        int series = alert(id).seriesId();
        Instant week = Instant.now().plus(java.time.Duration.ofDays(7));
        Annotations.Muted own = bm.annotations().muteSeries(series, "f1", "noisy runner", "cy", week, null);
        assertThat(alert(id).state()).as("silenced by the person's mute").isEqualTo(AlertState.MUTED);

        Alerts.Triaged resolved = bm.alertBook().triage(id, AlertState.RESOLVED, "bo", null, "toolkit");

        assertThat(resolved.endedMuteIds()).isEmpty();
        assertThat(resolved.alerts()).isEmpty();
        assertThat(bm.annotations().mutes(series, Instant.now())).extracting(Mute::id).containsExactly(own.mute().id());
    }

    @Test
    void resolving_an_alert_another_alert_s_mute_silenced_leaves_that_mute_in_force() {
        MutedWithItsSeries m = mutedWithItsSeriesAndASilencedAlert();

        Alerts.Triaged resolved = bm.alertBook().triage(m.loss(), AlertState.RESOLVED, "bo", null, "toolkit");

        assertThat(resolved.endedMuteIds()).isEmpty();
        assertThat(bm.annotations().mutes(m.series(), Instant.now())).extracting(Mute::id)
                .containsExactly(m.mute().mute().id());
        assertThat(alert(m.alert()).state()).isEqualTo(AlertState.MUTED);
    }

    @Test
    void a_listed_mute_names_the_alert_whose_mute_created_it_and_none_for_a_mute_made_on_its_own() {
        long id = push(0.80).alertId();
        int series = alert(id).seriesId();
        long byAlert = muteForAWeek(id, "f1").mute().id();
        long onItsOwn = bm.annotations().muteSeries(series, null, "noisy runner", "cy",
                Instant.now().plus(java.time.Duration.ofDays(7)), null).mute().id();

        List<Mute> mutes = bm.annotations().mutes(series, null);

        assertThat(mutes).extracting(Mute::id).containsExactly(onItsOwn, byAlert);
        assertThat(mutes).extracting(Mute::alertId).containsExactly(null, id);
    }

    @Test
    void muting_a_muted_metric_again_mutes_its_alerts_that_were_opened_since_and_says_what_it_extended() {
        long id = push(0.80).alertId();
        int series = alert(id).seriesId();
        Instant week = Instant.now().plus(java.time.Duration.ofDays(7));
        Annotations.Muted first = bm.annotations().muteSeries(series, "f1", "runner migration", "ana", week, null);
        bm.alertBook().unmute(id, "ana", "watching it", "toolkit");
        assertThat(alert(id).state()).isEqualTo(AlertState.OPEN);

        Annotations.Muted again = bm.annotations().muteSeries(series, "f1", "still migrating", "bo",
                week.plusSeconds(3600), null);

        assertThat(again.created()).isFalse();
        assertThat(again.extendedFrom()).isEqualTo(first.mute().expiresAt());
        assertThat(alert(id).state()).isEqualTo(AlertState.MUTED);
        assertThat(bm.alertBook().history(id)).last().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("bo");
            assertThat(e.comment()).contains("mute " + first.mute().id(), "still migrating");
        });
    }

    @Test
    void a_verdict_names_the_commit_of_the_changes_first_run_when_the_run_before_has_none() {
        for (int i = 0; i < 8; i++) { // past the short-history rule, whose verdict names no start
            push(i % 2 == 0 ? 0.90 : 0.91);
        }
        String sha = "e".repeat(40);
        BenchmarkResult noCommit = BenchmarkResult.builder("m", "d").environment("ci").runAt(T0.plusSeconds(12 * 3600L))
                .metric("f1", 0.90).runId("run-12").idempotencyKey("k12").build();
        BenchmarkResult drop = BenchmarkResult.builder("m", "d").environment("ci").runAt(T0.plusSeconds(13 * 3600L))
                .metric("f1", 0.80).commitSha(sha).runId("run-13").idempotencyKey("k13").build();
        bm.recordJudged(List.of(noCommit), java.util.Map.of(), dev.benchmon.detect.DetectionOverrides.NONE);

        Benchmon.Recorded r = bm.recordJudged(List.of(drop), java.util.Map.of(), dev.benchmon.detect.DetectionOverrides.NONE);

        Alert a = alert(r.alerts().get(0).alertId());
        assertThat(a.commitRange()).endsWith(".." + sha);
        assertThat(a.verdict()).contains("since commit eeeeeeeeeeee (the run of 2026-01-01 13:00 UTC)")
                .doesNotContain(", since the run of");
    }

    @Test
    void the_change_of_a_proportion_is_worded_in_points_as_its_verdict_and_a_unit_that_is_no_proportion_in_percent() {
        long id = push(0.80).alertId();
        assertThat(alert(id).change()).isEqualTo("-10.0 points");
        assertThat(alert(id).verdict()).contains("-10.0 points");

        bm.defineMetric("f1", dev.benchmon.MetricDirection.HIGHER_IS_BETTER, "score", null);

        assertThat(alert(id).change()).as("a unit that is no proportion").isEqualTo("-11.1%");
    }

    @Test
    void acknowledging_appends_who_and_why_and_keeps_the_opening() {
        long id = push(0.80).alertId();

        bm.acknowledge(id, "ana", "looking at the tokenizer change");

        assertThat(alert(id).state()).isEqualTo(AlertState.ACKNOWLEDGED);
        assertThat(bm.alertBook().history(id)).extracting(AlertEvent::state, AlertEvent::actor, AlertEvent::comment)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AlertState.OPEN, "benchmon",
                                bm.alertBook().history(id).get(0).comment()),
                        org.assertj.core.groups.Tuple.tuple(AlertState.ACKNOWLEDGED, "ana", "looking at the tokenizer change"));
    }

    @Test
    void the_state_history_cannot_be_rewritten() {
        long id = push(0.80).alertId();

        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("UPDATE alert_events SET actor = 'x'")))
                .isInstanceOf(JdbiException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> bm.jdbi().useHandle(h -> h.execute("DELETE FROM alert_events WHERE alert_id = ?", id)))
                .isInstanceOf(JdbiException.class).hasMessageContaining("append-only");
    }

    @Test
    void a_later_run_back_within_noise_resolves_the_alert_automatically() {
        long id = push(0.80).alertId();
        bm.acknowledge(id, "ana", "on it");

        Pushed back = push(0.90);

        assertThat(back.changes()).singleElement().satisfies(c -> {
            assertThat(c.alertId()).isEqualTo(id);
            assertThat(c.change()).isEqualTo("resolved");
        });
        assertThat(alert(id).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(bm.alertBook().history(id)).last().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("benchmon");
            assertThat(e.comment()).startsWith("back within noise in run " + back.run());
        });
    }

    /**
     * Back at the old level includes beyond it on the good side: a drop to 0.80 from 0.90, then a run at 0.97. The band
     * was half the change on either side of the baseline (0.85-0.95), so a recovery past the old level kept the alert
     * open, and push --fail-on-regression failing, until a person resolved it (a new user's walkthrough, 2026-12-07).
     */
    @Test
    void a_later_run_beyond_the_old_level_on_the_good_side_resolves_the_alert() {
        long id = push(0.80).alertId();

        Pushed better = push(0.97);

        assertThat(better.changes()).singleElement().satisfies(c -> {
            assertThat(c.alertId()).isEqualTo(id);
            assertThat(c.change()).isEqualTo("resolved");
        });
        assertThat(alert(id).state()).isEqualTo(AlertState.RESOLVED);
    }

    /**
     * The direction is the alert's own change (its magnitude), not the shift's median the detector passes as the
     * raised level: runs that came back past the old level before the rule was directional (an alert it kept open)
     * put that median on the good side, which must not turn "back" around.
     */
    @Test
    void back_at_the_old_level_takes_the_alerts_direction_when_the_shifts_median_is_on_the_good_side() {
        // baseline 0.88, a drop (magnitude -15.9%), the shift's median 0.95 (runs past the old level), a run at 0.95
        Boolean back = bm.jdbi().withHandle(h -> h.createQuery("SELECT alert_back_at_baseline(0.88, 0.95, -0.159, 0.95)")
                .mapTo(Boolean.class).one());
        Boolean stillDown = bm.jdbi().withHandle(h -> h.createQuery("SELECT alert_back_at_baseline(0.88, 0.95, -0.159, 0.80)")
                .mapTo(Boolean.class).one());

        assertThat(back).isTrue();
        assertThat(stillDown).isFalse();
    }

    /** The other side stays as it was: a run further off than half the change, in the change's direction, is not back. */
    @Test
    void a_later_run_still_half_the_change_off_does_not_resolve_the_alert() {
        long id = push(0.80).alertId();

        push(0.845);

        assertThat(alert(id).state()).isEqualTo(AlertState.OPEN);
    }

    @Test
    void acknowledging_a_resolved_alert_is_a_state_conflict_that_says_to_reopen_it_and_appends_nothing() {
        long id = push(0.80).alertId();
        push(0.90); // back within noise: the detector resolves it
        int events = bm.alertBook().history(id).size();

        assertThatThrownBy(() -> bm.acknowledge(id, "ana", "on it"))
                .isInstanceOf(StateConflictException.class)
                .hasMessage("alert " + id + " is resolved, so there is nothing to acknowledge: if its change is back, open "
                        + "it again first (Reopen on the dashboard, benchmon alerts reopen " + id + ", or state open in the API)");
        assertThat(alert(id).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(bm.alertBook().history(id)).hasSize(events);
    }

    @Test
    void unmuting_an_alert_that_is_not_muted_is_a_state_conflict_and_appends_nothing() {
        long id = push(0.80).alertId();
        int events = bm.alertBook().history(id).size();

        assertThatThrownBy(() -> bm.alertBook().unmuteAlert(id, "ana", "", "toolkit"))
                .isInstanceOf(StateConflictException.class)
                .hasMessage("alert " + id + " is open, not muted, so there is nothing to unmute");
        assertThat(bm.alertBook().history(id)).hasSize(events);
    }

    @Test
    void including_a_run_that_is_not_excluded_or_excluding_one_twice_is_a_state_conflict_and_stores_nothing() {
        long run = push(0.80).run();
        bm.annotations().annotate(run, "excluded", "bad push", "ana");

        assertThatThrownBy(() -> bm.annotations().annotate(run, "excluded", "other", "bo"))
                .isInstanceOf(StateConflictException.class)
                .hasMessageMatching("run " + run + " is excluded already, since \\S+ by ana: bad push; to exclude it for "
                        + "another reason, include it again first");
        bm.annotations().annotate(run, "included", "fine after all", "ana");
        assertThatThrownBy(() -> bm.annotations().annotate(run, "included", "again", "bo"))
                .isInstanceOf(StateConflictException.class)
                .hasMessage("run " + run + " is not excluded, so there is nothing to include again");
        assertThat(bm.annotations().ofRun(run)).hasSize(2);
    }

    @Test
    void reopening_a_resolved_alert_while_a_newer_alert_of_its_metric_is_active_is_refused_naming_that_alert() {
        long old = push(0.80).alertId();
        push(0.90); // resolved
        long newer = push(0.80).alertId();
        assertThat(newer).isNotEqualTo(old);
        int events = bm.alertBook().history(old).size();

        assertThatThrownBy(() -> bm.alertBook().setState(old, AlertState.OPEN, "ana", "it is back", "toolkit"))
                .isInstanceOf(StateConflictException.class)
                .hasMessage("alert " + old + " is resolved, and alert " + newer + " of the same series and metric (f1) is "
                        + "open and follows its change now: triage that one (benchmon alerts show " + newer + ")");
        assertThat(alert(old).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(bm.alertBook().history(old)).hasSize(events);
    }

    @Test
    void acknowledging_an_expected_alert_while_a_newer_alert_of_its_metric_is_active_is_refused_naming_that_alert() {
        long old = push(0.80).alertId();
        bm.setAlertState(old, AlertState.EXPECTED, "ana", "new tokenizer");
        for (int i = 0; i < 4; i++) {
            push(0.80); // the new level, expected
        }
        long newer = push(0.60).alertId();
        assertThat(newer).isNotEqualTo(old);

        assertThatThrownBy(() -> bm.acknowledge(old, "bo", "on it"))
                .isInstanceOf(StateConflictException.class)
                .hasMessageStartingWith("alert " + old + " is expected, and alert " + newer + " of the same series and "
                        + "metric (f1) is open");
        assertThat(alert(old).state()).isEqualTo(AlertState.EXPECTED);
    }

    @Test
    void acknowledging_or_marking_expected_a_resolved_alert_beside_a_newer_active_one_names_the_newer_one() {
        long old = push(0.80).alertId();
        push(0.90); // resolved
        long newer = push(0.80).alertId();

        for (AlertState state : List.of(AlertState.ACKNOWLEDGED, AlertState.EXPECTED, AlertState.MUTED)) {
            assertThatThrownBy(() -> bm.alertBook().setState(old, state, "ana", "", "toolkit"))
                    .as(state.sqlName()).isInstanceOf(StateConflictException.class)
                    .hasMessageContaining("alert " + newer + " of the same series and metric (f1) is open")
                    .hasMessageNotContaining("reopen");
        }
        assertThat(alert(old).state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void a_resolved_alert_with_no_active_alert_of_its_metric_opens_again() {
        long id = push(0.80).alertId();
        push(0.90); // resolved

        bm.alertBook().setState(id, AlertState.OPEN, "ana", "it is back", "toolkit");

        assertThat(alert(id).state()).isEqualTo(AlertState.OPEN);
    }

    /**
     * A person reopens a resolved alert while a push's regression of the same metric is judged: the push waits for the
     * reopen's commit, then follows the reopened alert instead of opening a second active one beside it. Both looked for
     * an active alert of the metric before, found none, and the series ended with two.
     */
    @Test
    void a_push_judged_while_a_resolved_alert_is_reopened_follows_it_instead_of_opening_a_second() throws Exception {
        long old = push(0.80).alertId();
        push(0.90); // resolved
        java.util.concurrent.ExecutorService pusher = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (org.jdbi.v3.core.Handle person = bm.jdbi().open()) {
            person.begin();
            person.createQuery("SELECT state FROM alert_set_state(:id, 'open', 'ana', 'it is back', 'toolkit')")
                    .bind("id", old).mapTo(String.class).one();
            java.util.concurrent.Future<Pushed> again = pusher.submit(() -> push(0.80));
            awaitWaitingOnAnAdvisoryLockOrDone(again);
            person.commit();
            Pushed pushed = again.get(60, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(pushed.changes()).noneMatch(c -> c.change().equals("opened"));
            assertThat(bm.alertBook().list(AlertFilter.all()).stream()
                    .filter(a -> a.metric().equals("f1") && a.state().active()).map(Alert::id).toList())
                    .containsExactly(old);
            assertThat(alert(old).lastTransactionId()).isEqualTo(pushed.run());
        } finally {
            pusher.shutdownNow();
        }
    }

    /**
     * Two writers of one series record a regression of the same metric at once (two servers, or push --db beside a
     * server): the second waits for the first's commit and follows the alert it opened. Both found no active alert and
     * each opened one.
     */
    @Test
    void two_writers_recording_a_regression_of_one_series_at_once_open_one_alert() throws Exception {
        long first = push(0.90).run();
        long second = push(0.90).run();
        int series = bm.jdbi().withHandle(h -> h.createQuery("SELECT id FROM series WHERE model_version = 'm'")
                .mapTo(Integer.class).one());
        java.util.function.LongFunction<Finding> regression = tx -> new Finding(series, "f1", Finding.Kind.REGRESSION, tx,
                0.90, 0.80, -0.10, "major", "f1 regression: -0.1000 (-11.1%)", null, "c" + tx);
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (org.jdbi.v3.core.Handle writer = bm.jdbi().open()) {
            writer.begin();
            assertThat(Alerts.onFindings(writer, List.of(regression.apply(first))))
                    .singleElement().satisfies(c -> assertThat(c.change()).isEqualTo("opened"));
            java.util.concurrent.Future<List<AlertChange>> alongside = other.submit(() ->
                    bm.jdbi().inTransaction(h -> Alerts.onFindings(h, List.of(regression.apply(second)))));
            awaitWaitingOnAnAdvisoryLockOrDone(alongside);
            writer.commit();

            assertThat(alongside.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
            List<Alert> active = bm.alertBook().list(AlertFilter.all()).stream()
                    .filter(a -> a.metric().equals("f1") && a.state().active()).toList();
            assertThat(active).singleElement().satisfies(a -> {
                assertThat(a.transactionId()).isEqualTo(first);
                assertThat(a.lastTransactionId()).isEqualTo(second);
            });
        } finally {
            other.shutdownNow();
        }
    }

    /**
     * Until a session of this database waits on an advisory lock, or {@code task} has finished without waiting; fails
     * when neither happens within 30 s (the task blocked on something else).
     */
    private void awaitWaitingOnAnAdvisoryLockOrDone(java.util.concurrent.Future<?> task) throws InterruptedException {
        long until = System.nanoTime() + 30_000_000_000L;
        while (!task.isDone()) {
            long waiting = bm.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity WHERE "
                    + "datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'")
                    .mapTo(Long.class).one());
            if (waiting > 0) {
                return;
            }
            assertThat(System.nanoTime()).as("the task neither waits on an advisory lock nor finished in 30 s")
                    .isLessThan(until);
            Thread.sleep(20);
        }
    }

    @Test
    void a_regression_that_persists_stays_one_alert_following_the_newer_run() {
        long id = push(0.70).alertId();

        Pushed still = push(0.70); // still worse than the mean of the previous five

        assertThat(still.verdict().regression()).isTrue();
        assertThat(still.changes()).isEmpty();
        assertThat(alert(id).lastTransactionId()).isEqualTo(still.run());
    }

    @Test
    void marking_an_alert_expected_makes_the_new_level_the_baseline() {
        long id = push(0.80).alertId();

        bm.setAlertState(id, AlertState.EXPECTED, "ana", "new tokenizer, accepted");
        Pushed next = push(0.80);

        assertThat(next.verdict().baseline()).isCloseTo(0.80, within(1e-9));
        assertThat(next.verdict().baselineRuns()).isEqualTo(1);
        assertThat(next.verdict().regression()).isFalse();
        assertThat(next.changes()).isEmpty();
        assertThat(alert(id).state()).isEqualTo(AlertState.EXPECTED);
    }

    @Test
    void opening_an_expected_alert_again_brings_back_the_old_baseline_without_a_new_run() {
        long id = push(0.80).alertId();
        bm.setAlertState(id, AlertState.EXPECTED, "ana", "new tokenizer, accepted");
        assertThat(storedF1Verdict().regression()).isFalse();

        bm.setAlertState(id, AlertState.OPEN, "ana", "not accepted after all");

        Verdict stored = storedF1Verdict();
        assertThat(stored.regression()).isTrue();
        assertThat(stored.baseline()).isCloseTo(0.90, within(1e-9));
    }

    /** The stored verdict of f1 of the series {@link #push} records to, as the regressions scan reads it. */
    private Verdict storedF1Verdict() {
        return bm.regressions(Filter.all(), RegressionOptions.defaults()).stream()
                .filter(v -> v.metric().equals("f1")).findFirst().orElseThrow();
    }

    /** Records one run of series "m2 / d @ci" with acc and latency_ms, judged as {@link #push} does. */
    private List<AlertChange> pushTwo(int run, double acc, double latencyMs) {
        BenchmarkResult r = BenchmarkResult.builder("m2", "d").environment("ci").runAt(T0.plusSeconds(run * 3600L))
                .metric("acc", acc).metric("latency_ms", latencyMs).commitSha("m2c" + run).runId("m2-" + run).build();
        return bm.recordJudged(List.of(r), java.util.Map.of(), dev.benchmon.detect.DetectionOverrides.NONE).alerts();
    }

    private Verdict verdictOf(String model, String metric) {
        return bm.regressions(Filter.model(model), RegressionOptions.defaults()).stream()
                .filter(v -> v.metric().equals(metric)).findFirst().orElseThrow();
    }

    @Test
    void marking_one_metrics_alert_expected_restarts_the_baseline_of_that_metric_only() {
        for (int i = 0; i < 6; i++) {
            pushTwo(i, 0.90, 100);
        }
        List<AlertChange> opened = pushTwo(6, 0.80, 130);
        assertThat(opened).hasSize(2);
        long accAlert = opened.stream().filter(c -> alert(c.alertId()).metric().equals("acc")).findFirst().orElseThrow().alertId();
        long latencyAlert = opened.stream().filter(c -> alert(c.alertId()).metric().equals("latency_ms")).findFirst()
                .orElseThrow().alertId();

        bm.setAlertState(accAlert, AlertState.ACKNOWLEDGED, "ana", "looking");
        bm.setAlertState(latencyAlert, AlertState.EXPECTED, "ana", "bigger model, slower by design");

        Verdict acc = verdictOf("m2", "acc");
        assertThat(acc.outcome()).isEqualTo("regression");
        assertThat(acc.baseline()).isCloseTo(0.90, within(1e-9));
        Verdict latency = verdictOf("m2", "latency_ms");
        assertThat(latency.outcome()).isEqualTo("no_baseline");
        assertThat(latency.explanation())
                .isEqualTo("the baseline of latency_ms restarts at this run (its alert was marked expected): no earlier run counts")
                .doesNotContain("first run");

        List<AlertChange> next = pushTwo(7, 0.80, 130);

        acc = verdictOf("m2", "acc");
        assertThat(acc.outcome()).isEqualTo("regression");           // still low: not judged ok
        assertThat(acc.baseline()).isCloseTo(0.90, within(1e-9));
        latency = verdictOf("m2", "latency_ms");
        assertThat(latency.outcome()).isEqualTo("ok");
        assertThat(latency.baseline()).isCloseTo(130, within(1e-9));
        assertThat(next).isEmpty();
        assertThat(alert(accAlert).state()).isEqualTo(AlertState.ACKNOWLEDGED);
        assertThat(alert(accAlert).lastTransactionId()).isNotEqualTo(alert(accAlert).transactionId()); // followed
    }

    /** Records and judges a back-fill: a run of f1 = value half an hour after run {@code after} (older than newer runs). */
    private dev.benchmon.detect.RunVerdicts backfill(int after, double f1) {
        BenchmarkResult r = BenchmarkResult.builder("m", "d").environment("ci").runAt(T0.plusSeconds(after * 3600L + 1800))
                .metric("f1", f1).commitSha("c" + after + "b").runId("run-" + after + "b").build();
        return bm.recordJudged(List.of(r), java.util.Map.of(), dev.benchmon.detect.DetectionOverrides.NONE).verdicts().get(0);
    }

    @Test
    void a_backfill_older_than_an_expected_alert_is_judged_late_against_the_runs_before_it() {
        bm.setAlertState(push(0.80).alertId(), AlertState.EXPECTED, "ana", "new tokenizer, accepted");

        dev.benchmon.detect.RunVerdicts late = backfill(2, 0.50);

        assertThat(late.late()).isTrue();
        assertThat(late.metrics()).singleElement().satisfies(m -> {
            assertThat(m.judgement().outcome()).isEqualTo(dev.benchmon.detect.Outcome.REGRESSION);
            assertThat(m.judgement().baselineRuns()).isEqualTo(3);
        });
    }

    @Test
    void a_backfill_older_than_an_expected_alert_stays_out_of_the_baseline_after_it() {
        bm.setAlertState(push(0.80).alertId(), AlertState.EXPECTED, "ana", "new tokenizer, accepted");
        backfill(2, 0.50);

        Pushed next = push(0.80);

        assertThat(next.verdict().baseline()).isCloseTo(0.80, within(1e-9));
        assertThat(next.verdict().baselineRuns()).isEqualTo(1);
    }

    @Test
    void excluding_the_run_of_an_expected_alert_drops_its_baseline_reset_and_judges_the_newest_run_that_counts() {
        Pushed changed = push(0.80);
        bm.setAlertState(changed.alertId(), AlertState.EXPECTED, "ana", "new tokenizer, accepted");

        bm.annotations().exclude(changed.run(), "runner OOM", "ana");

        Verdict now = bm.regressions(Filter.all(), RegressionOptions.defaults()).get(0);
        assertThat(now.transactionId()).isNotEqualTo(changed.run());
        assertThat(now.outcome()).isEqualTo("ok");
        assertThat(now.current()).isEqualTo(0.90);
        // The excluded run anchors no baseline: a later run at 0.80 is judged against the runs that count.
        Pushed next = push(0.80);
        assertThat(next.verdict().outcome()).isEqualTo("regression");
        assertThat(next.verdict().baseline()).isCloseTo(0.90, within(1e-9));
        assertThat(next.changes()).singleElement().satisfies(c -> assertThat(c.change()).isEqualTo("opened"));
        assertThat(alert(changed.alertId()).state()).isEqualTo(AlertState.EXPECTED);

        // Included again, the run is the start of the baseline again.
        bm.annotations().annotate(changed.run(), "included", "not an OOM after all", "ana");

        Verdict again = bm.regressions(Filter.all(), RegressionOptions.defaults()).get(0);
        assertThat(again.transactionId()).isEqualTo(next.run());
        assertThat(again.outcome()).isEqualTo("ok");
        assertThat(again.baseline()).isCloseTo(0.80, within(1e-9));
    }

    /** R1 drops f1 to 0.80 and R2 to 0.70, each alert marked expected; returns {A1's run, A2's run, A2}. */
    private long[] twoExpectedDrops() {
        Pushed r1 = push(0.80);
        bm.setAlertState(r1.alertId(), AlertState.EXPECTED, "ana", "new tokenizer, accepted");
        Pushed r2 = push(0.70);
        bm.setAlertState(r2.alertId(), AlertState.EXPECTED, "ana", "smaller model, accepted");
        return new long[] {r1.run(), r2.run(), r2.alertId()};
    }

    /** The simple rule's (SQL detect_regressions) verdict on f1. */
    private Verdict simpleRuleF1() {
        return bm.simpleRuleRegressions(Filter.all(), RegressionOptions.defaults()).stream()
                .filter(v -> v.metric().equals("f1")).findFirst().orElseThrow();
    }

    /**
     * {@code next} opened no alert, and the engine (outcome, baseline, runs) and the simple rule (no regression, the
     * same baseline) judged it against the runs from R1 on.
     */
    private void judgedFromR1(Pushed next, String outcome, double baseline, int baselineRuns) {
        assertThat(next.changes()).isEmpty();
        assertThat(next.verdict().outcome()).isEqualTo(outcome);
        assertThat(next.verdict().baseline()).isCloseTo(baseline, within(1e-9));
        assertThat(next.verdict().baselineRuns()).isEqualTo(baselineRuns);
        Verdict sql = simpleRuleF1();
        assertThat(sql.transactionId()).isEqualTo(next.run());
        assertThat(sql.regression()).isFalse();
        assertThat(sql.baseline()).isCloseTo(baseline, within(1e-9));
    }

    @Test
    void excluding_the_run_of_the_newer_expected_alert_restarts_the_baseline_at_the_older_expected_alert() {
        long[] runs = twoExpectedDrops();

        bm.annotations().exclude(runs[1], "runner OOM", "ana");
        Pushed next = push(0.80);

        // Judged against the runs from R1 on that count (R1 alone): no alert for what A1 accepted.
        judgedFromR1(next, "ok", 0.80, 1);

        // Included again, R2's reset is the newest in force again: the baseline is R2 alone, in both.
        bm.annotations().annotate(runs[1], "included", "not an OOM after all", "ana");
        Verdict engine = bm.regressions(Filter.all(), RegressionOptions.defaults()).get(0);
        assertThat(engine.baseline()).isCloseTo(0.70, within(1e-9));
        assertThat(engine.baselineRuns()).isEqualTo(1);
        Verdict sql = simpleRuleF1();
        assertThat(sql.baseline()).isCloseTo(0.70, within(1e-9));
        assertThat(sql.baselineRuns()).isEqualTo(1);
    }

    @Test
    void moving_the_newer_expected_alert_out_of_expected_restarts_the_baseline_at_the_older_expected_alert() {
        long[] runs = twoExpectedDrops();

        bm.setAlertState(runs[2], AlertState.RESOLVED, "ana", "fixed in the next release");
        Pushed next = push(0.80);

        // Judged against the runs from R1 on (0.80 and 0.70): above them, no alert for what A1 accepted.
        judgedFromR1(next, "improvement", 0.75, 2);
        assertThat(alert(runs[2]).state()).isEqualTo(AlertState.RESOLVED);
    }

    @Test
    void excluding_a_run_removes_it_from_the_baseline_and_changes_the_verdict() {
        // A broken runner, three times: the baseline (median of the previous runs) follows it down.
        List<Pushed> bad = List.of(push(0.30), push(0.30), push(0.30));
        Pushed next = push(0.85);
        assertThat(next.verdict().baseline()).isCloseTo(0.30, within(1e-9));
        assertThat(next.verdict().regression()).isFalse();

        Annotations.Annotated annotated = null;
        for (Pushed b : bad) {
            annotated = bm.annotations().exclude(b.run(), "runner lost its GPU", "ana");
        }

        List<Verdict> after = bm.regressions(Filter.all(), RegressionOptions.defaults());
        Verdict v = after.stream().filter(x -> x.metric().equals("f1")).findFirst().orElseThrow();
        assertThat(v.baseline()).isCloseTo(0.90, within(1e-9));
        assertThat(v.baselineRuns()).isEqualTo(4);
        assertThat(v.regression()).isTrue();          // 0.85 is 5.6% below 0.90
        assertThat(bm.annotations().excludedRunIds(annotated.seriesId()))
                .containsExactlyInAnyOrderElementsOf(bad.stream().map(Pushed::run).toList());
        assertThat(bm.history(Filter.all()).rowCount()).isEqualTo(8); // still in the log
    }

    @Test
    void an_excluded_latest_run_is_not_judged_the_run_before_it_is_and_its_alert_resolves() {
        Pushed bad = push(0.30);

        var annotated = bm.annotations().exclude(bad.run(), "bad push", "ana");

        assertThat(annotated.resolvedAlerts()).containsExactly(bad.alertId());
        assertThat(alert(bad.alertId()).state()).isEqualTo(AlertState.RESOLVED);
        assertThat(bm.alertBook().history(bad.alertId())).last()
                .satisfies(e -> assertThat(e.comment()).isEqualTo("run " + bad.run() + " excluded: bad push"));

        Verdict v = bm.regressions(Filter.all(), RegressionOptions.defaults()).get(0);
        assertThat(v.transactionId()).isNotEqualTo(bad.run());
        assertThat(v.current()).isEqualTo(0.90);
        assertThat(v.regression()).isFalse();
    }

    /** Judging a series again against a database that is gone: the re-judge after a triage change fails. */
    private static java.util.function.IntConsumer rejudgeThatFails() {
        return new dev.benchmon.detect.DetectionService(org.jdbi.v3.core.Jdbi.create("jdbc:postgresql://127.0.0.1:1/gone"))
                ::recomputeSeries;
    }

    @Test
    void marking_an_alert_expected_stands_when_judging_the_series_again_fails() {
        long id = push(0.80).alertId();

        AlertEvent event = new Alerts(bm.jdbi(), rejudgeThatFails()).setState(id, AlertState.EXPECTED, "ana", "new tokenizer", "api");

        assertThat(event.state()).isEqualTo(AlertState.EXPECTED);
        assertThat(bm.alertBook().history(id)).extracting(AlertEvent::state).containsExactly(AlertState.OPEN, AlertState.EXPECTED);
    }

    @Test
    void excluding_a_run_stands_when_judging_the_series_again_fails() {
        Pushed bad = push(0.30);

        Annotations.Annotated a = new Annotations(bm.jdbi(), rejudgeThatFails()).exclude(bad.run(), "bad push", "ana");

        assertThat(a.resolvedAlerts()).containsExactly(bad.alertId());
        assertThat(bm.annotations().exclusionReason(bad.run())).isEqualTo("bad push");
        assertThat(bm.annotations().ofRun(bad.run())).hasSize(1);
    }

    @Test
    void a_finding_under_a_mute_opens_muted_and_after_the_expiry_opens_open() {
        int series = seriesId();
        Instant now = Instant.now();
        bm.annotations().mute(series, "f1", "flaky runner this week", "ana", now.plusSeconds(3600), null);
        assertThat(push(0.80).changes()).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo(AlertState.MUTED));
        assertThat(bm.annotations().isMuted(series, "f1", now.plusSeconds(60))).isTrue();
        assertThat(bm.annotations().isMuted(series, "f1", now.plusSeconds(7200))).isFalse();
    }

    @Test
    void an_expired_mute_no_longer_mutes() {
        int series = seriesId();
        Instant now = Instant.now();
        bm.annotations().mute(series, null, "last week's outage", "ana", now.minusSeconds(3600), now.minusSeconds(7200));

        assertThat(push(0.80).changes()).singleElement()
                .satisfies(c -> assertThat(c.state()).isEqualTo(AlertState.OPEN));
    }

    @Test
    void a_mute_ended_early_keeps_the_expiry_it_was_given_and_records_when_it_ended() {
        int series = seriesId();
        Instant planned = Instant.parse("2099-01-01T00:00:00Z");
        bm.annotations().mute(series, null, "runner migration", "ana", planned, null);

        bm.annotations().unmute(series, null, "done", "bo");

        assertThat(bm.annotations().mutes(series, null)).singleElement().satisfies(m -> {
            assertThat(m.expiresAt()).isEqualTo(planned);
            assertThat(m.endedAt()).isNotNull().isBefore(planned);
            assertThat(m.inForceAt(Instant.now())).isFalse();
        });
        assertThat(bm.annotations().isMuted(series, "f1", Instant.now())).isFalse();
    }

    @Test
    void when_a_mute_expires_an_alert_it_muted_that_still_regresses_opens_again_and_a_person_s_mute_stays() throws Exception {
        int series = seriesId();
        bm.annotations().mute(series, "f1", "runner migration", "ana", Instant.now().plusSeconds(2), null);
        long id = push(0.80).alertId();
        assertThat(alert(id).state()).isEqualTo(AlertState.MUTED);
        assertThat(push(0.80).changes()).as("still under the mute").isEmpty();

        Thread.sleep(2500); // the mute expires
        Pushed after = push(0.80);

        assertThat(after.changes()).singleElement().satisfies(c -> {
            assertThat(c.alertId()).isEqualTo(id);
            assertThat(c.openedOpen()).as("announced again").isTrue();
        });
        assertThat(alert(id).state()).isEqualTo(AlertState.OPEN);
        assertThat(bm.alertBook().history(id)).last().satisfies(e ->
                assertThat(e.comment()).startsWith("mute expired and still regressed in run " + after.run()));

        bm.setAlertState(id, AlertState.MUTED, "ana", "known, fixing next sprint");
        assertThat(push(0.80).changes()).as("a person's mute has no expiry").isEmpty();
        assertThat(alert(id).state()).isEqualTo(AlertState.MUTED);
    }

    @Test
    void an_alert_a_mute_silenced_stays_muted_when_the_first_run_of_its_drop_is_excluded_and_opens_again_when_the_mute_expires()
            throws Exception {
        bm.annotations().mute(seriesId(), "f1", "runner migration", "ana", Instant.now().plusSeconds(2), null);
        Pushed first = push(0.80);
        long id = first.alertId();
        push(0.80);

        Annotations.Annotated a = bm.annotations().exclude(first.run(), "wrong data", "ana");
        assertThat(a.resolvedAlerts()).isEmpty();
        assertThat(alert(id).state()).isEqualTo(AlertState.MUTED);

        Thread.sleep(2500); // the mute expires
        assertThat(push(0.80).changes()).singleElement().satisfies(c -> {
            assertThat(c.alertId()).isEqualTo(id);
            assertThat(c.openedOpen()).as("announced again: excluding a run does not make the mute a person's").isTrue();
        });
    }

    @Test
    void muting_a_series_mutes_its_open_alerts() {
        long id = push(0.80).alertId();

        bm.annotations().mute(seriesId(), null, "known noisy", "ana", Instant.now().plusSeconds(3600), null);

        assertThat(alert(id).state()).isEqualTo(AlertState.MUTED);
        assertThat(bm.alertBook().history(id)).last().satisfies(e -> assertThat(e.source()).isEqualTo("mute"));
    }

    @Test
    void alerts_list_as_a_table_open_first() {
        long first = push(0.80).alertId();
        bm.acknowledge(first, "ana", "");
        push(0.90);
        long second = push(0.70).alertId();

        Table t = bm.alerts(AlertFilter.all());

        assertThat(t.longColumn("id").asList()).containsExactly(second, first);
        assertThat(t.stringColumn("state").asList()).containsExactly("open", "resolved");
        assertThat(bm.alerts(AlertFilter.states(AlertState.OPEN)).rowCount()).isEqualTo(1);
    }

    @Test
    void alerts_without_arguments_lists_every_alert_as_the_all_filter_does() {
        long id = push(0.80).alertId();

        assertThat(bm.alerts().longColumn("id").asList()).containsExactly(id)
                .isEqualTo(bm.alerts(AlertFilter.all()).longColumn("id").asList());
    }

    @Test
    void bad_triage_input_is_refused_with_the_field_named() {
        long id = push(0.80).alertId();

        assertThatThrownBy(() -> bm.acknowledge(id, " ", "x")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("actor");
        assertThatThrownBy(() -> bm.acknowledge(id + 1000, "ana", "x")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("alert " + (id + 1000) + " not found");
        assertThatThrownBy(() -> bm.annotations().exclude(999_999, "r", "ana")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> bm.annotations().exclude(1, "", "ana")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> AlertState.parse("state", "snoozed")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("acknowledged");
    }

    @Test
    void a_mute_without_a_reason_is_refused_naming_reason_and_mutes_nothing() {
        int series = seriesId();
        Instant until = Instant.now().plusSeconds(3600);

        for (String blank : java.util.Arrays.asList(null, "", "  ")) {
            assertThatThrownBy(() -> bm.annotations().mute(series, "f1", blank, "ana", until, null))
                    .as("reason %s", blank)
                    .isInstanceOfSatisfying(dev.benchmon.InvalidArgumentException.class, e -> assertThat(e.problems())
                            .extracting(ValidationException.Problem::field).containsExactly("reason"));
        }
        assertThat(bm.annotations().mutes(series, null)).isEmpty();
    }

    @Test
    void an_exclusion_without_a_reason_is_refused_naming_reason_and_excludes_nothing() {
        long run = push(0.80).run();

        for (String blank : java.util.Arrays.asList(null, "", "  ")) {
            assertThatThrownBy(() -> bm.annotations().annotate(run, "excluded", blank, "ana"))
                    .as("reason %s", blank)
                    .isInstanceOfSatisfying(dev.benchmon.InvalidArgumentException.class, e -> {
                        assertThat(e.problems()).extracting(ValidationException.Problem::field).containsExactly("reason");
                        assertThat(e.getMessage()).contains("an exclusion needs a reason");
                    });
        }
        assertThat(bm.annotations().exclusionReason(run)).isNull();
        assertThat(bm.annotations().ofRun(run)).isEmpty();
    }

    @Test
    void a_note_without_text_is_still_refused_naming_text() {
        long run = push(0.90).run();

        assertThatThrownBy(() -> bm.annotations().annotate(run, "note", " ", "ana"))
                .isInstanceOfSatisfying(dev.benchmon.InvalidArgumentException.class, e -> assertThat(e.problems())
                        .extracting(ValidationException.Problem::field).containsExactly("text"));
    }

    /** Two triage changes of alert {@code id} in one Jdbi transaction (the toolkit's calls join the caller's). */
    private List<Alerts.Triaged> inOneTransaction(long id, AlertState first, AlertState second) {
        return bm.jdbi().inTransaction(h -> List.of(
                bm.alertBook().triage(id, first, "ana", "known, fixing next sprint", "toolkit"),
                bm.alertBook().triage(id, second, "ana", "known, fixing next sprint", "toolkit")));
    }

    @Test
    void muting_an_alert_twice_in_one_transaction_changes_it_once() {
        long id = push(0.80).alertId();

        List<Alerts.Triaged> both = inOneTransaction(id, AlertState.MUTED, AlertState.MUTED);

        assertThat(both.get(0).changed()).isTrue();
        assertThat(both.get(1).changed()).as("the second mute changed nothing").isFalse();
        assertThat(both.get(1).event()).isEqualTo(both.get(0).event());
        assertThat(bm.alertBook().history(id)).hasSize(2);
    }

    @Test
    void acknowledging_then_muting_an_alert_in_one_transaction_changes_it_twice() {
        long id = push(0.80).alertId();

        List<Alerts.Triaged> both = inOneTransaction(id, AlertState.ACKNOWLEDGED, AlertState.MUTED);

        assertThat(both).extracting(Alerts.Triaged::changed).containsExactly(true, true);
        assertThat(bm.alertBook().history(id)).hasSize(3);
    }

    @Test
    void a_triage_argument_the_database_refuses_is_an_invalid_argument_naming_it() {
        long run = push(0.80).run();

        assertThatThrownBy(() -> bm.annotations().annotate(run, "flagged", "x", "ana"))
                .isInstanceOfSatisfying(dev.benchmon.InvalidArgumentException.class, e -> {
                    assertThat(e.problems()).extracting(ValidationException.Problem::field).containsExactly("kind");
                    assertThat(e.getMessage()).isEqualTo("invalid argument: kind: must be excluded, included or note; got flagged");
                });
    }

    private int seriesId() {
        return bm.jdbi().withHandle(h -> h.createQuery("SELECT id FROM series").mapTo(Integer.class).one());
    }
}
