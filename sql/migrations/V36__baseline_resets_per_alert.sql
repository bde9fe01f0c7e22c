-- benchmon schema, version 36: a baseline reset per expected alert, not per series and metric.
--
-- Why: baseline_resets kept one row per (series, metric), the newest expected alert's. Moving that alert out of
-- 'expected' deleted the row, and excluding its run made the reset fall away, so an older alert on the same metric
-- that is still expected lost its baseline start: the next run at its level was judged against the history before it
-- and opened a regression that alert had accepted. Now the table holds one row per expected alert (key alert_id), and
-- the reset in force is the newest whose run counts (baseline_reset_in_force, R__alert_functions.sql), read at every
-- push through the index below (a few rows per series: its expected alerts).
-- Existing data carries forward: the rows of alerts no longer expected go, and every expected alert gets its row
-- (until now only the newest per metric had one).
-- Written to run twice safely (see V2).

ALTER TABLE baseline_resets DROP CONSTRAINT IF EXISTS baseline_resets_pkey;

DELETE FROM baseline_resets r
WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE a.id = r.alert_id AND a.state = 'expected');

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'baseline_resets_alert_key'
                   AND conrelid = 'baseline_resets'::regclass) THEN
        ALTER TABLE baseline_resets ADD CONSTRAINT baseline_resets_alert_key PRIMARY KEY (alert_id);
    END IF;
END;
$$;

CREATE INDEX IF NOT EXISTS baseline_resets_series_metric_idx
    ON baseline_resets (series_id, metric, run_at DESC, transaction_id DESC);

INSERT INTO baseline_resets (series_id, metric, transaction_id, run_at, alert_id)
SELECT a.series_id, a.metric, t.id, t.run_at, a.id
FROM alerts a
JOIN benchmark_transactions t ON t.id = a.transaction_id
WHERE a.state = 'expected'
ON CONFLICT (alert_id) DO NOTHING;
