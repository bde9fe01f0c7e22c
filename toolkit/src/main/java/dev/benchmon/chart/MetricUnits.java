package dev.benchmon.chart;

import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.util.HashMap;
import java.util.Map;

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

    /** {@code formatted} (a value of {@code metric} as text) followed by its unit, e.g. {@code 90 ms}. */
    public String withUnit(String formatted, String metric) {
        String unit = unit(metric);
        return unit == null ? formatted : formatted + " " + unit;
    }
}
