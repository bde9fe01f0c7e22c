package dev.benchmon.query;

import dev.benchmon.Filter;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics of a filter's results as "cells" that merge exactly: whole UTC days from
 * {@code benchmark_rollups_daily} (kept at ingest, see {@code R__rollup_functions.sql}) and, for the
 * partial days at the edges of the time window, one cell per result read from the log. Reads grow
 * with series x days, not with results.
 *
 * <p>Each cell has the columns {@code model_version, dataset_version, prompt_version, environment,
 * series_id, metric, t} (the day's start, or the result's run_at), {@code n, sum, sum_sq_dev} (sum of squared
 * deviations from the cell's mean), {@code min, max, last_run_at, last_transaction_id, last_value}.
 * {@link #aggregate} merges cells with Chan et al.'s pairwise formula (1979), so the mean and the
 * sample standard deviation equal what {@code avg} and {@code stddev_samp} give over the raw values
 * up to rounding.
 *
 * <p>Rollups know series, metric and day only: a filter on per-run attributes (tags, provider) is
 * not answerable from them ({@link #answers}); callers then read the log.
 */
final class RollupCells {
    /** The rollups' cells of the one metric named {@code :rc_metric}, by its interned id (V16). */
    private static final String ONE_METRIC = "r.metric_id = (SELECT mi.id FROM metric_names mi WHERE mi.name = :rc_metric)";

    private final String sql;
    private final Map<String, Object> params;

    private RollupCells(String sql, Map<String, Object> params) {
        this.sql = sql;
        this.params = params;
    }

    /** {@code true} when the rollups hold everything the filter selects on. */
    static boolean answers(Filter f) {
        return f.tags().isEmpty() && f.providers().isEmpty();
    }

    /**
     * The cells of the filter's series and time window for {@code metrics} (empty: every metric).
     * Requires {@link #answers}{@code (f)}.
     */
    static RollupCells of(Filter f, List<String> metrics, Instant now) {
        return of(f, metrics, now, null);
    }

    /**
     * The cells of the filter's time window for {@code metrics} of the series {@code seriesIds} (chosen within the
     * filter's series already), or of the filter's series when {@code null}.
     */
    static RollupCells of(Filter f, List<String> metrics, Instant now, Integer[] seriesIds) {
        Map<String, Object> params = new LinkedHashMap<>();
        String seriesOf;
        if (seriesIds != null) {
            seriesOf = " AND %s.series_id = ANY (:rc_series)";
            params.put("rc_series", seriesIds);
        } else {
            seriesOf = seriesOf(f, now, params);
        }
        String rollupMetric = "";
        String logMetric = "";
        // Rollups name metrics by id (V16): the ids are looked up first, like the series.
        if (metrics.size() == 1) {
            rollupMetric = " AND " + ONE_METRIC;
            logMetric = " WHERE m.key = :rc_metric";
            params.put("rc_metric", metrics.get(0));
        } else if (!metrics.isEmpty()) {
            rollupMetric = " AND r.metric_id = ANY (ARRAY(SELECT mi.id FROM metric_names mi WHERE mi.name = ANY (:rc_metrics)))";
            logMetric = " WHERE m.key = ANY (:rc_metrics)";
            params.put("rc_metrics", metrics.toArray(String[]::new));
        }

        Days days = Days.of(f, now, params);
        List<String> rollupDays = days.rollupDays();
        List<String> logRanges = days.logRanges();

        StringBuilder sb = new StringBuilder("""
                SELECT r.series_id, mn.name AS metric, CAST(r.day AS timestamp) AT TIME ZONE 'UTC' AS t, r.n, r.sum,
                       r.sum_sq_dev, r.min, r.max, r.last_run_at, r.last_transaction_id, r.last_value
                FROM benchmark_rollups_daily r JOIN metric_names mn ON mn.id = r.metric_id
                WHERE true""");
        sb.append(seriesOf.formatted("r")).append(rollupMetric);
        rollupDays.forEach(c -> sb.append(" AND ").append(c));
        if (!logRanges.isEmpty()) {
            sb.append("""

                    UNION ALL
                    SELECT t.series_id, m.key, t.run_at, 1, m.x, 0, m.x, m.x, t.run_at, t.id, m.x
                    FROM benchmark_results_current t
                    CROSS JOIN LATERAL (SELECT m.key, (m.value #>> '{}')::float8 AS x
                                        FROM jsonb_each(t.metrics) AS m(key, value)""")
                    .append(logMetric).append(") m\nWHERE (").append(String.join(" OR ", logRanges)).append(')')
                    .append(seriesOf.formatted("t"));
        }
        return new RollupCells(sb.toString(), params);
    }

    /**
     * The condition (a format with {@code %s} for the table's alias) that keeps the rows of the filter's series, its
     * parameters put in {@code params}; empty when the filter names no series attribute.
     */
    private static String seriesOf(Filter f, Instant now, Map<String, Object> params) {
        // The series are looked up first (an InitPlan) and the rollups and the log filtered by series_id = ANY:
        // a join to series by names let the planner estimate the day filter alone and scan all rollups in
        // parallel (62 ms for two models at 1M results, against 3 ms by the primary key's index).
        FilterSql seriesWhere = FilterSql.of(FilterSql.seriesOnly(f), "sf", "sf", "sf.created_at", now);
        seriesWhere.params().forEach(params::put);
        return seriesWhere.where().isEmpty() ? ""
                : " AND %s.series_id = ANY (ARRAY(SELECT sf.id FROM series sf" + seriesWhere.where() + "))";
    }

    /**
     * How many of the filter's results in its time window report {@code metric}, per model version (in name order):
     * the {@code n} of {@link #of}'s cells summed, without their statistics, summed per series before the series' names
     * are joined (86,000 cells of a 90-day window become one row per series). The window's partial days are counted in
     * the log by a key test rather than expanded into values: at 10M results (14,300 results in the partial day of a
     * 90-day window) 42 ms against 88 ms. The key test counts what the rollups count, since the log holds only numbers
     * (V13's check). Requires {@link #answers}{@code (f)}.
     */
    static Map<String, Long> runsPerModel(Handle h, Filter f, String metric, Instant now) {
        Map<String, Object> params = new LinkedHashMap<>();
        String seriesOf = seriesOf(f, now, params);
        params.put("rc_metric", metric);
        Days days = Days.of(f, now, params);
        StringBuilder sb = new StringBuilder("SELECT r.series_id, r.n FROM benchmark_rollups_daily r "
                + "WHERE " + ONE_METRIC);
        sb.append(seriesOf.formatted("r"));
        days.rollupDays().forEach(c -> sb.append(" AND ").append(c));
        if (!days.logRanges().isEmpty()) {
            sb.append("\nUNION ALL\nSELECT t.series_id, 1 FROM benchmark_results_current t WHERE (")
                    .append(String.join(" OR ", days.logRanges())).append(") AND (t.metrics -> :rc_metric) IS NOT NULL")
                    .append(seriesOf.formatted("t"));
        }
        var q = h.createQuery("SELECT s.model_version, sum(c.n)::bigint AS n FROM (SELECT c.series_id, sum(c.n) AS n FROM ("
                + sb + ") c GROUP BY c.series_id) c JOIN series s ON s.id = c.series_id GROUP BY s.model_version");
        params.forEach(q::bind);
        Map<String, Long> out = new java.util.TreeMap<>();
        q.map((rs, ctx) -> out.put(rs.getString("model_version"), rs.getLong("n"))).list();
        return out;
    }

    /**
     * Which whole UTC days the rollups answer ({@code r.day} conditions) and which stretches of partial
     * days the log must answer ({@code t.run_at} conditions), for the filter's time window.
     */
    private record Days(List<String> rollupDays, List<String> logRanges) {
        static Days of(Filter f, Instant now, Map<String, Object> params) {
            Instant since = f.effectiveSince(now);
            Instant until = f.until();
            LocalDate fromDay = since == null ? null : ceilDay(since);
            LocalDate toDay = until == null ? null : floorDay(until);
            List<String> rollupDays = new ArrayList<>();
            List<String> logRanges = new ArrayList<>();
            if (fromDay != null && toDay != null && !fromDay.isBefore(toDay)) {
                // The window lies within (at most) two partial days: read it from the log only.
                rollupDays.add("false");
                logRanges.add("(t.run_at >= :rc_since AND t.run_at < :rc_until)");
                params.put("rc_since", utc(since));
                params.put("rc_until", utc(until));
            } else {
                if (fromDay != null) {
                    rollupDays.add("r.day >= :rc_from_day");
                    params.put("rc_from_day", fromDay);
                    if (since.isBefore(start(fromDay))) {
                        logRanges.add("(t.run_at >= :rc_since AND t.run_at < :rc_from)");
                        params.put("rc_since", utc(since));
                        params.put("rc_from", utc(start(fromDay)));
                    }
                }
                if (toDay != null) {
                    rollupDays.add("r.day < :rc_to_day");
                    params.put("rc_to_day", toDay);
                    if (start(toDay).isBefore(until)) {
                        logRanges.add("(t.run_at >= :rc_to AND t.run_at < :rc_until)");
                        params.put("rc_to", utc(start(toDay)));
                        params.put("rc_until", utc(until));
                    }
                }
            }
            return new Days(rollupDays, logRanges);
        }
    }

    /**
     * The number of results the filter selects, from {@code benchmark_runs_daily} for whole days and
     * the log for the window's partial days. Requires {@link #answers}{@code (f)}.
     */
    static long runCount(Handle h, Filter f, Instant now) {
        Filter noWindow = FilterSql.seriesOnly(f);
        FilterSql rollupWhere = FilterSql.of(noWindow, "s", "s", "s.created_at", now);
        FilterSql logWhere = FilterSql.of(noWindow, "t", "t", "t.run_at", now);
        Map<String, Object> params = new LinkedHashMap<>(rollupWhere.params());
        Days days = Days.of(f, now, params);
        StringBuilder sb = new StringBuilder("""
                SELECT coalesce((SELECT sum(r.runs) FROM benchmark_runs_daily r JOIN series s ON s.id = r.series_id
                                 WHERE true""").append(rollupWhere.andClause());
        days.rollupDays().forEach(c -> sb.append(" AND ").append(c));
        sb.append("), 0)");
        if (!days.logRanges().isEmpty()) {
            sb.append(" + (SELECT count(*) FROM benchmark_results_current t WHERE (")
                    .append(String.join(" OR ", days.logRanges())).append(')').append(logWhere.andClause()).append(')');
        }
        var q = h.createQuery(sb.toString());
        params.forEach(q::bind);
        return q.mapTo(Long.class).one();
    }

    /**
     * The model versions with at least one result the filter selects, in name order: from {@code benchmark_runs_daily}
     * for whole days and the log for the window's partial days, as {@link #runCount} counts them. Requires
     * {@link #answers}{@code (f)}.
     */
    static List<String> models(Handle h, Filter f, Instant now) {
        Filter noWindow = FilterSql.seriesOnly(f);
        FilterSql rollupWhere = FilterSql.of(noWindow, "s", "s", "s.created_at", now);
        FilterSql logWhere = FilterSql.of(noWindow, "t", "t", "t.run_at", now);
        Map<String, Object> params = new LinkedHashMap<>(rollupWhere.params());
        logWhere.params().forEach(params::putIfAbsent);
        Days days = Days.of(f, now, params);
        StringBuilder sb = new StringBuilder("SELECT DISTINCT s.model_version FROM benchmark_runs_daily r "
                + "JOIN series s ON s.id = r.series_id WHERE r.runs > 0").append(rollupWhere.andClause());
        days.rollupDays().forEach(c -> sb.append(" AND ").append(c));
        if (!days.logRanges().isEmpty()) {
            sb.append(" UNION SELECT t.model_version FROM benchmark_results_current t WHERE (")
                    .append(String.join(" OR ", days.logRanges())).append(')').append(logWhere.andClause());
        }
        sb.append(" ORDER BY 1");
        var q = h.createQuery(sb.toString());
        params.forEach(q::bind);
        return q.mapTo(String.class).list();
    }

    /** The cells' SQL (a SELECT to use as a subquery or CTE): one cell per series, metric and day or result. */
    String sql() {
        return NAMED.formatted(sql);
    }

    /** {@link #sql()} without the series' names, keyed by {@code series_id} alone: for answers that need no name. */
    String unnamedSql() {
        return sql;
    }

    /**
     * The cells merged per series and metric (a SELECT with the same columns, {@code t} the newest result's
     * run_at): for answers without a time axis (compare), so the names are joined and the groups sorted for a
     * few hundred cells instead of one per series and day. One sort of the cells by series, metric and recency
     * serves both windows (the partition's mean, and its newest value) and the grouping; the spread merges as in
     * {@link #aggregate}.
     */
    String perSeriesSql() {
        return NAMED.formatted("""
                SELECT c.series_id, c.metric, max(c.last_run_at) AS t, sum(c.n) AS n, sum(c.sum) AS sum,
                       sum(c.sum_sq_dev + c.n * (c.sum / c.n - c.gmean) ^ 2) AS sum_sq_dev,
                       min(c.min) AS min, max(c.max) AS max, max(c.last_run_at) AS last_run_at,
                       min(c.newest_id) AS last_transaction_id, min(c.newest_value) AS last_value
                FROM (SELECT c.*, sum(c.sum) OVER p / sum(c.n) OVER p AS gmean,
                             first_value(c.last_transaction_id) OVER w AS newest_id, first_value(c.last_value) OVER w AS newest_value
                      FROM (%s) c
                      WINDOW p AS (PARTITION BY c.series_id, c.metric),
                             w AS (p ORDER BY c.last_run_at DESC, c.last_transaction_id DESC)) c
                GROUP BY c.series_id, c.metric""".formatted(sql));
    }

    /** Cells keyed by series_id with the series' names in front (the columns the class comment names). */
    private static final String NAMED = """
            SELECT s.model_version, s.dataset_version, s.prompt_version, s.environment, c.*
            FROM (%s) c JOIN series s ON s.id = c.series_id""";

    /**
     * A query merging the cells of {@code cellsName} per {@code groupBy} (comma-separated expressions over
     * the cell columns, prefixed {@code c.}): {@code count} (int), {@code mean}, {@code stddev} (sample),
     * {@code min}, {@code max}, {@code last}, {@code last_transaction_id} and {@code last_run_at} (the newest result's), beside
     * the group columns named {@code g1, g2, ...}.
     */
    static String aggregate(String cellsName, List<String> groupBy) {
        List<String> named = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        for (int i = 0; i < groupBy.size(); i++) {
            named.add(groupBy.get(i) + " AS g" + (i + 1));
            refs.add("c.g" + (i + 1));
        }
        String groups = String.join(", ", refs);
        return """
                SELECT %1$s, sum(c.n)::int AS count, sum(c.sum) / sum(c.n) AS mean,
                       CASE WHEN sum(c.n) > 1 THEN sqrt(greatest(sum(c.sum_sq_dev + c.n * (c.sum / c.n - c.gmean) ^ 2), 0)
                                                         / (sum(c.n) - 1)) END AS stddev,
                       min(c.min) AS min, max(c.max) AS max,
                       (array_agg(c.last_value ORDER BY c.last_run_at DESC, c.last_transaction_id DESC))[1] AS last,
                       (array_agg(c.last_transaction_id ORDER BY c.last_run_at DESC, c.last_transaction_id DESC))[1]
                           AS last_transaction_id,
                       max(c.last_run_at) AS last_run_at
                FROM (SELECT c.*, sum(c.sum) OVER w / sum(c.n) OVER w AS gmean
                      FROM (SELECT %2$s, c.* FROM %3$s c) c
                      WINDOW w AS (PARTITION BY %1$s)) c
                GROUP BY %1$s""".formatted(groups, String.join(", ", named), cellsName);
    }

    <T extends SqlStatement<T>> T bind(T statement) {
        params.forEach(statement::bind);
        return statement;
    }

    /** The first UTC day starting at or after {@code i}: the first whole day from {@code i}, or the exclusive end of the days a window ending at {@code i} touches. */
    static LocalDate ceilDay(Instant i) {
        Instant floor = i.truncatedTo(ChronoUnit.DAYS);
        LocalDate d = LocalDate.ofInstant(floor, ZoneOffset.UTC);
        return floor.equals(i) ? d : d.plusDays(1);
    }

    /** The UTC day that holds {@code i}. */
    static LocalDate floorDay(Instant i) {
        return LocalDate.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant start(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
