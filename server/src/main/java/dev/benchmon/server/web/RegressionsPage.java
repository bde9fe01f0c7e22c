package dev.benchmon.server.web;

import dev.benchmon.BaselineMode;
import dev.benchmon.Filter;
import dev.benchmon.chart.ChartHtml;
import dev.benchmon.chart.Charts;
import dev.benchmon.detect.Verdict;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Regression Detection: controls, the flagged regressions newest first, and the selected one's history. */
final class RegressionsPage {
    /** A flagged regression as the table shows it. */
    record RegressionRow(String series, String model, String metric, String direction, String baseline,
                         String current, String change, String severity, String commit, String commitFull,
                         String run, String runAt, String href, boolean selected, String seriesHref, String runHref) {
    }

    /** Runs of the selected series drawn in its chart. */
    private static final int HISTORY_RUNS = 500;

    private RegressionsPage() {
    }

    static void fill(View v) {
        RegressionSettings s = v.settings;
        v.model.put("threshold", s.thresholdText());
        v.model.put("window", String.valueOf(s.window()));
        v.model.put("pinned", s.pinned() == null ? "" : String.valueOf(s.pinned()));
        v.model.put("baselineOptions", List.of(
                new View.Option("mean", "Mean of previous runs", s.baseline() == BaselineMode.MEAN),
                new View.Option("previous", "Previous run", s.baseline() == BaselineMode.PREVIOUS),
                new View.Option("pinned", "Pinned transaction", s.baseline() == BaselineMode.PINNED)));
        v.model.put("baselineLabel", s.baselineLabel());
        Set<String> controlKeys = new HashSet<>(RegressionSettings.KEYS);
        controlKeys.add("sel");
        v.model.put("controlHidden", v.url.pairsExcept(controlKeys).stream()
                .map(e -> new View.Hidden(e.getKey(), e.getValue())).toList());

        List<Verdict> flagged = new ArrayList<>(v.benchmon.regressions(v.selection.filter(),
                s.options().withOnlyRegressions(true)));
        flagged.sort(Comparator.comparing(Verdict::runAt).reversed()
                .thenComparing(Verdict::series).thenComparing(Verdict::metric));
        String sel = v.url.first("sel");
        Verdict chosen = null;
        for (Verdict f : flagged) {
            if (key(f).equals(sel)) {
                chosen = f;
            }
        }
        if (chosen == null && !flagged.isEmpty()) {
            chosen = flagged.get(0); // show the newest at once rather than an empty chart area
        }
        List<RegressionRow> rows = new ArrayList<>();
        var seriesIds = new dev.benchmon.alert.RunRecords(v.benchmon.jdbi()).seriesIds(); // for links to series pages
        for (Verdict f : flagged) {
            rows.add(new RegressionRow(f.series(), f.modelVersion(), f.metric(),
                    f.direction().startsWith("lower") ? "lower" : "higher", Formats.number(f.baseline()),
                    Formats.number(f.current()), Formats.percent(f.relativeChange()), f.severity(),
                    Formats.shortSha(f.commitSha()), f.commitSha() == null ? "" : f.commitSha(),
                    f.runId() == null ? "" : f.runId(), Formats.minutes(f.runAt()),
                    v.hrefWith("sel", key(f)) + "#detail", f == chosen,
                    seriesIds.containsKey(f.series()) ? "/series/" + seriesIds.get(f.series()) : "",
                    "/runs/" + f.transactionId()));
        }
        v.model.put("regressions", rows);
        v.model.put("charts", chosen != null);
        if (chosen != null) {
            Filter series = v.selection.filter().withModels(chosen.modelVersion()).withDatasets(chosen.datasetVersion())
                    .withPrompts(chosen.promptVersion()).withEnvironments(chosen.environment())
                    .withMetrics(chosen.metric()).withLimit(HISTORY_RUNS);
            Table history = v.benchmon.history(series);
            v.model.put("chosenSeries", chosen.series());
            v.model.put("chosenMetric", chosen.metric());
            v.model.put("chosenRunHref", "/runs/" + chosen.transactionId());
            v.model.put("chosenSeriesHref", seriesIds.containsKey(chosen.series()) ? "/series/" + seriesIds.get(chosen.series()) : "");
            v.model.put("chosenSummary", "baseline " + Formats.number(chosen.baseline()) + " → "
                    + Formats.number(chosen.current()) + " (" + Formats.percent(chosen.relativeChange()) + "), "
                    + chosen.severity() + ", transaction " + chosen.transactionId());
            v.model.put("detailChart", ChartHtml.fragment(Charts.regression(history, chosen.metric(), chosen.baseline(),
                    chosen.transactionId()), "regression_detail"));
        }
    }

    /** The URL key of a flagged regression: its transaction and metric. */
    static String key(Verdict v) {
        return v.transactionId() + ":" + v.metric();
    }
}
