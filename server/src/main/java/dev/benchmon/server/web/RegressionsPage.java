package dev.benchmon.server.web;

import dev.benchmon.Filter;
import dev.benchmon.chart.ChartHtml;
import dev.benchmon.chart.Charts;
import dev.benchmon.detect.MetricSemantics;
import dev.benchmon.detect.Verdict;
import dev.benchmon.ingest.TextRules;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Regression Detection: controls, the engine's regressions newest first with why they were flagged,
 * improvements and direction-unknown changes apart, and the selected one's history with its noise band
 * and change points. The selection's metric filter applies.
 */
final class RegressionsPage {
    /** A verdict as the tables show it. */
    record RegressionRow(String series, String model, String metric, String direction, String baseline,
                         String current, String change, String severity, String why, LinkCells.Link commit,
                         LinkCells.Link ci, String runAt, String href, boolean selected, String declare,
                         LinkCells.Link seriesPage, LinkCells.Link run) {
    }

    /** Runs of the selected series drawn in its chart. */
    private static final int HISTORY_RUNS = 500;

    private RegressionsPage() {
    }

    static void fill(View v) {
        RegressionSettings s = v.settings;
        v.model.put("sensitivity", Double.isNaN(s.sensitivity()) ? "" : Formats.number(s.sensitivity()));
        v.model.put("minEffect", s.minEffect() == null ? "" : s.minEffect());
        v.model.put("settingsLabel", s.label());
        Filter filter = v.selection.filter();
        if (v.url().first("metric") != null && v.selection.metric() != null) {
            filter = filter.withMetrics(v.selection.metric()); // the metric filter applies here too
        }
        List<Verdict> all = new ArrayList<>(v.benchmon.regressions(filter, s.options()));
        all.sort(Comparator.comparing(Verdict::runAt).reversed()
                .thenComparing(Verdict::series).thenComparing(Verdict::metric));
        List<Verdict> flagged = all.stream().filter(Verdict::regression).toList();
        List<Verdict> improvements = all.stream().filter(Verdict::improvement).toList();
        List<Verdict> unknown = all.stream().filter(x -> x.directionUnknownChange() || "missing".equals(x.outcome())).toList();
        String sel = v.url().first("sel");
        Verdict chosen = null;
        for (Verdict f : all) {
            if (key(f).equals(sel)) {
                chosen = f;
            }
        }
        if (sel != null && chosen == null) {
            String instead = flagged.isEmpty() ? "" : "; showing the newest regression";
            if (!SEL.matcher(sel).matches()) {
                v.notUnderstood("sel", "sel: '" + TextRules.visible(sel) + "' names no change (a row's link gives"
                        + " TRANSACTION:METRIC)" + instead);
            } else {
                // Understood: a change this view shows no longer (its run left the range), as a page past the last.
                v.pageNotes.add("sel: " + TextRules.visible(sel) + " is not among the changes of this view" + instead);
            }
        }
        Set<String> controlKeys = new HashSet<>(RegressionSettings.KEYS);
        controlKeys.add("sel");
        v.model.put("controlHidden", v.url().pairsExcept(controlKeys).stream()
                .map(e -> new View.Hidden(e.getKey(), e.getValue())).toList());
        if (chosen == null && !flagged.isEmpty()) {
            chosen = flagged.get(0); // show the newest at once rather than an empty chart area
        }
        v.model.put("regressions", rows(v, flagged, chosen));
        v.model.put("improvements", rows(v, improvements, chosen));
        v.model.put("unknownChanges", rows(v, unknown, chosen));
        v.model.put("charts", chosen != null);
        if (chosen != null) {
            Filter series = v.selection.filter().withModels(chosen.modelVersion()).withDatasets(chosen.datasetVersion())
                    .withPrompts(chosen.promptVersion()).withEnvironments(chosen.environment())
                    .withMetrics(chosen.metric()).withLimit(HISTORY_RUNS);
            Table history = v.benchmon.history(series);
            v.model.put("chosenSeries", chosen.series());
            v.model.put("chosenMetric", chosen.metric());
            v.model.put("chosenRun", v.links.run(chosen.transactionId(), "run page"));
            v.model.put("chosenSeriesLink", v.links.series(chosen.series()));
            v.model.put("chosenSummary", (chosen.explanation() == null || chosen.explanation().isEmpty()
                    ? Formats.percent(chosen.relativeChange()) : chosen.explanation())
                    + "; baseline " + Formats.number(chosen.baseline()) + " → " + Formats.number(chosen.current())
                    + ", " + chosen.outcome().replace('_', ' '));
            v.model.put("chosenTransaction", v.links.run(chosen.transactionId(), "transaction " + chosen.transactionId()));
            double band = chosen.sd() == null ? Double.NaN : s.effectiveSensitivity() * chosen.sd();
            v.model.put("detailChart", ChartHtml.fragment(Charts.regression(history, chosen.metric(), chosen.baseline(),
                    chosen.transactionId(), band, v.benchmon.detection().changePointTimes(chosen.modelVersion(),
                            chosen.datasetVersion(), chosen.promptVersion(), chosen.environment(), chosen.metric()),
                    v.benchmon.metricDefinitions(List.of(chosen.metric()))), "regression_detail"));
        }
    }

    private static List<RegressionRow> rows(View v, List<Verdict> verdicts, Verdict chosen) {
        List<RegressionRow> rows = new ArrayList<>();
        for (Verdict f : verdicts) {
            String dir = f.direction().startsWith("lower") ? "lower" : f.direction().startsWith("higher") ? "higher" : "unknown";
            rows.add(new RegressionRow(f.series(), f.modelVersion(), f.metric(), dir, Formats.number(f.baseline()),
                    Formats.number(f.current()), Formats.percent(f.relativeChange()), f.severity(),
                    f.explanation() == null ? "" : f.explanation(),
                    v.links.commit(f.commitSha()), v.links.ciRun(f.runId()), Formats.minutes(f.runAt()),
                    v.hrefWith("sel", key(f)) + "#detail", f == chosen,
                    f.directionUnknownChange() ? MetricSemantics.declareCommand(f.metric()) : "",
                    v.links.series(f.series()), v.links.run(f.transactionId(), "run")));
        }
        return rows;
    }

    /** How {@link #key} spells a verdict: its transaction id, a colon and its metric. */
    private static final Pattern SEL = Pattern.compile("[0-9]+:.+");

    /** The URL key of a verdict: its transaction and metric. */
    static String key(Verdict v) {
        return v.transactionId() + ":" + v.metric();
    }
}
