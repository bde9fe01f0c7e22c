package dev.benchmon.alert;

import dev.benchmon.detect.DetectionSettings;
import dev.benchmon.detect.ChangePointText;
import dev.benchmon.detect.MetricJudgement;
import dev.benchmon.detect.MetricSemantics;
import dev.benchmon.detect.MetricVerdict;
import dev.benchmon.detect.Outcome;
import dev.benchmon.detect.RunVerdicts;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns what the detection engine found about the runs just stored into {@link Finding}s:
 * <ul>
 *   <li>its verdicts ({@link #of}): a regression opens (or follows) an alert; a metric judged ok or improved
 *       is back within noise and resolves one. Other outcomes (direction unknown, missing, not judged) raise
 *       no alert.</li>
 *   <li>its stored change points ({@link #changePoints}): a recent change point in the bad direction of a
 *       metric with a direction is a {@link Finding.Kind#CHANGE_POINT}; {@code alert_record_findings} attaches
 *       it to the alert of the same shift when there is one, so one shift gives one alert.</li>
 * </ul>
 */
public final class EngineFindings {
    /**
     * A change point raises an alert only while its first run is among this many newest runs of the series
     * (one detection window), so a history loaded in bulk raises no alerts about shifts long past.
     */
    public static final int RECENT_RUNS = DetectionSettings.DEFAULT_WINDOW;

    private EngineFindings() {
    }

    /**
     * Findings of {@code verdicts} whose run is one of {@code storedRuns}. {@code verdicts}: each series' in the
     * series' order, its newest last, as {@link dev.benchmon.detect.DetectionService#judgeIngest} answers them.
     */
    public static List<Finding> of(Collection<RunVerdicts> verdicts, Collection<Long> storedRuns) {
        Set<Long> stored = Set.copyOf(storedRuns);
        java.util.Map<Integer, List<RunVerdicts>> bySeries = new java.util.HashMap<>();
        verdicts.forEach(rv -> bySeries.computeIfAbsent(rv.seriesId(), s -> new ArrayList<>()).add(rv));
        List<Finding> out = new ArrayList<>();
        for (RunVerdicts rv : verdicts) {
            if (!stored.contains(rv.transactionId()) || !rv.standsForSeries()) {
                // An older run (a late arrival, an earlier run of the same push) is reported with the push, not as the series' state.
                continue;
            }
            for (MetricVerdict mv : rv.metrics()) {
                MetricJudgement j = mv.judgement();
                Finding.Kind kind = switch (j.outcome()) {
                    case REGRESSION -> Finding.Kind.REGRESSION;
                    case OK, IMPROVEMENT -> Finding.Kind.WITHIN_NOISE;
                    default -> null;
                };
                if (kind == null) {
                    continue;
                }
                double rel = j.relativeChange();
                out.add(new Finding(rv.seriesId(), mv.metric(), kind, rv.transactionId(), j.baseline(), j.current(),
                        Double.isFinite(rel) ? rel : null,
                        j.outcome() == Outcome.REGRESSION ? j.severity(mv.settings().sensitivity()) : null,
                        mv.metric() + " " + j.outcome().jsonName() + ": " + mv.text(),
                        j.lastBefore() == null ? null : j.lastBefore().commitSha(),
                        j.firstAfter() == null ? null : j.firstAfter().commitSha(),
                        j.firstAfter() == null ? null : j.firstAfter().transactionId(), rv.transactionId(), null,
                        j.lastBefore() == null ? null : j.lastBefore().transactionId(), mv.semantics().proportion(),
                        changePointsByRun(bySeries.get(rv.seriesId()), mv.metric())));
            }
        }
        return out;
    }

    /**
     * Where the change points of {@code metric} changed along one series' runs of a push ({@code runs}: their verdicts
     * in the series' order, the newest last): each run after which the series' change points (by their first runs)
     * are not those after the run before it, oldest first. A run is judged against the runs before it, whose change
     * points it reports ({@link MetricJudgement#historyChangePoints}): the series' change points with run i in it are
     * those run i + 1 was judged against, and the newest run's own ({@link MetricJudgement#changePoints}). So a change
     * point the push withdrew is said withdrawn in the run that withdrew it (the first run back after a dip), not in the
     * push's newest run. Runs not reporting the metric are left out.
     */
    static List<Finding.ChangePointsWith> changePointsByRun(List<RunVerdicts> runs, String metric) {
        List<Long> txs = new ArrayList<>();
        List<MetricJudgement> judged = new ArrayList<>();
        for (RunVerdicts rv : runs) {
            for (MetricVerdict mv : rv.metrics()) {
                if (mv.metric().equals(metric) && mv.judgement().outcome() != Outcome.MISSING) {
                    txs.add(rv.transactionId());
                    judged.add(mv.judgement());
                }
            }
        }
        List<Finding.ChangePointsWith> out = new ArrayList<>();
        List<Long> before = judged.isEmpty() ? List.of() : firstRuns(judged.get(0).historyChangePoints());
        for (int i = 0; i < judged.size(); i++) {
            List<Long> with = firstRuns(i + 1 < judged.size() ? judged.get(i + 1).historyChangePoints()
                    : judged.get(i).changePoints());
            if (!with.equals(before)) {
                MetricJudgement j = judged.get(i);
                out.add(new Finding.ChangePointsWith(txs.get(i), j.current(), j.outcome() == Outcome.REGRESSION, with));
            }
            before = with;
        }
        return out;
    }

    private static List<Long> firstRuns(List<dev.benchmon.detect.ChangePoint> changePoints) {
        return changePoints.stream().filter(c -> c.firstAfter() != null).map(c -> c.firstAfter().transactionId()).toList();
    }

    /**
     * Change-point findings of the series whose runs were just stored, read from what the engine stored
     * ({@code detection_change_points}, with each metric's direction and newest judged run from
     * {@code detection_verdicts}): the change points in the bad direction (down for higher-is-better,
     * up for lower-is-better; metrics of unknown or no direction are never judged) whose first run is
     * among the {@value #RECENT_RUNS} newest runs of the series. Each finding's run is the change point's
     * first run after the change, its shift starts there, and it is seen in the metric's newest run.
     *
     * @param h         the caller's transaction (after the engine stored its output)
     * @param verdicts  the verdicts of the push (which series it touched)
     * @param storedRuns the runs the push created (a re-sent push finds nothing new)
     */
    public static List<Finding> changePoints(Handle h, Collection<RunVerdicts> verdicts, Collection<Long> storedRuns) {
        Set<Long> stored = Set.copyOf(storedRuns);
        Set<Integer> series = new LinkedHashSet<>();
        for (RunVerdicts rv : verdicts) {
            if (stored.contains(rv.transactionId())) {
                series.add(rv.seriesId());
            }
        }
        if (series.isEmpty()) {
            return List.of();
        }
        // Whether each metric is a proportion, as the engine judged it in this push (its words: points or percent).
        java.util.Map<String, Boolean> proportions = new java.util.HashMap<>();
        verdicts.forEach(rv -> rv.metrics().forEach(mv -> proportions.put(mv.metric(), mv.semantics().proportion())));
        var declared = new Object() { // the definitions, read only when a metric without a verdict needs them
            private java.util.Map<String, dev.benchmon.MetricDefinition> read;

            java.util.Map<String, dev.benchmon.MetricDefinition> get() {
                if (read == null) {
                    read = dev.benchmon.detect.DetectionService.definitionsIn(h);
                }
                return read;
            }
        };
        // The series on both sides of the join: PostgreSQL does not carry "= ANY" across it, and without the second
        // the plan scanned every stored verdict and probed the change points once per verdict (4,500 verdicts: 2.4-2.9 ms
        // per group of single POSTs on PostgreSQL 15, 0.9 ms with it). Both runs' run_at go to the distance (V20), which
        // then only counts: found by id, each pair probed the key of every month (58-97 against 15 us per call).
        return h.createQuery("""
                SELECT c.series_id, c.metric, c.tx_after, c.run_at_after, c.tx_before, c.commit_before, c.commit_after, c.level_before,
                       c.level_after, c.magnitude, c.sd, c.confidence, v.transaction_id AS seen_in
                FROM detection_change_points c
                JOIN detection_verdicts v ON v.series_id = c.series_id AND v.metric = c.metric
                WHERE c.series_id = ANY (:series) AND v.series_id = ANY (:series)
                  AND ((v.direction = 'higher_is_better' AND c.magnitude < 0)
                       OR (v.direction = 'lower_is_better' AND c.magnitude > 0))
                  AND series_run_distance(c.series_id, c.tx_after, c.run_at_after, v.transaction_id, v.run_at,
                                          :recent) < :recent
                ORDER BY c.series_id, c.metric, c.run_at_after""")
                .bind("series", series.toArray(Integer[]::new))
                .bind("recent", RECENT_RUNS)
                .map((rs, ctx) -> {
                    double before = rs.getDouble("level_before");
                    double after = rs.getDouble("level_after");
                    double magnitude = rs.getDouble("magnitude");
                    double sd = rs.getDouble("sd");
                    if (rs.wasNull()) {
                        sd = Double.NaN;
                    }
                    String metric = rs.getString("metric");
                    String from = rs.getString("commit_before");
                    String to = rs.getString("commit_after");
                    double confidence = rs.getDouble("confidence");
                    // A metric no verdict of this push names (its runs do not report it, an older change point of it
                    // is still recent): its declared definition, read once on this transaction, says it.
                    boolean proportion = proportions.computeIfAbsent(metric,
                            m -> MetricSemantics.isProportion(m, declared.get().get(m)));
                    String text = metric + " change point: " + ChangePointText.of(before, after, proportion, sd, confidence,
                            from, to, rs.getObject("run_at_after", java.time.OffsetDateTime.class).toInstant());
                    return new Finding(rs.getInt("series_id"), metric, Finding.Kind.CHANGE_POINT, rs.getLong("tx_after"),
                            before, after, before != 0 ? magnitude / Math.abs(before) : null, severity(magnitude, sd),
                            text, from, to, rs.getLong("tx_after"), rs.getLong("seen_in"), confidence, rs.getLong("tx_before"),
                            proportion);
                })
                .list();
    }

    /** As the per-run test grades a regression ({@link dev.benchmon.detect.Severity}), at the default sensitivity. */
    private static String severity(double magnitude, double sd) {
        if (!(sd > 0)) {
            return "critical";
        }
        double size = Math.abs(magnitude / sd) / DetectionSettings.DEFAULT_SENSITIVITY;
        return dev.benchmon.detect.Severity.of(size);
    }

}
