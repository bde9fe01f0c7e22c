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
 * Finds regressions: for every series matching a filter, compares the latest run with its baseline
 * per metric (see {@link RegressionOptions}) through {@code detect_regressions(...)}.
 */
public final class RegressionDetector {
    private final Jdbi jdbi;

    public RegressionDetector(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One row per series and metric checked (or per regression, with {@code onlyRegressions}); regressions first. */
    public Table detect(Filter filter, RegressionOptions options) {
        List<Verdict> verdicts = verdicts(filter, options);
        return toTable(verdicts);
    }

    /** The same verdicts as values, for code that acts on them (the server, the CLI). */
    public List<Verdict> verdicts(Filter filter, RegressionOptions options) {
        Instant since = filter.effectiveSince(Instant.now());
        try {
            return jdbi.withHandle(h -> h.createQuery("""
                    SELECT * FROM detect_regressions(
                        p_models => :models, p_datasets => :datasets, p_prompts => :prompts,
                        p_environments => :environments, p_threshold => :threshold, p_baseline => :baseline,
                        p_window => :window, p_absolute_threshold => :absolute, p_baseline_transaction => :pinned,
                        p_since => :since, p_metrics => :metrics)""" + (options.onlyRegressions() ? " WHERE is_regression" : ""))
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
                    .map((rs, ctx) -> new Verdict(
                            rs.getString("model_version"), rs.getString("dataset_version"),
                            rs.getString("prompt_version"), rs.getString("environment"),
                            rs.getString("metric"), rs.getString("direction"),
                            rs.getDouble("baseline"), rs.getDouble("current"), rs.getDouble("delta"),
                            nullableDouble(rs, "relative_change"), rs.getBoolean("is_regression"),
                            rs.getString("severity"), rs.getInt("baseline_runs"), rs.getLong("transaction_id"),
                            rs.getObject("run_at", OffsetDateTime.class).toInstant(),
                            rs.getString("commit_sha"), rs.getString("branch"), rs.getString("run_id")))
                    .list());
        } catch (JdbiException e) {
            SQLException sql = findSql(e);
            if (sql != null && "22023".equals(sql.getSQLState())) { // invalid_parameter_value from the function
                // Name the option at fault: a pinned transaction that is not in the log is baseline_transaction's.
                String field = sql.getMessage().contains("baseline transaction") ? "baseline_transaction" : "options";
                throw new ValidationException(ValidationException.Problem.of(field, sql.getMessage()
                        .replaceFirst("^ERROR: ", "").replaceAll("\\s+Hint:.*", "").replaceAll("\\s+Where:.*", "")));
            }
            throw new DatabaseException("regression detection failed for " + filter + " with " + options + ": "
                    + (sql == null ? e.getMessage() : sql.getMessage()), e);
        }
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
        for (Verdict v : verdicts) {
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
        return dev.benchmon.query.ReadableTable.of(Table.create("regressions", model, dataset, prompt, env, metric, direction, baseline, current, delta,
                relative, regression, severity, runs, tx, runAt, commit, branch, runId));
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
