-- benchmon functions and views. Repeatable: Flyway re-applies this file whenever it changes,
-- so everything here is CREATE OR REPLACE.

-- Direction of a metric: its definition when there is one, otherwise a default by name.
CREATE OR REPLACE FUNCTION metric_direction(p_metric text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT d.direction FROM metric_definitions d WHERE d.name = p_metric),
        CASE WHEN p_metric ~* '(latency|cost|error|loss|duration|memory|_ms$|_seconds$|_bytes$)'
             THEN 'lower_is_better' ELSE 'higher_is_better' END)
$$;

-- Records a batch of results atomically: inserts each into the log (skipping idempotency keys
-- already present) and moves each touched series' snapshot forward when a newer run_at arrives.
-- p_results is a JSON array of objects with the column names of benchmark_transactions.
-- Returns, per input element (1-based ordinal), the transaction id and whether it was new.
CREATE OR REPLACE FUNCTION upsert_benchmark_results(p_results jsonb)
RETURNS TABLE (ordinal integer, transaction_id bigint, created boolean)
-- SECURITY DEFINER: the app role may not write the log or the snapshots itself; it records through
-- this function (search_path pinned by benchmon_apply_privileges, see R__privilege_functions.sql).
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_ords    integer[];
    v_ids     bigint[];
    v_created boolean[];
    v_keys    text[];
    v_run_keys uuid[];
BEGIN
    IF p_results IS NULL OR jsonb_typeof(p_results) <> 'array' THEN
        RAISE EXCEPTION 'upsert_benchmark_results expects a JSON array of results'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- Attempts (V4): a result that names a run_id belongs to a run (benchmark_run_key); one whose run
    -- already has rows from earlier transactions is the next attempt. Writers of a run that already
    -- has rows take turns (a transaction-scoped advisory lock per such run, in a fixed order), so an
    -- attempt number is not handed out twice; first attempts need no lock.
    SELECT array_agg(benchmark_run_key(e.r ->> 'model_version', e.r ->> 'dataset_version',
                                       coalesce(e.r ->> 'prompt_version', ''),
                                       coalesce(nullif(e.r ->> 'environment', ''), 'local'),
                                       e.r ->> 'run_id', (e.r ->> 'run_at')::timestamptz) ORDER BY e.ord)
    INTO v_run_keys
    FROM jsonb_array_elements(p_results) WITH ORDINALITY AS e(r, ord);
    PERFORM pg_advisory_xact_lock(hashtextextended(k.run_key::text, 4242))
    FROM (SELECT DISTINCT u.run_key FROM unnest(v_run_keys) AS u(run_key)
          WHERE u.run_key IS NOT NULL
            AND EXISTS (SELECT 1 FROM benchmark_transactions t WHERE t.run_key = u.run_key)
          ORDER BY 1) k;

    WITH input AS (
        SELECT e.ord::integer AS ord,
               coalesce(nullif(e.r ->> 'idempotency_key', ''), gen_random_uuid()::text) AS idempotency_key,
               e.r ->> 'model_version'                              AS model_version,
               e.r ->> 'dataset_version'                            AS dataset_version,
               coalesce(e.r ->> 'prompt_version', '')               AS prompt_version,
               e.r ->> 'model_provider'                             AS model_provider,
               coalesce(nullif(e.r ->> 'environment', ''), 'local') AS environment,
               e.r -> 'metrics'                                     AS metrics,
               e.r -> 'stderr'                                      AS stderr,
               e.r -> 'n'                                           AS sample_sizes,
               coalesce((e.r ->> 'run_at')::timestamptz, now())     AS run_at,
               e.r ->> 'commit_sha'                                 AS commit_sha,
               e.r ->> 'branch'                                     AS branch,
               e.r ->> 'run_id'                                     AS run_id,
               e.r ->> 'triggered_by'                               AS triggered_by,
               coalesce(e.r -> 'tags', '{}'::jsonb)                 AS tags,
               e.r ->> 'notes'                                      AS notes,
               coalesce(e.r -> 'metadata', '{}'::jsonb)             AS metadata
        FROM jsonb_array_elements(p_results) WITH ORDINALITY AS e(r, ord)
    ),
    keyed AS (
        SELECT i.*, v_run_keys[i.ord] AS run_key
        FROM input i
    ),
    -- Rows written earlier in this same transaction (an earlier chunk of one batch) are the same attempt.
    attempts AS (
        SELECT k.run_key, coalesce(max(t.attempt), 0) + 1 AS attempt
        FROM (SELECT DISTINCT run_key FROM keyed WHERE run_key IS NOT NULL) k
        LEFT JOIN benchmark_transactions t ON t.run_key = k.run_key AND t.xmin <> pg_current_xact_id()::xid
        GROUP BY k.run_key
    ),
    inserted AS (
        INSERT INTO benchmark_transactions AS t
            (idempotency_key, model_version, dataset_version, prompt_version, model_provider, environment,
             metrics, stderr, sample_sizes, run_at, commit_sha, branch, run_id, triggered_by, tags, notes, metadata,
             run_key, attempt)
        SELECT i.idempotency_key, i.model_version, i.dataset_version, i.prompt_version, i.model_provider,
               i.environment, i.metrics, i.stderr, i.sample_sizes, i.run_at, i.commit_sha, i.branch, i.run_id, i.triggered_by,
               i.tags, i.notes, i.metadata, i.run_key, coalesce(a.attempt, 1)
        FROM keyed i
        LEFT JOIN attempts a ON a.run_key = i.run_key
        ORDER BY i.ord
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING t.id, t.idempotency_key, t.model_version, t.dataset_version, t.prompt_version,
                  t.environment, t.model_provider, t.metrics, t.run_at
    ),
    per_series AS (
        SELECT DISTINCT ON (n.model_version, n.dataset_version, n.prompt_version, n.environment)
               n.model_version, n.dataset_version, n.prompt_version, n.environment, n.model_provider,
               n.metrics, n.id, n.run_at,
               count(*) OVER w AS runs, min(n.run_at) OVER w AS first_seen, max(n.run_at) OVER w AS last_seen
        FROM inserted n
        WINDOW w AS (PARTITION BY n.model_version, n.dataset_version, n.prompt_version, n.environment)
        ORDER BY n.model_version, n.dataset_version, n.prompt_version, n.environment, n.run_at DESC, n.id DESC
    ),
    new_series AS (
        INSERT INTO series (model_version, dataset_version, prompt_version, environment)
        SELECT p.model_version, p.dataset_version, p.prompt_version, p.environment
        FROM per_series p
        ORDER BY p.model_version, p.dataset_version, p.prompt_version, p.environment
        ON CONFLICT ON CONSTRAINT series_key DO NOTHING
        RETURNING 1
    ),
    snapshot AS (
        INSERT INTO benchmark_snapshots AS s
            (model_version, dataset_version, prompt_version, environment, model_provider, metrics,
             transaction_id, run_at, run_count, first_seen, last_seen)
        SELECT p.model_version, p.dataset_version, p.prompt_version, p.environment, p.model_provider, p.metrics,
               p.id, p.run_at, p.runs, p.first_seen, p.last_seen
        FROM per_series p
        ORDER BY p.model_version, p.dataset_version, p.prompt_version, p.environment
        ON CONFLICT (model_version, dataset_version, prompt_version, environment) DO UPDATE SET
            run_count      = s.run_count + excluded.run_count,
            first_seen     = least(s.first_seen, excluded.first_seen),
            last_seen      = greatest(s.last_seen, excluded.last_seen),
            -- "latest" is the newest run_at (ties: the newer transaction); an older late arrival
            -- is logged and counted but does not replace a newer snapshot.
            metrics        = CASE WHEN (excluded.run_at, excluded.transaction_id) > (s.run_at, s.transaction_id)
                                  THEN excluded.metrics ELSE s.metrics END,
            model_provider = CASE WHEN (excluded.run_at, excluded.transaction_id) > (s.run_at, s.transaction_id)
                                  THEN excluded.model_provider ELSE s.model_provider END,
            transaction_id = CASE WHEN (excluded.run_at, excluded.transaction_id) > (s.run_at, s.transaction_id)
                                  THEN excluded.transaction_id ELSE s.transaction_id END,
            run_at         = greatest(s.run_at, excluded.run_at),
            updated_at     = now()
        RETURNING 1
    )
    SELECT array_agg(r.ord ORDER BY r.ord), array_agg(r.id ORDER BY r.ord),
           array_agg(r.created ORDER BY r.ord), array_agg(r.idempotency_key ORDER BY r.ord)
    INTO v_ords, v_ids, v_created, v_keys
    FROM (
        SELECT i.ord, i.idempotency_key, n.id,
               (n.id IS NOT NULL AND row_number() OVER (PARTITION BY i.idempotency_key ORDER BY i.ord) = 1) AS created
        FROM input i
        LEFT JOIN inserted n ON n.idempotency_key = i.idempotency_key
    ) r;

    -- A key that was already present (or committed by a concurrent writer while we waited) is
    -- looked up in a new statement, which sees everything committed so far.
    RETURN QUERY
    SELECT u.ord, coalesce(u.id, (SELECT t.id FROM benchmark_transactions t WHERE t.idempotency_key = u.key)), u.created
    FROM unnest(v_ords, v_ids, v_created, v_keys) AS u(ord, id, created, key)
    ORDER BY u.ord;
END;
$$;

-- Records one result; the same semantics as upsert_benchmark_results.
-- Example: SELECT * FROM upsert_benchmark_result(p_model_version => 'm1', p_dataset_version => 'd1',
--                                                p_metrics => '{"f1": 0.9}');
CREATE OR REPLACE FUNCTION upsert_benchmark_result(
    p_model_version   text,
    p_dataset_version text,
    p_metrics         jsonb,
    p_prompt_version  text        DEFAULT '',
    p_model_provider  text        DEFAULT NULL,
    p_environment     text        DEFAULT 'local',
    p_run_at          timestamptz DEFAULT now(),
    p_idempotency_key text        DEFAULT NULL,
    p_commit_sha      text        DEFAULT NULL,
    p_branch          text        DEFAULT NULL,
    p_run_id          text        DEFAULT NULL,
    p_triggered_by    text        DEFAULT NULL,
    p_tags            jsonb       DEFAULT '{}'::jsonb,
    p_notes           text        DEFAULT NULL,
    p_metadata        jsonb       DEFAULT '{}'::jsonb)
RETURNS TABLE (transaction_id bigint, created boolean)
LANGUAGE sql AS $$
    SELECT r.transaction_id, r.created
    FROM upsert_benchmark_results(jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
        'model_version', p_model_version, 'dataset_version', p_dataset_version, 'metrics', p_metrics,
        'prompt_version', p_prompt_version, 'model_provider', p_model_provider, 'environment', p_environment,
        'run_at', p_run_at, 'idempotency_key', p_idempotency_key, 'commit_sha', p_commit_sha,
        'branch', p_branch, 'run_id', p_run_id, 'triggered_by', p_triggered_by, 'tags', p_tags,
        'notes', p_notes, 'metadata', p_metadata)))) r
$$;

-- Regression detection over every series matching the filters (NULL = any).
-- Compares the latest run of each series with a baseline:
--   'mean'     mean of the previous p_window runs of the series (default; a metric's
--              baseline averages those of them that report it),
--   'previous' the run before the latest,
--   'pinned'   the metrics of transaction p_baseline_transaction.
-- A metric regresses when it moved in its worse direction (see metric_direction) by more than
-- p_threshold relative to |baseline| and by at least p_absolute_threshold in absolute terms.
-- Severity: minor up to 2x the threshold, major up to 4x, critical beyond.
CREATE OR REPLACE FUNCTION detect_regressions(
    p_models               text[]      DEFAULT NULL,
    p_datasets             text[]      DEFAULT NULL,
    p_prompts              text[]      DEFAULT NULL,
    p_environments         text[]      DEFAULT NULL,
    p_threshold            float8      DEFAULT 0.05,
    p_baseline             text        DEFAULT 'mean',
    p_window               integer     DEFAULT 5,
    p_absolute_threshold   float8      DEFAULT 0,
    p_baseline_transaction bigint      DEFAULT NULL,
    p_since                timestamptz DEFAULT NULL,
    p_metrics              text[]      DEFAULT NULL)
RETURNS TABLE (
    model_version   text,
    dataset_version text,
    prompt_version  text,
    environment     text,
    metric          text,
    direction       text,
    baseline        double precision,
    current         double precision,
    delta           double precision,
    relative_change double precision,
    is_regression   boolean,
    severity        text,
    baseline_runs   integer,
    transaction_id  bigint,
    run_at          timestamptz,
    commit_sha      text,
    branch          text,
    run_id          text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_baseline NOT IN ('mean', 'previous', 'pinned') THEN
        RAISE EXCEPTION 'unknown baseline mode ''%'' (known: mean, previous, pinned)', p_baseline
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_window IS NULL OR p_window < 1 THEN
        RAISE EXCEPTION 'baseline window must be at least 1, got %', p_window USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_threshold IS NULL OR p_threshold < 0 OR p_absolute_threshold IS NULL OR p_absolute_threshold < 0 THEN
        RAISE EXCEPTION 'thresholds must be zero or positive' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_baseline = 'pinned' AND NOT EXISTS (SELECT 1 FROM benchmark_transactions t WHERE t.id = p_baseline_transaction) THEN
        RAISE EXCEPTION 'baseline transaction % not found', p_baseline_transaction
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Pass the id of a recorded result.';
    END IF;

    RETURN QUERY
    -- Runs marked excluded (V6 excluded_runs) are neither judged nor part of any baseline; a series
    -- whose latest run is excluded is judged on its latest run that is not.
    WITH cur AS (
        SELECT t.id, t.model_version, t.dataset_version, t.prompt_version, t.environment,
               t.metrics, t.run_at, t.commit_sha, t.branch, t.run_id, sr.id AS series_id
        FROM benchmark_snapshots s
        JOIN series sr ON sr.model_version = s.model_version AND sr.dataset_version = s.dataset_version
                      AND sr.prompt_version = s.prompt_version AND sr.environment = s.environment
        CROSS JOIN LATERAL (
            SELECT x.* FROM benchmark_transactions x
            WHERE x.id = s.transaction_id AND NOT EXISTS (SELECT 1 FROM excluded_runs e WHERE e.transaction_id = x.id)
            UNION ALL
            (SELECT x.* FROM benchmark_transactions x
             WHERE EXISTS (SELECT 1 FROM excluded_runs e WHERE e.transaction_id = s.transaction_id)
               AND x.model_version = s.model_version AND x.dataset_version = s.dataset_version
               AND x.prompt_version = s.prompt_version AND x.environment = s.environment
               AND NOT EXISTS (SELECT 1 FROM excluded_runs e WHERE e.transaction_id = x.id)
             ORDER BY x.run_at DESC, x.id DESC
             LIMIT 1)
        ) t
        WHERE (p_models IS NULL OR s.model_version = ANY (p_models))
          AND (p_datasets IS NULL OR s.dataset_version = ANY (p_datasets))
          AND (p_prompts IS NULL OR s.prompt_version = ANY (p_prompts))
          AND (p_environments IS NULL OR s.environment = ANY (p_environments))
          AND (p_since IS NULL OR s.run_at >= p_since)
    ),
    -- The baseline runs of each series, reached through the per-series index: the previous
    -- p_window runs (or the previous one), or the pinned transaction.
    base_runs AS (
        SELECT c.id AS current_id, c.series_id, p.metrics, p.run_at, p.id AS run_id, false AS pinned
        FROM cur c
        CROSS JOIN LATERAL (
            SELECT h.metrics, h.run_at, h.id
            FROM benchmark_results_current h -- superseded attempts of a run are no baseline (V4)
            WHERE h.model_version = c.model_version AND h.dataset_version = c.dataset_version
              AND h.prompt_version = c.prompt_version AND h.environment = c.environment
              AND (h.run_at, h.id) < (c.run_at, c.id)
              AND NOT EXISTS (SELECT 1 FROM excluded_runs e WHERE e.transaction_id = h.id)
            ORDER BY h.run_at DESC, h.id DESC
            LIMIT CASE WHEN p_baseline = 'previous' THEN 1 ELSE p_window END
        ) p
        WHERE p_baseline <> 'pinned'
        UNION ALL
        SELECT c.id, c.series_id, pin.metrics, pin.run_at, pin.id, true
        FROM cur c
        JOIN benchmark_transactions pin ON pin.id = p_baseline_transaction
        WHERE p_baseline = 'pinned'
    ),
    -- A metric's baseline is its mean over the baseline runs that report it; after an alert was
    -- marked expected (V6 baseline_resets), only runs from that alert's run on count.
    baselines AS (
        SELECT b.current_id, m.key AS metric, avg((m.value #>> '{}')::float8) AS base, count(*)::integer AS n
        FROM base_runs b
        CROSS JOIN LATERAL jsonb_each(b.metrics) AS m(key, value)
        LEFT JOIN baseline_resets r ON r.series_id = b.series_id AND r.metric = m.key AND NOT b.pinned
        WHERE jsonb_typeof(m.value) = 'number'
          AND (p_metrics IS NULL OR m.key = ANY (p_metrics))
          AND (r.series_id IS NULL OR (b.run_at, b.run_id) >= (r.run_at, r.transaction_id))
        GROUP BY b.current_id, m.key
    ),
    scored AS (
        SELECT c.*, m.key AS m_name, (m.value #>> '{}')::float8 AS m_current,
               metric_direction(m.key) AS m_direction, bl.base, bl.n
        FROM cur c
        CROSS JOIN LATERAL jsonb_each(c.metrics) AS m(key, value)
        JOIN baselines bl ON bl.current_id = c.id AND bl.metric = m.key
        WHERE jsonb_typeof(m.value) = 'number'
          AND (p_metrics IS NULL OR m.key = ANY (p_metrics))
    ),
    judged AS (
        SELECT sc.*,
               sc.m_current - sc.base AS d,
               CASE WHEN sc.base <> 0 THEN (sc.m_current - sc.base) / abs(sc.base) END AS rel,
               -- how much worse, in the metric's own direction (positive = worse)
               CASE WHEN sc.m_direction = 'lower_is_better' THEN sc.m_current - sc.base
                    ELSE sc.base - sc.m_current END AS worse
        FROM scored sc
    ),
    flagged AS (
        SELECT j.*,
               (j.worse > 0
                AND abs(j.d) >= p_absolute_threshold
                AND (j.base = 0 OR j.worse / abs(j.base) > p_threshold)) AS reg
        FROM judged j
    )
    SELECT f.model_version, f.dataset_version, f.prompt_version, f.environment, f.m_name, f.m_direction,
           f.base, f.m_current, f.d, f.rel, f.reg,
           CASE WHEN NOT f.reg THEN 'none'
                WHEN f.base = 0 THEN 'major'
                WHEN f.worse / abs(f.base) <= 2 * greatest(p_threshold, 0.01) THEN 'minor'
                WHEN f.worse / abs(f.base) <= 4 * greatest(p_threshold, 0.01) THEN 'major'
                ELSE 'critical' END,
           f.n, f.id, f.run_at, f.commit_sha, f.branch, f.run_id
    FROM flagged f
    ORDER BY f.reg DESC, f.run_at DESC, f.model_version, f.dataset_version, f.prompt_version, f.environment, f.m_name;
END;
$$;

-- Regression check of one series; the same semantics as detect_regressions.
CREATE OR REPLACE FUNCTION detect_regression(
    p_model_version        text,
    p_dataset_version      text,
    p_prompt_version       text    DEFAULT '',
    p_environment          text    DEFAULT 'local',
    p_threshold            float8  DEFAULT 0.05,
    p_baseline             text    DEFAULT 'mean',
    p_window               integer DEFAULT 5,
    p_absolute_threshold   float8  DEFAULT 0,
    p_baseline_transaction bigint  DEFAULT NULL)
RETURNS TABLE (
    metric          text,
    direction       text,
    baseline        double precision,
    current         double precision,
    delta           double precision,
    relative_change double precision,
    is_regression   boolean,
    severity        text)
LANGUAGE sql STABLE AS $$
    SELECT r.metric, r.direction, r.baseline, r.current, r.delta, r.relative_change, r.is_regression, r.severity
    FROM detect_regressions(ARRAY[p_model_version], ARRAY[p_dataset_version], ARRAY[p_prompt_version],
                            ARRAY[p_environment], p_threshold, p_baseline, p_window, p_absolute_threshold,
                            p_baseline_transaction) r
$$;

-- Latest result of every series with the context of the run it came from.
CREATE OR REPLACE VIEW v_latest_benchmarks AS
SELECT s.model_version, s.dataset_version, s.prompt_version, s.environment, s.model_provider,
       s.metrics, s.run_at, s.run_count, s.first_seen, s.last_seen, s.transaction_id,
       t.commit_sha, t.branch, t.run_id, t.triggered_by, t.tags, t.notes, t.recorded_at
FROM benchmark_snapshots s
JOIN benchmark_transactions t ON t.id = s.transaction_id;

-- Daily (UTC) statistics per series and metric. Filter it by model_version (and the other series
-- columns): the filter reaches the log's indexes, so only that model's rows are read.
CREATE OR REPLACE VIEW v_performance_trends AS
SELECT t.model_version, t.dataset_version, t.prompt_version, t.environment,
       m.key AS metric,
       (date_trunc('day', t.run_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS bucket,
       avg((m.value #>> '{}')::float8)         AS mean_value,
       min((m.value #>> '{}')::float8)         AS min_value,
       max((m.value #>> '{}')::float8)         AS max_value,
       stddev_samp((m.value #>> '{}')::float8) AS stddev_value,
       count(*)                                AS runs
FROM benchmark_transactions t
CROSS JOIN LATERAL jsonb_each(t.metrics) AS m(key, value)
GROUP BY t.model_version, t.dataset_version, t.prompt_version, t.environment, m.key,
         (date_trunc('day', t.run_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');
