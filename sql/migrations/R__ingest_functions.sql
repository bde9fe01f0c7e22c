-- benchmon ingest functions and views. Repeatable: Flyway re-applies this file whenever it changes,
-- so everything here is CREATE OR REPLACE.

-- The run a result belongs to (see V4): NULL without a run_id; else an MD5 (as a uuid) over the
-- series, the run_id and run_at as sent (NULL when the result left it out). upsert_benchmark_results calls it.
-- STABLE, as its body is (jsonb_build_array and extract are STABLE in the catalog): so PostgreSQL inlines it into
-- the writer's statements instead of calling it row by row (IMMUTABLE over a STABLE body is never inlined, see V19):
-- 50,000 run keys on PostgreSQL 15 took 260 ms called, 155 ms inlined, and the writer computes it twice per row.
CREATE OR REPLACE FUNCTION benchmark_run_key(p_model_version text, p_dataset_version text, p_prompt_version text,
                                             p_environment text, p_run_id text, p_run_at_sent timestamptz)
RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN p_run_id IS NULL THEN NULL ELSE
        md5(jsonb_build_array(p_model_version, p_dataset_version, p_prompt_version, p_environment, p_run_id,
                              extract(epoch FROM p_run_at_sent))::text)::uuid
    END
$$;

-- The log as queries read it by default: every result, except those superseded by a later attempt
-- of the same run (a CI re-run with new numbers for the same run_id; see V4). Results without a
-- run_id are never superseded (their NULL run_key equals no key). The log itself keeps every attempt.
-- The later attempts are looked up in benchmark_latest_attempts (V15: only runs tried more than once).
-- Why a bare NOT EXISTS, without "run_key IS NULL OR": under an OR the lookup stays a subplan run for
-- each row, which the planner may make a scan of the whole small table per row (1,200 rows of one
-- series: 3.9-4.8 ms on PostgreSQL 15); alone it becomes an anti join, a hash or a probe of the table's
-- key as the statistics say (1.9 ms there), with the same rows. Rows without a run_key now pay that
-- probe too (about 0.3 ms per 1,000 rows on PostgreSQL 17 when the table is empty).
CREATE OR REPLACE VIEW benchmark_results_current AS
SELECT t.*
FROM benchmark_transactions t
WHERE NOT EXISTS (SELECT 1 FROM benchmark_latest_attempts l
                  WHERE l.run_key = t.run_key AND l.attempt > t.attempt);

COMMENT ON VIEW benchmark_results_current IS
    'The log without results superseded by a later attempt of the same CI run (same run_key, higher attempt).';

-- The session's staging table for the set-based writer: the toolkit COPYs a chunk of results into
-- it (PgJDBC CopyManager), then ingest_staged_results moves them into the log, series, snapshots
-- and (by the log's statement trigger) rollups in a handful of set-based statements.
-- Why a TEMP table: it is private to the session (concurrent writers never see each other's rows),
-- writes no WAL, and needs no INSERT grant on any shared table, so the app role keeps V8's least
-- privilege (SELECT and EXECUTE only). It is created here, by the owner (SECURITY DEFINER), once per
-- session, and only the session's own login (session_user) is granted INSERT on it; its rows go at
-- every commit (ON COMMIT DELETE ROWS) and ingest_staged_results empties it after each move.
-- Columns as sent: NULL means absent (defaults are applied by the move, as for the JSON path).
-- run_at_sent came later than the other columns (benchmon_complete_staging).
--
-- Why it is checked before use: the app login may create TEMP tables of its own, so a table of that name
-- in pg_temp could be the app's, with a trigger or rule that would run as the owner when the owner's
-- functions fill, read or empty it. benchmon_check_staging refuses anything but the plain table these
-- functions created (owned by the functions' owner, no triggers, no rules).
CREATE OR REPLACE FUNCTION benchmon_check_staging() RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_table regclass := to_regclass('pg_temp.benchmark_ingest_staging');
BEGIN
    IF v_table IS NULL THEN
        RETURN false;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                   WHERE c.oid = v_table AND c.relkind = 'r' AND c.relpersistence = 't'
                     AND c.relowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)
                     AND NOT c.relhastriggers AND NOT c.relhasrules) THEN
        RAISE EXCEPTION 'pg_temp.benchmark_ingest_staging was not created by benchmon_open_staging (another owner, '
            'kind, a trigger or a rule); drop it and reconnect' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN true;
END;
$$;

-- Adds the columns that came later to the session's staging table (checked by benchmon_check_staging first): a
-- table opened before them, by a server running across the upgrade, whose writer leaves them out of its COPY. One
-- catalog probe per call. Called by the SECURITY DEFINER functions below, as the table's owner.
CREATE OR REPLACE FUNCTION benchmon_complete_staging() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = 'pg_temp.benchmark_ingest_staging'::regclass AND a.attname = 'run_at_sent'
                     AND NOT a.attisdropped) THEN
        ALTER TABLE pg_temp.benchmark_ingest_staging ADD COLUMN run_at_sent boolean;
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION benchmon_open_staging() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF benchmon_check_staging() THEN
        PERFORM benchmon_complete_staging();
    ELSE
        CREATE TEMP TABLE benchmark_ingest_staging (
            ord              integer NOT NULL,
            idempotency_key  text,
            model_version    text,
            dataset_version  text,
            prompt_version   text,
            model_provider   text,
            environment      text,
            metrics          jsonb,
            stderr           jsonb,
            sample_sizes     jsonb,
            run_at           timestamptz,
            commit_sha       text,
            branch           text,
            run_id           text,
            triggered_by     text,
            tags             jsonb,
            notes            text,
            metadata         jsonb,
            -- false: run_at is the time a database gave a result sent without one (an export's copy, "run_at_sent":
            -- false), and its run is keyed as if no run_at were sent; NULL (absent) or true: run_at as sent
            run_at_sent      boolean
        ) ON COMMIT DELETE ROWS;
        EXECUTE format('GRANT INSERT ON pg_temp.benchmark_ingest_staging TO %I', session_user);
    END IF;
END;
$$;

-- Moves the snapshot row of each series in p_series_ids (series.id) onto the series' newest run that counts: in the
-- log, not superseded by a later attempt of its CI run (as benchmark_results_current), not in excluded_runs; newest by
-- (run_at, id), as ingest orders runs. When every run of the series is excluded the row stays on (or moves to) its
-- newest run, which is excluded: readers leave such a row out (SnapshotQuery), and the next run that arrives replaces
-- it whatever its run_at (ingest_staged_results).
-- Only the run fields move (metrics, stderr, model_provider, commit_sha, branch, run_id, transaction_id, run_at);
-- updated_at stays the last write of a result (the dashboard's "Last ingest" card reads it), not the last annotation. run_count,
-- first_seen and last_seen keep describing every run that arrived, excluded ones included (runs seen, a CI re-run
-- counted once, V22): an exclusion is a judgement on a run, not its removal from the log, and they stay the running
-- figures ingest keeps without reading the log. So last_seen may be later than run_at while the newest run is
-- excluded.
-- A row moves only when it stands on an excluded run or a superseded attempt, or a newer run counts (an included
-- run): a row whose run lies
-- in a month detached from the log is never moved back onto an older run. One probe of the series' index
-- (series_id, run_at DESC, id DESC) per series, walking from the newest run to the first that counts.
-- Returns the number of snapshot rows moved. Owner's rights (not SECURITY DEFINER): annotate_run calls it as the
-- owner; the app role, without UPDATE on the snapshots, cannot.
-- V37 created it (and called it to carry its data forward, before the repeatable files run); it lives here since V40,
-- beside the ingest's snapshot upsert, so the two keep the same fields of a run (V40 added stderr).
CREATE OR REPLACE FUNCTION benchmark_snapshots_recompute(p_series_ids integer[])
RETURNS integer
LANGUAGE sql AS $$
    WITH newest AS (
        SELECT r.model_version, r.dataset_version, r.prompt_version, r.environment, n.*
        FROM series r
        CROSS JOIN LATERAL (
            (SELECT l.id, l.run_at, l.model_provider, l.metrics, l.stderr, l.commit_sha, l.branch, l.run_id
             FROM benchmark_log l
             WHERE l.series_id = r.id
               AND NOT EXISTS (SELECT 1 FROM benchmark_latest_attempts a WHERE a.run_key = l.run_key AND a.attempt > l.attempt)
               AND NOT EXISTS (SELECT 1 FROM excluded_runs x WHERE x.transaction_id = l.id)
             ORDER BY l.run_at DESC, l.id DESC
             LIMIT 1)
            UNION ALL
            (SELECT l.id, l.run_at, l.model_provider, l.metrics, l.stderr, l.commit_sha, l.branch, l.run_id
             FROM benchmark_log l
             WHERE l.series_id = r.id
               AND NOT EXISTS (SELECT 1 FROM benchmark_latest_attempts a WHERE a.run_key = l.run_key AND a.attempt > l.attempt)
             ORDER BY l.run_at DESC, l.id DESC
             LIMIT 1)
            LIMIT 1
        ) n
        WHERE r.id = ANY (p_series_ids)
    ),
    moved AS (
        UPDATE benchmark_snapshots s
        SET metrics = n.metrics, stderr = n.stderr, model_provider = n.model_provider, commit_sha = n.commit_sha,
            branch = n.branch, run_id = n.run_id, transaction_id = n.id, run_at = n.run_at
        FROM newest n
        WHERE s.model_version = n.model_version AND s.dataset_version = n.dataset_version
          AND s.prompt_version = n.prompt_version AND s.environment = n.environment
          AND s.transaction_id <> n.id
          AND (EXISTS (SELECT 1 FROM excluded_runs x WHERE x.transaction_id = s.transaction_id)
               OR (n.run_at, n.id) > (s.run_at, s.transaction_id)
               -- the snapshot's run was superseded by a later attempt (of an earlier run_at: ingest_staged_results)
               OR EXISTS (SELECT 1 FROM benchmark_log l
                          JOIN benchmark_latest_attempts a ON a.run_key = l.run_key AND a.attempt > l.attempt
                          WHERE l.id = s.transaction_id AND l.run_at = s.run_at))
        RETURNING 1
    )
    SELECT count(*)::integer FROM moved
$$;

COMMENT ON FUNCTION benchmark_snapshots_recompute(integer[]) IS
    'Moves each given series'' snapshot onto its newest run that counts (not excluded, not superseded); V37.';

-- Moves the session's staged results (benchmon_open_staging) into the log: inserts each (skipping
-- idempotency keys already present), registers new series, moves each touched series' snapshot
-- forward when a newer run_at arrives, and empties the staging table. Every step is one set-based
-- statement over the whole chunk; the rollups follow by the log's statement-level trigger.
-- A snapshot shows its series' newest run that counts (V37): never an excluded run while one counts (annotate_run
-- moves it when a run is excluded or included). Its run_count, first_seen and last_seen count every run that arrived,
-- excluded ones included (an exclusion judges a run, it does not remove it from the log).
-- Returns, per staged row (its ord), the transaction id and whether it was new.
-- A result re-sent under its own idempotency key (any key but the ones benchmon derives, sha256:... and
-- content:sha256:...) that states a value its stored result does not hold is refused: SQLSTATE 23505, the first one
-- in the message, every one in DETAIL as JSON ([{"ordinal", "transaction_id", "series", "fields": [...]}]);
-- the transaction rolls back, so nothing of it is stored. Answering "already present" would acknowledge values that
-- were dropped. A retry (the same values, or fewer: a field left out, as an export that does not hold it) is not.
CREATE OR REPLACE FUNCTION ingest_staged_results()
RETURNS TABLE (ordinal integer, transaction_id bigint, created boolean)
-- SECURITY DEFINER: the app role may not write the log or the snapshots itself (V8).
-- enable_nestloop off: plpgsql keeps one plan per session for the big statement below (it has no
-- parameters), so a pooled connection whose first call staged one result would join a later chunk of
-- 10,000 with nested loops over CTEs, quadratic in the chunk (measured: 70 s for 10,000). Without
-- nested loops every join is a hash join whatever the chunk's size; lookups stay index probes
-- (scalar subqueries and ON CONFLICT).
-- jit off: a chunk's statements cost past jit_above_cost, and where PostgreSQL has JIT (PostgreSQL 15 from Debian)
-- compiling them took longer than running them: a re-sent chunk of 10,000 took 676 ms with JIT, 368 ms without, and
-- the comparison of re-sent results 1,280 ms with JIT (1,180 ms of it compiling), 95 ms without.
LANGUAGE plpgsql SECURITY DEFINER SET enable_nestloop = off SET jit = off AS $$
DECLARE
    v_ords      integer[];
    v_ids       bigint[];
    v_created   boolean[];
    v_keys      uuid[];
    v_bad_ord   integer;
    v_bad_field text;
    v_changed   jsonb;
    v_reruns    integer[];
BEGIN
    IF NOT benchmon_check_staging() THEN
        RAISE EXCEPTION 'no staged results: call benchmon_open_staging() and fill pg_temp.benchmark_ingest_staging first'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM benchmon_complete_staging();

    -- Ingests and exclusions take turns, through one advisory lock: shared here, exclusive in annotate_run (taken there
    -- before it reads anything). The snapshot upsert below decides whether a run that arrives replaces a snapshot
    -- standing on an excluded run, and annotate_run recomputes a snapshot from the runs it sees; in READ COMMITTED
    -- neither sees the other's uncommitted rows, so an exclusion committed while a run of its series was being ingested
    -- left the snapshot on an excluded or an older run until the series' next run. This waits for an exclusion in
    -- flight to commit, and holds exclusions back until this transaction commits (a transaction-level lock, over every
    -- chunk of it): taken before the statements below, each of which takes its own snapshot afterwards, so they see
    -- every exclusion committed. Shared locks do not conflict with each other: ingests still run side by side.
    -- Why one key, not a shared lock per series (which would make only the exclusions of the same series wait): a chunk
    -- of 10,000 results may touch as many series, and each lock takes a slot of the server's shared lock table
    -- (max_locks_per_transaction, 64 per connection by default): a big import would fail for lack of them. Why an
    -- advisory lock, not LOCK TABLE excluded_runs IN SHARE MODE: SHARE conflicts with autovacuum's and ANALYZE's SHARE
    -- UPDATE EXCLUSIVE, so each ingest would wait up to deadlock_timeout for autovacuum to be cancelled. The cost: an
    -- exclusion (rare, a person's action) waits for the ingests in flight, a push with its judgement or an import's
    -- chunk, and ingests that start meanwhile wait behind it.
    PERFORM pg_advisory_xact_lock_shared(hashtext('benchmon.exclusions_and_ingests'));

    -- A TEMP table has no statistics until analyzed (autovacuum never sees it): the planner would guess
    -- its size and could join the chunk's CTEs by nested loops. Big chunks are analyzed (milliseconds);
    -- small ones (a single POST, a group) plan well on the guess.
    IF (SELECT count(*) FROM pg_temp.benchmark_ingest_staging) > 200 THEN
        ANALYZE pg_temp.benchmark_ingest_staging;
    END IF;

    -- The same bounds as the toolkit's validator, for writers that come straight to SQL: every month
    -- is a partition of the log, so a run_at far off would create tables nobody can remove.
    IF EXISTS (SELECT 1 FROM pg_temp.benchmark_ingest_staging s
               WHERE s.run_at IS NOT NULL AND (NOT isfinite(s.run_at) OR s.run_at < TIMESTAMPTZ '1970-01-01 00:00+00'
                                               OR s.run_at > now() + interval '1 day')) THEN
        RAISE EXCEPTION 'run_at: must be between 1970-01-01 and one day from now (UTC), got %',
            (SELECT s.run_at FROM pg_temp.benchmark_ingest_staging s
             WHERE s.run_at IS NOT NULL AND (NOT isfinite(s.run_at) OR s.run_at < TIMESTAMPTZ '1970-01-01 00:00+00'
                                             OR s.run_at > now() + interval '1 day') ORDER BY s.ord LIMIT 1)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- The bound the toolkit's validator sets on values (ResultValidator.MAX_MAGNITUDE): beyond it the daily rollups'
    -- sum of squares overflows, and every later write of the series would fail. Checked here for every writer (psql's
    -- COPY into the staging table, upsert_benchmark_results, the toolkit), named only when it fails.
    -- (the jsonpath picks the rows first, so a chunk within the bound never unpacks its metrics here)
    SELECT s.ord, m.key INTO v_bad_ord, v_bad_field
    FROM pg_temp.benchmark_ingest_staging s
    CROSS JOIN LATERAL (SELECT 'metrics.' || k AS key, v FROM jsonb_each(CASE WHEN jsonb_typeof(s.metrics) = 'object'
                                                                        THEN s.metrics END) x(k, v)
                        UNION ALL
                        SELECT 'stderr.' || k, v FROM jsonb_each(CASE WHEN jsonb_typeof(s.stderr) = 'object'
                                                                 THEN s.stderr END) y(k, v)) m
    WHERE (jsonb_path_exists(s.metrics, 'strict $.* ? (@.type() == "number" && (@ > 1e100 || @ < -1e100))')
           OR jsonb_path_exists(s.stderr, 'strict $.* ? (@.type() == "number" && (@ > 1e100 || @ < -1e100))'))
      AND jsonb_typeof(m.v) = 'number' AND abs((m.v #>> '{}')::numeric) > 1e100
    ORDER BY s.ord, m.key
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'result %: % is beyond 1e100 in magnitude', v_bad_ord, v_bad_field
            USING ERRCODE = 'numeric_value_out_of_range',
                  HINT = 'benchmon keeps values within 1e100 (sums of squares of millions of results must not overflow).';
    END IF;

    -- A series' names as stored, once for the chunk: an absent prompt is '', an absent environment 'local'.
    UPDATE pg_temp.benchmark_ingest_staging s
    SET prompt_version = coalesce(s.prompt_version, ''), environment = coalesce(nullif(s.environment, ''), 'local')
    WHERE s.prompt_version IS NULL OR s.environment IS NULL OR s.environment = '';

    -- Every series and month the chunk writes to exists before the insert (V13).
    -- Only the missing ones are inserted: an INSERT that meets a conflict still draws an id.
    INSERT INTO series (model_version, dataset_version, prompt_version, environment)
    SELECT DISTINCT s.model_version, s.dataset_version, s.prompt_version, s.environment
    FROM pg_temp.benchmark_ingest_staging s
    -- A scalar subquery, not NOT EXISTS: one probe of series_key per staged row, never an anti-join
    -- that reads the whole series table (nested loops are off in this function).
    WHERE (SELECT true FROM series r WHERE r.model_version = s.model_version AND r.dataset_version = s.dataset_version
             AND r.prompt_version = s.prompt_version AND r.environment = s.environment) IS NULL
    ORDER BY 1, 2, 3, 4
    ON CONFLICT ON CONSTRAINT series_key DO NOTHING;
    -- Only the months of results not stored yet: a re-sent result whose key is present is answered from the key
    -- table, and its month may have been detached since (docs/ARCHITECTURE.md); keys are never removed, so one
    -- present now is present at the insert below. One probe of the key table per keyed row.
    PERFORM benchmon_ensure_log_partitions(ARRAY(
        SELECT DISTINCT date_trunc('month', coalesce(s.run_at, now()) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
        FROM pg_temp.benchmark_ingest_staging s
        WHERE (SELECT true FROM benchmark_result_keys k
               WHERE k.idempotency_key = benchmark_key_uuid(nullif(s.idempotency_key, ''))) IS NULL));

    -- Attempts (V4): a result that names a run_id belongs to a run (benchmark_run_key); one whose run
    -- already has rows from earlier transactions is the next attempt. Writers of a run that already
    -- has rows take turns (a transaction-scoped advisory lock per such run, in a fixed order), so an
    -- attempt number is not handed out twice; first attempts need no lock.
    -- Every attempt of a run sent with a run_at has that run_at (it is part of the run key), so its rows
    -- are in one month, and the probes below name it: the executor prunes the other months (a run key
    -- alone probes the run_key index of every month; 13 months made that 9x slower). A run sent without
    -- run_at may have attempts in any month.
    -- A result staged with run_at_sent false (an export's copy of a result sent without run_at) holds the run_at its
    -- database gave it, but its run is keyed without it, as it was there: so every attempt of that run, each stored
    -- at its own time, shares one key in the copy too, and the later supersedes the earlier.
    PERFORM pg_advisory_xact_lock(hashtextextended(k.run_key::text, 4242))
    FROM (SELECT DISTINCT benchmark_run_key(s.model_version, s.dataset_version, s.prompt_version, s.environment,
                                            s.run_id, r.run_at) AS run_key, r.run_at
          FROM pg_temp.benchmark_ingest_staging s
          CROSS JOIN LATERAL (SELECT CASE WHEN s.run_at_sent IS FALSE THEN NULL ELSE s.run_at END AS run_at) r
          WHERE s.run_id IS NOT NULL) k
    -- Scalar subqueries, not EXISTS: EXISTS may become a hash semi-join that reads the whole log per
    -- chunk; this stays one probe of the run_key index per run, whatever the log's size.
    WHERE CASE WHEN k.run_at IS NULL THEN (SELECT true FROM benchmark_log t WHERE t.run_key = k.run_key LIMIT 1)
               ELSE (SELECT true FROM benchmark_log t WHERE t.run_key = k.run_key AND t.run_at = k.run_at LIMIT 1) END
    ORDER BY k.run_key;

    WITH input AS (
        SELECT s.ord,
               -- The volatile gen_random_uuid() outside the call: PostgreSQL does not inline a function whose parameter,
               -- used more than once in its body, receives a volatile argument (a random key is a uuid already).
               coalesce(benchmark_key_uuid(nullif(s.idempotency_key, '')), gen_random_uuid()) AS idempotency_key,
               (SELECT r.id FROM series r
                WHERE r.model_version = s.model_version AND r.dataset_version = s.dataset_version
                  AND r.prompt_version = s.prompt_version AND r.environment = s.environment) AS series_id,
               s.model_version, s.dataset_version, s.prompt_version, s.environment,
               s.model_provider, s.metrics, s.stderr, s.sample_sizes,
               coalesce(s.run_at, now())                    AS run_at,
               s.commit_sha, s.branch, s.run_id, s.triggered_by,
               coalesce(s.tags, '{}'::jsonb)                AS tags,
               s.notes,
               coalesce(s.metadata, '{}'::jsonb)            AS metadata,
               benchmark_run_key(s.model_version, s.dataset_version, s.prompt_version, s.environment,
                                 s.run_id, r.run_at) AS run_key,
               r.run_at                                     AS run_key_run_at
        FROM pg_temp.benchmark_ingest_staging s
        -- the run_at the run is keyed by: as sent, none for a copy marked run_at_sent false (see the lock above)
        CROSS JOIN LATERAL (SELECT CASE WHEN s.run_at_sent IS FALSE THEN NULL ELSE s.run_at END AS run_at) r
    ),
    -- Rows written earlier in this same transaction (an earlier chunk of one batch) are the same attempt.
    -- One probe of (run_key, attempt DESC) per run, in the run's month when it was sent with a run_at
    -- (as above), never a join over the log.
    attempts AS (
        SELECT k.run_key,
               coalesce(CASE WHEN k.run_key_run_at IS NULL
                             THEN (SELECT max(t.attempt) FROM benchmark_log t
                                   WHERE t.run_key = k.run_key AND t.xmin <> pg_current_xact_id()::xid)
                             ELSE (SELECT max(t.attempt) FROM benchmark_log t
                                   WHERE t.run_key = k.run_key AND t.run_at = k.run_key_run_at
                                     AND t.xmin <> pg_current_xact_id()::xid) END, 0) + 1 AS attempt
        FROM (SELECT DISTINCT run_key, run_key_run_at FROM input WHERE run_key IS NOT NULL) k
    ),
    -- The key table decides what is new (keys are unique across all months); each new key gets
    -- its log id here, in the order the results were sent.
    -- A key sent twice in one chunk is stored once, from its first result.
    first_input AS (
        SELECT DISTINCT ON (i.idempotency_key) i.* FROM input i ORDER BY i.idempotency_key, i.ord
    ),
    keyed AS (
        INSERT INTO benchmark_result_keys AS k (idempotency_key, transaction_id)
        SELECT f.idempotency_key, nextval('benchmark_log_id_seq')
        FROM first_input f
        ORDER BY f.ord
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING k.idempotency_key, k.transaction_id
    ),
    inserted AS (
        INSERT INTO benchmark_log AS t
            (id, series_id, run_at, idempotency_key, run_key, attempt, model_provider, metrics, stderr, sample_sizes,
             commit_sha, branch, run_id, triggered_by, tags, notes, metadata)
        SELECT k.transaction_id, i.series_id, i.run_at, i.idempotency_key, i.run_key, coalesce(a.attempt, 1),
               i.model_provider, i.metrics, i.stderr, i.sample_sizes, i.commit_sha, i.branch, i.run_id,
               i.triggered_by, i.tags, i.notes, i.metadata
        FROM keyed k
        JOIN first_input i ON i.idempotency_key = k.idempotency_key
        LEFT JOIN attempts a ON a.run_key = i.run_key
        ORDER BY k.transaction_id
        RETURNING t.id, t.idempotency_key, t.attempt, t.series_id
    ),
    per_series AS (
        SELECT DISTINCT ON (i.series_id)
               i.series_id, i.model_version, i.dataset_version, i.prompt_version, i.environment,
               i.model_provider, i.metrics, i.stderr, i.commit_sha, i.branch, i.run_id, n.id, i.run_at,
               -- Runs, not attempts (V22): a CI re-run's later attempt replaces its run, as in histories and rollups.
               count(*) FILTER (WHERE n.attempt = 1) OVER w AS runs,
               min(i.run_at) OVER w AS first_seen, max(i.run_at) OVER w AS last_seen
        FROM inserted n
        JOIN first_input i ON i.idempotency_key = n.idempotency_key
        WINDOW w AS (PARTITION BY i.series_id)
        ORDER BY i.series_id, i.run_at DESC, n.id DESC
    ),
    snapshot AS (
        INSERT INTO benchmark_snapshots AS s
            (model_version, dataset_version, prompt_version, environment, model_provider, metrics, stderr,
             commit_sha, branch, run_id, transaction_id, run_at, run_count, first_seen, last_seen)
        SELECT p.model_version, p.dataset_version, p.prompt_version, p.environment, p.model_provider, p.metrics,
               p.stderr, p.commit_sha, p.branch, p.run_id, p.id, p.run_at, p.runs, p.first_seen, p.last_seen
        FROM per_series p
        ORDER BY p.model_version, p.dataset_version, p.prompt_version, p.environment
        ON CONFLICT (model_version, dataset_version, prompt_version, environment) DO UPDATE SET
            run_count      = s.run_count + excluded.run_count,
            first_seen     = least(s.first_seen, excluded.first_seen),
            last_seen      = greatest(s.last_seen, excluded.last_seen),
            -- "latest" is the newest run_at (ties: the newer transaction); an older late arrival
            -- is logged and counted but does not replace a newer snapshot. A snapshot standing on an excluded run
            -- (every run of its series is excluded, V37) is replaced by the run that arrives, whatever its run_at: a
            -- run is excluded only once stored (annotate_run finds it in the log), so what arrives now counts. Every
            -- exclusion of the series has committed before this statement began, or waits for this transaction (the
            -- advisory lock above), and then sees this run when it recomputes the snapshot.
            -- The latest run's fields beside its metrics (V17) and its standard errors (V40), replaced together
            -- with them.
            (metrics, stderr, model_provider, commit_sha, branch, run_id, transaction_id, run_at) = (
                SELECT CASE WHEN m.moves THEN excluded.metrics ELSE s.metrics END,
                       CASE WHEN m.moves THEN excluded.stderr ELSE s.stderr END,
                       CASE WHEN m.moves THEN excluded.model_provider ELSE s.model_provider END,
                       CASE WHEN m.moves THEN excluded.commit_sha ELSE s.commit_sha END,
                       CASE WHEN m.moves THEN excluded.branch ELSE s.branch END,
                       CASE WHEN m.moves THEN excluded.run_id ELSE s.run_id END,
                       CASE WHEN m.moves THEN excluded.transaction_id ELSE s.transaction_id END,
                       CASE WHEN m.moves THEN excluded.run_at ELSE s.run_at END
                FROM (SELECT (excluded.run_at, excluded.transaction_id) > (s.run_at, s.transaction_id)
                             OR EXISTS (SELECT 1 FROM excluded_runs x WHERE x.transaction_id = s.transaction_id)
                             AS moves) m),
            updated_at     = now()
        RETURNING 1
    )
    SELECT array_agg(r.ord ORDER BY r.ord), array_agg(r.id ORDER BY r.ord),
           array_agg(r.created ORDER BY r.ord), array_agg(r.idempotency_key ORDER BY r.ord),
           array_agg(DISTINCT r.series_id) FILTER (WHERE r.attempt > 1)
    INTO v_ords, v_ids, v_created, v_keys, v_reruns
    FROM (
        SELECT i.ord, i.idempotency_key, n.id, n.attempt, n.series_id,
               (n.id IS NOT NULL AND row_number() OVER (PARTITION BY i.idempotency_key ORDER BY i.ord) = 1) AS created
        FROM input i
        LEFT JOIN inserted n ON n.idempotency_key = i.idempotency_key
    ) r;

    -- A later attempt of a CI run supersedes the earlier, whose run_at it need not share: a re-run of a tool's file is
    -- keyed without the time the tool wrote (run_at_sent false), and a tool may write an earlier time on the re-run
    -- (another runner's clock). The upsert above moves a snapshot to a newer run_at only, so it would stay on the
    -- superseded attempt: the touched series of later attempts are recomputed (V37), a few rows, only on re-runs.
    IF v_reruns IS NOT NULL THEN
        PERFORM benchmark_snapshots_recompute(v_reruns);
    END IF;

    -- A key that was already present (or committed by a concurrent writer while we waited) is
    -- looked up in a new statement, which sees everything committed so far.
    IF false = ANY (v_created) THEN
        v_ids := ARRAY(SELECT coalesce(u.id, (SELECT k.transaction_id FROM benchmark_result_keys k
                                              WHERE k.idempotency_key = u.key))
                       FROM unnest(v_ids, v_keys) WITH ORDINALITY AS u(id, key, n) ORDER BY u.n);

        -- A result re-sent under its own key must state nothing its stored result does not hold (see above). Keys
        -- benchmon derives are not compared (the rule of IdempotencyKeys.hasOwnKey, on the key keyFor staged): a content key covers every field, and a CI retry re-sends a run's key
        -- (run id, series, run_at, metrics) with context that may have changed (who re-ran it). Each value stated
        -- is compared as stored: numbers as numbers (0.10 = 0.1), objects by key whatever their order (metrics, stderr,
        -- n and tags hold no nested values, so containment is "every key sent has the stored value"), metadata's
        -- top-level keys with nulls left out (as the JSON Lines export leaves them out), run_at as stored or cut to
        -- milliseconds (as a CSV export writes it). Only the re-sent rows are read (a chunk of new results skips
        -- this): the stored row by its id in the month run_at names when sent (else every month), its series by id.
        -- MATERIALIZED: each probe runs once per row, however often it is read.
        WITH resent AS MATERIALIZED (
            SELECT u.ord, s.model_version, s.dataset_version, s.prompt_version, s.environment, s.model_provider,
                   s.metrics, s.stderr, s.sample_sizes, s.run_at, s.commit_sha, s.branch, s.run_id, s.triggered_by,
                   s.tags, s.notes, s.metadata,
                   coalesce(CASE WHEN s.run_at IS NOT NULL THEN (SELECT t FROM benchmark_log t
                                                                 WHERE t.id = u.id AND t.run_at >= s.run_at
                                                                   AND t.run_at < s.run_at + interval '1 ms') END,
                            (SELECT t FROM benchmark_log t WHERE t.id = u.id)) AS t
            FROM unnest(v_ords, v_created, v_ids) AS u(ord, created, id)
            JOIN pg_temp.benchmark_ingest_staging s ON s.ord = u.ord
            WHERE NOT u.created AND s.idempotency_key !~ '^(content:)?sha256:'
        ),
        named AS MATERIALIZED (
            SELECT c.*, (SELECT r FROM series r WHERE r.id = (c.t).series_id) AS r FROM resent c
        ),
        compared AS (
            SELECT n.ord, (n.t).id, n.r, array_remove(ARRAY[
                CASE WHEN n.model_version IS DISTINCT FROM (n.r).model_version THEN 'model_version' END,
                CASE WHEN n.dataset_version IS DISTINCT FROM (n.r).dataset_version THEN 'dataset_version' END,
                CASE WHEN n.prompt_version IS DISTINCT FROM (n.r).prompt_version THEN 'prompt_version' END,
                CASE WHEN n.environment IS DISTINCT FROM (n.r).environment THEN 'environment' END,
                CASE WHEN n.model_provider IS NOT NULL AND n.model_provider IS DISTINCT FROM (n.t).model_provider
                     THEN 'model_provider' END,
                CASE WHEN NOT coalesce((n.t).metrics @> n.metrics, n.metrics IS NULL) THEN 'metrics' END,
                CASE WHEN NOT coalesce((n.t).stderr @> n.stderr, n.stderr IS NULL) THEN 'stderr' END,
                CASE WHEN NOT coalesce((n.t).sample_sizes @> n.sample_sizes, n.sample_sizes IS NULL) THEN 'n' END,
                CASE WHEN n.run_at NOT IN ((n.t).run_at, date_trunc('milliseconds', (n.t).run_at)) THEN 'run_at' END,
                CASE WHEN n.commit_sha IS NOT NULL AND n.commit_sha IS DISTINCT FROM (n.t).commit_sha
                     THEN 'commit_sha' END,
                CASE WHEN n.branch IS NOT NULL AND n.branch IS DISTINCT FROM (n.t).branch THEN 'branch' END,
                CASE WHEN n.run_id IS NOT NULL AND n.run_id IS DISTINCT FROM (n.t).run_id THEN 'run_id' END,
                CASE WHEN n.triggered_by IS NOT NULL AND n.triggered_by IS DISTINCT FROM (n.t).triggered_by
                     THEN 'triggered_by' END,
                CASE WHEN NOT coalesce((n.t).tags @> n.tags, n.tags IS NULL) THEN 'tags' END,
                CASE WHEN n.notes IS NOT NULL AND n.notes IS DISTINCT FROM (n.t).notes THEN 'notes' END,
                CASE WHEN jsonb_typeof(n.metadata) <> 'object'
                          OR EXISTS (SELECT 1 FROM jsonb_each(jsonb_strip_nulls(n.metadata)) e
                                     WHERE jsonb_strip_nulls((n.t).metadata) -> e.key IS DISTINCT FROM e.value)
                     THEN 'metadata' END], NULL) AS fields
            FROM named n
            WHERE (n.t).id IS NOT NULL -- else its month is detached from the log: nothing to compare with
        )
        SELECT jsonb_agg(jsonb_build_object('ordinal', c.ord, 'transaction_id', c.id,
                                            -- model / dataset / prompt @environment, as the toolkit names a series
                                            'series', (c.r).model_version || ' / ' || (c.r).dataset_version
                                                      || CASE WHEN (c.r).prompt_version = '' THEN ''
                                                              ELSE ' / ' || (c.r).prompt_version END
                                                      || ' @' || (c.r).environment,
                                            'fields', to_jsonb(c.fields)) ORDER BY c.ord)
        INTO v_changed
        FROM compared c
        WHERE c.fields <> '{}';
        IF v_changed IS NOT NULL THEN
            RAISE EXCEPTION 'idempotency_key: result % (%) is already stored under this key with other % '
                '(staged row %)',
                v_changed -> 0 ->> 'transaction_id', v_changed -> 0 ->> 'series',
                array_to_string(ARRAY(SELECT jsonb_array_elements_text(v_changed #> '{0,fields}')), ', '),
                v_changed -> 0 ->> 'ordinal'
                USING ERRCODE = 'unique_violation', DETAIL = v_changed::text,
                      HINT = 'A key re-sent with other values is refused, as "already present" would drop them: send '
                             'the result with another idempotency_key.';
        END IF;
    END IF;

    -- The next chunk of the same transaction starts from an empty table.
    DELETE FROM pg_temp.benchmark_ingest_staging;

    RETURN QUERY
    SELECT u.ord, u.id, u.created
    FROM unnest(v_ords, v_ids, v_created) AS u(ord, id, created)
    ORDER BY u.ord;
END;
$$;

-- The snapshots' run fields (V17) and standard errors (V40), copied from the log: on the upgrade to V17 or V40
-- (which add the columns) and for runs a writer stored between that version and this file's new writer (Flyway
-- applies each migration in its own transaction). One probe of the run's month per series; rows are rewritten only
-- where a field differs. Also the repair after restoring an older dump of the snapshots.
UPDATE benchmark_snapshots s
SET commit_sha = l.commit_sha, branch = l.branch, run_id = l.run_id, stderr = l.stderr
FROM benchmark_log l
WHERE l.id = s.transaction_id AND l.run_at = s.run_at
  AND (s.commit_sha, s.branch, s.run_id, s.stderr) IS DISTINCT FROM (l.commit_sha, l.branch, l.run_id, l.stderr);
ANALYZE benchmark_snapshots;
