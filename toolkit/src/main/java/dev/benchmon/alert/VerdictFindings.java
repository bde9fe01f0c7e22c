package dev.benchmon.alert;

import dev.benchmon.detect.Verdict;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the current detector's {@link Verdict}s into {@link Finding}s: a regression is a
 * {@link Finding.Kind#REGRESSION}, any other judged metric is {@link Finding.Kind#WITHIN_NOISE}.
 * Only verdicts about the runs just stored count (a verdict about an older latest run is not news).
 * The commit range runs from the previous non-excluded run's commit to the run's own.
 */
public final class VerdictFindings {
    private VerdictFindings() {
    }

    /**
     * Records, in one transaction, the findings the verdicts make about the runs just stored: what the
     * ingest path calls after storing a batch and judging it (until the detection engine calls
     * {@link Alerts#onFindings} itself).
     */
    public static List<AlertChange> record(org.jdbi.v3.core.Jdbi jdbi, List<Verdict> verdicts, Collection<Long> storedRuns) {
        return jdbi.inTransaction(h -> Alerts.onFindings(h, of(h, verdicts, storedRuns)));
    }

    /**
     * Judges the newest run of every series and records the findings: for data loaded in bulk (the
     * demo history, an import), whose runs were stored without alerting. Returns what changed.
     */
    public static List<AlertChange> judgeLatest(dev.benchmon.Benchmon bm) {
        List<Verdict> verdicts = bm.regressions(dev.benchmon.Filter.all(), dev.benchmon.RegressionOptions.defaults());
        return record(bm.jdbi(), verdicts, verdicts.stream().map(Verdict::transactionId).toList());
    }

    /** Findings for the verdicts whose run is one of {@code storedRuns}. */
    public static List<Finding> of(Handle h, List<Verdict> verdicts, Collection<Long> storedRuns) {
        Set<Long> stored = Set.copyOf(storedRuns);
        Set<Long> runs = new LinkedHashSet<>();
        for (Verdict v : verdicts) {
            if (stored.contains(v.transactionId())) {
                runs.add(v.transactionId());
            }
        }
        if (runs.isEmpty()) {
            return List.of();
        }
        record RunContext(int seriesId, String previousCommit) {
        }
        Map<Long, RunContext> context = new HashMap<>();
        h.createQuery("""
                SELECT t.id, s.id AS series_id,
                       (SELECT p.commit_sha FROM benchmark_transactions p
                        WHERE p.model_version = t.model_version AND p.dataset_version = t.dataset_version
                          AND p.prompt_version = t.prompt_version AND p.environment = t.environment
                          AND (p.run_at, p.id) < (t.run_at, t.id)
                          AND NOT EXISTS (SELECT 1 FROM excluded_runs e WHERE e.transaction_id = p.id)
                        ORDER BY p.run_at DESC, p.id DESC LIMIT 1) AS previous_commit
                FROM benchmark_transactions t
                JOIN series s ON s.model_version = t.model_version AND s.dataset_version = t.dataset_version
                             AND s.prompt_version = t.prompt_version AND s.environment = t.environment
                WHERE t.id = ANY (:ids)""")
                .bind("ids", runs.toArray(Long[]::new))
                .map((rs, ctx) -> {
                    context.put(rs.getLong("id"), new RunContext(rs.getInt("series_id"), rs.getString("previous_commit")));
                    return null;
                }).list();
        List<Finding> out = new ArrayList<>();
        for (Verdict v : verdicts) {
            RunContext c = context.get(v.transactionId());
            if (c == null || !stored.contains(v.transactionId()) || v.baselineRuns() == 0) {
                continue;
            }
            out.add(new Finding(c.seriesId(), v.metric(),
                    v.regression() ? Finding.Kind.REGRESSION : Finding.Kind.WITHIN_NOISE, v.transactionId(),
                    v.baseline(), v.current(), v.relativeChange(), v.regression() ? v.severity() : null, text(v),
                    c.previousCommit(), v.commitSha()));
        }
        return out;
    }

    /** {@code f1 0.91 -> 0.84 (-7.7%), major regression against the baseline of 5 runs} */
    static String text(Verdict v) {
        String change = v.relativeChange() == null ? "" : String.format(Locale.ROOT, " (%+.1f%%)", v.relativeChange() * 100);
        return v.metric() + " " + num(v.baseline()) + " -> " + num(v.current()) + change
                + (v.regression() ? ", " + v.severity() + " regression" : ", within the threshold")
                + " against the baseline of " + v.baselineRuns() + " run(s)";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
