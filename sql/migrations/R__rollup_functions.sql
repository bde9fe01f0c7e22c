-- benchmon rollups: the writer that keeps benchmark_rollups_daily and benchmark_runs_daily (V9) in
-- the same transaction as every insert into the log, the rebuild from the log, and the statistics
-- refresh after bulk loads. Repeatable: Flyway re-applies this file whenever it changes.

-- The one statement that folds a set of log rows (a table, view or a trigger's transition table named
-- p_source, with the log's columns series_id, id, run_at and metrics) into the rollups. Cells merge with Chan, Golub and LeVeque's
-- pairwise formula (Chan et al. 1979, "Updating formulae and a pairwise algorithm for computing
-- sample variances"):
--     n = n1 + n2,  sum = sum1 + sum2,
--     M2 = M2a + M2b + (n1 n2 / n) (mean1 - mean2)^2
-- which is what PostgreSQL's own float8_combine does for parallel variance. Concurrent writers of
-- the same cell serialise on its row; cells are inserted in key order so they lock in one order.
CREATE OR REPLACE FUNCTION benchmark_rollups_sql(p_source text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT format($q$
    WITH rows AS (
        SELECT n.series_id, n.id, n.run_at, n.metrics, (n.run_at AT TIME ZONE 'UTC')::date AS day
        FROM %1$s n
    ),
    runs AS (
        INSERT INTO benchmark_runs_daily AS d (series_id, day, runs)
        SELECT r.series_id, r.day, count(*) FROM rows r GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (series_id, day) DO UPDATE SET runs = d.runs + excluded.runs
        RETURNING 1
    ),
    -- Each cell's newest value is ranked by one window sort over all values, which the grouping below reuses;
    -- three (array_agg(... ORDER BY ...))[1] sorted every cell's values once per aggregate on PostgreSQL
    -- before 16 (10,000 results: 221 -> 113 ms on 15, 163 -> 117 ms on 17).
    vals AS (
        SELECT r.series_id, mn.id AS metric_id, r.day, r.run_at, r.id, (m.value #>> '{}')::float8 AS x,
               row_number() OVER (PARTITION BY r.series_id, mn.id, r.day ORDER BY r.run_at DESC, r.id DESC) AS newest
        FROM rows r CROSS JOIN LATERAL jsonb_each(r.metrics) AS m(key, value)
        JOIN metric_names mn ON mn.name = m.key
        WHERE jsonb_typeof(m.value) = 'number'
    ),
    cells AS (
        SELECT v.series_id, v.metric_id, v.day, count(*) AS n, sum(v.x) AS sum,
               coalesce(var_pop(v.x), 0) * count(*) AS sum_sq_dev, min(v.x) AS min, max(v.x) AS max,
               max(v.run_at) FILTER (WHERE v.newest = 1) AS last_run_at,
               max(v.id) FILTER (WHERE v.newest = 1) AS last_transaction_id,
               max(v.x) FILTER (WHERE v.newest = 1) AS last_value
        FROM vals v
        GROUP BY 1, 2, 3
    )
    INSERT INTO benchmark_rollups_daily AS c
        (series_id, metric_id, day, n, sum, sum_sq_dev, min, max, last_run_at, last_transaction_id, last_value)
    SELECT * FROM cells ORDER BY series_id, metric_id, day
    ON CONFLICT (series_id, metric_id, day) DO UPDATE SET
        n          = c.n + excluded.n,
        sum        = c.sum + excluded.sum,
        sum_sq_dev = c.sum_sq_dev + excluded.sum_sq_dev
                     + (c.n::float8 * excluded.n / (c.n + excluded.n)) * (c.sum / c.n - excluded.sum / excluded.n) ^ 2,
        min        = least(c.min, excluded.min),
        max        = greatest(c.max, excluded.max),
        last_value = CASE WHEN (excluded.last_run_at, excluded.last_transaction_id) > (c.last_run_at, c.last_transaction_id)
                          THEN excluded.last_value ELSE c.last_value END,
        last_transaction_id = CASE WHEN (excluded.last_run_at, excluded.last_transaction_id) > (c.last_run_at, c.last_transaction_id)
                          THEN excluded.last_transaction_id ELSE c.last_transaction_id END,
        last_run_at = greatest(c.last_run_at, excluded.last_run_at)
    $q$, p_source)
$$;

-- Registers the metric names of a set of log rows (p_source as for benchmark_rollups_sql) in
-- metric_names (V16), which benchmark_rollups_sql's cells refer to by id. Run as its own statement
-- before that one, so the cells' statement sees every name, including one that a concurrent writer
-- registered first (this INSERT waits for it to commit; a READ COMMITTED statement after it sees it).
-- Names are inserted in order, so concurrent writers lock them in one order.
CREATE OR REPLACE FUNCTION benchmark_metric_names_sql(p_source text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT format($q$
    INSERT INTO metric_names (name)
    SELECT DISTINCT k.name FROM %1$s n CROSS JOIN LATERAL jsonb_object_keys(n.metrics) AS k(name)
    -- Only the new ones: an INSERT that meets a conflict still draws an id.
    WHERE NOT EXISTS (SELECT 1 FROM metric_names x WHERE x.name = k.name)
    ORDER BY 1
    ON CONFLICT (name) DO NOTHING
    $q$, p_source)
$$;

-- After every INSERT statement on the log (ingest_staged_results, a hand-written INSERT or COPY by
-- the owner): folds the statement's new rows into the rollups, and records a re-run's latest attempt
-- (benchmark_latest_attempts, V15). A statement-level trigger with a
-- transition table sees each statement's rows at once, so a batch of 10,000 results costs one
-- set-based statement, and no write path can forget the rollups. (Series exist before their rows:
-- the log's series_id references them.)
-- enable_nestloop on: the writer (ingest_staged_results) turns nested loops off for its own statement;
-- a CI re-run's rebuild below joins a few days of one run by index and must not become hash joins
-- over every month.
-- Static SQL for the new rows: the two statements are written into the body when this file runs (format below,
-- from benchmark_metric_names_sql and benchmark_rollups_sql, so there is one text of each), and PL/pgSQL keeps
-- their plans for the session. Run as EXECUTE, each write parsed, analysed and planned both again: on a single-result
-- push that was about a quarter of the database's CPU (PostgreSQL 15, a million results, pgbench of
-- upsert_benchmark_results with one result: one session 2.8-3.2 -> 2.0-2.8 ms, 8 sessions 327-340 -> 369-443 per s).
-- A kept plan keeps the row count of new_rows it was first planned with, until something invalidates it (an ANALYZE of
-- a table it reads); both statements stay linear whatever the count: the names' insert hashes metric_names against
-- the new names (as it did planned anew), the rollups' insert groups the values and probes each cell's key. A chunk of
-- 10,000 results after a one-result write in the same session took 1.41-1.46 s against 1.51-1.74 s planned anew; a
-- change to either text should keep it free of a nested loop over new_rows.
DO $generate$
BEGIN
    EXECUTE format($fn$
CREATE OR REPLACE FUNCTION benchmark_rollups_on_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT SET enable_nestloop = on AS $body$
DECLARE
    v_series integer[];
    v_days   date[];
    v_source text;
BEGIN
    -- benchmark_metric_names_sql('new_rows'), written in by R__rollup_functions.sql
    %s;
    -- benchmark_rollups_sql('new_rows'), written in by R__rollup_functions.sql
    %s;
    -- A CI re-run (attempt > 1, V4) supersedes the earlier attempts of its run, which queries leave
    -- out (benchmark_results_current). Min and max cannot be subtracted, so the days that the new
    -- and the superseded attempts touch are rebuilt from the current attempts. Re-runs are rare:
    -- the common insert never takes this branch.
    IF EXISTS (SELECT 1 FROM new_rows WHERE attempt > 1) THEN
        -- First the run's latest attempt (V15), which the rebuild below reads through benchmark_results_current.
        INSERT INTO benchmark_latest_attempts AS l (run_key, attempt, series_id)
        SELECT n.run_key, max(n.attempt), min(n.series_id) FROM new_rows n WHERE n.attempt > 1 AND n.run_key IS NOT NULL
        GROUP BY n.run_key ORDER BY n.run_key
        ON CONFLICT (run_key) DO UPDATE SET attempt = greatest(l.attempt, excluded.attempt);
        -- The days as arrays, not a TEMP table: this function runs as the owner, and a TEMP table of that name
        -- could be one the app login made first, with a trigger of its own.
        SELECT coalesce(array_agg(d.series_id), '{}'), coalesce(array_agg(d.day), '{}') INTO v_series, v_days
        FROM (SELECT DISTINCT t.series_id, (t.run_at AT TIME ZONE 'UTC')::date AS day
              FROM new_rows n
              JOIN benchmark_log t ON t.run_key = n.run_key
              WHERE n.attempt > 1) d;
        DELETE FROM benchmark_rollups_daily r USING unnest(v_series, v_days) AS d(series_id, day)
        WHERE r.series_id = d.series_id AND r.day = d.day;
        DELETE FROM benchmark_runs_daily r USING unnest(v_series, v_days) AS d(series_id, day)
        WHERE r.series_id = d.series_id AND r.day = d.day;
        v_source := $src$(
            SELECT c.* FROM benchmark_results_current c
            JOIN unnest($1::integer[], $2::date[]) AS d(series_id, day) ON d.series_id = c.series_id
             AND c.run_at >= (d.day::timestamp AT TIME ZONE 'UTC')
             AND c.run_at < ((d.day + 1)::timestamp AT TIME ZONE 'UTC'))$src$;
        -- Their names are registered already, unless the rows came in without this trigger (a restore).
        EXECUTE benchmark_metric_names_sql(v_source) USING v_series, v_days;
        EXECUTE benchmark_rollups_sql(v_source) USING v_series, v_days;
    END IF;
    RETURN NULL;
END;
$body$
$fn$, benchmark_metric_names_sql('new_rows'), benchmark_rollups_sql('new_rows'));
END;
$generate$;

-- Rebuilds benchmark_latest_attempts (V15) from the log: the latest attempt of every run with more than
-- one. The log's insert trigger keeps it; this repairs it after rows came in without the trigger (a
-- data-only restore, an insert into one month's partition, an attached archive). Returns the runs.
CREATE OR REPLACE FUNCTION rebuild_benchmark_latest_attempts() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v_runs bigint;
BEGIN
    LOCK TABLE benchmark_log IN SHARE MODE;
    DELETE FROM benchmark_latest_attempts;
    INSERT INTO benchmark_latest_attempts (run_key, attempt, series_id)
    SELECT t.run_key, max(t.attempt), min(t.series_id) FROM benchmark_log t WHERE t.attempt > 1 AND t.run_key IS NOT NULL
    GROUP BY t.run_key;
    GET DIAGNOSTICS v_runs = ROW_COUNT;
    RETURN v_runs;
END;
$$;

-- Rebuilds both rollup tables from the whole log (after a restore, or to check them), after the latest
-- attempts they leave superseded ones out by. Returns the number of cells. Takes a SHARE lock on the
-- log: writers wait until it commits.
CREATE OR REPLACE FUNCTION rebuild_benchmark_rollups() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v_cells bigint;
BEGIN
    LOCK TABLE benchmark_log IN SHARE MODE;
    PERFORM rebuild_benchmark_latest_attempts();
    DELETE FROM benchmark_rollups_daily;
    DELETE FROM benchmark_runs_daily;
    -- From the current attempts, as the trigger keeps them (a superseded attempt of a CI re-run is left out).
    EXECUTE benchmark_metric_names_sql('benchmark_results_current');
    EXECUTE benchmark_rollups_sql('benchmark_results_current');
    SELECT count(*) INTO v_cells FROM benchmark_rollups_daily;
    ANALYZE benchmark_rollups_daily;
    ANALYZE benchmark_runs_daily;
    RETURN v_cells;
END;
$$;

-- Fresh planner statistics after a bulk load of p_written results (import): the planner otherwise
-- plans the next reads with the row counts from before the load. The small hot tables are analyzed
-- always (milliseconds); the log and the rollups only when the load added more than a tenth of
-- what the planner believes they hold (ANALYZE of a large log costs seconds on a busy machine, and
-- autovacuum's thresholds in V9 cover steady growth).
DROP FUNCTION IF EXISTS refresh_benchmark_statistics();
CREATE OR REPLACE FUNCTION refresh_benchmark_statistics(p_written bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    ANALYZE benchmark_snapshots;
    ANALYZE series;
    ANALYZE benchmark_runs_daily;
    -- A partitioned table's own reltuples says nothing; its partitions' add up to the log.
    IF p_written > 0.1 * (SELECT coalesce(sum(greatest(c.reltuples, 0)), 0) FROM pg_inherits i
                          JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'benchmark_log'::regclass) THEN
        ANALYZE benchmark_log;
        ANALYZE benchmark_result_keys;
        ANALYZE benchmark_rollups_daily;
    END IF;
END;
$$;

-- The partitioned log's own statistics, which autovacuum never gathers (it analyzes each month, not the
-- partitioned table): without them the planner estimates a join or a GROUP BY over the whole log with default
-- selectivities, and a deployment that only pushes (no import of 5,000 results, which refresh_benchmark_statistics
-- follows) never had any. ANALYZE benchmark_log (which also samples each month) when the log has rows and none yet (or
-- had them when empty), or when its months hold more than a tenth more rows, and at least 1,000 more, than it counted
-- at its last ANALYZE (the parent's reltuples, which PostgreSQL 14 and later set; each month's is kept by autovacuum,
-- and counted by the statistics system before autovacuum reaches it). The server calls it every few minutes
-- (LogStatistics); returns whether it analyzed.
CREATE OR REPLACE FUNCTION refresh_benchmark_log_statistics() RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v_counted float8;
    v_now     float8;
BEGIN
    -- PostgreSQL 13 never records a partitioned table's reltuples: the rule would ANALYZE the whole log at every call.
    IF current_setting('server_version_num')::int < 140000 THEN
        RETURN false;
    END IF;
    SELECT c.reltuples INTO v_counted FROM pg_class c WHERE c.oid = 'benchmark_log'::regclass;
    -- A month autovacuum has not reached yet has no reltuples (-1): the statistics system's live rows count it.
    SELECT coalesce(sum(greatest(c.reltuples, s.n_live_tup, 0)), 0) INTO v_now
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
    WHERE i.inhparent = 'benchmark_log'::regclass;
    IF v_now > 0 AND (v_counted <= 0 OR v_now - v_counted > greatest(1000, 0.1 * v_counted)) THEN
        ANALYZE benchmark_log;
        RETURN true;
    END IF;
    RETURN false;
END;
$$;

DROP TRIGGER IF EXISTS benchmark_log_rollups ON benchmark_log;
CREATE TRIGGER benchmark_log_rollups
    AFTER INSERT ON benchmark_log
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION benchmark_rollups_on_insert();

-- Carry existing data forward, once. Flyway applies this file in one transaction: CREATE TRIGGER
-- above locks the log against writers until it commits, so every row is either backfilled here or
-- folded in by the trigger (rebuild_benchmark_rollups also takes its own lock, for psql users).
SELECT rebuild_benchmark_rollups()
WHERE NOT EXISTS (SELECT 1 FROM benchmark_rollups_daily) AND EXISTS (SELECT 1 FROM benchmark_log);
-- The latest attempts likewise (V15 filled them before this trigger kept them: a re-run written in between
-- is counted here; the partial index benchmark_log_reruns_idx finds the re-runs).
SELECT rebuild_benchmark_latest_attempts() WHERE EXISTS (SELECT 1 FROM benchmark_log);
