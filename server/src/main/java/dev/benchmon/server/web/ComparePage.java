package dev.benchmon.server.web;

import dev.benchmon.Filter;
import dev.benchmon.chart.ChartHtml;
import dev.benchmon.chart.Charts;
import dev.benchmon.query.ParetoFront;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Model Comparison: bars with error bars per metric, a statistics table, and cost against quality. */
final class ComparePage {
    /** A bar chart of one metric. */
    record BarChart(String metric, String html) {
    }

    /** One model's statistics for one metric. */
    record StatRow(String metric, boolean firstOfMetric, int metricRows, String direction, String model, String n,
                   String mean, String stddev, String min, String max, String last, String diff, String diffCss) {
    }

    private static final int BAR_HEIGHT = 320;

    private ComparePage() {
    }

    static void fill(View v) {
        if (v.selection.metric() == null) {
            return;
        }
        List<String> models = v.selection.models().isEmpty() ? v.choices.models() : v.selection.models();
        // The filter's model order makes the first model the reference for "diff to first".
        Filter filter = v.selection.filter().withModels(models.toArray(String[]::new));
        Table cmp = v.benchmon.compareModels(filter);
        v.model.put("charts", true);
        v.model.put("reference", models.isEmpty() ? "" : models.get(0));
        v.model.put("hasData", cmp.rowCount() > 0);
        if (cmp.rowCount() == 0) {
            return;
        }
        List<String> metrics = new ArrayList<>(cmp.stringColumn("metric").unique().asList());
        metrics.sort(null);
        // The focus metric's chart comes first.
        if (metrics.remove(v.selection.metric())) {
            metrics.add(0, v.selection.metric());
        }
        List<BarChart> bars = new ArrayList<>();
        int i = 0;
        for (String m : metrics) {
            bars.add(new BarChart(m, ChartHtml.fragment(Charts.comparison(cmp, m, BAR_HEIGHT), "compare_bar_" + i++)));
        }
        v.model.put("bars", bars);
        v.model.put("stats", stats(cmp, metrics));

        Map<String, String> directions = v.directions();
        String quality = pick(v.url.first("quality"), metrics,
                higher(directions, v.selection.metric()) ? v.selection.metric() : "f1", metrics.get(0));
        String cost = pick(v.url.first("cost"), metrics, defaultCost(metrics), metrics.get(metrics.size() - 1));
        v.model.put("quality", quality);
        v.model.put("cost", cost);
        v.model.put("qualityOptions", View.options(metrics, List.of(quality)));
        v.model.put("costOptions", View.options(metrics, List.of(cost)));
        v.model.put("axisHidden", v.url.pairsExcept(java.util.Set.of("quality", "cost")).stream()
                .map(e -> new View.Hidden(e.getKey(), e.getValue())).toList());
        Table front = ParetoFront.of(cmp, quality, cost);
        List<String> onFront = new ArrayList<>();
        for (int r = 0; r < front.rowCount(); r++) {
            if (front.booleanColumn("pareto").get(r)) {
                onFront.add(front.stringColumn("model_version").get(r));
            }
        }
        v.model.put("pareto", onFront);
        v.model.put("scatterChart", ChartHtml.fragment(Charts.costQuality(cmp, quality, cost), "compare_scatter"));
    }

    private static List<StatRow> stats(Table cmp, List<String> metrics) {
        List<StatRow> rows = new ArrayList<>();
        for (String m : metrics) {
            Table t = cmp.where(cmp.stringColumn("metric").isEqualTo(m));
            for (int r = 0; r < t.rowCount(); r++) {
                String direction = t.stringColumn("direction").get(r);
                boolean higher = direction.startsWith("higher");
                double diff = t.doubleColumn("diff_to_first").getDouble(r);
                double rel = t.doubleColumn("relative_diff_to_first").getDouble(r);
                String diffText = "";
                String css = "";
                if (r > 0 && !Double.isNaN(diff)) {
                    diffText = Formats.signed(diff)
                            + (Double.isNaN(rel) ? "" : " (" + Formats.percent(rel) + ")");
                    if (Double.isNaN(rel) || Math.abs(rel) >= SnapshotTable.NOISE) {
                        css = diff == 0 ? "" : (diff > 0) == higher ? "better" : "worse";
                    }
                }
                rows.add(new StatRow(m, r == 0, t.rowCount(), higher ? "higher" : "lower",
                        t.stringColumn("model_version").get(r), String.valueOf(t.intColumn("n").get(r)),
                        Formats.number(t.doubleColumn("mean").getDouble(r)), Formats.number(t.doubleColumn("stddev").getDouble(r)),
                        Formats.number(t.doubleColumn("min").getDouble(r)), Formats.number(t.doubleColumn("max").getDouble(r)),
                        Formats.number(t.doubleColumn("last").getDouble(r)), diffText, css));
            }
        }
        return rows;
    }

    private static boolean higher(Map<String, String> directions, String metric) {
        return directions.getOrDefault(metric, "higher_is_better").startsWith("higher");
    }

    /** A cost-like metric: one named like cost, else latency. */
    private static String defaultCost(List<String> metrics) {
        for (String m : metrics) {
            if (m.contains("cost")) {
                return m;
            }
        }
        for (String m : metrics) {
            if (m.contains("latency")) {
                return m;
            }
        }
        return null;
    }

    private static String pick(String asked, List<String> metrics, String preferred, String fallback) {
        if (asked != null && metrics.contains(asked)) {
            return asked;
        }
        return preferred != null && metrics.contains(preferred) ? preferred : fallback;
    }
}
