package dev.benchmon.chart;

import dev.benchmon.notebook.ReadableNumber;
import dev.benchmon.query.ComparisonRows;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Line;
import tech.tablesaw.plotly.components.Margin;
import tech.tablesaw.plotly.components.Marker;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Differences as dots with their confidence intervals, around a dashed line at zero: the honest picture of
 * "is B better than A" (bars from zero hide that 0.871 and 0.911 differ; a dot and interval show by how much
 * and how surely). One row per compared thing, top to bottom in table order, labelled by its name shortened as legends
 * are ({@link PlotlyText#legend}, first 26 and last 13 of a name over 40 characters), as is the reference in the title
 * and the axis title; the hover text names it whole.
 */
public final class DifferenceChart {
    private DifferenceChart() {
    }

    /**
     * One metric of a {@code compareModels(filter, options)} table: each non-reference row's {@code diff} with
     * {@code [ci_low, ci_high]}, labelled by model (and dataset version and environment when the table has several).
     *
     * @throws dev.benchmon.ValidationException (field {@code comparison}) when the table lacks the columns of
     *         {@code bm.compareModels(filter, options)} read here
     */
    public static Figure forMetric(Table comparison, String metric, int height) {
        return forMetric(comparison, metric, height, null);
    }

    /**
     * {@link #forMetric(Table, String, int)} with the axis titled with the metric's unit from {@code definitions}
     * ({@code bm.metricDefinitions()}; {@code null} for none), e.g. {@code latency_ms difference (ms, model − A)}.
     *
     * @throws dev.benchmon.ValidationException (field {@code comparison} or {@code definitions}) when a table
     *         lacks the columns read
     */
    public static Figure forMetric(Table comparison, String metric, int height, Table definitions) {
        ChartInputs.require(comparison, "comparison", "bm.compareModels(filter, options)", "model_version", "metric",
                "diff", "ci_low", "ci_high", "p_value", "method", "n_compared", "reference");
        Table t = comparison.where(comparison.stringColumn("metric").isEqualTo(metric)
                .and(comparison.doubleColumn("diff").isNotMissing()));
        Function<Row, String> rowLabel = ComparisonRows.labels(comparison);
        List<String> names = new ArrayList<>();
        List<String> hovers = new ArrayList<>();
        // The two values a difference is between (the newest results, or the run means), as the table's row says.
        boolean compared = t.containsColumn("compared") && t.containsColumn("value_ref") && t.containsColumn("value");
        for (Row r : t) {
            String name = rowLabel.apply(r);
            names.add(name);
            hovers.add(name + "<br>" + (compared && !r.isMissing("value") && !r.isMissing("value_ref")
                    ? r.getString("compared").replace('_', ' ') + ": " + ReadableNumber.of(r.getDouble("value")) + " − "
                    + ReadableNumber.of(r.getDouble("value_ref")) + "<br>" : "")
                    + dev.benchmon.compare.Method.wordsOf(r.getString("method")) + " · n " + r.getLong("n_compared")
                    + (r.isMissing("p_value") ? "" : " · p " + ReadableNumber.pValue(r.getDouble("p_value"))));
        }
        // The reference in the title and the axis shortened as the rows' labels are: whole, a 200-character name made
        // a title wider than the chart.
        String reference = t.rowCount() == 0 ? "" : PlotlyText.legend(t.stringColumn("reference").get(0));
        return of(metric + ": difference to " + reference + " with interval",
                ChartInputs.axisTitle(metric + " difference", metric, definitions, "model − " + reference), names,
                t.doubleColumn("diff").asDoubleArray(),
                t.doubleColumn("ci_low").asDoubleArray(), t.doubleColumn("ci_high").asDoubleArray(), hovers, height);
    }

    /** The rows of a slice table ({@code RunComparison.slices()}): each slice's difference with its interval. */
    public static Figure forSlices(Table slices, String title, int height) {
        List<String> names = new ArrayList<>();
        List<String> hovers = new ArrayList<>();
        for (Row r : slices) {
            String name = r.getString("slice") + (r.getBoolean("small") ? " (small)" : "");
            names.add(name);
            hovers.add(name + "<br>n " + r.getInt("n") + (r.isMissing("p_value") ? "" : " · p " + ReadableNumber.pValue(r.getDouble("p_value"))));
        }
        return of(title, "difference (B − A)", names, slices.doubleColumn("diff").asDoubleArray(),
                slices.doubleColumn("ci_low").asDoubleArray(), slices.doubleColumn("ci_high").asDoubleArray(), hovers, height);
    }

    /**
     * The chart from its parts: {@code names[i]} drawn at {@code diff[i]} with an interval {@code [low[i], high[i]]}
     * (none when NaN). Texts are escaped here: pass them as written.
     */
    public static Figure of(String title, String axisTitle, List<String> names, double[] diff, double[] low,
                            double[] high, List<String> hovers, int height) {
        Labels labels = new Labels();
        int n = names.size();
        // Plotly draws categories bottom-up: reverse, so that the first row is on top.
        String[] y = new String[n];
        double[] x = new double[n];
        double[] plus = new double[n];
        double[] minus = new double[n];
        String[] hover = new String[n];
        // Rows are categories by their whole names (two long names may shorten alike); the axis shows them shortened
        // as legends are (ticktext), and each dot's hover text names its row whole.
        String[] whole = new String[n];
        String[] shown = new String[n];
        for (int i = 0; i < n; i++) {
            int k = n - 1 - i;
            whole[i] = PlotlyText.escape(names.get(k));
            shown[i] = PlotlyText.escape(PlotlyText.legend(names.get(k)));
            y[i] = labels.text(whole[i]);
            x[i] = diff[k];
            plus[i] = Double.isNaN(high[k]) ? 0 : high[k] - diff[k];
            minus[i] = Double.isNaN(low[k]) ? 0 : diff[k] - low[k];
            hover[i] = labels.text(PlotlyText.escape(hovers.get(k)).replace("&lt;br&gt;", "<br>")
                    + (Double.isNaN(low[k]) ? "<br>no interval" : "<br>[" + fmt(low[k]) + ", " + fmt(high[k]) + "]"));
        }
        String errors = "error_x: {type: 'data', symmetric: false, array: " + Labels.json(plus) + ", arrayminus: "
                + Labels.json(minus) + ", visible: true, color: '#444', thickness: 1.5, width: 6}";
        List<Trace> traces = new ArrayList<>();
        if (n > 0) {
            // x = 0 at every row: this trace comes first, and Plotly types an axis by its first trace, so its x must
            // be numbers (with x and y swapped the value axis became categories, no dot shown). Plotly also orders
            // categories by first use across traces, so it names every row in order: with only the first and last
            // row it put those two first and the rows between them after.
            traces.add(ScatterTrace.builder(DoubleColumn.create("zero_x", new double[n]), StringColumn.create("zero_y", y))
                    .mode(ScatterTrace.Mode.LINE).line(Line.builder().color("#999").dash(Line.Dash.DASH).width(1).build())
                    .name(labels.text("no difference")).showLegend(false).build());
        }
        traces.add(ScatterTrace.builder(DoubleColumn.create("x", x), StringColumn.create("y", y))
                .mode(ScatterTrace.Mode.MARKERS).marker(Marker.builder().size(9).color(Charts.PALETTE[0]).build())
                .name(labels.nameWithExtras("difference", errors)).text(hover).showLegend(false).build());
        Layout layout = Layout.builder().title(labels.text(PlotlyText.escape(title))).height(Charts.checkedHeight(height)).autosize(true)
                .margin(Margin.builder().left(180).right(20).top(50).bottom(50).build())
                .hoverMode(Layout.HoverMode.CLOSEST).showLegend(false)
                // Typed, not left to Plotly's guess from the data (jsplot writes numbers as strings).
                .xAxis(Axis.builder().title(labels.text(PlotlyText.escape(axisTitle))).type(Axis.Type.LINEAR).build())
                // The margin grows to the labels (automargin; 180 px at least), which are at most 40 characters.
                .yAxis(Axis.builder().type(Axis.Type.CATEGORY).title(labels.nameWithExtras("", "automargin: true,\n"
                        + "tickvals: " + Labels.jsArray(whole) + ",\nticktext: " + Labels.jsArray(shown))).build())
                .build();
        return new SafeFigure(layout, labels.replacements(), traces.toArray(Trace[]::new));
    }

    private static String fmt(double v) {
        return Math.abs(v) < 1e-3 && v != 0 ? String.format(Locale.ROOT, "%.2e", v) : String.format(Locale.ROOT, "%.4f", v);
    }
}
