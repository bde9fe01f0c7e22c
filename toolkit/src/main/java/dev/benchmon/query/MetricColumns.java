package dev.benchmon.query;

import java.util.Collection;
import java.util.Locale;

/**
 * How a metric name becomes a Tablesaw column name in the query tables (snapshots, history), and back.
 *
 * <p>Metric names are kept exactly as sent, but a table also has fixed columns ({@code run_at},
 * {@code model_version}, ...) and Tablesaw column names are case-insensitive. A metric whose name
 * equals a fixed column of its table (ignoring case), or that itself starts with the prefix, gets the
 * column {@value #PREFIX}{@code NAME}: metric {@code run_at} is column {@code metric:run_at}, metric
 * {@code metric:x} is column {@code metric:metric:x}. Every other metric's column is its name.
 * {@link #metricName(String)} reverses it: strip one prefix. (Two metrics of different series whose
 * names differ only in case get {@code NAME_2}, ... for the second; that suffix is not reversible.)
 */
public final class MetricColumns {
    /** The prefix of a metric column whose name would clash with a fixed column. */
    public static final String PREFIX = "metric:";

    private MetricColumns() {
    }

    /** The column name of metric {@code metric} in a table whose fixed columns are {@code fixedColumns}. */
    public static String columnName(String metric, Collection<String> fixedColumns) {
        String lower = metric.toLowerCase(Locale.ROOT);
        boolean clash = lower.startsWith(PREFIX)
                || fixedColumns.stream().anyMatch(c -> c.toLowerCase(Locale.ROOT).equals(lower));
        return clash ? PREFIX + metric : metric;
    }

    /** The metric name a metric column stands for (reverses {@link #columnName}). */
    public static String metricName(String column) {
        return column.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) ? column.substring(PREFIX.length()) : column;
    }

    /**
     * The column names of {@code metrics} (in order) beside {@code fixedColumns}: {@link #columnName}, and
     * since column names are case-insensitive in Tablesaw and in spreadsheets, a name already taken
     * (ignoring case) gets {@code _2}, {@code _3}, ...: metric "F1" of one series and "f1" of another
     * become two columns, not an error.
     */
    public static java.util.List<String> columnNames(java.util.List<String> metrics, Collection<String> fixedColumns) {
        java.util.Set<String> taken = new java.util.HashSet<>();
        fixedColumns.forEach(n -> taken.add(n.toLowerCase(Locale.ROOT)));
        java.util.List<String> out = new java.util.ArrayList<>(metrics.size());
        for (String name : metrics) {
            String base = columnName(name, fixedColumns);
            String column = base;
            for (int k = 2; taken.contains(column.toLowerCase(Locale.ROOT)); k++) {
                column = base + "_" + k;
            }
            taken.add(column.toLowerCase(Locale.ROOT));
            out.add(column);
        }
        return out;
    }
}
