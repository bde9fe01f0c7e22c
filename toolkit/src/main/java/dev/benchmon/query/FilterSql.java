package dev.benchmon.query;

import dev.benchmon.Filter;
import dev.benchmon.ingest.ResultJson;
import org.jdbi.v3.core.statement.SqlStatement;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Filter} as a SQL {@code WHERE} fragment with bound parameters (never concatenated values).
 * Column names are fixed by the caller; only values come from the filter.
 */
final class FilterSql {
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> params = new LinkedHashMap<>();

    /**
     * @param series alias of the table holding the series columns (model_version, ...)
     * @param run    alias of the table holding run columns (tags, model_provider)
     * @param time   the column compared with since/until, e.g. {@code s.run_at}
     */
    static FilterSql of(Filter f, String series, String run, String time, Instant now) {
        FilterSql sql = new FilterSql();
        sql.anyOf(series + ".environment", "f_environments", f.environments());
        sql.anyOf(series + ".model_version", "f_models", f.models());
        sql.anyOf(series + ".dataset_version", "f_datasets", f.datasets());
        sql.anyOf(series + ".prompt_version", "f_prompts", f.prompts());
        sql.anyOf(run + ".model_provider", "f_providers", f.providers());
        if (!f.tags().isEmpty()) {
            sql.conditions.add(run + ".tags @> CAST(:f_tags AS jsonb)");
            sql.params.put("f_tags", ResultJson.mapper().valueToTree(f.tags()).toString());
        }
        Instant since = f.effectiveSince(now);
        if (since != null) {
            sql.conditions.add(time + " >= :f_since");
            sql.params.put("f_since", OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
        }
        if (f.until() != null) {
            sql.conditions.add(time + " < :f_until");
            sql.params.put("f_until", OffsetDateTime.ofInstant(f.until(), ZoneOffset.UTC));
        }
        return sql;
    }

    /** The filter's series names only (environment, model, dataset, prompt): no time window, tags or providers. */
    static Filter seriesOnly(Filter f) {
        return new Filter(f.environments(), f.models(), f.datasets(), f.prompts(), List.of(), Map.of(),
                null, null, null, List.of(), null);
    }

    /**
     * The filter over the log (a view with {@code series_id}, aliased {@code log}). When the filter names exactly one
     * series (one model, dataset, prompt and environment), the series is looked up once, as an InitPlan, and the log
     * is filtered by {@code series_id} alone: each month's index on {@code (series_id, run_at DESC, id DESC)} then
     * returns its rows in order and an {@code ORDER BY run_at DESC ... LIMIT} stops after the newest months instead
     * of sorting every row of the series (measured at 10M results: 99.7 ms before, see ScaleBenchmark).
     */
    private static FilterSql ofLog(Filter f, String log, Instant now) {
        if (!namesOneSeries(f)) {
            return of(f, log, log, log + ".run_at", now);
        }
        FilterSql sql = of(f.withModels().withDatasets().withPrompts().withEnvironments(),
                log, log, log + ".run_at", now);
        sql.conditions.add(0, log + ".series_id = " + PINNED_SERIES);
        sql.params.put("f_models", f.models().get(0));
        sql.params.put("f_datasets", f.datasets().get(0));
        sql.params.put("f_prompts", f.prompts().get(0));
        sql.params.put("f_environments", f.environments().get(0));
        return sql;
    }

    /**
     * {@link #ofLog} over {@code benchmark_transactions} without the attempts a CI re-run superseded (V4), as
     * {@code benchmark_results_current} leaves them out, at a lower cost per row: the superseded attempts of the
     * filter's series (each re-run's latest attempt and series, V21, expanded to the attempts before it) are one
     * uncorrelated subquery, which PostgreSQL hashes once per month read, and each row is a lookup in that hash.
     * The view probes the key of {@code benchmark_latest_attempts} per row instead: about 0.6 us each on PostgreSQL 15,
     * 1 ms of a 1,000-row history of one series. A row without a run key is never superseded (its lookup is NULL, read
     * as false).
     */
    static FilterSql ofCurrentLog(Filter f, String log, Instant now) {
        FilterSql sql = ofLog(f, log, now);
        String series;
        if (namesOneSeries(f)) {
            series = " WHERE r.series_id = " + PINNED_SERIES; // the parameters ofLog bound
        } else {
            FilterSql names = of(seriesOnly(f), "s", "s", "s.run_at", now); // the same parameters as the log's filter
            series = names.conditions.isEmpty() ? "" : " WHERE r.series_id IN (SELECT s.id FROM series s" + names.where() + ")";
            sql.params.putAll(names.params);
        }
        sql.conditions.add("NOT coalesce((" + log + ".run_key, " + log + ".attempt) IN (SELECT r.run_key, a.attempt"
                + " FROM benchmark_latest_attempts r CROSS JOIN generate_series(1, r.attempt - 1) a(attempt)" + series + "), false)");
        return sql;
    }

    /** The id of the one series a filter names, as a subquery (an InitPlan: looked up once per statement). */
    private static final String PINNED_SERIES = "(SELECT pin.id FROM series pin WHERE pin.model_version = :f_models"
            + " AND pin.dataset_version = :f_datasets AND pin.prompt_version = :f_prompts AND pin.environment = :f_environments)";

    /** Whether the filter names exactly one series: one model, dataset, prompt and environment. */
    private static boolean namesOneSeries(Filter f) {
        return f.models().size() == 1 && f.datasets().size() == 1 && f.prompts().size() == 1 && f.environments().size() == 1;
    }

    private void anyOf(String column, String param, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        if (values.size() == 1) {
            // Plain equality keeps index use obvious to the planner.
            conditions.add(column + " = :" + param);
            params.put(param, values.get(0));
        } else {
            conditions.add(column + " = ANY (:" + param + ")");
            params.put(param, values.toArray(String[]::new));
        }
    }

    /** Adds a condition with its own parameters. */
    FilterSql and(String condition, Map<String, Object> extra) {
        conditions.add(condition);
        params.putAll(extra);
        return this;
    }

    /** {@code WHERE ...} or an empty string. */
    String where() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** {@code AND ...} for appending to an existing WHERE, or an empty string. */
    String andClause() {
        return conditions.isEmpty() ? "" : " AND " + String.join(" AND ", conditions);
    }

    /** The bound values by parameter name. */
    Map<String, Object> params() {
        return params;
    }

    <T extends SqlStatement<T>> T bind(T statement) {
        params.forEach(statement::bind);
        return statement;
    }
}
