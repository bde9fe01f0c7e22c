package dev.benchmon.ingest;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.MetricDefinition;

import java.util.List;
import java.util.Map;

/**
 * What reading an input file or request body gives: the results, the metric definitions that came
 * with them (a {@code metric_definitions} object in the native format, or what an adapter's tool
 * states), and the warnings about values that were not stored as sent. Every reader (the native JSON
 * format and each adapter) returns this.
 *
 * @param results     the valid results, in input order
 * @param definitions metric name to definition, declared by the input (may be empty)
 * @param warnings    values dropped or reinterpreted, in input order (may be empty)
 */
public record ParsedResults(List<BenchmarkResult> results, Map<String, MetricDefinition> definitions,
                            List<IngestWarning> warnings) {
    public ParsedResults {
        results = List.copyOf(results);
        definitions = Map.copyOf(definitions);
        warnings = List.copyOf(warnings);
    }

    /** Results with no definitions and no warnings. */
    public static ParsedResults of(List<BenchmarkResult> results) {
        return new ParsedResults(results, Map.of(), List.of());
    }
}
