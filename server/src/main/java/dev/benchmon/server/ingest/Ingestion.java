package dev.benchmon.server.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.RecordOutcome;
import dev.benchmon.RegressionOptions;
import dev.benchmon.detect.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Records a batch in one transaction (all-or-nothing) and judges each result against its series'
 * baseline with one regression query for the whole batch, not one per result.
 */
public final class Ingestion {
    private Ingestion() {
    }

    /** Records {@code results} and reports each with its verdict under {@code options}. */
    public static IngestReport record(Benchmon benchmon, List<BenchmarkResult> results, RegressionOptions options) {
        List<RecordOutcome> outcomes = benchmon.recordAll(results);
        Map<String, List<Verdict>> bySeries = verdictsBySeries(benchmon, results, options);
        var alerts = dev.benchmon.alert.VerdictFindings.record(benchmon.jdbi(),
                bySeries.values().stream().flatMap(List::stream).toList(),
                outcomes.stream().filter(RecordOutcome::created).map(RecordOutcome::transactionId).toList());
        List<ResultReport> reports = new ArrayList<>(outcomes.size());
        for (RecordOutcome o : outcomes) {
            BenchmarkResult r = results.get(o.index());
            String series = r.series();
            reports.add(judge(o, series, bySeries.getOrDefault(series, List.of())));
        }
        return new IngestReport(reports, alerts);
    }

    private static ResultReport judge(RecordOutcome o, String series, List<Verdict> verdicts) {
        if (verdicts.isEmpty()) {
            return new ResultReport(o.index(), o.transactionId(), o.created(), series, ResultReport.NO_BASELINE, List.of());
        }
        if (verdicts.stream().noneMatch(v -> v.transactionId() == o.transactionId())) {
            return new ResultReport(o.index(), o.transactionId(), o.created(), series, ResultReport.SUPERSEDED, List.of());
        }
        List<MetricChange> regressions = verdicts.stream().filter(Verdict::regression)
                .map(v -> new MetricChange(v.metric(), v.baseline(), v.current(), v.relativeChange(), v.severity()))
                .toList();
        String verdict = !regressions.isEmpty() ? ResultReport.REGRESSION
                : verdicts.stream().allMatch(v -> v.baselineRuns() == 0) ? ResultReport.NO_BASELINE : ResultReport.OK;
        return new ResultReport(o.index(), o.transactionId(), o.created(), series, verdict, regressions);
    }

    private static Map<String, List<Verdict>> verdictsBySeries(Benchmon benchmon, List<BenchmarkResult> results,
                                                              RegressionOptions options) {
        // One query over the cross product of the batch's names; series outside the batch are ignored below.
        Filter filter = Filter.all()
                .withModels(distinct(results, BenchmarkResult::modelVersion))
                .withDatasets(distinct(results, BenchmarkResult::datasetVersion))
                .withPrompts(distinct(results, BenchmarkResult::promptVersion))
                .withEnvironments(distinct(results, BenchmarkResult::environment));
        Map<String, List<Verdict>> bySeries = new LinkedHashMap<>();
        for (Verdict v : benchmon.regressions(filter, options.withOnlyRegressions(false))) {
            String key = v.series();
            bySeries.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
        }
        return bySeries;
    }

    /** The distinct values of a field over the results, in first-seen order. */
    public static String[] distinct(List<BenchmarkResult> results, Function<BenchmarkResult, String> field) {
        Set<String> values = new LinkedHashSet<>();
        results.forEach(r -> values.add(field.apply(r)));
        return values.toArray(String[]::new);
    }

}
