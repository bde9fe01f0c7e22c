package dev.benchmon.chart;

import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The units metric definitions give, as the chart builders show them: in an axis title in parentheses
 * ({@code latency_ms (ms)}) and after a value. For figures built outside {@link Charts} (the dashboard's series page
 * writes its own Plotly JSON), so that they say units exactly as the builders do.
 */
public final class MetricUnits {
    /** The columns of {@code bm.metricDefinitions()} read. */
    private static final String[] DEFINITION_COLUMNS = {"name", "unit"};
    private static final MetricUnits NONE = new MetricUnits(Map.of());

    private final Map<String, String> units;

    private MetricUnits(Map<String, String> units) {
        this.units = units;
    }

    /**
     * The units of {@code definitions} ({@code bm.metricDefinitions()} or {@code bm.metricDefinitions(metrics)};
     * {@code null} for none).
     *
     * @throws dev.benchmon.ValidationException (field {@code definitions}) when the table lacks the name or unit
     *         column
     */
    public static MetricUnits of(Table definitions) {
        if (definitions == null) {
            return NONE;
        }
        ChartInputs.require(definitions, "definitions", "bm.metricDefinitions()", DEFINITION_COLUMNS);
        Map<String, String> units = new HashMap<>();
        for (Row r : definitions) {
            String unit = r.getString("unit");
            if (unit != null && !unit.isBlank()) {
                units.put(r.getString("name"), unit);
            }
        }
        return new MetricUnits(units);
    }

    /** The unit of {@code metric}, or {@code null} when its definition gives none. */
    public String unit(String metric) {
        return units.get(metric);
    }

    /** An axis title for {@code metric}: {@code latency_ms (ms)}, or the name alone without a unit. Not escaped. */
    public String axisTitle(String metric) {
        return axisTitle(metric, metric, null);
    }

    /**
     * {@code text} with the unit of {@code metric} and {@code qualifier} (or {@code null}) in parentheses, e.g.
     * {@code analysis_cost (USD, mean)}, {@code f1 difference (model − A)} or {@code loss}. Not escaped.
     */
    String axisTitle(String text, String metric, String qualifier) {
        String unit = unit(metric);
        String inParentheses = unit == null ? qualifier : qualifier == null ? unit : unit + ", " + qualifier;
        return text + (inParentheses == null ? "" : " (" + inParentheses + ")");
    }

    /**
     * {@code formatted} (a value of {@code metric} as text) followed by its unit, e.g. {@code 90 ms}; a proportion's
     * value alone ({@code 0.8}, not {@code 0.8 ratio}: {@link #valueUnit}); an empty text (no value) stays empty.
     */
    public String withUnit(String formatted, String metric) {
        String unit = valueUnit(unit(metric));
        return unit == null || formatted.isEmpty() ? formatted : formatted + " " + unit; // no value (missing): no unit
    }

    /**
     * The unit written after a value or change of a metric defined with {@code unit}: the unit stripped, or
     * {@code null} for none (blank) and for a proportion's ({@link dev.benchmon.detect.MetricSemantics#PROPORTION_UNITS}:
     * {@code ratio}, {@code proportion}, {@code fraction}), whose values read as they are and whose changes are in
     * points. An axis title still names it ({@code f1 (ratio)}).
     */
    public static String valueUnit(String unit) {
        if (unit == null || unit.isBlank()) {
            return null;
        }
        String stripped = unit.strip();
        return dev.benchmon.detect.MetricSemantics.PROPORTION_UNITS.contains(stripped.toLowerCase(java.util.Locale.ROOT))
                ? null : stripped;
    }

    /**
     * A detection engine's explanation of {@code metric} ({@link dev.benchmon.detect.MetricVerdict#text()}) with the
     * metric's unit after the change it starts with: {@code +778 ms (+637.7%) vs median 122 of 9 runs}.
     * {@link #afterLeadingChange}.
     */
    public String inExplanation(String text, String metric) {
        return afterLeadingChange(text, valueUnit(unit(metric)));
    }

    /**
     * {@code verdict}, an alert's words ({@code latency_ms regression: +176 (+39.0%) (12.0 sd), ...}: the metric, the
     * outcome, then the engine's explanation), with the unit of {@code metric} after the change the explanation starts
     * with ({@link #inExplanation}); as it is when it does not start with the metric's name.
     */
    public String inAlertVerdict(String verdict, String metric) {
        return inAlertVerdict(verdict, metric, valueUnit(unit(metric)));
    }

    /**
     * {@link #inAlertVerdict(String, String)} with {@code valueUnit}, the unit written after the metric's values
     * ({@link #valueUnit}; {@code null} for none): the alert's own, which {@link dev.benchmon.alert.Alert} reads with it.
     */
    public static String inAlertVerdict(String verdict, String metric, String valueUnit) {
        if (verdict == null || valueUnit == null || !verdict.startsWith(metric + " ")) {
            return verdict;
        }
        Matcher restated = OPENED_AT.matcher(verdict);
        if (restated.find(metric.length())) {
            return verdict.substring(0, restated.end()) + afterLeadingChange(verdict.substring(restated.end()), valueUnit);
        }
        int colon = verdict.indexOf(": ", metric.length() + 1);
        return colon < 0 ? verdict
                : verdict.substring(0, colon + 2) + afterLeadingChange(verdict.substring(colon + 2), valueUnit);
    }

    /**
     * Where the figures of an alert whose opening run is excluded start ({@link dev.benchmon.detect.ChangeSince#restated}:
     * {@code latency_ms regression since commit c9..c11; opened on run 35 at +176 (+39.0%) (12.0 sd), excluded since: ...}):
     * its first {@code ": "} is the exclusion's, after the figures.
     */
    private static final Pattern OPENED_AT = Pattern.compile("; opened on run \\d+ at ");

    /**
     * The change an explanation starts with ({@code +0.0000673 (+60.1%) (2.3 sd)}, {@code +1,300 vs the previous run}):
     * a signed number, not points; after an ok verdict's prefix ({@code within noise: +17.1 (+5.5%)},
     * {@code within the minimum effect: ...}).
     */
    private static final Pattern LEADING_CHANGE = Pattern.compile(
            // Atomic groups: a number grouped in thousands (+1,300) is never cut at its first comma, which the
            // lookahead's "," (+176, since ...) would otherwise accept (+1 ms,300).
            "^(?:within noise: |within the minimum effect: )?[+-](?>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?>\\.[0-9]+)?"
                    + "(?>e[+-]?[0-9]+)?(?= \\(|,|$| vs )");

    /**
     * {@code text} with {@code unit} after the signed change it starts with ({@code +0.0000673 s (+60.1%)}, as
     * {@code benchmon push} and the dashboard word a verdict); {@code text} as it is when {@code unit} is null or the
     * text starts with no such number (a change in points, "within noise", "first run"). The change of a metric in
     * percent ({@code %}) is a difference of two percentages, so it is written in percentage points,
     * {@code +2.00 points (+2.4%)}, as a proportion's is: {@code +2.00 % (+2.4%)} read as two relative changes.
     */
    public static String afterLeadingChange(String text, String unit) {
        if (unit == null || text == null) {
            return text;
        }
        Matcher m = LEADING_CHANGE.matcher(text);
        return m.find() ? m.group() + " " + (PERCENT.equals(unit) ? "points" : unit) + text.substring(m.end()) : text;
    }

    /** The unit of a metric stated in percent. */
    private static final String PERCENT = "%";

    /** A value as benchmon's texts write it: {@code 318.2}, {@code -0.5}, {@code 1,300}, {@code 6.73e-05}. */
    private static final String VALUE = "-?(?>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?>\\.[0-9]+)?(?>e[+-]?[0-9]+)?";

    /**
     * The text of an alert's event that benchmon wrote (the detector's, a severity change's: it states
     * the alert's metric's values and changes without their unit, as stored) with {@code valueUnit} ({@link #valueUnit})
     * after each: a verdict's change ({@code opened: latency_ms regression: +59.9 ms (+19.9%)}, as
     * {@link #inAlertVerdict} words the alert's own), a value named by its metric ({@code latency_ms 318.2 ms in run 42})
     * and a baseline ({@code against the baseline 307 ms}). As it is when {@code valueUnit} is null.
     */
    public static String inEventText(String text, String metric, String valueUnit) {
        if (text == null || metric == null || valueUnit == null) {
            return text;
        }
        String unit = valueUnit;
        EventPatterns patterns = EventPatterns.of(metric, unit);
        // A verdict after each mention of the metric: "latency_ms regression: +59.9 (...)".
        Matcher verdict = patterns.verdict().matcher(text);
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (verdict.find()) {
            out.append(text, from, verdict.end());
            from = verdict.end();
            Matcher change = LEADING_CHANGE.matcher(text).region(from, text.length());
            if (change.lookingAt()) {
                out.append(change.group()).append(' ').append(PERCENT.equals(unit) ? "points" : unit);
                from = change.end();
            }
        }
        out.append(text.substring(from));
        return patterns.value().matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group() + " " + unit));
    }

    /**
     * The two patterns {@link #inEventText} matches for one metric and unit: a verdict after the metric's name, and a
     * value named by the metric or a baseline's not followed by the unit yet. Compiled once per metric and unit, not per
     * event: an alert's page reads every event of its alert through {@code inEventText}. At most
     * {@value #MAX_CACHED} pairs are kept (then the cache starts over), since metric names come from the data.
     */
    private record EventPatterns(Pattern verdict, Pattern value) {
        private static final int MAX_CACHED = 1_024;
        private static final java.util.concurrent.ConcurrentHashMap<String, EventPatterns> CACHE =
                new java.util.concurrent.ConcurrentHashMap<>();

        static EventPatterns of(String metric, String unit) {
            // NUL cannot be in a metric name (PostgreSQL text holds none), so the key names one pair.
            String key = metric + '\0' + unit;
            EventPatterns cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
            if (CACHE.size() >= MAX_CACHED) {
                CACHE.clear();
            }
            return CACHE.computeIfAbsent(key, k -> compile(metric, unit));
        }

        private static EventPatterns compile(String metric, String unit) {
            Pattern verdict = Pattern.compile("(?<![\\w.])" + Pattern.quote(metric) + " [a-z][a-z ]*: ");
            // A value named by its metric, where the texts state one ("latency_ms 318.2 in run 42", "(latency_ms 305)",
            // "latency_ms 305 is back"), then a baseline's; not one the unit follows already (a text written with it).
            String notYet = "(?!" + Pattern.quote(" " + unit) + "(?![\\w%]))";
            String named = "(?<=(?<![\\w.])" + Pattern.quote(metric) + " )" + VALUE + "(?= in run | is back|\\)|;|,|$)";
            String baseline = "(?<=\\bbaseline )" + VALUE + "(?=[ );,]|$)";
            return new EventPatterns(verdict, Pattern.compile("(?:" + named + "|" + baseline + ")" + notYet));
        }
    }
}
