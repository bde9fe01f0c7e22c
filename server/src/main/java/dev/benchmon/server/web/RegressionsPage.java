package dev.benchmon.server.web;

import dev.benchmon.Filter;
import dev.benchmon.alert.Alert;
import dev.benchmon.alert.AlertEvent;
import dev.benchmon.alert.AlertFilter;
import dev.benchmon.alert.AlertState;
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
 * and change points. A regression says which alert follows it and whether someone has taken it (acknowledged, expected,
 * muted), linking to the alert's history. The selection's metric filter applies.
 */
final class RegressionsPage {
    /** A verdict as the tables show it. */
    record RegressionRow(String series, String model, String metric, String direction, String baseline,
                         String current, String change, String severity, String why, LinkCells.Link commit,
                         LinkCells.Link ci, String runAt, String href, boolean selected, String declare,
                         LinkCells.Link seriesPage, LinkCells.Link run, TriageMark alert) {
    }

    /**
     * The alert a regression row belongs to, as the row marks it: {@code link} to its page ({@code #12 acknowledged},
     * titled with the newest triage: {@code ana: bisecting}), {@code state} its state, {@code triaged} whether
     * someone took it (acknowledged, expected or muted); {@link #NONE} when no alert of the row's series and metric
     * is active or expected.
     */
    record TriageMark(LinkCells.Link link, String state, boolean triaged) {
        static final TriageMark NONE = new TriageMark(new LinkCells.Link("", "", ""), "", false);
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
        // The alerts the regressions may belong to, read once: active ones and expected ones (an expected change is
        // one a person accepted, which the row should say rather than show as news).
        List<Alert> alerts = flagged.isEmpty() ? List.of() : v.benchmon.alertBook().list(AlertFilter.states(AlertState.OPEN,
                AlertState.ACKNOWLEDGED, AlertState.MUTED, AlertState.EXPECTED).withLimit(10_000));
        v.model.put("regressions", rows(v, flagged, chosen, alerts));
        v.model.put("improvements", rows(v, improvements, chosen, List.of()));
        v.model.put("unknownChanges", rows(v, unknown, chosen, List.of()));
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

    private static List<RegressionRow> rows(View v, List<Verdict> verdicts, Verdict chosen, List<Alert> alerts) {
        List<RegressionRow> rows = new ArrayList<>();
        for (Verdict f : verdicts) {
            String dir = f.direction().startsWith("lower") ? "lower" : f.direction().startsWith("higher") ? "higher" : "unknown";
            rows.add(new RegressionRow(f.series(), f.modelVersion(), f.metric(), dir, Formats.number(f.baseline()),
                    Formats.number(f.current()), Formats.percent(f.relativeChange()), f.severity(),
                    f.explanation() == null ? "" : f.explanation(),
                    v.links.commit(f.commitSha()), v.links.ciRun(f.runId()), Formats.minutes(f.runAt()),
                    v.hrefWith("sel", key(f)) + "#detail", f == chosen,
                    f.directionUnknownChange() ? MetricSemantics.declareCommand(f.metric()) : "",
                    v.links.series(f.series()), v.links.run(f.transactionId(), "run"), mark(v, f, alerts)));
        }
        return rows;
    }

    /**
     * The mark of verdict {@code f}: the newest of {@code alerts} of its series and metric raised at or before its run
     * (the alert that follows the change the verdict sees), titled with the newest triage in its history.
     */
    private static TriageMark mark(View v, Verdict f, List<Alert> alerts) {
        Alert own = null;
        for (Alert a : alerts) {
            if (a.metric().equals(f.metric()) && same(a.modelVersion(), f.modelVersion())
                    && same(a.datasetVersion(), f.datasetVersion()) && same(a.promptVersion(), f.promptVersion())
                    && same(a.environment(), f.environment()) && a.transactionId() <= f.transactionId()
                    && (own == null || a.id() > own.id())) {
                own = a;
            }
        }
        if (own == null) {
            return TriageMark.NONE;
        }
        AlertEvent triage = AlertPages.lastTriage(v.benchmon.alertBook().history(own.id()));
        String state = own.state().sqlName();
        String title = triage == null ? "not triaged yet" : state + " by " + triage.actor() + " " + Formats.minutes(triage.at())
                + " UTC" + (triage.comment() == null || triage.comment().isBlank() ? "" : ": " + triage.comment());
        return new TriageMark(new LinkCells.Link("#" + own.id() + " " + state, AlertPages.href(own.id()), title), state,
                own.state() != AlertState.OPEN);
    }

    /** Whether two series names are the same, an absent one (null) the same as an empty one. */
    private static boolean same(String a, String b) {
        return (a == null ? "" : a).equals(b == null ? "" : b);
    }

    /** How {@link #key} spells a verdict: its transaction id, a colon and its metric. */
    private static final Pattern SEL = Pattern.compile("[0-9]+:.+");

    /** The URL key of a verdict: its transaction and metric. */
    static String key(Verdict v) {
        return v.transactionId() + ":" + v.metric();
    }
}
