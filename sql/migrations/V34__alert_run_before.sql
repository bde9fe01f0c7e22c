-- benchmon schema, version 34: an alert keeps the run before its change, as known when it was raised.
--
-- before_transaction_id: the last run before the change (the detector's last run of the baseline), which the alert's
-- commit range starts from: by its commit (commit_from), else by its id (#id). Stored when the alert is raised
-- (alert_record_findings, R__alert_functions.sql, from the finding's tx_before), so an alert read looks nothing up: it
-- used to find that run at every read, the newest counted run of the metric before the shift, a lookup planned over
-- every month of the log (on PostgreSQL 15 with 36 months it took an alert read's planning from 22-32 ms to 32-56 ms).
-- Existing alerts carry forward: their run before is the one that read found (the newest run of the series before the
-- change's first run that reports the metric, is not excluded and is not an attempt a re-run replaced), and an alert
-- with no commit_from takes that run's commit, so its commit range names the commit, as its compare link does. An
-- alert with a commit_from (a finding's own, maybe of an older run) takes the newest such run of that commit, or none:
-- its run before and commit_from name one run.
-- Written to run twice safely (see V2).

ALTER TABLE alerts ADD COLUMN IF NOT EXISTS before_transaction_id bigint;

UPDATE alerts a
SET before_transaction_id = b.id, commit_from = coalesce(nullif(a.commit_from, ''), b.commit_sha)
FROM alerts x
JOIN benchmark_log f ON f.id = coalesce(x.shift_tx, x.transaction_id) AND f.series_id = x.series_id
CROSS JOIN LATERAL (
    SELECT t.id, t.commit_sha FROM benchmark_log t
    WHERE t.series_id = x.series_id
      AND jsonb_typeof(t.metrics -> x.metric) = 'number'
      AND NOT EXISTS (SELECT 1 FROM excluded_runs e WHERE e.transaction_id = t.id)
      AND NOT EXISTS (SELECT 1 FROM benchmark_latest_attempts l WHERE l.run_key = t.run_key AND l.attempt > t.attempt)
      AND t.run_at <= f.run_at AND (t.run_at, t.id) < (f.run_at, f.id)
      AND (nullif(x.commit_from, '') IS NULL OR t.commit_sha = x.commit_from)
    ORDER BY t.run_at DESC, t.id DESC
    LIMIT 1) b
WHERE a.id = x.id AND a.before_transaction_id IS NULL;

COMMENT ON COLUMN alerts.before_transaction_id IS
    'The last run before the change, as known when the alert was raised (the detector''s last run of the baseline); '
    'NULL when none was known. Its commit is commit_from. The commit range starts at it: commit_from, else #id.';
