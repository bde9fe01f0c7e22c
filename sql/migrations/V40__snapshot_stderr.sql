-- benchmon schema, version 40: the snapshot holds its latest run's standard errors (stderr), beside its metrics.
--
-- Why: the toolkit's latest-snapshot table (Benchmon.latestSnapshots) shows each metric's standard error beside its
-- value (acc_stderr), and read it by probing the log once per series (id and run_at of the snapshot's run): the probe
-- V17 removed for the commit, branch and run id, back for one field. The writers now keep stderr where they keep
-- metrics, replaced together with them: the ingest's snapshot upsert (ingest_staged_results) and the recompute after an
-- exclusion, an inclusion or a CI re-run (benchmark_snapshots_recompute), both in R__ingest_functions.sql, which runs
-- after this file in its own transaction and ends by copying the run fields (stderr now with them) into every snapshot
-- that differs from its run, so snapshots an older writer moved in between are caught up too.
-- No index on the column: snapshots are updated in place by every write to their series, and stay HOT updates (V9)
-- only while no index covers a column that changes.
-- Existing snapshots get stderr from their run's row in the log (one probe of the run's month per snapshot; a row is
-- rewritten only where the run carried a stderr). A snapshot whose run lies in a month detached from the log keeps
-- NULL until the series' next run, as V17's fields did.
-- Written to run twice safely (see V2).

ALTER TABLE benchmark_snapshots ADD COLUMN IF NOT EXISTS stderr jsonb;

COMMENT ON COLUMN benchmark_snapshots.stderr IS
    'The latest run''s standard errors by metric (as benchmark_log.stderr of transaction_id), or NULL; V40.';

UPDATE benchmark_snapshots s
SET stderr = l.stderr
FROM benchmark_log l
WHERE l.id = s.transaction_id AND l.run_at = s.run_at
  AND s.stderr IS DISTINCT FROM l.stderr;
