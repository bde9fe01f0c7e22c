-- benchmon functions and views. Repeatable: Flyway re-applies this file whenever it changes,
-- so everything here is CREATE OR REPLACE.

-- Direction of a metric, as benchmon's detection engine gives it, for psql users: its definition when
-- there is one, else the direction the engine judged the metric with (the engine's built-in dictionary
-- of metric names, stored with every verdict, the same for every series), else 'unknown' (a name nobody
-- declared and the engine has not judged yet: never a regression, as in the toolkit, API and CLI).
-- The toolkit passes the engine's directions to detect_regressions (p_directions) and never reads this.
-- The newest verdict's (a definition changed since older ones were stored), found by detection_verdicts_metric_idx
-- (V25). A database written only through SQL has no verdicts: its undeclared metrics are 'unknown' until they are
-- declared (define_metric) or benchmon judges them (`benchmon metrics recompute`).
-- SECURITY DEFINER: readers that may not read the verdicts themselves (the hosted template's benchmon_reader) still
-- get a metric's direction, and nothing else of them.
CREATE OR REPLACE FUNCTION metric_direction(p_metric text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT coalesce(
        (SELECT d.direction FROM metric_definitions d WHERE d.name = p_metric),
        (SELECT v.direction FROM detection_verdicts v
          WHERE v.metric = p_metric AND v.direction IS NOT NULL AND v.direction <> 'unknown'
          ORDER BY v.computed_at DESC LIMIT 1),
        'unknown')
$$;

-- Records a batch of results atomically: inserts each into the log (skipping idempotency keys
-- already present) and moves each touched series' snapshot forward when a newer run_at arrives.
-- p_results is a JSON array of objects with the column names of benchmark_transactions.
-- Returns, per input element (1-based ordinal), the transaction id and whether it was new.
-- The same set-based writer as the toolkit's COPY path (ingest_staged_results, R__ingest_functions.sql):
-- the array is unpacked into the session's staging table and moved from there.
CREATE OR REPLACE FUNCTION upsert_benchmark_results(p_results jsonb)
RETURNS TABLE (ordinal integer, transaction_id bigint, created boolean)
-- SECURITY DEFINER: the app role may not write the log or the snapshots itself; it records through
-- this function (search_path pinned by benchmon_apply_privileges, see R__privilege_functions.sql).
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF p_results IS NULL OR jsonb_typeof(p_results) <> 'array' THEN
        RAISE EXCEPTION 'upsert_benchmark_results expects a JSON array of results'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM benchmon_open_staging();
    INSERT INTO pg_temp.benchmark_ingest_staging
        (ord, idempotency_key, model_version, dataset_version, prompt_version, model_provider, environment,
         metrics, stderr, sample_sizes, run_at, commit_sha, branch, run_id, triggered_by, tags, notes, metadata,
         run_at_sent)
    SELECT e.ord, e.r ->> 'idempotency_key', e.r ->> 'model_version', e.r ->> 'dataset_version',
           e.r ->> 'prompt_version', e.r ->> 'model_provider', e.r ->> 'environment', e.r -> 'metrics',
           e.r -> 'stderr', e.r -> 'n', (e.r ->> 'run_at')::timestamptz, e.r ->> 'commit_sha', e.r ->> 'branch',
           e.r ->> 'run_id', e.r ->> 'triggered_by', e.r -> 'tags', e.r ->> 'notes', e.r -> 'metadata',
           (e.r ->> 'run_at_sent')::boolean
    FROM jsonb_array_elements(p_results) WITH ORDINALITY AS e(r, ord);
    RETURN QUERY SELECT s.ordinal, s.transaction_id, s.created FROM ingest_staged_results() s;
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
-- A metric's direction is p_directions ->> metric when given (the toolkit passes the detection
-- engine's: 'higher_is_better', 'lower_is_better', 'none' or 'unknown'), else metric_direction.
-- A metric regresses when it moved in its worse direction by more than p_threshold relative to
-- |baseline| and by at least p_absolute_threshold in absolute terms. A metric whose direction is
-- 'none' or 'unknown' never regresses: past the same thresholds either way, an unknown one's
-- outcome is 'changed_direction_unknown' (as the engine says), a none one's 'not_judged'.
-- Severity: minor up to 2x the threshold, major up to 4x, critical beyond.
-- The signature before p_directions and the outcome column (dropped: a new parameter is a new function).
DROP FUNCTION IF EXISTS detect_regressions(text[], text[], text[], text[], float8, text, integer, float8, bigint,
                                           timestamptz, text[]);
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
    p_metrics              text[]      DEFAULT NULL,
    p_directions           jsonb       DEFAULT NULL)
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
    run_id          text,
    outcome         text)
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
    -- marked expected, only runs from that alert's run on count: the newest expected alert's whose run counts (not
    -- excluded, not a replaced attempt), as in the engine (baseline_reset_in_force, once per series judged).
    resets AS (
        SELECT s.series_id, x.metric, x.run_at, x.transaction_id
        FROM (SELECT DISTINCT c.series_id FROM cur c) s
        CROSS JOIN LATERAL baseline_reset_in_force(s.series_id) x
    ),
    baselines AS (
        SELECT b.current_id, m.key AS metric, avg((m.value #>> '{}')::float8) AS base, count(*)::integer AS n
        FROM base_runs b
        CROSS JOIN LATERAL jsonb_each(b.metrics) AS m(key, value)
        LEFT JOIN resets r ON r.series_id = b.series_id AND r.metric = m.key AND NOT b.pinned
        WHERE jsonb_typeof(m.value) = 'number'
          AND (p_metrics IS NULL OR m.key = ANY (p_metrics))
          AND (r.series_id IS NULL OR (b.run_at, b.run_id) >= (r.run_at, r.transaction_id))
        GROUP BY b.current_id, m.key
    ),
    -- Each metric's direction once, not once per series (metric_direction reads the verdicts).
    directions AS (
        SELECT k.metric, coalesce(p_directions ->> k.metric, metric_direction(k.metric)) AS direction
        FROM (SELECT DISTINCT b.metric FROM baselines b) k
    ),
    scored AS (
        SELECT c.*, m.key AS m_name, (m.value #>> '{}')::float8 AS m_current,
               dir.direction AS m_direction, bl.base, bl.n
        FROM cur c
        CROSS JOIN LATERAL jsonb_each(c.metrics) AS m(key, value)
        JOIN baselines bl ON bl.current_id = c.id AND bl.metric = m.key
        JOIN directions dir ON dir.metric = m.key
        WHERE jsonb_typeof(m.value) = 'number'
          AND (p_metrics IS NULL OR m.key = ANY (p_metrics))
    ),
    judged AS (
        SELECT sc.*,
               sc.m_current - sc.base AS d,
               CASE WHEN sc.base <> 0 THEN (sc.m_current - sc.base) / abs(sc.base) END AS rel,
               -- how much worse, in the metric's own direction (positive = worse; NULL: none or unknown)
               CASE WHEN sc.m_direction = 'lower_is_better' THEN sc.m_current - sc.base
                    WHEN sc.m_direction = 'higher_is_better' THEN sc.base - sc.m_current END AS worse
        FROM scored sc
    ),
    flagged AS (
        SELECT j.*,
               coalesce(j.worse > 0
                AND abs(j.d) >= p_absolute_threshold
                AND (j.base = 0 OR j.worse / abs(j.base) > p_threshold), false) AS reg,
               -- the same thresholds on the size of the change, whichever way it went
               (j.d <> 0
                AND abs(j.d) >= p_absolute_threshold
                AND (j.base = 0 OR abs(j.d) / abs(j.base) > p_threshold)) AS moved
        FROM judged j
    )
    SELECT f.model_version, f.dataset_version, f.prompt_version, f.environment, f.m_name, f.m_direction,
           f.base, f.m_current, f.d, f.rel, f.reg,
           CASE WHEN NOT f.reg THEN 'none'
                WHEN f.base = 0 THEN 'major'
                WHEN f.worse / abs(f.base) <= 2 * greatest(p_threshold, 0.01) THEN 'minor'
                WHEN f.worse / abs(f.base) <= 4 * greatest(p_threshold, 0.01) THEN 'major'
                ELSE 'critical' END,
           f.n, f.id, f.run_at, f.commit_sha, f.branch, f.run_id,
           CASE WHEN f.reg THEN 'regression'
                WHEN f.m_direction = 'none' THEN 'not_judged'
                WHEN f.m_direction NOT IN ('higher_is_better', 'lower_is_better') AND f.moved
                    THEN 'changed_direction_unknown'
                ELSE 'ok' END
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
       s.commit_sha, s.branch, s.run_id, t.triggered_by, t.tags, t.notes, t.recorded_at
FROM benchmark_snapshots s
-- The snapshot's run_at names the month, so one partition is probed (V13); LEFT: a series whose latest
-- run is in a detached month keeps its row, with the commit, branch and run id the snapshot holds (V17)
-- but without the rest of that run's context.
LEFT JOIN benchmark_log t ON t.id = s.transaction_id AND t.run_at = s.run_at;

-- Daily (UTC) statistics per series and metric, from the rollups kept at ingest (V9): one row per
-- series, metric and day, whatever the number of results, and the same figures the dashboard's trends
-- show (superseded attempts of a CI run left out; stddev is the sample standard deviation).
CREATE OR REPLACE VIEW v_performance_trends AS
SELECT s.model_version, s.dataset_version, s.prompt_version, s.environment,
       mn.name                                                            AS metric,
       (r.day::timestamp AT TIME ZONE 'UTC')                              AS bucket,
       r.sum / r.n                                                        AS mean_value,
       r.min                                                              AS min_value,
       r.max                                                              AS max_value,
       CASE WHEN r.n > 1 THEN sqrt(greatest(r.sum_sq_dev, 0) / (r.n - 1)) END AS stddev_value,
       r.n                                                                AS runs
FROM benchmark_rollups_daily r
JOIN series s ON s.id = r.series_id
JOIN metric_names mn ON mn.id = r.metric_id;
