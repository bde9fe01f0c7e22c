package dev.benchmon.server.web;

import dev.benchmon.detect.Verdict;
import dev.benchmon.query.MetricColumns;
import dev.benchmon.query.SnapshotRow;
import dev.benchmon.server.api.FormulaGuard;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The latest result of every series as the snapshot tab shows it: cell text, colour class and
 * tooltip per cell, sorted as asked, shown a {@link #page page} at a time. The CSV download is written
 * from the same rows and cells (every row and every metric), so it holds what the pages show, commits as their full SHA
 * and the last run's time as an ISO-8601 instant.
 *
 * <p>Rows hold only the metrics their series report ({@link SnapshotRow}) and cells are built for the rows
 * shown: a project with 5,000 series and 1,000 metric names made a table of five million cells that ran
 * the server out of memory.
 */
final class SnapshotTable {
    /** Series shown per page. */
    static final int PAGE_ROWS = 200;
    /** Metric columns shown at most on a page: the ones most of its rows report (the focus metric always). */
    static final int MAX_METRIC_COLUMNS = 50;

    /** Snapshot columns that are not metrics (a metric named like one gets a prefixed label, see MetricColumns). */
    private static final List<String> FIXED = List.of("model_version", "dataset_version", "prompt_version", "environment",
            "model_provider", "run_at", "run_count", "first_seen", "last_seen", "transaction_id", "commit_sha", "branch",
            "run_id");

    /** Relative changes smaller than this are noise: shown neutral. */
    static final double NOISE = 0.005;

    /**
     * A header: its sort key, label, (for metrics) direction ("higher" or "lower" is better), and tooltip ("" for none):
     * one place defines a column's label and its title. A title is given where the label alone misleads: "Runs" sits in
     * a page whose cards count the runs of the time range, but counts every run of the series; "Run" beside it is a CI
     * run, not a count.
     */
    record Header(String key, String label, boolean metric, String direction, String title) {
        /** A header without a tooltip. */
        Header(String key, String label, boolean metric, String direction) {
            this(key, label, metric, direction, "");
        }
    }

    /**
     * One cell: the text shown, its CSS class (better, worse, regressed or none), tooltip, where the text
     * links ({@code null} for plain text), and what the CSV holds: the text, or the whole value where the page
     * shortens it (a commit's full SHA, which the page shows in the link's tooltip; a time to the millisecond; a metric's
     * value unrounded).
     */
    record Cell(String text, String css, String title, boolean numeric, LinkCells.Link link, String csv) {
        Cell(String text, String css, String title, boolean numeric) {
            this(text, css, title, numeric, null, text);
        }

        static Cell text(String text) {
            return new Cell(text == null ? "" : text, "", "", false);
        }

        static Cell linked(LinkCells.Link link, String css) {
            return new Cell(link.text(), css, "", false, link, link.text());
        }

        /** A commit: its first characters shown, the full SHA in the tooltip and the CSV. */
        static Cell commit(LinkCells links, String sha) {
            LinkCells.Link link = links.commit(sha);
            return new Cell(link.text(), "mono", "", false, link, sha == null ? "" : sha);
        }

        /**
         * A run by its time: to the minute on the page, linking to the run page; in the CSV the ISO-8601 instant as
         * the API's CSV writes it ({@code 2026-01-05T14:03:22.125Z}), which a spreadsheet or script reads exactly.
         */
        static Cell run(LinkCells links, long transactionId, Instant at) {
            LinkCells.Link link = links.run(transactionId, Formats.minutes(at));
            return new Cell(link.text(), "", "", false, link, at == null ? "" : at.toString());
        }
    }

    /** A row of cells. */
    record Row(List<Cell> cells) {
    }

    /**
     * The rows of one page with their headers.
     *
     * @param from          the first row shown, counting from 1 (0 when there are none)
     * @param to            the last row shown
     * @param total         rows in all pages
     * @param metricsHidden metrics the page's rows report that are not shown as columns
     */
    record Page(List<Header> headers, List<Row> rows, int number, int from, int to, int total, int metricsHidden) {
        boolean hasPrevious() {
            return number > 1;
        }

        boolean hasNext() {
            return to < total;
        }
    }

    private final List<SnapshotRow> rows;
    /** Metric name to column label, in column order. */
    private final Map<String, String> labels;
    private final Map<String, Verdict> verdicts;
    private final Map<String, String> directions;
    private final LinkCells links;

    private SnapshotTable(List<SnapshotRow> rows, Map<String, String> labels, Map<String, Verdict> verdicts,
                          Map<String, String> directions, LinkCells links) {
        this.rows = rows;
        this.labels = labels;
        this.verdicts = verdicts;
        this.directions = directions;
        this.links = links;
    }

    /**
     * Builds the table from {@code latestResults(...)} and the regression checks of the same
     * series ({@code regressions(...)}, every metric, not only regressions).
     */
    static SnapshotTable of(List<SnapshotRow> snapshots, List<Verdict> verdicts, Map<String, String> directions, LinkCells links) {
        TreeSet<String> names = new TreeSet<>();
        snapshots.forEach(r -> names.addAll(r.metrics().keySet()));
        List<String> metrics = new ArrayList<>(names);
        List<String> columnNames = MetricColumns.asStoredColumnNames(metrics, FIXED);
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < metrics.size(); i++) {
            labels.put(metrics.get(i), columnNames.get(i));
        }
        Map<String, Verdict> byKey = new HashMap<>();
        for (Verdict v : verdicts) {
            byKey.put(key(v.modelVersion(), v.datasetVersion(), v.promptVersion(), v.environment(), v.metric()), v);
        }
        return new SnapshotTable(snapshots, labels, byKey, directions, links);
    }

    /** The rows sorted by the header with {@code key} (unknown keys keep the query's order). */
    SnapshotTable sortedBy(String key, boolean descending) {
        Function<SnapshotRow, Comparable<?>> value = sortValue(key);
        if (value == null) {
            return this;
        }
        List<SnapshotRow> sorted = new ArrayList<>(rows);
        // Stable: ties keep model/dataset order.
        sorted.sort((a, b) -> compareNullsLast(value.apply(a), value.apply(b), descending));
        return new SnapshotTable(sorted, labels, verdicts, directions, links);
    }

    /** The sort keys of the fixed columns, in the table's order, and the value each sorts by: one list for sorting and its error. */
    static final Map<String, Function<SnapshotRow, Comparable<?>>> FIXED_SORTS = fixedSorts();

    private static Map<String, Function<SnapshotRow, Comparable<?>>> fixedSorts() {
        Map<String, Function<SnapshotRow, Comparable<?>>> m = new LinkedHashMap<>();
        m.put("model", r -> lower(r.modelVersion()));
        m.put("dataset", r -> lower(r.datasetVersion()));
        m.put("prompt", r -> lower(r.promptVersion()));
        m.put("environment", r -> lower(r.environment()));
        m.put("run_at", SnapshotRow::runAt);
        m.put("runs", SnapshotRow::runCount);
        m.put("commit", r -> lower(r.commitSha()));
        m.put("run", r -> lower(r.runId()));
        return Collections.unmodifiableMap(m);
    }

    private Function<SnapshotRow, Comparable<?>> sortValue(String key) {
        Function<SnapshotRow, Comparable<?>> fixed = FIXED_SORTS.get(key);
        if (fixed != null) {
            return fixed;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (key.equals("m:" + e.getValue())) {
                String metric = e.getKey();
                return r -> r.metrics().get(metric);
            }
        }
        return null;
    }

    /** Whether {@link #sortedBy} knows {@code key}: a fixed column's ({@code model}, {@code run_at}, ...) or a metric's. */
    boolean sorts(String key) {
        return sortValue(key) != null;
    }

    /** The header key of {@code metric}'s column ({@code m:} and its label). */
    String metricKey(String metric) {
        return "m:" + labels.getOrDefault(metric, metric);
    }

    /**
     * Page {@code number} (from 1; past the last, the last) of {@value #PAGE_ROWS} rows, with a column for each
     * metric its rows report, at most {@value #MAX_METRIC_COLUMNS}: {@code focus}, the metric the rows are sorted
     * by ({@code sortKey}, a header key), then those most rows report.
     */
    Page page(int number, String focus, String sortKey) {
        int pages = Math.max(1, (rows.size() + PAGE_ROWS - 1) / PAGE_ROWS);
        int n = Math.min(Math.max(1, number), pages);
        List<SnapshotRow> shown = rows.subList(Math.min(rows.size(), (n - 1) * PAGE_ROWS), Math.min(rows.size(), n * PAGE_ROWS));
        Map<String, Integer> reported = new HashMap<>();
        shown.forEach(r -> r.metrics().keySet().forEach(m -> reported.merge(m, 1, Integer::sum)));
        Set<String> chosen = new HashSet<>();
        for (String m : labels.keySet()) {
            if (reported.containsKey(m) && (m.equals(focus) || metricKey(m).equals(sortKey))) {
                chosen.add(m);
            }
        }
        List<String> byCount = reported.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
        for (int i = 0; i < byCount.size() && chosen.size() < MAX_METRIC_COLUMNS; i++) {
            chosen.add(byCount.get(i));
        }
        List<String> metrics = labels.keySet().stream().filter(chosen::contains).toList();
        List<Row> out = new ArrayList<>(shown.size());
        shown.forEach(r -> out.add(new Row(cells(r, metrics))));
        int from = shown.isEmpty() ? 0 : (n - 1) * PAGE_ROWS + 1;
        return new Page(headers(metrics), out, n, from, from + shown.size() - (shown.isEmpty() ? 0 : 1), rows.size(),
                reported.size() - metrics.size());
    }

    private List<Header> headers(List<String> metrics) {
        List<Header> headers = new ArrayList<>(List.of(
                new Header("model", "Model", false, ""), new Header("dataset", "Dataset", false, ""),
                new Header("prompt", "Prompt", false, ""), new Header("environment", "Environment", false, "")));
        for (String m : metrics) {
            String label = labels.get(m);
            headers.add(new Header("m:" + label, label, true, arrow(directions.get(m))));
        }
        headers.addAll(List.of(new Header("run_at", "Last run (UTC)", false, ""),
                new Header("runs", "Runs", false, "", "All runs of the series, not only those in the time range"),
                new Header("commit", "Commit", false, ""),
                new Header("run", "Run", false, "", "The CI run (run_id) of the series' last result")));
        return headers;
    }

    private List<Cell> cells(SnapshotRow r, List<String> metrics) {
        String prompt = r.promptVersion();
        String label = dev.benchmon.SeriesLabel.of(r.modelVersion(), r.datasetVersion(), prompt, r.environment());
        LinkCells.Link seriesLink = links.series(label);
        // The model cell names the row's series: it links to the series page.
        List<Cell> cells = new ArrayList<>(metrics.size() + 8);
        cells.addAll(List.of(Cell.linked(new LinkCells.Link(r.modelVersion(), seriesLink.href(),
                seriesLink.href().isEmpty() ? "" : label + ": series page"), ""), Cell.text(r.datasetVersion()), Cell.text(prompt),
                Cell.text(r.environment())));
        for (String m : metrics) {
            Double value = r.metrics().get(m);
            cells.add(metricCell(value == null ? Double.NaN : value,
                    verdicts.get(key(r.modelVersion(), r.datasetVersion(), prompt, r.environment(), m))));
        }
        cells.add(Cell.run(links, r.transactionId(), r.runAt()));
        cells.add(new Cell(String.valueOf(r.runCount()), "", "", true));
        cells.add(Cell.commit(links, r.commitSha()));
        cells.add(Cell.linked(links.ciRun(r.runId()), ""));
        return cells;
    }

    private static Cell metricCell(double value, Verdict v) {
        String text = Formats.number(value);
        // The page rounds to six significant digits; the CSV holds the value as the API's CSV writes it (the shortest
        // text that reads back as the same double), so a download is the stored number, not the page's rounding.
        String csv = Double.isNaN(value) ? "" : com.fasterxml.jackson.core.io.NumberOutput.toString(value, true);
        if (v == null || Double.isNaN(value) || v.baselineRuns() == 0) {
            return new Cell(text, "", v == null ? "" : "no earlier runs to compare with", true, null, csv);
        }
        Double rel = v.relativeChange();
        String arrow = arrow(v.direction());
        double change = rel != null ? rel : Math.signum(v.delta());
        String css;
        if (v.regression()) {
            css = "regressed";
        } else if (Math.abs(change) < NOISE) {
            css = "same";
        } else if (!arrow.equals("higher") && !arrow.equals("lower")) {
            css = "changed"; // neither better nor worse: none, or nobody said which way this metric should go
        } else {
            css = (change > 0) == arrow.equals("higher") ? "better" : "worse";
        }
        String title = "baseline " + Formats.number(v.baseline()) + " (" + v.baselineRuns()
                + (v.baselineRuns() == 1 ? " run" : " runs") + "), change " + Formats.percent(rel)
                + (v.regression() ? ", " + v.severity() + " regression" : "");
        return new Cell(text, css, title, true, null, csv);
    }

    /**
     * A column's arrow: higher or lower is better; none (declared: tracked, never judged); or unknown (neither declared
     * nor in the dictionary, or none given).
     */
    private static String arrow(String direction) {
        return direction == null ? "unknown" : direction.startsWith("lower") ? "lower"
                : direction.startsWith("higher") ? "higher" : direction.equals("none") ? "none" : "unknown";
    }

    /** Missing values go last whichever the order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareNullsLast(Comparable<?> a, Comparable<?> b, boolean descending) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        int c = ((Comparable) a).compareTo(b);
        return descending ? -c : c;
    }

    /**
     * The table as CSV (RFC 4180): every row and every metric, the header labels and the cells' text as shown,
     * except whole commit SHAs, ISO-8601 times and unrounded metric values ({@link Cell#csv}), row by row.
     */
    void csv(Writer out) throws IOException {
        List<String> metrics = List.copyOf(labels.keySet());
        out.write(String.join(",", headers(metrics).stream().map(h -> csvField(h.label(), false)).toList()));
        out.write("\r\n");
        for (SnapshotRow r : rows) {
            out.write(String.join(",", cells(r, metrics).stream().map(c -> csvField(c.csv(), c.numeric())).toList()));
            out.write("\r\n");
        }
    }

    private static String csvField(String s, boolean numeric) {
        // Text a spreadsheet would run as a formula gets a ' guard; numbers (-0.5) must stay numbers.
        String v = numeric ? s : FormulaGuard.guard(s);
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") || !v.equals(s)) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static String key(String model, String dataset, String prompt, String env, String metric) {
        return model + '\u0000' + dataset + '\u0000' + prompt + '\u0000' + env + '\u0000' + metric;
    }
}
