package dev.benchmon.server.ingest;

/**
 * One metric of a run as the detector judged it: a finding (anything but "ok": a result's regressed metrics and
 * changes), or any judged metric, "ok" too, in a result's {@link ResultReport#judged} list.
 *
 * @param relativeChange (current - baseline) / |baseline|, or {@code null} when the baseline is 0 or unknown
 * @param severity       minor, major or critical for regressions; none otherwise
 * @param outcome        regression, improvement, ok, changed_direction_unknown, missing, no_baseline
 * @param z              the change in noise sd (signed), or {@code null} (fallback rule, missing)
 * @param text           the explanation: {@code -2.6 points (4.8 sd), since commit abc1234..def5678}
 * @param change         the change as the alerts word it ({@code Alert#changeText}): {@code -10.0 points} for a
 *                       proportion, else {@code -11.2%}; {@code null} when unknown (no relative change, an older server)
 * @param unit           the unit the metric's definition states ({@code s}, {@code ms}, {@code USD}), shown beside the
 *                       baseline, current value and change; {@code null} for none, for a proportion's ({@code ratio}:
 *                       its change is in points), or from an older server
 */
public record MetricChange(String metric, double baseline, double current, Double relativeChange, String severity,
                           String outcome, Double z, String text, String change, String unit) {
    /** A change without a unit (none defined, or an older server's report). */
    public MetricChange(String metric, double baseline, double current, Double relativeChange, String severity,
                        String outcome, Double z, String text, String change) {
        this(metric, baseline, current, relativeChange, severity, outcome, z, text, change, null);
    }

    /** A regression as older reports carried it (no outcome, z, text or change). */
    public MetricChange(String metric, double baseline, double current, Double relativeChange, String severity) {
        this(metric, baseline, current, relativeChange, severity, "regression", null, "", null, null);
    }
}
