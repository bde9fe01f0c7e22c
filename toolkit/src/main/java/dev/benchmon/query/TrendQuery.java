package dev.benchmon.query;

import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import tech.tablesaw.api.Table;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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

    /**
     * {@link #timeSeries(Filter, String, Bucket)} of at most {@code maxLines} series: those whose newest result of
     * {@code metric} in the filter's window is newest (ties by model, dataset, prompt and environment), chosen before
     * the trend is read, so that the read grows with the lines drawn, not with the series in the view (a Trends page
     * with no model chosen read 180 series' cells, 5 MB, to draw 24 lines). Excluded runs count here as the trend draws
     * them. With a window open to now, the choice reads one snapshot per series (its run's {@code run_at} when that
     * run is the newest the series has, excluded runs included, and reported the metric; else the series' newest daily
     * rollup cell of the metric); with a window that ends, the rollup cells of its days (whole
     * days it touches: a result on its first day before its start, or on its last day after its end, may choose a series
     * that then draws no line). A filter on
     * tags or providers, which only the log answers, reads the whole trend and keeps its newest lines
     * ({@link TrendLines#newest}).
     *
     * @throws IllegalArgumentException when {@code maxLines} is less than 1
     */
    public TrendLines newestLines(Filter filter, String metric, Bucket bucket, int maxLines) {
        TrendLines.requirePositive(maxLines);
        if (!RollupCells.answers(filter)) {
            return TrendLines.newest(timeSeries(filter, metric, bucket), maxLines);
        }
        return OneSnapshot.read(jdbi, h -> { // one snapshot of the database for the choice and the read
            TableReader reader = reader(metric, bucket);
            int[] total = {0};
            Integer[] ids = newestSeries(h, filter, metric, maxLines).map((rs, ctx) -> {
                total[0] = rs.getInt("total");
                return rs.getInt("id");
            }).list().toArray(Integer[]::new);
            if (ids.length > 0) {
                query(h, filter, metric, bucket, ids).map((rs, ctx) -> {
                    reader.row(rs);
                    return null;
                }).list();
            }
            return TrendLines.chosen(reader.table(), total[0]);
        });
    }

    /** The ids of the {@code limit} series with the newest results of {@code metric} in the window (see {@link #newestLines}), each row with their total. */
    private static Query newestSeries(Handle h, Filter filter, String metric, int limit) {
        Instant now = Instant.now();
        Instant since = filter.effectiveSince(now);
        Filter seriesOnly = FilterSql.seriesOnly(filter);
        String metricId = "(SELECT mi.id FROM metric_names mi WHERE mi.name = :metric)";
        String order = " ORDER BY c.newest DESC, c.model_version, c.dataset_version, c.prompt_version, c.environment LIMIT :n";
        FilterSql where;
        Query q;
        if (filter.until() == null) {
            // A series' snapshot is its newest run that counts (V37), and its last_seen the run_at of the newest run
            // that arrived, excluded ones included, which the trend draws too: when last_seen is before the window, no
            // result of the series is in it. The snapshot's run is the newest result when it is the last seen (no
            // newer run is excluded) and reported the metric; else the series' newest rollup cell of the metric
            // answers, one probe of its key (the cells count excluded runs as the trend does): that cell's newest
            // result is the series' newest one.
            where = FilterSql.of(seriesOnly.withSince(since), "s", "s", "s.last_seen", now);
            q = h.createQuery("""
                    SELECT c.id, count(*) OVER () AS total
                    FROM (SELECT sr.id, sr.model_version, sr.dataset_version, sr.prompt_version, sr.environment,
                                 CASE WHEN (s.metrics -> CAST(:metric AS text)) IS NOT NULL AND s.run_at = s.last_seen
                                      THEN s.run_at
                                      ELSE (SELECT r.last_run_at FROM benchmark_rollups_daily r
                                            WHERE r.series_id = sr.id AND r.metric_id = %s
                                            ORDER BY r.day DESC LIMIT 1) END AS newest
                          FROM benchmark_snapshots s
                          JOIN series sr ON sr.model_version = s.model_version AND sr.dataset_version = s.dataset_version
                                        AND sr.prompt_version = s.prompt_version AND sr.environment = s.environment
                          WHERE true%s) c
                    WHERE c.newest %s""".formatted(metricId, where.andClause(),
                    since == null ? "IS NOT NULL" : ">= :since") + order);
            if (since != null) {
                q.bind("since", RollupCells.utc(since));
            }
        } else {
            where = FilterSql.of(seriesOnly, "s", "s", "s.run_at", now);
            q = h.createQuery("""
                    SELECT c.id, count(*) OVER () AS total
                    FROM (SELECT s.id, s.model_version, s.dataset_version, s.prompt_version, s.environment,
                                 max(r.last_run_at) AS newest
                          FROM benchmark_rollups_daily r JOIN series s ON s.id = r.series_id
                          WHERE r.metric_id = %s AND r.day < CAST(:to_day AS date)%s%s
                          GROUP BY s.id) c""".formatted(metricId,
                    since == null ? "" : " AND r.day >= CAST(:from_day AS date)", where.andClause()) + order)
                    // The days the window touches: until is exclusive, so a window ending at midnight ends the
                    // day before (the dashboard's "to 2026-11-30" is until 2026-12-01T00:00Z).
                    .bind("to_day", RollupCells.ceilDay(filter.until()));
            if (since != null) {
                q.bind("from_day", RollupCells.floorDay(since));
            }
        }
        return where.bind(q).bind("metric", metric).bind("n", limit);
    }

    /** The trend's statement: day and week buckets from the rollups when they answer the filter, else the log. */
    private static Query query(Handle h, Filter filter, String metric, Bucket bucket) {
        return query(h, filter, metric, bucket, null);
    }

    /** {@link #query(Handle, Filter, String, Bucket)} of the series {@code seriesIds} only, or of all when {@code null}. */
    private static Query query(Handle h, Filter filter, String metric, Bucket bucket, Integer[] seriesIds) {
        if (bucket != Bucket.HOUR && RollupCells.answers(filter)) {
            return fromRollups(h, filter, List.of(metric), bucket, seriesIds);
        }
        FilterSql where = FilterSql.of(filter, "t", "t", "t.run_at", Instant.now());
        if (seriesIds != null) {
            where.and("t.series_id = ANY (:t_series)", Map.of("t_series", seriesIds));
        }
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
    private static Query fromRollups(Handle h, Filter filter, List<String> metrics, Bucket bucket, Integer[] seriesIds) {
        RollupCells cells = RollupCells.of(filter, metrics, Instant.now(), seriesIds);
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
        jdbi.useHandle(h -> fromRollups(h, filter, metrics, bucket, null).map((rs, ctx) -> {
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
