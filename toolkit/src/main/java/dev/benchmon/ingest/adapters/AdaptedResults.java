package dev.benchmon.ingest.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.MetricDefinition;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.IdempotencyKeys;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.ResultJson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an adapter made of a file, before validation: result objects in the native JSON shape, the
 * metric definitions the tool states, and warnings about values it dropped.
 *
 * @param results     result objects ({@link ResultJson#FIELDS}), in the order the file lists them
 * @param definitions metric name to what the tool says about it (direction, unit)
 * @param warnings    values dropped, each with the index of its result in {@code results}
 * @param readBefore  the index of a result in {@code results} to the run_at this version read for it and the run_at
 *                    earlier versions read from the same field, where they differ (lm-eval's {@code date}, W&amp;B's
 *                    {@code _timestamp}: epoch seconds with a fraction, read a microsecond earlier; text and {@code 0},
 *                    not read at all: empty; Google Benchmark's {@code context.date}, pytest-benchmark's
 *                    {@code datetime} and MLflow's {@code start_time} in a form their tools do not write, not read at
 *                    all: empty); an empty map for every other input. Keyed by result, not by instant: two MLflow runs
 *                    of one file at the same millisecond, one with a numeric {@code start_time} and one with text, each
 *                    keep their own. {@link #read} keeps the keys derived from it while a result's run_at is still the
 *                    one read (a flag that sets run_at leaves the file's time unused).
 * @param metricsReadBefore the index of a result in {@code results} to the values earlier versions read for its metrics
 *                    where they differ (Google Benchmark times reported in another unit than ns, now converted to ns);
 *                    {@link #read} keeps the keys derived from them
 * @param toolTimes   the index of a result of a tool's file ({@link #asToolOutput}) to the run_at and run_id the tool
 *                    wrote for it; empty for benchmon's own formats. {@link #read} keys such a result's run without that
 *                    time when the caller's context gives it a run_id of its own ({@link #asToolOutput})
 * @param metadataReadBefore the index of a result in {@code results} to the {@code metadata} object earlier versions
 *                    wrote for it where it differs (Google Benchmark's {@code iterations}, which they took from the
 *                    mean aggregate: the count of repetitions); {@link #read} keeps the key derived from it
 */
public record AdaptedResults(List<JsonNode> results, Map<String, MetricDefinition> definitions,
                             List<IngestWarning> warnings, Map<Integer, RunAtBefore> readBefore,
                             Map<Integer, Map<String, Double>> metricsReadBefore, Map<Integer, ToolTime> toolTimes,
                             Map<Integer, JsonNode> metadataReadBefore) {
    public AdaptedResults {
        results = List.copyOf(results);
        definitions = Map.copyOf(definitions);
        warnings = List.copyOf(warnings);
        readBefore = Map.copyOf(readBefore);
        metricsReadBefore = Map.copyOf(metricsReadBefore);
        toolTimes = Map.copyOf(toolTimes);
        metadataReadBefore = Map.copyOf(metadataReadBefore);
    }

    /** Results whose metadata every version writes the same ({@link #metadataReadBefore} empty). */
    public AdaptedResults(List<JsonNode> results, Map<String, MetricDefinition> definitions,
                          List<IngestWarning> warnings, Map<Integer, RunAtBefore> readBefore,
                          Map<Integer, Map<String, Double>> metricsReadBefore, Map<Integer, ToolTime> toolTimes) {
        this(results, definitions, warnings, readBefore, metricsReadBefore, toolTimes, Map.of());
    }

    /** Results whose run_at and metrics earlier versions read otherwise, not marked as a tool's output. */
    public AdaptedResults(List<JsonNode> results, Map<String, MetricDefinition> definitions,
                          List<IngestWarning> warnings, Map<Integer, RunAtBefore> readBefore,
                          Map<Integer, Map<String, Double>> metricsReadBefore) {
        this(results, definitions, warnings, readBefore, metricsReadBefore, Map.of());
    }

    /**
     * The time a tool wrote for a result and the run id it wrote (the tool's own, as MLflow's or W&amp;B's; {@code null}
     * for none), as JSON text, before the caller's context was written into the result.
     */
    public record ToolTime(String runAt, String runId) {
    }

    /**
     * These results as a tool's output (lm-evaluation-harness, pytest-benchmark, Google Benchmark, MLflow, W&amp;B, HF
     * Trainer), called before the caller's context is written into them: each result with a time keeps the time and
     * run id the tool wrote ({@link #toolTimes}). Why: that time is when the tool ran, not which CI run it was. A CI
     * job re-run (GitHub "Re-run jobs" keeps {@code GITHUB_RUN_ID}) writes the file again with a new time, so a run
     * keyed by series, run_id and that time would never meet its re-run, which was stored as a second run and judged
     * against its own first attempt. When the context gives such a result a run_id the tool did not write
     * ({@code push --run-id}, {@code GITHUB_RUN_ID} for a file without one, the API's {@code run_id} parameter),
     * {@link #read} keys its run without the tool's time (as a result sent without run_at,
     * {@link BenchmarkResult#runAtSent} false), and stores the time as its run_at; its idempotency key stays the one
     * derived with that time, so a file pushed before is found again. A run id the tool wrote keeps its time in the
     * run, as before (an MLflow run continued later is the same run).
     */
    public AdaptedResults asToolOutput() {
        Map<Integer, ToolTime> times = new java.util.HashMap<>();
        for (int i = 0; i < results.size(); i++) {
            JsonNode n = results.get(i);
            if (n instanceof ObjectNode o && o.hasNonNull("run_at")) {
                times.put(i, new ToolTime(o.get("run_at").toString(), o.hasNonNull("run_id") ? o.get("run_id").toString() : null));
            }
        }
        return new AdaptedResults(results, definitions, warnings, readBefore, metricsReadBefore, times,
                metadataReadBefore);
    }

    /** Results of input whose run_at and metrics every version reads the same. */
    public AdaptedResults(List<JsonNode> results, Map<String, MetricDefinition> definitions,
                          List<IngestWarning> warnings) {
        this(results, definitions, warnings, Map.of(), Map.of());
    }

    /** Results of input whose run_at earlier versions read otherwise ({@link #readBefore}). */
    public AdaptedResults(List<JsonNode> results, Map<String, MetricDefinition> definitions,
                          List<IngestWarning> warnings, Map<Integer, RunAtBefore> readBefore) {
        this(results, definitions, warnings, readBefore, Map.of());
    }

    /**
     * The results at {@code kept} (indexes into {@link #results}, ascending) alone: what {@code --metrics} leaves of a
     * file once it skips the results holding none of the metrics it selects. Each result's warnings and
     * {@link #readBefore}/{@link #metricsReadBefore}/{@link #toolTimes}/{@link #metadataReadBefore} entries go with it, indexed by its place among {@code kept}
     * (map an index back with {@code kept.get(i)}); the skipped results' go with them; warnings of the file as a whole
     * (index -1) stay.
     */
    public AdaptedResults only(List<Integer> kept) {
        Map<Integer, Integer> place = new java.util.HashMap<>();
        List<JsonNode> nodes = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            place.put(kept.get(i), i);
            nodes.add(results.get(kept.get(i)));
        }
        List<IngestWarning> ws = new ArrayList<>();
        for (IngestWarning w : warnings) {
            if (w.index() < 0 || place.containsKey(w.index())) {
                ws.add(w.index() < 0 ? w : w.movedTo(place.get(w.index()), ""));
            }
        }
        return new AdaptedResults(nodes, definitions, ws, moved(readBefore, place), moved(metricsReadBefore, place),
                moved(toolTimes, place), moved(metadataReadBefore, place));
    }

    /** The entries of {@code byIndex} whose result is kept, under its index among the kept ({@code place}). */
    private static <V> Map<Integer, V> moved(Map<Integer, V> byIndex, Map<Integer, Integer> place) {
        Map<Integer, V> out = new java.util.HashMap<>();
        byIndex.forEach((i, v) -> {
            if (place.containsKey(i)) {
                out.put(place.get(i), v);
            }
        });
        return out;
    }

    /**
     * A run_at as this version reads it from a tool's time field ({@code read}) and as earlier versions read the same
     * field ({@code before}; empty: not at all, so the result had no run_at).
     */
    public record RunAtBefore(Instant read, Optional<Instant> before) {
    }

    /**
     * {@link #readBefore} of {@code count} results that all take the file's one time field, as
     * {@link Timestamps#readBefore} or {@link Timestamps#toolTime} read it ({@code fileTime}: at most one entry).
     */
    static Map<Integer, RunAtBefore> everyResult(int count, Map<Instant, Optional<Instant>> fileTime) {
        Map<Integer, RunAtBefore> out = new java.util.HashMap<>();
        fileTime.forEach((read, before) -> {
            for (int i = 0; i < count; i++) {
                out.put(i, new RunAtBefore(read, before));
            }
        });
        return out;
    }

    /**
     * Validates the result objects as they stand (the caller's context and overrides written into them), as
     * {@link ResultJson#fromNodes(List, boolean)}. A result without an idempotency key whose run_at or metrics earlier
     * versions read otherwise ({@link #readBefore}: a microsecond earlier, or not at all; {@link #metricsReadBefore})
     * gets the key they derived for it: in its stored form for a run_at read otherwise ({@link
     * IdempotencyKeys#keyedAsReadBefore}), as derived for Google Benchmark times read in another unit or other metadata
     * ({@link IdempotencyKeys#keyedAsDerivedBefore}). Re-importing a file they imported is that result again, answered
     * "already present", and so is a file this version imported (the key is never compared with the stored result, as
     * no key benchmon derives is), while the result is stored as read now. Nothing is stored twice, and no stored row is
     * rewritten.
     *
     * @throws ValidationException naming every problem, with the index of each result
     */
    public ParsedResults read(boolean strict) {
        ParsedResults valid = ResultJson.fromNodes(results, strict);
        if (readBefore.isEmpty() && metricsReadBefore.isEmpty() && toolTimes.isEmpty() && metadataReadBefore.isEmpty()) {
            return valid;
        }
        List<BenchmarkResult> keyed = new ArrayList<>(valid.results().size());
        for (int i = 0; i < valid.results().size(); i++) { // one result a node: fromNodes refuses all or none
            BenchmarkResult r = valid.results().get(i);
            RunAtBefore time = readBefore.get(i);
            Optional<Instant> runAtBefore = time == null || !time.read().equals(r.runAt()) ? null : time.before();
            Map<String, Double> metricsBefore = metricsReadBefore.get(i);
            JsonNode metadataBefore = metadataReadBefore.get(i);
            if (r.idempotencyKey() == null && (runAtBefore != null || metricsBefore != null || metadataBefore != null)) {
                BenchmarkResult.Builder asBefore = (metadataBefore == null ? r : withMetadata(i, metadataBefore, strict))
                        .toBuilder();
                if (runAtBefore != null) {
                    asBefore.runAt(runAtBefore.orElse(null));
                }
                if (metricsBefore != null) {
                    asBefore.metrics(metricsBefore);
                }
                // Times in the reported unit or other metadata (Google Benchmark) are the same measurement as read now:
                // the key is given as derived, so it is not compared with the stored result, as no key benchmon derives
                // is. In its stored form it would be taken for the sender's own key and compared field by field: a CI
                // re-run of the same report (its GITHUB_ACTOR another) was refused instead of found already present.
                r = metricsBefore != null || metadataBefore != null ? IdempotencyKeys.keyedAsDerivedBefore(r, asBefore.build())
                        : IdempotencyKeys.keyedAsReadBefore(r, asBefore.build());
            }
            keyed.add(ciRunOfToolTime(i, r));
        }
        return new ParsedResults(keyed, valid.definitions(), valid.warnings());
    }

    /** The {@code i}-th result as read with {@code metadata} in place of its own (as earlier versions wrote it). */
    private BenchmarkResult withMetadata(int i, JsonNode metadata, boolean strict) {
        ObjectNode copy = results.get(i).deepCopy();
        copy.set("metadata", metadata);
        return ResultJson.fromNodes(List.of(copy), strict).results().get(0);
    }

    /**
     * {@code r}, the {@code i}-th result, keyed as a CI run without the tool's time ({@link #asToolOutput}) when the
     * context gave it a run_id the tool did not write and its run_at is still the tool's (one set otherwise states the run):
     * its idempotency key is fixed first as the one derived with that time, which a run keyed without it would not derive.
     */
    private BenchmarkResult ciRunOfToolTime(int i, BenchmarkResult r) {
        ToolTime tool = toolTimes.get(i);
        JsonNode node = results.get(i);
        if (tool == null || r.runId() == null || !r.runAtSent()
                || !tool.runAt().equals(String.valueOf(node.get("run_at")))
                || (tool.runId() != null && tool.runId().equals(String.valueOf(node.get("run_id"))))) {
            return r;
        }
        String key = r.idempotencyKey() != null ? r.idempotencyKey() : IdempotencyKeys.keyFor(r);
        return r.toBuilder().idempotencyKey(key).runAtSent(false).build();
    }

    /**
     * Applies the overrides and validates every result, all or nothing, as {@code benchmon push} and {@code import}
     * do by default: a metric value that is NaN, Infinity, null or text is dropped with a warning (besides the
     * adapter's own), a numeric string read as its number with one (docs/INPUT.md); a result left without metrics
     * is refused.
     *
     * @param format the adapter's name, used in the advice when a field the file does not say is missing
     * @throws ValidationException naming every problem, with the index of each result
     */
    public ParsedResults validate(ResultOverrides overrides, String format) {
        return validate(overrides, format, false);
    }

    /**
     * As {@link #validate(ResultOverrides, String)}; with {@code strict}, a metric value that would be dropped
     * (NaN, Infinity, null, text) refuses the input instead, as {@code --strict} and {@code ?strict=true} do.
     */
    public ParsedResults validate(ResultOverrides overrides, String format, boolean strict) {
        return validate(overrides, format, strict, Adapters.Caller.TOOLKIT);
    }

    /**
     * As {@link #validate(ResultOverrides, String, boolean)}; an override that makes results the file states apart one
     * series at the same run_at is refused, naming it as {@code caller} gives it ({@link MergedSeries}), and one that
     * makes them one series at different run_at is said in a warning.
     */
    public ParsedResults validate(ResultOverrides overrides, String format, boolean strict, Adapters.Caller caller) {
        MergedSeries.Overridden overridden = MergedSeries.override(results, overrides, caller);
        if (results.isEmpty()) {
            throw new ValidationException(Problem.of("body", "holds no results that " + format + " can read"));
        }
        try {
            ParsedResults valid = read(strict);
            List<IngestWarning> all = new ArrayList<>(warnings);
            all.addAll(valid.warnings());
            all.addAll(overridden.check(valid.results()));
            return new ParsedResults(valid.results(), definitions, all);
        } catch (ValidationException e) {
            List<Problem> problems = new ArrayList<>();
            for (Problem p : e.problems()) {
                boolean missing = p.message().startsWith("is required")
                        && (p.field().equals("model_version") || p.field().equals("dataset_version"));
                problems.add(missing ? new Problem(p.index(), p.field(), p.message() + ": this " + format
                        + " file does not say it; give it with --" + p.field().replace('_', '-')
                        + " (CLI), the " + p.field() + " query parameter (API) or bm.recordFile(path, \"" + format
                        + "\", ResultOverrides.model(\"...\").withDataset(\"...\")) (Java)") : p);
            }
            throw new ValidationException(problems);
        }
    }
}
