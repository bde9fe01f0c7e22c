package dev.benchmon.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.DatabaseException;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.RecordOutcome;
import dev.benchmon.db.IngestLock;
import dev.benchmon.ingest.ResultJson;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * Runs the engine against the database: judges the series a batch touched right after it is stored,
 * stores the verdicts, change points and findings through {@code store_detections(...)}, and
 * recomputes every series on demand.
 *
 * <p>The entry point at ingest is {@link #judgeTouched(Handle, Set, Set, Map)}: given the ids of the
 * series a write touched, it costs two statements whatever the batch size (one query for the histories,
 * alert memory and annotations of all touched series and the definitions; one set-based store) and reads at
 * most {@value #HISTORY_LIMIT} rows per series (the bounded window a verdict needs: change points over
 * {@code HISTORY_WINDOWS * window} runs, never the whole log). A full recompute
 * ({@link #recomputeAll}) reads the same bounded windows in batches of {@value #BATCH} series, judges
 * on every core and stores each batch with one statement; {@link #judgeNewest} (per-request settings, alerting on
 * every series) reads and judges in the same batches, one at a time in memory.
 */
public final class DetectionService {
    /** Rows of one series a verdict reads: the change-point history plus the newest runs judged with it. */
    static final int HISTORY_LIMIT = MetricJudge.HISTORY_WINDOWS * DetectionSettings.DEFAULT_WINDOW + 10;
    /** Series per load-judge-store batch of a full recompute or of the pass after an import. */
    static final int BATCH = 200;
    /** Pushed runs plus series in a batch from which its series are judged in parallel. */
    static final int PARALLEL_RUNS = 64;
    /**
     * Most batches judged at once by a recompute: each holds a pooled connection and a transaction, and the
     * pool (ten connections) also serves the server's requests.
     */
    static final int MAX_RECOMPUTE_THREADS = 4;

    private final Jdbi jdbi;

    /**
     * Annotations every recompute honours (excluded runs, expected changes); {@link DetectionInputs#NONE}
     * until {@link #useInputs} is called.
     */
    private volatile DetectionInputs defaultInputs = DetectionInputs.NONE;

    /** What a judgement stores, and on whose transaction. */
    private enum Store {
        /** Nothing (per-request settings, a preview, a read). */
        NOTHING,
        /** The newest runs' verdicts, on the writer's own transaction: its runs are the newest it knows. */
        IN_WRITE,
        /**
         * The newest runs' verdicts, in a transaction of its own after the runs committed (a recompute, a definition's
         * or an exclusion's judging again): under the ingest lock taken exclusive before the histories are read
         * ({@link IngestLock}), so that no push commits between the read and the store. Else a push's newer (or late)
         * run, or a definition, exclusion or baseline reset committed meanwhile, would be overwritten by a verdict
         * judged without it until the series' next result.
         */
        AGAIN,
        /** As {@link #AGAIN}, where the caller holds the ingest lock for the whole recompute (its batches side by side). */
        AGAIN_UNDER_LOCK
    }

    /** Sets what recomputes without explicit inputs honour (the alerts layer's exclusions). */
    public void useInputs(DetectionInputs inputs) {
        this.defaultInputs = inputs == null ? DetectionInputs.NONE : inputs;
    }

    /** The inputs recomputes honour by default. */
    public DetectionInputs inputs() {
        return defaultInputs;
    }

    /** Recomputes and stores the verdicts of one series (after one of its runs was excluded, say). */
    public void recomputeSeries(int seriesId) {
        jdbi.useTransaction(h -> judgeBatch(h, Set.of(seriesId), Set.of(), Set.of(), Map.of(), DetectionOverrides.NONE, defaultInputs, Store.AGAIN));
    }

    public DetectionService(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One stored run of a series: the log row's fields the engine reads. */
    record Run(long id, Instant runAt, JsonNode metrics, JsonNode stderr, JsonNode n, String commitSha) {
        Observation observation(String metric) {
            JsonNode v = metrics.get(metric);
            if (v == null || !v.isNumber()) {
                return null;
            }
            double se = stderr != null && stderr.path(metric).isNumber() ? stderr.get(metric).asDouble() : Double.NaN;
            long size = n != null && n.path(metric).canConvertToLong() ? n.get(metric).asLong() : 0;
            return new Observation(id, runAt, v.asDouble(), se, size, commitSha);
        }
    }

    /** Declared metric definitions by name. */
    public Map<String, MetricDefinition> definitions() {
        return jdbi.withHandle(DetectionService::definitionsIn);
    }

    /**
     * THE detection entry point at ingest: judges the series a write just touched and stores their
     * verdicts, change points and findings, in the caller's transaction {@code h} (the writer's own, or
     * one right after it). Each pushed run is judged against the runs before it, and reported late when a
     * newer run of its series was stored before this push; each series' newest run is judged and stored.
     *
     * <p>Cost: two statements whatever the number of series (one query reads the bounded histories, alert
     * memory and triage annotations of all touched series and the metric definitions; one set-based
     * store), and at most {@value #HISTORY_LIMIT} log rows per series.
     *
     * @param seriesIds       ids of the touched series ({@code series.id}); may be empty when {@code pushed} is given
     * @param pushed          transaction ids of the runs just stored: their series are judged too, and their
     *                        verdicts returned (may be empty)
     * @param fileDefinitions definitions that came with the batch (a pushed file's {@code metric_definitions}),
     *                        which win over stored ones for this judgement
     * @return verdicts by transaction id: every pushed run and each touched series' newest run
     */
    public Map<Long, RunVerdicts> judgeTouched(Handle h, Set<Integer> seriesIds, Set<Long> pushed,
                                               Map<String, MetricDefinition> fileDefinitions) {
        try {
            return judgeBatch(h, seriesIds, pushed, pushed, fileDefinitions, DetectionOverrides.NONE, defaultInputs, Store.IN_WRITE);
        } catch (JdbiException e) {
            throw wrapped(e);
        }
    }

    private static RuntimeException wrapped(JdbiException e) {
        String state = DatabaseException.sqlStateOf(e);
        if ("40P01".equals(state) || "40001".equals(state)) {
            return e; // transient: the writer runs the write and this judgement again
        }
        return new DatabaseException("detection after ingest failed: " + e.getMessage(), e);
    }

    /**
     * What a push's judgement found ({@link #judgeIngest}).
     *
     * @param verdicts         by transaction id, as {@link #judgeTouched} returns them
     * @param withActiveAlerts touched series that had an open, acknowledged or muted alert when read (the
     *                         only ones a finding of a run back within noise can change)
     * @param withChangePoints touched series that hold stored change points after the store (the only ones
     *                         whose change-point findings can be non-empty)
     * @param definitions      the metric definitions the judgement read in the caller's transaction, by name (those
     *                         the write stated before it included): what its verdicts were judged by, and what its
     *                         report's units and warnings can use without reading them again
     */
    public record IngestJudgement(Map<Long, RunVerdicts> verdicts, Set<Integer> withActiveAlerts,
                                  Set<Integer> withChangePoints, Map<String, MetricDefinition> definitions) {
        public IngestJudgement {
            withActiveAlerts = Set.copyOf(withActiveAlerts);
            withChangePoints = Set.copyOf(withChangePoints);
            definitions = Map.copyOf(definitions);
        }
    }

    /**
     * {@link #judgeTouched} for the runs of a push (same reads, same store, same statement count), also
     * telling which series the alerts layer needs to look at, so a quiet push skips those statements.
     *
     * @param written the push's outcomes: a result whose idempotency key was already present is judged again
     *                but is no new arrival, so it is never late
     */
    public IngestJudgement judgeIngest(Handle h, List<RecordOutcome> written) {
        try {
            // Planning was about as long as running the history query. Only for this judgement, not the rest of the
            // transaction: the mode it had is put back by the store's own statement (a round trip less per push).
            String was = dev.benchmon.db.GenericPlans.forThisTransaction(h);
            return judgeBatch(h, Set.of(), transactions(written), created(written), Map.of(), DetectionOverrides.NONE,
                    defaultInputs, Store.IN_WRITE, true, was);
        } catch (JdbiException e) {
            throw wrapped(e);
        }
    }

    /** The verdicts {@link #judgeTouched} would give the results of a write under per-request settings (by the outcome's index), storing nothing. */
    public Map<Integer, RunVerdicts> afterIngestPreview(List<BenchmarkResult> results, List<RecordOutcome> outcomes,
                                                        DetectionOverrides overrides, DetectionInputs inputs) {
        return jdbi.withHandle(h -> byIndex(outcomes,
                judgeBatch(h, Set.of(), transactions(outcomes), created(outcomes), Map.of(), overrides, inputs, Store.NOTHING)));
    }

    /** The transaction ids of a write's outcomes. */
    public static Set<Long> transactions(List<RecordOutcome> outcomes) {
        Set<Long> out = new java.util.HashSet<>();
        outcomes.forEach(o -> out.add(o.transactionId()));
        return out;
    }

    /** The transaction ids of the runs a write stored (not those whose idempotency key was already present). */
    private static Set<Long> created(List<RecordOutcome> outcomes) {
        Set<Long> out = new java.util.HashSet<>();
        outcomes.stream().filter(RecordOutcome::created).forEach(o -> out.add(o.transactionId()));
        return out;
    }

    /** Verdicts by transaction id re-keyed by the outcome's index in its batch. */
    public static Map<Integer, RunVerdicts> byIndex(List<RecordOutcome> outcomes, Map<Long, RunVerdicts> judged) {
        Map<Integer, RunVerdicts> out = new HashMap<>();
        for (RecordOutcome o : outcomes) {
            RunVerdicts v = judged.get(o.transactionId());
            if (v != null) {
                out.put(o.index(), v);
            }
        }
        return out;
    }

    /**
     * Recomputes and stores the verdicts of every series (after definitions or settings changed); returns
     * the series count. Series are judged in batches of {@value #BATCH}: each batch's bounded histories are
     * read with one query, judged, and stored with one statement in its own transaction; batches run on
     * every available core.
     */
    public int recomputeAll(DetectionOverrides overrides, DetectionInputs inputs) {
        List<Integer> ids = jdbi.withHandle(h -> h.createQuery("SELECT id FROM series ORDER BY id").mapTo(Integer.class).list());
        recomputeInBatches(ids, overrides, inputs, run -> false);
        return ids.size();
    }

    /**
     * Recomputes and stores the verdicts of the series whose stored verdicts judge any of {@code metrics}, as
     * {@link #recomputeAll} does for every series: after those metrics' definitions changed (direction, unit, minimum
     * effect), so that the regressions, the dashboard and the API show the new judgement at once, not from each
     * series' next result on. The series are found by {@code detection_verdicts}' metric index; a series whose newest
     * run does not report the metric holds no verdict of it, and keeps what it has.
     *
     * @return the number of series judged again
     */
    public int recomputeSeriesJudging(java.util.Collection<String> metrics) {
        List<Integer> ids = jdbi.withHandle(h -> h.createQuery(
                        "SELECT DISTINCT series_id FROM detection_verdicts WHERE metric = ANY (:m) ORDER BY 1")
                .bind("m", metrics.toArray(String[]::new)).mapTo(Integer.class).list());
        recomputeInBatches(ids, DetectionOverrides.NONE, defaultInputs, run -> false);
        return ids.size();
    }

    /**
     * Judges and stores the series {@code ids} in batches of {@value #BATCH}, each read, judged and stored in its own
     * transaction, up to {@value #MAX_RECOMPUTE_THREADS} batches at once on as many cores (while one batch waits for
     * the database, another is judged). A batch run beside others judges its series one after another: the pool
     * already keeps the cores busy, and a parallel stream inside would only add threads and hold each batch's
     * transaction longer. No push commits from the first read to the last store: one batch takes the ingest lock in
     * its transaction, several run under it held for their session ({@link IngestLock}); pushes wait meanwhile (900
     * series: about 2 s).
     *
     * @param newest which of what was stored to hand back: each judged series' newest run's verdicts whose run id it
     *               accepts, by series id in the order of {@code ids} (a recompute of every series keeps none)
     */
    private Map<Integer, RunVerdicts> recomputeInBatches(List<Integer> ids, DetectionOverrides overrides,
                                                         DetectionInputs inputs, java.util.function.LongPredicate newest) {
        List<Set<Integer>> batches = batches(ids);
        Map<Integer, RunVerdicts> out = new LinkedHashMap<>();
        java.util.function.Consumer<Map<Long, RunVerdicts>> keep = judged -> {
            judged.values().stream().filter(v -> newest.test(v.transactionId())) // (no run was pushed: only the newest runs)
                    .forEach(v -> out.put(v.seriesId(), v));
        };
        if (batches.size() <= 1) {
            batches.forEach(batch -> keep.accept(jdbi.inTransaction(h ->
                    judgeBatch(h, batch, Set.of(), Set.of(), Map.of(), overrides, inputs, Store.AGAIN))));
            return out;
        }
        int threads = Math.min(MAX_RECOMPUTE_THREADS, Math.min(Runtime.getRuntime().availableProcessors(), batches.size()));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "benchmon-recompute");
            t.setDaemon(true);
            return t;
        });
        // The batches run side by side, each in its own transaction, while the first connection holds the ingest lock
        // for all of them (no push commits between a batch's read and its store, and the cores stay busy). The
        // connections are taken before the lock: pushes waiting for it hold theirs, and could take the last ones.
        java.util.concurrent.BlockingQueue<Handle> handles = new java.util.concurrent.ArrayBlockingQueue<>(threads);
        List<Handle> opened = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                opened.add(jdbi.open());
            }
            handles.addAll(opened);
            IngestLock.exclusiveForSession(opened.get(0));
            List<java.util.concurrent.Future<Map<Long, RunVerdicts>>> done = new ArrayList<>();
            for (Set<Integer> batch : batches) {
                done.add(pool.submit(() -> {
                    Handle mine = handles.take();
                    try {
                        return mine.inTransaction(h -> judgeBatch(h, batch, Set.of(), Set.of(), Map.of(), overrides,
                                inputs, Store.AGAIN_UNDER_LOCK, false, null).verdicts());
                    } finally {
                        handles.add(mine);
                    }
                }));
            }
            for (java.util.concurrent.Future<Map<Long, RunVerdicts>> f : done) {
                keep.accept(f.get()); // in the batches' order, so by series id as given
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseException("recompute interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new DatabaseException("recompute failed: " + c.getMessage(), c);
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES); // no batch left on a handle closed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!opened.isEmpty()) {
                try {
                    IngestLock.releaseSession(opened.get(0));
                } finally {
                    opened.forEach(Handle::close); // closing the session would release the lock too
                }
            }
        }
    }

    /**
     * Recomputes and stores the verdicts of the series these results belong to (after a bulk import), as
     * {@link #recomputeAll} does: each series' newest run that counts (an excluded run, or an attempt a CI re-run
     * superseded, is no run of its series), at each metric's own settings, with the series' alert memory as stored
     * before, honouring {@link #inputs()}.
     *
     * @param keep which runs' verdicts to hand back (by run id): {@code run -> false} keeps none, so that a load
     *             touching many series holds no verdicts it will not alert on
     * @return the verdicts just stored that {@code keep} accepts: the newest run's of each of those series that has a
     *         run to judge, by series id ascending. They are what the alerts of the import are raised from ({@code Benchmon.importAlerting}),
     *         as a push raises them from the verdicts it stores: a second judgement would read the alert memory these
     *         stored, and take a shift they report for one already alerted
     */
    public Map<Integer, RunVerdicts> recomputeSeriesOf(List<BenchmarkResult> results, java.util.function.LongPredicate keep) {
        Map<String, BenchmarkResult> one = new LinkedHashMap<>();
        results.forEach(r -> one.putIfAbsent(r.series(), r));
        List<Integer> all = jdbi.withHandle(h -> h.createQuery("""
                        SELECT s.id FROM unnest(CAST(:m AS text[]), CAST(:d AS text[]), CAST(:p AS text[]), CAST(:e AS text[]))
                             AS k(m, d, p, e)
                        JOIN series s ON s.model_version = k.m AND s.dataset_version = k.d
                         AND s.prompt_version = k.p AND s.environment = k.e
                        ORDER BY s.id""")
                .bind("m", one.values().stream().map(BenchmarkResult::modelVersion).toArray(String[]::new))
                .bind("d", one.values().stream().map(BenchmarkResult::datasetVersion).toArray(String[]::new))
                .bind("p", one.values().stream().map(BenchmarkResult::promptVersion).toArray(String[]::new))
                .bind("e", one.values().stream().map(BenchmarkResult::environment).toArray(String[]::new))
                .mapTo(Integer.class).list());
        return recomputeInBatches(all, DetectionOverrides.NONE, defaultInputs, keep);
    }

    /** {@code ids} in batches of {@value #BATCH}, in their order. */
    private static List<Set<Integer>> batches(List<Integer> ids) {
        List<Set<Integer>> batches = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BATCH) {
            batches.add(new java.util.LinkedHashSet<>(ids.subList(from, Math.min(ids.size(), from + BATCH))));
        }
        return batches;
    }

    /**
     * Judges the newest run of each given series without storing anything (per-request settings), as
     * {@link #judgeNewest(Handle, List, DetectionOverrides, DetectionInputs, java.util.function.Consumer)} does, and
     * keeps every series' verdicts: by series id, by ascending series id within each batch of {@value #BATCH} of
     * {@code seriesIds} (a series with no run to judge is absent). The answer holds a verdict per series and metric: for every series of a database, take them batch by
     * batch instead.
     */
    public Map<Integer, RunVerdicts> judgeNewest(List<Integer> seriesIds, DetectionOverrides overrides, DetectionInputs inputs) {
        Map<Integer, RunVerdicts> out = new LinkedHashMap<>();
        jdbi.useHandle(h -> judgeNewest(h, seriesIds, overrides, inputs,
                batch -> batch.forEach(v -> out.put(v.seriesId(), v))));
        return out;
    }

    /**
     * Judges the newest run that counts of each given series without storing anything, on {@code h}, in batches of
     * {@value #BATCH} series: each batch's histories are read with one query ({@value #HISTORY_LIMIT} rows per series
     * at most, the window a verdict reads, as a push and a recompute read them), judged, and handed to
     * {@code eachBatch} before the next batch is read. So memory holds one batch's histories and verdicts, whatever
     * the number of series and of their results (in one query, the 900 series of 200,000 results ran a 128 MB heap
     * out).
     *
     * @param seriesIds ids of the series ({@code series.id}), judged in this order
     * @param overrides per-request settings ({@link DetectionOverrides#NONE}: each metric's own)
     * @param inputs    the triage annotations to honour
     * @param eachBatch called once per batch with the newest run's verdicts of each of its series that has a run to
     *                  judge (an excluded run is no run of its series), by ascending series id (within
     *                  the batch; the batches follow the order of {@code seriesIds})
     */
    public void judgeNewest(Handle h, List<Integer> seriesIds, DetectionOverrides overrides, DetectionInputs inputs,
                            java.util.function.Consumer<Collection<RunVerdicts>> eachBatch) {
        for (Set<Integer> batch : batches(seriesIds)) {
            // no run was pushed: only each series' newest run is judged
            eachBatch.accept(judgeBatch(h, batch, Set.of(), Set.of(), Map.of(), overrides, inputs, Store.NOTHING).values());
        }
    }

    /**
     * The verdicts of the newest run that counts of each given series as the engine stored them, batch by batch as
     * {@link #judgeNewest(Handle, List, DetectionOverrides, DetectionInputs, java.util.function.Consumer)} hands them
     * (each metric's own settings, {@link #inputs()}): what a push or an import that stored that run raised its alerts
     * from. A metric whose stored verdict ({@code detection_verdicts}) is of that run is that verdict, as
     * {@link #judgeStoredRun} shows it: it is not judged again, since the alert memory kept is the one after that
     * judgement, and a second judgement would take a shift it reported for the first time for one already alerted.
     * Its change points (with the run and before it) are those of the run's history, which the alert memory does not
     * change. A metric without a stored verdict of that run (none was stored, or one of an older run stands), or
     * whose stored verdict was judged at another direction, sensitivity or minimum effect than the metric's now (it
     * was defined again since: {@code metrics define} recomputes no stored verdict), is judged now.
     */
    public void newestAsStored(Handle h, List<Integer> seriesIds,
                               java.util.function.Consumer<Collection<RunVerdicts>> eachBatch) {
        judgeNewest(h, seriesIds, DetectionOverrides.NONE, defaultInputs, judged -> {
            Map<Integer, Map<String, StoredVerdict>> stored = new HashMap<>();
            storedVerdicts(h, judged.stream().map(RunVerdicts::seriesId).toList())
                    .forEach(v -> stored.computeIfAbsent(v.seriesId(), k -> new HashMap<>()).put(v.metric(), v));
            eachBatch.accept(judged.stream().map(rv -> asStored(rv, stored.getOrDefault(rv.seriesId(), Map.of()))).toList());
        });
    }

    /**
     * A run's judgement now with each metric's stored verdict in its place where that verdict is of the run and was
     * judged at the metric's settings now: the one rule of {@link #newestAsStored} and {@link #judgeStoredRun}, so that
     * the alerts and the run page never tell a run's verdict two ways. A verdict judged under another direction,
     * sensitivity or minimum effect (the metric was defined again since, which recomputes no stored verdict) would
     * replay a stale outcome: the judgement now stands for it.
     *
     * @param stored the stored verdicts of the run's series by metric (of whichever run each is)
     */
    private static RunVerdicts asStored(RunVerdicts judged, Map<String, StoredVerdict> stored) {
        List<MetricVerdict> metrics = new ArrayList<>(judged.metrics().size());
        for (MetricVerdict mv : judged.metrics()) {
            StoredVerdict v = stored.get(mv.metric());
            boolean ofThisRun = v != null && v.transactionId() == judged.transactionId() && v.judgedAsNow(mv);
            metrics.add(ofThisRun ? new MetricVerdict(mv.metric(), mv.semantics(), mv.settings(), v.judgement(mv.judgement())) : mv);
        }
        return new RunVerdicts(judged.transactionId(), judged.seriesId(), judged.late(), judged.newest(), metrics);
    }

    /**
     * The engine's verdicts of one stored run, storing nothing: what the run page shows. One rule, so that the page
     * never tells a run's verdict otherwise than the engine told it:
     * <ul>
     *   <li>a metric whose stored verdict ({@code detection_verdicts}) is of this run, judged at the metric's settings
     *       now (the rule of {@link #asStored}, which the alerts of a push or an import follow): that verdict, as the engine
     *       gave it with the series' alert memory (a regression whose shift was already alerted does not alert again;
     *       a change point already reported leaves the run ok). It is not judged again: the memory kept is the one
     *       after this run, not the one it was judged with, and a second judgement could tell otherwise;</li>
     *   <li>any other metric of the run (a newer run's verdict replaced its own, none was stored, or the metric was
     *       defined again since with another direction, sensitivity or minimum effect): the engine's
     *       judgement now against the runs of its series before it that count (not excluded, the latest attempt of
     *       each CI run, from the metric's baseline reset on, within the same bounded window a push reads), as a run
     *       pushed now is judged, never late and without the alert memory (as a back-fill: the memory the engine
     *       held when it judged the run is not kept).</li>
     * </ul>
     * The run is found by its series and {@code run_at} as well as its id, so only the log's months up to its
     * {@code run_at} are read (by the id alone, every month's key would be probed).
     *
     * @param seriesId      the run's {@code series_id}
     * @param runAt         the run's {@code run_at}
     * @param transactionId the run's id ({@code benchmark_transactions.id})
     * @return empty when the series holds no run with this id and run_at, or the run is excluded or an attempt a CI
     *         re-run superseded (no run of its series' history, so never judged: its stored verdicts, if any, are
     *         not shown either)
     */
    public java.util.Optional<RunVerdicts> judgeStoredRun(int seriesId, Instant runAt, long transactionId) {
        return jdbi.withHandle(h -> {
            Loaded loaded = load(h.createQuery(LOAD_UNTIL_SQL).bind("until", transactionId)
                    .bind("until_at", OffsetDateTime.ofInstant(runAt, java.time.ZoneOffset.UTC)), Set.of(seriesId), Set.of());
            SeriesHistory sh = loaded.series().get(seriesId);
            if (sh == null) {
                return java.util.Optional.<RunVerdicts>empty();
            }
            List<Run> runs = List.copyOf(sh.runs()); // (judgeSeries drops the excluded runs from sh.runs())
            SeriesHistory alone = new SeriesHistory(sh.seriesId(), sh.runs(), Map.of(), sh.excluded(), sh.resets(),
                    sh.activeAlerts(), sh.changePointMetrics());
            JudgedSeries js = judgeSeries(alone, Set.of(transactionId), Set.of(), loaded.definitions(), DetectionOverrides.NONE);
            RunVerdicts judged = js == null ? null : js.verdicts().get(transactionId);
            if (judged == null) {
                return java.util.Optional.<RunVerdicts>empty();
            }
            Map<String, StoredVerdict> stored = new HashMap<>();
            storedVerdicts(h, seriesId, transactionId, runs).forEach(v -> stored.put(v.metric(), v));
            return java.util.Optional.of(asStored(judged, stored));
        });
    }

    /**
     * The verdicts stored for run {@code transactionId} of series {@code seriesId} ({@code detection_verdicts}), as the
     * engine gave them; the runs before and after a shift are found among {@code runs} (its bounded history), else
     * known by id and commit only. The stored verdict keeps no change points: those stored are the series' now.
     */
    private static List<StoredVerdict> storedVerdicts(Handle h, int seriesId, long transactionId, List<Run> runs) {
        return h.createQuery(STORED_VERDICTS + "series_id = :series AND transaction_id = :tx")
                .bind("series", seriesId).bind("tx", transactionId)
                .map((rs, ctx) -> storedVerdict(rs, (tx, metric) -> observationIn(runs, tx, metric)))
                .list();
    }

    /** Every verdict stored for the series {@code seriesIds} (of whichever run each metric's is). */
    private static List<StoredVerdict> storedVerdicts(Handle h, Collection<Integer> seriesIds) {
        return h.createQuery(STORED_VERDICTS + "series_id = ANY (:series)")
                .bind("series", seriesIds.toArray(Integer[]::new))
                .map((rs, ctx) -> storedVerdict(rs, (tx, metric) -> null))
                .list();
    }

    private static final String STORED_VERDICTS = """
            SELECT series_id, transaction_id, metric, outcome, method, direction, sensitivity, baseline, current, delta, sd, z, min_effect,
                   baseline_runs, alert, late, tx_before, commit_before, tx_after, commit_after, explanation,
                   alerted_shift_tx, alerted_shift_sign
            FROM detection_verdicts WHERE\s""";

    /**
     * One stored verdict ({@code detection_verdicts}): its series, metric and run, and the judgement as the engine gave
     * it (with the alert memory it kept; no change points: those stored are the series' now).
     */
    private record StoredVerdict(int seriesId, String metric, long transactionId, MetricJudgement judgement,
                                 String direction, double sensitivity) {
        /**
         * Whether this verdict was judged at the settings {@code judged} (a judgement of the same run now) was: the
         * same direction ({@code null}: unknown), sensitivity and minimum effect (NaN: none).
         */
        boolean judgedAsNow(MetricVerdict judged) {
            MetricDirection now = judged.semantics().direction();
            return java.util.Objects.equals(direction, now == null ? null : now.sqlName())
                    && Double.compare(sensitivity, judged.settings().sensitivity()) == 0
                    && Double.compare(judgement.minEffect(), judged.judgement().minEffect()) == 0;
        }

        /**
         * The stored judgement with the change points of {@code judged}, a judgement of the same run now (those of its
         * history, with the run and before it, which the alert memory does not change), and its observations of the
         * runs before and after the shift where it names the same runs.
         */
        MetricJudgement judgement(MetricJudgement judged) {
            MetricJudgement j = judgement;
            return new MetricJudgement(j.outcome(), j.method(), j.baseline(), j.current(), j.delta(), j.sd(), j.z(),
                    j.minEffect(), j.baselineRuns(), j.alert(), j.late(), same(j.lastBefore(), judged.lastBefore()),
                    same(j.firstAfter(), judged.firstAfter()), judged.changePoints(), j.state(), j.text(), false,
                    judged.historyChangePoints());
        }

        private static Observation same(Observation stored, Observation judged) {
            boolean sameRun = stored != null && judged != null && stored.transactionId() == judged.transactionId();
            return sameRun ? judged : stored;
        }
    }

    /** A run's observation of a metric, or null when not known (a stored verdict's run before or after its shift). */
    private interface KnownRuns {
        Observation of(long transactionId, String metric);
    }

    private static StoredVerdict storedVerdict(java.sql.ResultSet rs, KnownRuns runs) throws java.sql.SQLException {
        String metric = rs.getString("metric");
        Outcome outcome = Outcome.parse(rs.getString("outcome"));
        MetricJudgement j = new MetricJudgement(outcome, rs.getString("method"),
                number(rs, "baseline"), number(rs, "current"), number(rs, "delta"), number(rs, "sd"),
                number(rs, "z"), number(rs, "min_effect"), rs.getInt("baseline_runs"), rs.getBoolean("alert"),
                rs.getBoolean("late"), storedRun(rs, "tx_before", "commit_before", metric, runs),
                storedRun(rs, "tx_after", "commit_after", metric, runs), List.of(),
                new AlertState(rs.getLong("alerted_shift_tx"), rs.getInt("alerted_shift_sign")),
                // The explanation was stored as MetricVerdict.text() made it: its judgement's text is what that wraps.
                MetricVerdict.judgementText(metric, outcome, rs.getString("explanation")),
                false); // (not stored: read back, it is never below_min_effect)
        return new StoredVerdict(rs.getInt("series_id"), metric, rs.getLong("transaction_id"), j,
                rs.getString("direction"), rs.getDouble("sensitivity"));
    }

    /** A stored verdict's run ({@code txColumn}): its observation of {@code metric} if known, else id and commit. */
    private static Observation storedRun(java.sql.ResultSet rs, String txColumn, String commitColumn, String metric,
                                         KnownRuns runs) throws java.sql.SQLException {
        long tx = rs.getLong(txColumn);
        if (rs.wasNull()) {
            return null;
        }
        Observation o = runs.of(tx, metric);
        return o != null ? o : new Observation(tx, null, Double.NaN, Double.NaN, 0, rs.getString(commitColumn));
    }

    /** Run {@code tx}'s observation of {@code metric} among {@code runs}, or null. */
    private static Observation observationIn(List<Run> runs, long tx, String metric) {
        for (Run r : runs) {
            Observation o = r.id() == tx ? r.observation(metric) : null;
            if (o != null) {
                return o;
            }
        }
        return null;
    }

    private static double number(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    /** When each stored change point of one series and metric starts (the first run of the new segment), oldest first. */
    public List<Instant> changePointTimes(String model, String dataset, String prompt, String environment, String metric) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT c.run_at_after FROM detection_change_points c JOIN series s ON s.id = c.series_id
                WHERE s.model_version = :m AND s.dataset_version = :d AND s.prompt_version = :p AND s.environment = :e
                  AND c.metric = :metric ORDER BY c.run_at_after""")
                .bind("m", model).bind("d", dataset).bind("p", prompt).bind("e", environment).bind("metric", metric)
                .map((rs, ctx) -> rs.getObject(1, OffsetDateTime.class).toInstant()).list());
    }

    /**
     * The bounded histories, alert memory and triage annotations of a batch of series, and the metric
     * definitions (a row of their own, without a series: sent once, not on every run), in one statement:
     * a push's judgement reads in one round trip. The LIMIT is a constant so that a generic plan (see
     * {@link #judgeIngest}) knows it reads a bounded window and walks the per-series index. The history holds the latest
 * attempt of each CI run only (as {@code benchmark_results_current}): an attempt a re-run superseded is neither a
 * baseline nor judged. The jsonb columns are read as their text, without a
     * cast in SQL (a cast ran on every row of the series before the LIMIT). A series' own values are computed in
     * laterals, once per series: as select-list subqueries the change-point lookup ran on each of its up to 130 rows
     * and the alert lookup scanned every active alert (a group of 4 single POSTs: 3.0 -> 1.1 ms on PostgreSQL 15,
     * {@code EXPLAIN ANALYZE}); OFFSET 0 is a fence that keeps them there should the join ever become an inner one.
     * Package-private for the plan-shape test.
     */
    static final String LOAD_SQL = loadSql("");

    /**
     * {@link #LOAD_SQL} with each history ending at the run {@code :until} whose run_at is {@code :until_at} (a stored
     * run judged again against the runs before it: {@link #judgeStoredRun}); bound with the series in {@code :ids} and
     * no {@code :txs}, it reads no month of the log after the run's. Package-private for the plan test.
     */
    static final String LOAD_UNTIL_SQL = loadSql("AND t.run_at <= CAST(:until_at AS timestamptz)"
            + " AND (t.run_at, t.id) <= (CAST(:until_at AS timestamptz), :until)"); // (the first prunes the months)

    private static String loadSql(String historyBound) {
        return """
                WITH touched AS (
                    SELECT x.id FROM unnest(CAST(:ids AS integer[])) AS x(id)
                    UNION
                    SELECT t.series_id FROM benchmark_log t WHERE t.id = ANY (CAST(:txs AS bigint[])))
                SELECT NULL::integer AS series_id, NULL::text AS states, NULL::bigint[] AS excluded,
                       NULL::text[] AS reset_metrics, NULL::timestamptz[] AS reset_at, NULL::bigint[] AS reset_tx,
                       NULL::boolean AS active_alerts,
                       NULL::text[] AS cp_metrics,
                       (SELECT jsonb_agg(jsonb_build_array(d.name, d.direction, d.unit, d.min_effect, d.description,
                                                            d.relative_min_effect))
                        FROM metric_definitions d) AS definitions,
                       NULL::bigint AS id, NULL::timestamptz AS run_at, NULL::jsonb AS metrics, NULL::jsonb AS stderr,
                       NULL::jsonb AS n, NULL::text AS commit_sha
                UNION ALL
                SELECT s.id, st.states, ex.excluded, rs.reset_metrics, rs.reset_at, rs.reset_tx,
                       f.active_alerts, f.cp_metrics, NULL,
                       r.id, r.run_at, r.metrics, r.stderr, r.n, r.commit_sha
                FROM touched x
                JOIN series s ON s.id = x.id
                LEFT JOIN LATERAL (SELECT jsonb_object_agg(v.metric, jsonb_build_array(v.alerted_shift_tx,
                                          v.alerted_shift_sign))::text AS states
                                   FROM detection_verdicts v WHERE v.series_id = s.id) st ON true
                LEFT JOIN LATERAL (SELECT array_agg(e.transaction_id) AS excluded FROM excluded_runs e
                                   WHERE e.series_id = s.id) ex ON true
                LEFT JOIN LATERAL (SELECT array_agg(b.metric) AS reset_metrics, array_agg(b.run_at) AS reset_at,
                                          array_agg(b.transaction_id) AS reset_tx
                                   FROM baseline_reset_in_force(s.id) b) rs ON true
                LEFT JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM alerts a WHERE a.series_id = s.id
                                                  AND a.state IN ('open', 'acknowledged', 'muted')) AS active_alerts,
                                          ARRAY(SELECT DISTINCT c.metric FROM detection_change_points c
                                                WHERE c.series_id = s.id) AS cp_metrics
                                   OFFSET 0) f ON true
                CROSS JOIN LATERAL (
                    SELECT t.id, t.run_at, t.metrics, t.stderr, t.sample_sizes AS n, t.commit_sha
                    FROM benchmark_log t
                    WHERE t.series_id = s.id $history_bound
                      -- current attempts only: a CI re-run supersedes its earlier attempts, so no run is judged
                      -- against its own earlier attempt (one probe of the small re-runs table's key per row read)
                      AND NOT EXISTS (SELECT 1 FROM benchmark_latest_attempts la
                                      WHERE la.run_key = t.run_key AND la.attempt > t.attempt)
                    ORDER BY t.run_at DESC, t.id DESC
                    LIMIT $history_limit) r
                ORDER BY series_id NULLS FIRST, run_at, id""".replace("$history_limit", String.valueOf(HISTORY_LIMIT))
                .replace(" $history_bound", historyBound.isEmpty() ? "" : " " + historyBound);
    }

    /**
     * What one series' judgement reads: its bounded history (oldest first), its alert memory, and what
     * triage left out of it: runs marked excluded, and the baseline resets by metric (an alert marked expected: the new
     * level is the baseline of its metric's runs from its run on; the other metrics of the series keep their
     * baselines; the newest expected alert's whose run is neither excluded nor a replaced attempt). A run before a metric's reset is still judged on that metric, against the runs before it.
     */
    private record SeriesHistory(int seriesId, List<Run> runs, Map<String, AlertState> states, Set<Long> excluded,
                                 Map<String, BaselineReset> resets, boolean activeAlerts, Set<String> changePointMetrics) {
    }

    /**
     * Where the baseline of one metric of a series restarts: the run of the newest alert marked expected whose run
     * counts ({@code baseline_reset_in_force}), by its {@code run_at} and transaction id.
     */
    record BaselineReset(Instant runAt, long transactionId) {
        /** Whether {@code r} is older than the reset's run (no baseline of the runs from it on). */
        boolean laterThan(Run r) {
            int c = r.runAt().compareTo(runAt);
            return c < 0 || (c == 0 && r.id() < transactionId);
        }
    }

    /** The series of a batch and the metric definitions stored when they were read. */
    private record Loaded(Map<Integer, SeriesHistory> series, Map<String, MetricDefinition> definitions) {
    }

    /**
     * The last {@value #HISTORY_LIMIT} runs and the alert memory of every series in {@code seriesIds} or
     * holding one of {@code transactions}, in one query (each series reached through the log's
     * per-series index).
     */
    private static Loaded load(Handle h, Set<Integer> seriesIds, Set<Long> transactions) {
        return load(h.createQuery(LOAD_SQL), seriesIds, transactions);
    }

    /** {@link #load(Handle, Set, Set)} with the statement {@code query} (LOAD_SQL or LOAD_UNTIL_SQL, bound). */
    private static Loaded load(Query query, Set<Integer> seriesIds, Set<Long> transactions) {
        Map<Integer, SeriesHistory> out = new LinkedHashMap<>();
        Map<String, MetricDefinition> defs = new HashMap<>();
        query
                .bind("ids", seriesIds.toArray(Integer[]::new))
                .bind("txs", transactions.toArray(Long[]::new))
                .map((rs, ctx) -> {
                    String definitions = rs.getString("definitions");
                    if (definitions != null) {
                        for (JsonNode d : json(definitions)) {
                            defs.put(d.get(0).asText(), new MetricDefinition(d.get(0).asText(),
                                    MetricDirection.parse(d.get(1).asText()), d.get(2).isNull() ? null : d.get(2).asText(),
                                    d.get(3).isNull() ? null : d.get(3).asDouble(), d.get(4).isNull() ? null : d.get(4).asText(),
                                    d.get(5).isNull() ? null : d.get(5).asDouble()));
                        }
                    }
                    int id = rs.getInt("series_id");
                    if (rs.wasNull()) {
                        return 0; // the definitions row
                    }
                    SeriesHistory sh = out.get(id);
                    if (sh == null) {
                        Set<Long> excluded = new java.util.HashSet<>();
                        java.sql.Array a = rs.getArray("excluded");
                        if (a != null) {
                            for (Object o : (Object[]) a.getArray()) {
                                excluded.add(((Number) o).longValue());
                            }
                        }
                        // The newest expected alert's reset whose run counts (baseline_reset_in_force): an excluded
                        // run anchors no baseline, the older expected alert's run does again while it is excluded.
                        Map<String, BaselineReset> resets = resets(rs);
                        Set<String> cpMetrics = new java.util.HashSet<>();
                        for (Object o : (Object[]) rs.getArray("cp_metrics").getArray()) {
                            cpMetrics.add((String) o);
                        }
                        sh = new SeriesHistory(id, new ArrayList<>(), states(rs.getString("states")), excluded,
                                resets, rs.getBoolean("active_alerts"), cpMetrics);
                        out.put(id, sh);
                    }
                    sh.runs().add(new Run(rs.getLong("id"), rs.getObject("run_at", OffsetDateTime.class).toInstant(),
                            json(rs.getString("metrics")), json(rs.getString("stderr")), json(rs.getString("n")),
                            rs.getString("commit_sha")));
                    return id;
                })
                .forEach(id -> { });
        return new Loaded(out, defs);
    }

    /** A series row's baseline resets by metric (empty when it has none). */
    private static Map<String, BaselineReset> resets(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, BaselineReset> out = new HashMap<>();
        java.sql.Array metrics = rs.getArray("reset_metrics");
        if (metrics == null) {
            return out;
        }
        Object[] names = (Object[]) metrics.getArray();
        Object[] at = (Object[]) rs.getArray("reset_at").getArray();
        Object[] tx = (Object[]) rs.getArray("reset_tx").getArray();
        for (int i = 0; i < names.length; i++) {
            out.put((String) names[i], new BaselineReset(((java.sql.Timestamp) at[i]).toInstant(), ((Number) tx[i]).longValue()));
        }
        return out;
    }

    private static Map<String, AlertState> states(String text) {
        Map<String, AlertState> out = new HashMap<>();
        JsonNode node = json(text);
        if (node != null) {
            node.fields().forEachRemaining(e -> out.put(e.getKey(),
                    new AlertState(e.getValue().get(0).asLong(), e.getValue().get(1).asInt())));
        }
        return out;
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return ResultJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("stored JSON is unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Judges the touched series: in each, the pushed runs (each against the runs before it) and the
     * newest run, storing the newest's verdicts of every series with one statement as {@code store} says.
     * {@code arrived}: the pushed runs this push stored (the others were re-sent). Returns verdicts by
     * transaction id, each series' newest last.
     */
    private Map<Long, RunVerdicts> judgeBatch(Handle h, Set<Integer> seriesIds, Set<Long> pushed, Set<Long> arrived,
                                              Map<String, MetricDefinition> fileDefinitions, DetectionOverrides overrides,
                                              DetectionInputs inputs, Store store) {
        return judgeBatch(h, seriesIds, pushed, arrived, fileDefinitions, overrides, inputs, store, true, null).verdicts();
    }

    /**
     * As above, with all the batch found: its verdicts, the series that had an active alert when read, those that hold
     * change points once the newest verdicts are stored (the engine's new ones, or stored ones of metrics the newest
     * verdicts do not replace), and the metric definitions as stored that it read (none when it read nothing; a file's
     * own, {@code fileDefinitions}, are this batch's alone). {@code mayFork}: whether a big batch may judge its series on
     * a parallel stream (not when the caller already runs batches side by side). {@code planCacheMode}: when not null,
     * the transaction's {@code plan_cache_mode} is set back to it once the verdicts are stored (with the store's
     * statement when there is one).
     */
    private IngestJudgement judgeBatch(Handle h, Set<Integer> seriesIds, Set<Long> pushed, Set<Long> arrived,
                                       Map<String, MetricDefinition> fileDefinitions, DetectionOverrides overrides,
                                       DetectionInputs inputs, Store store, boolean mayFork, String planCacheMode) {
        Map<Long, RunVerdicts> out = new LinkedHashMap<>();
        if (seriesIds.isEmpty() && pushed.isEmpty()) {
            restorePlanCacheMode(h, planCacheMode);
            return new IngestJudgement(out, Set.of(), Set.of(), Map.of());
        }
        if (store == Store.AGAIN) {
            IngestLock.exclusive(h); // first: waits for the pushes in flight, holds new ones back until the store commits
        }
        Loaded loaded = load(h, seriesIds, pushed);
        Map<String, MetricDefinition> stored = Map.copyOf(loaded.definitions()); // before a file's own join them
        Map<String, MetricDefinition> defs = loaded.definitions();
        defs.putAll(fileDefinitions);
        List<SeriesHistory> histories = new ArrayList<>(loaded.series().values());
        // The engine is pure Java over each series' own history, so series are judged on every core when a
        // batch is big (an HTTP push of 10,000 results judges each of its runs: seconds of CPU on one core).
        // Small batches (a typical group of single POSTs) stay on the caller's thread: forking would cost more than
        // it saves.
        boolean fork = mayFork && histories.size() > 1 && pushed.size() + histories.size() >= PARALLEL_RUNS;
        java.util.stream.Stream<SeriesHistory> stream = fork ? histories.parallelStream() : histories.stream();
        List<JudgedSeries> judged = stream.map(sh -> judgeSeries(sh, pushed, arrived, defs, overrides)).toList();
        ArrayNode batch = ResultJson.mapper().createArrayNode();
        Set<Integer> activeAlerts = new java.util.HashSet<>();
        Set<Integer> changePoints = new java.util.HashSet<>();
        for (int i = 0; i < judged.size(); i++) {
            JudgedSeries js = judged.get(i);
            if (js == null) {
                continue;
            }
            SeriesHistory sh = histories.get(i);
            out.putAll(js.verdicts());
            if (sh.activeAlerts()) {
                activeAlerts.add(sh.seriesId());
            }
            if (holdsChangePoints(sh, js.latest())) {
                changePoints.add(sh.seriesId());
            }
            if (store != Store.NOTHING) { // (IN_WRITE, AGAIN, AGAIN_UNDER_LOCK)
                batch.add(stored(sh.seriesId(), js.latest(), js.latestRunAt(), inputs));
            }
        }
        if (!batch.isEmpty() && planCacheMode != null) {
            // set_config after the store in the select list: the store runs under the judgement's mode, as before.
            h.createQuery("SELECT store_detections(CAST(:b AS jsonb))::text, set_config('plan_cache_mode', :mode, true)")
                    .bind("b", batch.toString()).bind("mode", planCacheMode).mapToMap().one();
        } else if (!batch.isEmpty()) {
            h.createUpdate("SELECT store_detections(CAST(:b AS jsonb))").bind("b", batch.toString()).execute();
        } else {
            restorePlanCacheMode(h, planCacheMode);
        }
        return new IngestJudgement(out, activeAlerts, changePoints, stored);
    }

    private static void restorePlanCacheMode(Handle h, String mode) {
        if (mode != null) {
            h.createQuery("SELECT set_config('plan_cache_mode', :mode, true)").bind("mode", mode).mapTo(String.class).one();
        }
    }

    /** One series' verdicts: its pushed runs' and its newest run's (last), by transaction id; the newest run's run_at. */
    private record JudgedSeries(Map<Long, RunVerdicts> verdicts, RunVerdicts latest, Instant latestRunAt) {
    }

    /**
     * Judges one series: each pushed run against the runs before it, then the newest run. Null when triage
     * left no run to judge. Reads only the series' own history, so series may be judged on several threads.
     */
    private JudgedSeries judgeSeries(SeriesHistory sh, Set<Long> pushed, Set<Long> arrived,
                                     Map<String, MetricDefinition> defs, DetectionOverrides overrides) {
        List<Run> runs = sh.runs();
        runs.removeIf(r -> sh.excluded().contains(r.id()));
        if (runs.isEmpty()) {
            return null;
        }
        Map<Long, RunVerdicts> verdicts = new LinkedHashMap<>();
        // A metric's semantics (its kind by unit or name, a rule of patterns) once per series, not once per run judged.
        Map<String, MetricSemantics> semantics = new HashMap<>();
        Function<String, MetricSemantics> semanticsOf =
                metric -> semantics.computeIfAbsent(metric, m -> MetricSemantics.of(m, defs));
        // Each metric's observations over the series' runs, read once for all the runs judged here (a push of
        // many runs per series judges each of them against the same history).
        Baselines baselines = new Baselines(runs, sh.resets());
        Run newest = runs.get(runs.size() - 1);
        // A run is late when it arrived now and a newer run of the series (any metric) was stored before it arrived.
        boolean[] late = new boolean[runs.size()];
        boolean newerStoredBefore = false;
        for (int i = runs.size() - 1; i >= 0; i--) {
            late[i] = newerStoredBefore && arrived.contains(runs.get(i).id());
            newerStoredBefore |= !arrived.contains(runs.get(i).id());
        }
        for (int i = 0; i < runs.size() - 1; i++) {
            Run r = runs.get(i);
            if (pushed.contains(r.id())) {
                verdicts.put(r.id(), judgeRun(baselines, i == 0 ? null : runs.get(i - 1), r, false, late[i],
                        storedBefore(r, arrived), semanticsOf, overrides, sh.states(), sh.seriesId()));
            }
        }
        int last = runs.size() - 1;
        RunVerdicts latest = judgeRun(baselines, last > 0 ? runs.get(last - 1) : null, newest, true, false,
                storedBefore(newest, arrived), semanticsOf, overrides, sh.states(), sh.seriesId());
        verdicts.put(newest.id(), latest);
        return new JudgedSeries(verdicts, latest, newest.runAt());
    }

    /**
     * The history each metric of a run is judged against. A baseline reset (an alert marked expected) bounds the
     * baseline of its own metric from its run on: a run of that metric from the reset's run on is judged against the
     * runs from it on only; a run before it (a back-fill) against every run (the judge reads those before it). The
     * other metrics of the series are judged against every run.
     */
    private static final class Baselines {
        private final Function<String, List<Observation>> all;
        private final Map<String, List<Observation>> sinceReset = new HashMap<>();
        private final List<Run> runs;
        private final Map<String, BaselineReset> resets;

        Baselines(List<Run> runs, Map<String, BaselineReset> resets) {
            this.runs = runs;
            this.resets = resets;
            this.all = observations(runs);
        }

        /** The reset of {@code metric} that bounds the baseline of {@code run}, or null when none does. */
        BaselineReset resetOf(String metric, Run run) {
            BaselineReset reset = resets.get(metric);
            return reset == null || reset.laterThan(run) ? null : reset;
        }

        /** The observations of {@code metric} {@code run} is judged against (its own included). */
        List<Observation> history(String metric, Run run) {
            BaselineReset reset = resetOf(metric, run);
            if (reset == null) {
                return all.apply(metric);
            }
            return sinceReset.computeIfAbsent(metric, m -> observations(runs.stream().filter(r -> !reset.laterThan(r))
                    .toList()).apply(m));
        }

        /** Whether the baseline of {@code metric} restarts between {@code previous} and {@code run}. */
        boolean restartsAfter(String metric, Run previous, Run run) {
            BaselineReset reset = resetOf(metric, run);
            return reset != null && reset.laterThan(previous);
        }
    }

    /** Each metric's observations over {@code runs}, collected on first use and kept. */
    private static Function<String, List<Observation>> observations(List<Run> runs) {
        Map<String, List<Observation>> byMetric = new HashMap<>();
        return metric -> byMetric.computeIfAbsent(metric, m -> {
            List<Observation> list = new ArrayList<>(runs.size());
            for (Run r : runs) {
                Observation o = r.observation(m);
                if (o != null) {
                    list.add(o);
                }
            }
            return list;
        });
    }

    /**
     * Which runs of its series (by transaction id) were already stored when {@code run} arrived: those that did not
     * come with it. None for a run that did not arrive now (re-sent, or judged again by a recompute): it is never late.
     */
    private static LongPredicate storedBefore(Run run, Set<Long> arrived) {
        return arrived.contains(run.id()) ? tx -> !arrived.contains(tx) : tx -> false;
    }

    /** Whether a series holds change points once {@code latest}'s verdicts replace those of their metrics. */
    private static boolean holdsChangePoints(SeriesHistory sh, RunVerdicts latest) {
        Set<String> replaced = new java.util.HashSet<>();
        for (MetricVerdict mv : latest.metrics()) {
            if (!mv.judgement().changePoints().isEmpty()) {
                return true;
            }
            replaced.add(mv.metric());
        }
        return !replaced.containsAll(sh.changePointMetrics());
    }

    /**
     * The verdicts of one run: each of its metrics judged against its {@link Baselines#history} (the metric's
     * observations over the series' runs from its baseline reset on, this run's own included: the judge leaves it out
     * by transaction id), and a metric the {@code previous} run reported that this one does not is reported missing
     * (unless the metric's baseline restarts after {@code previous}). Only the series' {@code newest} run is
     * judged with the stored alert memory; an older one (a late arrival, or an earlier run of the same push) is judged
     * without it. {@code late}: the run arrived now and a newer run of its series was stored before it (the run's flag,
     * whichever metrics that newer run reports).
     */
    private RunVerdicts judgeRun(Baselines baselines, Run previous, Run run, boolean newest,
                                 boolean late, LongPredicate storedBefore,
                                 Function<String, MetricSemantics> semanticsOf,
                                 DetectionOverrides overrides, Map<String, AlertState> states, int seriesId) {
        List<MetricVerdict> verdicts = new ArrayList<>();
        for (Iterator<String> it = run.metrics().fieldNames(); it.hasNext(); ) {
            String metric = it.next();
            Observation obs = run.observation(metric);
            if (obs == null) {
                continue;
            }
            MetricSemantics sem = semanticsOf.apply(metric);
            DetectionSettings settings = sem.settings(overrides);
            AlertState state = newest ? states.getOrDefault(metric, AlertState.NONE) : AlertState.NONE;
            MetricJudgement j = MetricJudge.judge(baselines.history(metric, run), obs, sem.direction(), settings, state,
                    storedBefore);
            BaselineReset reset = baselines.resetOf(metric, run);
            if (reset != null && j.outcome() == Outcome.NO_BASELINE) {
                j = j.withText(reset.transactionId() == run.id()
                        ? "the baseline of " + metric + " restarts at this run (its alert was marked expected):"
                          + " no earlier run counts"
                        : "the baseline of " + metric + " restarts at run " + reset.transactionId()
                          + " (its alert was marked expected): no run of it since to compare with");
            }
            verdicts.add(new MetricVerdict(metric, sem, settings, j));
        }
        if (previous != null) {
            for (Iterator<String> it = previous.metrics().fieldNames(); it.hasNext(); ) {
                String metric = it.next();
                if (!run.metrics().has(metric) && !baselines.restartsAfter(metric, previous, run)) {
                    MetricSemantics sem = semanticsOf.apply(metric);
                    Observation before = previous.observation(metric);
                    double level = before == null ? Double.NaN : before.value();
                    MetricJudgement j = new MetricJudgement(Outcome.MISSING, MetricJudgement.NOISE_AWARE, level, Double.NaN,
                            Double.NaN, Double.NaN, Double.NaN, Double.NaN, 1, true, late, before, null, List.of(),
                            states.getOrDefault(metric, AlertState.NONE),
                            "the previous run reported " + metric + " and this one does not" + renamedAs(metric, previous, run),
                            false);
                    verdicts.add(new MetricVerdict(metric, sem, sem.settings(overrides), j));
                }
            }
        }
        return new RunVerdicts(run.id(), seriesId, late, newest, verdicts);
    }

    /**
     * What a missing metric's verdict adds when {@code run} reports a metric the previous run did not under a name
     * close to it ({@link dev.benchmon.ingest.ClosestNames}: {@code acuracy} for accuracy, {@code recall_macro} for
     * recall; not a sibling such as p90 for p50):
     * {@code  (this run reports acuracy: the same metric under another name?)}; else "". A CSV's mistyped column and a
     * tool's renamed key are stored as a new metric, and the missing one is all that shows it.
     */
    private static String renamedAs(String metric, Run previous, Run run) {
        List<String> added = new ArrayList<>();
        run.metrics().fieldNames().forEachRemaining(name -> {
            if (!previous.metrics().has(name)) {
                added.add(name);
            }
        });
        List<String> near = dev.benchmon.ingest.ClosestNames.renamings(metric, added);
        return near.isEmpty() ? "" : " (this run reports " + String.join(" and ", near) + ": the same metric under "
                + "another name?)";
    }

    /** One series' element of {@code store_detections}' batch: its verdicts, change points and findings. */
    private static ObjectNode stored(int seriesId, RunVerdicts v, Instant runAt, DetectionInputs inputs) {
        ObjectNode element = ResultJson.mapper().createObjectNode();
        element.put("series_id", seriesId);
        ArrayNode verdicts = element.putArray("verdicts");
        ArrayNode cps = element.putArray("change_points");
        ArrayNode findings = element.putArray("findings");
        for (MetricVerdict mv : v.metrics()) {
            MetricJudgement j = mv.judgement();
            ObjectNode o = verdicts.addObject();
            o.put("metric", mv.metric());
            o.put("transaction_id", v.transactionId());
            o.put("run_at", runAt.toString()); // the change-point findings count runs from it (V20)
            o.put("outcome", j.outcome().jsonName());
            o.put("method", j.method());
            if (mv.semantics().direction() != null) {
                o.put("direction", mv.semantics().direction().sqlName());
            }
            num(o, "baseline", j.baseline());
            num(o, "current", j.current());
            num(o, "delta", j.delta());
            num(o, "sd", j.sd());
            num(o, "z", j.z());
            num(o, "min_effect", j.minEffect());
            o.put("baseline_runs", j.baselineRuns());
            o.put("alert", j.alert());
            o.put("late", j.late());
            if (j.lastBefore() != null) {
                o.put("tx_before", j.lastBefore().transactionId());
                o.put("commit_before", j.lastBefore().commitSha());
            }
            if (j.firstAfter() != null) {
                o.put("tx_after", j.firstAfter().transactionId());
                o.put("commit_after", j.firstAfter().commitSha());
            }
            o.put("explanation", mv.text());
            o.put("sensitivity", mv.settings().sensitivity());
            o.put("alerted_shift_tx", j.state().shiftStartTx());
            o.put("alerted_shift_sign", j.state().shiftSign());
            for (ChangePoint cp : j.changePoints()) {
                ObjectNode c = cps.addObject();
                c.put("metric", mv.metric());
                c.put("tx_after", cp.firstAfter().transactionId());
                c.put("tx_before", cp.lastBefore().transactionId());
                c.put("run_at_after", cp.firstAfter().runAt().toString());
                c.put("commit_before", cp.lastBefore().commitSha());
                c.put("commit_after", cp.firstAfter().commitSha());
                c.put("level_before", cp.before());
                c.put("level_after", cp.after());
                c.put("magnitude", cp.magnitude());
                num(c, "sd", cp.sd());
                c.put("confidence", cp.confidence());
                if (!inputs.muted(seriesId, mv.metric()) && !inputs.muted(seriesId, null)) {
                    finding(findings, new Finding(seriesId, mv.metric(), cp.firstAfter().transactionId(), "change_point",
                            cp.lastBefore().transactionId(), cp.firstAfter().transactionId(), cp.lastBefore().commitSha(),
                            cp.firstAfter().commitSha(), cp.magnitude(), cp.sds(),
                            MetricJudge.explain(cp.magnitude(), cp.before(), mv.semantics().proportion(), cp.sds(),
                                    cp.lastBefore(), cp.firstAfter(), true)));
                }
            }
            boolean muted = inputs.muted(seriesId, mv.metric()) || inputs.muted(seriesId, null);
            if (j.alert() && !muted && j.outcome() != Outcome.OK && j.outcome() != Outcome.NOT_JUDGED
                    && j.outcome() != Outcome.NO_BASELINE) {
                finding(findings, new Finding(seriesId, mv.metric(), v.transactionId(), j.outcome().jsonName(),
                        j.lastBefore() == null ? null : j.lastBefore().transactionId(),
                        j.firstAfter() == null ? null : j.firstAfter().transactionId(),
                        j.lastBefore() == null ? null : j.lastBefore().commitSha(),
                        j.firstAfter() == null ? null : j.firstAfter().commitSha(), j.delta(),
                        j.sd() > 0 ? j.delta() / j.sd() : Double.NaN, mv.text()));
            }
        }
        return element;
    }

    private static void finding(ArrayNode out, Finding f) {
        ObjectNode o = out.addObject();
        o.put("metric", f.metric());
        o.put("transaction_id", f.transactionId());
        o.put("kind", f.kind());
        if (f.txBefore() != null) {
            o.put("tx_before", f.txBefore());
        }
        if (f.txAfter() != null) {
            o.put("tx_after", f.txAfter());
        }
        o.put("commit_before", f.commitBefore());
        o.put("commit_after", f.commitAfter());
        num(o, "magnitude", f.magnitude());
        num(o, "sd", f.sd());
        o.put("explanation", f.text());
    }

    private static void num(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    /** Declared metric definitions by name, read on {@code h} (the caller's transaction or handle). */
    public static Map<String, MetricDefinition> definitionsIn(Handle h) {
        return definitions(h.createQuery(DEFINITIONS));
    }

    /** {@link #definitionsIn(Handle)} of the metrics {@code names} only (those without a definition are absent). */
    public static Map<String, MetricDefinition> definitionsIn(Handle h, Collection<String> names) {
        return definitions(h.createQuery(DEFINITIONS + " WHERE name = ANY(:names)").bind("names", names.toArray(String[]::new)));
    }

    private static final String DEFINITIONS =
            "SELECT name, direction, unit, min_effect, description, relative_min_effect FROM metric_definitions";

    private static Map<String, MetricDefinition> definitions(Query query) {
        Map<String, MetricDefinition> out = new HashMap<>();
        query.map((rs, ctx) -> new MetricDefinition(rs.getString("name"), MetricDirection.parse(rs.getString("direction")),
                        rs.getString("unit"), rs.getObject("min_effect", Double.class), rs.getString("description"),
                        rs.getObject("relative_min_effect", Double.class)))
                .forEach(d -> out.put(d.name(), d));
        return out;
    }
}
