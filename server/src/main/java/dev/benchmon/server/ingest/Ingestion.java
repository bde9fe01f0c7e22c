package dev.benchmon.server.ingest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.MetricDefinition;
import dev.benchmon.RecordOutcome;
import dev.benchmon.alert.Alert;
import dev.benchmon.detect.DetectionOverrides;
import dev.benchmon.detect.MetricJudgement;
import dev.benchmon.detect.MetricVerdict;
import dev.benchmon.detect.Outcome;
import dev.benchmon.detect.RunVerdicts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Records a batch in one transaction (all-or-nothing) and reports each result with the detection
 * engine's verdicts (dev.benchmon.detect), computed for the series the batch touched and stored.
 */
public final class Ingestion {
    private Ingestion() {
    }

    /**
     * The definitions of {@code stated} whose metric the database has no definition for, by name: what a write of
     * them will define (the toolkit keeps existing definitions itself), for {@code push}'s line "defined N metric(s)
     * as the file states" and the push answer's {@code defined_metrics}. Reads the stated metrics' rows only.
     */
    public static Map<String, MetricDefinition> undefined(Benchmon benchmon, Map<String, MetricDefinition> stated) {
        if (stated.isEmpty()) {
            return Map.of();
        }
        tech.tablesaw.api.Table known = benchmon.metricDefinitions(stated.keySet());
        Set<String> defined = new java.util.HashSet<>();
        for (int i = 0; i < known.rowCount(); i++) {
            if (known.booleanColumn("defined").get(i)) {
                defined.add(known.stringColumn("name").get(i));
            }
        }
        Map<String, MetricDefinition> added = new java.util.TreeMap<>();
        stated.values().stream().filter(d -> !defined.contains(d.name())).forEach(d -> added.put(d.name(), d));
        return added;
    }

    /** Records {@code results} and reports each with its verdicts at the metrics' own settings. */
    public static IngestReport record(Benchmon benchmon, List<BenchmarkResult> results) {
        return record(benchmon, results, Map.of(), DetectionOverrides.NONE);
    }

    /**
     * Records {@code results} (with {@code definitions}, in the same transaction) and reports each with its verdicts
     * under {@code overrides} (per-request sensitivity and minimum effect).
     */
    public static IngestReport record(Benchmon benchmon, List<BenchmarkResult> results,
                                      Map<String, MetricDefinition> definitions, DetectionOverrides overrides) {
        try {
            return recorded(benchmon, results, definitions, overrides).report();
        } catch (AfterCommit e) {
            throw e.failure(); // what a request sent alone answers: the failure itself (its results are stored)
        }
    }

    /**
     * Records {@code results} (at most one per series: a {@link GroupCommit} group) in one transaction, as
     * {@link #record(Benchmon, List)}, and reports each apart: its report (its result at index 0) holds the alert
     * changes of its own series only and, of the runs the group's findings named, its own run only, as if it had
     * been sent alone.
     */
    static Apart recordApart(Benchmon benchmon, List<BenchmarkResult> results) {
        Recorded all = recorded(benchmon, results, Map.of(), DetectionOverrides.NONE);
        Set<Long> named = all.report().runsInFindings();
        List<IngestReport> each = new ArrayList<>(all.report().results().size());
        List<Integer> seriesOf = new ArrayList<>(each.size());
        for (ResultReport r : all.report().results()) {
            Integer series = all.seriesIds().get(r.index());
            List<dev.benchmon.alert.AlertChange> own = all.report().alerts().stream()
                    .filter(c -> series != null && c.seriesId() == series).toList();
            // Its own run only: the group's other runs are other members' (IngestReport#alertLookups reads a report's
            // own results alone, so keeping them changed no answer, but the report would name runs it never sent).
            Set<Long> ownNamed = named.contains(r.id()) ? Set.of(r.id()) : Set.of();
            each.add(new IngestReport(List.of(r.at(0)), own, ownNamed, Map.of(), all.report().definitions()));
            seriesOf.add(series);
        }
        return new Apart(each, all.report().alerts(), seriesOf);
    }

    /**
     * The alerts the pushes of a group recorded apart list, read with one {@code Alerts.forPush} for all its members
     * whose series is known, instead of one per member (3.5 ms of database time each in a single-POST load from 8
     * clients, PostgreSQL 15); {@link #memberPushAlerts} gives each member its share.
     */
    static List<Alert> groupPushAlerts(Benchmon benchmon, Apart group) {
        List<Long> lookups = new ArrayList<>();
        for (int i = 0; i < group.reports().size(); i++) {
            if (group.seriesOf().get(i) != null) {
                lookups.addAll(group.reports().get(i).alertLookups());
            }
        }
        return lookups.isEmpty() ? List.of() : benchmon.alertBook().forPush(lookups);
    }

    /**
     * What {@link #pushAlerts} answers for member {@code i} of {@code group}, from the group's read ({@link
     * #groupPushAlerts}): the alerts of its own series. Every arm of that statement finds an alert through a run of the
     * alert's own series, and a group holds one result per series, so the share is what the member's runs alone find,
     * in the same order. A member whose series is not known reads its own.
     */
    static List<Alert> memberPushAlerts(Benchmon benchmon, Apart group, int i, List<Alert> groupRead) {
        IngestReport report = group.reports().get(i);
        Integer series = group.seriesOf().get(i);
        List<Alert> listed = series == null ? benchmon.alertBook().forPush(report.alertLookups())
                : groupRead.stream().filter(a -> a.seriesId() == series).toList();
        return withResolvedApart(benchmon, report, listed);
    }

    /**
     * A group recorded together and reported apart ({@link #recordApart}).
     *
     * @param reports  one report per result, in the order given, each with its own series' alert changes
     * @param alerts   the alert changes of the whole group (to be announced once)
     * @param seriesOf the series id of each report's result, by position ({@code null} when it was not judged)
     */
    record Apart(List<IngestReport> reports, List<dev.benchmon.alert.AlertChange> alerts, List<Integer> seriesOf) {
    }

    /** A report, and the series id of each result judged (by its index): whose alert changes are whose. */
    private record Recorded(IngestReport report, Map<Integer, Integer> seriesIds) {
    }

    private static Recorded recorded(Benchmon benchmon, List<BenchmarkResult> results,
                                     Map<String, MetricDefinition> definitions, DetectionOverrides overrides) {
        Benchmon.Recorded recorded = benchmon.recordJudged(results, definitions, overrides);
        try {
            return report(results, overrides, recorded);
        } catch (RuntimeException e) {
            throw new AfterCommit(recorded.alerts(), e);
        }
    }

    /**
     * A failure after a batch committed (a read for its report): its results are stored, so whoever recorded it must
     * not record it again (a group falls back to recording each member alone only when its commit failed), and the
     * alert changes it made are still to be announced.
     */
    static final class AfterCommit extends RuntimeException {
        private final transient List<dev.benchmon.alert.AlertChange> alerts;

        AfterCommit(List<dev.benchmon.alert.AlertChange> alerts, RuntimeException failure) {
            super(failure.getMessage(), failure, false, false);
            this.alerts = List.copyOf(alerts);
        }

        /** The alert changes the committed batch made. */
        List<dev.benchmon.alert.AlertChange> alerts() {
            return alerts;
        }

        /** What failed after the commit. */
        RuntimeException failure() {
            return (RuntimeException) getCause();
        }
    }

    private static Recorded report(List<BenchmarkResult> results, DetectionOverrides overrides,
                                   Benchmon.Recorded recorded) {
        Map<Long, Integer> attempts = recorded.laterAttempts(); // read in the write's transaction
        List<ResultReport> reports = new ArrayList<>(recorded.outcomes().size());
        Map<Long, RunVerdicts> requestVerdicts = new HashMap<>();
        Map<Integer, Integer> seriesIds = new HashMap<>();
        Units units = new Units(recorded.definitions());
        for (RecordOutcome o : recorded.outcomes()) {
            RunVerdicts verdicts = recorded.verdicts().get(o.index());
            if (verdicts != null) {
                seriesIds.put(o.index(), verdicts.seriesId());
            }
            reports.add(judge(o, results.get(o.index()).series(), verdicts, units)
                    .withAttempt(attempts.getOrDefault(o.transactionId(), 1)));
            if (!overrides.isNone() && verdicts != null) {
                requestVerdicts.put(o.transactionId(), verdicts);
            }
        }
        return new Recorded(new IngestReport(reports, recorded.alerts(), recorded.runsInFindings(), requestVerdicts,
                recorded.definitions()), seriesIds);
    }

    /**
     * The alerts a push reports as {@code json} writes them: the ones its runs raised or still show
     * ({@code Alerts.forPush}, open first), then those its runs resolved (in state resolved, by id), each with
     * {@code fails_push}: whether it fails {@code --fail-on-regression} ({@link IngestReport#failsPush}; never a resolved
     * one), and {@code resolved_now}: whether this request's runs resolved it (a resolved alert listed because a re-sent
     * run raised it was resolved before, and is no news of this push). One answer for the server and {@code push --db}.
     */
    public static ArrayNode alertsJson(Benchmon benchmon, IngestReport report, Function<List<Alert>, ArrayNode> json) {
        return alertsJson(report, pushAlerts(benchmon, report), json);
    }

    /**
     * The alerts a push of {@code report} lists: those its runs raised or still show ({@code Alerts.forPush}, open
     * first), then those its runs resolved that are not among them ({@link #resolvedApart}).
     */
    public static List<Alert> pushAlerts(Benchmon benchmon, IngestReport report) {
        return withResolvedApart(benchmon, report, benchmon.alertBook().forPush(report.alertLookups()));
    }

    private static List<Alert> withResolvedApart(Benchmon benchmon, IngestReport report, List<Alert> listed) {
        List<Alert> alerts = new ArrayList<>(listed);
        alerts.addAll(resolvedApart(benchmon, report, alerts));
        return alerts;
    }

    /** {@link #alertsJson(Benchmon, IngestReport, Function)} of alerts already read ({@link #pushAlerts}). */
    public static ArrayNode alertsJson(IngestReport report, List<Alert> alerts, Function<List<Alert>, ArrayNode> json) {
        ArrayNode array = json.apply(alerts);
        Set<Long> resolvedNow = new java.util.HashSet<>(report.resolvedAlerts());
        // A metric with an active alert after this push is not back at the old level, whatever alert this push
        // resolved of it: a CI re-run's attempt still regressing resolves its replaced attempt's alert and opens its own.
        Set<List<Object>> stillActive = new java.util.HashSet<>();
        alerts.stream().filter(a -> a.state().active()).forEach(a -> stillActive.add(List.of(a.seriesId(), a.metric())));
        for (int i = 0; i < alerts.size(); i++) {
            Alert a = alerts.get(i);
            ((ObjectNode) array.get(i)).put("fails_push", report.failsPush(a))
                    .put("resolved_now", a.state() == dev.benchmon.alert.AlertState.RESOLVED && resolvedNow.contains(a.id())
                            && !stillActive.contains(List.of(a.seriesId(), a.metric())));
        }
        return array;
    }

    /**
     * The alerts the runs of {@code report} resolved that {@code listed} leaves out: {@code forPush} finds an alert by
     * the runs it names or by being open, and a resolved alert names the runs before the one back at the old level. A
     * push sent in several requests needs them: a later request may resolve an alert an earlier one answered open.
     * Read only when the report resolved one (a report's alert changes are of its own results' series, a single POST
     * recorded in a group too: {@link #recordApart}).
     */
    private static List<Alert> resolvedApart(Benchmon benchmon, IngestReport report, List<Alert> listed) {
        Set<Long> shown = new java.util.HashSet<>();
        listed.forEach(a -> shown.add(a.id()));
        List<Long> ids = report.resolvedAlerts().stream().filter(id -> !shown.contains(id)).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return benchmon.alertBook().byIds(ids).stream()
                .sorted(java.util.Comparator.comparingLong(Alert::id)).toList();
    }

    /**
     * The units of the metrics reported, as their definitions state them: those the write's judgement read in its
     * transaction ({@link Benchmon.Recorded#definitions}), so a report reads none of its own. A proportion's unit
     * ({@code ratio}) is none: its change is in points.
     */
    private record Units(Map<String, MetricDefinition> definitions) {
        String of(String metric) {
            MetricDefinition d = definitions.get(metric);
            return dev.benchmon.chart.MetricUnits.valueUnit(d == null ? null : d.unit());
        }
    }

    private static ResultReport judge(RecordOutcome o, String series, RunVerdicts verdicts, Units units) {
        if (verdicts == null || verdicts.noBaseline()) {
            return new ResultReport(o.index(), o.transactionId(), o.created(), series, ResultReport.NO_BASELINE,
                    List.of(), List.of(), verdicts != null && verdicts.late(), earlierInPush(verdicts), 1, List.of());
        }
        List<MetricChange> regressions = new ArrayList<>();
        List<MetricChange> changes = new ArrayList<>();
        // Every metric of a result stored now that stands for its series, ok ones too: what push prints of a clean run.
        // Not of the others (a back-fill's earlier runs, results already stored), so that a batch's answer stays one
        // list per series and a re-sent push says only that nothing new was stored.
        List<MetricChange> judged = new ArrayList<>();
        boolean stands = o.created() && !verdicts.late() && !earlierInPush(verdicts);
        for (MetricVerdict mv : verdicts.metrics()) {
            MetricJudgement j = mv.judgement();
            if (j.outcome() == Outcome.NOT_JUDGED || j.outcome() == Outcome.OK && !stands) {
                continue; // (an ok metric is reported only in judged)
            }
            double rel = j.relativeChange();
            MetricChange c = new MetricChange(mv.metric(), j.baseline(), j.current(), Double.isFinite(rel) ? rel : null,
                    j.severity(mv.settings().sensitivity()), j.outcome().jsonName(), Double.isFinite(j.z()) ? j.z() : null,
                    mv.text(), Double.isFinite(rel) ? dev.benchmon.alert.Alert.changeText(rel, j.baseline(),
                            mv.semantics().proportion()) : null, units.of(mv.metric()));
            if (stands) {
                judged.add(c);
            }
            if (j.outcome() != Outcome.OK) {
                (j.outcome() == Outcome.REGRESSION ? regressions : changes).add(c);
            }
        }
        String verdict = !regressions.isEmpty() ? ResultReport.REGRESSION
                : changes.stream().anyMatch(c -> ResultReport.MISSING.equals(c.outcome())) ? ResultReport.MISSING
                : ResultReport.OK;
        return new ResultReport(o.index(), o.transactionId(), o.created(), series, verdict, regressions, changes,
                verdicts.late(), earlierInPush(verdicts), 1, judged);
    }

    /**
     * Whether the run of {@code verdicts} is neither its series' newest nor late: an earlier run of a push of several
     * runs of its series, which {@link RunVerdicts#standsForSeries} leaves to the newest run (no alert of its own).
     */
    private static boolean earlierInPush(RunVerdicts verdicts) {
        return verdicts != null && !verdicts.late() && !verdicts.standsForSeries();
    }

    /** The distinct values of a field over the results, in first-seen order. */
    public static String[] distinct(List<BenchmarkResult> results, Function<BenchmarkResult, String> field) {
        Set<String> values = new LinkedHashSet<>();
        results.forEach(r -> values.add(field.apply(r)));
        return values.toArray(String[]::new);
    }
}
