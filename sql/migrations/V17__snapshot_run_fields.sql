-- benchmon schema, version 17: the snapshot holds its latest run's commit, branch and run id.
--
-- Every read of the snapshots (the API's /snapshots, the toolkit's latest(), the dashboard's cards)
-- showed these three fields of the latest run, and so probed the log once per series by id and run_at:
-- 900 series took 7.3 ms against 2 ms without the probes on PostgreSQL 15, and the plan spans every month
-- of the log (planning grows with the months). The writer (ingest_staged_results) now keeps them beside the
-- run's metrics, which it already copies; the log row is read only for what the snapshot does not hold
-- (a tags filter). Existing snapshots get the fields from the log where R__ingest_functions.sql installs the
-- new writer: that file runs after this one, in its own transaction, and ends by copying them into every
-- snapshot whose fields differ from its run's, so snapshots moved in between are caught up too. Snapshots
-- whose run lies in a detached month (the log row is not there to copy) get them with the series' next run.
-- Written to run twice safely (see V2).

ALTER TABLE benchmark_snapshots ADD COLUMN IF NOT EXISTS commit_sha text;
ALTER TABLE benchmark_snapshots ADD COLUMN IF NOT EXISTS branch text;
ALTER TABLE benchmark_snapshots ADD COLUMN IF NOT EXISTS run_id text;

COMMENT ON COLUMN benchmark_snapshots.commit_sha IS 'The latest run''s commit (as benchmark_log.commit_sha of transaction_id).';
COMMENT ON COLUMN benchmark_snapshots.branch IS 'The latest run''s branch.';
COMMENT ON COLUMN benchmark_snapshots.run_id IS 'The latest run''s run id (the CI run).';

