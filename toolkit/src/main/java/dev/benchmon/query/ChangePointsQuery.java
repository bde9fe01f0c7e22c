package dev.benchmon.query;

import dev.benchmon.Filter;
import dev.benchmon.MetricDefinition;
import dev.benchmon.MetricDirection;
import dev.benchmon.detect.CommitRange;
import dev.benchmon.detect.DetectionService;
import dev.benchmon.detect.MetricJudge;
import dev.benchmon.detect.MetricSemantics;
import org.jdbi.v3.core.Jdbi;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The change points the detection engine stored for the series a filter selects ({@code detection_change_points}): where
 * each metric's level shifted, by how much, against what noise, and between which commits. The engine finds them by
 * PELT ({@code ChangePointDetector}; Killick, Fearnhead and Eckley 2012) over the newest runs of each series (about
 * 130, the history a verdict reads) each time a run is judged, and replaces what it stored before: the table lists what
 * it holds now, as the charts mark them. A shift older than those runs is no longer listed (a window over older months
 * finds none); the runs themselves stay in the history.
 */
public final class ChangePointsQuery {
    /** The rows a table holds unless the filter gives its own limit ({@link Filter#withLimit}). */
    public static final int DEFAULT_LIMIT = 1000;

    private final Jdbi jdbi;

    public ChangePointsQuery(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * The change points of the filter's series, metrics and time window (the window and tags apply to the first run
     * after the shift; only shifts within each series' newest runs are kept, see the class comment), newest first, at most the filter's limit (default {@value #DEFAULT_LIMIT}; when more match, the
     * table's name says so).
     *
     * <p>Columns: {@code model_version, dataset_version, prompt_version, environment, metric}; {@code run_at} (instant:
     * the first run of the new level); {@code level_before, level_after} (the two segments' levels, in the metric's
     * unit); {@code change} (text: {@code -8.5 points} for a proportion, else in the unit and percent,
     * {@code -49.7 (-24.8%)}, as alerts word it);
     * {@code shift_sd} (the shift in noise standard deviations, missing when the noise is unknown);
     * {@code confidence} (1 - the shift's p-value); {@code outcome} ({@code regression} or {@code improvement} by the
     * metric's direction, {@code change} for a metric whose direction is none or unknown); {@code commit_range}
     * ({@code before..after}: the last run's commit before the shift and the first run's after it, or the runs'
     * transaction ids when they name no commit); {@code transaction_id} (the first run of the new level).
     */
    public Table changePoints(Filter filter) {
        int limit = filter.limit() == null ? DEFAULT_LIMIT : filter.limit();
        FilterSql where = FilterSql.of(filter, "s", "t", "c.run_at_after", Instant.now());
        String metrics = filter.metrics().isEmpty() ? "" : " AND c.metric = ANY(:metrics)";
        String sql = """
                SELECT s.model_version, s.dataset_version, s.prompt_version, s.environment, c.metric, c.run_at_after,
                       c.level_before, c.level_after, c.sd, c.confidence, c.commit_before, c.commit_after, c.tx_before,
                       c.tx_after
                FROM detection_change_points c
                JOIN series s ON s.id = c.series_id
                JOIN benchmark_transactions t ON t.id = c.tx_after AND t.run_at = c.run_at_after
                WHERE true""" + where.andClause() + metrics + """

                ORDER BY c.run_at_after DESC, s.model_version, s.dataset_version, s.prompt_version, s.environment,
                         c.metric
                LIMIT :limit""";
        List<Row> rows = new ArrayList<>();
        Map<String, MetricDefinition> definitions = jdbi.withHandle(h -> {
            var query = where.bind(h.createQuery(sql)).bind("limit", limit + 1L); // one past: whether more match
            if (!filter.metrics().isEmpty()) {
                query.bind("metrics", filter.metrics().toArray(String[]::new));
            }
            rows.addAll(query.map((rs, ctx) -> Row.of(rs)).list());
            return rows.isEmpty() ? Map.<String, MetricDefinition>of()
                    : DetectionService.definitionsIn(h, rows.stream().map(Row::metric).distinct().toList());
        });
        Table t = table(rows.subList(0, Math.min(limit, rows.size())), definitions);
        if (rows.size() > limit) {
            t.setName(t.name() + ": the newest " + limit + " (the limit" + (filter.limit() == null ? ", by default" : "")
                    + "); older ones match too: give Filter.withLimit(n) for more, or a narrower filter");
        }
        return t;
    }

    private static Table table(List<Row> rows, Map<String, MetricDefinition> definitions) {
        StringColumn model = StringColumn.create("model_version");
        StringColumn dataset = StringColumn.create("dataset_version");
        StringColumn prompt = StringColumn.create("prompt_version");
        StringColumn environment = StringColumn.create("environment");
        StringColumn metric = StringColumn.create("metric");
        InstantColumn runAt = InstantColumn.create("run_at");
        DoubleColumn before = DoubleColumn.create("level_before");
        DoubleColumn after = DoubleColumn.create("level_after");
        StringColumn change = StringColumn.create("change");
        DoubleColumn shiftSd = DoubleColumn.create("shift_sd");
        DoubleColumn confidence = DoubleColumn.create("confidence");
        StringColumn outcome = StringColumn.create("outcome");
        StringColumn commits = StringColumn.create("commit_range");
        LongColumn tx = LongColumn.create("transaction_id");
        for (Row r : rows) {
            MetricSemantics semantics = MetricSemantics.of(r.metric(), definitions);
            double shift = r.levelAfter() - r.levelBefore();
            model.append(r.model());
            dataset.append(r.dataset());
            prompt.append(r.prompt());
            environment.append(r.environment());
            metric.append(r.metric());
            runAt.append(r.runAt());
            before.append(r.levelBefore());
            after.append(r.levelAfter());
            change.append(MetricJudge.formatDelta(shift, r.levelBefore(), semantics.proportion()));
            if (r.sd() != null && r.sd() > 0) {
                shiftSd.append(Math.abs(shift) / r.sd());
            } else {
                shiftSd.appendMissing();
            }
            confidence.append(r.confidence());
            outcome.append(outcome(semantics.reportedDirection(), shift));
            commits.append(CommitRange.of(r.commitBefore(), r.txBefore(), r.commitAfter(), r.txAfter()));
            tx.append(r.txAfter());
        }
        return ReadableTable.of(Table.create("change points", model, dataset, prompt, environment, metric, runAt, before, after, change,
                shiftSd, confidence, outcome, commits, tx));
    }

    /** {@code regression} or {@code improvement} by the direction; {@code change} when it says neither is better. */
    static String outcome(MetricDirection direction, double shift) {
        return switch (direction) {
            case HIGHER_IS_BETTER -> shift < 0 ? "regression" : "improvement";
            case LOWER_IS_BETTER -> shift > 0 ? "regression" : "improvement";
            default -> "change";
        };
    }

    private record Row(String model, String dataset, String prompt, String environment, String metric, Instant runAt,
                       double levelBefore, double levelAfter, Double sd, double confidence, String commitBefore,
                       String commitAfter, long txBefore, long txAfter) {
        static Row of(ResultSet rs) throws SQLException {
            return new Row(rs.getString("model_version"), rs.getString("dataset_version"),
                    rs.getString("prompt_version"), rs.getString("environment"), rs.getString("metric"),
                    rs.getObject("run_at_after", OffsetDateTime.class).toInstant(), rs.getDouble("level_before"),
                    rs.getDouble("level_after"), rs.getObject("sd", Double.class), rs.getDouble("confidence"),
                    rs.getString("commit_before"), rs.getString("commit_after"), rs.getLong("tx_before"),
                    rs.getLong("tx_after"));
        }
    }
}
