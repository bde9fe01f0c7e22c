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
