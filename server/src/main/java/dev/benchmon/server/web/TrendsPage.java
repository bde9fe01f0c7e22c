package dev.benchmon.server.web;

import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import dev.benchmon.chart.ChartHtml;
import dev.benchmon.chart.Charts;
import dev.benchmon.query.TrendLines;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Performance Trends: the focus metric per series (model, dataset, prompt, environment) over time, and every metric of one model. */
final class TrendsPage {
    /** The placeholder of a small chart: its metric, and the URL of its fragment ({@link TrendsSmallChart}). */
    record SmallChart(String metric, String url) {
    }

    /**
     * Lines (series: model, dataset, prompt, environment) drawn at most in the main chart, chosen models or not:
     * 12 models on 50 lm-eval tasks are 600 lines, which nobody reads apart. Only these series' trends are read
     * ({@code Benchmon.newestLines}).
     */
    static final int MAX_CHARTED_LINES = 24;
    /**
     * Small charts at most on one page. A W&amp;B run reports hundreds of metrics; each chart costs about a
     * millisecond to render (tablesaw-jsplot parses its templates again for every chart) and a plot in the browser,
     * and 200 of them made the page take 250-390 ms. Each is now a request of its own, made when it is scrolled near,
     * but a page of hundreds of placeholders would still be hundreds of plots for whoever scrolls through.
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
        // The series with the newest results of this metric in the view, the rest one narrower filter away: one line
        // per series stops being readable (and a page of 5,000 lines stops being small).
        TrendLines lines = v.benchmon.newestLines(filter, metric, bucket, MAX_CHARTED_LINES);
        Table trend = lines.trend();
        v.model.put("chartedNote", chartedNote(metric, lines, !v.selection.models().isEmpty()));
        v.model.put("charts", true);
        v.model.put("bucket", per);
        v.model.put("hasTrend", trend.rowCount() > 0);
        v.model.put("emptyNote", trend.rowCount() > 0 ? "" : emptyNote(v, metric));

        List<String> models = v.selection.models().isEmpty() ? v.choices.models() : v.selection.models();
        String focus = focus(v, models, trend);
        v.model.put("focus", focus == null ? "" : focus);
        // At most OfferedNames.LISTED models in the select (5,000 models must not make every page huge).
        List<String> chosen = focus == null ? List.of() : List.of(focus);
        List<String> offered = OfferedNames.of(models, chosen);
        v.model.put("focusOptions", View.options(offered, chosen));
        // The others are found by the type-ahead beside the select, which offers every model: only when no model is chosen
        // in the filter bar, since then every model may be the focus (a chosen set's others would be ignored).
        v.model.put("modelsUnlisted", v.selection.models().isEmpty() && offered.size() < models.size());
        v.model.put("focusHidden", v.url().pairsExcept(Set.of("focus")).stream()
                .map(e -> new View.Hidden(e.getKey(), e.getValue())).toList());
        Filter one = focus == null ? null : filter.withModels(focus);
        // Only the metrics the focus model reported in the view's range (a metric it stopped reporting included: its
        // history is still in the range). Their charts are placeholders here, each fetched on its own when scrolled
        // near (TrendsSmallChart): the page's time and size do not grow with the model's metrics and series.
        List<String> reported = one == null ? List.of() : v.benchmon.names().metricsOf(one);
        List<String> metrics = smallChartMetrics(reported, metric);
        v.model.put("smallCharts", metrics.stream()
                .map(m -> new SmallChart(m, TrendsSmallChart.href(v.url(), focus, m))).toList());
        v.model.put("smallNote", metrics.size() == reported.size() ? "" : "Showing " + metrics.size() + " of the "
                + reported.size() + " metrics " + focus + " reported in this range (the chosen metric and the first"
                + " others by name); choose a metric above to chart another.");
        v.model.put("trendChart", trend.rowCount() == 0 ? ""
                : ChartHtml.fragment(Charts.trend(trend, metric + " per " + per + (lines.shown() <= Charts.MAX_BANDED_LINES ? ": mean with min–max band" : ": mean"),
                        Charts.DEFAULT_HEIGHT, v.benchmon.chartMarks(drawnModels(filter, trend), metric), v.benchmon.metricDefinitions(List.of(metric)), bucket),
                        "trend_main"));
        v.model.put("bucketNote", "Each point is the " + per.toLowerCase(Locale.ROOT)
                + "'s mean; in a chart of up to " + Charts.MAX_BANDED_LINES + " lines a shaded band spans its min and max"
                + " (hover a point for them). Marks (hover for details): excluded runs, notes and"
                + " annotations, expected changes, and the change points the detector found.");
    }

    /**
     * The model of the small charts: the URL's {@code focus} when it is among {@code models}; else, when no model is
     * chosen, the first model the main chart draws; else the first of {@code models}; {@code null} when there is none.
     */
    private static String focus(View v, List<String> models, Table trend) {
        String focus = v.url().first("focus");
        if (focus != null && models.contains(focus)) {
            return focus;
        }
        // Unless models are chosen, a model the main chart draws: the first model of the database may have no
        // results in this view (another environment, an older range).
        return v.selection.models().isEmpty() && trend.rowCount() > 0 ? trend.stringColumn("model_version").get(0)
                : models.isEmpty() ? null : models.get(0);
    }

    /**
     * Why the main chart is empty and what to do: when the view's series reported {@code metric} before (or after) its
     * time range, when that was ({@code The newest f1 result of these models is from 2024-12-02 12:00 UTC (733 days
     * ago): choose a time range that holds it.}); else that none of them ever did. Data imported from old files is the
     * common case, and "no results in this view" alone left the reader guessing.
     */
    static String emptyNote(View v, String metric) {
        Filter filter = v.selection.filter();
        java.util.Optional<java.time.Instant> newest = v.benchmon.newestRunOf(filter, metric);
        String whose = v.selection.models().isEmpty() ? "" : v.selection.models().size() == 1 ? " of this model" : " of these models";
        if (newest.isEmpty()) {
            String who = v.selection.models().isEmpty() ? "No model here has ever" : v.selection.models().size() == 1
                    ? "This model has never" : "None of these models has ever";
            return who + " reported " + metric + " with this environment, dataset and prompt choice: choose other"
                    + " models or another metric.";
        }
        java.time.Instant since = filter.effectiveSince(v.now);
        if ((since == null || !newest.get().isBefore(since)) && (filter.until() == null || newest.get().isBefore(filter.until()))) {
            // Not expected: the trend draws the runs of the range that the rollups count (excluded ones too). No advice
            // then rather than a wrong one.
            return "";
        }
        return "The newest " + metric + " result" + whose + " is from " + Formats.minutes(newest.get()) + " UTC ("
                + Formats.ago(newest.get(), v.now) + "): choose a time range that holds it.";
    }

    /** What the main chart leaves out, in lines, and how to chart the rest; empty when it draws every line. */
    static String chartedNote(String metric, TrendLines lines, boolean modelsChosen) {
        if (!lines.capped()) {
            return "";
        }
        return "Showing " + lines.shown() + " of " + lines.total() + " lines, those with the newest " + metric
                + " results; narrow by dataset or environment" + (modelsChosen ? "" : ", or choose models,")
                + " in the filter bar to chart others.";
    }

    /** The filter narrowed to the models the trend draws: the marks of the lines drawn, not of every model in view. */
    private static Filter drawnModels(Filter filter, Table trend) {
        return filter.withModels(trend.stringColumn("model_version").unique().asList());
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
