package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.MetricDefinition;
import dev.benchmon.ValidationException;
import dev.benchmon.ValidationException.Problem;
import dev.benchmon.ingest.ByteOrderMark;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.ingest.JsonResultReader;
import dev.benchmon.ingest.OneResultPerRun;
import dev.benchmon.ingest.ResultLines;
import dev.benchmon.ingest.RunExclusion;
import dev.benchmon.ingest.adapters.Adapters;
import dev.benchmon.ingest.adapters.MergedSeries;
import dev.benchmon.ingest.adapters.ResultOverrides;
import dev.benchmon.server.api.CsvResults;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * {@code benchmon import}'s reader for benchmon's own formats (JSON, JSON Lines, CSV by the extension or by
 * {@code --format csv}):
 * files of any size in constant memory. The input is read twice, one result at a time: first to
 * validate everything (so that, as before, nothing is written unless every result is valid, and every
 * problem is listed), then to hand the results to the writer; results that share an idempotency key of their own
 * are read once more between the two, to compare them. Standard input is spooled to a temporary
 * file for the second pass. Tools' own formats ({@code --format lm-eval} ...) are small summaries and
 * keep the in-memory reader ({@link ResultInputs}).
 */
final class StreamedInputs implements Closeable {
    /** Problems listed in full; beyond this the message counts the rest (a bad million-line file). */
    static final int MAX_PROBLEMS_SHOWN = 200;
    /**
     * Largest refused file read whole to see whether it is a tool's output (a tool's file is a run's summary, kilobytes
     * to a few megabytes); a larger one keeps its field problems, so that a bad huge file is not held in memory.
     */
    static final long MAX_TOOL_FILE_BYTES = 16L << 20;

    private final List<String> files;
    private final List<Path> paths = new ArrayList<>();
    private final boolean strict;
    private final ResultOverrides overrides;
    private final MetricSelection selection;
    /** Every file is CSV ({@code --format csv}), whatever its name; else a {@code *.csv} file is. */
    private final boolean csv;
    private Path spooled;
    /**
     * The exclusions ({@code "excluded"}) of the results pass two returned, by their index among them, until the
     * import applies them once their chunk is stored ({@link #takeExclusion}): only excluded results, and only those
     * of the chunks not yet stored, so memory stays bounded.
     */
    private final Map<Long, RunExclusion> exclusions = new java.util.HashMap<>();
    private long returned;

    StreamedInputs(List<String> files, InputStream stdin, boolean strict, ResultOverrides overrides,
                   MetricSelection selection, boolean csv) {
        this.files = files;
        this.strict = strict;
        this.overrides = overrides;
        this.selection = selection;
        this.csv = csv;
        for (String file : files) {
            if (file.equals("-")) {
                paths.add(spool(stdin));
            } else {
                Path p = Path.of(file);
                if (Files.isDirectory(p)) {
                    throw new CliException(ExitCodes.INVALID_INPUT, file + " is a directory, not a file (give the path "
                            + "of each JSON, JSON Lines or CSV file of results, e.g. " + Path.of(file, "*.json") + ")");
                }
                if (!Files.isRegularFile(p)) {
                    throw new CliException(ExitCodes.INVALID_INPUT, "no such file: " + file + " (give the path of a JSON, "
                            + "JSON Lines or CSV file of results, or - for standard input)");
                }
                paths.add(p);
            }
        }
    }

    /**
     * What the first pass found: how many results to write (those --metrics skipped not among them), the metric
     * definitions the files state, the warnings
     * (values dropped, indexes among all files' results), and the metrics the results of CSV files hold (a CSV states
     * no definitions: {@link CsvDefinitions}).
     */
    record Checked(long results, Map<String, MetricDefinition> definitions, List<IngestWarning> warnings,
                   java.util.Set<String> csvMetrics) {
    }

    /**
     * Pass one: reads and validates every result of every file (the metrics {@code --metrics} names, with a warning
     * of how many it left out).
     *
     * @throws CliException (invalid input) naming the problems (file: line N: result i+1, results[i].field: message)
     */
    Checked check() {
        List<String> problems = new ArrayList<>();
        long[] problemCount = {0};
        List<IngestWarning> warnings = new ArrayList<>();
        Map<String, MetricDefinition> definitions = new LinkedHashMap<>();
        // The whole input, not each chunk the import writes: a run's two results refuse it wherever they are.
        FilePlaces places = new FilePlaces(files.size()); // a refusal of two results names each by its file
        this.places = places;
        OneResultPerRun runs = new OneResultPerRun(places::named);
        // A flag that makes results the files state apart one run of one series refuses the import, naming the flag.
        MergedSeries merges = new MergedSeries(overrides, Adapters.Caller.CLI);
        long[] kept = {0};
        long total = 0;
        java.util.Set<String> csvMetrics = new java.util.TreeSet<>(); // one entry per metric name: bounded

        boolean nothingToFix = true; // every problem is a file that is a tool's output, or not JSON
        for (int f = 0; f < paths.size(); f++) {
            String label = ResultInputs.label(files.get(f));
            String where = files.size() > 1 ? " (" + label + ")" : "";
            int fileIndex = f;
            long offset = total;
            places.start(label, offset);
            long problemsBefore = problemCount[0];
            long[] count = {0};
            long[] keptOfFile = {0};
            List<Problem> own = new ArrayList<>();
            Map<Integer, Long> problemLines = new java.util.HashMap<>(); // a refused result's index -> its line
            try {
                if (!csv && csv(f)) { // benchmon's CSV by the file's name alone: a UI's runs table is refused as auto does
                    Adapters.refuseRunsTable(header(f), Adapters.Caller.CLI);
                }
                Map<String, MetricDefinition> defs = each(f, (node, stated, index, line, columns) -> {
                    count[0]++;
                    List<IngestWarning> w = new ArrayList<>();
                    List<Problem> p = new ArrayList<>();
                    if (selection.skips(node, label, ResultInputs.inFile(files.size(), label, index), index, line,
                            offset + index)) {
                        return; // skipped, and refused only when no result of the input is kept
                    }
                    kept[0]++;
                    keptOfFile[0]++;
                    BenchmarkResult result = ResultJson.fromNode(node, index, strict, p, w);
                    if (columns != null) { // a CSV's result by its row's line and column, whatever the file's size
                        List<Problem> found = List.copyOf(p);
                        p.clear();
                        found.forEach(x -> columns.place(x, node, line).forEach(c -> p.add(c.problem())));
                    }
                    if (result != null) {
                        if (csv(fileIndex)) {
                            csvMetrics.addAll(result.metrics().keySet());
                        }
                        if (runs.add(result, offset + index)) {
                            places.line(offset + index, line); // the later of a pair: its refusal names the line
                        }
                        merges.add(stated, result, offset + index);
                    }
                    // Among all files' results, and by its place in its file too when there are several (ResultInputs).
                    w.forEach(x -> warnings.add(x.index() < 0 ? x.movedTo(-1, where)
                            : x.movedTo((int) (offset + x.index()), ResultInputs.inFile(files.size(), label, x.index()))));
                    problemCount[0] += p.size();
                    p.stream().limit(Math.max(0, MAX_PROBLEMS_SHOWN - own.size())).forEach(own::add);
                    if (!p.isEmpty() && line > 0 && problemLines.size() < MAX_PROBLEMS_SHOWN) {
                        problemLines.put(index, line); // only the lines of results with problems: constant memory
                    }
                });
                if (count[0] > 0 && keptOfFile[0] == 0) {
                    selection.leaveOut(label, defs); // as push leaves them out (ResultInputs)
                } else {
                    defs.forEach(definitions::putIfAbsent);
                }
                if (count[0] == 0) {
                    own.add(Problem.of("results", "no results in it"));
                    problemCount[0]++;
                }
            } catch (ValidationException e) {
                own.addAll(e.problems());
                problemCount[0] += e.problems().size();
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof CharacterCodingException) {
                    throw Utf8Text.notUtf8(label, paths.get(f));
                }
                if (e.getCause() instanceof java.util.zip.ZipException || e.getCause() instanceof java.io.EOFException) {
                    throw Utf8Text.notGzip(label, e.getCause()); // only a gzip stream's reads fail so
                }
                own.add(Problem.of("file", "cannot be read: " + e.getCause().getMessage()));
                problemCount[0]++;
            }
            if (!own.isEmpty()) {
                List<Problem> reported = refusal(f, own);
                if (reported != own) { // a tool's output: its fields are not wrong, the format is
                    problemCount[0] = problemsBefore + reported.size();
                    own.clear();
                    own.addAll(reported);
                }
            }
            nothingToFix &= own.stream().allMatch(ResultInputs::isNoField);
            // Results named by the line they start on, as push names them; a file of one result needs no line to find it
            boolean placed = count[0] > 1;
            if (!placed) {
                places.forgetLine(offset); // nor in a refusal of a pair whose later result it is
            }
            own.forEach(p -> problems.add(ResultInputs.located(label, placed && p.index() != null
                    && problemLines.containsKey(p.index()) ? ResultInputs.onLine(p, problemLines.get(p.index())) : p)));
            total += count[0];
        }
        if (kept[0] == 0 && selection.skipped() > 0) { // no result of the input holds a metric --metrics selects
            List<String> unselected = selection.refusal();
            problems.addAll(unselected);
            problemCount[0] += unselected.size();
        }
        if (problems.isEmpty()) {
            try {
                merges.requireNone();
                warnings.addAll(merges.warnings());
            } catch (ValidationException e) {
                e.problems().forEach(p -> problems.add(p.message()));
                problemCount[0] += e.problems().size();
            }
        }
        if (problems.isEmpty() && runs.conflicts() > 0) { // by their files and their places there, as push names them
            runs.problems().forEach(p -> problems.add(places.located(p)));
            problemCount[0] += runs.conflicts();
            nothingToFix = false;
        }
        if (problems.isEmpty() && !runs.sharedKeys().isEmpty()) {
            List<Problem> shared = sharedKeyConflicts(runs.sharedKeys(), places);
            shared.forEach(p -> problems.add(places.located(p)));
            problemCount[0] += shared.size();
            nothingToFix &= shared.isEmpty();
        }
        if (!problems.isEmpty()) {
            List<String> shown = new ArrayList<>(problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS_SHOWN)));
            if (problemCount[0] > shown.size()) {
                shown.add("... and " + (problemCount[0] - shown.size()) + " more problem(s)");
            }
            boolean allCsv = java.util.stream.IntStream.range(0, paths.size()).allMatch(this::csv);
            throw ResultInputs.refused(shown, nothingToFix, false, allCsv, ResultInputs.Refusing.IMPORT); // own formats only
        }
        warnings.addAll(selection.warnings());
        return new Checked(kept[0], definitions, warnings, csvMetrics);
    }

    /**
     * The end of pass one when results share an idempotency key of their own: those results are read again and each is
     * compared with the key's first result ({@link OneResultPerRun#sharedKeyConflict}), so that a key re-sent with
     * other values is refused before anything is written, wherever the two are (the import writes in chunks, each its
     * own transaction: the database would find it only when the later one's chunk came, after the earlier chunks were
     * stored). Holds at most the {@value OneResultPerRun#MAX_SHARED_KEYS_COMPARED} first results compared.
     */
    private List<Problem> sharedKeyConflicts(List<OneResultPerRun.SharedKey> pairs, FilePlaces places) {
        Map<Long, Long> firstOf = new java.util.HashMap<>(); // a later result's index -> its key's first result's
        java.util.Set<Long> firsts = new java.util.HashSet<>();
        for (OneResultPerRun.SharedKey pair : pairs) {
            firstOf.put(pair.again(), pair.first());
            firsts.add(pair.first());
        }
        Map<Long, BenchmarkResult> kept = new java.util.HashMap<>();
        List<Problem> conflicts = new ArrayList<>();
        long offset = 0;
        for (int f = 0; f < paths.size(); f++) {
            long base = offset;
            long[] count = {0};
            each(f, (node, stated, index, line, columns) -> {
                long at = base + index;
                count[0]++;
                Long first = firstOf.get(at);
                if (first == null && !firsts.contains(at)) {
                    return;
                }
                selection.applyTo(node); // as pass one read it
                BenchmarkResult result = ResultJson.fromNode(node, index, strict, new ArrayList<>(), new ArrayList<>());
                if (result == null) {
                    return; // the file changed since: pass two says so
                }
                if (first != null && kept.containsKey(first)) {
                    OneResultPerRun.sharedKeyConflict(kept.get(first), first, result, at, places::named)
                            .ifPresent(conflicts::add);
                }
                if (firsts.contains(at)) {
                    kept.put(at, result);
                }
            });
            offset += count[0];
        }
        return conflicts;
    }

    /** Where each file's results start, as {@link #check()} found them. */
    private FilePlaces places;

    /**
     * {@code w}, a warning of the result at its index among all the files' results (a {@link #positionOfLast()}), with
     * its file and its place there appended when there are several files, as the first pass's warnings have them
     * ({@code ... [result 7, m / d @ci] (result 3 of b.json)}); as it is before {@link #check()}.
     */
    IngestWarning placedInFile(IngestWarning w) {
        return places == null || w.index() < 0 ? w : w.movedTo(w.index(), places.inFile(w.index()));
    }

    /** {@link #positionOfLast()}'s answer, set as {@link #results()} returns each result. */
    private long positionOfLast = -1;

    /**
     * Pass two: the results of every file, in order, one at a time (each valid, as pass one found), but those holding
     * none of the metrics {@code --metrics} selects, which pass one skipped.
     */
    Iterator<BenchmarkResult> results() {
        return new Iterator<>() {
            private int file = -1;
            private Iterator<JsonNode> nodes;
            private Closeable open;
            private int index;
            private JsonNode pending; // the next result to return, its selection applied
            private long read; // results read from all files so far, those --metrics skipped included
            private long pendingPosition;

            @Override
            public boolean hasNext() {
                while (pending == null) {
                    while (nodes == null || !nodes.hasNext()) {
                        closeOpen();
                        if (++file >= paths.size()) {
                            return false;
                        }
                        Source s = source(file);
                        nodes = s.nodes();
                        open = s.closer();
                        index = 0;
                    }
                    JsonNode node = applied(nodes.next());
                    read++;
                    if (selection.applyTo(node).isEmpty()) { // as in pass one, which skipped a result with none
                        pending = node;
                        pendingPosition = read - 1;
                    } else {
                        index++;
                    }
                }
                return true;
            }

            @Override
            public BenchmarkResult next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                JsonNode node = pending;
                pending = null;
                positionOfLast = pendingPosition;
                List<Problem> p = new ArrayList<>();
                BenchmarkResult r = ResultJson.fromNode(node, index++, strict, p, new ArrayList<>());
                if (r == null) { // the file changed between the passes
                    throw new CliException(ExitCodes.INVALID_INPUT, ResultInputs.label(files.get(file)) + " changed while "
                            + "it was imported: " + p.get(0) + "; the results before it are stored, run the import again");
                }
                RunExclusion excluded = RunExclusion.of(node, p); // valid, as pass one found
                if (excluded != null) {
                    exclusions.put(returned, excluded);
                }
                returned++;
                return r;
            }

            private void closeOpen() {
                if (open != null) {
                    try {
                        open.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    open = null;
                }
            }
        };
    }

    /**
     * Where the result {@link #results()} returned last is among all the files' results, counted from 0 as the
     * warnings count them (those {@code --metrics} skipped included): its file position, where its number among the
     * results returned counts only those kept. -1 before the first.
     */
    long positionOfLast() {
        return positionOfLast;
    }

    /**
     * The exclusion the result {@link #results()} returned as number {@code index} (0-based, among all it returned)
     * carries, or {@code null}; forgotten once taken.
     */
    RunExclusion takeExclusion(long index) {
        return exclusions.remove(index);
    }

    private interface NodeVisitor {
        /**
         * {@code stated}: the result's series as its file states it, before the overrides ({@link MergedSeries#stated});
         * {@code line}: where the result starts in its file, 0 when not known; {@code columns}: a CSV's columns,
         * which place a result's problems in it ({@link CsvResults.Columns#place}), {@code null} for JSON.
         */
        void visit(JsonNode node, List<String> stated, int index, long line, CsvResults.Columns columns);
    }

    private record Source(Iterator<JsonNode> nodes, Closeable closer) {
    }

    /** Visits every result node of file {@code f} (overrides applied); returns the definitions it states. */
    private Map<String, MetricDefinition> each(int f, NodeVisitor visitor) {
        Source s = source(f);
        try (Closeable c = s.closer()) {
            int i = 0;
            while (s.nodes().hasNext()) {
                JsonNode raw = s.nodes().next();
                List<String> stated = MergedSeries.stated(raw);
                visitor.visit(applied(raw), stated, i++, s.nodes() instanceof ResultLines lines ? lines.line() : 0,
                        s.nodes() instanceof CsvResults.Rows rows ? rows.columns() : null);
            }
            if (s.nodes() instanceof JsonResultReader json) {
                List<JsonNode> wrappers = new ArrayList<>(json.wrapperFields());
                if (!wrappers.isEmpty()) {
                    ResultJson.elements(wrappers); // unknown fields beside "results", or "results" not an array
                    return ResultJson.definitions(wrappers);
                }
            }
            return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The problems to report for file {@code f}, refused with {@code problems} ({@link ResultInputs#refusal}). */
    private List<Problem> refusal(int f, List<Problem> problems) {
        try {
            Path path = paths.get(f);
            if (csv(f) || Files.size(path) > MAX_TOOL_FILE_BYTES) { // read as CSV: its problems are its own
                return problems;
            }
            ValidationException refused = new ValidationException(problems);
            String text;
            try (java.io.Reader in = Utf8Text.reader(path, ResultInputs.label(files.get(f)))) { // decompressed when gzip's, without a byte-order mark
                // At most the size a tool file may have, decompressed: a small .gz can hold gigabytes of JSON Lines.
                StringBuilder all = new StringBuilder();
                char[] buffer = new char[8192];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    all.append(buffer, 0, n);
                    if (all.length() > MAX_TOOL_FILE_BYTES) {
                        return problems; // read as JSON Lines: its problems are its own
                    }
                }
                text = all.toString();
            }
            ValidationException reported = ResultInputs.refusal(text, refused, Adapters.DEFAULT);
            return reported == refused ? problems : reported.problems();
        } catch (IOException e) {
            return problems; // its read problem is already reported
        }
    }

    /** The first line of file {@code f} (a CSV's header), "" when it is empty; a read failure as {@link #each}'s. */
    private String header(int f) {
        try (java.io.BufferedReader in = new java.io.BufferedReader(Utf8Text.reader(paths.get(f), ResultInputs.label(files.get(f))))) {
            String line = in.readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode applied(JsonNode node) {
        if (node instanceof ObjectNode o) {
            overrides.applyTo(o);
        }
        return node;
    }

    private Source source(int f) {
        Path path = paths.get(f);
        Reader reader;
        try {
            // Malformed UTF-8 is an error, not U+FFFD.
            reader = Utf8Text.reader(path, ResultInputs.label(files.get(f))); // decompressed when the file is gzip's
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, "no such file: " + files.get(f));
        } catch (IOException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, "cannot read " + ResultInputs.label(files.get(f)) + ": " + e.getMessage());
        }
        if (csv(f)) {
            try {
                return new Source(CsvResults.stream(reader, overrides, Adapters.Caller.CLI), reader);
            } catch (RuntimeException e) { // a refused header: the file is not read further
                closeQuietly(reader);
                throw e;
            }
        }
        JsonResultReader json = new JsonResultReader(reader);
        return new Source(json, json);
    }

    private boolean csv(int f) {
        return csv || ResultInputs.isCsvFile(files.get(f));
    }

    private static void closeQuietly(Reader reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // the refusal being reported matters, not the close
        }
    }

    private Path spool(InputStream stdin) {
        try {
            spooled = Files.createTempFile("benchmon-import", ".json");
            Files.copy(stdin, spooled, StandardCopyOption.REPLACE_EXISTING);
            return spooled;
        } catch (IOException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, "cannot read <stdin>: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (spooled != null) {
            try {
                Files.deleteIfExists(spooled);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans its temp folder
            }
        }
    }
}
