package dev.benchmon.server.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The outcome of recording a batch: one {@link ResultReport} per result, in batch order, the alerts the
 * batch opened or resolved, and the runs its findings named ({@link dev.benchmon.Benchmon.Recorded#runsInFindings}).
 */
public record IngestReport(List<ResultReport> results, List<dev.benchmon.alert.AlertChange> alerts,
                           Set<Long> runsInFindings) {
    public IngestReport {
        results = List.copyOf(results);
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
        runsInFindings = Set.copyOf(runsInFindings);
    }

    public IngestReport(List<ResultReport> results) {
        this(results, List.of(), Set.of());
    }

    /**
     * The runs of this report that an alert may name: results stored before (re-sent; alerted then,
     * perhaps) and new runs a finding named. A new run that no finding named has no alert, so a quiet
     * push answers without looking alerts up.
     */
    public List<Long> alertLookups() {
        return results.stream().filter(r -> !r.created() || runsInFindings.contains(r.id())).map(ResultReport::id).toList();
    }

    /** Results stored now. */
    public long created() {
        return results.stream().filter(ResultReport::created).count();
    }

    /** Results whose idempotency key was already stored (re-sent). */
    public long alreadyPresent() {
        return results.size() - created();
    }

    /** Results whose series regressed with them. */
    public long regressions() {
        return results.stream().filter(ResultReport::regressed).count();
    }

    /** Results with a metric that the previous run of the series had and this one lacks. */
    public long missing() {
        return results.stream().filter(ResultReport::missing).count();
    }

    /** This report followed by {@code other}, with other's indexes shifted by this report's size. */
    public IngestReport plus(IngestReport other) {
        List<ResultReport> all = new ArrayList<>(results);
        int offset = results.size();
        for (ResultReport r : other.results) {
            all.add(new ResultReport(r.index() + offset, r.id(), r.created(), r.series(), r.verdict(), r.regressions(),
                    r.changes(), r.late()));
        }
        List<dev.benchmon.alert.AlertChange> changes = new ArrayList<>(alerts);
        changes.addAll(other.alerts);
        Set<Long> named = new HashSet<>(runsInFindings);
        named.addAll(other.runsInFindings);
        return new IngestReport(all, changes, named);
    }
}
