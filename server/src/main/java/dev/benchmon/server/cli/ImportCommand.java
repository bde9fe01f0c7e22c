package dev.benchmon.server.cli;

import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.DatabaseException;
import dev.benchmon.MetricDefinition;
import dev.benchmon.ShellWord;
import dev.benchmon.ValidationException;
import dev.benchmon.db.InputRefusals;
import dev.benchmon.ingest.BulkImport;
import dev.benchmon.ingest.IngestWarning;
import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.server.ingest.Ingestion;
import dev.benchmon.ingest.RunExclusion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;

/** {@code benchmon import}: bulk load through the toolkit's chunked batch path, with a progress bar on a terminal. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_HELP, ExitCodes.INVALID_INPUT_HELP,
                ExitCodes.UNREACHABLE_HELP, ExitCodes.FAILURE_HELP},
        description = {"Bulk-load results from JSON, JSON Lines or CSV files, or a tool's own output.",
                "CSV files are *.csv (e.g. from 'benchmon export history --raw'), or any file or stdin with --format csv. Results go into the database in chunks of "
                        + "10,000 (each chunk atomic), in constant memory for files of any size.",
                "Everything is validated before anything is written. Importing the same file again adds nothing when results carry run_at, run_id or an idempotency key.",
                "A result whose own idempotency key is stored with other values is refused (exit 2), with the chunks before it kept.",
                "--format reads a tool's own output instead (lm-eval, hf-trainer, mlflow, wandb, pytest-benchmark, google-benchmark, auto)."})
final class ImportCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to import (gzip-compressed ones too, e.g. results.jsonl.gz), or - for stdin.")
    List<String> files;

    @Option(names = "--strict", description = {"Refuse the whole input when a metric value is NaN, Infinity, null or not a number. By default such a "
            + "value is dropped from its result with a warning and the rest is imported."})
    boolean strict;

    @Mixin
    DatabaseOptions database;

    @Mixin
    FormatOptions input;

    /** The lines of the load's outcome (runs excluded, alerts opened or resolved), printed after the count line. */
    private final StringBuilder afterCount = new StringBuilder();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = System.console() != null;
        long start = System.nanoTime();
        BulkImport.Totals totals;
        List<IngestWarning> warnings;
        ResultInputs.requireFormat(input.format);
        database.refuseDbWithHome(); // before the files are read (a large import reads them for minutes)
        if (ResultInputs.ownFormat(input.format)) {
            // benchmon's own formats: read twice in constant memory (validate all, then write), any size.
            try (StreamedInputs streamed = new StreamedInputs(files, main.stdin(), strict, input.overrides(),
                    input.selection(), input.format.equalsIgnoreCase(ResultInputs.CSV))) {
                StreamedInputs.Checked checked = streamed.check();
                ResultInputs.printWarnings(checked.warnings(), err);
                warnings = checked.warnings();
                totals = load(out, err, terminal, checked.definitions(), streamed.results(),
                        new InputPlaces(streamed::positionOfLast, streamed::placedInFile), checked.results(),
                        streamed::takeExclusion, checked.csvMetrics());
            }
        } else {
            // A tool's own output (a run's summary): small, read whole by its adapter.
            ParsedResults parsed = input.read(files, main.stdin(),
                    new ResultInputs.ResultContext(Map.of(), Map.of(), Map.of()), strict, err, ResultInputs.Refusing.IMPORT)
                    .parsed();
            warnings = parsed.warnings();
            totals = load(out, err, terminal, parsed.definitions(), parsed.results().iterator(), null,
                    parsed.results().size(), index -> null, java.util.Set.of()); // a tool's file excludes no run, and states its definitions
        }
        out.printf("imported %d result(s): %d stored, %d already present (%.1f s)%n", totals.results(), totals.created(),
                totals.alreadyPresent(), (System.nanoTime() - start) / 1e9);
        out.print(afterCount); // what the load did with the stored results, after how many it stored
        if (!warnings.isEmpty()) {
            out.printf("%d warning(s): values not stored as sent (listed above), e.g. %s%n", warnings.size(),
                    warnings.get(0));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Where the results an import reads are in its input ({@link StreamedInputs}): the position among all the files'
     * results of the one returned last, and a warning of a result with its file and its place there appended.
     */
    private record InputPlaces(java.util.function.LongSupplier positionOfLast,
                               java.util.function.UnaryOperator<IngestWarning> inFile) {
    }

    /**
     * A chunk failed after earlier ones committed (each chunk is its own transaction): say what is stored, and that
     * running the same import again is safe (stored results are recognised by their idempotency keys and skipped).
     */
    private static CliException partlyStored(DatabaseException e, long stored) {
        java.util.Optional<InputRefusals.Refusal> refusal = InputRefusals.of(e);
        String why = refusal.map(InputRefusals.Refusal::text).orElse(e.getMessage());
        return new CliException(refusal.isPresent() ? ExitCodes.INVALID_INPUT : ExitCodes.UNREACHABLE, String.format(
                Locale.ROOT, "%s%n  the first %,d result(s) are stored; the rest is not. Running the same import again "
                        + "skips what is stored", why, stored), e);
    }

    /**
     * Loads the results (warning of those of {@code csvMetrics}, the metrics of CSV input, that the database then cannot
     * judge; {@code places}, when not null, numbers the results' warnings by their places in the input); then, as each chunk is stored, applies the exclusions {@code exclusions} gives by a result's
     * index ({@code "excluded"}, as an export writes an excluded run), to the stored result or the one found stored
     * (one excluded already keeps its exclusion: importing the file again changes nothing).
     */
    private BulkImport.Totals load(PrintWriter out, PrintWriter err, boolean terminal,
                                   Map<String, MetricDefinition> definitions, Iterator<BenchmarkResult> results,
                                   InputPlaces places, long total,
                                   LongFunction<RunExclusion> exclusions, java.util.Set<String> csvMetrics) {
        try (Benchmon benchmon = database.open(main.env())) {
            // Stored with the first chunk: an import the database refuses at once defines nothing (see importAll).
            Map<String, MetricDefinition> added = Ingestion.undefined(benchmon, definitions);
            long[] stored = {0};
            long[] excluded = {0};
            Benchmon.Imported imported;
            // Ctrl-C: stop at the next chunk boundary and say what is stored, before the database stops.
            ImportInterruption interruption = ImportInterruption.watch(benchmon.database().embeddedServer(), err, total,
                    terminal);
            ProgressBar bar = new ProgressBar(err, terminal, total);
            // A proportion's values outside [0, 1], noted as the results go by (one entry per metric name: any size).
            dev.benchmon.ingest.ProportionRange range = new dev.benchmon.ingest.ProportionRange();
            // A column that may misspell a metric the database holds, read before the load adds it to the names.
            MisspeltColumns misspelt = MisspeltColumns.of(csvMetrics, csvMetrics.isEmpty() ? List.of() : benchmon.metrics());
            Iterator<BenchmarkResult> observed = new Iterator<>() {
                private long index;

                @Override
                public boolean hasNext() {
                    return results.hasNext();
                }

                @Override
                public BenchmarkResult next() {
                    BenchmarkResult r = results.next();
                    // numbered by its place in the input, as the first pass's warnings are (--metrics may skip some)
                    range.add(places == null ? index : places.positionOfLast().getAsLong(), r);
                    misspelt.read(index, r);
                    index++;
                    return r;
                }
            };
            try {
                try {
                    // Then the alerts a push of the same runs opens: a copy of a project shows its current regressions.
                    imported = benchmon.importAlerting(observed, added, done -> {
                        stored[0] = done;
                        interruption.committed(done);
                        bar.update(done);
                    }, chunk -> chunk.forEach(outcome -> {
                        misspelt.committed(outcome);
                        RunExclusion exclusion = exclusions.apply(outcome.index());
                        if (exclusion != null && benchmon.annotations().excludeAsExported(outcome.transactionId(), exclusion)) {
                            excluded[0]++;
                        }
                    }));
                } catch (DatabaseException e) {
                    if (stored[0] == 0) {
                        throw e; // nothing stored: the refusal or outage is reported as for any other command
                    }
                    if (e instanceof Benchmon.AlertingFailedException) { // stored and judged; only the alerts are missing
                        throw new CliException(ExitCodes.UNREACHABLE, String.format(Locale.ROOT, "all %,d result(s) are "
                                + "stored and judged, but %s%n  importing the file again stores nothing and so opens no "
                                + "alert: `benchmon metrics recompute --open-alerts` on this database opens them (the "
                                + "toolkit's Benchmon.alertOnNewestRuns())", stored[0], e.getMessage()), e);
                    }
                    if (stored[0] >= total) { // every chunk committed; what failed came after (statistics, detection)
                        throw new CliException(ExitCodes.UNREACHABLE, String.format(Locale.ROOT, "all %,d result(s) are "
                                + "stored, but judging them failed: %s%n  run `benchmon metrics recompute --open-alerts` "
                                + "to judge them again and open their alerts",
                                stored[0], e.getMessage()), e);
                    }
                    throw partlyStored(e, stored[0]);
                } catch (ValidationException e) { // a chunk re-sent a stored result's key with other values (ResentResults)
                    if (stored[0] == 0) {
                        throw e;
                    }
                    throw new CliException(ExitCodes.INVALID_INPUT, String.format(Locale.ROOT, "invalid input: %s%n  the "
                            + "first %,d result(s) are stored; the rest is not. Running the same import again, with those "
                            + "results fixed, skips what is stored", e.problemText(), stored[0]), e);
                }
            } catch (ImportInterruption.Stopped e) {
                interruption.stopped();
                interruption.settled();
                ImportInterruption.awaitExit();
                throw e;
            } catch (RuntimeException e) {
                if (interruption.requested()) {
                    // the shutdown's doing (the database stopped under the chunk being written): the interruption,
                    // said once, by the shutdown or here
                    interruption.stopped();
                    interruption.settled();
                    ImportInterruption.awaitExit();
                }
                throw e;
            } finally {
                interruption.settled();
            }
            bar.end();
            ResultInputs.printWarnings(range.warnings(definitions, benchmon).stream() // stored as sent, misread as shares
                    .map(w -> places == null ? w : places.inFile().apply(w)).toList(), err);
            out.print(StatedDefinitions.summary(added));
            // A CSV states no definitions (an export to CSV left them behind): say which of its metrics this database
            // cannot judge, rather than let a slower run pass as a change of unknown direction.
            List<String> unjudged = new ArrayList<>(CsvDefinitions.unjudged(csvMetrics, benchmon.detection().definitions()));
            err.print(misspelt.warning()); // said apart, and not told to define the name before being asked of a typo
            err.flush();
            unjudged.removeAll(misspelt.columns());
            if (!unjudged.isEmpty()) {
                err.println(CsvDefinitions.importWarning(unjudged));
                err.flush();
            }
            if (excluded[0] > 0) {
                afterCount.append(String.format("excluded %d run(s) as the file states (\"excluded\": left out of "
                        + "baselines and detection, with the reason, who and since as exported)%n", excluded[0]));
            }
            afterCount.append(alertsSummary(imported.alerts(), databaseOptions(main.env())));
            return imported.totals();
        }
    }

    /**
     * The alerts the import's newest runs opened or resolved, as one line ({@code opened 2 alert(s) on the newest runs
     * (benchmon alerts list --state open --home DIR): #7, #8}), or nothing when none changed.
     *
     * @param options the options that make the listing read the import's database ({@code " --home DIR"}), or ""
     */
    static String alertsSummary(List<dev.benchmon.alert.AlertChange> changes, String options) {
        List<String> opened = changes.stream().filter(c -> dev.benchmon.alert.AlertChange.OPENED.equals(c.change()))
                .map(c -> "#" + c.alertId() + (c.state() == dev.benchmon.alert.AlertState.OPEN ? "" : " (" + c.state().sqlName() + ")"))
                .toList();
        long resolved = changes.stream().filter(c -> dev.benchmon.alert.AlertChange.RESOLVED.equals(c.change())).count();
        StringBuilder b = new StringBuilder();
        if (!opened.isEmpty()) {
            b.append("opened ").append(opened.size()).append(" alert(s) on the series' newest runs, as a push of them "
                    + "would (benchmon alerts list --state open" + options + "): ").append(String.join(", ", opened)).append('\n');
        }
        if (resolved > 0) {
            b.append("resolved ").append(resolved).append(" alert(s): the series' newest runs are back within noise\n");
        }
        return b.toString();
    }

    /**
     * The options that make {@code benchmon alerts} read the database this import wrote: {@code --db URL} (its
     * password masked) or {@code --home DIR} as given; with neither, {@code --home} of the default home when no
     * variable names a database (alerts would go to a server answering at port 7070 first); else none, as alerts read
     * $BENCHMON_DB_URL / $BENCHMON_HOME as import does. With a leading space, or "".
     */
    private String databaseOptions(Map<String, String> env) {
        if (database.db != null) {
            // Only the password masked (ConnectionSettings' rule, as the database's own messages print it): the whole
            // query masked made the command unusable as printed (user=****).
            return " --db " + ShellWord.quoted(dev.benchmon.db.ConnectionSettings.maskUrl(database.db));
        }
        if (database.home != null) {
            return " --home " + ShellWord.quoted(database.home.toString());
        }
        if (AlertsCommand.Connection.databaseVariable(env) != null) {
            return "";
        }
        return " --home " + ShellWord.quoted(Benchmon.home(env).toAbsolutePath().toString());
    }

}
