package dev.benchmon.query;

import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.util.List;

/**
 * One metric over time: per bucket and series (model, dataset version, prompt version, environment), mean, min, max,
 * stddev and count (buckets in UTC). A series is one line: results on other datasets, prompts or environments are
 * other lines, never averaged into it (a model's mean over whichever tasks ran in a week moves when a task is added).
 * Day and week buckets read the daily rollups (and the log only for the partial days at the window's
 * edges); hour buckets, and filters on tags or provider, read the log.
 *
 * <p>Columns: {@code bucket, model_version, metric, mean, min, max, stddev, count, last_commit_sha, last_run_id,
 * dataset_version, prompt_version, environment} (the series' other names after the columns the table had when it
 * was one line per model); rows by series, then bucket.
 */
public final class TrendQuery {
    /**
     * The run of each bucket's newest result ({@code t}: commit_sha, run_id), for a query whose aggregate is
     * aliased {@code a}. One probe per bucket, by id and run_at, in the month that holds it; LIMIT 1 keeps the
     * subquery a nested loop: flattened into a join, the planner hashed the whole log instead (380 ms at 1M once
     * the project had 5,000 more series; 19 ms this way).
     */
    private static final String BUCKET_LAST_RUN = """
            LEFT JOIN LATERAL (SELECT l.commit_sha, l.run_id FROM benchmark_log l
                               WHERE l.id = a.last_transaction_id AND l.run_at = a.last_run_at LIMIT 1) t ON true
            """;

    /** The rollup cells' group: the bucket, then the series' names (a series is one line). */
    private static final List<String> BUCKET_AND_SERIES = List.of("date_trunc(:unit, c.t)", "c.model_version",
            "c.dataset_version", "c.prompt_version", "c.environment");

    private final Jdbi jdbi;

    public TrendQuery(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Table timeSeries(Filter filter, String metric, Bucket bucket) {
        TableReader reader = reader(metric, bucket);
        jdbi.useHandle(h -> query(h, filter, metric, bucket).map((rs, ctx) -> {
            reader.row(rs);
            return null;
        }).list());
        return reader.table();
    }

    /**
     * {@link #timeSeries(Filter, String, Bucket)}'s rows written to {@code sink} as they arrive (the API's answer,
     * no table in between), with its columns ({@link #COLUMNS}); returns the row count. {@code beforeNoRows} runs
     * when there are none, before the columns go to the sink, so that it may still refuse the request.
     */
    public long stream(Filter filter, String metric, Bucket bucket, ResultStream.Sink sink, Runnable beforeNoRows) {
        // In a transaction: PgJDBC fetches by the cursor only with autocommit off, else it reads every row first.
        return jdbi.inTransaction(h -> ResultStream.rows(query(h, filter, metric, bucket), COLUMNS, sink, beforeNoRows));
    }

    /** The trend's statement: day and week buckets from the rollups when they answer the filter, else the log. */
    private static Query query(Handle h, Filter filter, String metric, Bucket bucket) {
        if (bucket != Bucket.HOUR && RollupCells.answers(filter)) {
            return fromRollups(h, filter, List.of(metric), bucket);
        }
        FilterSql where = FilterSql.of(filter, "t", "t", "t.run_at", Instant.now());
        // The session runs in UTC (see Database), so date_trunc on timestamptz buckets in UTC.
        return where.bind(h.createQuery("""
                SELECT date_trunc(:unit, t.run_at) AS bucket, t.model_version, CAST(:metric AS text) AS metric,
                       avg(v.value) AS mean, min(v.value) AS min, max(v.value) AS max,
                       stddev_samp(v.value) AS stddev, count(*)::int AS count,
                       (array_agg(t.commit_sha ORDER BY t.run_at DESC, t.id DESC))[1] AS last_commit_sha,
                       (array_agg(t.run_id ORDER BY t.run_at DESC, t.id DESC))[1] AS last_run_id,
                       t.dataset_version, t.prompt_version, t.environment
                FROM benchmark_results_current t -- the latest attempt of each run
                CROSS JOIN LATERAL (SELECT (t.metrics ->> CAST(:metric AS text))::float8 AS value) v
                WHERE (t.metrics -> CAST(:metric AS text)) IS NOT NULL""" + where.andClause() + """

                GROUP BY 1, 2, 11, 12, 13
                ORDER BY 2, 11, 12, 13, 1"""))
                .bind("unit", bucket.sqlUnit()).bind("metric", metric);
    }

    /**
     * Day and week buckets of {@code metrics} from the rollup cells, with the columns of {@link #COLUMNS} in their
     * order: rows by metric, series, then bucket.
     */
    private static Query fromRollups(Handle h, Filter filter, List<String> metrics, Bucket bucket) {
        RollupCells cells = RollupCells.of(filter, metrics, Instant.now());
        List<String> groups = new java.util.ArrayList<>(BUCKET_AND_SERIES);
        groups.add("c.metric");
        return cells.bind(h.createQuery("WITH cells AS (" + cells.sql() + """
                )
                SELECT a.g1 AS bucket, a.g2 AS model_version, a.g6 AS metric, a.mean, a.min, a.max,
                       a.stddev, a.count, t.commit_sha AS last_commit_sha, t.run_id AS last_run_id,
                       a.g3 AS dataset_version, a.g4 AS prompt_version, a.g5 AS environment
                FROM (""" + RollupCells.aggregate("cells", groups) + """
                ) a
                """ + BUCKET_LAST_RUN + """
                ORDER BY 3, 2, 11, 12, 13, 1"""))
                .bind("unit", bucket.sqlUnit());
    }

    /**
     * {@link #timeSeries} of several metrics at once, in their order (a metric without values gets an empty
     * table): one query over the rollups for day and week buckets (a page of small multiples costs one
     * query, not one per metric), else one per metric.
     */
    public java.util.Map<String, Table> timeSeries(Filter filter, List<String> metrics, Bucket bucket) {
        java.util.Map<String, TableReader> readers = new java.util.LinkedHashMap<>();
        metrics.forEach(m -> readers.put(m, reader(m, bucket)));
        java.util.Map<String, Table> out = new java.util.LinkedHashMap<>();
        if (metrics.isEmpty()) {
            return out;
        }
        if (bucket == Bucket.HOUR || !RollupCells.answers(filter)) {
            metrics.forEach(m -> out.put(m, timeSeries(filter, m, bucket)));
            return out;
        }
        jdbi.useHandle(h -> fromRollups(h, filter, metrics, bucket).map((rs, ctx) -> {
            readers.get(rs.getString("metric")).row(rs);
            return null;
        }).list());
        readers.forEach((m, r) -> out.put(m, r.table()));
        return out;
    }

    /** The columns of a trend, in order, as {@link #stream} writes them. */
    public static final List<ResultStream.Column> COLUMNS = List.of(
            new ResultStream.Column("bucket", ResultStream.Type.INSTANT), text("model_version"), text("metric"),
            dbl("mean"), dbl("min"), dbl("max"), dbl("stddev"), new ResultStream.Column("count", ResultStream.Type.INT),
            text("last_commit_sha"), text("last_run_id"), text("dataset_version"), text("prompt_version"),
            text("environment"));

    private static ResultStream.Column text(String name) {
        return new ResultStream.Column(name, ResultStream.Type.TEXT);
    }

    private static ResultStream.Column dbl(String name) {
        return new ResultStream.Column(name, ResultStream.Type.DOUBLE);
    }

    private static TableReader reader(String metric, Bucket bucket) {
        return TableReader.named(metric + " by " + bucket.sqlUnit())
                .instant("bucket").string("model_version", "metric")
                .doubles("mean", "min", "max", "stddev").ints("count")
                .string("last_commit_sha", "last_run_id")
                .string("dataset_version", "prompt_version", "environment");
    }
}
