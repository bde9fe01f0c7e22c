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
    private String with = "";
    /**
     * What {@link #ofCurrentLog} was given (the filter, the log's alias, the time its {@code last} counts back from),
     * kept so that the newest-first bound reads the same filter at the same time; null for other fragments.
     */
    private Filter filter;
    private String log;
    private Instant now;

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
     * {@link #ofLog} over {@code benchmark_transactions} without the attempts a CI re-run superseded (V4), the rows
     * {@code benchmark_results_current} holds; the statement starts with {@link #with()}. The view probes the key of
     * {@code benchmark_latest_attempts} once per row read (about 0.6 us each on PostgreSQL 15: 1 ms of a 1,000-row
     * history of one series). When the filter names one series, its re-runs' latest attempts (V21 gives each its
     * series) are read once into a materialized CTE, {@code superseded}, which the planner joins by hash above the
     * months (a hashed subquery in the filter would be built again for every month read): one hash lookup per row,
     * and a series with many re-runs costs one more index scan, not one per month. Other filters keep the view's
     * own anti join. A row without a run key is never superseded (NULL equals no key).
     */
    static FilterSql ofCurrentLog(Filter f, String log, Instant now) {
        FilterSql sql = ofLog(f, log, now);
        sql.filter = f;
        sql.log = log;
        sql.now = now;
        if (namesOneSeries(f)) {
            sql.with = "WITH superseded AS MATERIALIZED (SELECT r.run_key, r.attempt FROM benchmark_latest_attempts r"
                    + " WHERE r.series_id = " + PINNED_SERIES + ")\n"; // the parameters ofLog bound
            sql.conditions.add("NOT EXISTS (SELECT 1 FROM superseded r WHERE r.run_key = " + log + ".run_key"
                    + " AND r.attempt > " + log + ".attempt)");
        } else {
            sql.conditions.add("NOT EXISTS (SELECT 1 FROM benchmark_latest_attempts r WHERE r.run_key = " + log + ".run_key"
                    + " AND r.attempt > " + log + ".attempt)");
        }
        return sql;
    }

    /** The {@code WITH} clause the statement must start with ({@link #ofCurrentLog}), or an empty string. */
    String with() {
        return with;
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

    /**
     * Narrows a newest-first read of at most {@code limit} rows ({@code ORDER BY run_at DESC ... LIMIT}) of the current
     * log, aliased {@code log}, to the time its rows are in, when the filter does not name one series (one series is
     * read in order by its own index, {@link #ofLog}). The log has no index on {@code run_at} alone (only a BRIN index,
     * and one led by the series), so without a bound such a read sorts every row the filter matches: the newest 1,000
     * results of all series took 2.7 s at 1M results, of one model 0.65 s (2026-12-05).
     *
     * <p>How: the newest run of the filter's series ({@code benchmark_snapshots.last_seen}, which counts every run that
     * arrived), then a window back from it, one hour first, in which the filter's newest {@code limit} values of
     * {@code run_at} are read (that column alone, with every other condition of the read: tags, superseded attempts,
     * until). When the window holds {@code limit} of them, the oldest is the bound ({@code log.run_at >= bound} joins
     * the conditions): every row of the answer is at or after it, so the answer is the same, and the BRIN index or the
     * series index reads about {@code limit} rows. A short window is tried again, as wide as its count says is needed
     * (twice that, at least twice and at most 64 times wider), three windows in all, none reaching back past the middle
     * of the time the filter can hold (from its series' first run, {@code first_seen}, or its since, to its newest run
     * or until: a wider one is cut there and is the last); then the read stays unbounded.
     * Exact only when the window's read and the rows' read see one snapshot: call it in a REPEATABLE READ transaction
     * ({@link #readNewestFirst}). Only for a fragment of {@link #ofCurrentLog}, whose filter, alias and time it reads.
     *
     * @return this, with or without the bound
     */
    FilterSql boundToNewest(org.jdbi.v3.core.Handle h, int limit) {
        requireCurrentLog("boundToNewest");
        if (!readsNewestBound(filter) || limit <= 0 || limit == Filter.ALL_ROWS) {
            return this; // every row is read: no window of the newest could hold them
        }
        FilterSql names = of(seriesOnly(filter), "s", "s", "s.last_seen", now);
        OffsetDateTime[] span = names.bind(h.createQuery("SELECT min(s.first_seen), max(s.last_seen) FROM benchmark_snapshots s"
                        + names.where()))
                .map((rs, ctx) -> new OffsetDateTime[] {rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class)})
                .one();
        if (span[0] == null || span[1] == null) {
            return this;
        }
        Instant top = filter.until() != null && filter.until().isBefore(span[1].toInstant()) ? filter.until() : span[1].toInstant();
        Instant since = filter.effectiveSince(now);
        Instant from = since != null && since.isAfter(span[0].toInstant()) ? since : span[0].toInstant();
        // A window reaching back past the middle of what the filter can hold reads about as much as the unbounded read;
        // and when too few rows are in it, both are read (a rare provider: about 1.5 times the unbounded read at most).
        Instant middle = from.plus(java.time.Duration.between(from, top).dividedBy(2));
        long window = NEWEST_FIRST_WINDOW_SECONDS;
        for (int tries = 0; tries < NEWEST_FIRST_TRIES; tries++) {
            Instant bound = top.minusSeconds(window);
            boolean last = !bound.isAfter(middle);
            if (last) {
                if (!middle.isBefore(top)) {
                    return this; // no time to hold (an until before the first run, a since after the newest)
                }
                bound = middle; // as far as a window goes: tried once, then the read is unbounded
            }
            List<String> bounded = new ArrayList<>(conditions);
            bounded.add(log + ".run_at >= :f_newest_bound");
            // The newest run_at values alone (no other column is read for them), and the oldest of them.
            var found = bind(h.createQuery("SELECT count(*), min(x.run_at) FROM (SELECT " + log + ".run_at FROM benchmark_transactions "
                    + log + " WHERE " + String.join(" AND ", bounded) + " ORDER BY " + log + ".run_at DESC LIMIT :f_newest_limit) x"))
                    .bind("f_newest_bound", OffsetDateTime.ofInstant(bound, ZoneOffset.UTC))
                    .bind("f_newest_limit", limit)
                    .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getObject(2, OffsetDateTime.class)}).one();
            long count = (Long) found[0];
            if (count >= limit) {
                // The oldest of the newest 'limit' run_at values: every row of the answer is at or after it.
                conditions.add(log + ".run_at >= :f_newest_bound");
                params.put("f_newest_bound", found[1]);
                return this;
            }
            if (last) {
                return this;
            }
            window = count == 0 ? window * 64 : Math.min(window * 64, Math.max(window * 2, window * 2 * limit / count));
        }
        return this;
    }

    private void requireCurrentLog(String method) {
        if (filter == null) {
            throw new IllegalStateException(method + " reads the current log: make the fragment with ofCurrentLog");
        }
    }

    /** The first window {@link #boundToNewest} tries: one hour. */
    private static final long NEWEST_FIRST_WINDOW_SECONDS = 3_600;
    /** Windows {@link #boundToNewest} tries before it reads unbounded. */
    private static final int NEWEST_FIRST_TRIES = 3;

    /**
     * Runs a newest-first read of at most {@code limit} rows through {@code read}: for a filter that
     * {@link #readsNewestBound may be bounded}, in a REPEATABLE READ transaction after {@link #boundToNewest}; otherwise
     * on a plain handle, as before. Not within another callback of the same {@code jdbi} on this thread that has already
     * run a statement ({@link OneSnapshot}).
     */
    <R> R readNewestFirst(org.jdbi.v3.core.Jdbi jdbi, int limit, org.jdbi.v3.core.HandleCallback<R, RuntimeException> read) {
        requireCurrentLog("readNewestFirst");
        if (!readsNewestBound(filter)) {
            return jdbi.withHandle(read);
        }
        return OneSnapshot.read(jdbi, h -> {
            boundToNewest(h, limit);
            return read.withHandle(h);
        });
    }

    /**
     * Whether {@link #boundToNewest} may narrow a newest-first read of this filter (it does not name one series), so
     * that the read should run in a REPEATABLE READ transaction with it.
     */
    static boolean readsNewestBound(Filter f) {
        return !namesOneSeries(f);
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
