package dev.benchmon.server.ingest;

import dev.benchmon.MetricDefinition;
import dev.benchmon.alert.Alert;
import dev.benchmon.alert.AlertState;
import dev.benchmon.detect.MetricVerdict;
import dev.benchmon.detect.RunVerdicts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The outcome of recording a batch: one {@link ResultReport} per result, in batch order, the alerts the
 * batch opened or resolved (a single POST recorded in a group: those of its own series, {@link GroupCommit}), the runs its
 * findings named ({@link dev.benchmon.Benchmon.Recorded#runsInFindings}), when the request set its own sensitivity or minimum effect, each run's verdicts under those settings
 * (by run id; empty otherwise), which decide whether an open alert fails the push ({@link #failsPush}), and the metric
 * definitions its write was judged by ({@link dev.benchmon.Benchmon.Recorded#definitions}: every definition the database
 * held in the write's transaction, those it stated included), by name, for the answer's units and warnings without a read
 * of their own.
 */
public record IngestReport(List<ResultReport> results, List<dev.benchmon.alert.AlertChange> alerts,
                           Set<Long> runsInFindings, Map<Long, RunVerdicts> requestVerdicts,
                           Map<String, MetricDefinition> definitions) {
    public IngestReport {
        results = List.copyOf(results);
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
        runsInFindings = Set.copyOf(runsInFindings);
        requestVerdicts = Map.copyOf(requestVerdicts);
        definitions = Map.copyOf(definitions);
    }

    /**
     * A report judged at the metrics' own settings, without the definitions it was judged by: one read back from a
     * server's answer ({@link IngestReportJson}, which carries none) or assembled from another report's results.
     */
    public IngestReport(List<ResultReport> results, List<dev.benchmon.alert.AlertChange> alerts, Set<Long> runsInFindings) {
        this(results, alerts, runsInFindings, Map.of(), Map.of());
    }

    public IngestReport(List<ResultReport> results) {
        this(results, List.of(), Set.of());
    }

    /**
     * The runs of this report that an alert may name or show: results stored before (re-sent; alerted then,
     * perhaps) and new runs a finding named. A new run that no finding named has no alert, so a quiet
     * push answers without looking alerts up. A new run of a series with an active alert is always named
     * when it carries the alert's metric: judged a regression it follows the alert, judged otherwise it is
     * a finding of a run within noise (which may resolve it), so a run still showing an open alert is here.
     */
    public List<Long> alertLookups() {
        return results.stream().filter(r -> !r.created() || runsInFindings.contains(r.id())).map(ResultReport::id).toList();
    }

    /**
     * Whether {@code alert}, reported with this push, fails {@code --fail-on-regression}: only an open one,
     * and when the request set its own sensitivity or minimum effect, only one that a run of its series in
     * this push still shows as a regression under those settings, measured from the alert's baseline (the
     * settings choose what counts as a regression for this push; the alert itself was opened, and stays
     * open, at the metric's own settings). A run without a verdict on the alert's metric leaves it failing.
     */
    public boolean failsPush(Alert alert) {
        if (alert.state() != AlertState.OPEN) {
            return false;
        }
        List<MetricVerdict> judged = requestVerdicts.values().stream().filter(v -> v.seriesId() == alert.seriesId())
                .flatMap(v -> v.metrics().stream()).filter(m -> m.metric().equals(alert.metric())).toList();
        return judged.isEmpty() || alert.baseline() == null
                || judged.stream().anyMatch(m -> m.regressionFrom(alert.baseline()));
    }

    /** The ids of the alerts this report resolved ({@link dev.benchmon.alert.AlertChange#RESOLVED}), each once. */
    public List<Long> resolvedAlerts() {
        return alerts.stream().filter(c -> dev.benchmon.alert.AlertChange.RESOLVED.equals(c.change()))
                .map(dev.benchmon.alert.AlertChange::alertId).distinct().toList();
    }

    /** Results stored now. */
    public long created() {
        return results.stream().filter(ResultReport::created).count();
    }

    /** Results whose idempotency key was already stored (re-sent). */
    public long alreadyPresent() {
        return results.size() - created();
    }

    /**
     * Results whose verdict is a regression, every one of them: late runs, earlier runs of the push and results already
     * present too ({@code regressions} of the push's answer, kept as it was for its clients; {@link #standingRegressions}
     * counts those that open or follow an alert).
     */
    public long regressions() {
        return results.stream().filter(ResultReport::regressed).count();
    }

    /**
     * Regressed results stored now that stand for their series ({@link #regressedStanding}, less those already
     * present): this request's regressions that open or follow an alert. {@code push --fail-on-regression} fails on
     * the same rule against a server without alerts ({@code PushSummary.Stored#regressed}), and on the alerts'
     * {@code fails_push} otherwise. The push answer's {@code standing_regressions}.
     */
    public long standingRegressions() {
        return regressedStanding().stream().filter(ResultReport::created).count();
    }

    /**
     * Regressed results that arrived late ({@code late}: older than a run of their series stored before them; judged
     * against the runs before them, but the newer stored run is the series' state, so they open no alert and fail no
     * push) or on time.
     */
    public List<ResultReport> regressed(boolean late) {
        return results.stream().filter(r -> r.regressed() && r.late() == late).toList();
    }

    /**
     * Regressed results that stand for their series ({@link ResultReport#standsForSeries}): the only ones whose
     * regressions open or follow an alert, and so the only ones that can fail {@code --fail-on-regression}.
     */
    public List<ResultReport> regressedStanding() {
        return results.stream().filter(r -> r.regressed() && r.standsForSeries()).toList();
    }

    /**
     * Regressed earlier runs of a push of several runs of their series ({@link ResultReport#earlierInPush}): judged as
     * if sent alone, reported, but the series' newest run stands for the series, so they open no alert of their own.
     */
    public List<ResultReport> regressedEarlierInPush() {
        return results.stream().filter(r -> r.regressed() && r.earlierInPush()).toList();
    }

    /** Results with a metric that the previous run of the series had and this one lacks. */
    public long missing() {
        return results.stream().filter(ResultReport::missing).count();
    }

    /**
     * This report with each index {@code i} replaced by {@code originalIndex[i]} and the results in that order: for
     * results sent in another order than the file's ({@code benchmon push} sends a back-fill in run_at order).
     */
    public IngestReport reindexed(int[] originalIndex) {
        List<ResultReport> all = new ArrayList<>(results.size());
        for (ResultReport r : results) {
            all.add(r.at(originalIndex[r.index()]));
        }
        all.sort(java.util.Comparator.comparingInt(ResultReport::index));
        return new IngestReport(all, alerts, runsInFindings, requestVerdicts, definitions);
    }

    /** This report followed by {@code other}, with other's indexes shifted by this report's size. */
    /** Most results of one request whose {@link ResultReport#judged} metrics its answer carries (a CI push of a few). */
    public static final int JUDGED_AT_MOST = 3;

    /**
     * This report as one request answers it: each result's {@link ResultReport#judged} kept only when at most
     * {@value #JUDGED_AT_MOST} results have them, so that a back-fill's answer (up to 10,000 results of as many
     * series, each with up to 200 metrics) does not carry every metric of every series, which no client lists.
     */
    public IngestReport judgedOnlyForAFew() {
        if (results.stream().filter(r -> !r.judged().isEmpty()).count() <= JUDGED_AT_MOST) {
            return this;
        }
        return new IngestReport(results.stream().map(r -> r.withJudged(List.of())).toList(), alerts, runsInFindings,
                requestVerdicts, definitions);
    }

    public IngestReport plus(IngestReport other) {
        List<ResultReport> all = new ArrayList<>(results);
        int offset = results.size();
        for (ResultReport r : other.results) {
            all.add(r.at(r.index() + offset));
        }
        List<dev.benchmon.alert.AlertChange> changes = new ArrayList<>(alerts);
        changes.addAll(other.alerts);
        Set<Long> named = new HashSet<>(runsInFindings);
        named.addAll(other.runsInFindings);
        Map<Long, RunVerdicts> verdicts = new HashMap<>(requestVerdicts);
        verdicts.putAll(other.requestVerdicts);
        // The later report's definitions win where both have one (a later write read them after the earlier committed).
        Map<String, MetricDefinition> defs = new HashMap<>(definitions);
        defs.putAll(other.definitions);
        return new IngestReport(all, changes, named, verdicts, defs);
    }
}
