package dev.benchmon.server.cli;

import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.ingest.ClosestNames;
import dev.benchmon.query.HistoryQuery;
import dev.benchmon.query.ResultStream;
import dev.benchmon.server.api.QueryParams;
import dev.benchmon.server.api.CsvRows;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code benchmon export}: CSV or JSON Lines of history or latest snapshots for a filter, from the database or a
 * server, written as the rows come from the cursor or the answer ({@link ExportOutput}; a history of up to 5,000 rows
 * with no metric chosen is read whole first, ResultStream's buffered read), so memory does not grow with
 * the row count.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_HELP, ExitCodes.INVALID_INPUT_HELP,
                ExitCodes.UNREACHABLE_STREAMED_HELP, ExitCodes.FAILURE_HELP},
        description = {"Write results as CSV or JSON Lines: 'history' (rows of the log: the newest --limit, or --all, oldest first, as import stores them) or 'snapshots' (latest per series).",
                "Reads the local database (--db / --home / $BENCHMON_DB_URL), or a server with --server.",
                "'export history --format jsonl' (from the database or a server) imports back exactly with 'benchmon "
                        + "import', per-example outcomes included; so does 'export history --raw' (database only: no "
                        + "formula guard, tags as JSON; stderr, n and metadata as JSON as in any history CSV) but for "
                        + "examples, metric definitions and run exclusions, which CSV does not carry. The default CSV puts a ' before text cells a spreadsheet "
                        + "would run as a formula. A snapshot export is for reading: import refuses it."})
final class ExportCommand implements Callable<Integer> {
    enum What { history, snapshots }

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WHAT", defaultValue = "history",
            description = "history or snapshots (default: ${DEFAULT-VALUE}).")
    What what;

    @Option(names = "--environment", paramLabel = "E", description = "Only these environments.")
    List<String> environments = new ArrayList<>();
    @Option(names = "--model", paramLabel = "M", description = "Only these model versions (a value is split at commas "
            + "unless it is a stored name, so --model 'bert, small' finds the model 'bert, small'; likewise the options above and below).")
    List<String> models = new ArrayList<>();
    @Option(names = "--dataset", paramLabel = "D", description = "Only these dataset versions.")
    List<String> datasets = new ArrayList<>();
    @Option(names = "--prompt", paramLabel = "P", description = "Only these prompt versions.")
    List<String> prompts = new ArrayList<>();
    @Option(names = "--provider", paramLabel = "P", description = "Only these model providers.")
    List<String> providers = new ArrayList<>();
    @Option(names = "--tag", paramLabel = "K=V", description = "Only results with this tag (repeatable).")
    List<String> tags = new ArrayList<>();
    @Option(names = "--metric", paramLabel = "NAME", description = {"Only these metric columns (repeatable; a value is split at commas unless it is a known metric name, "
            + "so --metric acc,none finds the metric 'acc,none')."})
    List<String> metrics = new ArrayList<>();
    @Option(names = "--since", paramLabel = "TIME", description = "Runs at or after this ISO-8601 time (e.g. 2026-01-31).")
    String since;
    @Option(names = "--until", paramLabel = "TIME", description = "Runs before this ISO-8601 time; a date alone takes in that whole day (UTC).")
    String until;
    @Option(names = "--last", paramLabel = "DURATION", description = "Runs in this window back from now: 30m, 12h, 7d, 2w.")
    String last;
    @Option(names = "--limit", paramLabel = "N", description = "history: at most N rows (default 1000, max 100000; --all for every row).")
    String limit;
    @Option(names = "--all", description = {"history: every result the filter selects, oldest first: a whole database "
            + "with no other option, which 'benchmon import' reads back (--format jsonl, or CSV with --raw). Streamed from "
            + "the database or the server as it is read, so memory does not grow with the log."})
    boolean all;

    @Option(names = "--format", paramLabel = "F", defaultValue = "csv",
            description = {"csv (default) or jsonl: one result per line in the native JSON format, metric names, stderr, n, tags, "
                    + "metadata and per-example outcomes (examples) exactly as stored, from the database or a server; "
                    + "a history's first line states its metrics' definitions, and an excluded run carries its "
                    + "exclusion (excluded), which import applies. CSV has no column for examples, definitions or "
                    + "exclusions: copy results with them as jsonl."})
    String format;

    @Option(names = "--raw", description = {"Write text cells exactly as stored, and tags as a JSON object, for 'benchmon import'. By default a "
            + "text cell starting with = + - @ (or a tab or CR) gets a leading ' so a spreadsheet shows it instead "
            + "of running it as a formula, and tags read k=v, k=v. Reads the database only (a server's CSV is "
            + "always guarded, and its history's tags are always the JSON object; --format jsonl is exact from a server)."})
    boolean raw;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output; a FILE that existed is left as it was when "
            + "the export fails, also when the server stalls midway.")
    Path output;

    @Mixin
    ServerOptions server = ServerOptions.reading();

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() throws IOException {
        server.check("export", database);
        ExportOutput.requireWritable(output, "--output");
        Map<String, List<String>> params = params();
        Set<String> allowed = what == What.history ? QueryParams.HISTORY : QueryParams.FILTER;
        if (what == What.snapshots && (limit != null || all)) {
            throw new CliException(ExitCodes.INVALID_INPUT, (all ? "--all" : "--limit")
                    + " applies to history only; snapshots has one row per series");
        }
        if (all && limit != null) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--all and --limit " + limit + " both set how many rows: give one "
                    + "(--all for every row)");
        }
        boolean jsonl = switch (format.toLowerCase(java.util.Locale.ROOT)) { // CSV too, as push and import take JSON
            case "csv" -> false;
            case "jsonl" -> true;
            default -> throw new CliException(ExitCodes.INVALID_INPUT, "--format must be csv or jsonl, got '" + format + "'"
                    + ClosestNames.didYouMean(format, List.of("csv", "jsonl")));
        };
        if (jsonl && !server.present()) {
            return export("result", to -> {
                try (Benchmon benchmon = database.openForReading(main.env())) {
                    Filter filter = filterFor(params, allowed, benchmon);
                    long count = what == What.history ? benchmon.writeHistoryAsJsonLines(filter, to.writer())
                            : benchmon.writeLatestAsJsonLines(filter, to.writer());
                    return new Written(count, filter).leaving(olderLeftOut(count, filter,
                            rows -> benchmon.historyHoldsMoreThan(filter, rows)));
                }
            });
        }
        // Checked before anything is read, with every value taken whole: whether 'bert, small' is one model or two
        // (the second refused for its leading space) is for the names stored to say, as the API's rule goes. The
        // server decides for --server; filterFor asks the database otherwise.
        QueryParams q = QueryParams.of(params, allowed).withKnownNames(name -> params.getOrDefault(name, List.of()))
                .namedAs(QueryParams.Naming.OPTIONS);
        Filter filter = q.filter();
        q.check();
        if (jsonl) {
            // The server's own JSON Lines (GET /api/v1/history?format=jsonl), copied as it comes: the exact route from
            // a server, names unguarded and examples kept, where its CSV guards formulas for spreadsheets.
            return export("result", to -> {
                PushClient client = client();
                long lines = client.get("api/v1/" + what + "?format=jsonl" + query(params), "application/x-ndjson",
                        body -> copyLines(new InputStreamReader(body, StandardCharsets.UTF_8), to.writer()));
                return new Written(lines, filter).leaving(olderLeftOut(lines, filter,
                        rows -> serverHoldsMoreThan(client, params, rows)));
            });
        }
        if (server.present() && raw) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--raw reads the database (--db or --home); a server's CSV "
                    + "always guards formulas, so drop --raw, or export --format jsonl from the server for names exactly "
                    + "as stored (what import reads back)");
        }
        if (server.present()) {
            return export("row", to -> {
                PushClient client = client();
                // records, not lines: a quoted note may hold line breaks
                List<String> header = new ArrayList<>();
                long rows = client.get("api/v1/" + what + "?format=csv" + query(params), "text/csv",
                        body -> CsvCopy.copy(new InputStreamReader(body, StandardCharsets.UTF_8), to.writer(), header));
                return new Written(rows, filter, 0, what == What.history
                        ? CsvDefinitions.declaredOnServer(client, CsvDefinitions.metricsOfHeader(header)) : List.of(),
                        olderLeftOut(rows, filter, n -> serverHoldsMoreThan(client, params, n)));
            });
        }
        return export("row", to -> {
            try (Benchmon benchmon = database.openForReading(main.env())) {
                Filter known = filterFor(params, allowed, benchmon);
                CsvRows sink = new CsvRows(to::writer, !raw, CsvRows.Numbers.JAVA);
                if (what != What.history) {
                    long count = snapshots(benchmon, known, sink);
                    sink.finish();
                    return new Written(count, known);
                }
                CsvDefinitions.MetricColumnsSeen seen = new CsvDefinitions.MetricColumnsSeen(sink);
                ResultStream.Written rows = history(benchmon, known, seen);
                sink.finish();
                // Only a --raw history is a copy (import reads it back); a display CSV leaves much out by design.
                // Definitions are named either way: a guarded CSV imports back too, and loses them as --raw does.
                return new Written(rows.rows(), known, raw ? rows.withExamples() : 0,
                        CsvDefinitions.declaredIn(benchmon.detection().definitions(), seen.metrics()),
                        olderLeftOut(rows.rows(), known, n -> benchmon.historyHoldsMoreThan(known, n)));
            }
        });
    }

    private PushClient client() {
        return server.client(main.env(), spec.commandLine().getErr(), "Exporting only reads, so trying again is safe.");
    }

    /** How a history's first line starts when it states the metrics' definitions (JsonLinesQuery), not a result. */
    private static final String DEFINITIONS_LINE = "{\"metric_definitions\"";

    /**
     * Copies {@code in} to {@code out} unchanged; returns its results: its lines (a JSON line holds no raw line break)
     * but a first line stating the metric definitions.
     */
    private static long copyLines(java.io.Reader in, java.io.Writer out) throws IOException {
        char[] buffer = new char[1 << 16];
        long lines = 0;
        boolean lineStart = true;
        StringBuilder first = new StringBuilder(); // the first line's start, to tell a definitions line
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            for (int i = 0; i < n; i++) {
                if (lines == 0 && first.length() < DEFINITIONS_LINE.length()) {
                    first.append(buffer[i]);
                }
                // Each line a JSON object, checked before its bytes are written: a proxy's or a login page's 200
                // answer (HTML) would otherwise be saved as results and counted by its lines.
                if (lineStart && buffer[i] != '{') {
                    throw new CliException(ExitCodes.FAILURE, "the server's answer is not JSON Lines (line " + (lines + 1)
                            + " does not start with '{'): is --server the address of a benchmon server, reached without "
                            + "a sign-in page in between?");
                }
                lineStart = buffer[i] == '\n';
                if (lineStart) {
                    lines++;
                }
            }
            out.write(buffer, 0, n);
        }
        return lines > 0 && first.toString().equals(DEFINITIONS_LINE) ? lines - 1 : lines;
    }

    /**
     * What one export wrote: its rows (CSV) or results (JSON Lines), the filter it read them with, how many of the
     * results carry per-example outcomes the export left out (a CSV's), the metrics it holds whose definitions
     * (direction, unit) it left out (a CSV history's: CSV has no place for them), and whether its limit left older
     * results out ({@link #olderLeftOut}; null: it did stop at its limit, and nothing could tell whether more match).
     */
    private record Written(long count, Filter filter, long examplesLeftOut, List<String> definitionsLeftOut,
                           Boolean olderLeftOut) {
        Written(long count, Filter filter) {
            this(count, filter, 0, List.of(), false);
        }

        /** This, saying whether its limit left older results out. */
        Written leaving(Boolean olderLeftOut) {
            return new Written(count, filter, examplesLeftOut, definitionsLeftOut, olderLeftOut);
        }
    }

    /** Asks whether the history's filter selects more than a count of results ({@link #olderLeftOut}). */
    private interface MoreThan {
        /** @return null when nothing can tell */
        Boolean test(long rows) throws IOException;
    }

    /**
     * Whether a history of {@code rows} results left older ones out: only one that stopped at its limit can have, and
     * then only when the filter selects more than that ({@code more}, which counts at most one more): a history holding
     * exactly as many results as its limit left none out. Asked after the rows were written, so they stream as before.
     */
    private Boolean olderLeftOut(long rows, Filter filter, MoreThan more) throws IOException {
        if (what != What.history || rows != limitOf(filter)) {
            return false;
        }
        return more.test(rows);
    }

    /**
     * Whether the server's history of {@code params} holds more than {@code rows} results: its CSV of one result more,
     * counted as it comes and written nowhere (the API's answers do not say whether a full page left results out).
     * Null at the API's largest limit, where one more is refused, past {@value #RECOUNT_AT_MOST} results (the read
     * would transfer the whole export again: a hedged warning costs less), and when that read fails: the export itself
     * is whole, and only the warning's certainty depends on it.
     */
    private static Boolean serverHoldsMoreThan(PushClient client, Map<String, List<String>> params, long rows)
            throws IOException {
        if (rows >= QueryParams.MAX_LIMIT || rows > RECOUNT_AT_MOST) {
            return null;
        }
        Map<String, List<String>> more = new LinkedHashMap<>(params);
        more.put("limit", List.of(String.valueOf(rows + 1)));
        try {
            long counted = client.get("api/v1/history?format=csv" + query(more), "text/csv",
                    body -> CsvCopy.copy(new InputStreamReader(body, StandardCharsets.UTF_8), java.io.Writer.nullWriter()));
            return counted > rows;
        } catch (RuntimeException e) { // CliException, or a CSV the counter could not read: the export itself is whole
            return null;
        }
    }

    /** The largest server export whose limit {@link #serverHoldsMoreThan} checks by reading it again. */
    private static final int RECOUNT_AT_MOST = 10_000;

    /** The history's limit: --limit, else the default. */
    private static int limitOf(Filter filter) {
        return filter.limit() == null ? HistoryQuery.DEFAULT_LIMIT : filter.limit();
    }

    /** Writes one export's text to its destination ({@link #export}). */
    private interface Export {
        Written writeTo(ExportOutput to) throws IOException;
    }

    /**
     * Runs {@code export} into --output or standard output and commits it only when it returned (a failure leaves no
     * file, or the earlier one as it was: {@link ExportOutput}), then says on stderr how many {@code unit}s a file got
     * and whether the history stopped at its limit.
     */
    private Integer export(String unit, Export export) throws IOException {
        long count;
        Filter filter;
        Boolean olderLeftOut;
        long examplesLeftOut;
        List<String> definitionsLeftOut;
        ExportOutput to = ExportOutput.of(output, spec.commandLine().getOut());
        try (to) {
            Written written = export.writeTo(to);
            count = written.count();
            filter = written.filter();
            olderLeftOut = written.olderLeftOut();
            examplesLeftOut = written.examplesLeftOut();
            definitionsLeftOut = written.definitionsLeftOut();
            to.commit();
        } catch (RuntimeException e) {
            if (ExportOutput.stdoutClosed(to.writeFailure())) {
                return ExitCodes.STDOUT_CLOSED; // `export | head -1`: the reader has what it wanted; rows stop here
            }
            try {
                throw rethrown(to, e);
            } catch (IOException writing) {
                throw refusedFile(to, writing);
            }
        } catch (ExportOutput.StdoutClosed e) {
            return ExitCodes.STDOUT_CLOSED;
        } catch (IOException e) {
            throw refusedFile(to, e);
        }
        PrintWriter err = spec.commandLine().getErr();
        if (output != null) {
            err.println("wrote " + count + " " + unit + "(s) to " + output);
        }
        if (examplesLeftOut > 0) {
            err.println("note: " + examplesLeftOut + " of these result(s) carry per-example outcomes (examples), which "
                    + "CSV has no column for: export --format jsonl to copy them with their examples");
        }
        if (!definitionsLeftOut.isEmpty()) {
            err.println(CsvDefinitions.exportWarning(definitionsLeftOut));
        }
        warnIfCut(filter, olderLeftOut, err);
        return ExitCodes.OK;
    }

    /**
     * The history with stderr, n and metadata as JSON text cells (what the JSON export holds); with --raw its tags are
     * the stored JSON object's text, which import reads back exactly (the {@code k=v, k=v} display form lost a key or
     * value holding a comma or '='). Times at the stored precision, as the API's CSV and the JSON Lines export write
     * them. Returns the row count and, counted as the rows were written, how many carry per-example outcomes.
     */
    private ResultStream.Written history(Benchmon benchmon, Filter filter, ResultStream.Sink sink) {
        benchmon.requireKnown(filter);
        ResultStream stream = new ResultStream(benchmon.readJdbi());
        // Only --raw's note counts the results with examples; the count costs a lookup per row.
        return raw ? stream.historyCountingExamples(filter, sink, true, true)
                : new ResultStream.Written(stream.history(filter, sink, true, false), 0);
    }

    /** The latest snapshots into the sink; returns the row count. */
    private static long snapshots(Benchmon benchmon, Filter filter, CsvRows sink) {
        return benchmon.streamLatest(filter, sink);
    }

    /** The filter, with values that hold commas taken whole when they are names the database knows. */
    private static Filter filterFor(Map<String, List<String>> params, Set<String> allowed, Benchmon benchmon) {
        QueryParams q = QueryParams.of(params, allowed).withKnownNames(benchmon::knownNames)
                .namedAs(QueryParams.Naming.OPTIONS);
        Filter filter = q.filter();
        q.check();
        return filter;
    }

    /**
     * Throws the export's failure: the destination's own write failure (which the CSV writer or the row loop wrapped),
     * as writing the file whole at the end reported it, with {@code e} suppressed; else {@code e}. Declared to return the
     * exception so that the caller can write {@code throw rethrown(...)}: it never returns.
     */
    private static IOException rethrown(ExportOutput to, RuntimeException e) throws IOException {
        IOException writing = to.writeFailure();
        if (writing != null) {
            writing.addSuppressed(e);
            throw writing;
        }
        throw e;
    }

    /**
     * {@code e}, or when it is the OS refusing to create or write --output ({@code to}'s write failure), the refusal
     * naming the file and the OS's reason, not an "unexpected failure".
     */
    private IOException refusedFile(ExportOutput to, IOException e) {
        if (output != null && e == to.writeFailure()) {
            throw ExportOutput.cannotWrite(output, "--output", e);
        }
        if (e instanceof ExportOutput.StdoutFailed failed) {
            throw new CliException(ExitCodes.FAILURE, failed.getMessage());
        }
        return e;
    }

    /**
     * History stops at the limit without saying so: says when that left older rows out ({@code olderLeftOut}), or may
     * have (null: nothing could tell); not for a history that holds exactly as many as its limit.
     */
    private void warnIfCut(Filter filter, Boolean olderLeftOut, PrintWriter err) {
        if (Boolean.FALSE.equals(olderLeftOut)) {
            return;
        }
        int effective = limitOf(filter);
        err.println("warning: history stopped at the limit of " + effective + " row(s); older rows "
                + (olderLeftOut == null ? "may be" : "were") + " left out. "
                + (effective < QueryParams.MAX_LIMIT
                ? "Pass --limit N (at most " + QueryParams.MAX_LIMIT + ") or --all for more, or narrow with --since/--last."
                : "Pass --all for every row, or narrow with --since/--last."));
        err.flush();
    }

    private Map<String, List<String>> params() {
        Map<String, List<String>> p = new LinkedHashMap<>();
        put(p, "environment", environments);
        put(p, "model", models);
        put(p, "dataset", datasets);
        put(p, "prompt", prompts);
        put(p, "provider", providers);
        put(p, "tag", tags);
        put(p, "metric", metrics);
        put(p, "since", since == null ? List.of() : List.of(since));
        put(p, "until", until == null ? List.of() : List.of(until));
        put(p, "last", last == null ? List.of() : List.of(last));
        put(p, "limit", all ? List.of(QueryParams.ALL_ROWS) : limit == null ? List.of() : List.of(limit));
        return p;
    }

    private static void put(Map<String, List<String>> p, String name, List<String> values) {
        if (!values.isEmpty()) {
            p.put(name, values);
        }
    }

    /** {@code &name=value...} for the parameters, values URL-encoded (commas too: they separate list values). */
    static String query(Map<String, List<String>> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, values) -> values.forEach(v ->
                sb.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        return sb.toString();
    }
}
