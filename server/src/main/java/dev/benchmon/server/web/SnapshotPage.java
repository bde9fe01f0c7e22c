package dev.benchmon.server.web;

import dev.benchmon.detect.RegressionDetector;
import dev.benchmon.detect.Verdict;
import dev.benchmon.query.Summary;

import java.util.ArrayList;
import java.util.List;

/** Current Snapshot: KPI cards and the latest result of every series, coloured against its baseline. */
final class SnapshotPage {
    /** A KPI card; {@code href} is where its value links ({@code ""} for nowhere). */
    record Kpi(String label, String value, String detail, String css, String href) {
        Kpi(String label, String value, String detail, String css) {
            this(label, value, detail, css, "");
        }
    }

    /** A sortable column header; {@code title} its tooltip, or empty. */
    record HeaderView(String label, String href, String sort, String css, String direction, boolean metric, String title) {
    }

    private SnapshotPage() {
    }

    /** The table as shown for this view (filters and sort), for the page and the CSV download. */
    static SnapshotTable table(View v, List<Verdict> verdicts) {
        SnapshotTable t = SnapshotTable.of(v.benchmon.latestResults(v.selection.filter()), verdicts, v.directions(),
                v.links);
        String sort = v.url().first("sort");
        return sort == null ? t : t.sortedBy(sort, "desc".equalsIgnoreCase(v.url().first("order")));
    }

    /**
     * The {@code page} parameter (from 1); anything else is named in the page's notice (status 400, as QUICKREF
     * promises for a value not understood) and the first page shown. A number past the last page is understood.
     */
    private static int pageNumber(View v) {
        String p = v.url().first("page");
        if (p == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(p.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        v.notUnderstood("page", "page: must be a page number from 1, got '" + p + "'; showing the first page");
        return 1;
    }

    /** {@code sort} and {@code order} not understood, named in the page's notice; the rows keep their order. */
    private static void checkSort(View v, SnapshotTable table, String sort) {
        if (sort != null && !table.sorts(sort)) {
            v.notUnderstood("sort", "sort: unknown column '" + sort + "' (known: " + String.join(", ", SnapshotTable.FIXED_SORTS.keySet())
                    + ", or m: and a metric's column label)");
        }
        String order = v.url().first("order");
        if (order != null && !order.equalsIgnoreCase("asc") && !order.equalsIgnoreCase("desc")) {
            v.notUnderstood("order", "order: must be asc or desc, got '" + order + "'");
        }
    }

    /** The label of the card counting the engine's regressions (the Regression Detection tab's table). */
    static final String REGRESSIONS_CARD = "Regressions (latest verdicts)";

    /**
     * What the regressions card counts, in words: {@code 3 metrics in 2 series whose latest run is beyond 4 noise sd
     * (default); open alerts are counted on the Alerts tab}. The metrics of each series' latest run (the Regression
     * Detection tab's rows) and the series they are in: a bare 7 read as seven series when it was one series' seven
     * metrics. Not alert states, which triage changes and this does not.
     */
    static String regressionsDetail(int metrics, long series, String settings) {
        String counted = metrics == 0 ? "no series' latest run is"
                : metrics + (metrics == 1 ? " metric" : " metrics") + " in " + series + " series whose latest run is";
        return counted + " beyond " + settings + "; open alerts are counted on the Alerts tab";
    }

    static List<Verdict> verdicts(View v) {
        return v.benchmon.regressions(v.selection.filter(), v.settings.options());
    }

    static void fill(View v) {
        List<Verdict> verdicts = verdicts(v);
        Summary s = v.benchmon.summary(v.selection.filter());
        List<Verdict> regressions = RegressionDetector.regressions(verdicts);
        int open = regressions.size();
        // The card counts metrics (the Regression Detection tab's rows): say in how many series, so that 7 does not read
        // as 7 series when it is one series' 7 metrics.
        long inSeries = regressions.stream().map(Verdict::series).distinct().count();
        v.model.put("kpis", List.of(
                new Kpi("Series tracked", String.valueOf(s.series()), "model · dataset · prompt · env, all time", ""),
                new Kpi("Runs in window", String.valueOf(s.runs()), v.selection.rangeLabel(), ""),
                new Kpi("Models", String.valueOf(s.models()), "in the table: latest run in the window", ""),
                // Not "Open": that word is an alert's state on the Alerts tab, which triage changes; this counts the
                // engine's verdicts on each series' latest run, which triage does not.
                new Kpi(REGRESSIONS_CARD, String.valueOf(open), regressionsDetail(open, inSeries, v.settings.label()),
                        open > 0 ? "alert" : "ok", v.url().without("sort", "order", "page").href("/regressions")),
                new Kpi("Last ingest", Formats.ago(s.lastIngest(), v.now),
                        s.lastIngest() == null ? "nothing recorded yet" : Formats.minutes(s.lastIngest()) + " UTC", "")));
        String sort = v.url().first("sort");
        SnapshotTable table = table(v, verdicts);
        checkSort(v, table, sort);
        int asked = pageNumber(v);
        sort = v.url().first("sort"); // the page's links are made from here on, without a value not understood
        SnapshotTable.Page page = table.page(asked, v.selection.metric(), sort);
        if (asked > page.number()) {
            // Not a 400: a bookmarked or refreshing URL goes past the end when the data shrinks, and is still valid.
            v.pageNotes.add("page: " + asked + " is past the last page (" + page.number() + "); showing the last page");
        }
        String focusKey = v.selection.metric() == null ? null : table.metricKey(v.selection.metric());
        boolean desc = "desc".equalsIgnoreCase(v.url().first("order"));
        List<HeaderView> headers = new ArrayList<>();
        for (SnapshotTable.Header h : page.headers()) {
            boolean active = h.key().equals(sort);
            // First click sorts metrics best-first, text A to Z; a second click reverses (from the first page).
            boolean nextDesc = active ? !desc : h.metric() && h.direction().equals("higher");
            String href = v.url().without("page").with("sort", h.key()).with("order", nextDesc ? "desc" : "asc").href("/");
            String css = (h.metric() ? "num" : "") + (h.key().equals(focusKey) ? " focus" : "");
            headers.add(new HeaderView(h.label(), href, active ? (desc ? "descending" : "ascending") : "none",
                    css.trim(), h.direction(), h.metric(), h.title()));
        }
        v.model.put("headers", headers);
        v.model.put("rows", page.rows());
        v.model.put("page", page);
        v.model.put("previousHref", page.hasPrevious() ? v.url().with("page", String.valueOf(page.number() - 1)).href("/") : "");
        v.model.put("nextHref", page.hasNext() ? v.url().with("page", String.valueOf(page.number() + 1)).href("/") : "");
        v.model.put("csvHref", v.url().href("/snapshot.csv"));
    }
}
