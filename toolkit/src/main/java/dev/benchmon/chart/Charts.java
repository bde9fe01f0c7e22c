package dev.benchmon.chart;

import dev.benchmon.Arguments;
import dev.benchmon.MetricDirection;
import dev.benchmon.detect.MetricSemantics;
import dev.benchmon.query.ChartMark;
import dev.benchmon.query.ComparisonRows;
import dev.benchmon.query.MetricColumns;
import dev.benchmon.query.ParetoFront;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Line;
import tech.tablesaw.plotly.components.Margin;
import tech.tablesaw.plotly.components.Marker;
import tech.tablesaw.plotly.components.Symbol;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Figures from query tables. Each method takes the table a {@code Benchmon} query returned and
 * gives a tablesaw-jsplot {@link Figure}; render it with {@link ChartHtml} (or jsplot's own
 * {@code Plot.show}), pointing at a Plotly.js 2.x script you serve.
 *
 * <p>Units: the longest form of each builder also takes the metric definitions
 * ({@code bm.metricDefinitions()}: columns {@code name} and {@code unit}), and then its axis titles carry the
 * metric's unit, e.g. {@code analysis_cost (USD, mean)}; the other forms draw without units.
 *
 * <p>Errors: a table of another query than the builder reads (say a {@code history} table given to
 * {@link #trend(Table)}) is refused with a {@link dev.benchmon.ValidationException} naming the argument, the
 * columns it needs and the {@code Benchmon} method that makes it.
 */
public final class Charts {
    /** Colours for series, colour-blind safe (Okabe-Ito, then Tableau). */
    static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
            "#F0E442", "#000000", "#4E79A7", "#F28E2B", "#59A14F", "#E15759"};

    /**
     * Lines drawn at most with a min-max band by {@link #trend}: more bands overlap into one shade that hides the
     * lines (and each costs two traces); hover still gives every point's min and max.
     */
    public static final int MAX_BANDED_LINES = 3;

    /** Figure height in pixels unless a method is given one. */
    public static final int DEFAULT_HEIGHT = 420;

    /** The columns of a {@code timeSeries(...)} table that {@link #trend} reads. */
    private static final String[] TREND_COLUMNS = {"bucket", "model_version", "metric", "mean", "min", "max", "count",
            "last_commit_sha", "last_run_id"};
    /**
     * The columns of a {@code compareModels(...)} table that {@link #comparison} reads, with {@code direction} and
     * {@code n}, which it does not read but which tell it from a {@code timeSeries(...)} table (that has the others).
     */
    private static final String[] COMPARISON_COLUMNS = {"model_version", "metric", "direction", "n", "mean", "stddev"};
    /** The columns of a {@code compareModels(...)} table that {@link #costQuality} reads ({@code ParetoFront}). */
    private static final String[] COST_QUALITY_COLUMNS = {"model_version", "metric", "direction", "mean"};
    private static final String TIME_SERIES = "bm.timeSeries(filter, metric, bucket)";
    private static final String COMPARE_MODELS = "bm.compareModels(models, window)";
    private static final String HISTORY = "bm.history(filter)";

    private Charts() {
    }

    /**
     * A metric over time from {@code timeSeries(...)}: per series (model, dataset version, prompt, environment) a
     * line of bucket means, with a shaded min-max band when the chart has at most {@value #MAX_BANDED_LINES} lines; hover shows n, the last commit (its whole SHA) and run of the
     * bucket. Each line is named as the Compare charts name their rows: by its model, and by dataset version (prompt)
     * and environment when the table has several ({@code medgemma-v1.3 · benchmark-set-v4 @production}); a name over
     * {@value PlotlyText#LEGEND_CHARS} characters is shortened in the legend ({@link PlotlyText#legend}) and given
     * whole in the hover text. A chart whose buckets are all one instant spans a day either side ({@link TimeAxis}); with
     * the bucket given, a bucket either side.
     *
     * @param trend a table of {@code bm.timeSeries(...)}: columns bucket, model_version, metric, mean, min, max,
     *              count, last_commit_sha, last_run_id (one metric), and dataset_version, prompt_version,
     *              environment (a table without them is one line per model)
     * @throws dev.benchmon.ValidationException (field {@code trend}) when the table lacks those columns
     */
    public static Figure trend(Table trend) {
        ChartInputs.require(trend, "trend", TIME_SERIES, TREND_COLUMNS);
        String metric = trend.rowCount() == 0 ? "metric" : trend.stringColumn("metric").get(0);
        return trend(trend, metric + " over time");
    }

    /** {@link #trend(Table)} with a title of your own. */
    public static Figure trend(Table trend, String title) {
        return trend(trend, title, DEFAULT_HEIGHT);
    }

    /** {@link #trend(Table, String)} drawn {@code height} pixels high (e.g. smaller for small multiples). */
    public static Figure trend(Table trend, String title, int height) {
        return trend(trend, title, height, List.of());
    }

    /**
     * {@link #trend(Table, String, int)} with marks over the lines (from {@code ChartMarksQuery}, e.g.
     * {@code bm.chartMarks(filter, metric)}): one legend entry per kind, each mark drawn at its run's bucket (at the
     * bucket's start, where the line's point is, of the bucket given or named by the table, {@code f1 by day}; at the
     * run's time when neither is) with its text as hover text: excluded runs greyed with the reason, notes and annotations as stars, expected
     * changes as diamonds, and change points as a triangle at the new level on a dotted vertical line. Marks of a
     * series the table does not draw (its {@code series} is not a line's {@link dev.benchmon.SeriesLabel}) are left out.
     */
    public static Figure trend(Table trend, String title, int height, List<ChartMark> marks) {
        return trend(trend, title, height, marks, null);
    }

    /**
     * {@link #trend(Table, String, int, List)} with the value axis titled with the metric's unit from
     * {@code definitions} ({@code bm.metricDefinitions()}; {@code null} for none), e.g. {@code latency_ms (ms)}.
     *
     * @throws dev.benchmon.ValidationException (field {@code trend} or {@code definitions}) when a table lacks
     *         the columns read
     */
    public static Figure trend(Table trend, String title, int height, List<ChartMark> marks, Table definitions) {
        return trend(trend, title, height, marks, definitions, null);
    }

    /**
     * {@link #trend(Table, String, int, List, Table)} of buckets {@code bucket} wide (the {@code timeSeries} call's
     * bucket; {@code null}: unknown): a chart whose buckets are all one instant spans one bucket either side of it (an
     * hour of hourly buckets), not a day.
     */
    public static Figure trend(Table trend, String title, int height, List<ChartMark> marks, Table definitions,
                               dev.benchmon.Bucket bucket) {
        return trend(trend, title, height, marks, definitions, bucket, PlotlyText.LEGEND_CHARS);
    }

    /**
     * {@link #trend(Table, String, int, List, Table, dev.benchmon.Bucket)} with legend entries of at most
     * {@code legendChars} characters ({@link PlotlyText#legend(String, int)}; e.g. {@link PlotlyText#SMALL_LEGEND_CHARS}
     * in a small chart), the hover text naming a shortened line whole; of {@value PlotlyText#LEGEND_CHARS} when
     * {@code legendChars} would name two lines alike, keeping where they differ when that would too
     * ({@link PlotlyText#legends}).
     */
    public static Figure trend(Table trend, String title, int height, List<ChartMark> marks, Table definitions,
                               dev.benchmon.Bucket bucket, int legendChars) {
        ChartInputs.require(trend, "trend", TIME_SERIES, TREND_COLUMNS);
        Arguments.required(title, "title");
        Arguments.requiredElements(marks, "marks");
        Labels labels = new Labels();
        List<Trace> traces = new ArrayList<>();
        String metric = trend.rowCount() == 0 ? "metric" : trend.stringColumn("metric").get(0);
        Function<Row, String> lineLabel = ComparisonRows.labels(trend);
        StringColumn lineOfRow = StringColumn.create("line");
        trend.forEach(r -> lineOfRow.append(lineLabel.apply(r)));
        List<String> lines = distinct(lineOfRow);
        boolean bands = lines.size() <= MAX_BANDED_LINES;
        // Names shortened to legendChars must still tell the lines apart (a model's lines on datasets differ in the
        // middle: "m · arc_easy @ci", "m · hellaswag @ci"): else they are shortened as other legends are, keeping where
        // they differ when that too would name two alike ("org/long-name · v1-final-eval @ci", "... v2-final-eval @ci").
        int chars = lines.stream().map(l -> PlotlyText.legend(l, legendChars)).distinct().count() == lines.size()
                ? legendChars : PlotlyText.LEGEND_CHARS;
        List<String> legends = PlotlyText.legends(lines, chars);
        for (int l = 0; l < lines.size(); l++) {
            String line = lines.get(l);
            Table t = trend.where(lineOfRow.isEqualTo(line));
            String color = PALETTE[l % PALETTE.length];
            InstantColumn x = t.instantColumn("bucket");
            if (bands) {
                traces.add(ScatterTrace.builder(x, t.doubleColumn("max")).mode(ScatterTrace.Mode.LINE)
                        .line(Line.builder().width(0).color(color).build()).showLegend(false)
                        .name(labels.text(PlotlyText.escape(line) + " max")).legendGroup(labels.text(line)).build());
                traces.add(ScatterTrace.builder(x, t.doubleColumn("min")).mode(ScatterTrace.Mode.LINE)
                        .line(Line.builder().width(0).color(color).build()).fill(ScatterTrace.Fill.TO_NEXT_Y)
                        .fillColor(translucent(color, 0.15)).showLegend(false)
                        .name(labels.text(PlotlyText.escape(line) + " min")).legendGroup(labels.text(line)).build());
            }
            String[] hover = new String[t.rowCount()];
            // A long name is shortened in the legend; the hover text then names the line whole.
            String shown = legends.get(l);
            boolean shortened = !shown.equals(line);
            String name = PlotlyText.escape(shown);
            String whole = shortened ? PlotlyText.escape(line) + "<br>" : "";
            var count = t.intColumn("count");
            var min = t.doubleColumn("min");
            var max = t.doubleColumn("max");
            var commit = t.stringColumn("last_commit_sha");
            var run = t.stringColumn("last_run_id");
            for (int r = 0; r < t.rowCount(); r++) {
                hover[r] = whole + "n=" + count.get(r) + " · min " + fmt(min.get(r)) + " · max " + fmt(max.get(r))
                        + optional("<br>commit ", commit.get(r)) + optional(" · run ", run.get(r));
            }
            // The hover texts as one token (a JSON array after the name), not one per point: jsplot would write and
            // the figure then restore each of them, which made a 15-line chart of 90 days cost about 100 ms. The line's
            // name is not in each point's text: Plotly shows the trace's name beside it, whole (namelength -1), which
            // took a fifth of the bytes of a page of many lines. A shortened name is not beside it (namelength 0): the
            // text names the line whole instead.
            traces.add(ScatterTrace.builder(x, t.doubleColumn("mean")).mode(ScatterTrace.Mode.LINE_AND_MARKERS)
                    .line(Line.builder().width(2).color(color).build())
                    .marker(Marker.builder().size(5).color(color).build())
                    .name(labels.nameWithExtras(name, "text: " + Labels.jsArray(hover) + ",\nhoverlabel: {namelength: "
                            + (shortened ? 0 : -1) + "}"))
                    .legendGroup(labels.text(line)).build());
        }
        if (trend.rowCount() > 0) {
            // Change-point lines span what is drawn: the bands' range, else the means' (a min-max range nothing shows
            // would flatten the lines).
            String low = bands ? "min" : "mean";
            String high = bands ? "max" : "mean";
            addMarks(traces, labels, onBuckets(marksOfLines(trend, marks), bucket != null ? bucket : bucketOf(trend)),
                    trend.doubleColumn(low).min(), trend.doubleColumn(high).max());
        }
        Layout layout = baseLayout(labels, PlotlyText.escape(title), height)
                .xAxis(Axis.builder().title(TimeAxis.title(labels, "time (UTC)", trend.instantColumn("bucket").asList(),
                        bucket == null ? TimeAxis.SINGLE_POINT_PAD : bucket.width())).build())
                .yAxis(Axis.builder().title(labels.text(PlotlyText.escape(ChartInputs.axisTitle(metric, definitions, null))))
                        .build())
                .build();
        return new SafeFigure(layout, labels.replacements(), traces.toArray(Trace[]::new));
    }

    /**
     * Side-by-side bars from {@code compareModels(...)}: for one metric, the mean of each row (model, dataset
     * version and environment) with an error bar of one standard deviation. Each bar is labelled by its model,
     * and, when the table spans several dataset versions or environments, by them too
     * ({@code medgemma-v1.3 · benchmark-set-v4 @production}), as {@link DifferenceChart#forMetric} labels them.
     *
     * @param comparison a table of {@code bm.compareModels(...)}: columns model_version, metric, mean, stddev
     *                   (and dataset_version, environment)
     * @throws dev.benchmon.ValidationException (field {@code comparison}) when the table lacks those columns
     */
    public static Figure comparison(Table comparison, String metric) {
        return comparison(comparison, metric, DEFAULT_HEIGHT);
    }

    /** {@link #comparison(Table, String)} drawn {@code height} pixels high. */
    public static Figure comparison(Table comparison, String metric, int height) {
        return comparison(comparison, metric, height, null);
    }

    /**
     * {@link #comparison(Table, String, int)} with the value axis titled with the metric's unit from
     * {@code definitions} ({@code bm.metricDefinitions()}; {@code null} for none), e.g. {@code latency_ms (ms)}.
     *
     * @throws dev.benchmon.ValidationException (field {@code comparison} or {@code definitions}) when a table
     *         lacks the columns read
     */
    public static Figure comparison(Table comparison, String metric, int height, Table definitions) {
        ChartInputs.require(comparison, "comparison", COMPARE_MODELS, COMPARISON_COLUMNS);
        ChartInputs.requireMetric(comparison, "metric", metric);
        Labels labels = new Labels();
        Function<Row, String> rowLabel = ComparisonRows.labels(comparison);
        Table t = comparison.where(comparison.stringColumn("metric").isEqualTo(metric));
        List<Trace> traces = new ArrayList<>();
        int i = 0;
        for (Row r : t) {
            String model = rowLabel.apply(r);
            double sd = r.isMissing("stddev") ? 0 : r.getDouble("stddev");
            String errorBars = "error_y: {type: 'data', array: [" + sd + "], visible: true, color: '#444'}";
            traces.add(BarTrace.builder(StringColumn.create("model", labels.text(PlotlyText.escape(model))),
                            DoubleColumn.create("mean", r.getDouble("mean")))
                    .name(labels.nameWithExtras(PlotlyText.escape(model), errorBars))
                    .marker(Marker.builder().color(PALETTE[i++ % PALETTE.length]).build()).build());
        }
        // One trace per bar (each its own colour and error bar) at its own category: overlaid, not grouped, or
        // Plotly would keep a slot for every trace in every category and draw thin bars beside their labels.
        // Labels with dataset and environment are long: the axis makes room for them (automargin; jsplot's Axis has
        // no setter that writes it, so it follows the empty title as a raw property).
        Layout layout = baseLayout(labels, PlotlyText.escape(metric) + ": mean ± stddev", height)
                .showLegend(false).barMode(Layout.BarMode.OVERLAY)
                .xAxis(Axis.builder().title(labels.nameWithExtras("", "automargin: true")).build())
                .yAxis(Axis.builder().title(labels.text(PlotlyText.escape(ChartInputs.axisTitle(metric, definitions, null))))
                        .build())
                .build();
        return new SafeFigure(layout, labels.replacements(), traces.toArray(Trace[]::new));
    }

    /**
     * The metrics of {@code definitions} ({@code bm.metricDefinitions(metrics)}) that are costs
     * ({@link MetricSemantics#isCost}: a time, cost or memory, lower is better), in the table's order: those
     * {@link #costQuality}'s cost axis means to show. Empty when none is: then there is no cost to draw quality
     * against, and the dashboard says so rather than putting a quality on that axis.
     *
     * @throws dev.benchmon.ValidationException (field {@code definitions}) when the table lacks the name, direction
     *         or unit column
     */
    public static List<String> costMetrics(Table definitions) {
        ChartInputs.require(definitions, "definitions", "bm.metricDefinitions()", "name", "direction", "unit");
        List<String> out = new ArrayList<>();
        for (Row r : definitions) {
            if (isCost(r.getString("name"), r.getString("unit"), r.getString("direction"))) {
                out.add(r.getString("name"));
            }
        }
        return out;
    }

    /** {@link MetricSemantics#isCost} of a direction as the tables write it ({@code lower_is_better}, ...). */
    private static boolean isCost(String metric, String unit, String direction) {
        MetricDirection d = java.util.Arrays.stream(MetricDirection.values())
                .filter(x -> x.sqlName().equals(direction)).findFirst().orElse(MetricDirection.UNKNOWN);
        return MetricSemantics.isCost(metric, unit, d);
    }

    /**
     * Refuses {@code costMetric} unless it is a cost by {@link #costMetrics}' rule (the Compare page's): its direction
     * as {@code comparison} reports it and its unit in {@code definitions} ({@code null}: none, so its name decides).
     */
    private static void requireCost(Table comparison, String costMetric, Table definitions) {
        String unit = MetricUnits.of(definitions).unit(costMetric);
        String direction = comparison.where(comparison.stringColumn("metric").isEqualTo(costMetric))
                .stringColumn("direction").get(0);
        if (!isCost(costMetric, unit, direction)) {
            boolean unitMayTell = definitions == null && direction.equals(MetricDirection.LOWER_IS_BETTER.sqlName());
            throw Arguments.refused("costMetric", "'" + dev.benchmon.ingest.TextRules.visible(costMetric)
                    + "' is not a cost (a time, price or memory, lower is better: latency_ms, cost_usd, peak_memory_mb)"
                    + ", and a front against it means nothing; Charts.costMetrics(bm.metricDefinitions()) lists the costs"
                    + (unitMayTell ? " (a metric that its unit makes a cost, such as ms or USD, is known as one when "
                    + "bm.metricDefinitions() is passed as definitions)" : ""));
        }
    }

    /**
     * Cost against quality per model from {@code compareModels(...)}, with the models on the Pareto
     * front of their task (none on the same dataset version and environment better in both: {@link ParetoFront#of})
     * drawn large and joined by a line per task, named {@code Pareto front · dataset @environment} when there are
     * several. Each model is one trace, in one colour, with a point per task: its legend entry is its name shortened as
     * legends are ({@link PlotlyText#legends}, at most {@value PlotlyText#LEGEND_CHARS} characters), then {@code (Pareto)}
     * when it is on the front of each of its tasks or {@code (Pareto on 2 of 3)} when of some; each point's hover text
     * names the model whole, its task when the chart has several, and {@code (Pareto front)} for a point on its front.
     *
     * @param comparison a table of {@code bm.compareModels(...)}: columns model_version, metric, direction, mean
     *                   (and dataset_version, environment)
     * @param costMetric a cost ({@link #costMetrics}: a time, price or memory, lower is better), known here by its
     *                   direction in {@code comparison} and its name; one that only its unit makes a cost needs the
     *                   definitions ({@link #costQuality(Table, String, String, Table)})
     * @throws dev.benchmon.ValidationException (field {@code comparison}) when the table lacks those columns
     * @throws dev.benchmon.InvalidArgumentException (field {@code costMetric}) when it is not a cost, as the Compare
     *                                               page refuses it on its cost axis
     */
    public static Figure costQuality(Table comparison, String qualityMetric, String costMetric) {
        return costQuality(comparison, qualityMetric, costMetric, null);
    }

    /**
     * {@link #costQuality(Table, String, String)} with the axes titled with the metrics' units from
     * {@code definitions} ({@code bm.metricDefinitions()}; {@code null} for none), e.g.
     * {@code analysis_cost (USD, mean)}.
     *
     * @throws dev.benchmon.ValidationException (field {@code comparison} or {@code definitions}) when a table
     *         lacks the columns read
     * @throws dev.benchmon.InvalidArgumentException (field {@code costMetric}) when it is not a cost by its direction and
     *                                               its unit in {@code definitions} ({@link #costMetrics}' rule)
     */
    public static Figure costQuality(Table comparison, String qualityMetric, String costMetric, Table definitions) {
        ChartInputs.require(comparison, "comparison", COMPARE_MODELS, COST_QUALITY_COLUMNS);
        ChartInputs.requireMetric(comparison, "qualityMetric", qualityMetric);
        ChartInputs.requireMetric(comparison, "costMetric", costMetric);
        requireCost(comparison, costMetric, definitions);
        Labels labels = new Labels();
        Table front = ParetoFront.of(comparison, qualityMetric, costMetric);
        List<Trace> traces = new ArrayList<>();
        // A line per task (dataset version, prompt, environment: ParetoFront's front is per task), named by its task
        // when there are several: one line through the points of two datasets joined scores that say nothing of
        // each other.
        Table onFront = front.where(front.booleanColumn("pareto").isTrue());
        Function<Row, String> task = tasks(onFront);
        StringColumn taskOfRow = StringColumn.create("task");
        onFront.forEach(r -> taskOfRow.append(task.apply(r)));
        List<String> tasks = distinct(taskOfRow);
        List<String> taskLegends = PlotlyText.legends(tasks, PlotlyText.LEGEND_CHARS);
        for (int k = 0; k < tasks.size(); k++) {
            Table line = onFront.where(taskOfRow.isEqualTo(tasks.get(k))).sortAscendingOn("cost");
            String name = tasks.size() == 1 ? "Pareto front" : "Pareto front · " + PlotlyText.escape(taskLegends.get(k));
            traces.add(ScatterTrace.builder(line.doubleColumn("cost"), line.doubleColumn("quality"))
                    .mode(ScatterTrace.Mode.LINE).line(Line.builder().color("#999").dash(Line.Dash.DASH).width(1).build())
                    .name(labels.text(name)).build());
        }
        // One trace per model: its points (one per task) share one colour and one legend entry, named as legends are
        // (a 200-character name squeezed the plot to a sliver; several such names are told apart where they differ). A
        // trace per point listed a model once per task in as many colours, and each trace cost a rendering of
        // jsplot's templates: 90 traces were 40% of the Compare page's server time with 15 tasks (2026-12-06).
        // The front names a point "model · dataset @environment" when the comparison spans several (ComparisonRows):
        // the model alone, from the comparison row of that name.
        Function<Row, String> label = ComparisonRows.labels(comparison);
        java.util.Map<String, String> modelOfLabel = new java.util.HashMap<>();
        comparison.forEach(r -> modelOfLabel.putIfAbsent(label.apply(r), r.getString("model_version")));
        StringColumn modelOfRow = StringColumn.create("model");
        front.stringColumn("model_version").forEach(l -> modelOfRow.append(modelOfLabel.getOrDefault(l, l)));
        List<String> models = distinct(modelOfRow);
        List<String> legends = PlotlyText.legends(models, PlotlyText.LEGEND_CHARS);
        for (int k = 0; k < models.size(); k++) {
            Table points = front.where(modelOfRow.isEqualTo(models.get(k)));
            double[] sizes = new double[points.rowCount()];
            String[] hover = new String[points.rowCount()];
            int onTheFront = 0;
            for (int p = 0; p < points.rowCount(); p++) {
                Row r = points.row(p);
                boolean pareto = r.getBoolean("pareto");
                onTheFront += pareto ? 1 : 0;
                sizes[p] = pareto ? 16 : 10; // a point on its task's front drawn large
                // Whole, with its task when the comparison spans several: the front's name of the point.
                hover[p] = labels.text(PlotlyText.escape(r.getString("model_version")) + (pareto ? " (Pareto front)" : ""));
            }
            String frontNote = onTheFront == 0 ? "" : onTheFront == sizes.length ? " (Pareto)"
                    : " (Pareto on " + onTheFront + " of " + sizes.length + ")";
            traces.add(ScatterTrace.builder(points.doubleColumn("cost"), points.doubleColumn("quality"))
                    .mode(ScatterTrace.Mode.MARKERS)
                    .marker(Marker.builder().size(sizes).color(PALETTE[k % PALETTE.length]).build())
                    .name(labels.text(PlotlyText.escape(legends.get(k)) + frontNote))
                    .text(hover).build());
        }
        Layout layout = baseLayout(labels, PlotlyText.escape(qualityMetric) + " against " + PlotlyText.escape(costMetric))
                .xAxis(Axis.builder().title(labels.text(PlotlyText.escape(ChartInputs.axisTitle(costMetric, definitions, "mean"))))
                        .build())
                .yAxis(Axis.builder().title(labels.text(PlotlyText.escape(ChartInputs.axisTitle(qualityMetric, definitions,
                        "mean")))).build())
                .build();
        return new SafeFigure(layout, labels.replacements(), traces.toArray(Trace[]::new));
    }

    /**
     * Names the task of a {@link ParetoFront} table's rows as their labels do: {@code dataset / prompt @environment}, of
     * the columns the table has.
     */
    private static Function<Row, String> tasks(Table front) {
        // Looked up once, not per row, as ComparisonRows does.
        boolean dataset = front.containsColumn("dataset_version");
        boolean prompt = front.containsColumn("prompt_version");
        boolean environment = front.containsColumn("environment");
        return r -> ((dataset ? r.getString("dataset_version") : "")
                + (prompt && !r.getString("prompt_version").isEmpty() ? " / " + r.getString("prompt_version") : "")
                + (environment ? " @" + r.getString("environment") : "")).strip();
    }

    /**
     * The history of one metric of one series (a {@code history(...)} table, newest first is fine)
     * with its baseline as a dashed line and the regressing run marked. A history of one run spans a day either side
     * of it ({@link TimeAxis}).
     *
     * @param history a table of {@code bm.history(...)}: columns id, run_at, commit_sha, run_id and the metric's
     * @throws dev.benchmon.ValidationException (field {@code history}) when the table lacks those columns
     */
    public static Figure regression(Table history, String metric, double baseline, long regressingTransactionId) {
        return regression(history, metric, baseline, regressingTransactionId, Double.NaN, List.of());
    }

    /**
     * {@link #regression(Table, String, double, long)} with the detector's noise band (baseline +- {@code halfBand},
     * shaded; NaN for none) and its change points (dotted vertical lines at the first run of each new segment).
     */
    public static Figure regression(Table history, String metric, double baseline, long regressingTransactionId,
                                    double halfBand, List<Instant> changePoints) {
        return regression(history, metric, baseline, regressingTransactionId, halfBand, changePoints, null);
    }

    /**
     * {@link #regression(Table, String, double, long, double, List)} with the value axis titled with the metric's
     * unit from {@code definitions} ({@code bm.metricDefinitions()}; {@code null} for none), e.g.
     * {@code latency_ms (ms)}.
     *
     * @throws dev.benchmon.ValidationException (field {@code history} or {@code definitions}) when a table lacks
     *         the columns read
     */
    public static Figure regression(Table history, String metric, double baseline, long regressingTransactionId,
                                    double halfBand, List<Instant> changePoints, Table definitions) {
        Arguments.required(metric, "metric");
        Arguments.requiredElements(changePoints, "changePoints");
        // The metric's own column: metric:run_at for a metric named like a fixed column, metric:2:f1 for f1 beside F1.
        String column = history == null ? null : MetricColumns.columnOf(history, metric); // null: refused just below
        ChartInputs.require(history, "history", HISTORY, "id", "run_at", "commit_sha", "run_id", column == null ? metric : column);
        Labels labels = new Labels();
        Table h = history.where(history.doubleColumn(column).isNotMissing()).sortAscendingOn("run_at");
        InstantColumn x = h.instantColumn("run_at");
        List<Trace> traces = new ArrayList<>();
        String[] hover = new String[h.rowCount()];
        for (int r = 0; r < h.rowCount(); r++) {
            hover[r] = labels.text("result " + h.longColumn("id").get(r)
                    + optional("<br>commit ", h.stringColumn("commit_sha").get(r))
                    + optional(" · run ", h.stringColumn("run_id").get(r)));
        }
        traces.add(ScatterTrace.builder(x, h.doubleColumn(column)).mode(ScatterTrace.Mode.LINE_AND_MARKERS)
                .line(Line.builder().color(PALETTE[0]).width(2).build()).name(labels.text(PlotlyText.escape(metric)))
                .text(hover).build());
        if (h.rowCount() > 0) {
            Instant first = x.min();
            Instant last = x.max();
            traces.add(ScatterTrace.builder(InstantColumn.create("x", new Instant[] {first, last}),
                            DoubleColumn.create("y", baseline, baseline))
                    .mode(ScatterTrace.Mode.LINE).line(Line.builder().color("#666").dash(Line.Dash.DASH).width(1.5).build())
                    .name(labels.text("baseline " + fmt(baseline))).build());
            Table point = h.where(h.longColumn("id").isEqualTo(regressingTransactionId));
            if (point.rowCount() > 0) {
                traces.add(ScatterTrace.builder(point.instantColumn("run_at"), point.doubleColumn(column))
                        .mode(ScatterTrace.Mode.MARKERS)
                        .marker(Marker.builder().size(16).color("#D55E00").symbol(tech.tablesaw.plotly.components.Symbol.X).build())
                        .name(labels.text("regression")).build());
            }
            if (Double.isFinite(halfBand) && halfBand > 0) {
                InstantColumn xs = InstantColumn.create("x", new Instant[] {first, last, last, first, first});
                DoubleColumn ys = DoubleColumn.create("y", baseline - halfBand, baseline - halfBand, baseline + halfBand,
                        baseline + halfBand, baseline - halfBand);
                traces.add(ScatterTrace.builder(xs, ys).mode(ScatterTrace.Mode.LINE).fill(ScatterTrace.Fill.TO_SELF)
                        .fillColor(translucent(PALETTE[0], 0.12))
                        .line(Line.builder().color(translucent(PALETTE[0], 0.3)).width(0.5).build())
                        .name(labels.text("noise band " + fmt(baseline - halfBand) + " .. " + fmt(baseline + halfBand))).build());
            }
            double lo = h.doubleColumn(column).min();
            double hi = h.doubleColumn(column).max();
            for (Instant cp : changePoints) {
                traces.add(ScatterTrace.builder(InstantColumn.create("x", new Instant[] {cp, cp}), DoubleColumn.create("y", lo, hi))
                        .mode(ScatterTrace.Mode.LINE).line(Line.builder().color("#009E73").dash(Line.Dash.DOT).width(2).build())
                        .name(labels.text("change point")).build());
            }
        }
        Layout layout = baseLayout(labels, PlotlyText.escape(metric) + " against its baseline")
                .xAxis(Axis.builder().title(TimeAxis.title(labels, "run at (UTC)", x.asList(), TimeAxis.SINGLE_POINT_PAD)).build())
                .yAxis(Axis.builder().title(labels.text(PlotlyText.escape(ChartInputs.axisTitle(metric, definitions, null))))
                        .build())
                .build();
        return new SafeFigure(layout, labels.replacements(), traces.toArray(Trace[]::new));
    }

    /** How each kind of mark is drawn: colour, symbol, size. */
    private record MarkStyle(String color, Symbol symbol, int size) {
        static MarkStyle of(ChartMark.Kind kind) {
            return switch (kind) {
                case EXCLUDED -> new MarkStyle("#9aa0a6", Symbol.CIRCLE_X, 11);
                case NOTE -> new MarkStyle("#b26a00", Symbol.STAR, 12);
                case EXPECTED -> new MarkStyle("#7b61ff", Symbol.DIAMOND, 11);
                case CHANGE_POINT -> new MarkStyle("#009E73", Symbol.TRIANGLE_DOWN, 12);
            };
        }
    }

    /**
     * The marks of the series the trend draws (a mark names its series as {@link dev.benchmon.SeriesLabel} does): a table
     * cut to its newest lines ({@link dev.benchmon.query.TrendLines}) leaves the others' marks out too. A table without the series' names
     * keeps every mark.
     */
    private static List<ChartMark> marksOfLines(Table trend, List<ChartMark> marks) {
        if (!trend.containsColumn("dataset_version") || !trend.containsColumn("prompt_version")
                || !trend.containsColumn("environment")) {
            return marks;
        }
        java.util.Set<String> drawn = new java.util.HashSet<>();
        for (Row r : trend) {
            drawn.add(dev.benchmon.SeriesLabel.of(r.getString("model_version"), r.getString("dataset_version"),
                    r.getString("prompt_version"), r.getString("environment")));
        }
        return marks.stream().filter(m -> drawn.contains(m.series())).toList();
    }

    /**
     * One marker trace per kind of mark (legend entry, hover text only), and for change points dotted vertical
     * lines from {@code lo} to {@code hi} (one legend entry with the markers).
     */
    /**
     * {@code marks} each at the start of its bucket ({@link dev.benchmon.Bucket#start}), where the line's point of that
     * bucket is drawn: at its run's time a mark sat between two points (a daily chart's points at 00:00, a run at
     * 09:00). As they are when {@code bucket} is {@code null} (unknown).
     */
    private static List<ChartMark> onBuckets(List<ChartMark> marks, dev.benchmon.Bucket bucket) {
        return bucket == null ? marks : marks.stream()
                .map(m -> new ChartMark(m.kind(), bucket.start(m.at()), m.value(), m.series(), m.text())).toList();
    }

    /**
     * The bucket a {@code timeSeries} table's name says ({@code f1 by day}, as the query names it), for a chart not told
     * it; {@code null} for a table named otherwise.
     */
    private static dev.benchmon.Bucket bucketOf(Table trend) {
        String name = trend.name() == null ? "" : trend.name();
        for (dev.benchmon.Bucket b : dev.benchmon.Bucket.values()) {
            if (name.endsWith(" by " + b.sqlUnit())) {
                return b;
            }
        }
        return null;
    }

    private static void addMarks(List<Trace> traces, Labels labels, List<ChartMark> marks, double lo, double hi) {
        for (ChartMark.Kind kind : ChartMark.Kind.values()) {
            List<ChartMark> of = marks.stream().filter(m -> m.kind() == kind && Double.isFinite(m.value())).toList();
            if (of.isEmpty()) {
                continue;
            }
            MarkStyle style = MarkStyle.of(kind);
            String group = labels.text(kind.label());
            if (kind == ChartMark.Kind.CHANGE_POINT) {
                for (ChartMark m : of) {
                    traces.add(ScatterTrace.builder(InstantColumn.create("x", new Instant[] {m.at(), m.at()}),
                                    DoubleColumn.create("y", Math.min(lo, m.value()), Math.max(hi, m.value())))
                            .mode(ScatterTrace.Mode.LINE).line(Line.builder().color(style.color()).dash(Line.Dash.DOT).width(1.5).build())
                            .showLegend(false).legendGroup(group).name(labels.nameWithExtras(kind.label(), "hoverinfo: 'skip'"))
                            .build());
                }
            }
            Instant[] x = new Instant[of.size()];
            double[] y = new double[of.size()];
            String[] hover = new String[of.size()];
            for (int i = 0; i < of.size(); i++) {
                ChartMark m = of.get(i);
                x[i] = m.at();
                y[i] = m.value();
                hover[i] = labels.text(PlotlyText.escape(m.series()) + "<br>" + PlotlyText.escape(m.text()));
            }
            traces.add(ScatterTrace.builder(InstantColumn.create("x", x), DoubleColumn.create("y", y))
                    .mode(ScatterTrace.Mode.MARKERS)
                    .marker(Marker.builder().size(style.size()).color(style.color()).symbol(style.symbol()).build())
                    .legendGroup(group).name(labels.nameWithExtras(kind.label(), "hoverinfo: 'text'"))
                    .text(hover).build());
        }
    }

    private static Layout.LayoutBuilder baseLayout(Labels labels, String title) {
        return baseLayout(labels, title, DEFAULT_HEIGHT);
    }

    private static Layout.LayoutBuilder baseLayout(Labels labels, String title, int height) {
        return Layout.builder().title(labels.text(title)).height(checkedHeight(height)).autosize(true)
                .margin(Margin.builder().left(60).right(20).top(50).bottom(50).build())
                .hoverMode(Layout.HoverMode.CLOSEST);
    }

    /**
     * A chart's height in pixels, 100 to 4,000 (a figure outside it is unreadable or freezes the page).
     *
     * @throws dev.benchmon.InvalidArgumentException naming {@code height} otherwise
     */
    static int checkedHeight(int height) {
        if (height < 100 || height > 4000) {
            throw new dev.benchmon.InvalidArgumentException(dev.benchmon.ValidationException.Problem.of("height",
                    "must be between 100 and 4000 pixels, got " + height));
        }
        return height;
    }

    static List<String> distinct(StringColumn column) {
        return new ArrayList<>(new LinkedHashSet<>(column.asList()));
    }

    static String translucent(String hex, double alpha) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return String.format(Locale.ROOT, "rgba(%d,%d,%d,%.2f)", (rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255, alpha);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String optional(String prefix, String value) {
        return value == null || value.isEmpty() ? "" : prefix + PlotlyText.escape(value);
    }
}
