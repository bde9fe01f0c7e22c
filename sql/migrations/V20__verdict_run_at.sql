-- benchmon schema, version 20: each stored verdict keeps the run_at of the run it judged.
--
-- Why: the change-point findings of every push measure, for each change point and verdict of the pushed
-- series, how many runs lie between them (series_run_distance). Given only the two runs' ids, that first
-- finds their run_at by id, which probes the key of every month of the log (a partitioned table's key
-- holds run_at after id): 58-97 us per call on PostgreSQL 15 with 13 months, about 25 calls per group of
-- single POSTs. With both run_ats known (a change point has run_at_after, a verdict now has run_at) the
-- count alone is 15 us.
-- Existing verdicts are carried forward with their run's run_at; a verdict stored without one (a psql
-- caller of store_detections that leaves it out) stays NULL and is looked up by id as before.
-- Written to run twice safely (see V2).

ALTER TABLE detection_verdicts ADD COLUMN IF NOT EXISTS run_at timestamptz;

COMMENT ON COLUMN detection_verdicts.run_at IS 'run_at of the judged run (transaction_id); NULL when the writer left it out.';

-- One probe of the log's key per verdict (a join could read every month while this transaction holds the table).
UPDATE detection_verdicts v
SET run_at = (SELECT l.run_at FROM benchmark_log l WHERE l.id = v.transaction_id LIMIT 1)
WHERE v.run_at IS NULL;
