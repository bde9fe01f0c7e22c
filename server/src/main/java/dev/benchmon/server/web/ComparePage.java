package dev.benchmon.server.web;

import dev.benchmon.BenchmonException;
import dev.benchmon.Filter;
import dev.benchmon.ValidationException;
import dev.benchmon.chart.ChartHtml;
import dev.benchmon.chart.Charts;
import dev.benchmon.chart.DifferenceChart;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.compare.ComparisonLines;
import dev.benchmon.compare.Method;
import dev.benchmon.compare.ResultRefs;
import dev.benchmon.compare.RunComparison;
import dev.benchmon.notebook.ReadableNumber;
import dev.benchmon.query.ComparisonQuery;
import dev.benchmon.query.ParetoFront;
import dev.benchmon.server.api.TableResponses;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Model Comparison: every model against a chosen reference model, one row per model, dataset version and
 * environment (pooling is an explicit choice), differences drawn as dots with their confidence intervals; then
 * one model against the reference on the items both evaluated: paired statistics, per-slice differences and the
 * flipped items (downloadable as CSV); and cost against quality.
 *
 * <p>URL parameters of its own: {@code ref} (reference model), {@code vs} (the model paired with it),
 * {@code pool=1} (pool over dataset versions and environments), {@code quality} and {@code cost} (scatter axes).
 */
final class ComparePage {
    /** A difference chart of one metric. */
    record DiffChart(String metric, String html) {
    }

    /** One row of the statistics table. */
    record StatRow(String metric, boolean firstOfMetric, int metricRows, String direction, String model, String dataset,
                   String environment, String n, String mean, String stddev, String last, String compared, String diff,
                   String interval, String p, String method, String diffCss, boolean reference, String alert) {
        /**
         * The alerts named short for the cell ({@code #4 critical; #7 major}), the whole text in its tooltip: a long
         * note widened the Last column past the card.
         */
        public String alertLabel() {
            if (alert == null || alert.isEmpty()) {
                return "";
            }
            // Each entry is '#4 open, critical: -15.8 points' (severity and change may be absent): id and severity.
            java.util.List<String> labels = new java.util.ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("#(\\d+) [a-z_]+(?:, ([a-z_]+))?").matcher(alert);
            while (m.find()) {
                labels.add("#" + m.group(1) + (m.group(2) == null ? "" : " " + m.group(2)));
            }
            return String.join("; ", labels);
        }
    }

    /** One row of the paired summary, slice or flip tables, already formatted. */
    record Cells(List<String> values, String css) {
    }

    /** The URL parameters of its own (see above). */
    static final List<String> KEYS = List.of("ref", "vs", "pool", "quality", "cost");

    /** What a cost metric is, in words ({@code Charts.costMetrics}, {@code MetricSemantics.isCost}). */
    static final String COST_KINDS = "(latency, cost, memory: a time, price or size, lower is better)";

    /** Why the page draws no cost against quality, in one line. */
    static final String NO_COST = "No cost metric " + COST_KINDS + " in these runs, so no chart: name one like "
            + "latency_ms or cost_usd, or define its unit (ms, USD, MB).";

    /** Flipped items shown on the page; the CSV has all. */
    static final int MAX_FLIPS_SHOWN = 200;
    private static final int ROW_HEIGHT = 34;

    private ComparePage() {
    }

    static void fill(View v) {
        apiParameters(v);
        checkAxis(v, "quality");
        checkAxis(v, "cost");
        checkAxisKind(v, "cost");
        checkAxisKind(v, "quality");
        checkVs(v);
        if (v.selection.metric() == null) {
            return;
        }
        boolean noneChosen = v.selection.models().isEmpty();
        List<String> models = noneChosen ? v.choices.models() : v.selection.models();
        String reference = reference(v, models);
        boolean pooled = v.selection.pooled();
        Filter filter = v.selection.filter().withModels(models.toArray(String[]::new));
        String referenceNote = "";
        // No model chosen: the runs of the focus metric per model here, counted from the rollups before the comparison.
        // Counted on the filter bar's filter as it is (every model): naming all 5,000 models of a project bound an
        // array the planner spent 13 ms on and led it to probe the rollups series by series (125 ms at 1M results,
        // against 35 ms by the rollups' (metric, day) index, V42).
        Map<String, Long> runs = noneChosen ? new java.util.TreeMap<>(v.benchmon.runsPerModel(v.selection.filter(),
                v.selection.metric())) : Map.of();
        if (noneChosen) {
            // Only the models the page lists: one whose first result landed after the list was read has no snapshot
            // in it yet, and as the reference it would not be among the models compared.
            runs.keySet().retainAll(Set.copyOf(models));
        }
        if (v.url().first("ref") == null && noneChosen) {
            // The alphabetically first model may have a single run and nothing to compare; the model with the most
            // runs of the focus metric here has the most to be compared with.
            if (!runs.isEmpty()) {
                reference = mostRuns(runs, reference);
                referenceNote = "Reference: the model with the most " + v.selection.metric()
                        + " runs in this view; choose another here.";
            }
        } else if (v.url().first("ref") == null && reference != null) {
            referenceNote = "Reference: the first model chosen in the filter bar; choose another here.";
        }
        String shownNote = "";
        // The Reference and item-by-item selects offer what a filter bar lists (OfferedNames): with no model chosen in
        // a project of 5,000 models each listed all of them, 290 KB of options apiece.
        List<String> offered = models;
        if (noneChosen && models.size() > DEFAULT_MODELS) {
            // The models with runs of the focus metric that the filter bar's environment, dataset, prompt and time range
            // select (the keys of runs, in name order): those compared are chosen among them and counted against them.
            // The note counted every model in the database ("5 of 109" where the environment chosen holds 96), then
            // every model with any result in the view, also those without the metric compared.
            Set<String> inView = new LinkedHashSet<>(runs.keySet());
            List<String> compared = mostRunModels(runs, reference, List.copyOf(inView), DEFAULT_MODELS);
            inView.addAll(compared); // a reference named by ref= without results in the view is compared all the same
            List<String> first = new ArrayList<>(compared);
            String vs = v.url().first("vs");
            if (vs != null && models.contains(vs) && !first.contains(vs)) {
                first.add(vs);
            }
            offered = OfferedNames.of(models, first);
            filter = v.selection.filter().withModels(compared.toArray(String[]::new));
            if (inView.size() > compared.size()) {
                shownNote = "Compared: " + compared.size() + " of the " + inView.size() + " models with "
                        + v.selection.metric() + " runs in this view, the reference and those with the most, then by name; "
                        + "choose models in the filter bar to compare others.";
            }
        }
        CompareOptions options = CompareOptions.defaults().withReference(reference).withPooled(pooled);
        Table cmp = v.benchmon.compareModels(filter, options);
        v.model.put("referenceNote", referenceNote);
        v.model.put("shownNote", shownNote);
        v.model.put("charts", true);
        v.model.put("reference", reference == null ? "" : reference);
        v.model.put("referenceOptions", View.options(offered, reference == null ? List.of() : List.of(reference)));
        // The models not listed are found by the type-ahead beside the Reference and item-by-item selects.
        v.model.put("modelsUnlisted", offered.size() < models.size());
        v.model.put("pooled", pooled);
        v.model.put("confidence", "95%");
        v.model.put("hasData", cmp.rowCount() > 0);
        v.model.put("absentNote", absentNote(v, cmp));
        v.model.put("oneModelNote", oneModelNote(v, cmp));
        v.model.put("ownHidden", v.url().pairsExcept(Set.of("ref", "vs", "pool")).stream()
                .map(e -> new View.Hidden(e.getKey(), e.getValue())).toList());
        if (cmp.rowCount() == 0) {
            return;
        }
        List<String> metrics = new ArrayList<>(cmp.stringColumn("metric").unique().asList());
        metrics.sort(null);
        if (metrics.remove(v.selection.metric())) {
            metrics.add(0, v.selection.metric()); // the focus metric first
        }
        // The units and directions of the metrics compared (and the chosen one), and only those: one statement.
        Set<String> shown = new LinkedHashSet<>(metrics);
        shown.add(v.selection.metric());
        Table definitions = v.benchmon.metricDefinitions(shown);
        List<DiffChart> charts = new ArrayList<>();
        int i = 0;
        for (String m : metrics) {
            Table rows = cmp.where(cmp.stringColumn("metric").isEqualTo(m).and(cmp.doubleColumn("diff").isNotMissing()));
            if (rows.rowCount() > 0) {
                charts.add(new DiffChart(m, ChartHtml.fragment(DifferenceChart.forMetric(cmp, m,
                        Math.min(4000, 130 + ROW_HEIGHT * rows.rowCount()), definitions), "compare_diff_" + i++)));
            }
        }
        v.model.put("diffCharts", charts);
        // The chart shown first: the focus metric when these models have it, else the first by name (f1 is the
        // focus by default, and models without it were told "f1 first.").
        v.model.put("firstMetric", charts.isEmpty() ? "" : charts.get(0).metric());
        v.model.put("stats", stats(cmp, metrics));
        paired(v, offered, reference, options);
        pareto(v, cmp, metrics, definitions);
    }

    /**
     * {@code a} and {@code b}, the paired comparison's parameters of {@code GET /api/v1/compare}, given to the page
     * (empty or not): named in the page's notice with what the page reads instead, rather than in the general list of
     * parameters the dashboard ignores, as a user who sent them expected a comparison of the two.
     */
    private static void apiParameters(View v) {
        for (String key : List.of("a", "b")) {
            if (v.ignored.remove(key)) {
                v.problems.add(key + ": the Compare page does not read " + key + " (a and b are parameters of "
                        + "GET /api/v1/compare?paired=true); choose the models to compare in the filter bar (model), "
                        + "the reference under Reference (ref) and the model compared with it item by item (vs)");
            }
        }
    }

    /**
     * Models compared, the reference among them, when none is chosen in the filter bar. Every model of the bar was
     * compared before: at 1M results of 60 models, 4,500 rows and 3.5 MB of HTML in 1.7-2.1 s, past the page's 300 ms
     * and past reading; five models took 100-150 ms (2026-12-05).
     */
    static final int DEFAULT_MODELS = 5;

    /**
     * The models compared when none is chosen: the reference, then the others with the most runs in {@code runs}
     * (model to runs of the focus metric), the first in name order among equals, then, while fewer than {@code max},
     * the rest in name order.
     */
    static List<String> mostRunModels(Map<String, Long> runs, String reference, List<String> models, int max) {
        List<String> out = new ArrayList<>();
        if (reference != null) {
            out.add(reference);
        }
        // Each model's count looked up once (runs may be a TreeMap: looked up in the sort's comparator, 5,000 models
        // cost 120,000 tree lookups a page), then the most runs first, by name among equals.
        record Counted(String model, long runs) {
        }
        models.stream().filter(m -> !m.equals(reference)).map(m -> new Counted(m, runs.getOrDefault(m, 0L)))
                .filter(c -> c.runs() > 0)
                .sorted(java.util.Comparator.comparingLong(Counted::runs).reversed().thenComparing(Counted::model))
                .limit(Math.max(0, max - out.size())).forEach(c -> out.add(c.model()));
        // Then, while there is room, the others in name order: models without a run of the focus metric (none when
        // the page passes the keys of runs).
        models.stream().filter(m -> !out.contains(m)).limit(Math.max(0, max - out.size())).forEach(out::add);
        return out;
    }

    /** Models named in an absence note at most; the rest are counted. */
    private static final int MAX_ABSENT_NAMED = 5;

    /**
     * Why a model chosen in the filter bar is not in the comparison: it has no runs in the view's time range. Names
     * each such model with its last run ({@code probe-b has no runs in last 30 days: its last run was 2026-10-04 12:00
     * UTC (60 days ago)}) and says what to do; empty when every model chosen is compared. Without it the differences said
     * "nothing to compare" while the statistics table showed the reference and the item-by-item table, which compares
     * the latest results wherever they are in time, showed the absent model.
     */
    private static String absentNote(View v, Table cmp) {
        Set<String> compared = cmp.rowCount() == 0 ? Set.of() : new java.util.HashSet<>(cmp.stringColumn("model_version").asList());
        List<String> absent = v.selection.models().stream().filter(m -> !compared.contains(m)).toList();
        if (absent.isEmpty()) {
            return "";
        }
        // The last run of each in the view but for its time range: the range is what leaves it out.
        Selection sel = v.selection;
        Filter untimed = Filter.all().withModels(absent.stream().limit(MAX_ABSENT_NAMED).toList());
        if (!sel.environments().isEmpty()) untimed = untimed.withEnvironments(sel.environments());
        if (!sel.datasets().isEmpty()) untimed = untimed.withDatasets(sel.datasets());
        if (!sel.prompts().isEmpty()) untimed = untimed.withPrompts(sel.prompts());
        Map<String, java.time.Instant> last = new java.util.HashMap<>();
        Table latest = v.benchmon.latestSnapshots(untimed);
        for (int r = 0; r < latest.rowCount(); r++) {
            java.time.Instant at = latest.instantColumn("run_at").get(r);
            last.merge(latest.stringColumn("model_version").get(r), at, (x, y) -> x.isAfter(y) ? x : y);
        }
        String range = sel.range().window() == null ? "this time range" : "the " + sel.range().label().toLowerCase(java.util.Locale.ROOT);
        List<String> named = new ArrayList<>();
        for (String m : absent.stream().limit(MAX_ABSENT_NAMED).toList()) {
            java.time.Instant at = last.get(m);
            named.add(m + (at == null ? " has no runs with this dataset, environment and prompt choice"
                    : " has no runs in " + range + ": its last run was " + Formats.minutes(at) + " UTC ("
                    + Formats.ago(at, v.now) + ")"));
        }
        // Widening the range brings back only a model that has a run outside it; those past the named are not looked up
        long outsideRange = absent.stream().limit(MAX_ABSENT_NAMED).filter(last::containsKey).count()
                + Math.max(0, absent.size() - MAX_ABSENT_NAMED);
        return String.join("; ", named) + (absent.size() > MAX_ABSENT_NAMED ? "; and " + (absent.size() - MAX_ABSENT_NAMED)
                + " more models" : "") + "." + (outsideRange == 0 ? "" : " Widen the time range in the filter bar to compare "
                + (outsideRange == absent.size() ? (absent.size() == 1 ? "it" : "them")
                : outsideRange == 1 ? "the one with a last run" : "those with a last run") + " here; the item-by-item "
                + "comparison below takes each model's latest result, whenever it ran.");
    }

    /**
     * What to do when the comparison holds one model, which nothing can be compared with: choose at least two. Empty when
     * it holds none or several. The page said "The reference needs results on the same dataset version and environment
     * as the other models", which sent a user who had chosen one model after dataset versions.
     */
    private static String oneModelNote(View v, Table cmp) {
        List<String> compared = cmp.rowCount() == 0 ? List.of() : cmp.stringColumn("model_version").unique().asList();
        if (compared.size() != 1) {
            return "";
        }
        return v.selection.models().size() == 1
                ? "Choose at least two models to compare: only " + compared.get(0) + " is chosen in the filter bar."
                : "Choose at least two models to compare: only " + compared.get(0) + " has results in this view; widen "
                + "the filter bar or the time range.";
    }

    /**
     * The model with the most runs in {@code runs} (model to runs, {@code Benchmon.runsPerModel}), the first in name
     * order among equals; {@code fallback} when none has any.
     */
    static String mostRuns(Map<String, Long> runs, String fallback) {
        String best = fallback;
        long most = 0;
        for (var e : new java.util.TreeMap<>(runs).entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    /** The reference: {@code ref} when it is one of the models, else the first model chosen. */
    private static String reference(View v, List<String> models) {
        String asked = v.url().first("ref");
        if (asked != null && !models.contains(asked)) {
            v.notUnderstood("ref", "ref: the reference model '" + asked + "' is not among the models compared ("
                    + dev.benchmon.UnknownNameException.listed(models) + ")");
            asked = null;
        }
        return asked != null ? asked : models.isEmpty() ? null : models.get(0);
    }

    private static List<StatRow> stats(Table cmp, List<String> metrics) {
        List<StatRow> rows = new ArrayList<>();
        for (String m : metrics) {
            Table t = cmp.where(cmp.stringColumn("metric").isEqualTo(m));
            for (int r = 0; r < t.rowCount(); r++) {
                Row row = t.row(r);
                String direction = row.getString("direction");
                boolean higher = !direction.startsWith("lower");
                // none and unknown (neither declared nor in the dictionary) have no better or worse
                boolean judged = direction.equals("higher_is_better") || direction.equals("lower_is_better");
                boolean isReference = row.getString("method").equals(ComparisonQuery.REFERENCE);
                String diff = "";
                String interval = "";
                String p = "";
                String css = "";
                if (!row.isMissing("diff")) {
                    double d = row.getDouble("diff");
                    diff = Formats.difference(d);
                    if (!row.isMissing("ci_low")) {
                        double lo = row.getDouble("ci_low");
                        double hi = row.getDouble("ci_high");
                        interval = "[" + Formats.difference(lo) + ", " + Formats.difference(hi) + "]";
                        // Coloured only when the interval excludes zero: a difference the data supports.
                        if (judged && (lo > 0 || hi < 0)) {
                            css = (d > 0) == higher ? "better" : "worse";
                        }
                    }
                    p = row.isMissing("p_value") ? "" : ReadableNumber.pValue(row.getDouble("p_value"));
                }
                rows.add(new StatRow(m, r == 0, t.rowCount(), !judged ? direction : higher ? "higher" : "lower",
                        row.getString("model_version"), row.getString("dataset_version"), row.getString("environment"),
                        String.valueOf(row.getInt("n")), Formats.number(row.getDouble("mean")),
                        Formats.number(row.getDouble("stddev")), Formats.number(row.getDouble("last")), compared(row),
                        diff, interval, p,
                        isReference ? "reference" : Method.wordsOf(row.getString("method")), css, isReference,
                        row.getString("active_alert")));
            }
        }
        return rows;
    }

    /**
     * The two values a row's difference is between, and what they are: "latest results: 0.524 − 0.442" when the newest
     * results were judged by their stderr (not the Mean beside it), "run means: ..." or "shared items: ..."; empty on
     * the reference's rows and without a difference.
     */
    static String compared(Row row) {
        String what = row.getString("compared");
        if (what.isEmpty() || row.isMissing("value") || row.isMissing("value_ref")) {
            return "";
        }
        return what.replace('_', ' ') + ": " + Formats.number(row.getDouble("value")) + " \u2212 "
                + Formats.number(row.getDouble("value_ref"));
    }

    /** The item-level comparison of one model ({@code vs}) with the reference. */
    private static void paired(View v, List<String> models, String reference, CompareOptions options) {
        List<String> others = models.stream().filter(m -> !m.equals(reference)).toList();
        String vs = v.url().first("vs");
        if (vs == null || !others.contains(vs)) {
            // By default the first model that has results where the reference has: one it can be compared with.
            Set<String> sharing = reference == null ? Set.of() : ResultRefs.sharingWith(v.benchmon.readJdbi(), reference,
                    others, one(v.selection.datasets()), one(v.selection.environments()));
            vs = others.stream().filter(sharing::contains).findFirst().orElse(others.isEmpty() ? null : others.get(0));
        }
        v.model.put("vs", vs == null ? "" : vs);
        v.model.put("vsOptions", View.options(others, vs == null ? List.of() : List.of(vs)));
        v.model.put("hasPaired", false);
        if (vs == null || reference == null) {
            v.model.put("pairedNote", "Choose at least two models to compare one with the reference item by item.");
            return;
        }
        String several = severalForPaired(v);
        if (several != null) {
            v.model.put("pairedNote", several + "; choose one in the filter bar to compare item by item.");
            return;
        }
        // Item by item needs one dataset version and one environment, and the view names neither by default (the
        // demo's models have results on two of each): the pair both models have their newest results on is compared,
        // and the page says it chose, rather than opening on a refusal.
        List<ResultRefs.Shared> shared = shared(v, reference, vs);
        if (shared.isEmpty()) {
            v.model.put("pairedNote", vs + " and " + reference + " have no results on a common dataset version and "
                    + "environment" + (v.selection.datasets().isEmpty() && v.selection.environments().isEmpty() ? ""
                    : " in this view") + ": choose another model to compare item by item.");
            return;
        }
        RunComparison c;
        try {
            // The page's time range (the filter's since, until or last) bounds the runs judged run to run and their
            // means, as it bounds the statistics table above; it took every run ever made.
            c = v.benchmon.comparison(reference, vs, shared.get(0).dataset(), shared.get(0).environment(), options,
                    v.selection.filter());
        } catch (ValidationException e) {
            // A read: the problems, without the refused write's "nothing was stored" of the exception's message.
            v.model.put("pairedNote", e.problemText());
            return;
        } catch (BenchmonException e) {
            v.model.put("pairedNote", e.getMessage());
            return;
        }
        v.model.put("hasPaired", true);
        // The heading names the two models as the tables do (named in the template): only where they were compared.
        v.model.put("pairedWhere", c.a().datasetVersion() + " @" + c.a().environment());
        // What A's and B's values are (a result's, or the means of its runs) and a side's newest run under active
        // alerts, in the words benchmon compare prints them (ComparisonLines); Pebble escapes them.
        v.model.put("pairedHeader", ComparisonLines.header(c));
        v.model.put("pairedChosen", v.selection.datasets().size() == 1 && v.selection.environments().size() == 1 ? ""
                : "The dataset version and environment both models have their newest results on; choose another in "
                + "the filter bar.");
        v.model.put("pairedWarnings", ComparisonLines.warnings(c));
        // What benchmon compare prints as "note:" lines (rows judged on run means, rows left without an interval and
        // why); the page left them out, so its two tables' differences disagreed with nothing to say why.
        v.model.put("pairedNotes", c.notes());
        // No value is a mean of runs: the table shows the two results' own values, while the statistics table above
        // shows the means of the view's runs. A model with few runs made the two read as contradicting each other.
        v.model.put("pairedOwnValues", c.runsA() == null && c.runsB() == null);
        List<Cells> summary = new ArrayList<>();
        boolean anyPaired = false;
        Set<String> methods = new LinkedHashSet<>();
        for (Row r : c.summary()) {
            boolean paired = r.getString("method").startsWith("paired");
            anyPaired |= paired;
            methods.add(r.getString("method"));
            summary.add(new Cells(List.of(r.getString("metric"), Formats.number(r.getDouble("value_a")),
                    Formats.number(r.getDouble("value_b")), r.isMissing("diff") ? "" : Formats.difference(r.getDouble("diff")),
                    interval(r), r.isMissing("p_value") ? "" : ReadableNumber.pValue(r.getDouble("p_value")),
                    Method.wordsOf(r.getString("method")),
                    paired ? r.getInt("b_higher") + " / " + r.getInt("a_higher") : "",
                    paired ? r.getLong("n") + " shared" + (r.getInt("only_a") + r.getInt("only_b") > 0
                            ? " (+" + r.getInt("only_a") + " only " + Templates.cell(reference) + ", +" + r.getInt("only_b")
                            + " only " + Templates.cell(vs) + ")"
                            : "") : ""), ""));
        }
        v.model.put("pairedSummary", summary);
        v.model.put("anyPaired", anyPaired);
        v.model.put("unpairedFrom", unpairedFrom(methods));
        List<Cells> slices = new ArrayList<>();
        for (Row r : c.slices()) {
            slices.add(new Cells(List.of(r.getString("slice"), String.valueOf(r.getInt("n")),
                    Formats.number(r.getDouble("mean_a")), Formats.number(r.getDouble("mean_b")),
                    r.isMissing("diff") ? "" : Formats.difference(r.getDouble("diff")), interval(r),
                    r.isMissing("p_value") ? "" : ReadableNumber.pValue(r.getDouble("p_value")),
                    r.isMissing("p_holm") ? "" : ReadableNumber.pValue(r.getDouble("p_holm"))), r.getBoolean("small") ? "small" : ""));
        }
        v.model.put("slices", slices);
        v.model.put("sliceChart", c.slices().rowCount() == 0 ? "" : ChartHtml.fragment(DifferenceChart.forSlices(c.slices(),
                "per slice: " + Templates.cell(vs) + " − " + Templates.cell(reference),
                Math.min(4000, 130 + ROW_HEIGHT * c.slices().rowCount())),
                "compare_slices"));
        v.model.put("minSliceSize", options.minSliceSize());
        List<Cells> flips = new ArrayList<>();
        Table f = c.flips();
        for (int k = 0; k < Math.min(MAX_FLIPS_SHOWN, f.rowCount()); k++) {
            Row r = f.row(k);
            flips.add(new Cells(List.of(r.getString("item_id"), Formats.number(r.getDouble("score_a")),
                    Formats.number(r.getDouble("score_b")),
                    Templates.cell(r.getString("flip").equals(RunComparison.B_HIGHER) ? vs : reference) + " higher",
                    r.getString("slice")), r.getString("flip").equals(RunComparison.B_HIGHER) ? "better" : "worse"));
        }
        v.model.put("flips", flips);
        v.model.put("flipCount", f.rowCount());
        v.model.put("flipsHref", v.url().with("ref", reference).with("vs", vs).href("/compare/flips.csv"));
    }

    /**
     * What the differences of an item-by-item comparison without shared items come from, by the methods its rows
     * name (their ids, as in the JSON API; the Method column shows their {@link Method#words}): "the run-to-run
     * variation of each model's runs in this time range (Welch's t-test on run-to-run variation)", "the stderr or n
     * the latest results give (...)", joined with "and" when both. The footnote said "their stderr or n where given"
     * whatever the rows were judged by, beside a Method column of run-to-run variation.
     */
    static String unpairedFrom(Set<String> methods) {
        List<String> from = new ArrayList<>();
        if (methods.contains(Method.RUN_TO_RUN.label())) {
            from.add("the run-to-run variation of each model's runs in this time range (" + Method.RUN_TO_RUN.words() + ")");
        }
        List<String> byResult = java.util.stream.Stream.of(Method.WELCH_STDERR, Method.TWO_PROPORTION)
                .filter(m -> methods.contains(m.label())).map(Method::words).toList();
        if (!byResult.isEmpty()) {
            from.add("the stderr or n the latest results give (" + String.join(", ", byResult) + ")");
        }
        if (methods.contains(Method.NONE.label())) {
            // Neither the latest results (no stderr or n) nor the runs (fewer than two each) give a spread.
            from.add((from.isEmpty() ? "nothing that gives a spread" : "nothing for the others")
                    + " (" + Method.NONE.words() + ", without stderr or n, and fewer than two runs each in this time range)");
        }
        return String.join(" and ", from);
    }

    /** {@code GET /compare/flips.csv}: every flipped item of the page's paired comparison. */
    static void flipsCsv(Context ctx, View v) {
        List<String> models = v.selection.models().isEmpty() ? v.choices.models() : v.selection.models();
        String reference = reference(v, models);
        String vs = v.url().first("vs");
        if (vs == null || vs.equals(reference) || !models.contains(vs)) {
            v.problems.add("vs: name the model to compare with the reference (one of " + dev.benchmon.UnknownNameException.listed(models) + ")");
        }
        String several = severalForPaired(v);
        if (several != null) {
            v.problems.add(several);
        }
        if (v.refuseDownload(ctx)) {
            return;
        }
        List<ResultRefs.Shared> shared = shared(v, reference, vs);
        if (shared.isEmpty()) {
            ctx.status(HttpStatus.BAD_REQUEST).contentType("text/plain; charset=utf-8").result("vs: " + vs + " and "
                    + reference + " have no results on a common dataset version and environment\n");
            return;
        }
        RunComparison c = v.benchmon.comparison(reference, vs, shared.get(0).dataset(), shared.get(0).environment(),
                CompareOptions.defaults().withReference(reference));
        Dashboard.securityHeaders(ctx);
        ctx.header("Content-Disposition", "attachment; filename=\"benchmon-flips-" + c.a().id() + "-" + c.b().id() + ".csv\"");
        ctx.contentType("text/csv; charset=utf-8").result(TableResponses.csv(c.flips()));
    }

    /** Where the page compares two models item by item (the first), as its flipped items' download does. */
    private static List<ResultRefs.Shared> shared(View v, String reference, String vs) {
        return ResultRefs.shared(v.benchmon.readJdbi(), reference, vs, one(v.selection.datasets()),
                one(v.selection.environments()));
    }

    /**
     * What the view names several of where an item-by-item comparison takes one (a dataset version, an environment),
     * worded as "field: problem" as the API refuses a paired comparison; {@code null} when nothing.
     */
    private static String severalForPaired(View v) {
        if (v.selection.datasets().size() > 1) {
            return "dataset: a paired comparison is on one dataset version, got " + String.join(", ", v.selection.datasets());
        }
        if (v.selection.environments().size() > 1) {
            return "env: a paired comparison is in one environment, got " + String.join(", ", v.selection.environments());
        }
        return null;
    }

    /** The one name chosen, or {@code null} for any (none chosen; several are refused before a comparison is made). */
    private static String one(List<String> chosen) {
        return chosen.size() == 1 ? chosen.get(0) : null;
    }

    private static String interval(Row r) {
        if (r.isMissing("ci_low")) {
            return "";
        }
        return "[" + Formats.difference(r.getDouble("ci_low")) + ", " + Formats.difference(r.getDouble("ci_high")) + "]";
    }

    private static void pareto(View v, Table cmp, List<String> metrics, Table definitions) {
        // Only a cost goes on the cost axis (by the one rule, Charts.costMetrics): without one there is no chart,
        // and the page says why rather than drawing a quality (acc_norm) as a cost.
        List<String> costs = new ArrayList<>(Charts.costMetrics(definitions));
        costs.retainAll(metrics);
        v.model.put("noCost", costs.isEmpty() ? NO_COST : "");
        if (costs.isEmpty()) {
            return;
        }
        Map<String, String> directions = View.directions(definitions);
        // The quality axis offers the metrics that are no cost (a latency against a cost draws a front of two costs);
        // where every metric compared is a cost, all of them.
        List<String> qualities = new ArrayList<>(metrics);
        qualities.removeAll(costs);
        if (qualities.isEmpty()) {
            qualities = metrics;
        }
        String quality = pick(v.url().first("quality"), qualities,
                higher(directions, v.selection.metric()) ? v.selection.metric() : "f1", qualities.get(0));
        String cost = pick(v.url().first("cost"), costs, defaultCost(costs), costs.get(0));
        v.model.put("quality", quality);
        v.model.put("cost", cost);
        v.model.put("qualityOptions", View.options(qualities, List.of(quality)));
        v.model.put("costOptions", View.options(costs, List.of(cost)));
        v.model.put("axisHidden", v.url().pairsExcept(Set.of("quality", "cost")).stream()
                .map(e -> new View.Hidden(e.getKey(), e.getValue())).toList());
        Table front = ParetoFront.of(cmp, quality, cost);
        List<String> onFront = new ArrayList<>();
        for (int r = 0; r < front.rowCount(); r++) {
            if (front.booleanColumn("pareto").get(r)) {
                onFront.add(front.stringColumn("model_version").get(r));
            }
        }
        v.model.put("pareto", onFront);
        v.model.put("scatterChart", ChartHtml.fragment(Charts.costQuality(cmp, quality, cost, definitions), "compare_scatter"));
    }

    /**
     * A scatter axis ({@code quality}, {@code cost}) naming a metric the catalog does not know is named and dropped; a
     * known metric this comparison has no results of is understood, and the page picks another for this view.
     */
    private static void checkAxis(View v, String key) {
        checkKnown(v, key, KnownNames.Kind.METRIC);
    }

    /**
     * A scatter axis naming a known metric of the wrong kind is named and dropped: {@code cost} a metric that is no cost
     * (a score, a loss, a count), {@code quality} a cost ({@link #COST_KINDS}). The chart draws quality against cost, and
     * either on the other's axis draws a front that means nothing. One statement, only when the URL names the axis.
     */
    private static void checkAxisKind(View v, String key) {
        String asked = v.url().first(key);
        boolean wantsCost = key.equals("cost");
        if (asked != null && v.choices.isKnown(KnownNames.Kind.METRIC, asked)
                && Charts.costMetrics(v.benchmon.metricDefinitions(List.of(asked))).contains(asked) != wantsCost) {
            v.notUnderstood(key, key + ": '" + dev.benchmon.ingest.TextRules.visible(asked) + "' is "
                    + (wantsCost ? "not a cost metric " + COST_KINDS + "; the chart's cost axis takes only those"
                    : "a cost metric " + COST_KINDS + "; the chart's quality axis takes the others"));
        }
    }

    /**
     * {@code vs} naming a model the catalog does not know is named and dropped, and the page compares its default model
     * with the reference; a known model that is not among those compared (or is the reference) is understood, and the
     * page picks the default for this view, as the reference form, which carries {@code vs} on, makes it.
     */
    private static void checkVs(View v) {
        checkKnown(v, "vs", KnownNames.Kind.MODEL);
    }

    /** A value of {@code key} that names no {@code kind} the catalog knows: named and dropped. */
    private static void checkKnown(View v, String key, KnownNames.Kind kind) {
        String asked = v.url().first(key);
        if (asked != null && !v.choices.isKnown(kind, asked)) {
            v.notUnderstood(key, Selection.unknown(v.choices, kind, key, asked));
        }
    }

    private static boolean higher(Map<String, String> directions, String metric) {
        return directions.getOrDefault(metric, "higher_is_better").startsWith("higher");
    }

    /** Of the cost metrics: one named like cost, else latency; {@code null} for neither. */
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
