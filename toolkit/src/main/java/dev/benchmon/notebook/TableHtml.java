package dev.benchmon.notebook;

import dev.benchmon.chart.ChartHtml;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.List;

/**
 * A Tablesaw table as an HTML {@code <table>}: caption with the table's name and size, numbers
 * right-aligned and rounded for reading, missing values blank, every value HTML-escaped.
 */
final class TableHtml {
    private TableHtml() {
    }

    static String of(Table table, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
        }
        int shown = Math.min(maxRows, table.rowCount());
        StringBuilder html = new StringBuilder(256 + 64 * (shown + 1) * table.columnCount());
        html.append("<div class=\"benchmon-table\" style=\"overflow-x:auto\">\n<table>\n<caption style=\"text-align:left\">")
                .append(escape(table.name() == null ? "" : table.name()))
                .append(" <small>(").append(table.rowCount()).append(table.rowCount() == 1 ? " row" : " rows")
                .append(" × ").append(table.columnCount()).append(table.columnCount() == 1 ? " column" : " columns")
                .append(")</small></caption>\n<thead><tr>");
        for (Column<?> c : table.columns()) {
            html.append("<th>").append(escape(c.name())).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        List<Column<?>> columns = table.columns();
        boolean[] numeric = new boolean[columns.size()];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = isNumeric(columns.get(i));
        }
        for (int r = 0; r < shown; r++) {
            html.append("<tr>");
            for (int i = 0; i < numeric.length; i++) {
                Column<?> c = columns.get(i);
                html.append(numeric[i] ? "<td style=\"text-align:right\">" : "<td>")
                        .append(c.isMissing(r) ? "" : escape(cell(c, r))).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        if (shown < table.rowCount()) {
            html.append("<p><small>showing the first ").append(shown).append(" of ").append(table.rowCount())
                    .append(" rows</small></p>\n");
        }
        return html.append("</div>\n").toString();
    }

    private static boolean isNumeric(Column<?> c) {
        return TableText.isNumeric(c);
    }

    private static String cell(Column<?> c, int row) {
        if (c instanceof DoubleColumn || c instanceof FloatColumn) {
            double v = ((Number) c.get(row)).doubleValue();
            return ReadableNumber.isPValueColumn(c.name()) ? ReadableNumber.pValue(v) : ReadableNumber.of(v);
        }
        return String.valueOf(c.get(row));
    }

    static String escape(String s) {
        return ChartHtml.escapeHtml(s);
    }
}
