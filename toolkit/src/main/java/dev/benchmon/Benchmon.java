package dev.benchmon;

import dev.benchmon.alert.AlertChange;
import dev.benchmon.alert.AlertEvent;
import dev.benchmon.alert.EngineFindings;
import dev.benchmon.alert.AlertFilter;
import dev.benchmon.alert.AlertState;
import dev.benchmon.alert.Alerts;
import dev.benchmon.alert.Annotations;
import dev.benchmon.compare.CompareOptions;
import dev.benchmon.compare.Method;
import dev.benchmon.compare.ResultRefs;
import dev.benchmon.compare.RunComparison;
import dev.benchmon.db.ConnectionSettings;
import dev.benchmon.db.SchemaCreation;
import dev.benchmon.db.Database;
import dev.benchmon.demo.DemoHistory;
import dev.benchmon.detect.DetectionInputs;
import dev.benchmon.detect.DetectionOverrides;
import dev.benchmon.detect.DetectionService;
import dev.benchmon.detect.RegressionDetector;
import dev.benchmon.detect.RunVerdicts;
import dev.benchmon.detect.Verdict;
import dev.benchmon.ingest.ResultWriter;
import dev.benchmon.ingest.TextRules;
import dev.benchmon.query.Catalog;
import dev.benchmon.query.ChartMark;
import dev.benchmon.query.ChangePointsQuery;
import dev.benchmon.query.ChartMarksQuery;
import dev.benchmon.query.ComparisonQuery;
import dev.benchmon.query.HistoryQuery;
import dev.benchmon.query.JsonLinesQuery;
import dev.benchmon.query.SnapshotQuery;
import dev.benchmon.query.SnapshotRow;
import dev.benchmon.query.Summary;
import dev.benchmon.query.SummaryQuery;
import dev.benchmon.query.TrendLines;
import dev.benchmon.query.TrendQuery;
import org.jdbi.v3.core.Jdbi;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The entry point for notebooks, JShell and Java programs: record benchmark results and query
 * them as Tablesaw tables.
 *
 * <pre>{@code
 * import dev.benchmon.*;
 * import java.nio.file.Path;
 * import java.time.Duration;
 *
 * try (var bm = Benchmon.open()) {            // embedded database in ~/.benchmon, or BENCHMON_DB_URL
 *     bm.recordFile(Path.of("samples/sample_benchmark_results.json"));   // medgemma-v1.2; no environment: "local"
 *     System.out.println(bm.latestSnapshots(Filter.environment("local")));   // prints a readable table
 *     System.out.println(bm.timeSeries("medgemma-v1.2", "f1", Duration.ofDays(30)));
 *     System.out.println(bm.detectRegressions("medgemma-v1.2"));   // as push judged it: each metric's own settings
 * }
 * }</pre>
 *
 * <p>Thread-safe: one instance serves a whole application (it holds a connection pool).
 */
public final class Benchmon implements AutoCloseable {
    /** Folder of the embedded database when {@code BENCHMON_HOME} is not set: {@code ~/.benchmon}. */
    public static final Path DEFAULT_HOME = userHome(System.getenv()).resolve(".benchmon");

    private final Database database;
    private final Database reads; // the primary itself, or a read-only replica (BENCHMON_DB_READ_URL)
    private final Catalog primaryCatalog;
    private final ResultWriter writer;
    private final Catalog catalog;
    private final dev.benchmon.query.NameSearch names; // one, so it looks up its case-folding collation once
    private final SnapshotQuery snapshots;
    private final HistoryQuery history;
    private final TrendQuery trends;
    private final ComparisonQuery comparisons;
    private final dev.benchmon.query.EmptyWindow emptyWindow;
    private final SummaryQuery summaries;
    private final RegressionDetector detector;
    private final Alerts alerts;
    private final Annotations annotations;
    private final DetectionService detection;

    private Benchmon(Database database) {
        this(database, database);
    }

    /**
     * Writes, detection and alerts on {@code database}; the queries (snapshots, history, trends, comparisons,
     * verdicts, summaries, names) on {@code reads}, which may be a streaming replica of it.
     */
    private Benchmon(Database database, Database reads) {
        this.database = database;
        this.reads = reads;
        Jdbi jdbi = database.jdbi();
        Jdbi readJdbi = reads.jdbi();
        this.writer = new ResultWriter(jdbi);
        this.primaryCatalog = new Catalog(jdbi);
        this.catalog = new Catalog(readJdbi);
        this.snapshots = new SnapshotQuery(readJdbi);
        this.history = new HistoryQuery(readJdbi);
        this.trends = new TrendQuery(readJdbi);
        this.comparisons = new ComparisonQuery(readJdbi);
        this.emptyWindow = new dev.benchmon.query.EmptyWindow(readJdbi);
        this.summaries = new SummaryQuery(readJdbi);
        this.names = new dev.benchmon.query.NameSearch(readJdbi);
        this.detection = new DetectionService(jdbi);
        this.detector = new RegressionDetector(readJdbi, detection);
        this.alerts = new Alerts(jdbi, detection::recomputeSeries);
        this.annotations = new Annotations(jdbi, detection::recomputeSeries);
    }

    /**
     * Opens the database the environment names: {@code BENCHMON_DB_URL} (with {@code BENCHMON_DB_USER}
     * and {@code BENCHMON_DB_PASSWORD}) when set, otherwise the embedded PostgreSQL in
     * {@code $BENCHMON_HOME/pgdata} ({@code ~/.benchmon/pgdata} by default), started on first use. Queries read
     * {@code BENCHMON_DB_READ_URL} when set, which must name a streaming replica of the {@code BENCHMON_DB_URL}
     * database (checked here; refused without {@code BENCHMON_DB_URL}).
     */
    public static Benchmon open() {
        return open(System.getenv());
    }

    /** {@link #open()} with an explicit environment (for tests and launchers). */
    public static Benchmon open(Map<String, String> env) {
        return open(env, SchemaCreation.CREATE_IF_MISSING);
    }

    /**
     * {@link #open(Map)} that, with {@link SchemaCreation#REQUIRE_EXISTING}, refuses a {@code BENCHMON_DB_URL}
     * database that holds no benchmon schema rather than creating it there (for reads). The embedded database is
     * benchmon's own and is created either way.
     *
     * @throws dev.benchmon.db.NoSchemaException with {@code REQUIRE_EXISTING}, when the database holds no benchmon schema
     */
    public static Benchmon open(Map<String, String> env, SchemaCreation creation) {
        return open(env, creation, ConnectionSettings.URL_VARIABLE);
    }

    /**
     * {@link #open(Map, SchemaCreation)} for a launcher that took the URL from a setting of its own (e.g. a
     * {@code --db} option) and put it in {@code BENCHMON_DB_URL}: every message about the URL (unreadable, refused,
     * nothing answers, no benchmon schema) names {@code urlSetting} as the thing to fix.
     *
     * @throws dev.benchmon.db.NoSchemaException with {@code REQUIRE_EXISTING}, when the database holds no benchmon schema
     */
    public static Benchmon open(Map<String, String> env, SchemaCreation creation, String urlSetting) {
        ConnectionSettings external = ConnectionSettings.fromEnvironment(env, urlSetting);
        ConnectionSettings replica = ConnectionSettings.readFromEnvironment(env);
        if (replica != null && external == null) {
            // The embedded database would be the primary: writes would go there and reads elsewhere.
            throw new ConfigurationException("BENCHMON_DB_READ_URL is set but BENCHMON_DB_URL is not: the read "
                    + "database must be a replica of the primary that BENCHMON_DB_URL names (the embedded database "
                    + "has none); set BENCHMON_DB_URL too, or unset BENCHMON_DB_READ_URL");
        }
        // With BENCHMON_DB_OWNER_USER the owner migrates and the URL's login only runs (docs/SETUP.md).
        Database primary = external != null
                ? Database.connect(external, ConnectionSettings.ownerFromEnvironment(env), creation, urlSetting)
                : Database.embedded(dev.benchmon.db.EmbeddedHome.dataDirectory(home(env)));
        if (replica == null) {
            return new Benchmon(primary);
        }
        try {
            return new Benchmon(primary, Database.connectReadOnly(replica, primary));
        } catch (RuntimeException e) {
            primary.close();
            throw e;
        }
    }

    /**
     * Whether {@link #open(Map)} opens the embedded database in {@link #home(Map)} for this environment: neither
     * {@code BENCHMON_DB_URL} nor {@code BENCHMON_DB_READ_URL} is set (an empty or blank value counts as unset, as
     * shells read it). With only the read URL set, {@code open} refuses, saying why, rather than opening the embedded one.
     */
    public static boolean opensEmbedded(Map<String, String> env) {
        return ConnectionSettings.fromEnvironment(env) == null && ConnectionSettings.readFromEnvironment(env) == null;
    }

    /** The benchmon home folder the environment names ({@code BENCHMON_HOME}, else {@code ~/.benchmon}). */
    public static Path home(Map<String, String> env) {
        String home = env.get("BENCHMON_HOME");
        return home == null || home.isBlank() ? userHome(env).resolve(".benchmon") : Path.of(home);
    }

    /**
     * The user's home folder as shells, Jupyter and the XDG folders read it: {@code $HOME} when it names an absolute
     * path, else Java's {@code user.home} (the account's entry, which does not follow a changed {@code HOME}).
     */
    public static Path userHome(Map<String, String> env) {
        String home = env.get("HOME");
        return home != null && !home.isBlank() && Path.of(home).isAbsolute() ? Path.of(home)
                : Path.of(System.getProperty("user.home"));
    }

    /** Connects to a PostgreSQL server ({@code jdbc:postgresql://...} or {@code postgres://...}). */
    public static Benchmon connect(String jdbcUrl, String user, String password) {
        return new Benchmon(Database.connect(ConnectionSettings.of(jdbcUrl, user, password)));
    }

    /**
     * Connects with two logins: {@code owner} applies the schema and grants {@code app}'s login only
     * what it needs; every query then runs as {@code app} (see docs/SETUP.md, least privilege).
     */
    public static Benchmon connect(ConnectionSettings app, ConnectionSettings owner) {
        return new Benchmon(Database.connect(app, owner));
    }

    /** Connects with credentials in the URL, or none. */
    public static Benchmon connect(String jdbcUrl) {
        return connect(jdbcUrl, null, null);
    }

    /**
     * Uses the embedded PostgreSQL of the benchmon home folder {@code home}, the folder {@code benchmon ... --home DIR}
     * and {@code BENCHMON_HOME} name: its data directory is {@code home/pgdata} and its password files
     * {@code home/pgdata.password} and {@code home/pgdata.app-password}, so nothing is written outside {@code home}.
     * Starts it (creating the folder and the database on first use), or connects to the server another process (a
     * {@code benchmon serve --home home}, a notebook) already runs there.
     *
     * <p>A data directory given itself, as this method took before it took a home, is opened as such, with its password
     * files beside it in its parent folder as before ({@code DATA.password}, {@code DATA.app-password}): a folder named
     * {@code pgdata} (so {@code embedded(X.resolve("pgdata"))} and {@code embedded(X)} open the same database, new or
     * not), or one that holds {@code PG_VERSION}. The rule is {@link dev.benchmon.db.EmbeddedHome}'s, the CLI's too.
     *
     * @throws dev.benchmon.ConfigurationException when {@code home} holds two databases ({@code home/PG_VERSION} and
     *                                             {@code home/pgdata/PG_VERSION}: the message names both and how to
     *                                             choose; nothing is started), the data directory cannot be created,
     *                                             or initdb refuses it
     * @throws dev.benchmon.db.DatabaseException   when PostgreSQL cannot be created (initdb failed, saying why) or started
     */
    public static Benchmon embedded(Path home) {
        return new Benchmon(Database.embedded(dev.benchmon.db.EmbeddedHome.dataDirectory(home)));
    }

    // ---- ingest -------------------------------------------------------------------------------

    /**
     * Records one result: logs it, moves its series' snapshot forward and stores its series' verdicts. Re-sending it is
     * safe (answered as already present).
     *
     * @throws ValidationException when it is re-sent under its own idempotency key with values other than the stored
     *                             result's (naming the fields, the stored result's id and series); nothing is stored
     */
    public RecordOutcome record(BenchmarkResult result) {
        return recordAll(List.of(Arguments.required(result, "result"))).get(0);
    }

    /**
     * Records results in one transaction: all are stored (or found already present), or none; then judges the touched
     * series. A result re-sent under its own idempotency key with other values is refused, as in {@link #record}; so
     * are two different results of one run ({@link dev.benchmon.ingest.OneResultPerRun}).
     */
    public List<RecordOutcome> recordAll(Collection<BenchmarkResult> results) {
        // One copy: recordJudged's copy of an immutable list is that list (List.copyOf); it checks the runs.
        return recordJudged(Arguments.requiredElements(results, "results"), Map.of(), DetectionOverrides.NONE)
                .outcomes();
    }

    /**
     * Records results (one transaction) and judges each with the detection engine; the verdicts of
     * each series' newest run are stored (at default settings) for the API and dashboard.
     *
     * @param definitions metric definitions sent with the results (a pushed file's {@code metric_definitions},
     *                    see {@code ParsedResults.definitions()}): those of metrics without a definition are stored in
     *                    the results' transaction, before judging; a definition already made is kept
     * @param overrides   per-request settings for the returned verdicts ({@code ?sensitivity=}); the stored
     *                    verdicts keep the metrics' own settings
     * @throws ValidationException when two of {@code results} are different results of one run (field {@code run_id},
     *                             {@link dev.benchmon.ingest.OneResultPerRun}) or share their own idempotency key with
     *                             other values (field {@code idempotency_key}), or one re-sends a stored result's key
     *                             with other values; nothing is stored
     */
    public Recorded recordJudged(List<BenchmarkResult> results, Map<String, MetricDefinition> definitions,
                                 DetectionOverrides overrides) {
        results = Arguments.requiredElements(results, "results"); // a copy: the caller's list may change meanwhile
        List<BenchmarkResult> sent = results;
        dev.benchmon.ingest.OneResultPerRun.require(results, 0); // every caller: recordAll, the server, push --db
        Arguments.required(overrides, "overrides");
        List<MetricDefinition> declared = List.copyOf(Arguments.required(definitions, "definitions").values());
        requireValidDefinitions(declared);
        DetectionInputs inputs = detection.inputs();
        // A day before the write: a result sent without run_at gets the database's now() (another machine's clock).
        java.time.Instant beforeWrite = java.time.Instant.now().minus(java.time.Duration.ofDays(1));
        // The write, its definitions, its verdicts and the alerts they open, follow or resolve in one transaction
        // (one durable commit per push; the metrics' own settings, never a request's overrides): a push the
        // database refuses changes no definition.
        Written judged = writer.writeAll(results, (h, written) -> {
            defineStated(h, declared); // before judging, which reads them on this transaction
            List<Long> created = written.stream().filter(RecordOutcome::created).map(RecordOutcome::transactionId).toList();
            DetectionService.IngestJudgement judgement = detection.judgeIngest(h, written);
            Map<Long, RunVerdicts> byTx = judgement.verdicts();
            List<dev.benchmon.alert.Finding> findings = new java.util.ArrayList<>();
            if (!created.isEmpty()) {
                // Verdicts first, so a change point of the same shift attaches to the alert they opened.
                findings.addAll(EngineFindings.of(byTx.values(), created));
                // Only series holding change points can have change-point findings (a quiet push skips the query).
                findings.addAll(EngineFindings.changePoints(h, byTx.values().stream()
                        .filter(v -> judgement.withChangePoints().contains(v.seriesId())).toList(), created));
            }
            // A run back within noise changes only an active alert: a quiet push of a quiet series records nothing.
            findings.removeIf(f -> f.kind() == dev.benchmon.alert.Finding.Kind.WITHIN_NOISE
                    && !judgement.withActiveAlerts().contains(f.seriesId()));
            Set<Integer> reruns = rerunSeries(sent, written, byTx, judgement.withActiveAlerts());
            // The lock under which a series' alerts are opened or made active again (alerts_of_series_lock), before any
            // alert row: the replaced attempts' resolves below lock active alerts, and an import's alerting or a
            // person's reopen that holds the lock may want the same rows (taken again by alert_record_findings: no-op).
            Alerts.lockSeriesAlerts(h, seriesOpeningAlerts(findings, reruns));
            // A later attempt of a CI run is judged in its earlier attempt's place: what that attempt alone raised is
            // resolved first, so the re-run's verdict below opens its own alert or none (whatever run_at its tool
            // wrote). Only series with an active alert that got a result of a CI run (a run_id) can hold one.
            List<AlertChange> replaced = Alerts.onReplacedAttempts(h, reruns);
            Set<Long> named = new java.util.HashSet<>();
            findings.forEach(f -> {
                named.add(f.transactionId());
                if (f.seenIn() != null) {
                    named.add(f.seenIn());
                }
            });
            List<AlertChange> changes = new java.util.ArrayList<>(replaced);
            changes.addAll(Alerts.onFindings(h, findings));
            return new Written(written, byTx, List.copyOf(changes), named, judgement.definitions(),
                    laterAttempts(h, sent, written, beforeWrite));
        });
        List<RecordOutcome> outcomes = judged.outcomes();
        Map<Integer, RunVerdicts> verdicts = DetectionService.byIndex(outcomes, judged.verdicts());
        List<AlertChange> alertChanges = judged.alerts();
        if (!overrides.isNone()) {
            verdicts = detection.afterIngestPreview(results, outcomes, overrides, inputs);
        }
        return new Recorded(outcomes, verdicts, alertChanges, judged.runsInFindings(), judged.definitions(),
                judged.laterAttempts());
    }

    /**
     * The series whose alerts a push may open or change before its findings are recorded: those of its regression and
     * change-point findings, and {@code reruns} (whose active alerts a replaced attempt resolves).
     */
    private static Set<Integer> seriesOpeningAlerts(List<dev.benchmon.alert.Finding> findings, Set<Integer> reruns) {
        Set<Integer> series = new java.util.TreeSet<>(reruns);
        findings.stream().filter(f -> f.kind() != dev.benchmon.alert.Finding.Kind.WITHIN_NOISE)
                .forEach(f -> series.add(f.seriesId()));
        return series;
    }

    /**
     * The series among {@code withActiveAlerts} that got a stored result naming a CI run ({@code run_id}): the only ones
     * where a later attempt may have replaced an attempt that raised an alert.
     */
    private static Set<Integer> rerunSeries(List<BenchmarkResult> results, List<RecordOutcome> written,
                                            Map<Long, RunVerdicts> byTx, Set<Integer> withActiveAlerts) {
        Set<Integer> out = new java.util.HashSet<>();
        if (withActiveAlerts.isEmpty()) {
            return out;
        }
        for (RecordOutcome o : written) {
            RunVerdicts v = byTx.get(o.transactionId());
            if (o.created() && v != null && results.get(o.index()).runId() != null
                    && withActiveAlerts.contains(v.seriesId())) {
                out.add(v.seriesId());
            }
        }
        return out;
    }

    /**
     * What {@link #recordJudged} did: the outcome of each result, its verdicts (by the result's index),
     * and the alerts the stored verdicts opened, followed or resolved.
     *
     * @param runsInFindings the runs ({@code benchmark_transactions.id}) that the findings recorded with the push
     *                       named (a finding's run and the run it was seen in): a run stored by this push can be
     *                       named by an alert only if it is among them, so a quiet push needs no alert lookup
     * @param definitions    the metric definitions the write's judgement read in its transaction, by name (the
     *                       definitions it stated included; the stored verdicts were judged by them, a request's
     *                       overrides apart): the units and warnings of its report, with no read of their own
     * @param laterAttempts  which attempt of its CI run each stored result is, by transaction id, for those that are
     *                       a later attempt (a re-run: same run_id, series and run_at as a result stored before, in
     *                       another delivery); a result not in it is its run's first attempt. Read in the write's
     *                       transaction
     */
    public record Recorded(List<RecordOutcome> outcomes, Map<Integer, RunVerdicts> verdicts, List<AlertChange> alerts,
                           Set<Long> runsInFindings, Map<String, MetricDefinition> definitions,
                           Map<Long, Integer> laterAttempts) {
        public Recorded {
            runsInFindings = Set.copyOf(runsInFindings);
            definitions = Map.copyOf(definitions);
            laterAttempts = Map.copyOf(laterAttempts);
        }
    }

    /**
     * Which attempt of its CI run each result of a write stored is, for those that are a later attempt (a re-run: same
     * run_id, series and run_at as a result stored before, in another delivery), by transaction id; a result not in
     * the answer is its run's first attempt (as every result without run_id is, which is why only those with one are
     * asked). Read in the write's transaction {@code h}, one statement, from the months no older than {@link
     * #notBefore} (by id alone every month's key is probed).
     */
    private static Map<Long, Integer> laterAttempts(org.jdbi.v3.core.Handle h, List<BenchmarkResult> results, List<RecordOutcome> written,
                                                    java.time.Instant beforeWrite) {
        List<RecordOutcome> ofRuns = written.stream().filter(o -> results.get(o.index()).runId() != null).toList();
        if (ofRuns.isEmpty()) {
            return Map.of();
        }
        java.time.Instant notBefore = notBefore(ofRuns, results, beforeWrite);
        return h.createQuery("""
                        SELECT id, attempt FROM benchmark_log
                        WHERE id = ANY (CAST(:ids AS bigint[])) AND attempt > 1
                          AND (CAST(:not_before AS timestamptz) IS NULL OR run_at >= CAST(:not_before AS timestamptz))""")
                .bind("ids", ofRuns.stream().map(RecordOutcome::transactionId).toArray(Long[]::new))
                .bind("not_before", notBefore == null ? null : java.time.OffsetDateTime.ofInstant(notBefore, java.time.ZoneOffset.UTC))
                .reduceRows(new java.util.HashMap<Long, Integer>(), (m, row) -> {
                    m.put(row.getColumn("id", Long.class), row.getColumn("attempt", Integer.class));
                    return m;
                });
    }

    /**
     * A time no later than the run_at of any of {@code outcomes}' stored results, so that reading their attempts reads
     * only the log's months from it on: the earliest run_at sent, or {@code beforeWrite} for one stored now without
     * run_at; {@code null} (every month) when a result already present was sent without run_at (stored at any time).
     */
    private static java.time.Instant notBefore(List<RecordOutcome> outcomes, List<BenchmarkResult> results,
                                               java.time.Instant beforeWrite) {
        java.time.Instant earliest = null;
        for (RecordOutcome o : outcomes) {
            java.time.Instant at = results.get(o.index()).runAt();
            if (at == null && !o.created()) {
                return null;
            }
            at = at == null ? beforeWrite : at;
            earliest = earliest == null || at.isBefore(earliest) ? at : earliest;
        }
        return earliest;
    }

    /** One push's transaction: the outcomes, the verdicts by transaction id, the alert changes and the runs findings named. */
    private record Written(List<RecordOutcome> outcomes, Map<Long, RunVerdicts> verdicts, List<AlertChange> alerts,
                           Set<Long> runsInFindings, Map<String, MetricDefinition> definitions,
                           Map<Long, Integer> laterAttempts) {
    }

    /** The detection engine on this database (ingest judgement, recompute, per-request judgements). */
    public DetectionService detection() {
        return detection;
    }

    /**
     * Replays the detector over the stored history of the filter's series ({@code benchmon backtest}):
     * one row per series and metric with runs, regression alerts, improvements, alerts per 100 runs and
     * change points. {@code overrides} as for a request ({@code DetectionOverrides.NONE} = defaults).
     */
    public Table backtest(Filter filter, DetectionOverrides overrides) {
        requireKnown(filter);
        Arguments.required(overrides, "overrides");
        return dev.benchmon.query.ReadableTable.of(
                dev.benchmon.detect.Backtest.toTable(new dev.benchmon.detect.Backtest(jdbi(), detection).run(filter, overrides)));
    }

    /** Recomputes the stored verdicts and change points of every series (after definitions or settings changed); returns the series count. */
    public int recomputeDetection() {
        return detection.recomputeAll(DetectionOverrides.NONE, detection.inputs());
    }

    /**
     * Bulk load: records results in chunks of {@value ResultWriter#CHUNK_SIZE}, each chunk atomic,
     * calling {@code progress} with the count written so far.
     */
    public List<RecordOutcome> importAll(List<BenchmarkResult> results, IntConsumer progress) {
        Arguments.required(results, "results");
        Arguments.required(progress, "progress");
        List<RecordOutcome> outcomes = new java.util.ArrayList<>(results.size());
        importAll(results.iterator(), n -> progress.accept((int) n), outcomes::addAll);
        return outcomes;
    }

    /**
     * Bulk load in constant memory ({@code benchmon import}): takes results one at a time from
     * {@code results} and records them in chunks of {@value ResultWriter#CHUNK_SIZE} (each chunk COPYed
     * and moved set-based in its own transaction), then refreshes planner statistics and judges the
     * newest run of each touched series once.
     *
     * @param progress called after each chunk with the count written so far
     * @param outcomes called after each chunk with its outcomes (indexes count from the first result)
     */
    public dev.benchmon.ingest.BulkImport.Totals importAll(java.util.Iterator<BenchmarkResult> results,
            java.util.function.LongConsumer progress, java.util.function.Consumer<List<RecordOutcome>> outcomes) {
        return importAll(results, Map.of(), progress, outcomes);
    }

    /**
     * {@link #importAll(java.util.Iterator, java.util.function.LongConsumer, java.util.function.Consumer)} that
     * also declares {@code definitions} (a file's {@code metric_definitions}) for metrics without a definition (a
     * definition already made is kept). They are stored in the first
     * chunk's transaction: a load the database refuses at once changes no definition, and one that stops
     * later keeps them with the chunks it stored, as a re-run of the load would store them again.
     */
    public dev.benchmon.ingest.BulkImport.Totals importAll(java.util.Iterator<BenchmarkResult> results,
            Map<String, MetricDefinition> definitions, java.util.function.LongConsumer progress,
            java.util.function.Consumer<List<RecordOutcome>> outcomes) {
        return load(results, definitions, progress, outcomes, run -> false).totals(); // no alerting: keep no verdict
    }

    /**
     * {@link #importAll(java.util.Iterator, Map, java.util.function.LongConsumer, java.util.function.Consumer)}, then
     * the alerts a push of the same runs opens ({@code benchmon import}): the newest run of each series the load
     * touched, as the detection engine judged it when it stored its verdicts after the load (once, with the alert
     * memory from before the load, as a push's runs are judged; an excluded run is no run of its series: the newest
     * that counts), goes through the one alert path a push records through ({@link Alerts#onFindings}) when this load
     * stored it: a regression of that run opens (or follows) an alert of its shift, a change point in the bad direction
     * opens one only while it is recent (among the series' {@value dev.benchmon.alert.EngineFindings#RECENT_RUNS}
     * newest runs, and not one the newest run is already back from), and a newest run back within noise resolves an
     * active alert of its metric. A dip long over, or a series whose newest counted run was stored before the load (a
     * back-fill of older runs, as a push's late runs), opens nothing; importing the same file again stores nothing and
     * opens nothing. "Stored by this load" is decided after {@code outcomes} ran (which may exclude runs, as an export
     * states them): a run whose id is above the log's highest id before the load.
     *
     * <p>The alerts are written in a transaction of their own after the load's chunks committed (each chunk is one):
     * when alerting fails, every result is stored and judged, and {@link #alertOnNewestRuns} opens the same alerts
     * later.
     *
     * @param results    the results, in any order (read once, in chunks)
     * @param definitions metric definitions to declare for metrics without one (a file's {@code metric_definitions})
     * @param progress   called after each chunk with the count written so far
     * @param outcomes   called after each chunk with its outcomes (indexes count from the first result)
     * @return the load's totals and the alerts that opened, were confirmed or resolved (empty when none)
     * @throws ValidationException naming the problem when a definition is invalid or a chunk re-sends a stored
     *         result's key with other values (the chunks before it stay stored)
     * @throws AlertingFailedException (a {@link DatabaseException}) when the database fails while alerting, after
     *         every result was stored and judged
     * @throws DatabaseException when the database fails while loading (the chunks before stay stored) or while
     *         judging the touched series (every result stored)
     */
    public Imported importAlerting(java.util.Iterator<BenchmarkResult> results, Map<String, MetricDefinition> definitions,
                                   java.util.function.LongConsumer progress,
                                   java.util.function.Consumer<List<RecordOutcome>> outcomes) {
        long before = jdbi().withHandle(h -> h.createQuery("SELECT coalesce(max(id), 0) FROM benchmark_transactions")
                .mapTo(Long.class).one());
        Loaded loaded = load(results, definitions, progress, outcomes, run -> run > before);
        if (loaded.totals().created() == 0) {
            return new Imported(loaded.totals(), List.of());
        }
        try {
            return new Imported(loaded.totals(), alertOnNewest(loaded.newest(), run -> run > before));
        } catch (DatabaseException | org.jdbi.v3.core.JdbiException e) {
            throw new AlertingFailedException("opening the alerts of the import's newest runs failed: " + e.getMessage(), e);
        }
    }

    /**
     * {@link #importAlerting}'s last step failed: every result is stored and judged, and no alert changed (one
     * transaction). {@link #alertOnNewestRuns} opens them later; loading the same results again stores nothing and so
     * alerts nothing.
     */
    public static final class AlertingFailedException extends DatabaseException {
        AlertingFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * What {@link #importAlerting} did.
     *
     * @param totals the load's counts
     * @param alerts the alerts the newest runs opened, confirmed or resolved ({@link AlertChange#change()})
     */
    public record Imported(dev.benchmon.ingest.BulkImport.Totals totals, List<AlertChange> alerts) {
        public Imported {
            alerts = List.copyOf(alerts);
        }
    }

    /**
     * A load's totals and the verdicts its detection pass stored that the caller keeps: the newest run's of each series
     * it touched whose run the caller's predicate accepts (the runs the load stored, for alerting), by series id
     * ascending.
     */
    private record Loaded(dev.benchmon.ingest.BulkImport.Totals totals, Collection<RunVerdicts> newest) {
    }

    private Loaded load(java.util.Iterator<BenchmarkResult> results, Map<String, MetricDefinition> definitions,
                        java.util.function.LongConsumer progress, java.util.function.Consumer<List<RecordOutcome>> outcomes,
                        java.util.function.LongPredicate keepVerdictsOf) {
        Arguments.required(results, "results");
        Arguments.required(progress, "progress");
        Arguments.required(outcomes, "outcomes");
        List<MetricDefinition> declared = List.copyOf(Arguments.required(definitions, "definitions").values());
        requireValidDefinitions(declared);
        var load = new dev.benchmon.ingest.BulkImport(writer, h -> defineStated(h, declared), progress, outcomes);
        results.forEachRemaining(load::add);
        var totals = load.finish();
        dev.benchmon.db.PlannerStatistics.refreshAfter(jdbi(), totals.results());
        // the newest run of each touched series, judged once: its alerts are raised from these verdicts
        // (only those of the runs kept: a load of 10^5 series without alerting holds none)
        return new Loaded(totals, detection.recomputeSeriesOf(List.copyOf(load.seriesTouched()), keepVerdictsOf).values());
    }

    /**
     * Records every result in a JSON or JSON Lines file (object, array, {"results": [...]} or one object per line),
     * read as {@code benchmon import} reads it: a metric value that is NaN, Infinity, null or text is dropped and the
     * rest stored, each dropped value logged as a warning ({@code WARN dev.benchmon.Benchmon}, shown in JShell and
     * notebooks; see {@link BenchmarkResult#from(String, String)}; for the warnings as values, read the file with
     * {@code BenchmarkResult.from("json", text, ResultOverrides.NONE)} and record its {@code results()}). The file's
     * {@code metric_definitions} (beside {@code "results"}: {@code {"f1": {"direction": "higher_is_better", "unit":
     * "ratio", "min_effect": "2%"}}}) define the metrics that have no definition yet, with the results, in one
     * transaction, as {@code benchmon import} and a push do: a definition made on purpose ({@link #defineMetrics},
     * {@code metrics define}) is kept, and a file refused defines nothing.
     *
     * @throws InvalidArgumentException naming {@code file} when there is no such file, or it is a directory
     * @throws ValidationException naming every problem (nothing stored), e.g. a result without any finite metric or a
     *         definition without a direction ({@code metric_definitions.f1.direction}); a
     *         tool's output file (lm-evaluation-harness, pytest-benchmark, ...) is one problem (field {@code format})
     *         naming the format to read it with, {@code bm.recordFile(path, "lm-eval")}
     */
    public List<RecordOutcome> recordFile(Path file) {
        return recordFile(file, dev.benchmon.ingest.adapters.Adapters.DEFAULT);
    }

    /**
     * Records every result in a file of {@code format}, as {@code benchmon import FILE --format FORMAT} does:
     * {@code "json"} (benchmon's own, as {@link #recordFile(Path)}), a tool's output ({@code "lm-eval"},
     * {@code "pytest-benchmark"}, ...; {@link dev.benchmon.ingest.adapters.Adapters#names()}) or {@code "auto"}. The
     * directions and units the tool states define the metrics that have no definition yet (a definition made on
     * purpose is kept). A file that names no model or dataset is refused: read it with
     * {@code BenchmarkResult.from(format, text, overrides)} and record its {@code results()}.
     *
     * @throws InvalidArgumentException naming {@code file} when there is no such file, or it is a directory
     * @throws ValidationException naming every problem (nothing stored): an unknown format (field {@code format},
     *         listing the known ones), input of another shape, or a result's fields
     */
    public List<RecordOutcome> recordFile(Path file, String format) {
        return recordFile(file, format, dev.benchmon.ingest.adapters.ResultOverrides.NONE);
    }

    /**
     * {@link #recordFile(Path, String)} with the names the file does not state, or states otherwise than they should be
     * stored, given here as {@code benchmon import --model-version ... --dataset-version ...} gives them: a W&B summary
     * names no model or dataset, {@code bm.recordFile(path, "wandb", ResultOverrides.model("llama-8b").withDataset("gsm8k"))}.
     *
     * @throws ValidationException as {@link #recordFile(Path, String)}, naming every problem (nothing stored)
     */
    public List<RecordOutcome> recordFile(Path file, String format, dev.benchmon.ingest.adapters.ResultOverrides overrides) {
        Arguments.readableFile(file, "file");
        Arguments.required(format, "format");
        Arguments.required(overrides, "overrides");
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        dev.benchmon.ingest.ParsedResults parsed = dev.benchmon.ingest.adapters.Adapters.parse(format, text, overrides,
                dev.benchmon.ingest.adapters.Adapters.Caller.RECORD_FILE);
        Recorded recorded = recordJudged(parsed.results(), parsed.definitions(), DetectionOverrides.NONE);
        warnStoredOtherwise(file, parsed.warnings());
        // Stored as sent, but misread as shares: a proportion's values outside [0, 1] (87.5 for 0.875), by the
        // definitions the write was judged by (read in its transaction).
        dev.benchmon.ingest.ProportionRange.of(parsed.results(), parsed.definitions(), recorded.definitions(), "in all")
                .forEach(w -> org.slf4j.LoggerFactory.getLogger(Benchmon.class).warn("{}: {}", file, w));
        return recorded.outcomes();
    }

    /** At most this many of a file's warnings are logged one by one; the rest are counted. */
    private static final int WARNINGS_LOGGED = 20;

    /**
     * Logs (WARN, shown in JShell and notebooks) what {@link #recordFile} stored otherwise than the file said, as
     * {@code benchmon import} prints it: a NaN or text value left out was stored without a word, while the builder and
     * {@code BenchmarkResult.listFromJson} refuse the same value.
     */
    private static void warnStoredOtherwise(Path file, List<dev.benchmon.ingest.IngestWarning> warnings) {
        if (warnings.isEmpty()) {
            return;
        }
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Benchmon.class);
        log.warn("{}: {} value(s) not stored as sent (BenchmarkResult.from(format, text, overrides).warnings() lists "
                + "them):", file, warnings.size());
        warnings.stream().limit(WARNINGS_LOGGED).forEach(w -> log.warn("  {}", w));
        if (warnings.size() > WARNINGS_LOGGED) {
            log.warn("  ... and {} more", warnings.size() - WARNINGS_LOGGED);
        }
    }

    /**
     * Loads the seeded demo history (90 days, several models) unless the database already has results; returns how many
     * were stored. Like an import of them it opens no alert by itself: {@link #alertOnNewestRuns()} then opens the
     * alerts its regressions call for, as {@code benchmon serve --demo} does.
     */
    public int loadDemoData() {
        if (!primaryCatalog.models().isEmpty()) {
            return 0;
        }
        return (int) importAll(DemoHistory.generate(), n -> { }).stream().filter(RecordOutcome::created).count();
    }

    /**
     * The alerts the verdicts the engine stored for the newest run of every series raise, as {@link #importAlerting}
     * raises them from the same verdicts: for history loaded in bulk without alerting (the demo, {@link #importAll}),
     * and after {@link #importAlerting} stored and judged every result but its alerting step failed
     * ({@link AlertingFailedException}): then it opens the alerts that import would have opened. Each series' newest
     * run that counts (an excluded run, or an attempt a CI re-run superseded, is no run of its series) goes through the
     * one alert path a push records through ({@link Alerts#onFindings}) with its verdicts as the engine stored them
     * when that run was stored (a metric whose stored verdict is of another run is judged now, at its own settings): a
     * regression opens (or follows) an alert of its shift, a recent change point in the bad direction opens one (or
     * confirms the alert of its shift), a run back within noise resolves an active alert of its metric. The verdicts
     * are not judged again: the alert memory the engine stored with them is the one after that judgement, and a second
     * judgement would take a shift they report for the first time (by its change point) for one already alerted.
     * Series whose alerts were already raised (by a push, or an import whose alerting succeeded) change nothing: the
     * same findings again record nothing new.
     *
     * <p>Memory holds one batch of series at a time whatever the number of series and results: the series are read
     * and judged batch by batch (one history query each, outside any transaction), and each batch's alerts are written
     * in a short transaction of their own. So the lock an exclusion takes exclusive ({@code benchmon.exclusions_and_ingests},
     * see {@link #stillNewest}) and the alerts' row locks are held for one batch, not for the whole pass (10-17 s at
     * 3,600 series): an exclusion, and the pushes queued behind it, wait for one batch at most. When it fails part way,
     * the batches before stay alerted; running it again changes nothing for them (the same findings record nothing
     * new) and alerts on the rest.
     *
     * @return what changed (alerts opened, confirmed or resolved, {@link AlertChange#change()}), batch by batch in
     *         series id order; empty when nothing did
     */
    public List<AlertChange> alertOnNewestRuns() {
        List<Integer> series = jdbi().withHandle(h -> h.createQuery("SELECT id FROM series ORDER BY id").mapTo(Integer.class).list());
        List<AlertChange> changes = new java.util.ArrayList<>();
        // read and judged on h outside a transaction (no result set is open when a batch is handed over); each
        // batch's alerts in a transaction of its own on the same connection, so no lock outlives its batch
        jdbi().useHandle(h -> detection.newestAsStored(h, series,
                newest -> changes.addAll(h.inTransaction(tx -> alertOn(tx, newest, run -> true)))));
        return changes;
    }

    /**
     * The one path from the verdicts of series' newest runs ({@code newest}: at each metric's own settings, by series
     * id ascending) to alerts, as a push records them, in one transaction: {@link #alertOn}.
     */
    private List<AlertChange> alertOnNewest(Collection<RunVerdicts> newest, java.util.function.LongPredicate alerting) {
        if (newest.stream().noneMatch(v -> alerting.test(v.transactionId()))) {
            return List.of();
        }
        return jdbi().inTransaction(h -> alertOn(h, newest, alerting));
    }

    /**
     * Records the alerts of the verdicts of series' newest runs, in the caller's transaction {@code h}, as a push
     * records them: the verdicts of the runs {@code alerting} accepts (by id) open, follow or resolve alerts, and after
     * them (so that a change point of the same shift attaches to the alert they opened) the recent change points in the
     * bad direction of those series open theirs.
     */
    private static List<AlertChange> alertOn(org.jdbi.v3.core.Handle h, Collection<RunVerdicts> newest,
                                             java.util.function.LongPredicate alerting) {
        List<RunVerdicts> accepted = newest.stream().filter(v -> alerting.test(v.transactionId())).toList();
        if (accepted.isEmpty()) {
            return List.of();
        }
        List<Long> runs = stillNewest(h, accepted);
        if (runs.isEmpty()) {
            return List.of();
        }
        List<dev.benchmon.alert.Finding> findings = new java.util.ArrayList<>(EngineFindings.of(newest, runs));
        findings.addAll(EngineFindings.changePoints(h, newest, runs));
        return Alerts.onFindings(h, findings);
    }

    /**
     * The runs of {@code verdicts} that are still their series' newest run that counts (not excluded, not an attempt a
     * CI re-run replaced: the SQL function {@code series_counted_runs}, which the alert functions read too), read after taking the lock pushes share and an exclusion takes exclusive
     * ({@code benchmon.exclusions_and_ingests}, as {@code ingest_staged_results} and {@code annotate_run} take it), so
     * that no exclusion commits between this read and the alerts written in the same transaction. The verdicts were
     * judged in earlier transactions (an import's detection pass, batch by batch, minutes before at 10M results): a
     * run excluded since, or followed by a pushed run since, is left out. Its series needs nothing more from here: the
     * exclusion judged its alerts again, the push alerted on its own newest run.
     */
    private static List<Long> stillNewest(org.jdbi.v3.core.Handle h, List<RunVerdicts> verdicts) {
        dev.benchmon.db.IngestLock.shared(h);
        return h.createQuery("""
                        SELECT v.tx FROM unnest(CAST(:series AS integer[]), CAST(:txs AS bigint[])) AS v(series_id, tx)
                        WHERE v.tx = (SELECT c.transaction_id FROM series_counted_runs(v.series_id) c
                                      ORDER BY c.run_at DESC, c.transaction_id DESC
                                      LIMIT 1)
                        ORDER BY v.tx""")
                .bind("series", verdicts.stream().map(RunVerdicts::seriesId).toArray(Integer[]::new))
                .bind("txs", verdicts.stream().map(RunVerdicts::transactionId).toArray(Long[]::new))
                .mapTo(Long.class).list();
    }

    // ---- queries ------------------------------------------------------------------------------

    /**
     * Checks that every name the filter gives (models, datasets, prompts, environments, providers, metrics) is held
     * by the database, as every query does before it reads.
     *
     * @throws UnknownNameException naming the first unknown name and listing the known ones
     * @throws InvalidArgumentException naming {@code filter} when it is {@code null}
     */
    public void requireKnown(Filter filter) {
        catalog.requireKnown(Arguments.required(filter, "filter"));
    }

    /** The latest result of every series. */
    public Table latestSnapshots() {
        return latestSnapshots(Filter.all());
    }

    /**
     * The latest result of every series matching the filter; one double column per metric. Tablesaw column names are unique ignoring case: a metric named like a fixed column is the column
     * {@code metric:NAME}, and of metrics differing only in case (series a reports {@code F1}, series b {@code f1})
     * the first in name order keeps its name and the next is {@code metric:2:f1}, {@code metric:3:...};
     * {@link dev.benchmon.query.MetricColumns#metricName} maps a column back to its metric. The API and exports
     * ({@link #streamLatest}, {@link #streamHistory}) name both as stored. After a metric's column, the latest run's
     * standard errors of it ({@code acc_stderr}, a double column) when any series' result carried one
     * ({@link dev.benchmon.query.MetricColumns#stderrColumnNames}).
     */
    public Table latestSnapshots(Filter filter) {
        requireKnown(filter);
        return snapshots.latest(filter);
    }

    /**
     * The latest result of every series matching the filter as records, metrics as a map per series: for code
     * that sorts, pages or picks columns itself (the dashboard's snapshot table). Same series and order as
     * {@link #latestSnapshots(Filter)}.
     */
    public List<SnapshotRow> latestResults(Filter filter) {
        requireKnown(filter);
        return snapshots.rows(filter);
    }

    /**
     * Results from the log, newest first (at most {@code filter.limit()}, default 1000: when more match, the table's
     * name says so, {@code history: the newest 1000 results (the limit, by default); older ones match too: ...}, which
     * prints above its rows); one double column per metric,
     * named as in {@link #latestSnapshots(Filter)}, each followed by its standard errors ({@code acc_stderr}) when any
     * row's result carried one.
     */
    public Table history(Filter filter) {
        requireKnown(filter);
        return history.history(filter);
    }

    /**
     * Whether the filter selects more than {@code rows} results of the log, as {@link #history(Filter)} and the history
     * streams read it: whether a history cut at {@code rows} left older results out (one of exactly {@code rows} results
     * left none out). Counts at most {@code rows + 1}.
     *
     * @throws UnknownNameException when the filter names something the database does not hold
     */
    public boolean historyHoldsMoreThan(Filter filter, long rows) {
        requireKnown(filter);
        return history.holdsMoreThan(filter, rows);
    }

    /**
     * {@link #latestSnapshots(Filter)} row by row from a database cursor, without a table: the same rows and values,
     * without the standard-error columns ({@code acc_stderr}) the table adds, and every metric's column named as stored
     * ({@code F1} and {@code f1} side by side, where the table has {@code metric:2:f1}; a metric named like a fixed
     * column is {@code metric:NAME} in both), handed to {@code sink} (for writers of large responses; the value types are {@link
     * dev.benchmon.query.ResultStream}'s, where a metric may come as its JSON text). Returns the number of rows.
     *
     * @throws UnknownNameException when the filter names something the database does not hold (before any row)
     */
    public long streamLatest(Filter filter, dev.benchmon.query.ResultStream.Sink sink) {
        requireKnown(filter);
        Arguments.required(sink, "sink");
        return new dev.benchmon.query.ResultStream(reads.jdbi()).latest(filter, sink);
    }

    /** {@link #history(Filter)} row by row from a database cursor, without a table; see {@link #streamLatest}. */
    public long streamHistory(Filter filter, dev.benchmon.query.ResultStream.Sink sink) {
        return streamHistory(filter, sink, false);
    }

    /**
     * {@link #streamHistory(Filter, dev.benchmon.query.ResultStream.Sink)}; with {@code csvColumns} the columns
     * {@code stderr}, {@code n} and {@code metadata} (JSON object text, {@code null} when none) follow the fixed ones,
     * so that a CSV holds what the JSON export holds, and the rows come in its order, oldest first (a history file)
     * ({@link dev.benchmon.query.ResultStream#history(Filter, dev.benchmon.query.ResultStream.Sink, boolean)}).
     */
    public long streamHistory(Filter filter, dev.benchmon.query.ResultStream.Sink sink, boolean csvColumns) {
        requireKnown(filter);
        Arguments.required(sink, "sink");
        return new dev.benchmon.query.ResultStream(reads.jdbi()).history(filter, sink, csvColumns);
    }

    /**
     * Writes results from the log as native JSON to {@code out}, one object a line (JSON Lines, each line ending in
     * {@code \n}): names, stderr, n, tags and metadata exactly as stored, each with its idempotency key and its
     * per-example outcomes ({@code "examples"}, last, as the result format takes them; one result's read at a time), oldest first
     * (the newest {@code filter.limit()}, default 1000; results of one run_at in the order they were stored, so that an
     * import, which stores a file in its order, numbers a copy's runs as the original's), read by cursor as they are written, so memory does not grow
     * with the count; a result whose run is excluded carries its exclusion ({@code "excluded": {"reason", "actor",
     * "since"}}), and the first line states the definitions of the metrics the results hold
     * ({@code {"metric_definitions": {...}}}, left out when none is defined). {@code benchmon import} reads it back,
     * definitions and exclusions too. Returns the number of results (lines after the definitions); {@code out} is
     * neither flushed nor closed.
     *
     * @throws UnknownNameException when the filter names something the database does not hold (before any line)
     * @throws java.io.UncheckedIOException when writing to {@code out} fails
     */
    public long writeHistoryAsJsonLines(Filter filter, java.io.Writer out) {
        requireKnown(filter);
        Arguments.required(out, "out");
        return new JsonLinesQuery(reads.jdbi()).history(filter, out);
    }

    /**
     * The snapshot of every series matching the filter (its newest run that counts, as {@link #latestSnapshots(Filter)} answers: none
     * for a series whose every run is excluded) as native JSON, written as {@link #writeHistoryAsJsonLines} writes.
     */
    public long writeLatestAsJsonLines(Filter filter, java.io.Writer out) {
        requireKnown(filter);
        Arguments.required(out, "out");
        return new JsonLinesQuery(reads.jdbi()).latest(filter, out);
    }

    /**
     * When the newest result of {@code metric} was, among the series {@code filter} names (its environments, models,
     * datasets and prompts), whatever its time range: what a chart left empty by its range can point to
     * ({@code the newest f1 result here is from 2024-12-02}).
     *
     * @return its {@code run_at}, or empty when none of those series reported {@code metric}
     * @throws UnknownNameException for a name of the filter or a metric the database does not hold
     */
    public java.util.Optional<java.time.Instant> newestRunOf(Filter filter, String metric) {
        Arguments.required(metric, "metric");
        requireKnown(filter.withMetrics(metric));
        return java.util.Optional.ofNullable(emptyWindow.newest(filter, metric));
    }

    /**
     * One metric of one model over the last {@code window}, bucketed by a width that suits the window: one line per
     * series of the model (each dataset version, prompt and environment its own), as
     * {@link #timeSeries(Filter, String, Bucket)} gives them. For one series, name it:
     * {@code timeSeries(Filter.model(m).withDatasets(d).withEnvironments(e).withLast(window), metric, bucket)}.
     * An empty table whose model has older results of the metric says so in its name, as printed:
     * {@code f1 by day: no results in the last 30 days; the newest is 2025-11-02: widen the range}.
     *
     * @throws UnknownNameException for a model or metric the database does not hold
     */
    public Table timeSeries(String model, String metric, Duration window) {
        Arguments.required(model, "model");
        Arguments.required(metric, "metric");
        Arguments.required(window, "window");
        Table t = timeSeries(Filter.model(model).withLast(window), metric, Bucket.forWindow(window));
        return emptyWindow.explain(t, List.of(model), metric, window);
    }

    /**
     * One metric over time per series, for the filter's results: one row per series (model, dataset version, prompt
     * version, environment) and bucket with mean, min, max, stddev and count, and the bucket's newest commit and run
     * id. Columns {@code bucket, model_version, metric, mean, min, max, stddev, count, last_commit_sha, last_run_id,
     * dataset_version, prompt_version, environment}. A model's results on different datasets, prompts or environments
     * are different lines, never averaged together (with lm-eval, one dataset per task, a model-level mean would mix
     * tasks); {@code Charts.trend} names each line by what differs.
     */
    public Table timeSeries(Filter filter, String metric, Bucket bucket) {
        requireKnown(filter);
        Arguments.required(metric, "metric");
        Arguments.required(bucket, "bucket");
        Table t = trends.timeSeries(filter, metric, bucket);
        requireKnownIfEmpty(t, filter, metric);
        return t;
    }

    /**
     * {@link #timeSeries(Filter, String, Bucket)} of at most {@code maxLines} series (lines of a chart): those whose
     * newest result of {@code metric} in the filter's window is newest, ties by model, dataset, prompt and environment,
     * with how many series have results in the view ({@link TrendLines#total()}). The series are chosen before the
     * trend is read (from the snapshots, or the rollups of a window that ends), so the cost follows the lines drawn, not
     * the series in the view: a dashboard's "latest lines" chart of a project with thousands of series.
     * {@code bm.newestLines(Filter.all().withLast(Duration.ofDays(90)), "f1", Bucket.DAY, 24).trend()}.
     *
     * @throws UnknownNameException for a metric or model the database does not hold
     * @throws IllegalArgumentException when {@code maxLines} is less than 1
     */
    public TrendLines newestLines(Filter filter, String metric, Bucket bucket, int maxLines) {
        requireKnown(filter);
        Arguments.required(metric, "metric");
        Arguments.required(bucket, "bucket");
        TrendLines lines = trends.newestLines(filter, metric, bucket, maxLines);
        requireKnownIfEmpty(lines.trend(), filter, metric);
        return lines;
    }

    /**
     * {@link #timeSeries(Filter, String, Bucket)}'s rows written to {@code sink} as they arrive from the database (the
     * API's answer: no table in between), columns as there ({@link TrendQuery#COLUMNS}); returns the row count.
     *
     * @throws UnknownNameException before anything is written, when there are no rows and the filter names a model,
     *         or {@code metric} is one, that the database does not hold
     */
    public long streamTimeSeries(Filter filter, String metric, Bucket bucket, dev.benchmon.query.ResultStream.Sink sink) {
        requireKnown(filter);
        Arguments.required(metric, "metric");
        Arguments.required(bucket, "bucket");
        Arguments.required(sink, "sink");
        return trends.stream(filter, metric, bucket, sink, () -> requireKnownNames(filter, metric));
    }

    /**
     * An empty trend is an answer only for names the database holds: a model or metric it does not know is an
     * {@link UnknownNameException} (listing the known ones), not an empty table. Checked only when empty, so a
     * trend with rows costs no lookup.
     */
    private void requireKnownIfEmpty(Table trend, Filter filter, String metric) {
        if (trend.rowCount() == 0) {
            requireKnownNames(filter, metric);
        }
    }

    private void requireKnownNames(Filter filter, String metric) {
        filter.models().forEach(catalog::requireModel);
        catalog.requireMetric(metric);
    }

    /**
     * The change points the detection engine found in the filter's series, newest first: where a metric's level
     * shifted, by how much ({@code change}, {@code shift_sd}), whether for the worse ({@code outcome}) and between which
     * commits; at most the filter's limit (default 1000). The filter's metrics (none: all), series and time window (of
     * the first run at the new level) apply. Columns and their units: {@link ChangePointsQuery#changePoints}. The engine
     * keeps them current at every judged run (PELT over the series' newest runs, about 130; Killick et al. 2012), as the
     * charts mark them, so a shift older than those runs is no longer listed; an alert is opened on one that makes its
     * metric worse and persists.
     *
     * @throws UnknownNameException when the filter names something the database does not hold
     */
    public Table changePoints(Filter filter) {
        requireKnown(filter);
        return new ChangePointsQuery(readJdbi()).changePoints(filter);
    }

    /**
     * What happened to the filter's series that charts of {@code metric} mark, oldest first: excluded runs (with the
     * reason), notes and note annotations, alerts marked expected, and the change points the detection engine
     * stored (magnitude, commit range, confidence). Draw them with {@code Charts.trend(table, title, height, marks)}.
     */
    public List<ChartMark> chartMarks(Filter filter, String metric) {
        requireKnown(filter);
        Arguments.required(metric, "metric");
        return new ChartMarksQuery(readJdbi()).marks(filter, metric);
    }

    /**
     * {@link #chartMarks(Filter, String)} of several metrics, read together (two statements for any number of
     * metrics); every metric named is a key, in their order.
     */
    public Map<String, List<ChartMark>> chartMarks(Filter filter, List<String> metrics) {
        requireKnown(filter);
        Arguments.requiredElements(metrics, "metrics");
        return new ChartMarksQuery(readJdbi()).marks(filter, metrics);
    }

    /**
     * {@link #timeSeries(Filter, String, Bucket)} of several metrics, in their order, read together (one query for
     * day and week buckets); a known metric without values in the window maps to an empty table.
     *
     * @throws UnknownNameException for a metric (or model) the database does not hold, as the one-metric call does
     */
    public Map<String, Table> timeSeries(Filter filter, List<String> metrics, Bucket bucket) {
        requireKnown(filter);
        Arguments.requiredElements(metrics, "metrics");
        Arguments.required(bucket, "bucket");
        Map<String, Table> trends = this.trends.timeSeries(filter, metrics, bucket);
        trends.forEach((metric, t) -> requireKnownIfEmpty(t, filter, metric));
        return trends;
    }

    /**
     * Models side by side over the last {@code window}; the first model is the reference for differences. An empty
     * table whose models have older results says so in its name, as printed:
     * {@code model comparison: no results in the last 7 days; the newest is 2025-11-02: widen the range}.
     *
     * @throws InvalidArgumentException naming {@code models} when it is empty (every model: {@link #compareModels(Filter)})
     * @throws UnknownNameException for a model the database does not hold
     */
    public Table compareModels(List<String> models, Duration window) {
        Arguments.nonEmpty(Arguments.requiredElements(models, "models"), "models",
                "name the model versions to compare, the reference first (for every model use compareModels(Filter))");
        Arguments.required(window, "window");
        return emptyWindow.explain(compareModels(Filter.models(models).withLast(window)), models, null, window);
    }

    /**
     * Models side by side for the filter's results (its models in order; the first is the reference), one row per
     * model, dataset version and environment: see {@link #compareModels(Filter, CompareOptions)}.
     */
    public Table compareModels(Filter filter) {
        return compareModels(filter, CompareOptions.defaults());
    }

    /**
     * How many runs of {@code metric} each model has among the filter's results (the {@code n} of
     * {@link #compareModels(Filter, CompareOptions)} summed over dataset versions and environments), read from the
     * daily rollups without comparing: e.g. to choose the reference of a comparison before making it.
     *
     * @return model_version to runs, in name order; a model without a run of {@code metric} is absent
     */
    public Map<String, Long> runsPerModel(Filter filter, String metric) {
        requireKnown(filter);
        return comparisons.runsPerModel(filter, Arguments.required(metric, "metric"));
    }

    /**
     * The model versions with at least one result among the filter's (its environments, datasets, prompts and time
     * window; excluded runs do not count), in name order: e.g. how many models a view holds, where {@link #models()}
     * names every model ever recorded.
     */
    public List<String> modelsWithRuns(Filter filter) {
        requireKnown(filter);
        return comparisons.modelsWithRuns(filter);
    }

    /**
     * Is B really better than A? Result {@code runB} against result {@code runA} (transaction ids, same dataset
     * version): one row per metric with {@code diff} (B - A), {@code ci_low}, {@code ci_high}, {@code p_value} and
     * {@code method}; the metric the examples make up is compared on the items both share (paired bootstrap,
     * McNemar's exact test for 0/1 scores). See {@link #comparison(long, long, CompareOptions)} for slices and
     * flipped items.
     */
    public Table comparePaired(long runA, long runB) {
        return comparison(runA, runB, CompareOptions.defaults()).summary();
    }

    /**
     * The paired comparison of two results with its per-slice table and flipped items.
     *
     * @throws InvalidArgumentException naming {@code b} when both are the same result
     */
    public RunComparison comparison(long runA, long runB, CompareOptions options) {
        Arguments.required(options, "options");
        if (runA == runB) {
            // Every difference would be 0 with a p-value of 1: an answer that looks like "no change", not a refusal.
            throw Arguments.refused("b", "is the same result as a (#" + runA + "); compare two different results, "
                    + "e.g. the newest run and the one before it");
        }
        return RunComparison.compute(reads.jdbi(), runA, runB, options);
    }

    /**
     * Models compared with a reference model ({@link CompareOptions#reference()}, else the filter's first model),
     * one row per model, dataset version and environment (unless {@link CompareOptions#pooled()}): the columns of
     * {@link #compareModels(Filter)} plus {@code reference, compared, value_ref, value, diff, ci_low, ci_high, p_value,
     * method, n_compared}. Paired on items where both have examples ({@code compared = shared_items}), else the newest
     * results by their stderr/n ({@code latest_results}: {@code value_ref} and {@code value} are those results' values,
     * not the means), else the run means by run-to-run variation ({@code run_means}); always {@code diff = value -
     * value_ref} ({@link dev.benchmon.query.ComparisonQuery}); {@code method} {@code no_reference} (and no diff) where the
     * reference has no result of the metric on the row's dataset version and environment; last, {@code active_alert}: the open or acknowledged
     * alerts on the row's series and metric ({@code #4 open, critical: -15.8 points}), empty for none.
     *
     * @throws InvalidArgumentException naming {@code reference} when it is not one of the filter's models or has no
     *                                  results in the selection, listing those that have
     */
    public Table compareModels(Filter filter, CompareOptions options) {
        requireKnown(filter);
        Arguments.required(options, "options");
        if (options.reference() != null) {
            catalog.requireModel(options.reference(), "reference");
        }
        if (options.reference() != null && !filter.models().isEmpty() && !filter.models().contains(options.reference())) {
            // Every row would compare with a model that is not in the table: each diff null, method "no_reference".
            throw Arguments.refused("reference", "'" + TextRules.quoted(options.reference())
                    + "' is not among the models compared; name one of [" + UnknownNameException.listed(filter.models()) + "], or add it to the models");
        }
        Table t = comparisons.compare(filter, options);
        List<String> present = t.stringColumn("model_version").unique().asList();
        filter.models().stream().filter(m -> !present.contains(m)).forEach(catalog::requireModel);
        // Named or not, a reference without results in the selection (another dataset's model) leaves every diff null.
        if (options.reference() != null && !present.isEmpty() && !present.contains(options.reference())) {
            List<String> sorted = present.stream().sorted().toList();
            throw Arguments.refused("reference", "'" + TextRules.quoted(options.reference()) + "' has no results in this "
                    + "selection; name one of " + (sorted.size() <= 20 ? sorted.toString()
                    : sorted.subList(0, 20) + " (and " + (sorted.size() - 20) + " more)"));
        }
        return withActiveAlerts(t, filter);
    }

    /**
     * {@code t} with a last column {@code active_alert}: the active alerts (open or acknowledged; a regression's or a
     * change point's) on each row's model, dataset version, environment and metric, of any prompt the row pools, as
     * {@code #4 open, critical: -15.8 points} (several joined by {@code ; }; the severity and change now, once later runs
     * moved them), empty for none; a pooled row ({@code *}) names those of every series it pools. Why: a row's mean over
     * the window hides a regression of the newest runs, which is what the alert says; {@link #comparison} lists its
     * sides' alerts the same way.
     */
    private Table withActiveAlerts(Table t, Filter filter) {
        StringColumn column = StringColumn.create("active_alert");
        if (t.rowCount() == 0) {
            return t.addColumns(column);
        }
        List<String> models = t.stringColumn("model_version").unique().asList();
        // The filter's datasets and environments too: a pooled row ("*") pools only the series the filter selects.
        AlertFilter f = AlertFilter.states(AlertState.OPEN, AlertState.ACKNOWLEDGED)
                .withSeriesNames(models, filter.datasets(), filter.prompts(), filter.environments()).withLimit(10_000);
        // By model and metric, in the list's order: a comparison of many models and metrics under many alerts looked
        // at every alert for every row (5,000 rows under 10,000 alerts: 50 million tests).
        Map<List<String>, List<dev.benchmon.alert.Alert>> active = new java.util.HashMap<>();
        for (dev.benchmon.alert.Alert a : alerts.list(f)) {
            active.computeIfAbsent(List.of(a.modelVersion(), a.metric()), k -> new java.util.ArrayList<>()).add(a);
        }
        String pooled = dev.benchmon.query.ComparisonQuery.POOLED;
        for (int i = 0; i < t.rowCount(); i++) {
            String model = t.stringColumn("model_version").get(i);
            String dataset = t.stringColumn("dataset_version").get(i);
            String environment = t.stringColumn("environment").get(i);
            String metric = t.stringColumn("metric").get(i);
            List<String> named = new java.util.ArrayList<>();
            for (dev.benchmon.alert.Alert a : active.getOrDefault(List.of(model, metric), List.of())) {
                // A pooled row (dataset or environment "*") stands for every series it pools.
                if ((dataset.equals(pooled) || a.datasetVersion().equals(dataset))
                        && (environment.equals(pooled) || a.environment().equals(environment))) {
                    // The severity and the change of the same moment: now, once later runs moved it, else the opening;
                    // a change only as a size (an alert without a relative one, on a baseline of 0, names none).
                    boolean moved = a.nowSeverity() != null && a.nowChange() != null;
                    String severity = moved ? a.nowSeverity() : a.severity();
                    String change = moved ? a.nowChange() : a.magnitude() == null ? null : a.change();
                    named.add("#" + a.id() + " " + a.state().sqlName() + (severity == null ? "" : ", " + severity)
                            + (change == null ? "" : ": " + change));
                }
            }
            column.append(String.join("; ", named));
        }
        return t.addColumns(column);
    }

    /**
     * {@link #comparison(String, String, String, String, CompareOptions)} with the default options, on no dataset or
     * environment named (two model versions are compared in the environment both have results in):
     * {@code bm.comparison("qa-base", "qa-tuned")}.
     */
    public RunComparison comparison(String a, String b) {
        return comparison(a, b, null, null, CompareOptions.defaults());
    }

    /**
     * {@link #comparison(String, String, String, String, CompareOptions)} on no dataset or environment named:
     * {@code bm.comparison("qa-base", "qa-tuned", CompareOptions.defaults().withConfidence(0.99))}.
     */
    public RunComparison comparison(String a, String b, CompareOptions options) {
        return comparison(a, b, null, null, options);
    }

    /**
     * Compares what {@code b} names with what {@code a} names: each a model version (its latest result on
     * {@code dataset}, preferring one with examples), a transaction id or a CI run id. {@code dataset} and
     * {@code environment} may be {@code null}: without an environment, two model versions are compared in the one
     * both have results in ({@link ResultRefs#sharedEnvironment}), as {@link #compareModels(Filter)} compares like
     * with like; {@code benchmon compare} and {@code GET /api/v1/compare?paired=true} answer the same. When both are
     * model versions, a metric their latest results cannot judge (no shared items, stderr or n of a proportion) is judged on their
     * runs, run-to-run, as {@link #compareModels(Filter, CompareOptions)} judges it ({@link RunComparison#withRunToRun});
     * one their latest results judge by stderr or n stays on those results, and a note says so and gives the runs' means.
     * Then {@link RunComparison#runsA()} and {@link RunComparison#runsB()} say which runs the means are over (count,
     * first and last run_at, newest result id). {@link RunComparison#alerts()} lists the active alerts, a regression's
     * or a change point's (open, acknowledged), whose last run is a side's newest run (its result, or the newest of its runs with means).
     *
     * @throws UnknownNameException naming A, else B, when it names neither a model nor a stored result: checked for both
     *                              before either run is chosen, so that A's other refusals do not hide a B that names
     *                              nothing
     * @throws ValidationException when A and B share several environments and none is named
     */
    public RunComparison comparison(String a, String b, String dataset, String environment, CompareOptions options) {
        return comparison(a, b, dataset, environment, options, Filter.all());
    }

    /**
     * As {@link #comparison(String, String, String, String, CompareOptions)}, with the runs a metric is judged on run to
     * run, and whose means it compares, only those in {@code within}'s time range ({@link Filter#since()},
     * {@link Filter#until()}, {@link Filter#last()}; its other parts are not read): the dashboard's Compare page judges
     * its item-by-item section on the runs of the page's range, as its statistics table does, where it took every run
     * ever made ("means of its 180 runs" beside a table of 14). The latest results A and B name are chosen as before.
     */
    public RunComparison comparison(String a, String b, String dataset, String environment, CompareOptions options,
                                    Filter within) {
        Arguments.required(within, "within");
        Arguments.required(a, "a");
        Arguments.required(b, "b");
        Arguments.required(options, "options");
        // A's refusal (name its dataset, ...) would send the user to fix A when B names nothing at all: an unknown A, then
        // an unknown B, is said first, naming it and the known models, before either run is chosen. B's own other
        // refusals wait until A is fixed.
        requireNamed(a, dataset);
        requireNamed(b, dataset);
        String e = environment != null ? environment : ResultRefs.sharedEnvironment(reads.jdbi(), a, b, dataset);
        // A refusal of a side's own reference (a run id of several results) names the side, as the user gave it.
        long runA = ResultRefs.forComparison(reads.jdbi(), a, dataset, e, "a");
        long runB = ResultRefs.forComparison(reads.jdbi(), b, dataset, e, "b");
        RunComparison c = comparison(runA, runB, options);
        boolean models = c.a().modelVersion().equals(a.trim()) && c.b().modelVersion().equals(b.trim());
        if (!models || !c.a().environment().equals(c.b().environment())
                || !c.a().datasetVersion().equals(c.b().datasetVersion()) // else B's runs on A's dataset would stand for B
                || !unpairedRows(c.summary())) {
            return c.withAlerts(newestRunAlerts(c));
        }
        // Two model versions: a metric their latest results cannot judge is judged on their runs, as compareModels
        // (GET /api/v1/compare) judges it, so the CLI, the paired API and the unpaired one agree on it; one the latest
        // results judge by stderr or n is said to be about them, with the runs' means it is not about.
        Filter range = Filter.all().withSince(within.since()).withUntil(within.until()).withLast(within.last());
        Filter runs = range.withModels(c.a().modelVersion(), c.b().modelVersion())
                .withDatasets(c.a().datasetVersion()).withEnvironments(c.a().environment());
        RunComparison judged = c.withRunToRun(comparisons.compare(runs, options.withReference(c.a().modelVersion())
                .withPooled(false)));
        List<String> meansOf = judged.runToRunMetrics();
        if (meansOf.isEmpty()) {
            return judged.withAlerts(newestRunAlerts(judged));
        }
        // The values of those rows are the runs' means: the header says over which runs, not "result id N" alone.
        // The comparison's own selection counts them: runs of each metric, whatever prompt, the excluded left out.
        RunComparison.RunMeans meansA = comparisons.runsOf(range.withModels(c.a().modelVersion())
                .withDatasets(c.a().datasetVersion()).withEnvironments(c.a().environment()), meansOf);
        RunComparison.RunMeans meansB = comparisons.runsOf(range.withModels(c.b().modelVersion())
                .withDatasets(c.a().datasetVersion()).withEnvironments(c.a().environment()), meansOf);
        judged = judged.withRunMeans(meansA, meansB);
        return judged.withAlerts(newestRunAlerts(judged));
    }

    /**
     * Throws the {@link UnknownNameException} {@link ResultRefs#forComparison} throws for {@code reference} when it names
     * neither a model (the catalog's check of a filter's names, remembered once known) nor a stored result (on
     * {@code dataset} when given): whether it names anything, not which run it names.
     */
    private void requireNamed(String reference, String dataset) {
        if (!catalog.hasModel(reference.trim())) {
            ResultRefs.requireResult(reads.jdbi(), reference, dataset);
        }
    }

    /**
     * The active alerts (open or acknowledged; raised by a regression or a change point) whose last run is A's or B's
     * newest run: the newest of its
     * runs when a side's values are run means, else its result. An alert follows the newest run that still shows its
     * change, so such a run is a regression the comparison's means can hide.
     */
    private List<RunComparison.NewestRunAlert> newestRunAlerts(RunComparison c) {
        List<RunComparison.NewestRunAlert> out = new java.util.ArrayList<>();
        for (String side : List.of("A", "B")) {
            dev.benchmon.compare.RunInfo r = side.equals("A") ? c.a() : c.b();
            RunComparison.RunMeans means = side.equals("A") ? c.runsA() : c.runsB();
            long newest = means != null ? means.newestResult() : r.id();
            AlertFilter f = AlertFilter.states(AlertState.OPEN, AlertState.ACKNOWLEDGED).withSeriesNames(List.of(r.modelVersion()),
                    List.of(r.datasetVersion()), List.of(), List.of(r.environment()));
            for (dev.benchmon.alert.Alert alert : alerts.list(f)) {
                // Any kind: an alert a change point raised follows the newest run that still shows its shift too.
                if (alert.lastTransactionId() == newest) {
                    out.add(new RunComparison.NewestRunAlert(side, newest, alert.id(), alert.metric(),
                            alert.state().sqlName(), alert.nowSeverity() != null ? alert.nowSeverity() : alert.severity(),
                            alert.change()));
                }
            }
        }
        return out;
    }

    /** Whether a row of a two-result summary is judged without shared items: by stderr, n, or not at all. */
    private static boolean unpairedRows(Table summary) {
        return summary.stringColumn("method").asList().stream().anyMatch(m -> m.equals(Method.NONE.label())
                || m.equals(Method.WELCH_STDERR.label()) || m.equals(Method.TWO_PROPORTION.label()));
    }

    /**
     * Resolves what a user calls a result: a transaction id ({@code 123} or {@code #123}), else a CI run id
     * ({@code run_id}), optionally on one dataset version; {@code null} when it names none.
     *
     * @throws ValidationException when a run id names several results
     */
    public Long resolveResult(String reference, String dataset) {
        Arguments.required(reference, "reference");
        return ResultRefs.resolve(reads.jdbi(), reference, dataset);
    }

    /**
     * Every metric of every series of {@code model} as the detection engine judged its latest run at ingest,
     * regressions first: each metric under its own settings (sensitivity, minimum effect), exactly as
     * {@code benchmon push}, the alerts, {@code GET /api/v1/regressions} and the dashboard judge it. Columns as
     * {@link #detectRegressions(Filter, RegressionOptions)}'s; {@code is_regression}, {@code severity} and
     * {@code outcome} ({@code regression}, {@code improvement}, {@code ok}, ...) say what push said.
     *
     * @throws UnknownNameException when the database holds no result of {@code model}
     */
    public Table detectRegressions(String model) {
        Arguments.required(model, "model");
        Table t = detectRegressions(Filter.model(model), RegressionOptions.defaults());
        if (t.rowCount() == 0) {
            catalog.requireModel(model);
        }
        return t;
    }

    /**
     * {@link #detectRegressions(String)} judged again for this call with a minimum effect of its own: a change is a
     * regression when it is beyond the series' noise <em>and</em> worse by at least {@code threshold} of the baseline
     * ({@code 0.05} = 5%, {@code 0} = the noise model alone). The threshold replaces, for this call only, each
     * metric's own minimum effect ({@link RegressionOptions#withRelativeMinEffect}; for an absolute one use
     * {@link #detectRegressions(Filter, RegressionOptions)} with {@link RegressionOptions#withMinEffect(double)}), so
     * it may flag less (or, below a metric's own, more) than push did. A change beyond the noise that the threshold
     * filters out is never {@code ok}: its outcome is {@code below_min_effect}, and its explanation names the
     * threshold and what the metric's own settings concluded
     * ({@code beyond the noise but below the minimum effect given (5% of the baseline: 0.041): -3.4 points (7.7 sd);
     * at the metric's own settings (as push judged it): regression}).
     * The minimum effect also decides which earlier shifts of the series are change points (a shift smaller than it is
     * noise), and the baseline is the runs since the last one: a threshold above a metric's own may join segments that
     * its own setting keeps apart, so {@code baseline_runs}, {@code baseline} and {@code z} may differ from the stored
     * verdict's, not only the outcome.
     * A series with fewer runs than the minimum history ({@link dev.benchmon.detect.DetectionSettings#minHistory},
     * {@value dev.benchmon.detect.DetectionSettings#DEFAULT_MIN_HISTORY} by default) has no noise model yet: it is
     * still judged by the fallback relative rule (worse by more than the metric kind's fallback threshold: 5%, 25% for
     * times, rates, costs and memory), not by {@code threshold}, and its verdict says so.
     *
     * @throws InvalidArgumentException naming {@code threshold} unless it is a fraction from 0 to 1 (5 would be 500%)
     */
    public Table detectRegressions(String model, double threshold) {
        Arguments.required(model, "model");
        Arguments.fraction(threshold, "threshold");
        Table t = detectRegressions(Filter.model(model), RegressionOptions.defaults().withRelativeMinEffect(threshold));
        if (t.rowCount() == 0) {
            catalog.requireModel(model);
        }
        return t;
    }

    /**
     * The detection engine's regression checks of the latest run of the filter's series, one row per series and
     * metric, regressions first. Of {@code options} the engine applies {@code sensitivity}, {@code minEffect} or
     * {@code relativeMinEffect} (judging again for this call) and {@code onlyRegressions}; {@code threshold},
     * {@code absoluteThreshold}, {@code baseline} and {@code window} are the simple rule's
     * ({@link #simpleRuleRegressions}) and change nothing here, as {@code GET /api/v1/regressions} warns when they are
     * given. A pinned baseline is refused (an {@code InvalidArgumentException} naming {@code baseline}).
     */
    public Table detectRegressions(Filter filter, RegressionOptions options) {
        requireKnown(filter);
        Arguments.required(options, "options");
        return withUnitsInExplanations(detector.detect(filter, options));
    }

    /**
     * The table's {@code explanation} with each metric's unit after the change it starts with ({@code within noise:
     * +7.59 ms (+2.8%)}, as push, the alerts and the Regressions page word it;
     * {@link dev.benchmon.chart.MetricUnits#inExplanation}):
     * {@code GET /api/v1/regressions} and notebooks read the same words as the pages.
     */
    private Table withUnitsInExplanations(Table t) {
        if (t.rowCount() == 0) {
            return t;
        }
        tech.tablesaw.api.StringColumn metric = t.stringColumn("metric");
        tech.tablesaw.api.StringColumn why = t.stringColumn("explanation");
        dev.benchmon.chart.MetricUnits units = metricUnits(metric.unique().asList());
        for (int i = 0; i < t.rowCount(); i++) {
            if (!why.isMissing(i)) {
                why.set(i, units.inExplanation(why.get(i), metric.get(i)));
            }
        }
        return t;
    }

    /**
     * The detection engine's verdicts (stored at ingest) of the latest run of the filter's series, per
     * metric: regressions first, then missing metrics, direction-unknown changes, improvements and the rest.
     * {@code options.sensitivity()} / {@code minEffect()} judge again for this call without storing.
     */
    public List<Verdict> regressions(Filter filter, RegressionOptions options) {
        requireKnown(filter);
        Arguments.required(options, "options");
        return detector.verdicts(filter, options);
    }

    /**
     * The simple rule (SQL {@code detect_regressions}): latest run vs the mean of the previous N with a relative
     * threshold, each metric in its direction by {@link #direction(String)}; a metric of unknown direction is never a
     * regression (outcome {@code changed_direction_unknown} past the threshold).
     */
    public List<Verdict> simpleRuleRegressions(Filter filter, RegressionOptions options) {
        Arguments.required(filter, "filter");
        Arguments.required(options, "options");
        return detector.simpleRule(filter, options);
    }

    /** Headline counts: series, runs in the window, models, last ingest. */
    public Summary summary(Filter filter) {
        requireKnown(filter);
        return summaries.summary(filter);
    }

    // ---- alerts and annotations (dev.benchmon.alert) ------------------------------------------

    /** Every alert as a table: {@link #alerts(AlertFilter)} of {@link AlertFilter#all()}. */
    public Table alerts() {
        return alerts(AlertFilter.all());
    }

    /**
     * Alerts matching the filter as a table (id, state, series, metric, change, commit_range, ...), by state: open,
     * acknowledged, muted, expected, then resolved; newest first within a state.
     */
    public Table alerts(AlertFilter filter) {
        Arguments.required(filter, "filter");
        return dev.benchmon.query.ReadableTable.of(Alerts.toTable(alerts.list(filter)));
    }

    /**
     * Acknowledges an alert: {@code who} is on it, with a comment.
     *
     * @throws dev.benchmon.alert.NotFoundException       when there is no such alert
     * @throws dev.benchmon.alert.StateConflictException  when the alert is resolved (open it again first), or expected
     *                                                    while a newer alert of its series and metric is active
     */
    public AlertEvent acknowledge(long alertId, String who, String comment) {
        return alerts.setState(alertId, AlertState.ACKNOWLEDGED, who, comment, "toolkit");
    }

    /**
     * Moves an alert to any state (expected: its run starts the baseline), appending who and why.
     *
     * @throws dev.benchmon.alert.NotFoundException       when there is no such alert
     * @throws dev.benchmon.ValidationException           when {@code who} is blank, or a mute has no comment
     * @throws dev.benchmon.alert.StateConflictException  when the alert's state refuses it: acknowledging or muting a
     *                                                    resolved alert; opening, acknowledging or muting a resolved or
     *                                                    expected one while a newer alert of its series and metric is
     *                                                    active
     */
    public AlertEvent setAlertState(long alertId, AlertState state, String who, String comment) {
        Arguments.required(state, "state");
        return alerts.setState(alertId, state, who, comment, "toolkit");
    }

    /** The alert book (list, history, state changes, {@link Alerts#onFindings}). */
    public Alerts alertBook() {
        return alerts;
    }

    /** Run notes, exclusions and series mutes. */
    public Annotations annotations() {
        return annotations;
    }

    // ---- metadata -----------------------------------------------------------------------------

    /** Names by prefix for type-ahead, and the metrics of a set of series. */
    public dev.benchmon.query.NameSearch names() { return names; }
    public List<String> models() { return catalog.models(); }
    public List<String> datasets() { return catalog.datasets(); }
    public List<String> prompts() { return catalog.prompts(); }
    public List<String> environments() { return catalog.environments(); }
    public List<String> providers() { return catalog.providers(); }
    /**
     * The known names of one kind ({@code environment}, {@code model}, {@code dataset}, {@code prompt},
     * {@code provider}, {@code metric} or {@code tag}): those an {@link UnknownNameException} lists.
     *
     * @throws UnknownNameException for any other kind, listing these
     */
    public List<String> knownNames(String kind) { return catalog.known(Arguments.required(kind, "kind")); }
    /** Tags ({@code key=value}) of the latest result of any series. */
    public List<String> tags() { return catalog.tags(); }
    /** Metric names of any stored result (a metric a series stopped reporting included). */
    public List<String> metrics() { return catalog.metrics(); }
    /**
     * Metric names of the series with id {@code seriesId} (any of its stored results, a metric it stopped reporting
     * included), by name; empty when there is no such series.
     */
    public List<String> seriesMetrics(int seriesId) { return catalog.metricsOfSeries(seriesId); }

    /**
     * Every metric seen or defined: {@code name, direction, unit, description, defined, built_in}; the direction as
     * {@link #direction(String)} gives it ({@code unknown} for a metric neither defined nor in the dictionary);
     * {@code built_in} true for a default definition the schema created that nobody has redefined since.
     */
    public Table metricDefinitions() {
        return catalog.metricDefinitions();
    }

    /**
     * Whether a metric definition names {@code metric}: declared (as {@link #defineMetric(MetricDefinition)} does) or one
     * of the schema's default definitions, whether or not a stored result holds it yet. One statement.
     *
     * @throws dev.benchmon.InvalidArgumentException when {@code metric} is null
     */
    public boolean isDefinedMetric(String metric) {
        return catalog.isDefined(Arguments.required(metric, "metric"));
    }

    /**
     * The units of {@code metrics} as their definitions state them ({@link #metricDefinitions(Collection)}: one
     * statement, none for an empty collection), for wording values and changes in them as {@code benchmon push}, the
     * alerts and the pages do ({@link dev.benchmon.chart.MetricUnits#withUnit}, {@code inExplanation}).
     */
    public dev.benchmon.chart.MetricUnits metricUnits(Collection<String> metrics) {
        Arguments.required(metrics, "metrics");
        return dev.benchmon.chart.MetricUnits.of(metrics.isEmpty() ? null : metricDefinitions(metrics));
    }

    /**
     * {@link #metricDefinitions()} of these metrics only (one row each that is seen or defined), read by name in
     * one statement: for charts of a few metrics ({@code Charts.trend(..., definitions)} takes units from it)
     * without reading every metric name.
     */
    public Table metricDefinitions(Collection<String> metrics) {
        return catalog.metricDefinitions(Arguments.requiredElements(metrics, "metrics"));
    }

    /**
     * Defines (or redefines) which way is better for a metric, its unit and description; the stored verdicts of the
     * series that report it are judged again at once ({@link #defineMetrics}).
     */
    public Benchmon defineMetric(String name, MetricDirection direction, String unit, String description) {
        Arguments.required(name, "name");
        Arguments.required(direction, "direction");
        primaryCatalog.defineMetric(name, direction, unit, description);
        rejudgeAfterDefining(List.of(name));
        return this;
    }

    /**
     * Judges again the series whose stored verdicts judge {@code metrics}, once their definitions are committed. A
     * failure here leaves the definitions stored, and says so: the caller (a PUT answering 500) would otherwise read
     * that nothing was defined. Pushes meanwhile are safe both ways: those in flight when the definitions were stored
     * committed first (the definition took {@link dev.benchmon.db.IngestLock} exclusive), and the judging again takes
     * the same lock before it reads, to its last store: pushes wait for it (about 2 s for 900 series), none commits
     * between a read and its store.
     */
    private void rejudgeAfterDefining(List<String> metrics) {
        try {
            detection.recomputeSeriesJudging(metrics);
        } catch (RuntimeException e) {
            throw new DatabaseException("the definition of " + metrics + " is stored, but judging the stored verdicts of "
                    + "their series again failed (" + e.getMessage() + "); they follow on each series' next result, or "
                    + "at once with 'benchmon metrics recompute'", e);
        }
    }

    /**
     * Declares metrics (direction, unit, minimum effect, description), replacing earlier definitions of
     * the same names, then judges again the newest run of every series whose stored verdicts judge one of them
     * ({@link DetectionService#recomputeSeriesJudging}): the regressions, the dashboard and the API show the new
     * judgement at once (a latency defined lower-is-better is no longer reported as improved). Alerts follow on a
     * series' next result (or {@code benchmon metrics recompute --open-alerts}). The judging costs about 1.5 ms a
     * series (900 series of 100,000 results: 1.3 s, 2026-12-07).
     */
    public Benchmon defineMetrics(MetricDefinition... definitions) {
        List<MetricDefinition> declared = Arguments.requiredElements(
                java.util.Arrays.asList(Arguments.required(definitions, "definitions")), "definitions");
        requireValidDefinitions(declared);
        jdbi().useTransaction(h -> {
            // Exclusive, first: pushes in flight (which may have read the old definitions) commit before this, and the
            // judging after it sees their runs; pushes after it read the new definitions.
            dev.benchmon.db.IngestLock.exclusive(h);
            define(h, declared);
        });
        rejudgeAfterDefining(declared.stream().map(MetricDefinition::name).toList());
        return this;
    }

    /** Refuses a definition whose name, unit or description {@code PUT /api/v1/metrics/{name}} would refuse. */
    private void requireValidDefinitions(List<MetricDefinition> definitions) {
        for (MetricDefinition d : definitions) {
            catalog.requireValidName(d.name());
            String prefix = definitions.size() == 1 ? "" : d.name() + ".";
            List<ValidationException.Problem> problems = MetricDefinition.textProblems(d.unit(), prefix + "unit",
                    d.description(), prefix + "description");
            if (!problems.isEmpty()) {
                throw new ValidationException(problems);
            }
        }
    }

    /**
     * Stores the definitions a pushed or imported file states ({@code metric_definitions}, a tool's own directions)
     * for the metrics that have none yet, on the caller's transaction: a definition someone made (the CLI's
     * {@code metrics define}, {@code PUT /api/v1/metrics/NAME}, {@link #defineMetrics}) is kept, so one CI job's file
     * cannot turn a metric's direction around for every series. The explicit calls redefine.
     */
    private static void defineStated(org.jdbi.v3.core.Handle h, List<MetricDefinition> stated) {
        if (stated.isEmpty()) {
            return;
        }
        // The ingest lock first, as every writer and an explicit definition take it (IngestLock: no two transactions
        // wait for each other); then the lock define_metric takes: no definition commits between this look and the
        // writes below.
        dev.benchmon.db.IngestLock.shared(h);
        h.createQuery("SELECT pg_advisory_xact_lock(hashtext('benchmon.metric_definitions'))::text").mapTo(String.class).one();
        Set<String> defined = new java.util.HashSet<>(h.createQuery("SELECT name FROM metric_definitions WHERE name = ANY (:names)")
                .bind("names", stated.stream().map(MetricDefinition::name).toArray(String[]::new)).mapTo(String.class).list());
        define(h, stated.stream().filter(d -> !defined.contains(d.name())).toList());
    }

    /** Stores {@code definitions} on the caller's transaction {@code h} (with the results they came with, if any). */
    private static void define(org.jdbi.v3.core.Handle h, List<MetricDefinition> definitions) {
        for (MetricDefinition d : definitions) {
            // Through the SECURITY DEFINER function, which records who changed what.
            h.createQuery("""
                    SELECT define_metric(p_name => :n, p_direction => :d, p_unit => :u, p_description => :desc,
                                         p_min_effect => :m, p_relative_min_effect => :rm, p_changed_by => :by)::text""")
                    .bind("n", d.name()).bind("d", d.direction().sqlName()).bind("u", d.unit()).bind("m", d.minEffect())
                    .bind("rm", d.relativeMinEffect())
                    .bind("desc", d.description()).bind("by", System.getProperty("user.name"))
                    .mapTo(String.class).findOne();
        }
    }

    /** {@link #defineMetrics} for one definition. */
    public Benchmon defineMetric(MetricDefinition definition) {
        return defineMetrics(definition);
    }

    /**
     * Which way is better for a metric, by the detection engine's rule: its definition, else the built-in
     * dictionary's direction for its name, else {@link MetricDirection#UNKNOWN} (never judged a regression).
     */
    public MetricDirection direction(String metric) {
        return catalog.direction(Arguments.required(metric, "metric"));
    }

    // ---- plumbing -----------------------------------------------------------------------------

    /** Jdbi on benchmon's pool, for SQL of your own (bind every value). */
    public Jdbi jdbi() {
        return database.jdbi();
    }

    /**
     * Jdbi on the pool the queries use: the read replica's ({@code BENCHMON_DB_READ_URL}) when one is set, else
     * the same as {@link #jdbi()}. Read-only on a replica; a write through it fails.
     */
    public Jdbi readJdbi() {
        return reads.jdbi();
    }

    /** The open database (pool, settings, embedded server). */
    public Database database() {
        return database;
    }

    /** {@code true} when the database answers. */
    public boolean isHealthy() {
        return database.isHealthy();
    }

    /** {@code true} when the queries read a replica of their own ({@code BENCHMON_DB_READ_URL}), not the database. */
    public boolean hasReadReplica() {
        return reads != database;
    }

    /** {@code true} when the database the queries read answers: the read replica when one is set, else the database. */
    public boolean isReadHealthy() {
        return reads.isHealthy();
    }

    /**
     * Closes the pool; stops the embedded server if this process started it. Afterwards every query or write fails
     * with a {@link DatabaseException} saying this Benchmon is closed ({@link Database#CLOSED}).
     */
    @Override
    public void close() {
        if (reads != database) {
            reads.close();
        }
        database.close();
    }

    /** E.g. {@code Benchmon[jdbc:postgresql://localhost:5432/benchmon user=postgres (embedded ...)]}; never shows a password. */
    @Override
    public String toString() {
        return "Benchmon[" + database + (reads == database ? "" : ", reads " + reads) + "]";
    }
}
