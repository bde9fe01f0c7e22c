package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.MetricDefinition;
import dev.benchmon.ingest.ClosestNames;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.OneResultPerRun;
import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.ingest.ResultValidator;
import dev.benchmon.ingest.adapters.AdaptedResults;
import dev.benchmon.ingest.adapters.Adapters;
import dev.benchmon.ingest.adapters.MergedSeries;
import dev.benchmon.ingest.adapters.ResultAdapter;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.server.api.CsvResults;
import dev.benchmon.server.api.NoToolMatched;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads results from files ({@code -} = standard input): a JSON object, array, {@code {"results": [...]}},
 * JSON Lines, or CSV (by the {@code .csv} extension, or every file with {@code --format csv}). Context fields are applied to the raw objects
 * before validation, so that a problem in any file is reported with the file, index and field.
 */
final class ResultInputs {
    private ResultInputs() {
    }

    /**
     * {@code --format csv}: benchmon's own CSV (as {@code export history --raw} writes it) whatever the file is
     * called; standard input has no extension to tell it by. Not an adapter's name: the CSV reader is the server's
     * ({@link CsvResults}), shared with {@code POST /api/v1/results}.
     */
    static final String CSV = CsvResults.FORMAT;

    /** Whether {@code format} is one of benchmon's own ({@code json}, {@code csv}), read in constant memory by import. */
    static boolean ownFormat(String format) {
        return format.equalsIgnoreCase(Adapters.DEFAULT) || format.equalsIgnoreCase(CSV);
    }

    /**
     * Refuses (exit 2) a {@code --format} that names no format, listing them all ({@code csv} among them, which the
     * toolkit's adapters do not know) and naming the one meant when one is close ({@code lm-evl}: lm-eval).
     */
    static void requireFormat(String format) {
        if (format.equalsIgnoreCase(CSV)) {
            return;
        }
        try {
            Adapters.forName(format, Adapters.Caller.CLI);
        } catch (ValidationException e) {
            List<String> names = new ArrayList<>(Adapters.names());
            names.add(1, CSV);
            throw new CliException(ExitCodes.INVALID_INPUT, CliException.invalidOption("--format", "unknown format '"
                    + format + "' (known: " + String.join(", ", names) + ")" + ClosestNames.didYouMean(format, names)));
        }
    }

    /**
     * What {@link #read} gives: the results, definitions and warnings of the input, and each result's number in it.
     *
     * @param parsed  the results kept, in input order, the definitions the files state and the warnings (indexed by
     *                the results' numbers)
     * @param numbers each kept result's index among all the files' results, those {@code --metrics} skipped counted:
     *                how a refusal names it, and how push's summary does
     * @param formats each kept result's format as its file was read ({@link Reading#format}): {@code json},
     *                {@code csv} or a tool's ({@code lm-eval}, ...), {@code --format auto} resolved to what it
     *                detected; what push's checks of a tool's results go by, not the flag
     */
    record Read(ParsedResults parsed, List<Long> numbers, List<String> formats) {
        Read {
            numbers = List.copyOf(numbers);
            formats = List.copyOf(formats);
        }
    }

    /**
     * Every result in {@code files}, read in {@code format} (see {@link Adapters}), with {@code context}'s
     * defaults and tags and then {@code overrides} (the series and the context flags) applied; warnings carry the index of their result among all files' results.
     * With {@code strict}, a value that would be dropped with a warning (NaN, null, text) refuses the input.
     * Then {@code selection} leaves out the metrics {@code --metrics} does not name, before validation; a warning of the
     * input as a whole says how many, and which results it skipped for holding none of them (with a file's metric
     * definitions when it skipped all of its results).
     *
     * @param refusing the command reading, for what its refusal says was not done
     * @throws CliException (invalid input) naming every problem in every file
     */
    static Read read(List<String> files, InputStream stdin, ResultContext context, boolean strict,
                     String format, ResultOverrides overrides, MetricSelection selection, Refusing refusing) {
        requireFormat(format);
        List<BenchmarkResult> all = new ArrayList<>();
        List<Long> inputIndexes = new ArrayList<>(); // each result's index in the input (skipped results keep theirs)
        List<String> formats = new ArrayList<>(); // each kept result's format as read
        // The whole input's checks, as the streamed import makes them: each result added with its index in the input.
        MergedSeries merges = new MergedSeries(overrides, Adapters.Caller.CLI); // the context flags among them
        FilePlaces places = new FilePlaces(files.size()); // a refusal of two results names each by its file
        OneResultPerRun runs = new OneResultPerRun(places::named);
        List<IngestWarning> warnings = new ArrayList<>();
        Map<String, MetricDefinition> definitions = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        boolean selectedAny = false;
        boolean nothingToFix = true; // every file refused for its format or as not JSON: no result field to fix
        boolean allCsv = true; // every file read as benchmon's CSV: the advice names columns, not JSON fields
        boolean anyTool = false; // a file read in a tool's format: the advice names the series flags
        int read = 0; // results of the files before (skipped ones among them): a file's first result's index
        for (String file : files) {
            String text = null;
            List<Long> lines = new ArrayList<>(); // where each result starts, when the file's reader knows
            List<Integer> kept = new ArrayList<>(); // the indexes of the file's results that hold a selected metric
            Reading reading = null;
            List<JsonNode> nodes = null; // the file's results as read, for a CSV refusal to place its problems in
            try {
                text = text(file, stdin);
                reading = Reading.of(file, text, format);
                allCsv &= reading.csv(); // decided before reading, so that a file its reader refuses counts too
                anyTool |= !ownFormat(reading.format());
                AdaptedResults adapted = reading.adapt(text, overrides, lines);
                nodes = adapted.results();
                if (nodes.isEmpty()) {
                    throw new ValidationException(Problem.of("results", "no results in it"));
                }
                int offset = read;
                read += nodes.size();
                places.start(label(file), offset);
                List<List<String>> fileStated = new ArrayList<>();
                String where = files.size() > 1 ? " (" + label(file) + ")" : "";
                for (int i = 0; i < nodes.size(); i++) {
                    List<String> before = MergedSeries.stated(nodes.get(i));
                    if (nodes.get(i) instanceof ObjectNode o) {
                        context.applyTo(o);
                        overrides.applyTo(o);
                    }
                    // skipped, and refused only when no result of the input is kept
                    if (!selection.skips(nodes.get(i), label(file), inFile(files.size(), label(file), i), i,
                            lines.size() > 1 && i < lines.size()
                            ? lines.get(i) : 0, offset + i)) {
                        kept.add(i);
                        fileStated.add(before);
                        if (nodes.get(i).hasNonNull(dev.benchmon.ingest.RunExclusion.FIELD)) {
                            warnings.add(new IngestWarning(offset + i, dev.benchmon.ingest.RunExclusion.FIELD,
                                    NOT_EXCLUDED + inFile(files.size(), label(file), i)));
                        }
                    }
                }
                if (kept.isEmpty()) {
                    selection.leaveOut(label(file), adapted.definitions());
                    continue;
                }
                selectedAny = true;
                AdaptedResults selected = kept.size() == nodes.size() ? adapted : adapted.only(kept);
                ParsedResults parsed;
                try {
                    parsed = selected.read(strict);
                } catch (ValidationException e) { // named by their index in the file, skipped results counted
                    throw new ValidationException(e.problems().stream().map(p -> p.index() == null ? p
                            : new Problem(kept.get(p.index()), p.field(), p.message())).toList());
                }
                // Warnings name the result's index among all files' results, as the summary does, and, when there
                // are several files, its file with its place there: a file's name beside a number of all files'
                // results would send the reader to the wrong result.
                selected.warnings().forEach(w -> warnings.add(w.index() < 0 ? w.movedTo(-1, where)
                        : w.movedTo(offset + kept.get(w.index()), inFile(files.size(), label(file), kept.get(w.index())))));
                parsed.warnings().forEach(w -> warnings.add(w.movedTo(offset + kept.get(w.index()),
                        inFile(files.size(), label(file), kept.get(w.index())))));
                for (int j = 0; j < kept.size(); j++) { // one result a kept node: read refuses all or none
                    long number = (long) offset + kept.get(j);
                    merges.add(fileStated.get(j), parsed.results().get(j), number);
                    if (runs.add(parsed.results().get(j), number) && lines.size() > 1 && kept.get(j) < lines.size()) {
                        places.line(number, lines.get(kept.get(j))); // the later of a pair: its refusal names the line
                    }
                    inputIndexes.add(number);
                    formats.add(reading.format());
                }
                all.addAll(parsed.results());
                adapted.definitions().forEach(definitions::putIfAbsent);
            } catch (ValidationException e) {
                List<Problem> found = refusal(text, e, format, reading).problems();
                // A CSV's results by their row's line and column; other results by the line they start on, but for
                // a file of one result, which needs no line to find it
                CsvResults.Columns columns = nodes != null && reading.csv() ? CsvResults.columns(text) : null;
                for (Problem p : found.stream().map(context::told).toList()) {
                    Integer i = p.index();
                    if (columns != null && i != null && i >= 0 && i < nodes.size() && i < lines.size()) {
                        columns.place(p, nodes.get(i), lines.get(i)).forEach(c -> problems.add(located(label(file),
                                c.problem())));
                    } else {
                        problems.add(located(label(file), lines.size() > 1 ? onLine(p, lines) : p));
                    }
                }
                nothingToFix &= found.stream().allMatch(ResultInputs::isNoField);
                selectedAny |= !kept.isEmpty();
            }
        }
        if (!selectedAny && selection.skipped() > 0) { // no result of the input holds a metric --metrics selects
            problems.addAll(selection.refusal());
        }
        if (problems.isEmpty()) {
            // A flag that makes results the files state apart one run of one series is refused naming the flag,
            // before the run check would blame run_id for it.
            try {
                merges.requireNone();
                warnings.addAll(merges.warnings());
            } catch (ValidationException e) {
                e.problems().forEach(p -> problems.add(p.message()));
            }
        }
        if (problems.isEmpty()) { // named by their file and their index there, skipped ones counted
            List<Problem> conflicts = new ArrayList<>(runs.problems());
            if (!runs.sharedKeys().isEmpty()) {
                Map<Long, BenchmarkResult> byNumber = new java.util.HashMap<>();
                for (int i = 0; i < all.size(); i++) {
                    byNumber.put(inputIndexes.get(i), all.get(i));
                }
                conflicts.addAll(runs.sharedKeyConflicts(byNumber::get));
            }
            conflicts.forEach(p -> problems.add(places.located(p)));
            if (runs.conflicts() > runs.problems().size()) {
                problems.add("... and " + (runs.conflicts() - runs.problems().size()) + " more second result(s) of a run");
            }
            nothingToFix &= conflicts.isEmpty();
        }
        if (!problems.isEmpty()) {
            throw refused(problems, nothingToFix, anyTool, allCsv, refusing);
        }
        warnings.addAll(selection.warnings());
        return new Read(new ParsedResults(all, definitions, warnings), inputIndexes, formats);
    }

    /**
     * What to report for a file refused with {@code e}: for one read in benchmon's own format (the default) that is a
     * tool's output, the one problem naming {@code --format} (its fields are not wrong, the format is); else {@code e}.
     */
    static ValidationException refusal(String text, ValidationException e, String format) {
        return refusal(text, e, format, null);
    }

    /**
     * {@link #refusal(String, ValidationException, String)} of a file read as {@code reading} says ({@code null}: not
     * yet decided): one that {@code --format auto} read in benchmon's own format because no tool's format matched it
     * says so first, then its own format's problems ({@link NoToolMatched}); a problem of the format itself (a runs
     * table, CSV read as JSON) is said alone.
     */
    private static ValidationException refusal(String text, ValidationException e, String format, Reading reading) {
        if (text == null) {
            return e;
        }
        if (notJson(e) && CsvResults.looksLikeCsv(text)) {
            return new ValidationException(Problem.of("format", CsvResults.readAsJson(text)
                    + ": pass --format csv (a file named *.csv is read as CSV anyway)"));
        }
        if (reading != null && reading.tool() == null && format.equalsIgnoreCase(Adapters.AUTO)
                && e.problems().stream().noneMatch(p -> p.field().equals("format"))) {
            return NoToolMatched.refusal(e, reading.csv() ? "benchmon's own CSV" : "benchmon's own JSON", "--format %s");
        }
        return !format.equalsIgnoreCase(Adapters.DEFAULT) ? e : Adapters.defaultFormatRefusal(text, e, Adapters.Caller.CLI);
    }

    /** Whether every problem is the input as a whole failing to parse as JSON (not a field of a result). */
    private static boolean notJson(ValidationException e) {
        return !e.problems().isEmpty() && e.problems().stream()
                .allMatch(p -> p.field().equals(WHOLE_INPUT) && p.message().startsWith("is not valid JSON"));
    }

    /** The command refusing its input, for what the refusal says was not done: push sends, import stores. */
    enum Refusing {
        PUSH("nothing was sent"),
        IMPORT("nothing was stored");

        private final String notDone;

        Refusing(String notDone) {
            this.notDone = notDone;
        }
    }

    /**
     * Whether {@code problem} is about no result field: the file's format, or the file as a whole (not JSON), which
     * is not fixed field by field.
     */
    static boolean isNoField(Problem problem) {
        return problem.field().equals("format") || problem.field().equals(WHOLE_INPUT);
    }

    /**
     * Refuses {@code value}, which {@code option} gives the field {@code field} of every result ({@code --environment ''}),
     * when a result's field may not hold it, by the field's own rules: once, naming the option, before any file is read
     * (a problem for every result of the file blamed the file). {@code null} (not given) passes.
     *
     * @throws CliException (invalid input) {@code invalid --environment: must not be blank}
     */
    static void checkFieldOption(String option, String field, String value) {
        ResultOverrides.problem(field, value).ifPresent(p -> {
            throw new CliException(ExitCodes.INVALID_INPUT, CliException.invalidOption(option, p));
        });
    }

    /**
     * A result's problem placed on the line of the file its result starts on, {@code line 5: result 4, results[3].run_at: ...} (the index
     * among the file's results kept), as a syntax error names its line; other problems, and a result whose line is not
     * known ({@code lines} empty: a tool's format, or a file of one JSON result), as they are.
     */
    static Problem onLine(Problem problem, List<Long> lines) {
        Integer index = problem.index();
        return index == null || index < 0 || index >= lines.size() ? problem : onLine(problem, lines.get(index));
    }

    /** {@code problem}, a result's, placed on {@code line}: {@code line 5: result 4, results[3].run_at: ...}. */
    static Problem onLine(Problem problem, long line) {
        return new Problem(null, "line " + line + ": " + problem.where(), problem.message());
    }

    /**
     * What a warning or a skipped result of one of several files adds to its number among all files' results: its file
     * and its place there, {@code " (result 3 of b.json)"} ({@link dev.benchmon.ResultPlace#label}); empty for one
     * file, where the two numbers are one.
     *
     * @param index the result's 0-based index in its file
     */
    static String inFile(int files, String label, long index) {
        return files > 1 ? " (" + dev.benchmon.ResultPlace.label(index) + " of " + label + ")" : "";
    }

    /** The field the toolkit names for the input as a whole: the API's request body, here a file. */
    private static final String WHOLE_INPUT = "body";
    private static final Pattern JSON_LOCATION = Pattern.compile(" \\(line (\\d+), column (\\d+)\\)$");

    /**
     * A problem of file {@code label} as its line of the refusal, {@code file: field: message}. A problem of the whole
     * input (field {@code body}, which means the request body to the API and nothing for a file) is named by the line
     * the JSON breaks on, else by the file alone: {@code bom.jsonl: line 1: is not valid JSON: ... (column 7)}.
     */
    static String located(String label, Problem problem) {
        if (!problem.field().equals(WHOLE_INPUT)) {
            return label + ": " + problem;
        }
        String index = problem.index() == null ? "" : dev.benchmon.ResultPlace.named(problem.index()) + ": ";
        Matcher at = JSON_LOCATION.matcher(problem.message());
        return at.find() ? label + ": " + index + "line " + at.group(1) + ": " + at.replaceFirst(" (column $2)")
                : label + ": " + index + problem.message();
    }

    /**
     * The error for refused input: every problem on its own line, and how to fix the fields unless no problem is a
     * result's field (a file of another shape, or not JSON, is not fixed field by field: its line says what it is).
     * The advice names what the input holds: JSON fields and objects, or, for benchmon's CSV ({@code csv}: every
     * file read as CSV), columns and rows; with {@code tool} (a file read in a tool's format), the series flags too.
     */
    static CliException refused(List<String> problems, boolean nothingToFix, boolean tool, boolean csv,
                                Refusing refusing) {
        String listed = "invalid input, " + refusing.notDone + ":\n  " + String.join("\n  ", problems);
        if (nothingToFix) {
            return new CliException(ExitCodes.INVALID_INPUT, listed);
        }
        // The advice to name the model or dataset by flag only when a result lacks one: a refusal of a run's two results,
        // which a flag can cause, must not advise the flag.
        boolean flags = tool && problems.stream().anyMatch(p -> p.contains("model_version: is required")
                || p.contains("dataset_version: is required"));
        return new CliException(ExitCodes.INVALID_INPUT, listed + (csv ? CSV_ADVICE : "\nFix the fields named above "
                + "(each result needs model_version, dataset_version and a metrics object of numbers) and run again.")
                + (flags ? " Where the file does not name the model or dataset, give them with --model-version and "
                + "--dataset-version." : ""));
    }

    /** How to fix a refused CSV file, in its own terms: rows and columns, not JSON fields and objects. */
    static final String CSV_ADVICE = "\nFix the rows and columns named above (each row needs model_version and "
            + "dataset_version cells, and a number in a metric column: any column that is not a result field) and run "
            + "again.";

    /**
     * What push says of a result that carries an exclusion (an export's {@code "excluded"}): the result is stored, the
     * exclusion is not (only {@code benchmon import} applies it).
     */
    static final String NOT_EXCLUDED = "the run's exclusion is not applied by push (the result is stored and counts): "
            + "'benchmon import FILE' into the database applies it, or exclude the run with 'benchmon alerts exclude RUN "
            + "--reason ...'";

    /** Whether a file is benchmon's CSV by its name ({@code *.csv}, any case) when no {@code --format csv} says so. */
    static boolean isCsvFile(String file) {
        String name = file.toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") || name.endsWith(".csv.gz");
    }

    /**
     * How one file is read, decided once from {@code --format}, the file's name and, under {@code auto}, its content
     * (one detection a file), before it is read: so that what a refusal advises, and what push checks after storing,
     * go by the format the file was read in.
     *
     * @param format          the format read: {@code csv} (by {@code --format csv}, or a {@code *.csv} file read in
     *                        benchmon's own format), {@code json}, or a tool's; {@code auto} resolved to the format it
     *                        detected, benchmon's own when it detected none
     * @param tool            the tool's adapter ({@code null} for benchmon's own formats)
     * @param refuseRunsTable no {@code --format} named the format ({@code auto} detected none, or only the file's name
     *                        says CSV): a UI's runs table is refused, not read as benchmon's CSV
     */
    private record Reading(String format, ResultAdapter tool, boolean refuseRunsTable) {
        static Reading of(String file, String text, String format) {
            if (format.equalsIgnoreCase(CSV)) {
                return new Reading(CSV, null, false);
            }
            ResultAdapter adapter = Adapters.forName(format, Adapters.Caller.CLI);
            boolean undetected = false;
            if (adapter.name().equals(Adapters.AUTO)) {
                adapter = Adapters.detect(text).orElse(null);
                undetected = adapter == null;
            }
            if (adapter != null && !adapter.name().equals(Adapters.DEFAULT)) {
                return new Reading(adapter.name(), adapter, false);
            }
            boolean csvFile = isCsvFile(file);
            return new Reading(csvFile ? CSV : Adapters.DEFAULT, null, undetected || csvFile);
        }

        boolean csv() {
            return format.equals(CSV);
        }

        /** The file's results before validation. */
        AdaptedResults adapt(String text, ResultOverrides overrides, List<Long> lines) {
            if (refuseRunsTable) {
                Adapters.refuseRunsTable(text, Adapters.Caller.CLI);
            }
            if (tool != null) {
                return tool.convert(text).asToolOutput(); // a tool's time is not its CI run (AdaptedResults#asToolOutput)
            }
            if (csv()) {
                return new AdaptedResults(CsvResults.parse(text, overrides, Adapters.Caller.CLI, lines), Map.of(), List.of());
            }
            // benchmon's JSON, with an optional metric_definitions object beside the results
            List<Long> starts = new ArrayList<>();
            List<JsonNode> roots = nonEmpty(ResultJson.readRoots(text, starts));
            List<JsonNode> results = ResultJson.elements(roots);
            if (ResultJson.isDefinitionsLine(roots)) { // JSON Lines whose first line states the definitions
                starts.remove(0);
            }
            if (starts.size() == results.size()) { // JSON Lines or an array: each result's own line
                lines.addAll(starts);
            }
            return new AdaptedResults(results, ResultJson.definitions(roots), List.of());
        }
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
            return Utf8Text.decode(Utf8Text.gunzipped(file.equals("-") ? stdin.readAllBytes()
                    : Files.readAllBytes(Path.of(file)), label(file)), label(file));
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, "no such file: " + file + " (give the path of a JSON, "
                    + "JSON Lines or CSV file of results, or - for standard input)");
        } catch (IOException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, "cannot read " + label(file) + ": " + e.getMessage());
        }
    }

    static String label(String file) {
        return file.equals("-") ? "<stdin>" : file;
    }

    /**
     * The run's context for every result: {@code flags} (by JSON name) replace the file's, set as the API's query
     * parameters of the same names are ({@link FormatOptions#overrides(ResultContext)}, {@link ResultOverrides#withContext(Map)}),
     * after {@link #applyTo} has run; {@code defaults} (from the CI environment) fill only what the file leaves out (or
     * gives as {@code null}, which reads as left out). So a flag beats the file, and the file beats a default. A value the
     * file gives, blank or not, is kept for validation to judge: a blank {@code "environment": ""} is refused as the
     * server refuses it, not replaced by {@code ci}. A blank default (an empty {@code GITHUB_SHA}) fills nothing.
     */
    record ResultContext(Map<String, String> flags, Map<String, String> defaults, Map<String, String> tags) {
        /** Fills the defaults the file leaves out and adds the tags; the flags are overrides, applied after. */
        void applyTo(ObjectNode o) {
            defaults.forEach((k, v) -> {
                if (v != null && !v.isBlank() && !o.hasNonNull(k)) {
                    o.put(k, v);
                }
            });
            if (!tags.isEmpty()) {
                JsonNode existing = o.get("tags");
                ObjectNode t = existing instanceof ObjectNode on ? on : o.putObject("tags");
                tags.forEach(t::put);
            }
        }

        /**
         * {@code problem} as this run tells it: a blank environment (in a file, or {@code --environment ''}) is told to
         * leave it out for the environment a result without one gets here ({@code ci} where {@code CI=true}: the
         * defaults), not the toolkit's {@link BenchmarkResult#DEFAULT_ENVIRONMENT}, which the toolkit's refusal names.
         */
        Problem told(Problem problem) {
            String environment = defaults.get("environment");
            return environment != null && problem.field().equals("environment") && problem.message()
                    .equals(ResultValidator.blankEnvironment(BenchmarkResult.DEFAULT_ENVIRONMENT))
                    ? new Problem(problem.index(), problem.field(), ResultValidator.blankEnvironment(environment)) : problem;
        }
    }
}
