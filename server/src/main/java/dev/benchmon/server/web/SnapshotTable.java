package dev.benchmon.server.web;

import dev.benchmon.detect.Verdict;
import dev.benchmon.server.api.TableResponses;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The latest result of every series as the snapshot tab shows it: cell text, colour class and
 * tooltip per cell, sorted as asked. The CSV download is written from the same rows, so it holds
 * exactly what the table shows.
 */
final class SnapshotTable {
    /** Snapshot columns that are not metrics. */
    private static final Set<String> FIXED = Set.of("model_version", "dataset_version", "prompt_version", "environment",
            "model_provider", "run_at", "run_count", "first_seen", "last_seen", "transaction_id", "commit_sha", "branch",
            "run_id");

    /** Relative changes smaller than this are noise: shown neutral. */
    static final double NOISE = 0.005;

    /** A header: its sort key, label and (for metrics) direction ("higher" or "lower" is better). */
    record Header(String key, String label, boolean metric, String direction) {
    }

    /**
     * One cell: the text shown, its CSS class (better, worse, regressed or none), tooltip, and where the text
     * links ({@code null} for plain text; the CSV holds the text only).
     */
    record Cell(String text, String css, String title, boolean numeric, LinkCells.Link link) {
        Cell(String text, String css, String title, boolean numeric) {
            this(text, css, title, numeric, null);
        }

        static Cell text(String text) {
            return new Cell(text == null ? "" : text, "", "", false);
        }

        static Cell linked(LinkCells.Link link, String css) {
            return new Cell(link.text(), css, "", false, link);
        }
    }

    /** A row of cells and the values it sorts by. */
    record Row(List<Cell> cells, List<Comparable<?>> sortValues) {
    }

    private final List<Header> headers;
    private final List<Row> rows;

    private SnapshotTable(List<Header> headers, List<Row> rows) {
        this.headers = headers;
        this.rows = rows;
    }

    /**
     * Builds the table from {@code latestSnapshots(...)} and the regression checks of the same
     * series ({@code regressions(...)}, every metric, not only regressions).
     */
    static SnapshotTable of(Table snapshots, List<Verdict> verdicts, Map<String, String> directions, LinkCells links) {
        List<String> metrics = new ArrayList<>();
        for (Column<?> c : snapshots.columns()) {
            if (!FIXED.contains(c.name()) && c.type() == ColumnType.DOUBLE) {
                metrics.add(c.name());
            }
        }
        List<Header> headers = new ArrayList<>(List.of(
                new Header("model", "Model", false, ""), new Header("dataset", "Dataset", false, ""),
                new Header("prompt", "Prompt", false, ""), new Header("environment", "Environment", false, "")));
        for (String m : metrics) {
            headers.add(new Header("m:" + m, m, true, directions.getOrDefault(m, "higher_is_better")
                    .startsWith("lower") ? "lower" : "higher"));
        }
        headers.addAll(List.of(new Header("run_at", "Last run (UTC)", false, ""), new Header("runs", "Runs", false, ""),
                new Header("commit", "Commit", false, ""), new Header("run", "Run", false, "")));

        Map<String, Verdict> byKey = new HashMap<>();
        for (Verdict v : verdicts) {
            byKey.put(key(v.modelVersion(), v.datasetVersion(), v.promptVersion(), v.environment(), v.metric()), v);
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < snapshots.rowCount(); r++) {
            String model = snapshots.stringColumn("model_version").get(r);
            String dataset = snapshots.stringColumn("dataset_version").get(r);
            String prompt = snapshots.stringColumn("prompt_version").get(r);
            String env = snapshots.stringColumn("environment").get(r);
            String label = model + " / " + dataset + (prompt.isEmpty() ? "" : " / " + prompt) + " @" + env;
            LinkCells.Link seriesLink = links.series(label);
            // The model cell names the row's series: it links to the series page.
            List<Cell> cells = new ArrayList<>(List.of(Cell.linked(new LinkCells.Link(model, seriesLink.href(),
                    seriesLink.href().isEmpty() ? "" : label + ": series page"), ""), Cell.text(dataset), Cell.text(prompt),
                    Cell.text(env)));
            List<Comparable<?>> sort = new ArrayList<>(List.of(lower(model), lower(dataset), lower(prompt), lower(env)));
            for (String m : metrics) {
                double value = snapshots.doubleColumn(m).getDouble(r);
                cells.add(metricCell(value, byKey.get(key(model, dataset, prompt, env, m))));
                sort.add(Double.isNaN(value) ? null : value);
            }
            String sha = snapshots.stringColumn("commit_sha").get(r);
            String runId = snapshots.stringColumn("run_id").get(r);
            var runAt = snapshots.instantColumn("run_at").get(r);
            long runCount = snapshots.longColumn("run_count").get(r);
            long tx = snapshots.longColumn("transaction_id").get(r);
            cells.add(Cell.linked(links.run(tx, Formats.minutes(runAt)), ""));
            cells.add(new Cell(String.valueOf(runCount), "", "", true));
            cells.add(Cell.linked(links.commit(sha), "mono"));
            cells.add(Cell.linked(links.ciRun(runId), ""));
            sort.addAll(List.of(runAt, runCount, lower(sha), lower(runId)));
            rows.add(new Row(List.copyOf(cells), sort));
        }
        return new SnapshotTable(List.copyOf(headers), rows);
    }

    private static Cell metricCell(double value, Verdict v) {
        String text = Formats.number(value);
        if (v == null || Double.isNaN(value) || v.baselineRuns() == 0) {
            return new Cell(text, "", v == null ? "" : "no earlier runs to compare with", true);
        }
        Double rel = v.relativeChange();
        boolean higherBetter = !v.direction().startsWith("lower");
        double change = rel != null ? rel : Math.signum(v.delta());
        String css;
        if (v.regression()) {
            css = "regressed";
        } else if (Math.abs(change) < NOISE) {
            css = "same";
        } else {
            css = (change > 0) == higherBetter ? "better" : "worse";
        }
        String title = "baseline " + Formats.number(v.baseline()) + " (" + v.baselineRuns()
                + (v.baselineRuns() == 1 ? " run" : " runs") + "), change " + Formats.percent(rel)
                + (v.regression() ? ", " + v.severity() + " regression" : "");
        return new Cell(text, css, title, true);
    }

    /** The rows sorted by the header with {@code key} (unknown keys keep the query's order). */
    SnapshotTable sortedBy(String key, boolean descending) {
        int index = -1;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).key().equals(key)) {
                index = i;
            }
        }
        if (index < 0) {
            return this;
        }
        final int col = index;
        Comparator<Row> byValue = (a, b) -> compareNullsLast(a.sortValues().get(col), b.sortValues().get(col), descending);
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(byValue); // stable: ties keep model/dataset order
        return new SnapshotTable(headers, sorted);
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

    List<Header> headers() {
        return headers;
    }

    List<Row> rows() {
        return rows;
    }

    /** The table as CSV (RFC 4180): the header labels and the cell text, row by row. */
    String csv() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", headers.stream().map(h -> csvField(h.label(), false)).toList())).append("\r\n");
        for (Row r : rows) {
            sb.append(String.join(",", r.cells().stream().map(c -> csvField(c.text(), c.numeric())).toList()))
                    .append("\r\n");
        }
        return sb.toString();
    }

    private static String csvField(String s, boolean numeric) {
        // Text a spreadsheet would run as a formula gets a ' guard; numbers (-0.5) must stay numbers.
        String v = numeric ? s : TableResponses.formulaSafe(s);
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
