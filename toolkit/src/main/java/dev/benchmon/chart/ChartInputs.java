package dev.benchmon.chart;

import dev.benchmon.Arguments;
import dev.benchmon.InvalidArgumentException;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.List;

/**
 * What the chart builders check of the tables they are given, and the axis titles they make with a metric's
 * unit. A builder reads columns by name: given a table of another query, tablesaw would fail deep inside with
 * "Column metric does not exist", which names neither the argument nor the query that makes the right table.
 */
final class ChartInputs {
    private ChartInputs() {
    }

    /**
     * Refuses {@code table} unless it has every one of {@code columns}.
     *
     * @param argument the parameter's name, e.g. {@code trend}
     * @param madeBy   the call that makes such a table, e.g. {@code bm.timeSeries(filter, metric, bucket)}
     * @throws ValidationException (field {@code argument}) naming the missing columns, the columns needed and
     *                             {@code madeBy}, or saying that {@code table} is {@code null}
     */
    static void require(Table table, String argument, String madeBy, String... columns) {
        Arguments.required(table, argument);
        List<String> missing = Arrays.stream(columns).filter(c -> !table.columnNames().contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidArgumentException(Problem.of(argument, "needs a table from " + madeBy + " (columns "
                    + String.join(", ", columns) + "); the table '" + table.name() + "' given lacks "
                    + String.join(", ", missing) + "; pass the table " + madeBy + " returns"));
        }
    }

    /**
     * Refuses {@code metric} unless {@code table}'s {@code metric} column holds it: a chart of a metric the table
     * lacks would be drawn empty, without a word.
     *
     * @param argument the parameter's name, e.g. {@code metric} or {@code costMetric}
     * @throws ValidationException (field {@code argument}) naming the metric and the table's metrics
     */
    static void requireMetric(Table table, String argument, String metric) {
        Arguments.required(metric, argument);
        List<String> known = table.stringColumn("metric").unique().asList().stream().sorted().toList();
        if (!known.contains(metric)) {
            throw new InvalidArgumentException(Problem.of(argument, "unknown metric '"
                    + dev.benchmon.ingest.TextRules.visible(metric) + "' (known in this table: "
                    + (known.isEmpty() ? "none, the table is empty" : String.join(", ", known)) + ")"));
        }
    }

    /**
     * An axis title for {@code metric}: its unit from {@code definitions} (a {@code bm.metricDefinitions()} table,
     * or {@code null} for none) and {@code qualifier} (or {@code null}) in parentheses, e.g.
     * {@code analysis_cost (USD, mean)}, {@code f1 (ratio)}, {@code loss (mean)} or {@code loss}. Not escaped.
     *
     * @throws ValidationException (field {@code definitions}) when {@code definitions} lacks the name or unit column
     */
    static String axisTitle(String metric, Table definitions, String qualifier) {
        return axisTitle(metric, metric, definitions, qualifier);
    }

    /** {@link #axisTitle(String, Table, String)} with a text of its own before the parentheses, e.g. {@code f1 difference}. */
    static String axisTitle(String text, String metric, Table definitions, String qualifier) {
        return MetricUnits.of(definitions).axisTitle(text, metric, qualifier);
    }
}
