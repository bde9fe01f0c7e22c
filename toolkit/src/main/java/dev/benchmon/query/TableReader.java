package dev.benchmon.query;

import dev.benchmon.ingest.ResultJson;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Builds a typed Tablesaw table from JDBC rows: declare the columns, feed rows, get the table.
 * A {@code metrics} JSON column can be spread into one {@code DoubleColumn} per metric name, and a {@code stderr} JSON
 * column into one {@code DoubleColumn} after each metric that has a standard error in any row
 * ({@link MetricColumns#stderrColumnNames}).
 */
final class TableReader {
    private enum Kind { STRING, INSTANT, LONG, INT, DOUBLE, BOOLEAN }

    private record Spec(String name, Kind kind) {
    }

    private final String tableName;
    private final List<Spec> specs = new ArrayList<>();
    private final List<Column<?>> columns = new ArrayList<>();
    private String metricsColumn;
    private final List<Map<String, Double>> metricRows = new ArrayList<>();
    private List<String> metricOrder;
    private String stderrColumn;
    private final List<Map<String, Double>> stderrRows = new ArrayList<>();

    private TableReader(String tableName) {
        this.tableName = tableName;
    }

    static TableReader named(String tableName) {
        return new TableReader(tableName);
    }

    TableReader string(String... names) { return add(Kind.STRING, names); }
    TableReader instant(String... names) { return add(Kind.INSTANT, names); }
    TableReader longs(String... names) { return add(Kind.LONG, names); }
    TableReader ints(String... names) { return add(Kind.INT, names); }
    TableReader doubles(String... names) { return add(Kind.DOUBLE, names); }
    TableReader booleans(String... names) { return add(Kind.BOOLEAN, names); }

    /** Spreads a JSON metrics column into one double column per metric, in this order (or sorted by name when null). */
    TableReader metrics(String column, List<String> order) {
        this.metricsColumn = column;
        this.metricOrder = order == null || order.isEmpty() ? null : order;
        return this;
    }

    /**
     * Spreads a JSON column of standard errors by metric ({@code {"acc": 0.014}}, or SQL NULL) into a column after each
     * metric column of {@link #metrics} that has one in any row; a metric without any gets none, so a table of results
     * that carry no stderr is as before.
     */
    TableReader stderr(String column) {
        this.stderrColumn = column;
        return this;
    }

    private TableReader add(Kind kind, String... names) {
        for (String n : names) {
            specs.add(new Spec(n, kind));
            columns.add(switch (kind) {
                case STRING -> StringColumn.create(n);
                case INSTANT -> InstantColumn.create(n);
                case LONG -> LongColumn.create(n);
                case INT -> IntColumn.create(n);
                case DOUBLE -> DoubleColumn.create(n);
                case BOOLEAN -> BooleanColumn.create(n);
            });
        }
        return this;
    }

    /** Appends one row; usable as a Jdbi row callback. */
    void row(ResultSet rs) throws SQLException {
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            Column<?> c = columns.get(i);
            switch (s.kind) {
                case STRING -> ((StringColumn) c).append(rs.getString(s.name));
                case INSTANT -> {
                    OffsetDateTime t = rs.getObject(s.name, OffsetDateTime.class);
                    if (t == null) ((InstantColumn) c).appendMissing(); else ((InstantColumn) c).append(t.toInstant());
                }
                case LONG -> {
                    long v = rs.getLong(s.name);
                    if (rs.wasNull()) ((LongColumn) c).appendMissing(); else ((LongColumn) c).append(v);
                }
                case INT -> {
                    int v = rs.getInt(s.name);
                    if (rs.wasNull()) ((IntColumn) c).appendMissing(); else ((IntColumn) c).append(v);
                }
                case DOUBLE -> {
                    double v = rs.getDouble(s.name);
                    if (rs.wasNull()) ((DoubleColumn) c).appendMissing(); else ((DoubleColumn) c).append(v);
                }
                case BOOLEAN -> {
                    boolean v = rs.getBoolean(s.name);
                    if (rs.wasNull()) ((BooleanColumn) c).appendMissing(); else ((BooleanColumn) c).append(v);
                }
            }
        }
        if (metricsColumn != null) {
            metricRows.add(ResultJson.readMetrics(rs.getString(metricsColumn)));
        }
        if (stderrColumn != null) {
            String json = rs.getString(stderrColumn);
            stderrRows.add(json == null ? Map.of() : ResultJson.readMetrics(json));
        }
    }

    Table table() {
        Table t = ReadableTable.of(Table.create(tableName, columns.toArray(Column[]::new)));
        if (metricsColumn != null) {
            List<String> names;
            if (metricOrder != null) {
                names = metricOrder;
            } else {
                TreeSet<String> all = new TreeSet<>();
                metricRows.forEach(m -> all.addAll(m.keySet()));
                names = new ArrayList<>(all);
            }
            List<String> columnNames = MetricColumns.tableColumnNames(names, t.columnNames());
            List<String> withStderr = new ArrayList<>();
            if (stderrColumn != null) {
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(i);
                    if (stderrRows.stream().anyMatch(m -> m.containsKey(name))) {
                        withStderr.add(columnNames.get(i));
                    }
                }
            }
            List<String> taken = new ArrayList<>(t.columnNames());
            taken.addAll(columnNames);
            Map<String, String> stderrNames = MetricColumns.stderrColumnNames(withStderr, taken);
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                String columnName = columnNames.get(i);
                t.addColumns(column(columnName, metricRows, name));
                String stderrName = stderrNames.get(columnName);
                if (stderrName != null) {
                    // Right after its metric: the value and its uncertainty read together, as lm-eval prints them.
                    t.addColumns(column(stderrName, stderrRows, name));
                }
            }
        }
        return t;
    }

    private static DoubleColumn column(String columnName, List<Map<String, Double>> rows, String metric) {
        DoubleColumn col = DoubleColumn.create(columnName);
        for (Map<String, Double> m : rows) {
            Double v = m.get(metric);
            if (v == null) col.appendMissing(); else col.append(v);
        }
        return col;
    }
}
