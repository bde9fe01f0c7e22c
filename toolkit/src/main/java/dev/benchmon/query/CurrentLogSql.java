package dev.benchmon.query;

import dev.benchmon.Filter;
import org.jdbi.v3.core.statement.SqlStatement;

import java.time.Instant;
import java.util.Map;

/**
 * A filter over the log without the attempts a CI re-run superseded, for reads outside this package that select
 * their own columns (the series page's runs): the rows {@code benchmark_results_current} holds, by the same SQL the
 * history reads use ({@link FilterSql#ofCurrentLog}: for one series, its superseded attempts hashed once).
 *
 * @param with   the {@code WITH} clause the statement must start with, or an empty string
 * @param where  {@code WHERE ...} over the log's alias, or an empty string
 * @param params the values to bind (use {@link #bind})
 */
public record CurrentLogSql(String with, String where, Map<String, Object> params) {
    /** The filter over {@code log}, the alias of {@code benchmark_transactions} in the caller's statement. */
    public static CurrentLogSql of(Filter filter, String log) {
        FilterSql sql = FilterSql.ofCurrentLog(filter, log, Instant.now());
        return new CurrentLogSql(sql.with(), sql.where(), java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sql.params())));
    }

    /** Binds the filter's values to {@code statement}. */
    public <T extends SqlStatement<T>> T bind(T statement) {
        params.forEach(statement::bind);
        return statement;
    }
}
