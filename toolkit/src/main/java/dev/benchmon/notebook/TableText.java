package dev.benchmon.notebook;

import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A Tablesaw table as plain text that reads well in a terminal (JShell) or a notebook's text
 * output: numbers rounded like the HTML tables (four significant digits), times to the minute,
 * long texts cut, at most {@value #DEFAULT_WIDTH} characters wide (columns that do not fit are
 * named below), and the first and last rows of a long table, like Tablesaw's {@code print()}.
 */
public final class TableText {
    /** Characters per line unless told otherwise. */
    public static final int DEFAULT_WIDTH = 120;
    /** Rows shown from the top of a long table. */
    public static final int HEAD = 10;
    /** Rows shown from the bottom of a long table. */
    public static final int TAIL = 5;
    private static final int MAX_CELL = 28;
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private TableText() {
    }

    /** The table within {@value #DEFAULT_WIDTH} characters, head and tail rows. */
    public static String of(Table table) {
        return of(table, DEFAULT_WIDTH, HEAD, TAIL);
    }

    /** Every row, within {@code width} characters (for {@code show(t)}). */
    public static String all(Table table, int width) {
        return of(table, width, Integer.MAX_VALUE / 2, 0);
    }

    /**
     * The table as text.
     *
     * @param width maximum characters per line (at least 20)
     * @param head  rows from the top when the table has more than {@code head + tail} rows
     * @param tail  rows from the bottom then
     */
    public static String of(Table table, int width, int head, int tail) {
        if (width < 20) {
            throw new IllegalArgumentException("width must be at least 20, got " + width);
        }
        int rows = table.rowCount();
        List<Integer> shown = new ArrayList<>();
        boolean cut = rows > head + tail;
        for (int r = 0; r < rows; r++) {
            if (!cut || r < head || r >= rows - tail) {
                shown.add(r);
            }
        }
        List<Column<?>> columns = table.columns();
        List<String[]> cells = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        List<Boolean> right = new ArrayList<>();
        int used = 0;
        int fitted = 0;
        for (Column<?> c : columns) {
            String[] col = new String[shown.size()];
            int w = Math.min(MAX_CELL, DisplayWidth.of(c.name()));
            for (int i = 0; i < col.length; i++) {
                col[i] = cut(cell(c, shown.get(i)));
                w = Math.max(w, DisplayWidth.of(col[i]));
            }
            int need = (fitted == 0 ? 0 : 2) + w;
            if (used + need > width && fitted > 0) {
                break;
            }
            cells.add(col);
            widths.add(Math.min(w, width));
            right.add(isNumeric(c));
            used += need;
            fitted++;
        }
        StringBuilder out = new StringBuilder();
        out.append(table.name() == null || table.name().isBlank() ? "table" : table.name())
                .append("  (").append(rows).append(rows == 1 ? " row" : " rows").append(" x ")
                .append(columns.size()).append(columns.size() == 1 ? " column)" : " columns)").append('\n');
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < fitted; i++) {
            header.append(i == 0 ? "" : "  ").append(pad(cut(columns.get(i).name()), widths.get(i), right.get(i)));
        }
        out.append(header.toString().stripTrailing()).append('\n');
        out.append("-".repeat(Math.min(width, DisplayWidth.of(header.toString().stripTrailing())))).append('\n');
        for (int r = 0; r < shown.size(); r++) {
            if (cut && r == head) {
                out.append("... ").append(rows - head - tail).append(" more rows ...\n");
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < fitted; i++) {
                line.append(i == 0 ? "" : "  ").append(pad(cells.get(i)[r], widths.get(i), right.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        if (fitted < columns.size()) {
            List<String> rest = columns.subList(fitted, columns.size()).stream().map(Column::name).toList();
            String note = "(" + rest.size() + (rest.size() == 1 ? " more column: " : " more columns: ")
                    + String.join(", ", rest) + "; t.selectColumns(...) to see them)";
            out.append(wrap(note, width));
        }
        return out.toString();
    }

    /** Breaks {@code text} at spaces into lines of at most {@code width} terminal columns. */
    private static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && DisplayWidth.of(line.toString()) + 1 + DisplayWidth.of(word) > width) {
                out.append(line).append('\n');
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        return out.append(line).append('\n').toString();
    }

    private static boolean isNumeric(Column<?> c) {
        ColumnType t = c.type();
        return t == ColumnType.DOUBLE || t == ColumnType.FLOAT || t == ColumnType.INTEGER
                || t == ColumnType.LONG || t == ColumnType.SHORT;
    }

    private static String cell(Column<?> c, int row) {
        if (c.isMissing(row)) {
            return "";
        }
        Object v = c.get(row);
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return ReadableNumber.isPValueColumn(c.name()) ? ReadableNumber.pValue(d) : ReadableNumber.of(d);
        }
        if (v instanceof Instant i) {
            return MINUTE.format(i.atOffset(ZoneOffset.UTC));
        }
        if (v instanceof LocalDateTime t) {
            return MINUTE.format(t);
        }
        return String.valueOf(v).replace('\n', ' ');
    }

    private static String cut(String s) {
        return DisplayWidth.of(s) <= MAX_CELL ? s : DisplayWidth.cut(s, MAX_CELL - 1) + "~";
    }

    /** {@code s} in {@code width} terminal columns (wide characters take two: {@link DisplayWidth}). */
    private static String pad(String s, int width, boolean right) {
        String t = DisplayWidth.cut(s, width);
        String fill = " ".repeat(width - DisplayWidth.of(t));
        return right ? fill + t : t + fill;
    }
}
