-- benchmon schema, version 21: each re-run's latest attempt (V15) names its series.
--
-- Why: a history leaves out the attempts a CI re-run superseded. Through benchmark_results_current that is
-- one probe of this table's key per row read, about 0.6 us each on PostgreSQL 15 (a 1,000-row history of
-- one series: 4.1-4.6 ms against 3.0-3.5 ms with no check at all). A history reads only its own series, so
-- it can instead hash the superseded attempts of its series once and look each row up in the hash
-- (FilterSql.ofCurrentLog in the toolkit). That needs the series of each re-run here; a run key belongs to one series
-- (V4), so every attempt of a run gives the same series_id.
-- Existing re-runs carry forward from the log. Written to run twice safely (see V2).

ALTER TABLE benchmark_latest_attempts ADD COLUMN IF NOT EXISTS series_id integer REFERENCES series (id);

-- One probe of the log's re-runs index (benchmark_log_reruns_idx, V15) per re-run.
UPDATE benchmark_latest_attempts a
SET series_id = (SELECT l.series_id FROM benchmark_log l WHERE l.run_key = a.run_key AND l.attempt > 1 LIMIT 1)
WHERE a.series_id IS NULL;

-- A latest attempt whose rows are gone from the log (a detached month) supersedes nothing that is read.
DELETE FROM benchmark_latest_attempts WHERE series_id IS NULL;

ALTER TABLE benchmark_latest_attempts ALTER COLUMN series_id SET NOT NULL;

CREATE INDEX IF NOT EXISTS benchmark_latest_attempts_series_idx ON benchmark_latest_attempts (series_id);

COMMENT ON COLUMN benchmark_latest_attempts.series_id IS 'The series of the run (a run key belongs to one series).';
