package dev.benchmon.server.cli;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.chart.MetricUnits;
import dev.benchmon.ingest.IdempotencyKeys;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.server.ingest.IngestReport;
import dev.benchmon.server.ingest.MetricChange;
import dev.benchmon.server.ingest.ResultReport;

import java.util.List;
import java.util.Locale;

/** The push summary: a small table for the terminal and Markdown for the GitHub job summary. */
final class PushSummary {
    /** Regressed results listed at most (the counts always cover all). */
    static final int MAX_LISTED = 20;

    /**
     * Results whose every metric is listed against its baseline ({@link #judged}) at most: a CI push of a run or a few;
     * a back-fill's summary keeps to its counts and findings.
     */
    static final int MAX_JUDGED_LISTED = dev.benchmon.server.ingest.IngestReport.JUDGED_AT_MOST; // what a server answers

    /** Why a late regression does not fail the push, and how to have such a run judged as the newest instead. */
    static final String LATE_WHY = "A late run is older than a run of its series stored before it: it is judged against "
            + "the runs before it, but the newer stored run stands for the series, so a late regression opens no alert and "
            + "does not fail --fail-on-regression. To have it judged as the series' newest run, push it with a run_at "
            + "after that run (or without run_at).";

    /** The heading of the regressions of earlier runs of a push of several runs of their series (a back-fill). */
    static final String EARLIER_TITLE = "regressions of earlier runs of this push (no alert of their own; do not fail the push)";

    /**
     * Why a regression of an earlier run of the push opens no alert: the rule of
     * {@link dev.benchmon.detect.RunVerdicts#standsForSeries}, as the alerting applies it.
     */
    static final String EARLIER_WHY = "Each run of a push of several runs of a series (a back-fill) is judged against the "
            + "runs before it, as if sent alone, but the series' newest run stands for the series: alerts open, follow "
            + "and resolve on its verdict, and a shift that persists is alerted through it or the change point the "
            + "series' history then holds (listed under alerts). An earlier run's regression alone, such as a noisy run "
            + "the runs after it are back from, opens no alert and does not fail --fail-on-regression.";

    /**
     * Why a pushed result was not stored again: a push that stores nothing and exits 0 otherwise looks like a lost
     * push. Said only when some result was already present, with the way to store a repeat that fits each such result
     * (one line per kind): one that carried its own idempotency_key matched on that key alone (a key benchmon derived,
     * such as one an adapter gives a tool's result, is no key of the sender's: {@link IdempotencyKeys#hasOwnKey}); a
     * run_id is advised only to results without one (one they have is part of what matched); a result without run_id
     * or run_at matched on its whole content.
     *
     * @param pushed the results as read, before push derived their keys (indexed as the report is)
     */
    static String alreadyPresentWhy(IngestReport report, Sent pushed) {
        java.util.SortedSet<Match> matches = new java.util.TreeSet<>();
        report.results().stream().filter(r -> !r.created()).forEach(r -> matches.add(Match.of(pushed.at(r.index()))));
        return String.join("\n", matches.stream().map(m -> m.why).toList());
    }

    /**
     * The results answered already present that had metric values dropped at input (NaN, Infinity, text: the warnings
     * {@code warnings} name, by the result's number in the files), one line per way their keys were derived
     * ({@link Match}): {@code already present without the values dropped above: result 2 (id 9) (metrics.loss): ...
     * (push with --strict to refuse such a result, or give each run a run_id or run_at to store it apart)}, that advice
     * only for keys derived from the whole content (a result with a run_at is told to send a run_id or an
     * idempotency_key). Their keys are derived from the values left, as stored, so a
     * run that differed from a stored one only in a value that cannot be stored matches it; "the same values" of
     * {@link #alreadyPresentWhy} is then said of those values, not of the file's. Empty when there is none.
     */
    static java.util.Optional<String> presentWithoutDropped(IngestReport report, List<IngestWarning> warnings, Sent pushed) {
        java.util.Map<Long, List<String>> dropped = new java.util.HashMap<>(); // by the result's number in the files
        warnings.stream().filter(IngestWarning::droppedMetricValue).forEach(w -> dropped.computeIfAbsent((long) w.index(),
                i -> new java.util.ArrayList<>()).add(w.field()));
        java.util.function.Function<ResultReport, List<String>> of = r -> r.index() < 0
                || r.index() >= pushed.numbers().size() ? null : dropped.get(pushed.numbers().get(r.index()));
        // one line per way the results were keyed: only a key derived from the whole content is kept apart by a
        // run_id or run_at; a result with one, or with its own key, needs another
        java.util.SortedMap<Match, List<String>> named = new java.util.TreeMap<>();
        report.results().stream().filter(r -> !r.created() && of.apply(r) != null).limit(MAX_LISTED)
                .forEach(r -> named.computeIfAbsent(Match.of(pushed.at(r.index())), m -> new java.util.ArrayList<>())
                        .add(pushed.numbered(r) + " (" + String.join(", ", of.apply(r)) + ")"));
        return named.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(String.join("\n", named.entrySet()
                .stream().map(e -> "already present without the values dropped above: " + String.join(", ", e.getValue())
                        + ": the values left match a stored result, so a run that differed only in a value that cannot "
                        + "be stored is not stored again (push with --strict to refuse such a result, or "
                        + e.getKey().apart + " to store it apart)").toList()));
    }

    /** What an already present result matched a stored one on, and how to store a repeat. */
    private enum Match {
        OWN_KEY("already present: a result with that idempotency_key is stored already; send a new idempotency_key to "
                + "store a repeat", "send a new idempotency_key"),
        RUN_ID("already present: a result with the same run_id, series, run time and values is stored; send it with "
                + "a new run_id or an idempotency_key to store a repeat", "send a new run_id or an idempotency_key"),
        TOOL_RUN("already present: a result of the same run_id and series with the same values (and the same time "
                + "in the tool's file) is stored; push it with a new run_id to store a repeat", "push it with a new run_id"),
        DERIVED_KEY("already present: a result with the same series, run time and values is stored; send a run_id or "
                + "an idempotency_key to store a repeat", "send a run_id or an idempotency_key"),
        CONTENT("already present: a result with the same content (series, values and every other field; it names no "
                + "run_id or run_at) is stored; send a run_id, a run_at or an idempotency_key to store a repeat",
                "give each run a run_id or run_at");

        final String why;
        /** How to store such a result apart from the stored one: {@code give each run a run_id or run_at}. */
        final String apart;

        Match(String why, String apart) {
            this.why = why;
            this.apart = apart;
        }

        /**
         * What {@code sent} (as read, {@code null} when unknown) matched on. A key in the shape benchmon derives keys
         * ({@code sha256:...}, {@code content:sha256:...}, not a stored form) is no key of the sender's
         * ({@link IdempotencyKeys#hasOwnKey}), so the advice to send a new idempotency_key does not fit it: it is
         * the key an adapter fixed for a tool's result of a CI run keyed without the tool's time ({@code run_at_sent:
         * false}, {@code AdaptedResults.ciRunOfToolTime}), or the key an earlier version derived from the tool's file
         * read otherwise ({@code IdempotencyKeys.keyedAsDerivedBefore}: Google Benchmark times in the unit reported),
         * derived, as every such key, from the run id, series, run time and values, or from the whole content.
         */
        static Match of(BenchmarkResult sent) {
            if (sent == null) {
                return DERIVED_KEY;
            }
            if (sent.idempotencyKey() != null && IdempotencyKeys.isDerived(sent.idempotencyKey())) {
                if (sent.idempotencyKey().startsWith("content:")) {
                    return CONTENT;
                }
                return sent.runId() == null ? DERIVED_KEY : sent.runAtSent() ? RUN_ID : TOOL_RUN;
            }
            if (IdempotencyKeys.hasOwnKey(sent)) {
                return OWN_KEY;
            }
            return sent.runId() != null ? RUN_ID : sent.runAt() == null ? CONTENT : DERIVED_KEY;
        }
    }

    /** The heading of regressions this push stored whose alert is resolved already (by a later run it stored). */
    static final String RESOLVED_TITLE = "regressions whose alert is resolved (do not fail the push)";

    private PushSummary() {
    }

    /**
     * The results pushed, as read (before push derived their keys), each with its index among all the files' results,
     * those {@code --metrics} skipped counted, as a refusal's or a warning's path names it ({@code results[6]}). A
     * report's index is a place in {@code results}; the summary names that result by its position, counted from 1
     * ({@link #label}).
     *
     * @param results the results pushed, in the order the report indexes them
     * @param numbers each result's index among the files' results ({@code results.size()} of them)
     */
    record Sent(List<BenchmarkResult> results, List<Long> numbers) {
        Sent {
            results = List.copyOf(results);
            numbers = List.copyOf(numbers);
            if (numbers.size() != results.size()) {
                throw new IllegalArgumentException(numbers.size() + " numbers for " + results.size() + " results");
            }
        }

        /** The result at place {@code index} of a report, {@code null} when there is none there. */
        BenchmarkResult at(int index) {
            return index >= 0 && index < results.size() ? results.get(index) : null;
        }

        /**
         * {@code result 7}: the result at place {@code index} of a report, by its position among the files' results
         * counted from 1 (the 7th; {@code results[6]} in a warning's path). Worded apart from the id it is stored under
         * and from an alert's number ({@code alert #3}): the output names all three, and a bare {@code #6} could be any of them.
         * A warning about the result names it so too ({@link IngestWarning#resultLabel}).
         */
        String label(int index) {
            return IngestWarning.resultLabel(index >= 0 && index < numbers.size() ? numbers.get(index) : index);
        }

        /**
         * {@code result 7 (id 2198)}: the result {@code r} reports, by its position in the files and the id it is
         * stored under (the run's id, which {@code benchmon alerts exclude RUN}, the dashboard's /runs/N and the alerts'
         * history, "in run 2198", name it by; left out when a server does not say).
         */
        String numbered(ResultReport r) {
            return label(r.index()) + (r.id() > 0 ? " (id " + r.id() + ")" : "");
        }

        /** {@code result 7 (id 2198) m / d @ci}: {@link #numbered} and the series, as the summary's lines name it. */
        String name(ResultReport r) {
            return numbered(r) + " " + r.series();
        }
    }

    /**
     * The push's report with what this push itself stored: its results stored now, and those a request sent again
     * reported already present (the earlier attempt may have stored them). Only these raise the push's regressions:
     * a result stored before (an export pushed back, a job's push repeated) was judged, and could fail CI, when it was
     * stored; judged again now it would list regressions long resolved. Everything the summaries read of it is worked
     * out once, here.
     */
    static final class Stored {
        private final IngestReport report;
        private final java.util.Set<Integer> resent;
        private final java.util.Set<SeriesMetric> resolved;
        private final List<ResultReport> regressed;
        private final List<ResultReport> late;
        private final List<ResultReport> earlier;
        private final List<ResultReport> resolvedRegressions;
        private final java.util.Set<String> series;
        private final String nothingNew;

        /**
         * @param resent   indexes (as the report's) of the results already present in a request that was sent again
         * @param resolved the series and metrics whose alerts are all resolved ({@link PushAlerts#resolvedOnly}): a
         *                 regression of them is over, listed apart, and fails nothing
         */
        Stored(IngestReport report, java.util.Set<Integer> resent, java.util.Set<SeriesMetric> resolved) {
            this.report = report;
            this.resent = java.util.Set.copyOf(resent);
            this.resolved = java.util.Set.copyOf(resolved);
            this.regressed = ownRegressions(report.regressedStanding(), false);
            this.late = ownRegressions(report.regressed(true), false);
            this.earlier = ownRegressions(report.regressedEarlierInPush(), null);
            this.resolvedRegressions = ownRegressions(report.regressedStanding(), true);
            this.series = report.results().stream().filter(this::own).map(ResultReport::series)
                    .collect(java.util.stream.Collectors.toUnmodifiableSet());
            this.nothingNew = report.results().isEmpty() || report.results().stream().anyMatch(this::own) ? null
                    : "nothing new was stored: all " + report.results().size() + " result(s) were already stored, so "
                    + "this push raises no regression or missing metric and fails neither --fail-on-regression nor "
                    + "--fail-on-missing";
        }

        IngestReport report() {
            return report;
        }

        /** Whether this push stored {@code r} (or may have: its request was sent again). */
        private boolean own(ResultReport r) {
            return r.created() || resent.contains(r.index());
        }

        /** This push's own on-time regressed results (those that can fail it), each with the regressions whose alert is still there. */
        List<ResultReport> regressed() {
            return regressed;
        }

        /** This push's own late regressed results, each with the regressions whose alert is still there. */
        List<ResultReport> late() {
            return late;
        }

        /**
         * This push's own regressed earlier runs of their series ({@link ResultReport#earlierInPush}): they open no
         * alert of their own and fail nothing.
         */
        List<ResultReport> earlier() {
            return earlier;
        }

        /** This push's own on-time regressed results, each with the regressions whose alert is resolved alone. */
        List<ResultReport> resolvedRegressions() {
            return resolvedRegressions;
        }

        /** The series labels ({@code model / dataset / prompt @environment}) of the results this push stored. */
        java.util.Set<String> series() {
            return series;
        }

        /**
         * How many of this push's own results lack a metric of their series' previous run: only these fail
         * {@code --fail-on-missing}, as only its own regressions fail --fail-on-regression (a result stored before
         * had its missing metric said, and could fail CI, when it was stored).
         */
        long missing() {
            return report.results().stream().filter(r -> own(r) && r.missing()).count();
        }

        /**
         * This push's own results with findings other than regressions (improvements, changes of unknown
         * direction): as its regressions, a result stored before had them said when it was stored.
         */
        List<ResultReport> otherFindings() {
            return report.results().stream().filter(r -> own(r) && !r.changes().isEmpty()).toList();
        }

        /** "nothing new was stored: ..." when every result was stored before this push, else null. */
        String nothingNew() {
            return nothingNew;
        }

        /**
         * The results of {@code regressed} this push stored, each with its regressions whose alert is resolved
         * ({@code resolvedOnes} true), still there (false), or all of them (null).
         */
        private List<ResultReport> ownRegressions(List<ResultReport> regressed, Boolean resolvedOnes) {
            List<ResultReport> out = new java.util.ArrayList<>();
            for (ResultReport r : regressed) {
                List<MetricChange> kept = r.regressions().stream().filter(m -> resolvedOnes == null
                        || resolved.contains(new SeriesMetric(r.series(), m.metric())) == resolvedOnes).toList();
                if (own(r) && !kept.isEmpty()) {
                    out.add(new ResultReport(r.index(), r.id(), r.created(), r.series(), r.verdict(), kept, r.changes(),
                            r.late(), r.earlierInPush(), r.attempt(), r.judged()));
                }
            }
            return out;
        }
    }

    /**
     * The heading of the summary's count: the regressed results that stand for their series, as the push answer's
     * {@code standing_regressions} (its {@code regressions} counts every regressed result, earlier runs of the push and
     * late ones too; those are listed apart and never fail the push).
     */
    static final String STANDING = "standing regressions";

    /**
     * The summary's count of this push's on-time regressed results: those whose alert is still there and those whose
     * alert a later run of the push resolved, the latter said apart, so that the count agrees with the lists below it:
     * {@code 2}, {@code 1 (resolved in this push)}, {@code 3 (1 resolved in this push)}. A result with regressions of
     * both kinds counts once, as one still there.
     */
    static String regressionsCell(Stored stored) {
        java.util.Set<Integer> open = new java.util.HashSet<>();
        stored.regressed().forEach(r -> open.add(r.index()));
        long resolved = stored.resolvedRegressions().stream().filter(r -> !open.contains(r.index())).count();
        long all = open.size() + resolved;
        return resolved == 0 ? String.valueOf(all) : resolved == all ? all + " (resolved in this push)"
                : all + " (" + resolved + " resolved in this push)";
    }

    /** The regressed results that can fail the push ({@code late} false), or those that arrived late. */
    static String text(Stored stored, Sent pushed, String target, String verification) {
        IngestReport report = stored.report();
        StringBuilder sb = new StringBuilder();
        sb.append("pushed ").append(report.results().size()).append(" result(s) to ").append(target).append('\n');
        List<ResultReport> regressed = stored.regressed();
        List<ResultReport> late = stored.late();
        String regressions = regressionsCell(stored);
        String width = "%-" + Math.max(STANDING.length() + 1, regressions.length() + 1) + "s";
        sb.append(String.format("%-8s %-16s " + width + "%s", "stored", "already present", STANDING,
                late.isEmpty() ? "" : " late regressions").stripTrailing()).append('\n');
        sb.append(String.format("%-8d %-16d " + width + "%s", report.created(), report.alreadyPresent(), regressions,
                late.isEmpty() ? "" : " " + late.size()).stripTrailing()).append('\n');
        if (stored.nothingNew() != null) {
            sb.append(stored.nothingNew()).append('\n');
        }
        if (report.alreadyPresent() > 0) {
            sb.append(alreadyPresentWhy(report, pushed)).append('\n');
        }
        judged(sb, report, pushed);
        list(sb, "regressions:", regressed, pushed);
        list(sb, RESOLVED_TITLE + ":", stored.resolvedRegressions(), pushed);
        if (!late.isEmpty()) {
            list(sb, "late regressions (do not fail the push):", late, pushed);
            sb.append("  ").append(LATE_WHY).append('\n');
        }
        if (!stored.earlier().isEmpty()) {
            list(sb, EARLIER_TITLE + ":", stored.earlier(), pushed);
            sb.append("  ").append(EARLIER_WHY).append('\n');
        }
        List<ResultReport> changed = stored.otherFindings();
        if (!changed.isEmpty()) {
            sb.append("\nother findings (never fail CI unless --fail-on-missing):\n");
            changed.stream().limit(MAX_LISTED).forEach(r -> r.changes().forEach(m ->
                    sb.append("  ").append(pushed.name(r)).append("  ").append(m.metric())
                            .append(' ').append(m.outcome().replace('_', ' ')).append(": ")
                            .append(MetricUnits.afterLeadingChange(m.text(), m.unit())).append('\n')));
        }
        report.results().stream().filter(r -> r.late() && !r.regressed()).limit(MAX_LISTED).forEach(r -> sb.append("  ").append(pushed.name(r))
                .append(": late arrival, judged against the runs before it\n"));
        reruns(report, pushed).forEach(line -> sb.append("  ").append(line).append('\n'));
        if (verification != null) {
            sb.append(verification).append('\n');
        }
        return sb.toString();
    }

    /**
     * The results that a CI re-run stored as their run's next attempt, one line each (at most {@link #MAX_LISTED}):
     * {@code result 1 (id 2198) m / d @ci: stored (attempt 2 of run 9001: replaces attempt 1)}. Said in the terminal and the job
     * summary alike: without it a re-run reads as one more run of its series.
     *
     * @param pushed the results as read (indexed as the report is), for their run_id and number
     */
    static List<String> reruns(IngestReport report, Sent pushed) {
        return reruns(report, pushed, null).stream().limit(MAX_LISTED).map(r -> r.name() + ": stored (attempt "
                + r.attempt() + " of run " + (r.runId() == null ? "?" : r.runId()) + ": replaces attempt "
                + (r.attempt() - 1) + ")").toList();
    }

    /**
     * A warning when this push replaced an attempt of its own GitHub workflow run's first attempt
     * ({@code GITHUB_RUN_ATTEMPT=1}): no job was re-run, so another job or matrix leg of the run, which shares
     * {@code GITHUB_RUN_ID}, pushed the same series, and one leg's results now hide the other's. Empty otherwise.
     */
    static java.util.Optional<String> sharedRunId(IngestReport report, Sent pushed, java.util.Map<String, String> env) {
        String runId = env.get("GITHUB_RUN_ID");
        if (!"1".equals(env.get("GITHUB_RUN_ATTEMPT")) || runId == null) {
            return java.util.Optional.empty();
        }
        List<String> replaced = reruns(report, pushed, runId).stream().map(Rerun::name).toList();
        if (replaced.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("warning: " + replaced.size() + " result(s) replaced an earlier attempt of run "
                + runId + " though this is its workflow run's first attempt (GITHUB_RUN_ATTEMPT=1): another job or "
                + "matrix leg of the same workflow run (they share GITHUB_RUN_ID) pushed the same series, and only the "
                + "later push now counts: " + String.join(", ", replaced.subList(0, Math.min(MAX_LISTED, replaced.size())))
                + (replaced.size() > MAX_LISTED ? ", ..." : "") + ". Give each job its own --environment (or --run-id "
                + "\"$GITHUB_RUN_ID-<job>\") so that their results are series (or runs) of their own.");
    }

    /** A result a CI re-run stored as its run's next attempt: {@code result 4 (id 2198) m / d @ci}, attempt, run_id sent. */
    private record Rerun(String name, int attempt, String runId) {
    }

    /**
     * The results stored as a re-run's next attempt, read in one pass for {@link #reruns} and {@link #sharedRunId}:
     * all of them ({@code runId} null), or those pushed with {@code runId}.
     */
    private static List<Rerun> reruns(IngestReport report, Sent pushed, String runId) {
        List<Rerun> out = new java.util.ArrayList<>();
        for (ResultReport r : report.results()) {
            BenchmarkResult sent = r.rerun() ? pushed.at(r.index()) : null;
            String sentRunId = sent == null ? null : sent.runId();
            if (r.rerun() && (runId == null || runId.equals(sentRunId))) {
                out.add(new Rerun(pushed.name(r), r.attempt(), sentRunId));
            }
        }
        return out;
    }

    /**
     * Every metric of each result that stands for its series against its baseline, ok ones too, when at most
     * {@value #MAX_JUDGED_LISTED} results do: what a CI log shows of a clean run (the counts alone said nothing of the
     * values). One table per result:
     * <pre>
     * result 1 (id 2198) m / d @ci against its baseline:
     *   metric      value     baseline  change       verdict
     *   f1          0.8100    0.8050    +0.5 points  ok (0.4 sd)
     *   latency_ms  319.0 ms  318.0 ms  +0.3%        ok (0.1 sd)
     * </pre>
     */
    private static void judged(StringBuilder sb, IngestReport report, Sent pushed) {
        for (ResultReport r : judgedResults(report)) {
            List<String[]> rows = new java.util.ArrayList<>();
            rows.add(new String[] {"metric", "value", "baseline", "change", "verdict"});
            r.judged().forEach(m -> rows.add(judgedRow(m)));
            sb.append('\n').append(pushed.name(r)).append(" against its baseline:\n").append(ColumnText.of(rows, "  "));
        }
    }

    /**
     * The results whose judged metrics are listed: those with judged metrics, the newest (highest id) of each series
     * only (a push in several requests, --batch-size, gets them for its series' newest run in each request, and only
     * the push's newest stands for the series), in the order sent; none when more than {@value #MAX_JUDGED_LISTED}.
     */
    private static List<ResultReport> judgedResults(IngestReport report) {
        java.util.Map<String, ResultReport> newest = new java.util.HashMap<>();
        report.results().stream().filter(r -> !r.judged().isEmpty())
                .forEach(r -> newest.merge(r.series(), r, (a, b) -> a.id() >= b.id() ? a : b));
        List<ResultReport> listed = report.results().stream().filter(r -> newest.get(r.series()) == r).toList();
        return listed.size() > MAX_JUDGED_LISTED ? List.of() : listed;
    }

    /**
     * A metric against its baseline: its value and the baseline in its unit ({@link #values}), the change as the alerts
     * word it, and the verdict with its grade and distance in noise sd: {@code ok (0.4 sd)}, {@code regression, major
     * (6.4 sd)}, {@code no baseline}; {@code -} where there is no number.
     */
    static String[] judgedRow(MetricChange m) {
        boolean base = Double.isFinite(m.baseline());
        boolean current = Double.isFinite(m.current());
        String[] values = base && current ? values(m) : null;
        String value = values != null ? values[1] : current ? num(m.current(), m.unit()) : "-";
        String baseline = values != null ? values[0] : base ? num(m.baseline(), m.unit()) : "-";
        String change = base && current && (m.change() != null || m.relativeChange() != null) ? change(m) : "-";
        String verdict = m.outcome().replace('_', ' ')
                + (ResultReport.REGRESSION.equals(m.outcome()) && m.severity() != null && !m.severity().equals("none")
                ? ", " + m.severity() : "")
                + (m.z() == null ? "" : String.format(Locale.ROOT, " (%.1f sd)", Math.abs(m.z())));
        return new String[] {m.metric(), value, baseline, change, verdict};
    }

    private static void list(StringBuilder sb, String title, List<ResultReport> regressed, Sent pushed) {
        if (regressed.isEmpty()) {
            return;
        }
        sb.append('\n').append(title).append('\n');
        regressed.stream().limit(MAX_LISTED).forEach(r -> r.regressions().forEach(m ->
                sb.append("  ").append(pushed.name(r)).append("  ").append(describe(m))
                        .append('\n')));
        if (regressed.size() > MAX_LISTED) {
            sb.append("  ... and ").append(regressed.size() - MAX_LISTED).append(" more\n");
        }
    }

    static String markdown(Stored stored, Sent pushed, String target, String verification) {
        IngestReport report = stored.report();
        StringBuilder sb = new StringBuilder("### benchmon push\n\n");
        List<ResultReport> regressed = stored.regressed();
        List<ResultReport> late = stored.late();
        sb.append("| stored | already present | " + STANDING + " |").append(late.isEmpty() ? "" : " late regressions |")
                .append("\n|---:|---:|---:|").append(late.isEmpty() ? "" : "---:|").append('\n');
        sb.append("| ").append(report.created()).append(" | ").append(report.alreadyPresent()).append(" | ")
                .append(regressionsCell(stored)).append(" |").append(late.isEmpty() ? "" : " " + late.size() + " |").append("\n\n");
        if (stored.nothingNew() != null) {
            sb.append(MarkdownText.cell(stored.nothingNew())).append("\n\n");
        }
        if (report.alreadyPresent() > 0) {
            sb.append(MarkdownText.cell(alreadyPresentWhy(report, pushed))).append("\n\n");
        }
        judgedTable(sb, report, pushed);
        table(sb, regressed, pushed);
        if (!stored.resolvedRegressions().isEmpty()) {
            sb.append("**").append(RESOLVED_TITLE.substring(0, 1).toUpperCase(Locale.ROOT))
                    .append(RESOLVED_TITLE.substring(1)).append("**\n\n");
            table(sb, stored.resolvedRegressions(), pushed);
        }
        if (!late.isEmpty()) {
            sb.append("**Late regressions (do not fail the push)**\n\n");
            table(sb, late, pushed);
            sb.append(MarkdownText.cell(LATE_WHY)).append("\n\n");
        }
        if (!stored.earlier().isEmpty()) {
            sb.append("**").append(EARLIER_TITLE.substring(0, 1).toUpperCase(Locale.ROOT))
                    .append(EARLIER_TITLE.substring(1)).append("**\n\n");
            table(sb, stored.earlier(), pushed);
            sb.append(MarkdownText.cell(EARLIER_WHY)).append("\n\n");
        }
        List<String> reruns = reruns(report, pushed);
        if (!reruns.isEmpty()) {
            sb.append("**CI re-runs**\n\n");
            reruns.forEach(line -> sb.append("- ").append(MarkdownText.cell(line)).append('\n'));
            sb.append('\n');
        }
        sb.append("Server: ").append(MarkdownText.cell(target)).append('\n');
        if (verification != null) {
            sb.append('\n').append(MarkdownText.cell(verification)).append('\n');
        }
        return sb.append('\n').toString();
    }

    /** {@link #judged} as the job summary's table, under the same limit. */
    private static void judgedTable(StringBuilder sb, IngestReport report, Sent pushed) {
        List<ResultReport> judged = judgedResults(report);
        if (judged.isEmpty()) {
            return;
        }
        sb.append("**Against the baseline**\n\n| result | series | metric | value | baseline | change | verdict |\n"
                + "|---|---|---|---:|---:|---:|---|\n");
        for (ResultReport r : judged) {
            for (MetricChange m : r.judged()) {
                String[] row = judgedRow(m);
                sb.append("| ").append(MarkdownText.cell(pushed.numbered(r))).append(" | ")
                        .append(MarkdownText.cell(r.series()));
                for (String cell : row) {
                    sb.append(" | ").append(MarkdownText.cell(cell));
                }
                sb.append(" |\n");
            }
        }
        sb.append('\n');
    }

    /** The regressed results, one row a metric: the result's position in the files and stored id, as the text names it. */
    private static void table(StringBuilder sb, List<ResultReport> regressed, Sent pushed) {
        if (regressed.isEmpty()) {
            return;
        }
        sb.append("| result | series | metric | baseline | current | change | severity |\n|---|---|---|---:|---:|---:|---|\n");
        regressed.stream().limit(MAX_LISTED).forEach(r -> r.regressions().forEach(m -> sb.append("| ")
                .append(MarkdownText.cell(pushed.numbered(r)))
                .append(" | ").append(MarkdownText.cell(r.series())).append(" | ").append(MarkdownText.cell(m.metric())).append(" | ")
                .append(MarkdownText.cell(values(m)[0])).append(" | ")
                .append(MarkdownText.cell(values(m)[1])).append(" | ")
                .append(MarkdownText.cell(change(m))).append(" | ").append(MarkdownText.cell(m.severity())).append(" |\n")));
        sb.append('\n');
    }

    /**
     * {@code mean 0.0001119 s -> 0.0001792 s, critical: +0.0000673 s (+60.1%) (4.1 sd), since commit ...}: the values,
     * the severity and the engine's explanation, the change it starts with in the metric's unit when its definition
     * states one. The change as the alerts word it ({@code +60.1%}, {@code -10.4 points}) stands in parentheses only
     * when the explanation does not already say it ({@code f1 0.80 -> 0.70 (-10.4 points, critical)} without one).
     */
    static String describe(MetricChange m) {
        String[] values = values(m);
        String head = m.metric() + " " + values[0] + " -> " + values[1];
        if (m.text() == null || m.text().isEmpty() || !m.text().contains(change(m))) {
            return head + " (" + change(m) + ", " + m.severity() + ")"
                    + (m.text() == null || m.text().isEmpty() ? "" : ": " + MetricUnits.afterLeadingChange(m.text(), m.unit()));
        }
        return head + ", " + m.severity() + ": " + MetricUnits.afterLeadingChange(m.text(), m.unit());
    }

    /**
     * The baseline and the value with their unit, as the alerts word values ({@link #num}); where that would word two
     * different numbers the same (a regression on a very quiet metric), with the digits that tell them apart
     * ({@link dev.benchmon.notebook.ReadableNumber#apart}).
     */
    static String[] values(MetricChange m) {
        String baseline = num(m.baseline());
        String current = num(m.current());
        if (baseline.equals(current) && Double.compare(m.baseline(), m.current()) != 0) {
            String[] apart = dev.benchmon.notebook.ReadableNumber.apart(m.baseline(), m.current());
            baseline = apart[0];
            current = apart[1];
        }
        return m.unit() == null ? new String[] {baseline, current}
                : new String[] {baseline + " " + m.unit(), current + " " + m.unit()};
    }

    /** A value and its unit ({@code 0.0001119 s}), or the value alone for a metric without one. */
    static String num(double v, String unit) {
        return unit == null ? num(v) : num(v) + " " + unit;
    }

    /** A baseline or current value as the alerts word it ({@link dev.benchmon.detect.MetricJudge#formatValue}). */
    static String num(double v) {
        return dev.benchmon.detect.MetricJudge.formatValue(v);
    }

    /** The change as the alerts word it (points for a proportion), or in percent from a server that does not say. */
    private static String change(MetricChange m) {
        return m.change() != null ? m.change() : pct(m.relativeChange());
    }

    private static String pct(Double v) {
        return v == null ? "n/a" : dev.benchmon.notebook.ReadableNumber.signedPercent(v);
    }

}
