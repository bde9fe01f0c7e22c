package dev.benchmon.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.MetricDefinition;
import dev.benchmon.ShellWord;
import dev.benchmon.ValidationException;
import dev.benchmon.db.ConnectionSettings;
import dev.benchmon.ingest.IdempotencyKeys;
import dev.benchmon.ingest.ParsedResults;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.server.api.TagPairs;
import dev.benchmon.server.ingest.IngestReport;
import dev.benchmon.server.ingest.IngestReportJson;
import dev.benchmon.server.ingest.Ingestion;
import dev.benchmon.server.ingest.WarningsJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code benchmon push}: sends results to a server (or straight to a database), safely retried. */
@Command(name = "push", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Validate benchmark results and send them to a benchmon server (or, with --db or --home, a database).",
                "FILE holds one JSON object, a JSON array, {\"results\": [...]}, JSON Lines, or CSV (*.csv, or any file with --format csv); - reads stdin.",
                "--format reads a tool's own output instead (lm-eval, hf-trainer, mlflow, wandb, pytest-benchmark, google-benchmark, auto).",
                "Context flags override the file; GITHUB_SHA, GITHUB_REF_NAME, GITHUB_RUN_ID and GITHUB_ACTOR fill "
                        + "what the file leaves out. Retrying is safe: every result carries an idempotency key.",
                "A result pushed again under its own idempotency_key with other values is refused (exit 2).",
                "Without this command: POST the file to the server's /api/v1/results (Content-Type: application/json, "
                        + "or text/csv; Authorization: Bearer WRITE_TOKEN when it has one; ?strict=true as --strict). "
                        + "GET /api/v1 lists the API."},
        exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_HELP, ExitCodes.REGRESSION_HELP, ExitCodes.INVALID_INPUT_HELP,
                ExitCodes.UNREACHABLE_HELP, ExitCodes.FAILURE_HELP})
final class PushCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Result files (JSON, JSON Lines, CSV; gzip-compressed ones too), or - for stdin.")
    List<String> files;

    @Mixin
    FormatOptions input;

    @Option(names = "--server", paramLabel = "URL",
            description = "Server to push to (default: $BENCHMON_SERVER, else $BENCHMON_URL, else http://127.0.0.1:7070).")
    String server;

    @Option(names = "--token", paramLabel = "T",
            description = "Write token (" + ClientTokens.WRITE_DEFAULT + "). Prefer the variable in CI. Refused with --db or "
                    + "--home, where no token applies.")
    String token;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = {"How long the server may send nothing, before "
            + "its answer begins or midway through it (default: " + PushClient.DEFAULT_TIMEOUT_SECONDS + "; refused with "
            + "--db or --home). A silent start is retried, as the results' idempotency keys make safe; a stall midway ends the push "
            + "with exit 3. A long answer is fine while it keeps coming."})
    Integer timeoutSeconds;

    @Option(names = "--environment", paramLabel = "E",
            description = "Environment of every result (default: the file's; else 'ci' when $CI is true, else 'local').")
    String environment;

    @Option(names = "--commit-sha", paramLabel = "S", description = "Commit the results belong to (default: $GITHUB_SHA).")
    String commitSha;

    @Option(names = "--branch", paramLabel = "B", description = "Branch (default: $GITHUB_REF_NAME).")
    String branch;

    @Option(names = "--run-id", paramLabel = "R", description = "CI run id (default: $GITHUB_RUN_ID).")
    String runId;

    @Option(names = "--triggered-by", paramLabel = "U", description = "Who started the run (default: $GITHUB_ACTOR).")
    String triggeredBy;

    @Option(names = "--tag", paramLabel = "K=V",
            description = "Tag every result (repeatable, each key once; overrides the file's tag).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--strict", description = {"Refuse the whole input when a metric value is NaN, Infinity, null or not a number. By default such a "
            + "value is dropped from its result with a warning and the rest is sent."})
    boolean strict;

    @Option(names = "--examples", paramLabel = "FILE",
            description = {"Per-example outcomes of the one result pushed: JSON Lines, one {\"id\", \"score\", \"slice\"} per line.",
                    "A result already stored keeps its first examples: pushing it again with other items or scores is refused."})
    Path examples;

    @Option(names = "--verify", description = {"Read the results back and check each is stored exactly once (exit 4 "
            + "otherwise). A result a later attempt of its CI run superseded (the run re-sent with other values) is stored: "
            + "it passes, said as 'superseded by attempt N'; the history shows that attempt instead."})
    boolean verify;

    @Option(names = "--fail-on-regression",
            description = {"Exit with 1 when a result this push stored raised or still shows an OPEN alert of its series and metric, until "
                    + "someone acknowledges, expects, mutes or resolves it (acknowledged, expected and muted alerts do not "
                    + "fail; a server without alerts: any regression fails). Results that were already stored fail nothing: "
                    + "a push that stores nothing new exits 0. With --sensitivity or --min-effect, an open "
                    + "alert fails only if the pushed value is still a regression from the alert's baseline under them (the "
                    + "summary says so for one that is not)."})
    boolean failOnRegression;

    @Option(names = "--fail-on-missing", description = "Exit with 1 also when a metric of the series' previous run is "
            + "missing from a result this push stored. Results that were already stored fail nothing: a push that "
            + "stores nothing new exits 0.")
    boolean failOnMissing;

    @Option(names = "--sensitivity", paramLabel = "Z",
            description = {"Noise sd a change must exceed to count (low, medium, high or a number; default 4), for this push's "
                    + "verdicts and --fail-on-regression; alerts open at the metrics' own settings."})
    String sensitivity;

    @Option(names = "--min-effect", paramLabel = "X",
            description = {"Smallest change that matters, above 0: a number in the metric's unit, or a percentage like 2%%; for this "
                    + "push's verdicts and --fail-on-regression, as --sensitivity."})
    String minEffect;

    // Not the DatabaseOptions mixin: its default ($BENCHMON_DB_URL, else the embedded database) is not push's (a server).
    @Option(names = "--db", paramLabel = "JDBC_URL", description = "Write straight to this PostgreSQL instead of a server.")
    String db;

    // Not DatabaseOptions.HOME_HELP: push without --home goes to a server, whatever $BENCHMON_HOME says.
    @Option(names = "--home", paramLabel = "DIR", description = {"Write to the embedded database in this folder instead "
            + "of a server (creating it in a new folder); refused with --server or --db. Without --home or --db, push "
            + "goes to a server even when $BENCHMON_HOME is set."})
    Path home;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000",
            description = "Results per request, 1 to 10000 (default: ${DEFAULT-VALUE}); each request is all-or-nothing.")
    int batchSize;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "5",
            description = "Attempts per request before giving up (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--retry-delay", paramLabel = "MS", defaultValue = "500",
            description = "First backoff delay in milliseconds, doubled per attempt with jitter (default: ${DEFAULT-VALUE}).")
    long retryDelayMs;

    @Override
    public Integer call() {
        checkOptions();
        Map<String, String> env = main.env();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResultInputs.Read fromFiles = input.read(files, main.stdin(), context(env), strict, err, ResultInputs.Refusing.PUSH);
        ParsedResults parsed = fromFiles.parsed();
        List<BenchmarkResult> read = ExampleInputs.attach(parsed.results(), examples);
        // The summary names each result by its position in the files (those --metrics skipped counted), as a refusal does.
        PushSummary.Sent sent = new PushSummary.Sent(read, fromFiles.numbers());
        long contentKeyed = read.stream().filter(IdempotencyKeys::isContentKeyed).count();
        List<BenchmarkResult> results = withKeys(read);
        Instant started = Instant.now();
        IngestReport report;
        String target;
        String verification = null;
        PushAlerts alerts = PushAlerts.none();
        // Results reported already present in a request that had to be sent again (file order): the earlier attempt
        // may have stored them, so they count as this push's own.
        java.util.Set<Integer> resent = new java.util.HashSet<>();
        // A tool's results stored beside a run with the same run_at and values (the file pushed under another run
        // id), lm-eval series earlier versions stored these results in, or the note that these could not be checked
        List<String> postPush;
        DatabaseOptions database = DatabaseOptions.of(db, home);
        if (database.given()) {
            target = db != null ? "database " + ConnectionSettings.maskUrl(db)
                    : "the embedded database in " + home.toAbsolutePath();
            try (Benchmon benchmon = database.open(env)) {
                // Stored with the results, before detection uses them (a push the database refuses defines nothing).
                Map<String, MetricDefinition> added = Ingestion.undefined(benchmon, parsed.definitions());
                report = Ingestion.record(benchmon, results, added, overrides()).judgedOnlyForAFew(); // as a server answers
                // Stored as sent, as the server warns of them in its answer: a proportion's value outside [0, 1].
                ResultInputs.printWarnings(dev.benchmon.ingest.ProportionRange.of(results, parsed.definitions(),
                                report.definitions(), "in all")
                        .stream().map(w -> w.movedTo(w.index() < 0 ? -1 : (int) (long) fromFiles.numbers().get(w.index()),
                                "")).toList(), err);
                out.print(StatedDefinitions.summary(added));
                alerts = PushAlerts.fromDatabase(benchmon, report, env);
                postPush = PostPushChecks.warnings(input.overrides(), results, sent, readIn(report, fromFiles, f -> !ResultInputs.ownFormat(f)),
                        readIn(report, fromFiles, PostPushChecks.LM_EVAL::equals), PostPushChecks.Store.of(benchmon));
                if (verify) {
                    verification = verify(results, sent, report, rowsOf(benchmon.history(verifyFilter(results, started))));
                }
            }
        } else {
            ServerOptions.Server named = ServerOptions.server(server, env);
            PushClient client = new PushClient(baseUri(named.url()), ClientTokens.of(token, env, ClientTokens.Role.WRITE), maxAttempts, Duration.ofMillis(retryDelayMs), err,
                    againAdvice(contentKeyed, results.size())).waiting(ServerOptions.timeout(timeoutSeconds));
            if (named.byDefault()) {
                // Nothing named a server: the user may not know push goes to one by default (alerts and compare fall
                // back to ~/.benchmon; a write does not guess where it lands).
                client.whenNothingAnswers(" Nothing named a server, so push tried the default one. To write without a "
                        + "server, give --home DIR (an embedded database, such as " + ShellWord.quoted(
                        Benchmon.home(env).toAbsolutePath().toString()) + ", which benchmon serve uses by default) or --db URL.");
            }
            target = client.server();
            report = new IngestReport(List.of());
            List<JsonNode> defined = new java.util.ArrayList<>(); // the answers' defined_metrics: the line --db prints
            // A file sent in several requests goes in run_at order: a request never holds runs older than those of a
            // request before it, which the server would report late (a back-fill not sorted by time). The summary,
            // warnings and --verify keep the file's numbering.
            int[] fileIndex = SendOrder.byRunAt(results, batchSize);
            List<BenchmarkResult> sending = java.util.Arrays.stream(fileIndex).mapToObj(results::get).toList();
            boolean olderServer = false; // refused run_at_sent: every batch goes without it
            // The results and fields the read warned of, by number in the files: the server's word on them is no news.
            Set<String> warnedOf = new HashSet<>();
            Set<String> outsideWarned = new HashSet<>(); // metrics whose values outside [0, 1] an answer warned of
            parsed.warnings().forEach(w -> warnedOf.add(w.index() + " " + w.field()));
            // Several requests take seconds each on a big back-fill: a bar on a terminal says how far it got.
            boolean barShown = System.console() != null && sending.size() > batchSize;
            ProgressBar bar = new ProgressBar(err, barShown, sending.size());
            // Ctrl-C or SIGTERM while the requests go: a shutdown says how many results the answers confirmed stored
            // (on a line of its own when the bar holds the line).
            PushInterruption interruption = PushInterruption.watch(err, sending.size(), batchSize, barShown);
            try {
                for (int from = 0; from < sending.size(); from += batchSize) {
                    List<BenchmarkResult> batch = sending.subList(from, Math.min(sending.size(), from + batchSize));
                    // {"results": [...], "metric_definitions": {...}}: the definitions go with every batch (idempotent).
                    ObjectNode body = ResultJson.mapper().createObjectNode();
                    ArrayNode array = body.putArray("results");
                    batch.forEach(r -> array.add(ResultJson.toNode(r)));
                    if (!parsed.definitions().isEmpty()) {
                        body.set("metric_definitions", ResultJson.definitionsNode(parsed.definitions()));
                    }
                    if (olderServer) {
                        OlderServer.withoutRunAtSent(array, target);
                    }
                    JsonNode answerJson;
                    int sentBefore = client.requestsSent();
                    interruption.sending();
                    try {
                        answerJson = client.postJson("api/v1/results" + detectionQuery(), body.toString());
                    } catch (CliException e) {
                        if (olderServer || !OlderServer.refusedRunAtSent(e)) {
                            throw partlyStored(e, from, sending.size(), batchSize);
                        }
                        // Refused as a whole (400): nothing of it stored, so sent again without the field, as the rest.
                        olderServer = true;
                        err.println(OlderServer.withoutRunAtSent(array, target));
                        try {
                            answerJson = client.postJson("api/v1/results" + detectionQuery(), body.toString());
                        } catch (CliException again) {
                            throw partlyStored(again, from, sending.size(), batchSize);
                        }
                    }
                    interruption.answered(from + batch.size());
                    IngestReport answer = IngestReportJson.fromJson(answerJson);
                    if (client.requestsSent() - sentBefore > 1) {
                        int at = from;
                        answer.results().stream().filter(r -> !r.created()).forEach(r -> resent.add(fileIndex[r.index() + at]));
                    }
                    defined.add(answerJson.path("defined_metrics"));
                    int offset = from;
                    // What the server itself did not store as sent (rare: push sends what it has already checked), but
                    // for what the read warned of already (a run_at before 2000 is sent as it is, and warned of again).
                    var serverWarnings = WarningsJson.fromJson(answerJson).stream()
                            .map(w -> w.movedTo(w.index() < 0 ? -1 : (int) (long) fromFiles.numbers()
                                    .get(fileIndex[w.index() + offset]), " (server)"))
                            .filter(w -> !warnedOf.contains(w.index() + " " + w.field()))
                            // a proportion's values outside [0, 1]: said once per metric, by the first request's answer
                            .filter(w -> w.kind() != dev.benchmon.ingest.IngestWarning.Kind.PROPORTION_OUT_OF_RANGE
                                    || outsideWarned.add(w.field())).toList();
                    if (!serverWarnings.isEmpty()) {
                        bar.end(); // the warnings on lines of their own; the bar goes on below them
                    }
                    ResultInputs.printWarnings(serverWarnings, err);
                    // A later request's answer lists an alert its runs resolved: the merge has it fail nothing.
                    alerts = alerts.plus(PushAlerts.fromAnswer(answerJson));
                    checkCovers(answer, batch.size(), from / batchSize + 1, (sending.size() + batchSize - 1) / batchSize,
                            target);
                    report = report.plus(answer);
                    bar.update(from + batch.size());
                }
            } finally {
                bar.end(); // an error's message, or the summary, then starts on a line of its own
                interruption.close(); // a failure's message says what is stored (partlyStored)
            }
            report = report.reindexed(fileIndex);
            out.print(StatedDefinitions.summary(defined));
            postPush = PostPushChecks.warnings(input.overrides(), results, sent, readIn(report, fromFiles, f -> !ResultInputs.ownFormat(f)),
                    readIn(report, fromFiles, PostPushChecks.LM_EVAL::equals), PostPushChecks.Store.of(client));
            if (verify) {
                List<StoredRow> rows = new ArrayList<>(); // read in parts: a push of many long names names them all
                for (Filter part : BoundedQueries.split(verifyFilter(results, started), PushCommand::historyQuery)) {
                    rows.addAll(rowsOf(client.getJson("api/v1/history?" + historyQuery(part))));
                }
                verification = verify(results, sent, report, rows);
            }
        }
        PushSummary.Stored stored = new PushSummary.Stored(report, resent, alerts.resolvedOnly());
        alerts = alerts.ofStored(stored.series());
        out.print(PushSummary.text(stored, sent, target, verification)); // read: the keys as sent, not derived
        PushSummary.presentWithoutDropped(report, parsed.warnings(), sent).ifPresent(out::println);
        PushSummary.sharedRunId(report, sent, env).ifPresent(err::println);
        postPush.forEach(err::println);
        out.print(alerts.text(requestSettings()));
        out.flush();
        appendStepSummary(env, PushSummary.markdown(stored, sent, target, verification) + alerts.markdown(requestSettings()), err);
        if (verification != null && !verification.startsWith("verified")) {
            return ExitCodes.FAILURE;
        }
        // Only what this push stored can fail it: results stored before were CI's to judge when they were stored.
        boolean failing = alerts.known() ? alerts.failing() > 0 : !stored.regressed().isEmpty();
        // Said last, on stderr, where a CI log's reader looks first: which alerts or results fail the job, and the
        // way to pass it (the summary's "standing regressions" counts this push's regressed results, not the alerts).
        if (failOnRegression && failing) {
            err.println(alerts.known()
                    ? "failed (--fail-on-regression): open alert" + (alerts.failing() == 1 ? " " : "s ")
                            + String.join(", ", alerts.failingNames()) + " of what this push stored; acknowledge, "
                            + "expect or mute " + (alerts.failing() == 1 ? "it" : "them")
                            + " (benchmon alerts ack ID) once someone is on it, or fix the regression"
                    : "failed (--fail-on-regression): " + stored.regressed().size()
                            + " result(s) this push stored regressed (the server reports no alerts)");
        }
        if (failOnMissing && stored.missing() > 0) {
            err.println("failed (--fail-on-missing): " + stored.missing()
                    + " result(s) this push stored lack a metric of their series' previous run (under other findings above)");
        }
        boolean failed = (failOnRegression && failing) || (failOnMissing && stored.missing() > 0);
        err.flush();
        return failed ? ExitCodes.REGRESSION : ExitCodes.OK;
    }

    /**
     * {@code report} of the results {@code read} read in a format {@code format} accepts: what the checks of a tool's
     * results after the push are given, so that they go by the format each file was read in ({@code --format auto}'s
     * detected one), not by the flag: benchmon's own JSON pushed with {@code auto} is no tool's output, and an lm-eval
     * file pushed with {@code auto} is lm-eval's.
     */
    private static IngestReport readIn(IngestReport report, ResultInputs.Read read,
                                       java.util.function.Predicate<String> format) {
        return new IngestReport(report.results().stream().filter(r -> r.index() >= 0
                && r.index() < read.formats().size() && format.test(read.formats().get(r.index()))).toList());
    }

    private dev.benchmon.detect.DetectionOverrides overrides() {
        dev.benchmon.detect.DetectionOverrides o = dev.benchmon.detect.DetectionOverrides.NONE;
        try {
            if (sensitivity != null) {
                o = o.withSensitivity(dev.benchmon.detect.DetectionSettings.parseSensitivity(sensitivity));
            }
        } catch (dev.benchmon.ValidationException e) {
            throw CliException.badOption("--sensitivity", e); // it said "invalid argument: sensitivity"
        }
        try {
            if (minEffect != null) {
                o = o.withMinEffect(minEffect);
            }
        } catch (dev.benchmon.ValidationException e) {
            // Named by the flag typed, in the words metrics define uses (it said "invalid argument: min_effect").
            throw CliException.badOption("--min-effect", e);
        }
        return o;
    }

    /** The push's own detection settings as typed ({@code --min-effect 50%}), or empty. */
    private String requestSettings() {
        return ((sensitivity == null ? "" : "--sensitivity " + sensitivity + " ")
                + (minEffect == null ? "" : "--min-effect " + minEffect)).trim();
    }

    /** {@code ?sensitivity=..&min_effect=..} for the server, or empty. */
    private String detectionQuery() {
        overrides(); // validates before anything is sent
        StringBuilder q = new StringBuilder();
        if (sensitivity != null) {
            q.append("sensitivity=").append(java.net.URLEncoder.encode(sensitivity, java.nio.charset.StandardCharsets.UTF_8));
        }
        if (minEffect != null) {
            q.append(q.length() > 0 ? "&" : "").append("min_effect=")
                    .append(java.net.URLEncoder.encode(minEffect, java.nio.charset.StandardCharsets.UTF_8));
        }
        return q.length() == 0 ? "" : "?" + q;
    }

    private void checkOptions() {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--batch-size must be from 1 to 10000, got " + batchSize);
        }
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--max-attempts must be from 1 to 20, got " + maxAttempts);
        }
        if (retryDelayMs < 0 || retryDelayMs > 60_000) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--retry-delay must be from 0 to 60000 ms, got " + retryDelayMs);
        }
        DatabaseOptions.of(db, home).refuseWithServer(server); // and --db with --home
        if (db != null || home != null) {
            String option = db != null ? "--db" : "--home";
            String where = db != null ? "--db writes straight to the database" : "--home writes to its embedded database";
            DatabaseOptions.refuseServerOption(db != null ? DatabaseOptions.ServerOption.TOKEN
                    : DatabaseOptions.ServerOption.TOKEN_HOME, token != null, where,
                    "drop --token, or push to a server with --server URL instead of " + option);
            DatabaseOptions.refuseServerOption(DatabaseOptions.ServerOption.TIMEOUT, timeoutSeconds != null, where,
                    "drop --timeout, or push to a server with --server URL instead of " + option);
        }
        ServerOptions.checkTimeout(timeoutSeconds);
        // The context flags are checked where they become overrides (FormatOptions.overrides), as the API checks its
        // parameters of the same names, before any file is read.
    }

    /**
     * {@code failure} of the request holding results {@code from} on (in send order: by run_at, {@link SendOrder}),
     * saying what the requests before it stored: each request is its own transaction, so a push stopped part way has
     * stored those, and running it again skips them. Only a failure to reach the server is cured by pushing again as
     * is; after a refusal the problem it names must be fixed first. The failure itself unchanged when none was stored.
     */
    static CliException partlyStored(CliException failure, int from, int total, int batchSize) {
        if (from == 0) {
            return failure;
        }
        int requests = (total + batchSize - 1) / batchSize;
        String again = failure.exitCode() == ExitCodes.UNREACHABLE
                ? "pushing the same files again stores the rest and skips what is stored"
                : "fix the problem above and push the same files again: what is stored is skipped";
        return new CliException(failure.exitCode(), String.format(java.util.Locale.ROOT, "%s%n  %,d of %,d result(s), "
                + "the oldest by run_at, are stored (requests 1-%d of %d were answered); %s", failure.getMessage(), from,
                total, from / batchSize, requests, again), failure.httpStatus());
    }

    /**
     * What to say about pushing again after the server could not be reached. Every result has a stable
     * key (its own, one derived from run_id/run_at, or one from its whole content), so a repeat is safe;
     * content keys have a price worth saying: a later run with identical numbers and context counts as
     * the same result.
     */
    static String againAdvice(long contentKeyed, int total) {
        String safe = "Pushing the same results again is safe: each has an idempotency key (its own, one derived "
                + "from its run_id or run_at, or one derived from its whole content), so none is stored twice.";
        if (contentKeyed == 0) {
            return safe;
        }
        return safe + " " + contentKeyed + " of " + total + " result(s) have no run_id, run_at or idempotency_key "
                + "and are keyed by their content: a later run with exactly the same numbers and context would be "
                + "taken for the same result. Pass --run-id (or set GITHUB_RUN_ID), or add run_at to each result, "
                + "to keep separate runs apart.";
    }

    /**
     * The server's report must account for every result of the batch, each exactly once. The batch is named by its
     * request ({@code request 2 of 3}), not by result numbers: it holds results in run_at order, not the files' order
     * that the summary's {@code result 7} counts in, which {@code results #100 to #199} left unclear.
     */
    private static void checkCovers(IngestReport answer, int batchSize, int request, int requests, String url) {
        Set<Integer> indexes = new HashSet<>();
        answer.results().forEach(r -> indexes.add(r.index()));
        boolean exact = answer.results().size() == batchSize && indexes.size() == batchSize
                && indexes.stream().allMatch(i -> i >= 0 && i < batchSize);
        if (!exact) {
            throw new CliException(ExitCodes.FAILURE, "the answer of " + url + " to request " + request + " of "
                    + requests + " reports " + answer.results().size() + " result(s) for " + batchSize
                    + " sent, so it is unknown which were stored. Is --server a benchmon server? "
                    + "Check with 'benchmon export history' or push again with --verify.");
        }
    }

    private ResultInputs.ResultContext context(Map<String, String> env) {
        Map<String, String> flags = new java.util.LinkedHashMap<>(); // refused flags are named in the options' order
        flags.put("environment", environment);
        flags.put("commit_sha", commitSha);
        flags.put("branch", branch);
        flags.put("run_id", runId);
        flags.put("triggered_by", triggeredBy);
        Map<String, String> defaults = new HashMap<>();
        defaults.put("commit_sha", env.get("GITHUB_SHA"));
        defaults.put("branch", env.get("GITHUB_REF_NAME"));
        defaults.put("run_id", env.get("GITHUB_RUN_ID"));
        defaults.put("triggered_by", env.get("GITHUB_ACTOR"));
        if ("true".equalsIgnoreCase(env.get("CI")) || "true".equalsIgnoreCase(env.get("GITHUB_ACTIONS"))) {
            defaults.put("environment", "ci");
        }
        return new ResultInputs.ResultContext(flags, defaults, tags());
    }

    /** The --tag options as a map; a text that is not K=V, or a key given twice, is refused. */
    private Map<String, String> tags() {
        List<ValidationException.Problem> problems = new ArrayList<>();
        Map<String, String> parsed = TagPairs.parse("--tag", tags, problems);
        if (!problems.isEmpty()) {
            throw new CliException(ExitCodes.INVALID_INPUT, problems.stream().map(ValidationException.Problem::toString)
                    .collect(java.util.stream.Collectors.joining("; ")));
        }
        return parsed;
    }

    /** Gives every result its idempotency key before the first attempt, so that every retry sends the same key. */
    private static List<BenchmarkResult> withKeys(List<BenchmarkResult> results) {
        List<BenchmarkResult> keyed = new ArrayList<>(results.size());
        for (BenchmarkResult r : results) {
            keyed.add(r.toBuilder().idempotencyKey(IdempotencyKeys.keyFor(r)).build());
        }
        return keyed;
    }

    static URI baseUri(String url) {
        try {
            URI uri = URI.create(url.endsWith("/") ? url : url + "/");
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.INVALID_INPUT, "--server '" + PushClient.masked(url) + "' is not a server URL; use e.g. "
                    + "http://127.0.0.1:7070");
        }
    }

    // ---- verification -------------------------------------------------------------------------

    /** History rows that can hold the pushed results: their models, datasets and environments, recent enough. */
    private static Filter verifyFilter(List<BenchmarkResult> results, Instant started) {
        Instant since = started.minus(Duration.ofDays(1)); // results without run_at run "now", give or take clock skew
        for (BenchmarkResult r : results) {
            if (r.runAt() != null && r.runAt().isBefore(since)) {
                since = r.runAt();
            }
        }
        return Filter.all().withModels(Ingestion.distinct(results, BenchmarkResult::modelVersion))
                .withDatasets(Ingestion.distinct(results, BenchmarkResult::datasetVersion))
                .withEnvironments(Ingestion.distinct(results, BenchmarkResult::environment))
                .withSince(since.minusSeconds(1)).withLimit(100_000);
    }

    static String historyQuery(Filter f) {
        Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        params.put("limit", List.of(String.valueOf(f.limit())));
        params.put("since", List.of(f.since().toString()));
        params.put("model", f.models());
        params.put("dataset", f.datasets());
        params.put("environment", f.environments());
        return ExportCommand.query(params).substring(1);
    }

    /** A row of the history: its id, key, and the attempt it is of its CI run ({@link #runOf}; null without run_id). */
    private record StoredRow(long id, String key, CiRun run, int attempt) {
    }

    /** Which CI run a result is of, as the database's run_key tells attempts apart: its run_id and series. */
    private record CiRun(String runId, SeriesKey series) {
    }

    /** The CI run of a result or row with {@code runId} in {@code series}, {@code null} without a run id. */
    private static CiRun runOf(String runId, SeriesKey series) {
        return runId == null ? null : new CiRun(runId, series);
    }

    private static List<StoredRow> rowsOf(Table history) {
        List<StoredRow> rows = new ArrayList<>();
        for (int i = 0; i < history.rowCount(); i++) {
            java.util.function.Function<String, String> text = RepushedToolRuns.texts(history, i);
            rows.add(new StoredRow(history.longColumn("id").getLong(i), text.apply("idempotency_key"),
                    runOf(text.apply("run_id"), SeriesKey.of(history, i)),
                    history.intColumn("attempt").isMissing(i) ? 1 : history.intColumn("attempt").getInt(i)));
        }
        return rows;
    }

    private static List<StoredRow> rowsOf(JsonNode history) {
        List<StoredRow> rows = new ArrayList<>();
        for (JsonNode row : history.path("rows")) {
            rows.add(new StoredRow(row.path("id").asLong(), row.path("idempotency_key").asText(null),
                    runOf(SeriesKey.text(row, "run_id"), SeriesKey.of(row)), row.path("attempt").asInt(1)));
        }
        return rows;
    }

    /**
     * "verified: ..." when every pushed key is stored exactly once under the id reported; else what is wrong. The
     * history shows each CI run's latest attempt only: a result the server reported stored whose run the history shows
     * as a later attempt, under another id, is stored and superseded (a delayed retry of a job its re-run replaced).
     */
    private static String verify(List<BenchmarkResult> results, PushSummary.Sent sent, IngestReport report,
                                 List<StoredRow> stored) {
        Map<String, List<Long>> idsByKey = new HashMap<>();
        stored.forEach(s -> idsByKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s.id()));
        Map<CiRun, StoredRow> latestByRun = new HashMap<>();
        stored.stream().filter(s -> s.run() != null).forEach(s -> latestByRun.merge(s.run(), s,
                (x, y) -> x.attempt() >= y.attempt() ? x : y));
        Map<Integer, Long> reportedIds = new HashMap<>();
        Map<Integer, Integer> reportedAttempts = new HashMap<>(); // 1 from a server that does not say
        report.results().forEach(r -> {
            reportedIds.put(r.index(), r.id());
            reportedAttempts.put(r.index(), Math.max(1, r.attempt()));
        });
        List<String> problems = new ArrayList<>();
        List<String> superseded = new ArrayList<>();
        // Every key that was sent, not what the answer lists: an answer can leave results out.
        for (int i = 0; i < results.size(); i++) {
            BenchmarkResult r = results.get(i);
            // The database shows a key in its stored form (a UUID), the one the results were sent with.
            List<Long> ids = idsByKey.getOrDefault(IdempotencyKeys.storedForm(r.idempotencyKey()), List.of());
            Long reported = reportedIds.get(i);
            StoredRow latest = latestByRun.get(runOf(r.runId(), SeriesKey.of(r)));
            // Superseded only by a later attempt than the one reported: a result missing under its own attempt (or a
            // later one) is missing, whatever earlier attempts of its run the history shows.
            if (ids.isEmpty() && reported != null && latest != null && latest.attempt() > reportedAttempts.get(i)
                    && latest.id() != reported) {
                superseded.add(sent.label(i) + " (id " + reported + ") superseded by attempt " + latest.attempt()
                        + " (id " + latest.id() + ")");
            } else if (ids.size() != 1) {
                problems.add(sent.label(i) + " is stored " + ids.size() + " times");
            } else if (reported == null) {
                problems.add(sent.label(i) + " is stored as id " + ids.get(0) + " but the answer did not report it");
            } else if (!Objects.equals(ids.get(0), reported)) {
                problems.add(sent.label(i) + " is stored as id " + ids.get(0) + ", not " + reported);
            }
        }
        if (problems.isEmpty()) {
            return "verified: all " + results.size() + " result(s) are stored exactly once" + (superseded.isEmpty() ? ""
                    : "; stored, superseded by a later attempt of their CI run: " + String.join(", ",
                    superseded.subList(0, Math.min(10, superseded.size()))) + (superseded.size() > 10 ? ", ..." : ""));
        }
        return "VERIFY FAILED: " + String.join("; ", problems.subList(0, Math.min(10, problems.size())))
                + (problems.size() > 10 ? "; ..." : "");
    }


    private static void appendStepSummary(Map<String, String> env, String markdown, PrintWriter err) {
        String file = env.get("GITHUB_STEP_SUMMARY");
        if (file == null || file.isBlank()) {
            return;
        }
        try {
            Files.writeString(Path.of(file), markdown, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            err.println("warning: cannot append to GITHUB_STEP_SUMMARY (" + file + "): " + e.getMessage());
        }
    }
}
