package dev.benchmon.query;

import dev.benchmon.DatabaseException;
import dev.benchmon.Filter;
import dev.benchmon.ingest.ResultJson;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;

/**
 * The snapshot and history tables row by row from a database cursor, for writers that need no table
 * (the server's JSON and CSV responses, the CLI's CSV export): the same columns and values as {@link SnapshotQuery} and
 * {@link HistoryQuery}, without building a Tablesaw table or parsing each row's metrics JSON in Java. One difference:
 * every metric's column is its name as stored ({@link MetricColumns#asStoredColumnNames}), so {@code F1} and {@code f1}
 * of different series are two columns of those names, where a table, whose column names are unique ignoring case,
 * names the second {@code metric:2:f1} ({@link MetricColumns#tableColumnNames}). A metric named like a fixed column is
 * {@code metric:NAME} in both.
 *
 * <p>How: one REPEATABLE READ transaction (autocommit off, so the driver reads through a cursor in
 * batches of {@value #FETCH_SIZE} rows instead of the whole result at once); first the metric names of
 * the rows (the columns must be known before the first row is written), then the rows with one
 * {@code float8} column per metric, extracted by PostgreSQL ({@code metrics ->> name}). A history of at
 * most {@value #BUFFERED_ROWS} rows, without chosen metrics, is read in one statement instead, each row's metrics
 * read from its JSON text ({@link ResultJson#forEachMetricText}, numbers kept as text), and held until the last row
 * names the columns.
 *
 * <p>Values handed to the {@link Sink}, per {@link Type}: {@code TEXT} a {@link String}, {@code JSON} a {@link String}
 * of JSON text as PostgreSQL wrote it, {@code INSTANT} an {@link Instant} as stored (to the microsecond; a Tablesaw
 * table's instants hold milliseconds), {@code LONG} a {@link Long}, {@code INT} an {@link Integer}, {@code DOUBLE} a
 * {@link Double} or a {@link NumberText}; {@code null} when missing.
 *
 * <p>Unlike {@link HistoryQuery#history(Filter)}'s table, whose tags read {@code k=v, k=v}, the history's
 * {@code tags} are the stored JSON object ({@code JSON}, {@code null} for none) unless asked for as that text: the
 * pairs cannot be split back when a key or value holds a comma or {@code =}, and a JSON writer passes the text on
 * without parsing it.
 */
public final class ResultStream {
    /** Rows the driver fetches per round trip. */
    public static final int FETCH_SIZE = 500;
    /** History answers up to this many rows are read in one statement and held (about 28 MB at most); larger ones stream. */
    public static final int BUFFERED_ROWS = 5_000;

    /** The type of a column's values. */
    public enum Type { TEXT, JSON, INSTANT, LONG, INT, DOUBLE }

    /**
     * A {@code DOUBLE} value as the database wrote it in the row's JSON, handed on without parsing or formatting it
     * (history read in one statement): JSON number syntax, which reads back as the same double. PostgreSQL writes a
     * {@code numeric} in plain decimal ({@code 0.00000010} for {@code 1.0E-7}); a number of more than
     * {@value #MAX_NUMBER_TEXT} characters comes as a {@link Double} instead (its text could be hundreds of digits).
     * {@code chars[offset, offset + length)} is shared by the whole answer: read it, never write it.
     */
    public record NumberText(char[] chars, int offset, int length) {
        @Override
        public String toString() {
            return new String(chars, offset, length);
        }
    }

    /** Longest number text handed on as a {@link NumberText}: a double's shortest text has at most 24 characters. */
    public static final int MAX_NUMBER_TEXT = 24;
    /** Characters of number text one answer keeps (8 MB); numbers past it come as {@link Double}s. */
    static final int NUMBER_TEXT_BUDGET = 4 << 20;

    /** A column: its name (a metric's as stored, {@link MetricColumns#asStoredColumnNames}) and type. */
    public record Column(String name, Type type) {
    }

    /** Receives the columns once, then each row (values in column order; the array is reused). */
    public interface Sink {
        void columns(List<Column> columns) throws IOException;

        void row(Object[] values) throws IOException;
    }

    private static final List<Column> SNAPSHOT_COLUMNS = List.of(
            text("model_version"), text("dataset_version"), text("prompt_version"), text("environment"),
            text("model_provider"), new Column("run_at", Type.INSTANT), new Column("run_count", Type.LONG),
            new Column("first_seen", Type.INSTANT), new Column("last_seen", Type.INSTANT),
            new Column("transaction_id", Type.LONG), text("commit_sha"), text("branch"), text("run_id"));

    /** The history's columns before the metrics, tags as the stored JSON object or as {@code k=v, k=v} text. */
    private static List<Column> historyColumns(boolean tagsAsJson) {
        return List.of(
                new Column("id", Type.LONG), new Column("run_at", Type.INSTANT), new Column("recorded_at", Type.INSTANT),
                new Column("attempt", Type.INT), text("model_version"), text("dataset_version"), text("prompt_version"),
                text("environment"), text("model_provider"), text("commit_sha"), text("branch"), text("run_id"),
                text("triggered_by"), new Column("tags", tagsAsJson ? Type.JSON : Type.TEXT), text("notes"),
                text("idempotency_key"));
    }

    /**
     * The history's columns and then a CSV's own ({@link HistoryQuery#CSV_COLUMNS}): JSON object text, then
     * {@code run_at_sent} ({@code false} or empty).
     */
    private static List<Column> withCsvColumns(List<Column> history) {
        return java.util.stream.Stream.of(history.stream(),
                HistoryQuery.CSV_COLUMN_NAMES.stream().map(n -> new Column(n, Type.JSON)),
                java.util.stream.Stream.of(text(HistoryQuery.RUN_AT_SENT))).flatMap(s -> s).toList();
    }

    private final Jdbi jdbi;

    public ResultStream(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The latest result of every series matching the filter, as {@link SnapshotQuery#latest}; returns the row count. */
    public long latest(Filter filter, Sink sink) {
        FilterSql where = SnapshotQuery.where(filter, Instant.now());
        return stream(filter, sink, SNAPSHOT_COLUMNS, h -> { },
                h -> where.bind(h.createQuery("SELECT DISTINCT k " + SnapshotQuery.from(filter)
                        + " CROSS JOIN LATERAL jsonb_object_keys(s.metrics) k" + where.where())),
                metrics -> """
                        SELECT s.model_version, s.dataset_version, s.prompt_version, s.environment, s.model_provider,
                               s.run_at, s.run_count, s.first_seen, s.last_seen, s.transaction_id,
                               s.commit_sha, s.branch, s.run_id""" + metrics.apply("s") + "\n" + SnapshotQuery.from(filter) + where.where()
                        + "\nORDER BY s.model_version, s.dataset_version, s.prompt_version, s.environment",
                where::bind);
    }

    /**
     * Results from the log, newest first, as {@link HistoryQuery#history}; returns the row count. Up to
     * {@value #BUFFERED_ROWS} rows (the default page of 1,000 included) with no metrics chosen are read in one statement and held
     * before the first is written (their metric names make the columns); larger answers stream in two passes.
     */
    public long history(Filter filter, Sink sink) {
        return history(filter, sink, false);
    }

    /**
     * {@link #history(Filter, Sink)}; with {@code csvColumns}, the columns {@code stderr}, {@code n} and {@code metadata}
     * follow the fixed ones, as {@code JSON} text: stderr and n (the stored {@code sample_sizes}) as JSON objects of
     * metric name to standard error and to sample size, metadata as the stored object ({@code null} when none or
     * empty), so that a CSV holds what the JSON Lines export holds and {@code benchmon import} reads them back; and
     * the rows come in the JSON Lines export's order, the newest {@code limit} oldest first
     * ({@link HistoryQuery#oldestFirstOfNewest}), so that a copy imported from it numbers its runs in time order.
     */
    public long history(Filter filter, Sink sink, boolean csvColumns) {
        return history(filter, sink, csvColumns, true);
    }

    /**
     * {@link #history(Filter, Sink, boolean)}; unless {@code tagsAsJson}, {@code tags} is {@code TEXT} of the pairs
     * {@code k=v, k=v} in key order ({@link HistoryQuery#history(Filter)}'s tags), as {@code benchmon export history}
     * writes them without {@code --raw}.
     */
    public long history(Filter filter, Sink sink, boolean csvColumns, boolean tagsAsJson) {
        return history(filter, sink, csvColumns, tagsAsJson, null);
    }

    /**
     * What {@link #historyCountingExamples} wrote: its rows, and how many of them are results that carry per-example
     * outcomes ({@code example_outcomes}), which a CSV has no column for.
     */
    public record Written(long rows, long withExamples) {
    }

    /**
     * {@link #history(Filter, Sink, boolean, boolean)}, counting in the same pass, row by row, the results written that
     * carry per-example outcomes: the count is of the rows written, never of a second read of the filter (whose
     * relative window, {@code --last}, and newest rows could have moved by then).
     */
    public Written historyCountingExamples(Filter filter, Sink sink, boolean csvColumns, boolean tagsAsJson) {
        LongAdder withExamples = new LongAdder();
        long rows = history(filter, sink, csvColumns, tagsAsJson, withExamples);
        return new Written(rows, withExamples.sum());
    }

    /** The history; with {@code withExamples}, each row's {@link #HAS_EXAMPLES} (its last column) counted into it. */
    private long history(Filter filter, Sink sink, boolean csvColumns, boolean tagsAsJson,
                         LongAdder withExamples) {
        FilterSql where = FilterSql.ofCurrentLog(filter, "t", Instant.now());
        int limit = filter.limit() == null ? HistoryQuery.DEFAULT_LIMIT : filter.limit();
        // Read when each statement is made: boundToNewest adds its window to where's conditions first.
        java.util.function.Supplier<String> newest = () -> "\nFROM benchmark_transactions t" + where.where()
                + " ORDER BY t.run_at DESC, t.id DESC LIMIT :limit";
        // A CSV is a history file, which import reads in its order: oldest first, as the JSON Lines export.
        java.util.function.Supplier<String> rowsFrom = () -> csvColumns ? HistoryQuery.oldestFirstOfNewest(where, limit)
                : newest.get();
        List<Column> fixed = csvColumns ? withCsvColumns(historyColumns(tagsAsJson)) : historyColumns(tagsAsJson);
        String columns = (tagsAsJson ? HistoryQuery.COLUMNS_WITH_JSON_TAGS : HistoryQuery.COLUMNS)
                + (csvColumns ? HistoryQuery.CSV_COLUMNS : "");
        String counted = withExamples == null ? "" : HAS_EXAMPLES;
        if (limit <= BUFFERED_ROWS && filter.metrics().isEmpty()) {
            return buffered(filter, sink, fixed, read -> where.readNewestFirst(jdbi, limit, read),
                    h -> where.bind(h.createQuery(where.with() + columns
                    + ", t.metrics::text AS metrics" + counted + rowsFrom.get()))
                    .bind("limit", limit), withExamples);
        }
        return stream(filter, sink, fixed, h -> where.boundToNewest(h, limit),
                h -> where.bind(h.createQuery(where.with() + "SELECT DISTINCT k FROM (SELECT t.metrics"
                        + HistoryQuery.rowsOfNewest(where, limit) + ") q CROSS JOIN LATERAL jsonb_object_keys(q.metrics) k"))
                        .bind("limit", limit),
                metrics -> where.with() + columns + metrics.apply("t") + counted + rowsFrom.get(),
                q -> where.bind(q).bind("limit", limit), withExamples);
    }

    /** A history row's last column when its results with examples are counted: whether it has per-example outcomes. */
    private static final String HAS_EXAMPLES = ",\n       " + JsonLinesQuery.HAS_EXAMPLES;

    /** Counts the row into {@code withExamples} (when counting) by its last column, {@link #HAS_EXAMPLES}. */
    private static void countExamples(ResultSet rs, LongAdder withExamples) throws SQLException {
        if (withExamples != null && rs.getBoolean(rs.getMetaData().getColumnCount())) {
            withExamples.increment();
        }
    }

    /**
     * One statement whose last column is the row's metrics as JSON text: the rows are held, the metric names
     * of all of them make the columns, then the rows are handed over. Saves the second read of the same rows
     * that streaming needs (about a third of a 1,000-row history's time in the database). Each row's metrics
     * are held as name numbers and where each value is (12 bytes a metric), each value as its text in one shared
     * buffer of at most {@value #NUMBER_TEXT_BUDGET} characters, else as a double: 5,000 rows of 200 metrics are
     * about 28 MB. Numbers kept as text are neither parsed nor formatted.
     */
    private long buffered(Filter filter, Sink sink, List<Column> fixed, Reads reads, QueryFor rowsQuery,
                          LongAdder withExamples) {
        try {
            List<Object[]> rows = new ArrayList<>();
            List<int[]> metricsOfRows = new ArrayList<>();
            Map<String, Integer> ids = new HashMap<>();
            MetricsOfRow row = new MetricsOfRow();
            Numbers numbers = new Numbers();
            reads.read(h -> rowsQuery.create(h).scanResultSet((supplier, ctx) -> {
                try (ResultSet rs = supplier.get()) {
                    while (rs.next()) {
                        Object[] values = new Object[fixed.size()];
                        for (int c = 0; c < values.length; c++) {
                            values[c] = value(rs, c + 1, fixed.get(c).type());
                        }
                        row.clear();
                        ResultJson.forEachMetricText(rs.getString(fixed.size() + 1), (name, text, offset, length) ->
                                row.add(ids.computeIfAbsent(name, n -> ids.size()), numbers.add(text, offset, length), length));
                        rows.add(values);
                        metricsOfRows.add(Arrays.copyOf(row.triples, 3 * row.size));
                        countExamples(rs, withExamples);
                    }
                }
                return null;
            }));
            List<String> metrics = new ArrayList<>(new TreeSet<>(ids.keySet())); // sorted as the Tablesaw tables sort them
            int[] columnOf = new int[ids.size()];
            for (int i = 0; i < metrics.size(); i++) {
                columnOf[ids.get(metrics.get(i))] = fixed.size() + i;
            }
            List<Column> columns = new ArrayList<>(fixed);
            MetricColumns.asStoredColumnNames(metrics, fixed.stream().map(Column::name).toList())
                    .forEach(n -> columns.add(new Column(n, Type.DOUBLE)));
            sink.columns(columns);
            Object[] out = new Object[columns.size()];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, out, 0, fixed.size());
                Arrays.fill(out, fixed.size(), out.length, null);
                int[] metricsOfRow = metricsOfRows.get(r);
                for (int k = 0; k < metricsOfRow.length; k += 3) {
                    out[columnOf[metricsOfRow[k]]] = numbers.value(metricsOfRow[k + 1], metricsOfRow[k + 2]);
                }
                sink.row(out);
            }
            return rows.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JdbiException e) {
            throw new DatabaseException("reading results failed for " + filter + ": " + e.getMessage(), e);
        }
    }

    /**
     * One row's metrics while it is read, reused from row to row: per metric its name id and where its value is
     * ({@link Numbers#add}) with its length, three ints.
     */
    private static final class MetricsOfRow {
        int[] triples = new int[24];
        int size;

        void clear() {
            size = 0;
        }

        void add(int id, int place, int length) {
            if (3 * size == triples.length) {
                triples = Arrays.copyOf(triples, 2 * triples.length);
            }
            triples[3 * size] = id;
            triples[3 * size + 1] = place;
            triples[3 * size + 2] = length;
            size++;
        }
    }

    /**
     * An answer's numbers: their texts one after another in one array while they fit the budget, the others
     * parsed into doubles. A place of 0 or more is where a text starts; -1 - i is the i-th double.
     */
    private static final class Numbers {
        char[] chars = new char[1 << 12];
        int size;
        double[] doubles = new double[16];
        int doubleCount;

        /** Keeps {@code text[offset, offset + length)}; returns its place. */
        int add(char[] text, int offset, int length) {
            if (length > MAX_NUMBER_TEXT || size + length > NUMBER_TEXT_BUDGET) {
                if (doubleCount == doubles.length) {
                    doubles = Arrays.copyOf(doubles, doubleCount * 2);
                }
                doubles[doubleCount] = Double.parseDouble(new String(text, offset, length));
                return -1 - doubleCount++;
            }
            if (size + length > chars.length) {
                chars = Arrays.copyOf(chars, Math.min(NUMBER_TEXT_BUDGET, Math.max(chars.length * 2, size + length)));
            }
            System.arraycopy(text, offset, chars, size, length);
            int start = size;
            size += length;
            return start;
        }

        Object value(int place, int length) {
            return place >= 0 ? new NumberText(chars, place, length) : (Object) doubles[-1 - place];
        }
    }

    /** Runs a read on a handle: {@link FilterSql#readNewestFirst} for a history. */
    private interface Reads {
        void read(org.jdbi.v3.core.HandleCallback<Void, RuntimeException> read);
    }

    private interface QueryFor {
        Query create(Handle h);
    }

    private interface RowsSql {
        String sql(java.util.function.Function<String, String> metricSelect);
    }

    private long stream(Filter filter, Sink sink, List<Column> fixed, java.util.function.Consumer<Handle> before,
                        QueryFor namesQuery, RowsSql rowsSql, java.util.function.UnaryOperator<Query> bind) {
        return stream(filter, sink, fixed, before, namesQuery, rowsSql, bind, null);
    }

    /** {@link #stream}; with {@code withExamples}, counting each row by its last column ({@link #HAS_EXAMPLES}). */
    private long stream(Filter filter, Sink sink, List<Column> fixed, java.util.function.Consumer<Handle> before,
                        QueryFor namesQuery, RowsSql rowsSql, java.util.function.UnaryOperator<Query> bind,
                        LongAdder withExamples) {
        try {
            return OneSnapshot.read(jdbi, h -> {
                before.accept(h); // a history's bound (FilterSql#boundToNewest), in the same snapshot as its rows
                List<String> metrics;
                if (!filter.metrics().isEmpty()) {
                    metrics = filter.metrics();
                } else {
                    // Sorted as the Tablesaw tables sort them (Java's String order, not the database's collation).
                    metrics = new ArrayList<>(new TreeSet<>(namesQuery.create(h).mapTo(String.class).list()));
                }
                List<String> fixedNames = fixed.stream().map(Column::name).toList();
                List<Column> columns = new ArrayList<>(fixed);
                MetricColumns.asStoredColumnNames(metrics, fixedNames).forEach(n -> columns.add(new Column(n, Type.DOUBLE)));
                String sql = rowsSql.sql(alias -> {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < metrics.size(); i++) {
                        sb.append(",\n       CAST(").append(alias).append(".metrics ->> :metric_").append(i)
                                .append(" AS float8) AS metric_").append(i);
                    }
                    return sb.toString();
                });
                Query q = bind.apply(h.createQuery(sql));
                for (int i = 0; i < metrics.size(); i++) {
                    q.bind("metric_" + i, metrics.get(i));
                }
                try {
                    sink.columns(columns);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return scan(q, columns, sink, true, () -> { }, withExamples);
            });
        } catch (JdbiException e) {
            throw new DatabaseException("streaming results failed for " + filter + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the rows of {@code query}, whose columns are {@code columns} in order, to {@code sink} as the driver
     * fetches them; returns the row count. The columns go to the sink with the first row, or, when there is none,
     * after {@code beforeNoRows} has run (it may throw: nothing has been written then).
     */
    static long rows(Query query, List<Column> columns, Sink sink, Runnable beforeNoRows) {
        try {
            return scan(query, columns, sink, false, beforeNoRows, null);
        } catch (JdbiException e) {
            throw new DatabaseException("streaming rows failed: " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code query}'s rows into the sink as the driver fetches them; returns the row count. Unless
     * {@code columnsSent}, the columns go to the sink with the first row, or after {@code beforeNoRows} when there is none.
     */
    private static long scan(Query query, List<Column> columns, Sink sink, boolean columnsSent, Runnable beforeNoRows,
                             LongAdder withExamples) {
        Object[] values = new Object[columns.size()];
        return query.setFetchSize(FETCH_SIZE).scanResultSet((supplier, ctx) -> {
            long count = 0;
            try (ResultSet rs = supplier.get()) {
                while (rs.next()) {
                    if (count++ == 0 && !columnsSent) {
                        sink.columns(columns);
                    }
                    for (int c = 0; c < values.length; c++) {
                        values[c] = value(rs, c + 1, columns.get(c).type());
                    }
                    sink.row(values);
                    countExamples(rs, withExamples);
                }
                if (count == 0 && !columnsSent) {
                    beforeNoRows.run();
                    sink.columns(columns);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return count;
        });
    }

    private static Object value(ResultSet rs, int i, Type type) throws SQLException {
        return switch (type) {
            case TEXT, JSON -> rs.getString(i);
            case INSTANT -> {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                yield t == null ? null : t.toInstant(); // as stored (microseconds), as the exports write it
            }
            case LONG -> {
                long v = rs.getLong(i);
                yield rs.wasNull() ? null : v;
            }
            case INT -> {
                int v = rs.getInt(i);
                yield rs.wasNull() ? null : v;
            }
            case DOUBLE -> {
                double v = rs.getDouble(i);
                yield rs.wasNull() ? null : v;
            }
        };
    }

    private static Column text(String name) {
        return new Column(name, Type.TEXT);
    }
}
