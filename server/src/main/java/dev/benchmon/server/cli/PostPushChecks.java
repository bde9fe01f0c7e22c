package dev.benchmon.server.cli;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.UnknownNameException;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.server.ingest.IngestReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one read push makes after storing a tool's results, and the warnings it gives: {@link RepushedToolRuns} (a tool's
 * file stored again under another run id) and {@link OldLmEvalSeries} (an lm-eval series of the new form beside the
 * series earlier versions gave). Each check says what it needs (the history of its pushed series over a few seconds,
 * the snapshots of its pushed models and their old names); this reads both, and when that fails the push still
 * succeeds (its results are stored) and says so in one note naming the checks it could not make and why.
 *
 * <p>Over HTTP every read is a GET whose query names the series' models, datasets and environments, in parts of a
 * bounded length ({@link BoundedQueries}), however many names the push holds.
 */
final class PostPushChecks {
    private PostPushChecks() {
    }

    /** Where the checks read what they need: the database push wrote to, or the server it pushed to. */
    interface Store {
        /**
         * The history rows {@code filter} selects ({@link RepushedToolRuns#filter}), up to its limit, in one read or
         * in reads of parts of it, each with the part it asked for ({@link RepushedToolRuns#readAll} reads on what
         * reached its limit).
         */
        List<RepushedToolRuns.Read> history(Filter filter);

        /**
         * The snapshots {@code filter} selects ({@link OldLmEvalSeries#filters}); none when the store does not know a
         * model it names (no series holds that name), as a model name without its revision may be.
         */
        List<OldLmEvalSeries.Snapshot> snapshots(Filter filter);

        /** The database push wrote to ({@code --db}, {@code --home}). */
        static Store of(Benchmon benchmon) {
            return new Store() {
                @Override
                public List<RepushedToolRuns.Read> history(Filter filter) {
                    return List.of(new RepushedToolRuns.Read(filter, RepushedToolRuns.runsOf(benchmon.history(filter))));
                }

                @Override
                public List<OldLmEvalSeries.Snapshot> snapshots(Filter filter) {
                    try {
                        return OldLmEvalSeries.snapshotsOf(benchmon.latestResults(filter));
                    } catch (UnknownNameException e) {
                        return List.of();
                    }
                }
            };
        }

        /** The server push sent the results to: each read in GETs of bounded queries ({@link BoundedQueries}). */
        static Store of(PushClient client) {
            return new Store() {
                @Override
                public List<RepushedToolRuns.Read> history(Filter filter) {
                    List<RepushedToolRuns.Read> reads = new ArrayList<>();
                    for (Filter part : BoundedQueries.split(filter, RepushedToolRuns::historyQuery)) {
                        reads.add(new RepushedToolRuns.Read(part, RepushedToolRuns.runsOf(client.getJson(
                                "api/v1/history?" + RepushedToolRuns.historyQuery(part)))));
                    }
                    return reads;
                }

                @Override
                public List<OldLmEvalSeries.Snapshot> snapshots(Filter filter) {
                    List<OldLmEvalSeries.Snapshot> out = new ArrayList<>();
                    for (Filter part : BoundedQueries.split(filter, OldLmEvalSeries::snapshotsQuery)) {
                        try {
                            out.addAll(OldLmEvalSeries.snapshotsOf(client.getJson("api/v1/snapshots?"
                                    + OldLmEvalSeries.snapshotsQuery(part))));
                        } catch (CliException e) {
                            if (e.httpStatus() != 404) { // 404: a name the server does not know (UnknownNameException)
                                throw e;
                            }
                        }
                    }
                    return out;
                }
            };
        }
    }

    /** The lm-eval adapter's name, as {@link ResultInputs.Read#formats} names a file read as lm-eval output. */
    static final String LM_EVAL = "lm-eval";

    /**
     * The warnings of both checks for this push, read from {@code store}; none when neither applies (nothing is read).
     * When the read fails (a timeout, a 5xx, a database error), one note instead: the results are stored by then, so
     * the push reports them and exits as it would without the checks.
     *
     * <p>The checks go by the format each file was read in ({@link ResultInputs.Read#formats}: {@code --format auto}'s
     * detected one), not by the flag: benchmon's own JSON pushed with {@code auto} is no tool's output, and an lm-eval
     * file pushed with {@code auto} is lm-eval's.
     *
     * @param overrides push's series flags ({@code --model-version}, ...), which name series as the user chose
     * @param results   the results as pushed (with their keys), indexed as the reports are
     * @param ofTools   the push's report of the results read in a tool's format (the re-pushed runs' check)
     * @param ofLmEval  the push's report of the results read as lm-eval output (the old-series check)
     */
    static List<String> warnings(ResultOverrides overrides, List<BenchmarkResult> results, PushSummary.Sent sent,
                                 IngestReport ofTools, IngestReport ofLmEval, Store store) {
        Optional<Filter> twins = ofTools.results().isEmpty() ? Optional.empty()
                : RepushedToolRuns.filter(results, ofTools);
        List<Filter> series = OldLmEvalSeries.filters(overrides, results, ofLmEval);
        if (twins.isEmpty() && series.isEmpty()) {
            return List.of();
        }
        try {
            Optional<RepushedToolRuns.History> runs = twins.map(f -> RepushedToolRuns.readAll(f, store::history));
            List<OldLmEvalSeries.Snapshot> snapshots = new ArrayList<>();
            series.forEach(f -> snapshots.addAll(store.snapshots(f)));
            List<String> out = new ArrayList<>();
            runs.ifPresent(history -> out.addAll(RepushedToolRuns.warnings(results, sent, ofTools, history)));
            out.addAll(OldLmEvalSeries.warnings(overrides, results, ofLmEval, snapshots));
            return out;
        } catch (RuntimeException e) {
            String oldSeries = " lm-eval results went to new series beside those earlier versions gave";
            String checks = series.isEmpty() ? "whether this push stored a tool's run again"
                    : twins.isEmpty() ? "whether this push's" + oldSeries
                    : "whether this push stored a tool's run again, nor whether its" + oldSeries;
            return List.of("note: could not check " + checks + " (" + e.getMessage() + "); the results above are stored");
        }
    }
}
