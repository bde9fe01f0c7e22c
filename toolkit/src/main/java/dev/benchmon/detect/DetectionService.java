package dev.benchmon.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.BenchmarkResult;
import dev.benchmon.DatabaseException;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.RecordOutcome;
import dev.benchmon.ingest.ResultJson;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the engine against the database: judges the series a batch touched right after it is stored
 * (reading each series' recent history through the per-series index), stores the verdicts, change
 * points and findings through {@code store_detection(...)}, and recomputes every series on demand.
 */
public final class DetectionService {
    private final Jdbi jdbi;

    /**
     * Annotations every recompute honours (excluded runs, expected changes); {@link DetectionInputs#NONE}
     * until {@link #useInputs} is called.
     */
    private volatile DetectionInputs defaultInputs = DetectionInputs.NONE;

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
        Map<String, MetricDefinition> defs = definitions();
        jdbi.useTransaction(h -> judgeSeries(h, seriesId, Set.of(), defs, DetectionOverrides.NONE, defaultInputs, true));
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
        return jdbi.withHandle(h -> {
            Map<String, MetricDefinition> out = new HashMap<>();
            h.createQuery("SELECT name, direction, unit, min_effect, description FROM metric_definitions").map((rs, ctx) -> {
                double me = rs.getDouble("min_effect");
                Double minEffect = rs.wasNull() ? null : me;
                return new MetricDefinition(rs.getString("name"), MetricDirection.parse(rs.getString("direction")),
                        rs.getString("unit"), minEffect, rs.getString("description"));
            }).forEach(d -> out.put(d.name(), d));
            return out;
        });
    }

    /**
     * Judges the series touched by a stored batch and stores their newest verdicts; returns the
     * verdicts of each result of the batch (by the outcome's index).
     *
     * @param fileDefinitions definitions that came with the batch (a pushed file's {@code metric_definitions}),
     *                        which win over stored ones for this judgement
     */
    public Map<Integer, RunVerdicts> afterIngest(List<BenchmarkResult> results, List<RecordOutcome> outcomes,
                                                 DetectionOverrides overrides, DetectionInputs inputs,
                                                 Map<String, MetricDefinition> fileDefinitions) {
        try {
            return jdbi.inTransaction(h -> {
                Map<String, MetricDefinition> defs = new HashMap<>(definitionsIn(h));
                defs.putAll(fileDefinitions);
                Map<String, List<RecordOutcome>> bySeries = new LinkedHashMap<>();
                for (RecordOutcome o : outcomes) {
                    bySeries.computeIfAbsent(results.get(o.index()).series(), k -> new ArrayList<>()).add(o);
                }
                Map<Integer, RunVerdicts> out = new HashMap<>();
                for (List<RecordOutcome> group : bySeries.values()) {
                    BenchmarkResult first = results.get(group.get(0).index());
                    Integer seriesId = h.createQuery("""
                            SELECT id FROM series WHERE model_version = :m AND dataset_version = :d
                              AND prompt_version = :p AND environment = :e""")
                            .bind("m", first.modelVersion()).bind("d", first.datasetVersion())
                            .bind("p", first.promptVersion()).bind("e", first.environment())
                            .mapTo(Integer.class).findOne().orElse(null);
                    if (seriesId == null) {
                        continue;
                    }
                    Set<Long> pushed = new java.util.HashSet<>();
                    group.forEach(o -> pushed.add(o.transactionId()));
                    Map<Long, RunVerdicts> judged = judgeSeries(h, seriesId, pushed, defs, overrides, inputs, true);
                    for (RecordOutcome o : group) {
                        RunVerdicts v = judged.get(o.transactionId());
                        if (v != null) {
                            out.put(o.index(), v);
                        }
                    }
                }
                return out;
            });
        } catch (JdbiException e) {
            throw new DatabaseException("detection after ingest failed: " + e.getMessage(), e);
        }
    }

    /** As {@link #afterIngest} with per-request settings, storing nothing. */
    public Map<Integer, RunVerdicts> afterIngestPreview(List<BenchmarkResult> results, List<RecordOutcome> outcomes,
                                                        DetectionOverrides overrides, DetectionInputs inputs) {
        Map<String, MetricDefinition> defs = definitions();
        Map<Integer, RunVerdicts> out = new HashMap<>();
        jdbi.useHandle(h -> {
            Map<Long, Integer> seriesOf = new HashMap<>();
            for (RecordOutcome o : outcomes) {
                BenchmarkResult r = results.get(o.index());
                seriesId(h, r).ifPresent(id -> seriesOf.put(o.transactionId(), id));
            }
            Map<Integer, Set<Long>> pushed = new HashMap<>();
            seriesOf.forEach((tx, id) -> pushed.computeIfAbsent(id, k -> new java.util.HashSet<>()).add(tx));
            Map<Long, RunVerdicts> all = new HashMap<>();
            pushed.forEach((id, txs) -> all.putAll(judgeSeries(h, id, txs, defs, overrides, inputs, false)));
            for (RecordOutcome o : outcomes) {
                RunVerdicts v = all.get(o.transactionId());
                if (v != null) {
                    out.put(o.index(), v);
                }
            }
        });
        return out;
    }

    private static java.util.Optional<Integer> seriesId(Handle h, BenchmarkResult r) {
        return h.createQuery("SELECT id FROM series WHERE model_version = :m AND dataset_version = :d "
                        + "AND prompt_version = :p AND environment = :e")
                .bind("m", r.modelVersion()).bind("d", r.datasetVersion())
                .bind("p", r.promptVersion()).bind("e", r.environment())
                .mapTo(Integer.class).findOne();
    }

    /** Recomputes and stores the verdicts of every series (after definitions or settings changed); returns the series count. */
    public int recomputeAll(DetectionOverrides overrides, DetectionInputs inputs) {
        List<Integer> ids = jdbi.withHandle(h -> h.createQuery("SELECT id FROM series ORDER BY id").mapTo(Integer.class).list());
        Map<String, MetricDefinition> defs = definitions();
        for (Integer id : ids) {
            jdbi.useTransaction(h -> judgeSeries(h, id, Set.of(), defs, overrides, inputs, true));
        }
        return ids.size();
    }

    /** Recomputes and stores the verdicts of the series these results belong to (after a bulk import). */
    public void recomputeSeriesOf(List<BenchmarkResult> results) {
        Map<String, MetricDefinition> defs = definitions();
        Map<String, BenchmarkResult> one = new LinkedHashMap<>();
        results.forEach(r -> one.putIfAbsent(r.series(), r));
        for (BenchmarkResult r : one.values()) {
            jdbi.useTransaction(h -> seriesId(h, r).ifPresent(id ->
                    judgeSeries(h, id, Set.of(), defs, DetectionOverrides.NONE, defaultInputs, true)));
        }
    }

    /** Judges the newest run of each given series without storing anything (per-request settings). */
    public Map<Integer, RunVerdicts> judgeNewest(List<Integer> seriesIds, DetectionOverrides overrides, DetectionInputs inputs) {
        Map<String, MetricDefinition> defs = definitions();
        Map<Integer, RunVerdicts> out = new LinkedHashMap<>();
        jdbi.useHandle(h -> {
            for (Integer id : seriesIds) {
                Map<Long, RunVerdicts> j = judgeSeries(h, id, Set.of(), defs, overrides, inputs, false);
                j.values().stream().reduce((a, b) -> b).ifPresent(v -> out.put(id, v));
            }
        });
        return out;
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

    /** Runs of a series, oldest first (at most the last {@code limit}). */
    List<Run> history(Handle h, int seriesId, int limit) {
        List<Run> runs = h.createQuery("""
                SELECT t.id, t.run_at, t.metrics::text AS metrics, t.stderr::text AS stderr,
                       t.sample_sizes::text AS n, t.commit_sha
                FROM series s
                JOIN benchmark_transactions t ON t.model_version = s.model_version AND t.dataset_version = s.dataset_version
                 AND t.prompt_version = s.prompt_version AND t.environment = s.environment
                WHERE s.id = :id
                ORDER BY t.run_at DESC, t.id DESC
                LIMIT :limit""").bind("id", seriesId).bind("limit", limit)
                .map((rs, ctx) -> new Run(rs.getLong("id"), rs.getObject("run_at", OffsetDateTime.class).toInstant(),
                        json(rs.getString("metrics")), json(rs.getString("stderr")), json(rs.getString("n")),
                        rs.getString("commit_sha")))
                .list();
        java.util.Collections.reverse(runs);
        return runs;
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
     * Judges the pushed runs of one series (each against the runs before it) and its newest run,
     * storing the newest's verdicts when {@code store}. Returns verdicts by transaction id, the newest last.
     */
    private Map<Long, RunVerdicts> judgeSeries(Handle h, int seriesId, Set<Long> pushed, Map<String, MetricDefinition> defs,
                                               DetectionOverrides overrides, DetectionInputs inputs, boolean store) {
        List<Run> runs = history(h, seriesId, MetricJudge.HISTORY_WINDOWS * DetectionSettings.DEFAULT_WINDOW + 10);
        Set<Long> excluded = inputs.excludedTransactions(seriesId);
        runs.removeIf(r -> excluded.contains(r.id()));
        Map<Long, RunVerdicts> out = new LinkedHashMap<>();
        if (runs.isEmpty()) {
            return out;
        }
        Map<String, AlertState> states = storedStates(h, seriesId);
        Run newest = runs.get(runs.size() - 1);
        List<Run> toJudge = new ArrayList<>();
        for (Run r : runs) {
            if (pushed.contains(r.id()) && r != newest) {
                toJudge.add(r);
            }
        }
        toJudge.add(newest);
        for (Run r : toJudge) {
            boolean late = r != newest;
            out.put(r.id(), judgeRun(runs, r, late, defs, overrides, states, seriesId));
        }
        if (store) {
            store(h, seriesId, out.get(newest.id()), runs, inputs);
        }
        return out;
    }

    private RunVerdicts judgeRun(List<Run> runs, Run run, boolean late, Map<String, MetricDefinition> defs,
                                 DetectionOverrides overrides, Map<String, AlertState> states, int seriesId) {
        List<MetricVerdict> verdicts = new ArrayList<>();
        int at = runs.indexOf(run);
        Run previous = at > 0 ? runs.get(at - 1) : null;
        for (Iterator<String> it = run.metrics().fieldNames(); it.hasNext(); ) {
            String metric = it.next();
            Observation obs = run.observation(metric);
            if (obs == null) {
                continue;
            }
            List<Observation> history = new ArrayList<>();
            for (Run r : runs) {
                Observation o = r == run ? null : r.observation(metric);
                if (o != null) {
                    history.add(o);
                }
            }
            MetricSemantics sem = MetricSemantics.of(metric, defs);
            DetectionSettings settings = sem.settings(overrides);
            AlertState state = late ? AlertState.NONE : states.getOrDefault(metric, AlertState.NONE);
            verdicts.add(new MetricVerdict(metric, sem, settings,
                    MetricJudge.judge(history, obs, sem.direction(), settings, state)));
        }
        if (previous != null) {
            for (Iterator<String> it = previous.metrics().fieldNames(); it.hasNext(); ) {
                String metric = it.next();
                if (!run.metrics().has(metric)) {
                    MetricSemantics sem = MetricSemantics.of(metric, defs);
                    Observation before = previous.observation(metric);
                    double level = before == null ? Double.NaN : before.value();
                    MetricJudgement j = new MetricJudgement(Outcome.MISSING, MetricJudgement.NOISE_AWARE, level, Double.NaN,
                            Double.NaN, Double.NaN, Double.NaN, Double.NaN, 1, true, late, before, null, List.of(),
                            states.getOrDefault(metric, AlertState.NONE),
                            "missing: the previous run reported " + metric + " and this one does not");
                    verdicts.add(new MetricVerdict(metric, sem, sem.settings(overrides), j));
                }
            }
        }
        return new RunVerdicts(run.id(), seriesId, late, verdicts);
    }

    private static Map<String, AlertState> storedStates(Handle h, int seriesId) {
        Map<String, AlertState> out = new HashMap<>();
        h.createQuery("SELECT metric, alerted_shift_tx, alerted_shift_sign FROM detection_verdicts WHERE series_id = :s")
                .bind("s", seriesId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), new AlertState(rs.getLong(2), rs.getInt(3))))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private void store(Handle h, int seriesId, RunVerdicts v, List<Run> runs, DetectionInputs inputs) {
        ArrayNode verdicts = ResultJson.mapper().createArrayNode();
        ArrayNode cps = ResultJson.mapper().createArrayNode();
        ArrayNode findings = ResultJson.mapper().createArrayNode();
        for (MetricVerdict mv : v.metrics()) {
            MetricJudgement j = mv.judgement();
            ObjectNode o = verdicts.addObject();
            o.put("metric", mv.metric());
            o.put("transaction_id", v.transactionId());
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
                            MetricJudge.explain(cp.magnitude(), cp.before(), cp.sds(), cp.lastBefore(), cp.firstAfter(), true)));
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
        h.createUpdate("SELECT store_detection(:s, CAST(:v AS jsonb), CAST(:c AS jsonb), CAST(:f AS jsonb))")
                .bind("s", seriesId).bind("v", verdicts.toString()).bind("c", cps.toString()).bind("f", findings.toString())
                .execute();
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

    private static Map<String, MetricDefinition> definitionsIn(Handle h) {
        Map<String, MetricDefinition> out = new HashMap<>();
        h.createQuery("SELECT name, direction, unit, min_effect, description FROM metric_definitions").map((rs, ctx) -> {
            double me = rs.getDouble("min_effect");
            Double minEffect = rs.wasNull() ? null : me;
            return new MetricDefinition(rs.getString("name"), MetricDirection.parse(rs.getString("direction")),
                    rs.getString("unit"), minEffect, rs.getString("description"));
        }).forEach(d -> out.put(d.name(), d));
        return out;
    }

    static Comparator<Run> order() {
        return Comparator.comparing(Run::runAt).thenComparingLong(Run::id);
    }
}
