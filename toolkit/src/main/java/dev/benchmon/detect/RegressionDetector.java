package dev.benchmon.detect;

import dev.benchmon.DatabaseException;
import dev.benchmon.Filter;
import dev.benchmon.RegressionOptions;
import dev.benchmon.ValidationException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads verdicts: the detection engine's, stored at ingest in {@code detection_verdicts} (or
 * computed for this request when it overrides the sensitivity or minimum effect), and the simple
 * rule's ({@code detect_regressions(...)}, kept for psql users and comparisons).
 */
public final class RegressionDetector {
    private final Jdbi jdbi;
    private final DetectionService detection;

    public RegressionDetector(Jdbi jdbi, DetectionService detection) {
        this.jdbi = jdbi;
        this.detection = detection;
    }

    /** One row per series and metric checked (or per regression, with {@code onlyRegressions}); regressions first. */
    public Table detect(Filter filter, RegressionOptions options) {
        return toTable(verdicts(filter, options));
    }

    /**
     * The engine's refusal of {@link dev.benchmon.BaselineMode#PINNED}, naming {@code baseline}: a statistician
     * compares a run with one fixed reference run by a two-sample (paired) test, not by change detection on the
     * series; the engine's baseline is always the series' own recent segment.
     */
    public static dev.benchmon.InvalidArgumentException pinnedRefused() {
        return new dev.benchmon.InvalidArgumentException(dev.benchmon.ValidationException.Problem.of("baseline",
                "pinned is not a baseline of the detection engine (it judges each run against its own series' "
                        + "segment since the last change point); to compare with one run use the paired comparison "
                        + "(/api/v1/compare, benchmon compare) or the simple rule (SQL detect_regressions, "
                        + "Benchmon.simpleRuleRegressions)"));
    }

    /**
     * The engine's verdicts of the latest run of every series matching the filter (metrics filtered too),
     * regressions first, then improvements, direction-unknown changes, missing metrics and the rest.
     */
    public List<Verdict> verdicts(Filter filter, RegressionOptions options) {
        if (options.baseline() == dev.benchmon.BaselineMode.PINNED) {
            throw pinnedRefused();
        }
        Instant since = filter.effectiveSince(Instant.now());
        boolean custom = !options.overrides().isNone();
        try {
            // each row's series id, in row order, to judge it again by id when custom (its label is no key: model
            // "org / m" with dataset "d" and model "org" with dataset "m / d" are both "org / m / d")
            List<Integer> seriesIds = new ArrayList<>();
            // The judged run's commit, branch and run id come from the series' snapshot when the verdict is of its
            // latest run (as stored verdicts are, but for a late older run or an old schema's verdicts), else from
            // the log by id and run_at (one month's key). Joined to the log by id alone, the planner hashed every
            // log row of the window: 290-650 ms for 10,500 verdicts at 1M results, against about 120 ms this way.
            List<Verdict> out = jdbi.withHandle(h -> h.createQuery("""
                    WITH j AS MATERIALIZED (
                        SELECT s.id AS series_id, s.model_version, s.dataset_version, s.prompt_version, s.environment,
                               v.metric, coalesce(v.direction, 'unknown') AS direction, v.baseline, v.current, v.delta,
                               v.outcome, v.z, v.sd, v.baseline_runs, v.transaction_id, v.explanation, v.method,
                               v.commit_before, v.commit_after, v.tx_before, v.tx_after, v.sensitivity,
                               v.run_at AS verdict_run_at, sn.transaction_id AS snapshot_transaction_id,
                               sn.run_at, sn.commit_sha, sn.branch, sn.run_id
                        FROM detection_verdicts v
                        JOIN series s ON s.id = v.series_id
                        LEFT JOIN benchmark_snapshots sn
                               ON sn.model_version = s.model_version AND sn.dataset_version = s.dataset_version
                              AND sn.prompt_version = s.prompt_version AND sn.environment = s.environment
                              AND sn.transaction_id = v.transaction_id
                        WHERE (CAST(:models AS text[]) IS NULL OR s.model_version = ANY (CAST(:models AS text[])))
                          AND (CAST(:datasets AS text[]) IS NULL OR s.dataset_version = ANY (CAST(:datasets AS text[])))
                          AND (CAST(:prompts AS text[]) IS NULL OR s.prompt_version = ANY (CAST(:prompts AS text[])))
                          AND (CAST(:environments AS text[]) IS NULL OR s.environment = ANY (CAST(:environments AS text[])))
                          AND (CAST(:metrics AS text[]) IS NULL OR v.metric = ANY (CAST(:metrics AS text[]))))
                    SELECT j.series_id, j.model_version, j.dataset_version, j.prompt_version, j.environment, j.metric,
                           j.direction, j.baseline, j.current, j.delta, j.outcome, j.z, j.sd, j.baseline_runs,
                           j.transaction_id, j.explanation, j.method, j.commit_before, j.commit_after, j.tx_before,
                           j.tx_after, j.sensitivity, j.run_at, j.commit_sha, j.branch, j.run_id
                    FROM j
                    WHERE j.snapshot_transaction_id IS NOT NULL
                      AND (CAST(:since AS timestamptz) IS NULL OR j.run_at >= CAST(:since AS timestamptz))
                      AND (CAST(:until AS timestamptz) IS NULL OR j.run_at < CAST(:until AS timestamptz))
                    UNION ALL
                    SELECT j.series_id, j.model_version, j.dataset_version, j.prompt_version, j.environment, j.metric,
                           j.direction, j.baseline, j.current, j.delta, j.outcome, j.z, j.sd, j.baseline_runs,
                           j.transaction_id, j.explanation, j.method, j.commit_before, j.commit_after, j.tx_before,
                           j.tx_after, j.sensitivity, l.run_at, l.commit_sha, l.branch, l.run_id
                    FROM j
                    JOIN LATERAL ((SELECT l.run_at, l.commit_sha, l.branch, l.run_id FROM benchmark_log l
                                   WHERE l.id = j.transaction_id AND l.run_at = j.verdict_run_at LIMIT 1)
                                  UNION ALL -- a verdict stored without its run_at: every month's key
                                  (SELECT l.run_at, l.commit_sha, l.branch, l.run_id FROM benchmark_log l
                                   WHERE j.verdict_run_at IS NULL AND l.id = j.transaction_id LIMIT 1)) l ON true
                    WHERE j.snapshot_transaction_id IS NULL
                      AND (CAST(:since AS timestamptz) IS NULL OR j.verdict_run_at IS NULL
                           OR j.verdict_run_at >= CAST(:since AS timestamptz))
                      AND (CAST(:since AS timestamptz) IS NULL OR l.run_at >= CAST(:since AS timestamptz))
                      AND (CAST(:until AS timestamptz) IS NULL OR l.run_at < CAST(:until AS timestamptz))
                    ORDER BY run_at DESC, model_version, dataset_version, prompt_version, environment, metric""")
                    .bind("models", arrayOrNull(filter.models()))
                    .bind("datasets", arrayOrNull(filter.datasets()))
                    .bind("prompts", arrayOrNull(filter.prompts()))
                    .bind("environments", arrayOrNull(filter.environments()))
                    .bind("metrics", arrayOrNull(filter.metrics()))
                    .bind("since", since == null ? null : OffsetDateTime.ofInstant(since, ZoneOffset.UTC))
                    // (exclusive, as every other read's until: FilterSql)
                    .bind("until", filter.until() == null ? null : OffsetDateTime.ofInstant(filter.until(), ZoneOffset.UTC))
                    .map((rs, ctx) -> {
                        if (custom) {
                            seriesIds.add(rs.getInt("series_id"));
                        }
                        double base = rs.getDouble("baseline");
                        boolean noBase = rs.wasNull();
                        // A missing metric has no current value: empty (NaN), as the push answer's null; not 0.0.
                        Double storedCurrent = nullableDouble(rs, "current");
                        double cur = storedCurrent == null ? Double.NaN : storedCurrent;
                        Double storedDelta = nullableDouble(rs, "delta");
                        // No baseline, no change: empty (NaN), as baseline, relative_change and z are; not 0.0.
                        double delta = storedDelta == null ? Double.NaN : storedDelta;
                        Double z = nullableDouble(rs, "z");
                        double sens = rs.getDouble("sensitivity");
                        String outcome = rs.getString("outcome");
                        boolean reg = "regression".equals(outcome);
                        Double rel = !noBase && base != 0 ? delta / Math.abs(base) : null;
                        String range = CommitRange.of(rs.getString("commit_before"), txOrNull(rs, "tx_before"),
                                rs.getString("commit_after"), txOrNull(rs, "tx_after"));
                        return new Verdict(rs.getString("model_version"), rs.getString("dataset_version"),
                                rs.getString("prompt_version"), rs.getString("environment"), rs.getString("metric"),
                                rs.getString("direction"), noBase ? Double.NaN : base, cur, delta, rel, reg,
                                severity(reg, z, sens, rel), rs.getInt("baseline_runs"), rs.getLong("transaction_id"),
                                rs.getObject("run_at", OffsetDateTime.class).toInstant(), rs.getString("commit_sha"),
                                rs.getString("branch"), rs.getString("run_id"), outcome, z, nullableDouble(rs, "sd"),
                                rs.getString("explanation"), range,
                                rs.getString("method"));
                    })
                    .list());
            if (custom) {
                out = rejudge(out, seriesIds, options);
            }
            List<Verdict> sorted = new ArrayList<>(out);
            sorted.sort(java.util.Comparator.comparingInt(RegressionDetector::rank));
            if (options.onlyRegressions()) {
                sorted.removeIf(v -> !v.regression());
            }
            return sorted;
        } catch (JdbiException e) {
            throw new DatabaseException("reading verdicts failed for " + filter + ": " + e.getMessage(), e);
        }
    }

    /**
     * The same series judged again under the request's sensitivity / minimum effect (nothing stored), batch by batch
     * ({@link DetectionService#judgeNewest(org.jdbi.v3.core.Handle, List, DetectionOverrides, DetectionInputs,
     * java.util.function.Consumer)}): beside the answer, memory holds one batch's histories and verdicts.
     *
     * @param seriesIds each verdict's series id ({@code series.id}), at the verdict's index in {@code stored}
     */
    private List<Verdict> rejudge(List<Verdict> stored, List<Integer> seriesIds,
                                  RegressionOptions options) {
        DetectionOverrides o = options.overrides();
        java.util.Map<Integer, List<Integer>> at = new java.util.LinkedHashMap<>(); // each series' verdicts' indexes
        for (int i = 0; i < stored.size(); i++) {
            at.computeIfAbsent(seriesIds.get(i), k -> new ArrayList<>()).add(i);
        }
        List<Verdict> out = new ArrayList<>(stored);
        jdbi.useHandle(h -> detection.judgeNewest(h, new ArrayList<>(at.keySet()), o, DetectionInputs.NONE, batch ->
                batch.forEach(rv -> at.get(rv.seriesId()).forEach(i -> out.set(i, rejudged(out.get(i), rv, o))))));
        return out;
    }

    /**
     * {@code v} as its series' newest run {@code rv}, judged again under {@code o}, says it ({@code v} when {@code rv}
     * does not judge its metric).
     */
    private static Verdict rejudged(Verdict v, RunVerdicts rv, DetectionOverrides o) {
        MetricVerdict mv = rv.metrics().stream().filter(m -> m.metric().equals(v.metric())).findFirst().orElse(null);
        if (mv == null) {
            return v;
        }
        boolean callerMinEffect = !Double.isNaN(o.minEffect()) || !Double.isNaN(o.relativeMinEffect());
        MetricJudgement j = mv.judgement();
        boolean reg = j.outcome() == Outcome.REGRESSION;
        double rel = j.relativeChange();
        String outcome = j.outcome().jsonName();
        String text = mv.text();
        if (callerMinEffect && j.beyondNoiseBelowMinEffect()) {
            // Plain "ok" would read as "no change" (a 7.7 sd drop under a 5% minimum effect was read so): say what
            // filtered it out, and what the metric's own settings (push, alerts, the dashboard) concluded.
            outcome = Outcome.BELOW_MIN_EFFECT.jsonName();
            text = belowMinEffectText(j, mv.settings().proportion(), o, v.outcome());
        }
        return new Verdict(v.modelVersion(), v.datasetVersion(), v.promptVersion(), v.environment(), v.metric(),
                v.direction(), j.baseline(), j.current(), j.delta(), Double.isFinite(rel) ? rel : null, reg,
                j.severity(mv.settings().sensitivity()), j.baselineRuns(), v.transactionId(), v.runAt(), v.commitSha(),
                v.branch(), v.runId(), outcome, Double.isFinite(j.z()) ? j.z() : null,
                Double.isFinite(j.sd()) ? j.sd() : null, text, j.commitRange(), j.method());
    }

    /**
     * The explanation of {@link Outcome#BELOW_MIN_EFFECT}:
     * {@code beyond the noise but below the minimum effect given (5% of the baseline: 0.041): -3.4 points (7.7 sd);
     * at the metric's own settings (as push judged it): regression}.
     */
    static String belowMinEffectText(MetricJudgement j, boolean proportion, DetectionOverrides o, String ownOutcome) {
        String given = !Double.isNaN(o.minEffect()) ? plain(o.minEffect(), 4)
                : plain(100 * o.relativeMinEffect(), 6) + "% of the baseline: " + plain(j.minEffect(), 3);
        return "beyond the noise but below the minimum effect given (" + given + "): "
                + MetricJudge.okChange(j, proportion)
                + "; at the metric's own settings (as push judged it): " + ownOutcome;
    }

    private static String plain(double v, int digits) {
        return Double.isFinite(v) ? java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(digits))
                .stripTrailingZeros().toPlainString() : String.valueOf(v);
    }

    private static int rank(Verdict v) {
        return switch (v.outcome()) {
            case "regression" -> 0;
            case "missing" -> 1;
            case "changed_direction_unknown" -> 2;
            case "improvement" -> 3;
            case "below_min_effect" -> 4;
            default -> 5;
        };
    }

    private static String severity(boolean regression, Double z, double sensitivity, Double rel) {
        if (!regression) {
            return "none";
        }
        double size = z != null ? Math.abs(z) / sensitivity : rel == null ? Double.POSITIVE_INFINITY : Math.abs(rel) / 0.05;
        return Severity.of(size);
    }

    /** A nullable id column as {@link CommitRange#of(String, Long, String, Long)} takes it. */
    private static Long txOrNull(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long tx = rs.getLong(column);
        return rs.wasNull() ? null : tx;
    }

    /**
     * The simple rule: every series' latest run against a baseline with a relative threshold, through
     * the SQL function {@code detect_regressions(...)} (see {@link RegressionOptions}). Each metric's direction is the
     * detection engine's ({@link MetricSemantics}): a metric neither declared nor in the dictionary has direction
     * {@code unknown} and is never a regression; past the thresholds its outcome is {@code changed_direction_unknown}.
     */
    public List<Verdict> simpleRule(Filter filter, RegressionOptions options) {
        Instant since = filter.effectiveSince(Instant.now());
        try {
            return jdbi.withHandle(h -> h.createQuery("""
                    SELECT * FROM detect_regressions(
                        p_models => :models, p_datasets => :datasets, p_prompts => :prompts,
                        p_environments => :environments, p_threshold => :threshold, p_baseline => :baseline,
                        p_window => :window, p_absolute_threshold => :absolute, p_baseline_transaction => :pinned,
                        p_since => :since, p_metrics => :metrics, p_directions => CAST(:directions AS jsonb))"""
                            + (options.onlyRegressions() ? " WHERE is_regression" : ""))
                    .bind("models", arrayOrNull(filter.models()))
                    .bind("datasets", arrayOrNull(filter.datasets()))
                    .bind("prompts", arrayOrNull(filter.prompts()))
                    .bind("environments", arrayOrNull(filter.environments()))
                    .bind("threshold", options.threshold())
                    .bind("baseline", options.baseline().sqlName())
                    .bind("window", options.window())
                    .bind("absolute", options.absoluteThreshold())
                    .bind("pinned", options.pinnedTransaction())
                    .bind("since", since == null ? null : OffsetDateTime.ofInstant(since, ZoneOffset.UTC))
                    .bind("metrics", arrayOrNull(filter.metrics()))
                    .bind("directions", engineDirections(h, filter))
                    .map((rs, ctx) -> {
                        String metric = rs.getString("metric");
                        String outcome = rs.getString("outcome");
                        boolean regression = rs.getBoolean("is_regression");
                        return new Verdict(
                                rs.getString("model_version"), rs.getString("dataset_version"),
                                rs.getString("prompt_version"), rs.getString("environment"),
                                metric, rs.getString("direction"),
                                rs.getDouble("baseline"), rs.getDouble("current"), rs.getDouble("delta"),
                                nullableDouble(rs, "relative_change"), regression,
                                rs.getString("severity"), rs.getInt("baseline_runs"), rs.getLong("transaction_id"),
                                rs.getObject("run_at", OffsetDateTime.class).toInstant(),
                                rs.getString("commit_sha"), rs.getString("branch"), rs.getString("run_id"), outcome,
                                null, null, "changed_direction_unknown".equals(outcome)
                                        ? "changed (direction unknown); declare it: " + MetricSemantics.declareCommand(metric)
                                        : "", "", "simple_rule");
                    })
                    .list());
        } catch (JdbiException e) {
            SQLException sql = findSql(e);
            if (sql != null && "22023".equals(sql.getSQLState())) { // invalid_parameter_value from the function
                // Name the option at fault: a pinned transaction that is not in the log is baseline_transaction's.
                String field = sql.getMessage().contains("baseline transaction") ? "baseline_transaction" : "options";
                throw new dev.benchmon.InvalidArgumentException(ValidationException.Problem.of(field, sql.getMessage()
                        .replaceFirst("^ERROR: ", "").replaceAll("\\s+Hint:.*", "").replaceAll("\\s+Where:.*", "")));
            }
            throw new DatabaseException("regression detection failed for " + filter + " with " + options + ": "
                    + (sql == null ? e.getMessage() : sql.getMessage()), e);
        }
    }

    /**
     * The engine's direction ({@link MetricSemantics}) of every metric the rule can meet, as the JSON object
     * {@code detect_regressions} takes ({@code p_directions}): the filter's metrics, else every metric name logged.
     */
    private static String engineDirections(org.jdbi.v3.core.Handle h, Filter filter) {
        List<String> names = !filter.metrics().isEmpty() ? filter.metrics()
                : h.createQuery("SELECT name FROM metric_names").mapTo(String.class).list();
        var json = dev.benchmon.ingest.ResultJson.mapper().createObjectNode();
        MetricSemantics.directionNames(names, DetectionService.definitionsIn(h)).forEach(json::put);
        return json.toString();
    }

    private static Double nullableDouble(java.sql.ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static String[] arrayOrNull(List<String> values) {
        return values.isEmpty() ? null : values.toArray(String[]::new);
    }

    private static SQLException findSql(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    /** Verdicts as a Tablesaw table with the SQL function's columns. */
    public static Table toTable(List<Verdict> verdicts) {
        StringColumn model = StringColumn.create("model_version");
        StringColumn dataset = StringColumn.create("dataset_version");
        StringColumn prompt = StringColumn.create("prompt_version");
        StringColumn env = StringColumn.create("environment");
        StringColumn metric = StringColumn.create("metric");
        StringColumn direction = StringColumn.create("direction");
        DoubleColumn baseline = DoubleColumn.create("baseline");
        DoubleColumn current = DoubleColumn.create("current");
        DoubleColumn delta = DoubleColumn.create("delta");
        DoubleColumn relative = DoubleColumn.create("relative_change");
        BooleanColumn regression = BooleanColumn.create("is_regression");
        StringColumn severity = StringColumn.create("severity");
        IntColumn runs = IntColumn.create("baseline_runs");
        LongColumn tx = LongColumn.create("transaction_id");
        InstantColumn runAt = InstantColumn.create("run_at");
        StringColumn commit = StringColumn.create("commit_sha");
        StringColumn branch = StringColumn.create("branch");
        StringColumn runId = StringColumn.create("run_id");
        StringColumn outcome = StringColumn.create("outcome");
        DoubleColumn z = DoubleColumn.create("z");
        DoubleColumn sd = DoubleColumn.create("sd");
        StringColumn why = StringColumn.create("explanation");
        StringColumn range = StringColumn.create("commit_range");
        StringColumn method = StringColumn.create("method");
        for (Verdict v : verdicts) {
            outcome.append(v.outcome());
            if (v.z() == null) z.appendMissing(); else z.append(v.z());
            if (v.sd() == null) sd.appendMissing(); else sd.append(v.sd());
            why.append(v.explanation());
            range.append(v.commitRange());
            method.append(v.method());
            model.append(v.modelVersion());
            dataset.append(v.datasetVersion());
            prompt.append(v.promptVersion());
            env.append(v.environment());
            metric.append(v.metric());
            direction.append(v.direction());
            baseline.append(v.baseline());
            current.append(v.current());
            delta.append(v.delta());
            if (v.relativeChange() == null) relative.appendMissing(); else relative.append(v.relativeChange());
            regression.append(v.regression());
            severity.append(v.severity());
            runs.append(v.baselineRuns());
            tx.append(v.transactionId());
            runAt.append(v.runAt());
            commit.append(v.commitSha());
            branch.append(v.branch());
            runId.append(v.runId());
        }
        return dev.benchmon.query.ReadableTable.of(Table.create("regression checks", model, dataset, prompt, env, metric, direction, baseline, current, delta,
                relative, regression, severity, runs, tx, runAt, commit, branch, runId, outcome, z, sd, why, range, method));
    }

    /** Only the verdicts that flag a regression. */
    public static List<Verdict> regressions(List<Verdict> verdicts) {
        List<Verdict> out = new ArrayList<>();
        for (Verdict v : verdicts) {
            if (v.regression()) {
                out.add(v);
            }
        }
        return out;
    }
}
