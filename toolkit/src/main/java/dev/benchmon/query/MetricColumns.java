package dev.benchmon.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a metric name becomes a column name beside the fixed columns ({@code run_at}, {@code model_version}, ...) of
 * the snapshots and the history, and back ({@link #metricName}).
 *
 * <p>Two forms:
 * <ul>
 *   <li><b>As stored</b> ({@link #asStoredColumnNames}): the API's JSON and CSV answers, the CLI's exports, the
 *   dashboard's snapshot CSV. Every metric's column is its name exactly as stored, so {@code F1} and {@code f1} of
 *   different series are two columns side by side. Only a metric whose name equals a fixed column of its table
 *   (ignoring case), or that itself starts with the prefix, gets the column {@value #PREFIX}{@code NAME}: metric
 *   {@code run_at} is column {@code metric:run_at}, metric {@code metric:x} is column {@code metric:metric:x}.</li>
 *   <li><b>Tablesaw table</b> ({@link #tableColumnNames}): the toolkit's {@code latestSnapshots} and {@code history}
 *   tables. Tablesaw column names are unique ignoring case, so there, of metrics whose columns differ only in case,
 *   the first in name order ({@code F1} before {@code f1}) keeps its column and the k-th (k = 2, 3, ...) gets
 *   {@value #PREFIX}{@code k:NAME}: metrics {@code F1} and {@code f1} are columns {@code F1} and
 *   {@code metric:2:f1}.</li>
 * </ul>
 * {@link #metricName(String)} reverses both: strip one prefix, and from the table form also {@code k:}.
 *
 * <p>A Tablesaw table also holds a metric's standard error, when any of its rows carries one (the result's
 * {@code stderr}), as a column right after the metric's: {@value #STDERR_SUFFIX} appended to the metric's column name
 * ({@link #stderrColumnNames}). The API's and the exports' shapes are unchanged: they carry {@code stderr} as the JSON
 * object it was sent as.
 */
public final class MetricColumns {
    /** The prefix of a metric column whose name would clash with a fixed column or, in a table, another metric's. */
    public static final String PREFIX = "metric:";

    /** What a Tablesaw table appends to a metric's column name to name the column of its standard errors. */
    public static final String STDERR_SUFFIX = "_stderr";

    private MetricColumns() {
    }

    /**
     * The names of the standard-error columns of the metric columns {@code metricColumns} (Tablesaw names, in order),
     * beside the table's other columns {@code taken}: {@code COLUMN_stderr} ({@code acc,none} gets
     * {@code acc,none_stderr}, {@code metric:2:f1} gets {@code metric:2:f1_stderr}). When that name is taken ignoring
     * case (a metric really named {@code acc_stderr} beside {@code acc}), {@code COLUMN_stderr_2}, {@code _3}, ...: a
     * metric's own column keeps its name, and Tablesaw's names stay unique ignoring case.
     *
     * @return metric column name to its standard-error column name
     */
    public static Map<String, String> stderrColumnNames(List<String> metricColumns, Collection<String> taken) {
        Set<String> used = new HashSet<>();
        taken.forEach(n -> used.add(n.toLowerCase(Locale.ROOT)));
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String column : metricColumns) {
            String name = column + STDERR_SUFFIX;
            for (int k = 2; used.contains(name.toLowerCase(Locale.ROOT)); k++) {
                name = column + STDERR_SUFFIX + "_" + k;
            }
            used.add(name.toLowerCase(Locale.ROOT));
            out.put(column, name);
        }
        return out;
    }

    /**
     * The prefix of an as-stored column of a metric's standard errors where they sit beside the metric columns in a
     * flat file (the series page's CSV): {@code stderr:acc}. Unlike a Tablesaw table's {@code acc_stderr}, it cannot
     * clash with a metric's column: a metric whose name starts with it has the column {@code metric:stderr:NAME}
     * ({@link #columnNameBesideStderr}).
     */
    public static final String STDERR_PREFIX = "stderr:";

    /**
     * The as-stored column name of {@code metric} in a file whose standard-error columns are {@link #STDERR_PREFIX}
     * {@code NAME}: {@link #columnName}, and {@code metric:NAME} for a metric named {@code stderr:...} too, so that
     * no metric's column is named like a standard-error column. {@link #metricName} reverses it.
     */
    public static String columnNameBesideStderr(String metric, Collection<String> fixedColumns) {
        return metric.regionMatches(true, 0, STDERR_PREFIX, 0, STDERR_PREFIX.length()) ? PREFIX + metric
                : columnName(metric, fixedColumns);
    }

    /** The as-stored name of the column of {@code metric}'s standard errors: {@code stderr:acc}. */
    public static String stderrColumnName(String metric) {
        return STDERR_PREFIX + metric;
    }

    /** The as-stored column name of metric {@code metric} beside {@code fixedColumns}: the name, or {@code metric:NAME}. */
    public static String columnName(String metric, Collection<String> fixedColumns) {
        String lower = metric.toLowerCase(Locale.ROOT);
        boolean clash = lower.startsWith(PREFIX)
                || fixedColumns.stream().anyMatch(c -> c.toLowerCase(Locale.ROOT).equals(lower));
        return clash ? PREFIX + metric : metric;
    }

    /**
     * The metric name a metric column stands for, in either form: {@code metric:run_at} is {@code run_at},
     * {@code metric:metric:x} is {@code metric:x}, a table's {@code metric:2:f1} is {@code f1}, any other column its
     * own name. (A fixed column's name never starts with a digit, so {@code metric:DIGITS:} is only the table's case
     * twin form.)
     */
    public static String metricName(String column) {
        if (!column.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return column;
        }
        String rest = column.substring(PREFIX.length());
        if (rest.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return rest;
        }
        int digits = 0;
        while (digits < rest.length() && rest.charAt(digits) >= '0' && rest.charAt(digits) <= '9') {
            digits++;
        }
        return digits > 0 && digits < rest.length() && rest.charAt(digits) == ':' ? rest.substring(digits + 1) : rest;
    }

    /**
     * The name of the column of {@code table} (a toolkit table: {@code history}, {@code latestSnapshots}) that holds
     * {@code metric}, matched exactly (case-sensitively, unlike Tablesaw's own lookup, which would find {@code F1} for
     * {@code f1}): a number column whose {@link #metricName} is {@code metric} ({@code f1}, {@code metric:run_at},
     * {@code metric:2:f1}); {@code null} when the table holds none. A metric named {@code acc_stderr} is found as
     * itself (the standard errors of {@code acc} beside it are then {@code acc_stderr_2}: {@link #stderrColumnNames});
     * only a table without such a metric answers the column of {@code acc}'s standard errors for it. A metric named
     * like a fixed number column ({@code id}, {@code attempt}) is its {@code metric:id} column, not the fixed one.
     */
    public static String columnOf(tech.tablesaw.api.Table table, String metric) {
        // In this order: metric:id for a metric named like a fixed column (the fixed id comes first in the table);
        // the column of the metric's own name (f1_stderr the metric, not metric:2:f1_stderr, the standard errors of
        // f1's case twin); else the one column standing for it (metric:2:f1 beside F1, or a stderr column, as above).
        String prefixed = PREFIX + metric;
        if (table.containsColumn(prefixed) && table.column(prefixed).name().equals(prefixed)
                && table.column(prefixed) instanceof tech.tablesaw.api.NumericColumn<?>) {
            return prefixed;
        }
        String any = null;
        for (tech.tablesaw.columns.Column<?> c : table.columns()) {
            if (c instanceof tech.tablesaw.api.NumericColumn<?> && metricName(c.name()).equals(metric)) {
                if (c.name().equals(metric)) {
                    return metric;
                }
                if (any == null) {
                    any = c.name();
                }
            }
        }
        return any;
    }

    /**
     * The as-stored column names of {@code metrics} (in order, distinct) beside {@code fixedColumns}:
     * {@link #columnName} of each. Metrics differing only in case keep their names; the columns are distinct as
     * written, which JSON keys and CSV headers need, but not ignoring case.
     */
    public static List<String> asStoredColumnNames(List<String> metrics, Collection<String> fixedColumns) {
        return metrics.stream().map(m -> columnName(m, fixedColumns)).toList();
    }

    /**
     * The Tablesaw column names of {@code metrics} (in order) beside {@code fixedColumns}: {@link #columnName}, and
     * a column already taken ignoring case (Tablesaw's rule) becomes {@code metric:k:NAME}, k = 2, 3, ... counted per
     * name ignoring case, so that metrics {@code F1} and {@code f1} of different series are two columns, {@code F1} and
     * {@code metric:2:f1}, not an error. {@link #metricName} maps each back to its metric.
     */
    public static List<String> tableColumnNames(List<String> metrics, Collection<String> fixedColumns) {
        Set<String> taken = new HashSet<>();
        fixedColumns.forEach(n -> taken.add(n.toLowerCase(Locale.ROOT)));
        Map<String, Integer> twins = new HashMap<>();
        List<String> out = new ArrayList<>(metrics.size());
        for (String name : metrics) {
            String column = columnName(name, fixedColumns);
            if (taken.contains(column.toLowerCase(Locale.ROOT))) {
                int k = twins.merge(name.toLowerCase(Locale.ROOT), 1, Integer::sum) + 1;
                do {
                    column = PREFIX + k++ + ":" + name;
                } while (taken.contains(column.toLowerCase(Locale.ROOT)));
            }
            taken.add(column.toLowerCase(Locale.ROOT));
            out.add(column);
        }
        return out;
    }
}
