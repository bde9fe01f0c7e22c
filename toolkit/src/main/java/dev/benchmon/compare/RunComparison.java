package dev.benchmon.compare;

import dev.benchmon.UnknownNameException;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.notebook.ReadableNumber;
import dev.benchmon.query.ReadableTable;
import org.jdbi.v3.core.Jdbi;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Two results compared: result B against result A (the reference), on the same dataset version.
 *
 * @param a       the reference result
 * @param b       the result compared with it
 * @param summary one row per metric both report: {@code metric, direction, value_a, value_b, diff, ci_low, ci_high,
 *                p_value, method, n, b_higher, a_higher, only_a, only_b}. The metric the examples make up (see
 *                {@link RunInfo#examplesMetric(double)}) is compared on the shared items; the others fall back
 *                to the results' stderr, or n for a proportion ({@link #fallback}), else {@code method = none}.
 * @param slices  per slice label ({@code topic=cardiology}) of the shared items: {@code slice, n, mean_a, mean_b,
 *                diff, ci_low, ci_high, p_value, p_holm, method, small}, the biggest change first (by the size of
 *                {@code diff}, a drop as a gain; by slice among equals);
 *                {@code p_holm} is Holm's step-down adjustment over all slices; {@code small} marks slices
 *                under {@link CompareOptions#minSliceSize()} items. Empty without examples or labels.
 * @param flips   the shared items whose scores differ: {@code item_id, score_a, score_b, flip (B higher | A higher),
 *                slice}. Empty without examples.
 * @param notes   how rows were judged that the two results alone could not judge (see {@link #withRunToRun}), or why
 *                a row has no interval and how to get one; one sentence each
 * @param runsA   when some of A's values are the means of its runs rather than result A's own ({@link #withRunToRun}):
 *                which runs; else {@code null}
 * @param runsB   the same for B
 * @param alerts  active alerts (open or acknowledged), a regression's or a change point's, that A's or B's newest run is under: a comparison
 *                saying "B better" on its means while B's newest run is a regression reads as all clear otherwise
 */
public record RunComparison(RunInfo a, RunInfo b, Table summary, Table slices, Table flips, List<String> notes,
                            RunMeans runsA, RunMeans runsB, List<NewestRunAlert> alerts) {
    public RunComparison {
        notes = List.copyOf(notes);
        alerts = List.copyOf(alerts);
        // Printed as values in JShell and notebooks: readable, as the query tables are.
        summary = ReadableTable.of(summary);
        slices = ReadableTable.of(slices);
        flips = ReadableTable.of(flips);
    }

    /** Two results compared on their own values (no run means, no alerts looked up). */
    public RunComparison(RunInfo a, RunInfo b, Table summary, Table slices, Table flips, List<String> notes) {
        this(a, b, summary, slices, flips, notes, null, null, List.of());
    }

    /**
     * The runs whose means stand for a side's values of {@code metrics} (those judged run-to-run).
     *
     * @param runs          how many runs (not excluded) of the side's model version on A's dataset version and
     *                      environment report the metric the means are over (the most, when the metrics differ)
     * @param firstRunAt    the oldest of them ({@code run_at})
     * @param lastRunAt     the newest of them
     * @param newestResult  the transaction id of the newest of them
     * @param metrics       the metrics whose values are those means, in the summary's order
     * @param fewestRuns    the fewest runs of one of those metrics ({@code runs} when they all have as many)
     */
    public record RunMeans(int runs, java.time.Instant firstRunAt, java.time.Instant lastRunAt, long newestResult,
                           List<String> metrics, int fewestRuns) {
        public RunMeans {
            metrics = List.copyOf(metrics);
        }

        /** Means whose metrics all have {@code runs} runs. */
        public RunMeans(int runs, java.time.Instant firstRunAt, java.time.Instant lastRunAt, long newestResult,
                        List<String> metrics) {
            this(runs, firstRunAt, lastRunAt, newestResult, metrics, runs);
        }

        /** {@code 90 runs}, or {@code 88-90 runs} when the metrics have different counts: {@link ComparisonLines#runs}. */
        public String runsText() {
            return ComparisonLines.runs(this);
        }
    }

    /**
     * An active alert (kind regression or change_point) that a side's newest run is under (the alert's last run is that run).
     *
     * @param side     {@code A} or {@code B}
     * @param result   the transaction id of that newest run
     * @param alertId  the alert's id
     * @param metric   its metric
     * @param state    {@code open} or {@code acknowledged}
     * @param severity its severity now (the highest its change has reached), else at the opening
     * @param change   its change as its verdict words it, e.g. {@code -15.8 points}
     */
    public record NewestRunAlert(String side, long result, long alertId, String metric, String state, String severity,
                                 String change) {
        /** {@code recall -15.8 points (critical, open alert #7)}: {@link ComparisonLines#alertText}. */
        public String text() {
            return ComparisonLines.alertText(metric, change, severity, state, alertId);
        }
    }

    /**
     * One sentence per side whose newest run is under {@link #alerts()}, worded by {@link ComparisonLines#alerts}: e.g.
     * {@code B's newest run (result id 2152) is under an active alert: recall -15.8 points (critical, open alert #7)};
     * empty when neither is.
     */
    public List<String> alertLines() {
        return ComparisonLines.alerts(alerts, runsA, runsB);
    }

    /** The metrics of the summary judged on the runs of the two model versions ({@link Method#RUN_TO_RUN}). */
    public List<String> runToRunMetrics() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < summary.rowCount(); i++) {
            if (Method.RUN_TO_RUN.label().equals(summary.stringColumn("method").get(i))) {
                out.add(summary.stringColumn("metric").get(i));
            }
        }
        return out;
    }

    /** This comparison with {@code value} as its {@link #alerts()}. */
    public RunComparison withAlerts(List<NewestRunAlert> value) {
        return new RunComparison(a, b, summary, slices, flips, notes, runsA, runsB, value);
    }

    /** This comparison with {@code a}'s and {@code b}'s {@link RunMeans} (null: a side's values are its result's). */
    public RunComparison withRunMeans(RunMeans a, RunMeans b) {
        return new RunComparison(this.a, this.b, summary, slices, flips, notes, a, b, alerts);
    }

    /** The flip label of an item B scored higher. */
    public static final String B_HIGHER = "B higher";
    /** The flip label of an item A scored higher. */
    public static final String A_HIGHER = "A higher";

    /**
     * What A and B differ in besides what is compared, one sentence each ({@link ComparisonLines#differences}): the
     * environment and the prompt version. A difference found may come from those as much as from the model, so every
     * view of the comparison says so. Also a result named explicitly that was excluded through triage: it is compared
     * as asked, but it does not count.
     */
    public List<String> warnings() {
        return ComparisonLines.differences(a, b);
    }

    /**
     * Compares result {@code runB} with result {@code runA} (transaction ids).
     *
     * @throws UnknownNameException when a result does not exist
     * @throws ValidationException  when they are on different dataset versions (field {@code b})
     */
    public static RunComparison compute(Jdbi jdbi, long runA, long runB, CompareOptions options) {
        Map<Long, RunInfo> runs = load(jdbi, List.of(runA, runB));
        for (long id : new long[]{runA, runB}) {
            if (!runs.containsKey(id)) {
                // Ids are not names to list, and an empty list would read "none yet" with thousands stored.
                throw new UnknownNameException("result", String.valueOf(id), ResultRefs.noResultId(String.valueOf(id)));
            }
        }
        RunInfo a = runs.get(runA);
        RunInfo b = runs.get(runB);
        if (!a.datasetVersion().equals(b.datasetVersion())) {
            // B's problem, not the dataset parameter's: with two results named there is no dataset to choose, and
            // "invalid --dataset" sent the command line's user to an option that cannot fix it.
            throw new dev.benchmon.InvalidArgumentException(Problem.of("b", "a paired comparison needs one dataset "
                    + "version: result " + runB + " ran on '" + b.datasetVersion() + "', A (result " + runA + ") on '"
                    + a.datasetVersion() + "'; compare two results of one dataset version, or two model versions on "
                    + "a dataset version"));
        }
        ExampleStore store = new ExampleStore(jdbi);
        Optional<ExampleStore.Outcomes> oa = store.outcomes(runA);
        Optional<ExampleStore.Outcomes> ob = store.outcomes(runB);
        Paired paired = oa.isPresent() && ob.isPresent() ? Paired.of(store, a, oa.get(), ob.get(), options) : null;
        Table summary = summary(a, b, paired, options);
        List<String> notes = new ArrayList<>(unjudgedNotes(summary, a, b,
                noneFor("the two results", paired == null ? null : paired.metric) + "; compare model versions "
                        + "(judged on their runs) or push results with stderr and n",
                "the two results carry " + N_OF_NO_PROPORTION + "; compare model versions (judged on their runs) "
                        + "or push results with stderr"));
        notCompared(a, b, paired == null ? null : paired.metric).ifPresent(notes::add);
        return new RunComparison(a, b, summary, paired == null ? emptySlices() : paired.slices,
                paired == null ? emptyFlips() : paired.flips, notes);
    }

    /**
     * The note naming the metrics only one of the two results reports, which the comparison leaves out: a stray
     * result with one metric as a side's newest had hidden every other metric without a word (2026-12-07). The metric
     * the shared items are compared as ({@code paired}, null for none) is compared whichever result reports it.
     */
    static Optional<String> notCompared(RunInfo a, RunInfo b, String paired) {
        List<String> onlyA = reportedOnlyBy(a, b, paired);
        List<String> onlyB = reportedOnlyBy(b, a, paired);
        if (onlyA.isEmpty() && onlyB.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        if (!onlyA.isEmpty()) {
            parts.add(String.join(", ", onlyA) + " (only in A's result, id " + a.id() + ")");
        }
        if (!onlyB.isEmpty()) {
            parts.add(String.join(", ", onlyB) + " (only in B's result, id " + b.id() + ")");
        }
        return Optional.of("not compared, as the other result does not report them: " + String.join("; ", parts)
                + "; compare two results that both report them (by id), or exclude a stray result with "
                + "'benchmon alerts exclude ID'");
    }

    /** The metrics {@code one} reports and {@code other} does not, but {@code paired}, sorted. */
    private static List<String> reportedOnlyBy(RunInfo one, RunInfo other, String paired) {
        return one.metrics().keySet().stream().filter(m -> !other.metrics().containsKey(m) && !m.equals(paired))
                .sorted().toList();
    }

    /**
     * Why a row has no interval when its results carry neither stderr nor n for it: {@code results} carry no shared
     * items at all ({@code pairedMetric} null), or carry them for another metric only, {@code pairedMetric} (a trial
     * pushed accuracy 0.7 with examples whose mean is 0.71: the items are compared as {@code examples_mean}, and
     * "no shared items" next to "200 shared items" read as a contradiction).
     */
    static String noneFor(String results, String pairedMetric) {
        if (pairedMetric == null) {
            return results + " carry no shared items (examples), stderr or n for them";
        }
        String what = pairedMetric.equals(RunInfo.EXAMPLES_MEAN)
                ? " (the items' mean score, which equals no reported metric within 1e-4)" : "";
        return results + " carry shared items (examples) for " + pairedMetric + what + " only, and no stderr or n for them";
    }

    /** The metric the shared items are compared as (the row with flip counts), or null without shared items. */
    private String pairedMetric() {
        for (int i = 0; i < summary.rowCount(); i++) {
            if (!summary.intColumn("b_higher").isMissing(i)) {
                return summary.stringColumn("metric").get(i);
            }
        }
        return null;
    }

    /** Why a row whose results carry n has no interval without their stderr. */
    private static final String N_OF_NO_PROPORTION = "n but no stderr for them, and n alone gives a standard error "
            + "only for a proportion in [0, 1] (an accuracy-like metric, or one of unit ratio), which they are not";

    /**
     * Notes naming the summary's rows without an interval (method none) and why: {@code whyWithN} for those both
     * results carry {@code n} for (not proportions, so their n gives no standard error), {@code why} for the others;
     * none when every row has one.
     */
    private static List<String> unjudgedNotes(Table summary, RunInfo a, RunInfo b, String why, String whyWithN) {
        List<String> withoutN = new ArrayList<>();
        List<String> withN = new ArrayList<>();
        for (int i = 0; i < summary.rowCount(); i++) {
            if (Method.NONE.label().equals(summary.stringColumn("method").get(i))) {
                String m = summary.stringColumn("metric").get(i);
                boolean sized = a.sampleSizes().getOrDefault(m, 0L) > 0 && b.sampleSizes().getOrDefault(m, 0L) > 0;
                (sized ? withN : withoutN).add(m);
            }
        }
        List<String> out = new ArrayList<>();
        if (!withoutN.isEmpty()) {
            out.add("no interval for " + String.join(", ", withoutN) + ": " + why);
        }
        if (!withN.isEmpty()) {
            out.add("no interval for " + String.join(", ", withN) + ": " + whyWithN);
        }
        return out;
    }

    /**
     * This comparison of A's and B's model versions with each metric their two results could not judge (method none:
     * no shared items, stderr or n of a proportion) judged on the runs of the two model versions instead, as the
     * unpaired comparison ({@code Benchmon.compareModels}, {@code GET /api/v1/compare}) judges it: run-to-run Welch over every run of each
     * on A's dataset version and environment. {@code models} is that comparison's table, with A's model version as the
     * reference. Such a row's {@code value_a} and {@code value_b} are then the means of the runs and {@code n} the runs
     * counted; a note says so, and another names the rows still without an interval (fewer than 2 runs on a side).
     * Rows the latest results judged by their stderr or n keep those results' values, and when either model version
     * has more runs there a note says that A and B are the latest results, not the means of the runs, and gives the
     * means: the unpaired comparison's row says the same ({@code compared = latest_results}).
     */
    public RunComparison withRunToRun(Table models) {
        Table s = summary.copy();
        List<String> judged = new ArrayList<>();
        List<String> latest = new ArrayList<>();
        for (int i = 0; i < s.rowCount(); i++) {
            String method = s.stringColumn("method").get(i);
            if (Method.WELCH_STDERR.label().equals(method) || Method.TWO_PROPORTION.label().equals(method)) {
                String m = s.stringColumn("metric").get(i);
                int rowA = row(models, a.modelVersion(), m);
                int rowB = row(models, b.modelVersion(), m);
                if (rowA >= 0 && rowB >= 0 && models.intColumn("n").get(rowA) + models.intColumn("n").get(rowB) > 2) {
                    latest.add(m + " (run means: A " + ReadableNumber.of(models.doubleColumn("mean").get(rowA)) + " over "
                            + models.intColumn("n").get(rowA) + " runs, B " + ReadableNumber.of(models.doubleColumn("mean")
                            .get(rowB)) + " over " + models.intColumn("n").get(rowB) + ")");
                }
                continue;
            }
            if (!Method.NONE.label().equals(method)) {
                continue;
            }
            String m = s.stringColumn("metric").get(i);
            int rowB = row(models, b.modelVersion(), m);
            int rowA = row(models, a.modelVersion(), m);
            if (rowA < 0 || rowB < 0 || !Method.RUN_TO_RUN.label().equals(models.stringColumn("method").get(rowB))) {
                continue;
            }
            s.doubleColumn("value_a").set(i, models.doubleColumn("mean").get(rowA));
            s.doubleColumn("value_b").set(i, models.doubleColumn("mean").get(rowB));
            for (String c : List.of("diff", "ci_low", "ci_high", "p_value")) {
                s.doubleColumn(c).set(i, models.doubleColumn(c).get(rowB));
            }
            s.stringColumn("method").set(i, Method.RUN_TO_RUN.label());
            s.longColumn("n").set(i, models.longColumn("n_compared").get(rowB));
            judged.add(m + " (" + models.intColumn("n").get(rowA) + " runs of A, " + models.intColumn("n").get(rowB)
                    + " of B)");
        }
        List<String> out = new ArrayList<>();
        if (!latest.isEmpty()) {
            out.add("A and B are the latest results (#" + a.id() + ", #" + b.id() + "), judged by their reported stderr "
                    + "or n, as the unpaired comparison judges them (compared: latest_results), not the means of the runs "
                    + "on " + a.datasetVersion() + " in " + a.environment() + ": " + String.join(", ", latest));
        }
        if (!judged.isEmpty()) {
            out.add("judged on the runs of each model version on " + a.datasetVersion() + " in " + a.environment()
                    + " (run-to-run Welch, as the unpaired comparison judges them), as "
                    + (pairedMetric() == null ? "their latest results carry no shared items, stderr or n of a proportion"
                    : "their latest results carry no stderr or n of a proportion for them (their shared items are "
                    + "compared as " + pairedMetric() + ")") + ": " + String.join(", ", judged)
                    + "; A and B are the means of those runs");
        }
        out.addAll(unjudgedNotes(s, a, b, noneFor("the latest results", pairedMetric()) + ", and "
                + "A or B has fewer than 2 runs to judge run-to-run variation on; push results with stderr and n, or more runs",
                "the latest results carry " + N_OF_NO_PROPORTION + ", and A or B has fewer than 2 runs to judge run-to-run "
                + "variation on; push results with stderr, or more runs"));
        notCompared(a, b, pairedMetric()).ifPresent(out::add);
        return new RunComparison(a, b, s, slices, flips, out, runsA, runsB, alerts);
    }

    /** The row of {@code model}'s {@code metric} in the unpaired comparison's table on A's dataset and environment, or -1. */
    private int row(Table models, String model, String metric) {
        for (int j = 0; j < models.rowCount(); j++) {
            if (models.stringColumn("model_version").get(j).equals(model) && models.stringColumn("metric").get(j).equals(metric)
                    && models.stringColumn("dataset_version").get(j).equals(a.datasetVersion())
                    && models.stringColumn("environment").get(j).equals(a.environment())) {
                return j;
            }
        }
        return -1;
    }

    /**
     * Results by id, with metric directions and which metrics are proportions (by the engine's rules,
     * {@link dev.benchmon.detect.MetricSemantics}).
     */
    static Map<Long, RunInfo> load(Jdbi jdbi, List<Long> ids) {
        Map<Long, RunInfo> out = new TreeMap<>();
        jdbi.useHandle(h -> {
            Map<String, dev.benchmon.MetricDefinition> definitions = dev.benchmon.detect.DetectionService.definitionsIn(h);
            h.createQuery("""
                    SELECT t.id, t.model_version, t.dataset_version, t.prompt_version, t.environment,
                           t.metrics::text AS metrics, t.stderr::text AS stderr, t.sample_sizes::text AS sample_sizes,
                           (SELECT x.reason FROM excluded_runs x WHERE x.transaction_id = t.id) AS excluded_reason
                    FROM benchmark_transactions t WHERE t.id = ANY (CAST(:ids AS bigint[]))""")
                    .bind("ids", ids.toArray(Long[]::new))
                    .map((rs, ctx) -> {
                        Map<String, Double> metrics = RunInfo.doubles(rs.getString("metrics"));
                        RunInfo r = new RunInfo(rs.getLong("id"), rs.getString("model_version"), rs.getString("dataset_version"),
                                rs.getString("prompt_version"), rs.getString("environment"), metrics,
                                RunInfo.doubles(rs.getString("stderr")), RunInfo.longs(rs.getString("sample_sizes")),
                                new TreeMap<>(dev.benchmon.detect.MetricSemantics.directionNames(metrics.keySet(), definitions)),
                                dev.benchmon.detect.MetricSemantics.proportions(metrics.keySet(), definitions),
                                rs.getString("excluded_reason"));
                        out.put(r.id(), r);
                        return null;
                    }).list();
        });
        return out;
    }

    /**
     * Two single results without shared items: their stderr for {@code metric} (Welch, with their n when given),
     * else, for a proportion ({@code proportion}: {@link dev.benchmon.detect.MetricSemantics#isProportion}) with both
     * values in [0, 1], their n (two-proportion z-test), else {@link Method#NONE}: the n of a timing or a loss is a
     * sample size but says nothing of its spread.
     */
    public static Estimate fallback(String metric, boolean proportion, double va, double vb, Map<String, Double> seA,
                                    Map<String, Double> seB, Map<String, Long> nA, Map<String, Long> nB, double confidence) {
        long na = nA.getOrDefault(metric, 0L);
        long nb = nB.getOrDefault(metric, 0L);
        if (seA.containsKey(metric) && seB.containsKey(metric)) {
            return UnpairedStatistics.welchFromStderr(va, seA.get(metric), na, vb, seB.get(metric), nb, confidence);
        }
        if (proportion && na > 0 && nb > 0 && va >= 0 && va <= 1 && vb >= 0 && vb <= 1) {
            return UnpairedStatistics.twoProportion(va, na, vb, nb, confidence);
        }
        return Estimate.unjudged(vb - va, 2);
    }

    private static Table summary(RunInfo a, RunInfo b, Paired paired, CompareOptions options) {
        StringColumn metric = StringColumn.create("metric");
        StringColumn direction = StringColumn.create("direction");
        DoubleColumn valueA = DoubleColumn.create("value_a");
        DoubleColumn valueB = DoubleColumn.create("value_b");
        DoubleColumn diff = DoubleColumn.create("diff");
        DoubleColumn low = DoubleColumn.create("ci_low");
        DoubleColumn high = DoubleColumn.create("ci_high");
        DoubleColumn p = DoubleColumn.create("p_value");
        StringColumn method = StringColumn.create("method");
        LongColumn n = LongColumn.create("n");
        IntColumn bHigher = IntColumn.create("b_higher");
        IntColumn aHigher = IntColumn.create("a_higher");
        IntColumn onlyA = IntColumn.create("only_a");
        IntColumn onlyB = IntColumn.create("only_b");
        List<String> metrics = new ArrayList<>(a.metrics().keySet());
        metrics.retainAll(b.metrics().keySet());
        if (paired != null) {
            metrics.remove(paired.metric);
            metrics.add(0, paired.metric);
        }
        for (String m : metrics) {
            boolean isPaired = paired != null && m.equals(paired.metric);
            double va = isPaired ? paired.meanA : a.metrics().get(m);
            double vb = isPaired ? paired.meanB : b.metrics().get(m);
            Estimate e = isPaired ? paired.estimate
                    : fallback(m, a.proportions().contains(m), va, vb, a.stderr(), b.stderr(), a.sampleSizes(),
                    b.sampleSizes(), options.confidence());
            metric.append(m);
            // The examples' own mean (no reported metric matches it) is a per-item score: higher is better.
            direction.append(m.equals(RunInfo.EXAMPLES_MEAN) ? "higher_is_better" : a.directions().get(m));
            valueA.append(va);
            valueB.append(vb);
            append(diff, e.diff());
            append(low, e.ciLow());
            append(high, e.ciHigh());
            append(p, e.pValue());
            method.append(e.method().label());
            n.append(e.n());
            if (isPaired) {
                bHigher.append(paired.bHigher);
                aHigher.append(paired.aHigher);
                onlyA.append(paired.pairing.onlyA());
                onlyB.append(paired.pairing.onlyB());
            } else {
                bHigher.appendMissing();
                aHigher.appendMissing();
                onlyA.appendMissing();
                onlyB.appendMissing();
            }
        }
        // "paired" only when a row is: a comparison by stderr or n alone is unpaired, and its title said otherwise.
        return Table.create((paired != null ? "paired comparison " : "comparison ") + a.id() + " vs " + b.id(), metric, direction, valueA, valueB, diff,
                low, high, p, method, n, bHigher, aHigher, onlyA, onlyB);
    }

    /** Metrics {@link #toString} lists before saying how many more the summary holds. */
    private static final int SHOWN_METRICS = 10;

    /**
     * A short summary for a terminal (JShell's {@code c ==> ...}, string concatenation, logs), as the toolkit's tables
     * print themselves ({@link ReadableTable}): on a new line, the summary's name, then the header and warning lines
     * {@code benchmon compare} and the Compare page show ({@link ComparisonLines}: what A's and B's values are, a side's
     * newest run under active alerts, what A and B differ in), then one line per metric (at most {@value #SHOWN_METRICS})
     * with A's and B's values, the difference B - A with its interval and p-value, how many items (or runs) it rests on
     * and the verdict, then where the rest is:
     * <pre>
     * paired comparison 12 vs 15
     * A (reference): result id 12 (base on qa @ci)
     * B: result id 15 (cand on qa @ci)
     *   accuracy: A 0.684, B 0.712; B - A +0.028 [+0.011, +0.045], p 0.0012, 500 shared items: B better
     * summary() for the full table (method, counts per side); notes(): 1; slices(): 3; flips(): 41
     * </pre>
     * The verdict: {@code B better} or {@code B worse} when the interval excludes 0 and the metric has a direction,
     * {@code B higher} or {@code B lower} when it has none, {@code no clear difference} when the interval holds 0,
     * {@code no interval} when nothing judged it ({@link #notes()} says why). The record's accessors are unchanged.
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("\n").append(summary.name()).append('\n');
        ComparisonLines.header(this).forEach(l -> out.append(l).append('\n'));
        ComparisonLines.warnings(this).forEach(l -> out.append(l).append('\n'));
        int rows = summary.rowCount();
        if (rows == 0) {
            out.append("  no metric both results report\n");
        }
        for (int i = 0; i < Math.min(rows, SHOWN_METRICS); i++) {
            out.append("  ").append(metricLine(i)).append('\n');
        }
        if (rows > SHOWN_METRICS) {
            out.append("  ... ").append(rows - SHOWN_METRICS).append(" more metric").append(rows - SHOWN_METRICS == 1 ? "" : "s")
                    .append('\n');
        }
        out.append("summary() for the full table (method, counts per side)");
        if (!notes.isEmpty()) {
            out.append("; notes(): ").append(notes.size());
        }
        if (slices.rowCount() > 0) {
            out.append("; slices(): ").append(slices.rowCount());
        }
        if (flips.rowCount() > 0) {
            out.append("; flips(): ").append(flips.rowCount());
        }
        return out.toString();
    }

    /** One summary row as a sentence: values, difference, interval, p, what it rests on, verdict. */
    private String metricLine(int i) {
        StringBuilder line = new StringBuilder(summary.stringColumn("metric").get(i)).append(": A ")
                .append(value(summary.doubleColumn("value_a"), i)).append(", B ").append(value(summary.doubleColumn("value_b"), i));
        DoubleColumn diff = summary.doubleColumn("diff");
        if (diff.isMissing(i)) {
            return line.append(": no difference").toString();
        }
        line.append("; B - A ").append(ReadableNumber.signed(diff.get(i)));
        DoubleColumn low = summary.doubleColumn("ci_low");
        DoubleColumn high = summary.doubleColumn("ci_high");
        boolean interval = !low.isMissing(i) && !high.isMissing(i);
        if (interval) {
            line.append(" [").append(ReadableNumber.signed(low.get(i))).append(", ")
                    .append(ReadableNumber.signed(high.get(i))).append(']');
        }
        if (!summary.doubleColumn("p_value").isMissing(i)) {
            line.append(", p ").append(ReadableNumber.pValue(summary.doubleColumn("p_value").get(i)));
        }
        long n = summary.longColumn("n").isMissing(i) ? 0 : summary.longColumn("n").get(i);
        if (interval && n > 0) { // (0: results with stderr but no n)
            line.append(", ").append(summary.intColumn("b_higher").isMissing(i) ? "n " + n : n + " shared items");
        }
        return line.append(": ").append(verdict(i, interval)).toString();
    }

    private static String value(DoubleColumn c, int i) {
        return c.isMissing(i) ? "-" : ReadableNumber.of(c.get(i));
    }

    private String verdict(int i, boolean interval) {
        if (!interval) {
            return "no interval";
        }
        double low = summary.doubleColumn("ci_low").get(i);
        double high = summary.doubleColumn("ci_high").get(i);
        if (low <= 0 && high >= 0) {
            return "no clear difference";
        }
        boolean higher = low > 0;
        String direction = summary.stringColumn("direction").get(i);
        if ("higher_is_better".equals(direction) || "lower_is_better".equals(direction)) {
            return higher == "higher_is_better".equals(direction) ? "B better" : "B worse";
        }
        return higher ? "B higher" : "B lower";
    }

    static void append(DoubleColumn c, double v) {
        if (Double.isNaN(v)) c.appendMissing(); else c.append(v);
    }

    static Table emptySlices() {
        return Table.create("slices", StringColumn.create("slice"), IntColumn.create("n"), DoubleColumn.create("mean_a"),
                DoubleColumn.create("mean_b"), DoubleColumn.create("diff"), DoubleColumn.create("ci_low"),
                DoubleColumn.create("ci_high"), DoubleColumn.create("p_value"), DoubleColumn.create("p_holm"),
                StringColumn.create("method"), BooleanColumn.create("small"));
    }

    /**
     * The flipped items' table with no rows, as {@link #flips()} has it: {@code item_id} (text), {@code score_a} and
     * {@code score_b} (doubles), {@code flip} ({@link #B_HIGHER} or {@link #A_HIGHER}) and {@code slice} (text).
     */
    public static Table emptyFlips() {
        return Table.create("flipped items", StringColumn.create("item_id"), DoubleColumn.create("score_a"),
                DoubleColumn.create("score_b"), StringColumn.create("flip"), StringColumn.create("slice"));
    }

    /** Holm's step-down adjusted p-values (Holm 1979), in input order; NaN stays NaN and is not counted. */
    public static double[] holm(double[] p) {
        Integer[] order = new Integer[p.length];
        int m = 0;
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
            if (!Double.isNaN(p[i])) m++;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble(i -> Double.isNaN(p[i]) ? 2 : p[i]));
        double[] out = new double[p.length];
        double running = 0;
        for (int rank = 0; rank < p.length; rank++) {
            int i = order[rank];
            if (Double.isNaN(p[i])) {
                out[i] = Double.NaN;
                continue;
            }
            running = Math.max(running, Math.min(1, (m - rank) * p[i]));
            out[i] = running;
        }
        return out;
    }

    /** The paired part: shared items, estimate, slices, flips. */
    private static final class Paired {
        String metric;
        double meanA;
        double meanB;
        Estimate estimate;
        Pairing pairing;
        int bHigher;
        int aHigher;
        Table slices;
        Table flips;

        static Paired of(ExampleStore store, RunInfo a, ExampleStore.Outcomes oa, ExampleStore.Outcomes ob,
                         CompareOptions options) {
            Paired p = new Paired();
            p.metric = a.examplesMetric(oa.mean());
            p.pairing = Pairing.of(oa, ob);
            p.meanA = UnpairedStatistics.mean(p.pairing.a().length == 0 ? new double[]{Double.NaN} : p.pairing.a());
            p.meanB = UnpairedStatistics.mean(p.pairing.b().length == 0 ? new double[]{Double.NaN} : p.pairing.b());
            p.estimate = PairedStatistics.compare(p.pairing.a(), p.pairing.b(), options.confidence(), options.resamples(),
                    options.seed());
            Map<Integer, ExampleStore.Item> items = store.items(p.pairing.ids());
            p.flips = emptyFlips();
            for (int k = 0; k < p.pairing.size(); k++) {
                double sa = p.pairing.a()[k];
                double sb = p.pairing.b()[k];
                if (sa == sb) {
                    continue;
                }
                if (sb > sa) p.bHigher++; else p.aHigher++;
                ExampleStore.Item item = items.get(p.pairing.ids()[k]);
                p.flips.stringColumn("item_id").append(item.key());
                p.flips.doubleColumn("score_a").append(sa);
                p.flips.doubleColumn("score_b").append(sb);
                p.flips.stringColumn("flip").append(sb > sa ? B_HIGHER : A_HIGHER);
                p.flips.stringColumn("slice").append(sliceText(item.slice()));
            }
            p.flips = p.flips.sortOn("flip", "item_id");
            p.slices = slices(p.pairing, items, options);
            return p;
        }
    }

    static String sliceText(Map<String, String> slice) {
        return slice.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /**
     * THE order of slices, which the API, {@code benchmon compare} and the Compare page show as this table gives it:
     * the biggest change first, a drop as much as a gain (by the size of {@code diff}; a slice with none last). Sorted
     * by signed difference, the largest drops sat at the bottom of a long table, under the slices that barely moved.
     */
    static final Comparator<Double> BIGGEST_CHANGE_FIRST = Comparator.comparingDouble(
            (Double d) -> Double.isNaN(d) ? Double.NEGATIVE_INFINITY : Math.abs(d)).reversed();

    /**
     * The comparison per slice label, in {@link #BIGGEST_CHANGE_FIRST} order and by label among equals; seeds differ per
     * label (derived from the seed and the label) and not by order.
     */
    static Table slices(Pairing pairing, Map<Integer, ExampleStore.Item> items, CompareOptions options) {
        Map<String, List<Integer>> byLabel = new TreeMap<>();
        for (int k = 0; k < pairing.size(); k++) {
            ExampleStore.Item item = items.get(pairing.ids()[k]);
            for (Map.Entry<String, String> e : item.slice().entrySet()) {
                byLabel.computeIfAbsent(e.getKey() + "=" + e.getValue(), x -> new ArrayList<>()).add(k);
            }
        }
        record Row(String label, int n, double meanA, double meanB, Estimate e) {
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byLabel.entrySet()) {
            List<Integer> idx = e.getValue();
            double[] a = new double[idx.size()];
            double[] b = new double[idx.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = pairing.a()[idx.get(i)];
                b[i] = pairing.b()[idx.get(i)];
            }
            long seed = options.seed() * 31 + e.getKey().hashCode();
            rows.add(new Row(e.getKey(), a.length, UnpairedStatistics.mean(a), UnpairedStatistics.mean(b),
                    PairedStatistics.compare(a, b, options.confidence(), options.resamples(), seed)));
        }
        rows.sort(Comparator.comparing((Row r) -> r.e().diff(), BIGGEST_CHANGE_FIRST).thenComparing(Row::label));
        double[] p = rows.stream().mapToDouble(r -> r.e().pValue()).toArray();
        double[] holm = holm(p);
        Table t = emptySlices();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            t.stringColumn("slice").append(r.label());
            t.intColumn("n").append(r.n());
            t.doubleColumn("mean_a").append(r.meanA());
            t.doubleColumn("mean_b").append(r.meanB());
            append(t.doubleColumn("diff"), r.e().diff());
            append(t.doubleColumn("ci_low"), r.e().ciLow());
            append(t.doubleColumn("ci_high"), r.e().ciHigh());
            append(t.doubleColumn("p_value"), r.e().pValue());
            append(t.doubleColumn("p_holm"), holm[i]);
            t.stringColumn("method").append(r.e().method().label());
            t.booleanColumn("small").append(r.n() < options.minSliceSize());
        }
        return t;
    }
}
