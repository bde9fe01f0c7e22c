package dev.benchmon.server.web;

import dev.benchmon.Filter;
import dev.benchmon.alert.Alert;
import dev.benchmon.alert.AlertEvent;
import dev.benchmon.alert.AlertState;
import dev.benchmon.alert.Alerts;
import dev.benchmon.alert.Mute;
import dev.benchmon.chart.ChartHtml;
import dev.benchmon.chart.MetricUnits;
import dev.benchmon.chart.Charts;
import dev.benchmon.detect.MetricSemantics;
import dev.benchmon.detect.Outcome;
import dev.benchmon.detect.Verdict;
import dev.benchmon.ingest.TextRules;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
     * titled with the newest triage in the state it set: {@code acknowledged by ana 2026-01-01 04:00 UTC: bisecting},
     * or the series mute that silenced it), {@code state} its state, {@code triaged} whether a person or a series mute
     * took it (acknowledged, expected or muted), never so without a triage to name, nor for a resolved alert;
     * {@link #NONE} when the regression has no alert of its own (one whose runs include its run).
     */
    record TriageMark(LinkCells.Link link, String state, boolean triaged) {
        static final TriageMark NONE = new TriageMark(new LinkCells.Link("", "", ""), "", false);
    }

    /** Runs of the selected series drawn in its chart. */
    private static final int HISTORY_RUNS = 500;

    private RegressionsPage() {
    }

    /**
     * Why "no regressions" may mean "nothing judged yet": the verdicts with no earlier run of their metric to judge
     * against (outcome no_baseline: a series' first run, a metric new to it, or a baseline restarted after an expected
     * change), counted by series and metric; empty when there are none. "No series' latest run is worse than its
     * noise allows" alone read as a verdict on a project of first runs.
     */
    static String noBaselineNote(List<Verdict> verdicts) {
        List<Verdict> first = verdicts.stream().filter(RegressionsPage::noBaseline).toList();
        if (first.isEmpty()) {
            return "";
        }
        long series = first.stream().map(Verdict::series).distinct().count();
        String what = first.size() == 1 ? "1 metric" : first.size() + " metrics";
        String where = series == 1 ? "1 series" : series + " series";
        if (nothingJudged(verdicts)) {
            return "Nothing is judged yet: the latest runs here have no earlier run of their metrics to be judged "
                    + "against (" + what + " in " + where + ": a first run, a new metric, or a baseline restarted).";
        }
        return what + " in " + where + (first.size() == 1 ? " has" : " have") + " no earlier run to be judged against "
                + "yet (a first run, a new metric, or a baseline restarted).";
    }

    /** Whether every verdict of the view has no earlier run to be judged against (and there is one at least). */
    static boolean nothingJudged(List<Verdict> verdicts) {
        return !verdicts.isEmpty() && verdicts.stream().allMatch(RegressionsPage::noBaseline);
    }

    private static boolean noBaseline(Verdict v) {
        return Outcome.NO_BASELINE.jsonName().equals(v.outcome());
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
                        + " RESULT:METRIC)" + instead);
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
        Map<Verdict, TriageMark> marks = marks(v, flagged);
        MetricUnits units = units(v, all);
        v.model.put("regressions", rows(v, units, flagged, chosen, marks));
        v.model.put("olderNote", flagged.isEmpty() ? olderRegressions(v, filter, s) : "");
        v.model.put("noBaselineNote", flagged.isEmpty() ? noBaselineNote(all) : "");
        v.model.put("nothingJudged", nothingJudged(all));
        v.model.put("allTimeHref", v.url().without("from", "to", "sel").with("range", TimeRange.ALL.key()).href("/regressions"));
        v.model.put("improvements", rows(v, units, improvements, chosen, Map.of()));
        v.model.put("unknownChanges", rows(v, units, unknown, chosen, Map.of()));
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
            String metric = chosen.metric();
            v.model.put("chosenSummary", (chosen.explanation() == null || chosen.explanation().isEmpty()
                    ? Formats.percent(chosen.relativeChange()) : units.inExplanation(chosen.explanation(), metric))
                    + "; baseline " + units.withUnit(Formats.number(chosen.baseline()), metric) + " → "
                    + units.withUnit(Formats.number(chosen.current()), metric) + ", " + chosen.outcome().replace('_', ' '));
            v.model.put("chosenTransaction", v.links.run(chosen.transactionId(), "result " + chosen.transactionId()));
            double band = chosen.sd() == null ? Double.NaN : s.effectiveSensitivity() * chosen.sd();
            v.model.put("detailChart", ChartHtml.fragment(Charts.regression(history, chosen.metric(), chosen.baseline(),
                    chosen.transactionId(), band, v.benchmon.detection().changePointTimes(chosen.modelVersion(),
                            chosen.datasetVersion(), chosen.promptVersion(), chosen.environment(), chosen.metric()),
                    v.benchmon.metricDefinitions(List.of(chosen.metric()))), "regression_detail"));
        }
    }

    /** The units of the metrics of {@code verdicts} (one statement), as the rows state values and changes in them. */
    private static MetricUnits units(View v, List<Verdict> verdicts) {
        Set<String> metrics = new java.util.TreeSet<>();
        verdicts.forEach(f -> metrics.add(f.metric()));
        return v.benchmon.metricUnits(metrics);
    }

    private static List<RegressionRow> rows(View v, MetricUnits units, List<Verdict> verdicts, Verdict chosen,
                                            Map<Verdict, TriageMark> marks) {
        List<RegressionRow> rows = new ArrayList<>();
        for (Verdict f : verdicts) {
            String dir = f.direction().startsWith("lower") ? "lower" : f.direction().startsWith("higher") ? "higher" : "unknown";
            rows.add(new RegressionRow(f.series(), f.modelVersion(), f.metric(), dir,
                    units.withUnit(Formats.number(f.baseline()), f.metric()),
                    units.withUnit(Formats.number(f.current()), f.metric()), Formats.percent(f.relativeChange()), f.severity(),
                    f.explanation() == null ? "" : units.inExplanation(f.explanation(), f.metric()),
                    v.links.commit(f.commitSha()), v.links.ciRun(f.runId()), Formats.minutes(f.runAt()),
                    v.hrefWith("sel", key(f)) + "#detail", f == chosen,
                    f.directionUnknownChange() ? MetricSemantics.declareCommand(f.metric()) : "",
                    v.links.series(f.series()), v.links.run(f.transactionId(), "run"),
                    marks.getOrDefault(f, TriageMark.NONE)));
        }
        return rows;
    }

    /**
     * The states of an alert a regression row marks before any other that covers its run: active, or expected (a
     * change a person accepted). A resolved one is named when no such alert covers the run.
     */
    private static final Set<AlertState> MARKED = Set.of(AlertState.OPEN, AlertState.ACKNOWLEDGED, AlertState.MUTED,
            AlertState.EXPECTED);

    /**
     * The marks of the regressions {@code flagged}: each one's own alert, the alert of its series and metric whose runs
     * include its run (from the run the alert names to the newest it follows, as the alert stores them:
     * {@link dev.benchmon.alert.Alerts#covering}; so also a run back-filled between them or one it followed in the
     * middle), titled with the newest triage in its history: the newest active or expected such alert when two do,
     * else the newest resolved one (named with its state, {@code #12 resolved}, as docs/ALERTS.md promises the alert
     * whose runs include the row's run; the row stays drawn as a regression, as its run still regresses). No other
     * alert of the series marks it: an older expected alert is about an earlier change (its run restarted the
     * baseline), not this one; a regression that opened no alert has no mark. Two statements for the whole page (the alerts of the runs, the newest events of those that mark a row;
     * a third, the mutes in force, only when one of them opened muted).
     */
    private static Map<Verdict, TriageMark> marks(View v, List<Verdict> flagged) {
        if (flagged.isEmpty()) {
            return Map.of();
        }
        // With each run's run_at, which every row knows (a verdict stored without one has its run's, read from the
        // log: RegressionDetector#verdicts): the runs are looked up in their own months of the log only.
        Map<Alerts.RunMetric, java.time.Instant> asked = new HashMap<>();
        for (Verdict f : flagged) {
            asked.put(new Alerts.RunMetric(f.transactionId(), f.metric()), f.runAt());
        }
        Map<Alerts.RunMetric, List<Alert>> covering = v.benchmon.alertBook().covering(asked);
        Map<Verdict, Alert> own = new HashMap<>();
        for (Verdict f : flagged) {
            // newest first: the first active or expected one, else the first (a resolved one: the column left the
            // row of an alert resolved from the dashboard empty, as if the regression had opened none)
            List<Alert> of = covering.getOrDefault(new Alerts.RunMetric(f.transactionId(), f.metric()), List.of());
            of.stream().filter(a -> MARKED.contains(a.state())).findFirst().or(() -> of.stream().findFirst())
                    .ifPresent(a -> own.put(f, a));
        }
        Map<Long, Alerts.Latest> latest = v.benchmon.alertBook().latest(own.values().stream().map(Alert::id).distinct().toList());
        // The mutes in force, read only when an alert that opened muted marks a row: its mark names the mute.
        List<Mute> inForce = own.values().stream().anyMatch(a -> openedMuted(a, latest.get(a.id())))
                ? v.benchmon.annotations().mutes(null, Instant.now()) : List.of();
        Map<Verdict, TriageMark> marks = new HashMap<>();
        own.forEach((f, a) -> marks.put(f, mark(v.links, a, latest.get(a.id()), inForce)));
        return marks;
    }

    /**
     * Whether alert {@code a} is muted with no person's event in its history: it opened muted under a mute of its
     * series, so its mark names that mute. (A series mute made while it was open has its own event, by whoever made
     * the mute, naming the mute: a triage like any other.)
     */
    private static boolean openedMuted(Alert a, Alerts.Latest latest) {
        return a.state() == AlertState.MUTED && (latest == null || latest.triage() == null);
    }

    /**
     * The mark of alert {@code a}, linking to its page with the filters in force ({@code links}): taken ({@code triaged}) when a person's event or a series mute put it in its state
     * (acknowledged, expected or muted), titled with that triage in the state the triage set ({@link
     * AlertPages#triageText}), or with the mute in force ({@code inForce}) that silenced it; an open alert is not taken,
     * and its title names the newest triage it had, if any, in that triage's own state.
     */
    private static TriageMark mark(LinkCells links, Alert a, Alerts.Latest latest, List<Mute> inForce) {
        AlertEvent triage = latest == null ? null : latest.triage();
        String state = a.state().sqlName();
        String title;
        boolean triaged;
        if (openedMuted(a, latest)) {
            // Opened muted under a series mute: no person's event to quote, so the mute that silences it.
            Instant now = Instant.now();
            title = inForce.stream().filter(m -> m.seriesId() == a.seriesId() && m.covers(a.metric(), now)).findFirst()
                    .map(m -> "muted by mute " + m.id() + " (" + m.actor() + ", until " + Formats.minutes(m.endsAt())
                            + " UTC): " + m.reason())
                    .orElse("muted by a mute of its series");
            triaged = true;
        } else {
            // A resolved alert is titled with the event that resolved it, the detector's (by benchmon) or a person's.
            AlertEvent newest = latest == null ? null : latest.newest();
            title = a.state() == AlertState.RESOLVED && newest != null && newest.state() == AlertState.RESOLVED
                    ? AlertPages.triageText(newest) : triage == null ? "not triaged yet" : AlertPages.triageText(triage);
            // A resolved alert's row is not drawn quieter: its run still regresses, which a resolution did not take.
            triaged = a.state() != AlertState.OPEN && a.state() != AlertState.RESOLVED && triage != null;
        }
        return new TriageMark(new LinkCells.Link("#" + a.id() + " " + state, links.alert(a.id()), title), state,
                triaged);
    }

    /** How {@link #key} spells a verdict: its transaction id, a colon and its metric. */
    private static final Pattern SEL = Pattern.compile("[0-9]+:.+");

    /** The URL key of a verdict: its transaction and metric. */
    static String key(Verdict v) {
        return v.transactionId() + ":" + v.metric();
    }

    /**
     * When the view's time range hides regressions: how many series' latest runs, outside the range, regress (their
     * stored verdicts, read again without the range), so that an empty table does not read as "all is well". Empty
     * when the range is all time or none is hidden.
     */
    private static String olderRegressions(View v, Filter filter, RegressionSettings s) {
        if (filter.since() == null && filter.until() == null && filter.last() == null) {
            return "";
        }
        Filter untimed = new Filter(filter.environments(), filter.models(), filter.datasets(), filter.prompts(),
                filter.providers(), filter.tags(), null, null, null, filter.metrics(), filter.limit());
        long hidden = v.benchmon.regressions(untimed, s.options()).stream().filter(Verdict::regression)
                .map(Verdict::series).distinct().count();
        return hidden == 0 ? "" : hidden + (hidden == 1 ? " series' latest run regresses" : " series' latest runs regress")
                + " " + outside(v.selection) + ".";
    }

    /**
     * Where runs the range hides are, after "regresses": {@code outside the last 30 days}, {@code outside 2026-11-01 –
     * 2026-11-10}; a custom range open at one end hides runs on its other side only, {@code before 2026-11-01} or
     * {@code after 2026-11-10}. The range's label would read {@code outside start – 2026-11-10}.
     */
    private static String outside(Selection selection) {
        if (selection.range() != TimeRange.CUSTOM) {
            return "outside the " + selection.rangeLabel().toLowerCase(java.util.Locale.ROOT);
        }
        if (selection.to() == null) {
            return "before " + selection.from();
        }
        return selection.from() == null ? "after " + selection.to() : "outside " + selection.rangeLabel();
    }
}
