package dev.benchmon.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;
import dev.benchmon.ingest.ResultJson;
import io.javalin.http.Context;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.io.StringWriter;

/**
 * Writes a Tablesaw table as the response: CSV ({@link #csvSettings}) or JSON
 * {@code {"columns": [...], "row_count": n, "rows": [{column: value}, ...]}} with typed values
 * (numbers, booleans, ISO-8601 instants, strings; missing values as null, except "no prompt", see
 * {@link #emptyIsName}).
 */
public final class TableResponses {
    /**
     * Whether an empty text cell of this column is a name, written {@code ""}, rather than a missing value
     * ({@code null}): {@code prompt_version}, whose {@code ""} is "no prompt" in the database, the input, the
     * filters ({@code prompt=}), the toolkit's tables and every JSON answer alike.
     */
    static boolean emptyIsName(String column) {
        return "prompt_version".equals(column);
    }
    private TableResponses() {
    }

    /** Answers with the table as CSV or JSON; {@code extra} fields are added to the JSON object. */
    public static void write(Context ctx, Table table, boolean csv, String name, ObjectNode extra) {
        if (csv) {
            ctx.contentType("text/csv; charset=utf-8")
                    .header("Content-Disposition", "inline; filename=\"" + name + ".csv\"")
                    .result(csv(table));
            return;
        }
        ObjectNode root = extra == null ? ResultJson.mapper().createObjectNode() : extra;
        root.setAll(json(table));
        ctx.contentType("application/json; charset=utf-8").result(root.toString());
    }

    /**
     * The table as CSV text with a header row, its column names and text cells guarded with {@link #FormulaGuard.guard(String)}
     * (numbers are never touched: -0.5 stays a number).
     */
    public static String csv(Table table) {
        Table written = table.copy();
        for (Column<?> c : written.columns()) {
            c.setName(FormulaGuard.guard(c.name())); // a metric or model name can head a column
            if (c instanceof StringColumn text) {
                for (int i = 0; i < text.size(); i++) {
                    text.set(i, FormulaGuard.guard(text.get(i)));
                }
            }
        }
        StringWriter out = new StringWriter();
        CsvWriter csv = new CsvWriter(out, csvSettings());
        csv.writeHeaders(written.columnNames());
        String[] cells = new String[written.columnCount()];
        for (int r = 0; r < written.rowCount(); r++) {
            for (int c = 0; c < cells.length; c++) {
                cells[c] = written.getUnformatted(r, c); // as Tablesaw's CSV writer writes cells
            }
            csv.writeRow((Object[]) cells);
        }
        csv.close();
        return out.toString();
    }

    /**
     * How benchmon writes CSV (univocity, the parser Tablesaw reads and writes CSV with): RFC 4180, so a cell holding a
     * quote, a comma or a line break is quoted and its quotes doubled (a tag object {@code {"suite": "x"}} reads back
     * as written), other cells bare; cells as stored (leading and trailing spaces kept); lines end in LF.
     */
    public static CsvWriterSettings csvSettings() {
        CsvWriterSettings settings = new CsvWriterSettings();
        settings.setNullValue("");
        settings.getFormat().setLineSeparator("\n");
        settings.setSkipEmptyLines(false);
        settings.setIgnoreLeadingWhitespaces(false);
        settings.setIgnoreTrailingWhitespaces(false);
        settings.setQuoteEscapingEnabled(true);
        return settings;
    }

    /** The table as {@code {"columns": [...], "row_count": n, "rows": [...]}}. */
    public static ObjectNode json(Table table) {
        ObjectNode root = ResultJson.mapper().createObjectNode();
        ArrayNode columns = root.putArray("columns");
        table.columnNames().forEach(columns::add);
        root.put("row_count", table.rowCount());
        ArrayNode rows = root.putArray("rows");
        for (int i = 0; i < table.rowCount(); i++) {
            ObjectNode row = rows.addObject();
            for (Column<?> c : table.columns()) {
                put(row, c, i);
            }
        }
        return root;
    }

    /**
     * The rows of a {@link #json} answer ({@code {"columns", "row_count", "rows"}}) read back into an empty copy of
     * {@code schema}, whose columns the answer holds: {@link #csv} of the result is then the CSV the server writes of
     * the table, cell for cell (a double read back as written, a null as a missing cell). For a client that has the
     * JSON answer and wants its CSV without asking again ({@code benchmon compare --flips FILE --server URL}).
     *
     * @throws IllegalArgumentException for a column of a type this does not read (text, double, int, long, boolean)
     */
    public static Table table(JsonNode answer, Table schema) {
        Table t = schema.emptyCopy();
        for (JsonNode row : answer.path("rows")) {
            for (Column<?> c : t.columns()) {
                JsonNode v = row.path(c.name());
                if (v.isNull() || v.isMissingNode()) {
                    c.appendMissing();
                } else if (c instanceof StringColumn text) {
                    text.append(v.asText());
                } else if (c instanceof DoubleColumn d) {
                    d.append(v.doubleValue());
                } else if (c instanceof IntColumn n) {
                    n.append(v.intValue());
                } else if (c instanceof LongColumn n) {
                    n.append(v.longValue());
                } else if (c instanceof BooleanColumn b) {
                    b.append(v.booleanValue());
                } else {
                    throw new IllegalArgumentException("column " + c.name() + " is a " + c.type() + "; this reads text, "
                            + "double, int, long and boolean columns");
                }
            }
        }
        return t;
    }

    private static void put(ObjectNode row, Column<?> c, int i) {
        String name = c.name();
        if (c.isMissing(i) && c instanceof StringColumn && emptyIsName(name)) {
            row.put(name, "");
        } else if (c.isMissing(i)) {
            row.putNull(name);
        } else if (c instanceof IntColumn || c instanceof LongColumn || c instanceof ShortColumn) {
            row.put(name, (long) ((NumericColumn<?>) c).getDouble(i));
        } else if (c instanceof NumericColumn<?> n) {
            double d = n.getDouble(i);
            if (Double.isFinite(d)) {
                row.put(name, d);
            } else {
                row.putNull(name);
            }
        } else if (c instanceof BooleanColumn b) {
            row.put(name, b.get(i));
        } else if (c instanceof InstantColumn t) {
            row.put(name, t.get(i).toString());
        } else {
            row.put(name, c.getString(i));
        }
    }
}
