package dev.benchmon.compare;

import dev.benchmon.compare.RunComparison.NewestRunAlert;
import dev.benchmon.compare.RunComparison.RunMeans;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The words of a comparison's header and warning lines, in one place for every view of it: {@code benchmon compare}
 * (which rebuilds them from the JSON of {@code GET /api/v1/compare?paired=true}, from a server or the database alike),
 * the dashboard's Compare page, {@link RunComparison#toString()}, and the texts the API carries
 * ({@code newest_run_alerts[].text}, {@code warnings}). Each view worded the same facts its own way (the page said
 * "the means of their runs, 90 runs against 88 runs", the command "means of its 90 runs"; a change point's alert was
 * called "a regression"), so a reader comparing two views saw two stories. Plain text: a page escapes it.
 *
 * <p>The lines, in their order:
 * <pre>
 * A (reference): medgemma-v1.2 on benchmark-set-v3 @production, prompt analysis-v5: means of its 88 runs from 2026-09-05 to 2026-12-03 (newest: result id 2150)
 * B: result id 15 (cand on qa @ci)
 * warning: B's newest run (result id 2152) is under 2 active alerts: recall -15.8 points (critical, open alert #7); f1 ...; B's values below are means of its runs, which hide it
 * warning: A and B ran in different environments (A: local, B: ci); compare runs of one environment to compare like with like
 * </pre>
 */
public final class ComparisonLines {
    /** What starts a warning line: {@code warning: }. */
    public static final String WARNING = "warning: ";

    private ComparisonLines() {
    }

    /** A side's series as the lines name it: {@code medgemma-v1.3 on benchmark-set-v3 @production, prompt analysis-v5}. */
    public static String series(String model, String dataset, String environment, String prompt) {
        return model + " on " + dataset + " @" + environment + (prompt == null || prompt.isEmpty() ? "" : ", prompt " + prompt);
    }

    /** {@link #series(String, String, String, String)} of a result. */
    public static String series(RunInfo r) {
        return series(r.modelVersion(), r.datasetVersion(), r.environment(), r.promptVersion());
    }

    /** A and B's header lines ({@link #side}) of {@code c}. */
    public static List<String> header(RunComparison c) {
        int rows = c.summary().rowCount();
        return List.of(side("A", series(c.a()), c.a().id(), c.runsA(), rows),
                side("B", series(c.b()), c.b().id(), c.runsB(), rows));
    }

    /**
     * A side's header line: {@code A (reference): } or {@code B: }, then what its values are ({@link #describe}).
     *
     * @param side       {@code A} (the reference) or {@code B}
     * @param series     its series, {@link #series(String, String, String, String)}
     * @param resultId   the transaction id of its result
     * @param means      the runs whose means some of its values are, else {@code null}
     * @param metricRows the metrics compared (the summary's rows)
     */
    public static String side(String side, String series, long resultId, RunMeans means, int metricRows) {
        return side + (side.equals("A") ? " (reference)" : "") + ": " + describe(series, resultId, means, metricRows);
    }

    /**
     * What a side's values are: {@code result id 2152 (medgemma-v1.3 on benchmark-set-v3 @production)}, or with run means
     * {@code medgemma-v1.3 on benchmark-set-v3 @production: means of its 90 runs from 2026-09-05 to 2026-12-03 (newest:
     * result id 2152)} ({@code 88-90 runs} when the metrics have different counts); with means for some metrics only,
     * names them: {@code result id 2150 (m on d @ci; for f1, recall the means of its 90 runs from ..., newest result id
     * 2152)}. A complete phrase. The dates are UTC days of the oldest and newest of those runs.
     */
    public static String describe(String series, long resultId, RunMeans means, int metricRows) {
        if (means == null) {
            return "result id " + resultId + " (" + series + ")";
        }
        String runs = "means of its " + runs(means) + " from " + day(means.firstRunAt()) + " to " + day(means.lastRunAt());
        if (means.metrics().size() >= metricRows) {
            return series + ": " + runs + " (newest: result id " + means.newestResult() + ")";
        }
        return "result id " + resultId + " (" + series + "; for " + String.join(", ", means.metrics()) + " the " + runs
                + ", newest result id " + means.newestResult() + ")";
    }

    /** How many runs {@code means} are over: {@code 90 runs}, or {@code 88-90 runs} when the metrics have different counts. */
    public static String runs(RunMeans means) {
        int most = means.runs();
        return (means.fewestRuns() == most ? String.valueOf(most) : means.fewestRuns() + "-" + most) + " run"
                + (most == 1 ? "" : "s");
    }

    private static String day(Instant t) {
        return t == null ? "?" : t.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** One active alert as the warning names it: {@code recall -15.8 points (critical, open alert #7)}. */
    public static String alertText(String metric, String change, String severity, String state, long alertId) {
        return metric + " " + change + " (" + severity + ", " + state + " alert #" + alertId + ")";
    }

    /**
     * One sentence per side whose newest run is under {@code alerts} (any kind: a regression's or a change point's), A's
     * first: {@code B's newest run (result id 2152) is under an active alert: recall -15.8 points (critical, open alert
     * #7)}, ending {@code ; B's values below are means of its runs, which hide it} when an alert's metric is among those
     * whose values are the side's run means ({@code a}, {@code b}: the sides' {@link RunMeans}, or {@code null}).
     */
    public static List<String> alerts(List<NewestRunAlert> alerts, RunMeans a, RunMeans b) {
        List<String> out = new ArrayList<>();
        for (String side : List.of("A", "B")) {
            List<NewestRunAlert> of = alerts.stream().filter(x -> x.side().equals(side)).toList();
            if (of.isEmpty()) {
                continue;
            }
            RunMeans means = side.equals("A") ? a : b;
            boolean hidden = means != null && of.stream().anyMatch(x -> means.metrics().contains(x.metric()));
            out.add(side + "'s newest run (result id " + of.get(0).result() + ") is under " + (of.size() == 1
                    ? "an active alert: " : of.size() + " active alerts: ")
                    + String.join("; ", of.stream().map(NewestRunAlert::text).toList())
                    + (hidden ? "; " + side + "'s values below are means of its runs, which hide it" : ""));
        }
        return out;
    }

    /**
     * What A and B differ in besides what is compared, one sentence each: a result named that was excluded through
     * triage, the environment, the prompt version. A difference found may come from those as much as from the model.
     */
    public static List<String> differences(RunInfo a, RunInfo b) {
        List<String> out = new ArrayList<>();
        excluded("A", a).ifPresent(out::add);
        excluded("B", b).ifPresent(out::add);
        if (!a.environment().equals(b.environment())) {
            out.add("A and B ran in different environments (A: " + a.environment() + ", B: " + b.environment()
                    + "); compare runs of one environment to compare like with like");
        }
        if (!a.promptVersion().equals(b.promptVersion())) {
            out.add("A and B used different prompt versions (A: " + a.promptVersion() + ", B: " + b.promptVersion()
                    + "); a difference may come from the prompt as well as the model");
        }
        return out;
    }

    private static Optional<String> excluded(String side, RunInfo r) {
        return r.excluded() ? Optional.of(side + " (result id " + r.id() + ") is excluded (reason: " + r.excludedReason()
                + "), so it is not among the results that count; it is compared as asked, and comparing model versions "
                + "leaves it out") : Optional.empty();
    }

    /** {@code sentence} as a warning line: {@code warning: ...}. */
    public static String warning(String sentence) {
        return WARNING + sentence;
    }

    /**
     * The warning lines under the header: a side's newest run under active alerts first ({@link #alerts}), then what A
     * and B differ in ({@code differences}, {@link #differences} as the API's {@code warnings} carries them).
     */
    public static List<String> warnings(List<NewestRunAlert> alerts, RunMeans a, RunMeans b, List<String> differences) {
        List<String> out = new ArrayList<>();
        alerts(alerts, a, b).forEach(s -> out.add(warning(s)));
        differences.forEach(s -> out.add(warning(s)));
        return out;
    }

    /** {@link #warnings(List, RunMeans, RunMeans, List)} of {@code c}. */
    public static List<String> warnings(RunComparison c) {
        return warnings(c.alerts(), c.runsA(), c.runsB(), c.warnings());
    }
}
