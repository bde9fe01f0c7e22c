package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.ValidationException;
import dev.benchmon.MetricDefinition;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.ResultJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads results from files ({@code -} = standard input): a JSON object, array, {@code {"results": [...]}},
 * JSON Lines, or CSV (by the {@code .csv} extension). Context fields are applied to the raw objects
 * before validation, so that a problem in any file is reported with the file, index and field.
 */
final class ResultInputs {
    private ResultInputs() {
    }

    /**
     * Every result in {@code files}, with {@code context} applied.
     *
     * @throws CliException (invalid input) naming every problem in every file
     */
    static ParsedResults read(List<String> files, InputStream stdin, ResultContext context, boolean strict) {
        List<BenchmarkResult> all = new ArrayList<>();
        Map<String, MetricDefinition> definitions = new LinkedHashMap<>();
        List<IngestWarning> warnings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String file : files) {
            try {
                String text = text(file, stdin);
                boolean csv = file.toLowerCase(Locale.ROOT).endsWith(".csv");
                List<JsonNode> roots = csv ? List.of() : nonEmpty(ResultJson.readRoots(text));
                List<JsonNode> nodes = csv ? CsvResults.parse(text) : ResultJson.elements(roots);
                if (nodes.isEmpty()) {
                    problems.add(label(file) + ": no results in it");
                    continue;
                }
                nodes.forEach(n -> {
                    if (n instanceof ObjectNode o) {
                        context.applyTo(o);
                    }
                });
                definitions.putAll(csv ? Map.of() : ResultJson.definitions(roots));
                ParsedResults parsed = ResultJson.fromNodes(nodes, strict);
                int offset = all.size();
                // Warnings name the file and the result's index within it.
                parsed.warnings().forEach(w -> warnings.add(new IngestWarning(offset + w.index(), w.field(),
                        w.message() + " (" + label(file) + ")")));
                all.addAll(parsed.results());
            } catch (ValidationException e) {
                e.problems().forEach(p -> problems.add(label(file) + ": " + p));
            }
        }
        if (!problems.isEmpty()) {
            throw new CliException(ExitCodes.INVALID_INPUT, "invalid input, nothing was sent:\n  "
                    + String.join("\n  ", problems) + "\nFix the fields named above (each result needs model_version, "
                    + "dataset_version and a metrics object of numbers) and run again.");
        }
        return new ParsedResults(all, definitions, warnings);
    }

    /** Prints each warning on its own line ({@code warning: results[3].metrics.loss: value NaN dropped ...}). */
    static void printWarnings(List<IngestWarning> warnings, PrintWriter err) {
        warnings.forEach(w -> err.println("warning: " + w));
        err.flush();
    }

    private static List<JsonNode> nonEmpty(List<JsonNode> roots) {
        return roots.isEmpty() ? List.of(ResultJson.mapper().createArrayNode()) : roots;
    }

    private static String text(String file, InputStream stdin) {
        try {
            if (file.equals("-")) {
                return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, "no such file: " + file + " (give the path of a JSON, "
                    + "JSON Lines or CSV file of results, or - for standard input)");
        } catch (IOException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, "cannot read " + label(file) + ": " + e.getMessage());
        }
    }

    private static String label(String file) {
        return file.equals("-") ? "<stdin>" : file;
    }

    /**
     * Context fields for every result: {@code flags} override the file; {@code defaults} (from the CI
     * environment) fill only what the file leaves out.
     */
    record ResultContext(Map<String, String> flags, Map<String, String> defaults, Map<String, String> tags) {
        void applyTo(ObjectNode o) {
            defaults.forEach((k, v) -> {
                if (v != null && !v.isBlank() && (!o.hasNonNull(k) || o.get(k).asText().isBlank())) {
                    o.put(k, v);
                }
            });
            flags.forEach((k, v) -> {
                if (v != null) {
                    o.put(k, v);
                }
            });
            if (!tags.isEmpty()) {
                JsonNode existing = o.get("tags");
                ObjectNode t = existing instanceof ObjectNode on ? on : o.putObject("tags");
                tags.forEach(t::put);
            }
        }
    }
}
