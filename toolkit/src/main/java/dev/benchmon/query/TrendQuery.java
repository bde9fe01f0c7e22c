package dev.benchmon.query;

import dev.benchmon.Bucket;
import dev.benchmon.Filter;
import org.jdbi.v3.core.Jdbi;
import tech.tablesaw.api.Table;

import java.time.Instant;

/** One metric over time: per bucket and model, mean, min, max, stddev and count (buckets in UTC). */
public final class TrendQuery {
    private final Jdbi jdbi;

    public TrendQuery(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Table timeSeries(Filter filter, String metric, Bucket bucket) {
        FilterSql where = FilterSql.of(filter, "t", "t", "t.run_at", Instant.now());
        TableReader reader = TableReader.named(metric + " by " + bucket.sqlUnit())
                .instant("bucket").string("model_version", "metric")
                .doubles("mean", "min", "max", "stddev").ints("count")
                .string("last_commit_sha", "last_run_id");
        // The session runs in UTC (see Database), so date_trunc on timestamptz buckets in UTC.
        jdbi.useHandle(h -> where.bind(h.createQuery("""
                SELECT date_trunc(:unit, t.run_at) AS bucket, t.model_version, CAST(:metric AS text) AS metric,
                       avg(v.value) AS mean, min(v.value) AS min, max(v.value) AS max,
                       stddev_samp(v.value) AS stddev, count(*)::int AS count,
                       (array_agg(t.commit_sha ORDER BY t.run_at DESC, t.id DESC))[1] AS last_commit_sha,
                       (array_agg(t.run_id ORDER BY t.run_at DESC, t.id DESC))[1] AS last_run_id
                FROM benchmark_results_current t -- the latest attempt of each run
                CROSS JOIN LATERAL (SELECT (t.metrics ->> CAST(:metric AS text))::float8 AS value) v
                WHERE (t.metrics -> CAST(:metric AS text)) IS NOT NULL""" + where.andClause() + """

                GROUP BY 1, 2
                ORDER BY 2, 1"""))
                .bind("unit", bucket.sqlUnit()).bind("metric", metric)
                .map((rs, ctx) -> {
                    reader.row(rs);
                    return null;
                }).list());
        return reader.table();
    }
}
