-- benchmon schema, version 37: a series' snapshot shows its newest run that counts, never an excluded run.
--
-- Why: excluding a run (annotate_run, excluded_runs) left the snapshot on it, so the dashboard's Current Snapshot and
-- GET /api/v1/snapshots showed the excluded value, coloured against a baseline that detection computed from the
-- newest run that counts (a "same" label on a value nobody judged). Now annotate_run recomputes the snapshot of the
-- run's series in the same transaction (R__alert_functions.sql), ingest_staged_results moves a snapshot that stands on
-- an excluded run (every run of its series is) onto the run that arrives, whatever its run_at (R__ingest_functions.sql),
-- and this migration carries existing data forward: the snapshot of every series with an excluded run is recomputed.
-- The function lives here, not in a repeatable file, because this migration calls it before the repeatable files
-- run; it reads the tables only (benchmark_log, benchmark_latest_attempts), as views are created by those files.
-- Written to run twice safely (see V2).

-- Moves the snapshot row of each series in p_series_ids (series.id) onto the series' newest run that counts: in the
-- log, not superseded by a later attempt of its CI run (as benchmark_results_current), not in excluded_runs; newest by
-- (run_at, id), as ingest orders runs. When every run of the series is excluded the row stays on (or moves to) its
-- newest run, which is excluded: readers leave such a row out (SnapshotQuery), and the next run that arrives replaces
-- it whatever its run_at (ingest_staged_results).
-- Only the run fields move (metrics, model_provider, commit_sha, branch, run_id, transaction_id, run_at); updated_at
-- stays the last write of a result (the dashboard's "Last ingest" card reads it), not the last annotation. run_count,
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
CREATE OR REPLACE FUNCTION benchmark_snapshots_recompute(p_series_ids integer[])
RETURNS integer
LANGUAGE sql AS $$
    WITH newest AS (
        SELECT r.model_version, r.dataset_version, r.prompt_version, r.environment, n.*
        FROM series r
        CROSS JOIN LATERAL (
            (SELECT l.id, l.run_at, l.model_provider, l.metrics, l.commit_sha, l.branch, l.run_id
             FROM benchmark_log l
             WHERE l.series_id = r.id
               AND NOT EXISTS (SELECT 1 FROM benchmark_latest_attempts a WHERE a.run_key = l.run_key AND a.attempt > l.attempt)
               AND NOT EXISTS (SELECT 1 FROM excluded_runs x WHERE x.transaction_id = l.id)
             ORDER BY l.run_at DESC, l.id DESC
             LIMIT 1)
            UNION ALL
            (SELECT l.id, l.run_at, l.model_provider, l.metrics, l.commit_sha, l.branch, l.run_id
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
        SET metrics = n.metrics, model_provider = n.model_provider, commit_sha = n.commit_sha, branch = n.branch,
            run_id = n.run_id, transaction_id = n.id, run_at = n.run_at
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

-- Existing data: every series with an excluded run.
SELECT benchmark_snapshots_recompute(ARRAY(SELECT DISTINCT x.series_id FROM excluded_runs x));
