package dev.benchmon.server.cli;

import java.util.List;

/** Rows as a terminal table: each column as wide as its longest cell, two spaces between, the last column unpadded. */
final class ColumnText {
    private ColumnText() {
    }

    /** {@code rows} (the first usually the heading), each line after {@code indent}, trailing blanks stripped. */
    static String of(List<String[]> rows, String indent) {
        int[] widths = new int[rows.isEmpty() ? 0 : rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
