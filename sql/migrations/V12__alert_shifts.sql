-- benchmon schema, version 12: one alert per shift, whichever part of the detector saw it first.
--
-- The per-run test reports a shift when its first runs arrive; the change-point search confirms it
-- some runs later (and finds shifts the per-run test missed). Both become alerts through
-- alert_record_findings (R__alert_functions.sql), which now matches a change point against the
-- alerts of the same series and metric by where the shift starts, so one shift gives one alert:
--   shift_tx                 the first run of the shift the alert is about (the per-run test's first
--                            run out of band, or the change point's first run of the new segment)
--   change_point_tx          the change point that confirmed the alert (its first run), when one did
--   change_point_confidence  that change point's confidence (1 - p-value of the segments' medians)
--   change_point_at          when the confirmation was recorded
-- Existing alerts carry forward with their raising run as the shift's start (the best known).
-- Written to run twice safely (see V2).

ALTER TABLE alerts ADD COLUMN IF NOT EXISTS shift_tx bigint;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS change_point_tx bigint;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS change_point_confidence double precision;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS change_point_at timestamptz;

UPDATE alerts SET shift_tx = transaction_id WHERE shift_tx IS NULL;
UPDATE alerts SET change_point_tx = transaction_id, change_point_at = opened_at
WHERE kind = 'change_point' AND change_point_tx IS NULL;

COMMENT ON COLUMN alerts.shift_tx IS 'First run of the shift this alert is about; one alert per shift.';
COMMENT ON COLUMN alerts.change_point_tx IS 'First run of the stored change point that confirmed this alert, if any.';

-- Run notes are drawn as chart markers (Trends, series pages): the newest noted runs of a time range
-- are read through this partial index instead of scanning the log for the few runs that have notes.
CREATE INDEX IF NOT EXISTS benchmark_transactions_noted_run_at_idx
    ON benchmark_transactions (run_at DESC) WHERE notes IS NOT NULL AND btrim(notes) <> '';
