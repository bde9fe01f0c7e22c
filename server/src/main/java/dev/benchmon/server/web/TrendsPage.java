package dev.benchmon.server.web;

import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.chart.ChartHtml;
import dev.benchmon.chart.Charts;
import dev.benchmon.chart.TrendLines;
import dev.benchmon.query.NameSearch;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Performance Trends: the focus metric per series (model, dataset, prompt, environment) over time, and every metric of one model. */
final class TrendsPage {
    /** A small chart of one metric. */
    record SmallChart(String metric, String html) {
    }

    private static final int SMALL_HEIGHT = 280;
    /** Models read at most when none are chosen (the query's bound; the lines drawn are bound by {@link #MAX_CHARTED_LINES}). */
    static final int MAX_CHARTED_MODELS = 12;
    /**
     * Lines (series: model, dataset, prompt, environment) drawn at most in the main chart, chosen models or not:
     * 12 models on 50 lm-eval tasks are 600 lines, which nobody reads apart.
     */
    static final int MAX_CHARTED_LINES = 24;
    /**
     * Lines drawn at most in each small chart: a model on 15 series made six small charts of 15 lines each, 1.5 MB of
     * page and 430 ms of server time at 1M results; the main chart above shows every series of the chosen metric.
     */
    static final int MAX_SMALL_LINES = 8;
    /**
     * Small charts at most on one page. A W&amp;B run reports hundreds of metrics; each chart costs about a
     * millisecond to render (tablesaw-jsplot parses its templates again for every chart) and a plot in the browser,
     * and 200 of them made the page take 250-390 ms.
     */
    static final int MAX_SMALL_CHARTS = 24;

    private TrendsPage() {
    }

    static void fill(View v) {
        String metric = v.selection.metric();
        if (metric == null) {
            return;
        }
        Bucket bucket = v.selection.bucket(v.now);
        String per = bucket.sqlUnit();
        Filter filter = v.selection.filter();
        Filter charted = filter;
        NameSearch.NewestModels newest = null;
        if (v.selection.models().isEmpty() && v.choices.models().size() > MAX_CHARTED_MODELS) {
            // One line per model stops being readable (and a page of 5,000 lines stops being small): the models
            // with the newest results of this metric in the view, the rest one choice away in the filter bar.
            newest = v.benchmon.names().newestModels(filter, metric, MAX_CHARTED_MODELS);
            charted = newest.models().isEmpty() ? null : filter.withModels(newest.models());
        }
        TrendLines lines = TrendLines.newest(charted == null ? Table.create("trend")
                : v.benchmon.timeSeries(charted, metric, bucket), MAX_CHARTED_LINES);
        Table trend = lines.trend();
        v.model.put("chartedNote", chartedNote(metric, lines, newest));
        v.model.put("charts", true);
        v.model.put("bucket", per);
        v.model.put("hasTrend", trend.rowCount() > 0);

        List<String> models = v.selection.models().isEmpty() ? v.choices.models() : v.selection.models();
        String focus = v.url.first("focus");
        if (focus == null || !models.contains(focus)) {
            // Unless models are chosen, a model the main chart draws: the first model of the database may have no
            // results in this view (another environment, an older range).
            focus = v.selection.models().isEmpty() && trend.rowCount() > 0 ? trend.stringColumn("model_version").get(0)
                    : models.isEmpty() ? null : models.get(0);
        }
        v.model.put("focus", focus == null ? "" : focus);
        // At most OfferedNames.LISTED models in the select (5,000 models must not make every page huge).
        v.model.put("focusOptions", View.options(OfferedNames.of(models, focus == null ? List.of() : List.of(focus)),
                focus == null ? List.of() : List.of(focus)));
        v.model.put("focusHidden", v.url.pairsExcept(Set.of("focus")).stream()
                .map(e -> new View.Hidden(e.getKey(), e.getValue())).toList());
        List<SmallChart> small = new ArrayList<>();
        String smallNote = "";
        Filter one = focus == null ? null : filter.withModels(focus);
        // Only the metrics the focus model reported in the view's range (a metric it stopped reporting included: its
        // history is still in the range), their values and their marks each read in one query.
        List<String> reported = one == null ? List.of() : v.benchmon.names().metricsOf(one);
        List<String> metrics = smallChartMetrics(reported, metric);
        // The units of the metrics drawn on this page, and only those: one statement, whatever the database holds.
        Set<String> drawn = new LinkedHashSet<>(metrics);
        drawn.add(metric);
        Table definitions = v.benchmon.metricDefinitions(drawn);
        v.model.put("trendChart", trend.rowCount() == 0 ? ""
                : ChartHtml.fragment(Charts.trend(trend, metric + " per " + per + (lines.shown() <= Charts.MAX_BANDED_LINES ? ": mean with min–max band" : ": mean"),
                        Charts.DEFAULT_HEIGHT, v.benchmon.chartMarks(charted, metric), definitions), "trend_main"));
        if (one != null) {
            int i = 0;
            if (metrics.size() < reported.size()) {
                smallNote = "Showing " + metrics.size() + " of the " + reported.size() + " metrics " + focus
                        + " reported in this range (the chosen metric and the first others by name); choose a metric above"
                        + " to chart another.";
            }
            var marks = v.benchmon.chartMarks(one, metrics);
            int mostLines = 0;
            boolean capped = false;
            for (var e : v.benchmon.timeSeries(one, metrics, bucket).entrySet()) {
                String m = e.getKey();
                TrendLines t = TrendLines.newest(e.getValue(), MAX_SMALL_LINES);
                i++;
                mostLines = Math.max(mostLines, t.total());
                capped |= t.capped();
                if (t.shown() > 0) {
                    small.add(new SmallChart(m, ChartHtml.fragment(Charts.trend(t.trend(), m, SMALL_HEIGHT, marks.get(m),
                            definitions), "trend_small_" + i)));
                }
            }
            if (capped) {
                smallNote = (smallNote.isEmpty() ? "" : smallNote + " ") + "Each small chart draws at most " + MAX_SMALL_LINES
                        + " of the " + mostLines + " series of " + focus + " (those with the newest results); narrow by"
                        + " dataset or environment in the filter bar to see the others.";
            }
        }
        v.model.put("smallCharts", small);
        v.model.put("smallNote", smallNote);
        v.model.put("bucketNote", "Each point is the " + per.toLowerCase(Locale.ROOT)
                + "'s mean; in a chart of up to " + Charts.MAX_BANDED_LINES + " lines a shaded band spans its min and max"
                + " (hover a point for them). Marks (hover for details): excluded runs, notes and"
                + " annotations, expected changes, and the change points the detector found.");
    }

    /** What the main chart leaves out, in lines, and how to chart the rest; empty when it draws every line. */
    static String chartedNote(String metric, TrendLines lines, NameSearch.NewestModels newest) {
        boolean fewerModels = newest != null && newest.total() > newest.models().size();
        if (!lines.capped() && !fewerModels) {
            return "";
        }
        String ofModels = fewerModels ? "the " + newest.models().size() + " models with the newest " + metric
                + " results (of " + newest.total() + " in this view)" : null;
        if (!lines.capped()) {
            return "Showing the " + lines.shown() + " lines of " + ofModels
                    + "; choose models in the filter bar to chart others.";
        }
        return "Showing " + lines.shown() + " of " + lines.total() + " lines" + (ofModels == null ? "" : " of " + ofModels)
                + ", those with the newest " + metric + " results; narrow by dataset or environment"
                + (fewerModels ? ", or choose models," : "") + " in the filter bar to chart others.";
    }

    /** The metrics of the small charts: all of them up to {@value #MAX_SMALL_CHARTS}, else the first by name and {@code chosen}. */
    static List<String> smallChartMetrics(List<String> reported, String chosen) {
        if (reported.size() <= MAX_SMALL_CHARTS) {
            return reported;
        }
        List<String> out = new ArrayList<>(reported.subList(0, MAX_SMALL_CHARTS));
        if (reported.contains(chosen) && !out.contains(chosen)) {
            out.set(MAX_SMALL_CHARTS - 1, chosen);
        }
        return out;
    }
}
