package dev.benchmon.notebook;

import dev.benchmon.chart.PlotlyText;
import dev.benchmon.detect.CommitRange;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.NumberColumn;
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
 * output: numbers rounded like the HTML tables (four significant digits), times to the minute, at most
 * {@value #DEFAULT_WIDTH} terminal columns wide (columns that do not fit are named below), and the first and last rows of
 * a long table, like Tablesaw's {@code print()}. Texts are whole when the table fits its line; in a wider one the widest
 * texts are cut first and only as much as the line needs, none to fewer than 28 columns: a commit SHA
 * to its first 12 characters (a range {@code be437c7ba6ca..197a14e2ac08} keeps its {@code ..}), another text in the
 * middle around an ellipsis ({@code gpt-4o-mini / benc…et-v3 @ci}; {@code …} is U+2026, so the text is meant for a
 * UTF-8 terminal, as its names and values are).
 *
 * <p>When a table of two or more rows is wider than the line, its columns that hold one value in every row (one
 * model, environment {@code local}, no prompt) are said once below the rows ({@code same in every row:
 * environment=local, ...}) instead of taking a column each, and the columns shown are chosen by priority (the
 * identifying columns: the series' names, {@code metric} and a trend's {@code bucket}; then the values, a comparison's
 * mean, difference and active alert first; then the others): a query's context columns come before its values, so otherwise the values were the columns cut off (a
 * snapshot of one model printed seven name columns and no metric), and a comparison printed rows of f1 and of
 * analysis_cost without its {@code metric} column. They are printed identifying columns first, then the others shown
 * in the table's order; the columns left out are named below with the {@code selectColumns} call that shows them. A value's standard error ({@code acc_stderr} beside {@code acc}) comes after the values,
 * before the others; a metric whose own name ends in {@code _stderr} with no column of the name it would be the
 * standard error of ({@code loss_stderr} without {@code loss}) is a value like any other.
 */
public final class TableText {
    /** Characters per line unless told otherwise. */
    public static final int DEFAULT_WIDTH = 120;
    /**
     * A width no table reaches ({@code showWhole(t)} in JShell): every cell whole, each line as wide as the table needs.
     */
    public static final int WHOLE_WIDTH = 1 << 20;
    /** Rows shown from the top of a long table. */
    public static final int HEAD = 10;
    /** Rows shown from the bottom of a long table. */
    public static final int TAIL = 5;
    /**
     * The fewest terminal columns a long text is cut to: a table wider than its line cuts its widest texts first, but
     * none to fewer than this; a text or column name shorter than this is never cut.
     */
    private static final int MIN_CELL = 28;
    /** What stands for the cut middle of a long text: one character that no commit range or git revision holds. */
    private static final String ELLIPSIS = "\u2026";
    /** How the note naming the columns of one value starts. */
    private static final String SAME = "(same in every row: ";
    /**
     * The columns that say what a row is about: the series' names, the metric (a comparison or a regression check has a
     * row per metric) and a trend's bucket. When not all columns fit they are shown, and shown first.
     */
    private static final java.util.Set<String> IDENTIFYING = java.util.Set.of("model_version", "dataset_version",
            "prompt_version", "environment", "metric", "bucket");
    /**
     * The values a comparison is read for: its mean and its difference to the reference model. They are shown before the
     * other values (spread, min, max), which a comparison lists first, so that a cut table keeps the difference.
     */
    private static final java.util.Set<String> HEADLINE = java.util.Set.of("mean", "diff_to_first", "relative_diff_to_first");
    /**
     * A comparison's last column, the active alerts of a row's series and metric ({@code Benchmon#compareModels}): a
     * text shown as a headline value when a row has an alert, since a row's mean over the window can hide the
     * regression it names. Empty in every row it is one of the others, and in a table too wide for its line, said once
     * below the rows ({@code active_alert=(none)}).
     */
    private static final String ACTIVE_ALERT = "active_alert";
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private TableText() {
    }

    /** The table within {@value #DEFAULT_WIDTH} characters, head and tail rows. */
    public static String of(Table table) {
        return of(table, DEFAULT_WIDTH, HEAD, TAIL);
    }

    /**
     * Every row, within {@code width} characters (for {@code show(t)}): every row, not every character, its long texts
     * shortened as {@link #of(Table)} shortens them (Tablesaw's own {@code printAll()} prints cells whole).
     */
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
        List<Column<?>> same = List.of();
        boolean fits = fits(table, shown, width);
        if (rows >= 2 && !fits) {
            same = columns.stream().filter(c -> oneValue(c, rows)).toList();
            java.util.Set<Column<?>> constant = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            constant.addAll(same);
            columns = columns.stream().filter(c -> !constant.contains(c)).toList();
        }
        // Each column's cells and the columns that fit, by priority, at their narrowest (a long text cut to
        // MIN_CELL): the identifying columns (they say which line of a chart a row belongs to: three tasks of one
        // model interleave otherwise; a comparison's rows of f1 and of analysis_cost read alike without their metric),
        // the values (a snapshot's metrics come after a dozen context columns), then the others in the table's order.
        // Then the room left on the line goes to the cut columns (rooms), so that a narrow table prints its texts whole.
        int n = columns.size();
        String[][] cellsOf = new String[n][];
        int[] whole = new int[n];
        int[][] wide = new int[n][]; // each column's name and cells: their terminal columns whole and with commits shortened
        for (int c = 0; c < n; c++) {
            Column<?> column = columns.get(c);
            String[] col = new String[shown.size()];
            wide[c] = new int[2 * col.length + 2];
            wide[c][0] = DisplayWidth.of(column.name());
            wide[c][1] = wide[c][0];
            int w = wide[c][0];
            for (int i = 0; i < col.length; i++) {
                col[i] = cell(column, shown.get(i));
                wide[c][2 * i + 2] = DisplayWidth.of(col[i]);
                wide[c][2 * i + 3] = DisplayWidth.of(CommitRange.shortenedIn(col[i]));
                w = Math.max(w, wide[c][2 * i + 2]);
            }
            cellsOf[c] = col;
            whole[c] = Math.min(w, width);
        }
        boolean[] chosen = new boolean[n];
        int used = -2;
        java.util.Set<String> stderrs = stderrColumns(table.columnNames());
        for (int pass = 0; pass < 5; pass++) {
            for (int c = 0; c < n; c++) {
                if (chosen[c] || priority(columns.get(c), stderrs) != pass) {
                    continue;
                }
                int narrowest = Math.min(MIN_CELL, whole[c]);
                if (used + 2 + narrowest > width && used >= 0) {
                    if (pass == 4) {
                        break;
                    }
                    continue;
                }
                chosen[c] = true;
                used += 2 + narrowest;
            }
        }
        int[] widthOf = rooms(whole, wide, chosen, width);
        for (int c = 0; c < n; c++) {
            if (chosen[c]) {
                widthOf[c] = columnWidth(wide[c], widthOf[c]);
                cutApart(cellsOf[c], widthOf[c]);
            }
        }
        List<Column<?>> fittedColumns = new ArrayList<>();
        List<Column<?>> rest = new ArrayList<>();
        List<String[]> cells = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        List<Boolean> right = new ArrayList<>();
        // A table that fits keeps its own order; one cut to the width shows its identifying columns first (a query may
        // put them after values: a row is read from its left), then the others it shows in the table's order.
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            if (fits || priority(columns.get(c), stderrs) == 0) {
                order.add(c);
            }
        }
        for (int c = 0; c < n; c++) {
            if (!order.contains(c)) {
                order.add(c);
            }
        }
        for (int c : order) {
            if (!chosen[c]) {
                rest.add(columns.get(c));
                continue;
            }
            fittedColumns.add(columns.get(c));
            cells.add(cellsOf[c]);
            widths.add(widthOf[c]);
            right.add(isNumeric(columns.get(c)));
        }
        int fitted = fittedColumns.size();
        StringBuilder out = new StringBuilder();
        out.append(table.name() == null || table.name().isBlank() ? "table" : table.name())
                .append("  (").append(rows).append(rows == 1 ? " row" : " rows").append(" x ")
                .append(table.columnCount()).append(table.columnCount() == 1 ? " column)" : " columns)").append('\n');
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < fitted; i++) {
            header.append(i == 0 ? "" : "  ")
                    .append(pad(cut(fittedColumns.get(i).name(), widths.get(i)), widths.get(i), right.get(i)));
        }
        out.append(header.toString().stripTrailing()).append('\n');
        out.append("-".repeat(Math.min(width, DisplayWidth.of(header.toString().stripTrailing())))).append('\n');
        for (int r = 0; r < shown.size(); r++) {
            if (cut && r == head) {
                out.append("... ").append(rows - head - tail).append(rows - head - tail == 1 ? " more row ...\n" : " more rows ...\n");
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < fitted; i++) {
                line.append(i == 0 ? "" : "  ").append(pad(cells.get(i)[r], widths.get(i), right.get(i)));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        if (!same.isEmpty()) {
            List<String> pairs = same.stream().map(c -> c.name() + "=" + (c.isMissing(0) ? "(none)"
                    : cut(cell(c, 0), Math.max(MIN_CELL, width - DisplayWidth.of(SAME + c.name() + "=)"))))).toList();
            out.append(wrap(SAME + String.join(", ", pairs) + ")", width));
        }
        if (!rest.isEmpty()) {
            out.append(wrap(hiddenColumnsNote(rest), width));
        }
        return out.toString();
    }

    /**
     * The line naming the columns not shown and the call that shows them. It names no variable: the table may be
     * JShell's {@code $2}, a {@code var latest} or a chained call's result, so a {@code t.selectColumns(...)} was
     * wrong more often than not; the call is said "on this table", with the first hidden names as its arguments.
     */
    private static String hiddenColumnsNote(List<Column<?>> rest) {
        List<String> quoted = rest.stream().limit(2)
                .map(c -> "\"" + c.name().replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList();
        return "(" + rest.size() + (rest.size() == 1 ? " more column: " : " more columns: ")
                + String.join(", ", rest.stream().map(Column::name).toList()) + "; to see "
                + (rest.size() == 1 ? "it" : "them") + ", call selectColumns(" + String.join(", ", quoted)
                + (rest.size() > 2 ? ", ..." : "") + ") on this table)";
    }

    /**
     * 0 for an identifying column ({@link #IDENTIFYING}), 1 for a headline value ({@link #HEADLINE}, {@link #ACTIVE_ALERT}), 2 for another value
     * (a double), 3 for a value's standard error (a double column of {@code stderrs}: the values themselves come first
     * when not all fit), 4 for the rest.
     */
    private static int priority(Column<?> c, java.util.Set<String> stderrs) {
        if (IDENTIFYING.contains(c.name())) {
            return 0;
        }
        if (c.name().equals(ACTIVE_ALERT)) {
            return c.countMissing() < c.size() ? 1 : 4; // no alert in any row: no headline
        }
        if (!(c instanceof DoubleColumn || c instanceof FloatColumn)) {
            return 4;
        }
        if (HEADLINE.contains(c.name())) {
            return 1;
        }
        return stderrs.contains(c.name().toLowerCase(java.util.Locale.ROOT)) ? 3 : 2;
    }

    /**
     * The names (lower case) of the columns among {@code names} that hold the standard errors of another column, as
     * the toolkit's tables name them ({@link dev.benchmon.query.MetricColumns#stderrColumnNames}): {@code X_stderr} for
     * a column {@code X} of the table, or {@code X_stderr_2}, {@code _3}, ... when metrics of the table hold the names
     * before it (then {@code X_stderr} is such a metric, and the last of the names in a row is X's standard errors).
     * Compared ignoring case, as Tablesaw tells names apart. A column named {@code loss_stderr} with no column
     * {@code loss} is a metric of its own.
     */
    private static java.util.Set<String> stderrColumns(List<String> names) {
        java.util.Set<String> lower = new java.util.HashSet<>();
        names.forEach(name -> lower.add(name.toLowerCase(java.util.Locale.ROOT)));
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String x : lower) {
            String base = x + dev.benchmon.query.MetricColumns.STDERR_SUFFIX;
            if (!lower.contains(base)) {
                continue;
            }
            String stderr = base;
            for (int k = 2; lower.contains(base + "_" + k); k++) {
                stderr = base + "_" + k;
            }
            out.add(stderr);
        }
        return out;
    }

    /**
     * Whether every column fits in {@code width} with two spaces between columns, each as wide as its widest cell (or
     * name) or, when that is wider, {@value #MIN_CELL} columns: its long texts cut to its narrowest.
     */
    private static boolean fits(Table table, List<Integer> shown, int width) {
        int used = -2;
        for (Column<?> c : table.columns()) {
            int w = DisplayWidth.of(c.name());
            for (int r : shown) {
                w = Math.max(w, DisplayWidth.of(cell(c, r)));
            }
            used += 2 + Math.min(MIN_CELL, w);
            if (used > width) {
                return false;
            }
        }
        return true;
    }

    /** Whether all {@code rows} of {@code c} hold the same value, or all none. */
    private static boolean oneValue(Column<?> c, int rows) {
        boolean missing = c.isMissing(0);
        Object first = missing ? null : c.get(0);
        for (int r = 1; r < rows; r++) {
            if (c.isMissing(r) != missing || (!missing && !first.equals(c.get(r)))) {
                return false;
            }
        }
        return true;
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

    /**
     * By the column's class, not {@code c.type() == ColumnType.DOUBLE}: Tablesaw can hold two instances of a column
     * type when a column is made before {@code ColumnType} is first used (a JVM whose first table is a test's or a
     * user's own), and then the comparison failed and numbers were printed unrounded and left-aligned.
     */
    static boolean isNumeric(Column<?> c) {
        return c instanceof NumberColumn<?, ?>;
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

    /**
     * The room each chosen column's texts get for the columns to fit in {@code width} with two spaces between them (0
     * for a column not chosen): its whole width ({@code whole}, its widest cell or name) when all fit whole; else the
     * widest texts are cut first, all to one limit, the widest that fits, but never below {@value #MIN_CELL} (a column
     * narrower than that keeps its width, and the columns may then take more than {@code width}). What the line still
     * has then (a commit range shortened to its 12-character SHAs takes less than the limit) goes to the columns
     * still cut, widest first. {@code wide} holds each column's name's and cells' terminal columns, whole and with
     * their commit SHAs shortened ({@link #columnWidth}).
     */
    private static int[] rooms(int[] whole, int[][] wide, boolean[] chosen, int width) {
        int low = MIN_CELL; // the widest limit known to fit, or MIN_CELL
        int high = 0;
        for (int c = 0; c < whole.length; c++) {
            high = chosen[c] ? Math.max(high, whole[c]) : high;
        }
        // The columns' widths only grow with the limit: the widest limit that fits is found by halving.
        while (low < high) {
            int mid = (low + high + 1) / 2;
            if (used(wide, chosen, limited(whole, chosen, mid)) <= width) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        int[] rooms = limited(whole, chosen, low);
        Integer[] widestFirst = java.util.stream.IntStream.range(0, whole.length).boxed()
                .sorted((a, b) -> Integer.compare(whole[b], whole[a])).toArray(Integer[]::new);
        for (int c : widestFirst) {
            int more = rooms[c];
            int most = whole[c];
            while (chosen[c] && more < most) {
                int mid = (more + most + 1) / 2;
                int was = rooms[c];
                rooms[c] = mid;
                boolean fitsThen = used(wide, chosen, rooms) <= width;
                rooms[c] = was;
                if (fitsThen) {
                    more = mid;
                } else {
                    most = mid - 1;
                }
            }
            rooms[c] = more;
        }
        return rooms;
    }

    /** Each chosen column's room when no text may be wider than {@code limit} (nor narrower than {@value #MIN_CELL}). */
    private static int[] limited(int[] whole, boolean[] chosen, int limit) {
        int[] rooms = new int[whole.length];
        for (int c = 0; c < whole.length; c++) {
            rooms[c] = chosen[c] ? Math.min(whole[c], Math.max(limit, MIN_CELL)) : 0;
        }
        return rooms;
    }

    /** The terminal columns of a line of the chosen columns, each given its room, two spaces between them. */
    private static int used(int[][] wide, boolean[] chosen, int[] rooms) {
        int used = -2;
        for (int c = 0; c < rooms.length; c++) {
            used += chosen[c] ? 2 + columnWidth(wide[c], rooms[c]) : 0;
        }
        return used;
    }

    /**
     * The terminal columns a column takes when its texts are cut to {@code room} ({@link #cut}): {@code wide} holds its
     * name's and each cell's terminal columns, whole and with commit SHAs shortened, in pairs. A text wider than the
     * room takes the room, or less where its shortened commits leave it narrower.
     */
    private static int columnWidth(int[] wide, int room) {
        int w = 0;
        for (int i = 0; i < wide.length; i += 2) {
            w = Math.max(w, wide[i] <= room ? wide[i] : Math.min(room, wide[i + 1]));
        }
        return w;
    }

    /**
     * {@code s} in at most {@code room} terminal columns, whole when it fits. A longer text has each whole commit SHA
     * in it shortened to its first {@value CommitRange#SHORT_SHA} characters ({@link CommitRange#shortenedIn}: a range
     * {@code be437c7ba6ca..197a14e2ac08} keeps its {@code ..}), and if still too long keeps its start and its end
     * around an ellipsis ({@code …}, one column; a {@code ~} read as git's ancestor syntax after a SHA), as a chart's
     * legend shortens a name ({@link PlotlyText#middle}): rows that differ at their end
     * ({@code ... benchmark-set-v3 @ci}, {@code tests/test_speed.py::test_decode}) read alike with the end cut.
     */
    private static String cut(String s, int room) {
        if (DisplayWidth.of(s) <= room) {
            return s;
        }
        String shortened = CommitRange.shortenedIn(s);
        return room < 2 ? DisplayWidth.cut(shortened, room) : middle(shortened, room);
    }

    /**
     * Cuts each of one column's {@code cells} to {@code room} ({@link #cut}); cells that differ but would then read
     * alike (two datasets whose names differ only in the middle, which the cut drops) are cut again to show where they
     * differ ({@link #apart}), from where each first differs from the last of the others to part from it, else from
     * where it first parts from any. Cells that still read alike keep the plain cut: at a narrow room (under
     * {@value #MIN_APART} columns), or texts that differ in too many places to show in one.
     */
    private static void cutApart(String[] cells, int room) {
        String[] cut = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            cut[i] = cut(cells[i], room);
        }
        java.util.Map<String, java.util.Set<String>> alike = sourcesOf(cells, cut);
        if (room < MIN_APART || alike.values().stream().allMatch(o -> o.size() == 1)) {
            System.arraycopy(cut, 0, cells, 0, cells.length);
            return;
        }
        for (boolean latest : new boolean[] {true, false}) {
            String[] tried = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                java.util.Set<String> others = alike.get(cut[i]);
                tried[i] = others.size() > 1 ? apart(cells[i], others, room, latest) : cut[i];
            }
            if (sourcesOf(cells, tried).values().stream().allMatch(o -> o.size() == 1)) {
                System.arraycopy(tried, 0, cells, 0, cells.length);
                return;
            }
        }
        System.arraycopy(cut, 0, cells, 0, cells.length); // no better: as the plain cut reads them
    }

    /** Narrowest room at which {@link #cutApart} shows where texts differ: a start, two ellipses, a window and an end. */
    private static final int MIN_APART = 16;

    /** The distinct {@code cells} each of {@code printed} stands for, by printed text. */
    private static java.util.Map<String, java.util.Set<String>> sourcesOf(String[] cells, String[] printed) {
        java.util.Map<String, java.util.Set<String>> sources = new java.util.HashMap<>();
        for (int i = 0; i < cells.length; i++) {
            sources.computeIfAbsent(printed[i], k -> new java.util.HashSet<>()).add(cells[i]);
        }
        return sources;
    }

    /**
     * {@code s} within {@code room} columns (at least {@value #MIN_APART}) as its start (a quarter of the room), an
     * ellipsis, a window from two characters before the place where it differs from the others of {@code alike}, an
     * ellipsis and its end (a quarter), the end kept as {@link #middle} keeps one, so texts that differ at their end
     * stay apart: {@code model-a…e-alpha-2024…ll-v3 @ci}. The place is the latest of the first differences from each
     * other text ({@code latest}), or the earliest.
     */
    private static String apart(String s, java.util.Set<String> alike, int room, boolean latest) {
        String shortened = CommitRange.shortenedIn(s);
        if (DisplayWidth.of(shortened) <= room) {
            return shortened;
        }
        int differs = -1;
        for (String other : alike) {
            String o = CommitRange.shortenedIn(other);
            if (!o.equals(shortened)) {
                int same = 0;
                while (same < Math.min(o.length(), shortened.length()) && o.charAt(same) == shortened.charAt(same)) {
                    same++;
                }
                differs = differs < 0 ? same : latest ? Math.max(differs, same) : Math.min(differs, same);
            }
        }
        int ellipsis = DisplayWidth.of(ELLIPSIS);
        String head = DisplayWidth.cut(shortened, room / 4);
        String tail = endOf(shortened, room / 4);
        int tailStart = shortened.length() - tail.length();
        int from = Math.max(head.length(), Math.max(0, differs) - 2);
        if (from < shortened.length() && Character.isLowSurrogate(shortened.charAt(from))) {
            from--; // never half a character
        }
        int windowRoom = room - DisplayWidth.of(head) - DisplayWidth.of(tail) - 2 * ellipsis;
        String rest = shortened.substring(Math.min(from, tailStart), tailStart);
        String window = DisplayWidth.cut(rest, windowRoom);
        boolean joinsTail = window.length() == rest.length(); // the window reaches the end: no second ellipsis
        if (joinsTail) {
            window = DisplayWidth.cut(shortened.substring(Math.min(from, tailStart)), windowRoom + ellipsis + DisplayWidth.of(tail));
        }
        return head + (from > head.length() ? ELLIPSIS : "") + window + (joinsTail ? "" : ELLIPSIS + tail);
    }

    /** The longest end of {@code s} that takes at most {@code columns} columns, never splitting a character. */
    private static String endOf(String s, int columns) {
        int start = s.length();
        int used = 0;
        while (start > 0 && used + DisplayWidth.of(s.codePointBefore(start)) <= columns) {
            used += DisplayWidth.of(s.codePointBefore(start));
            start -= Character.charCount(s.codePointBefore(start));
        }
        return s.substring(start);
    }

    /**
     * {@code s} as {@link PlotlyText#middle} cuts it (its start, an ellipsis, its last third), except that neither side
     * keeps part of a number when it has more than that number: {@code #3 open, critical: … points}, not
     * {@code #3 open, critical:….3 points}, where the sign and the first digit were cut and -5.3 read as .3. A side that
     * is all one number (a long run id) keeps its digits: {@code 12345…34}.
     */
    private static String middle(String s, int room) {
        if (DisplayWidth.of(s) <= room) {
            return s; // whole once its SHAs are shortened
        }
        int left = room - DisplayWidth.of(ELLIPSIS);
        String kept = endOf(s, left / 3);
        int end = s.length() - kept.length();
        int tail = DisplayWidth.of(kept);
        int past = end;
        while (past < s.length() && withinNumber(s, past)) {
            past++;
        }
        if (past < s.length()) { // else the tail is all one number: keep it
            tail -= DisplayWidth.of(s.substring(end, past));
            end = past;
        }
        int start = 0;
        int head = 0;
        while (start < end && head + DisplayWidth.of(s.codePointAt(start)) <= left - tail) {
            head += DisplayWidth.of(s.codePointAt(start));
            start += Character.charCount(s.codePointAt(start));
        }
        int before = start;
        while (before > 0 && before < end && withinNumber(s, before)) {
            before--;
        }
        if (before > 0) { // else the head is all one number: keep it
            start = before;
        }
        return s.substring(0, start) + ELLIPSIS + s.substring(end);
    }

    /**
     * Whether a cut before {@code s.charAt(i)} ({@code i > 0}) falls within a number ({@code -5.3}, {@code 1,300}): the
     * number goes on after it (a digit, or a point or comma before a digit) and had begun before it (a digit, a point or
     * comma, or a sign: a {@code -} or {@code +} after no letter or digit, so the {@code 70} of {@code llama-3-70b} is a
     * number of its own).
     */
    private static boolean withinNumber(String s, int i) {
        char at = s.charAt(i);
        char before = s.charAt(i - 1);
        boolean goesOn = Character.isDigit(at)
                || (at == '.' || at == ',') && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1));
        boolean began = Character.isDigit(before) || before == '.' || before == ','
                || (before == '-' || before == '+') && (i < 2 || !Character.isLetterOrDigit(s.charAt(i - 2)));
        return goesOn && began;
    }

    /** {@code s} in {@code width} terminal columns (wide characters take two: {@link DisplayWidth}). */
    private static String pad(String s, int width, boolean right) {
        String t = DisplayWidth.cut(s, width);
        String fill = " ".repeat(width - DisplayWidth.of(t));
        return right ? fill + t : t + fill;
    }
}
