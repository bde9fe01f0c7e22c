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

/**
 * What an adapter made of a file, before validation: result objects in the native JSON shape, the
 * metric definitions the tool states, and warnings about values it dropped.
 *
 * @param results     result objects ({@link ResultJson#FIELDS}), in the order the file lists them
 * @param definitions metric name to what the tool says about it (direction, unit)
 * @param warnings    values dropped, each with the index of its result in {@code results}
 * @param readBefore  a run_at as this version reads it from the file to the run_at earlier versions read from the same
 *                    number, where they differ (epoch seconds with a fraction: lm-eval's {@code date}, W&amp;B's
 *                    {@code _timestamp}); empty for every other input. {@link #read} keeps the keys derived from it.
 */
public record AdaptedResults(List<JsonNode> results, Map<String, MetricDefinition> definitions,
                             List<IngestWarning> warnings, Map<Instant, Instant> readBefore) {
    public AdaptedResults {
        results = List.copyOf(results);
        definitions = Map.copyOf(definitions);
        warnings = List.copyOf(warnings);
        readBefore = Map.copyOf(readBefore);
    }

    /** Results of input whose run_at every version reads the same. */
    public AdaptedResults(List<JsonNode> results, Map<String, MetricDefinition> definitions,
                          List<IngestWarning> warnings) {
        this(results, definitions, warnings, Map.of());
    }

    /**
     * Validates the result objects as they stand (the caller's context and overrides written into them), as
     * {@link ResultJson#fromNodes(List, boolean)}. A result without an idempotency key whose run_at earlier versions
     * read a microsecond earlier ({@link #readBefore}) gets the key they derived for it, in its stored form
     * ({@link IdempotencyKeys#keyedAsReadBefore}): re-importing a file they imported answers "already present", while
     * run_at is stored as the file wrote it. Nothing is stored twice, and no stored row is rewritten.
     *
     * @throws ValidationException naming every problem, with the index of each result
     */
    public ParsedResults read(boolean strict) {
        ParsedResults valid = ResultJson.fromNodes(results, strict);
        if (readBefore.isEmpty()) {
            return valid;
        }
        List<BenchmarkResult> keyed = new ArrayList<>(valid.results().size());
        for (BenchmarkResult r : valid.results()) {
            Instant before = r.runAt() == null ? null : readBefore.get(r.runAt());
            keyed.add(before == null ? r : IdempotencyKeys.keyedAsReadBefore(r, before));
        }
        return new ParsedResults(keyed, valid.definitions(), valid.warnings());
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
        for (JsonNode n : results) {
            if (n instanceof ObjectNode o) {
                overrides.applyTo(o);
            }
        }
        if (results.isEmpty()) {
            throw new ValidationException(Problem.of("body", "holds no results that " + format + " can read"));
        }
        try {
            ParsedResults valid = read(strict);
            List<IngestWarning> all = new ArrayList<>(warnings);
            all.addAll(valid.warnings());
            return new ParsedResults(valid.results(), definitions, all);
        } catch (ValidationException e) {
            List<Problem> problems = new ArrayList<>();
            for (Problem p : e.problems()) {
                boolean missing = p.message().startsWith("is required")
                        && (p.field().equals("model_version") || p.field().equals("dataset_version"));
                problems.add(missing ? new Problem(p.index(), p.field(), p.message() + ": this " + format
                        + " file does not say it; give it with --" + p.field().replace('_', '-')
                        + " (CLI), the " + p.field() + " query parameter (API) or ResultOverrides (Java)") : p);
            }
            throw new ValidationException(problems);
        }
    }
}
