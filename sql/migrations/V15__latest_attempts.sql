-- benchmon schema, version 15: the latest attempt of every CI run that was re-run.
--
-- Queries leave out results superseded by a later attempt of the same run (V4; the view
-- benchmark_results_current). That check used to probe the log's run_key index once per row read,
-- in every month, since a run key says nothing about the month its other attempts are in: a history
-- of 1,000 results with run ids took 13 index probes per row (34,000 buffer reads, 30 ms of 40 ms on
-- PostgreSQL 15 with 13 months). Re-runs are rare, so their latest attempts fit a small table, kept by
-- the log's insert trigger (benchmark_rollups_on_insert, R__rollup_functions.sql, for every write
-- path) and read with one probe of its primary key per row.
-- Existing re-runs carry forward from the log. Written to run twice safely (see V2).

CREATE TABLE IF NOT EXISTS benchmark_latest_attempts (
    run_key  uuid    PRIMARY KEY,
    attempt  integer NOT NULL CHECK (attempt > 1)
);

COMMENT ON TABLE benchmark_latest_attempts IS
    'Runs with more than one attempt (V4) and the number of their latest; kept by the log''s insert trigger.';

-- The log's re-runs, found without reading every row: for the backfill below and for
-- rebuild_benchmark_latest_attempts() (a few pages per month, since re-runs are rare).
CREATE INDEX IF NOT EXISTS benchmark_log_reruns_idx ON benchmark_log (run_key, attempt) WHERE attempt > 1;

INSERT INTO benchmark_latest_attempts AS l (run_key, attempt)
SELECT t.run_key, max(t.attempt) FROM benchmark_log t WHERE t.attempt > 1 AND t.run_key IS NOT NULL GROUP BY t.run_key
ON CONFLICT (run_key) DO UPDATE SET attempt = greatest(l.attempt, excluded.attempt);
