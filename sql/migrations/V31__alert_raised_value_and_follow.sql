-- benchmon schema, version 31: an alert keeps the value it was raised on, and the run the detector last followed, apart
-- from `current` and last_transaction_id, which an exclusion may move.
--
-- raised_value: the value of the alert's opening (the finding's current: the raising run's value, or a change point's
-- level after). Whether a run is back at the old level (alert_back_at_baseline, R__alert_functions.sql) measures the
-- change from it, not from `current`, which each run the alert follows overwrites: a drop that deepened must not widen
-- the band that resolves it.
-- followed_tx, followed_value: the newest run the detector's findings had the alert follow, and its value. Excluding
-- that run moves last_transaction_id and current to the newest run left (annotate_run); including it again puts them
-- back from these columns, as they would be had the run never been excluded.
-- Existing alerts carry forward: the opening's value is its baseline moved by its relative change where both are known
-- (exactly the finding's current), else `current` while the alert still follows the run it was raised on, else that
-- run's value in the log; the run followed is the one they follow now (an exclusion's move made earlier is kept).
-- Written to run twice safely (see V2).

ALTER TABLE alerts ADD COLUMN IF NOT EXISTS raised_value double precision;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS followed_tx bigint;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS followed_value double precision;

UPDATE alerts a
SET raised_value = CASE
        WHEN a.baseline <> 0 AND a.magnitude IS NOT NULL THEN a.baseline + a.magnitude * abs(a.baseline)
        WHEN a.last_transaction_id = a.raised_tx THEN a.current
        ELSE coalesce((SELECT CASE WHEN jsonb_typeof(t.metrics -> a.metric) = 'number' THEN (t.metrics ->> a.metric)::float8 END
                       FROM benchmark_log t WHERE t.id = a.raised_tx), a.current) END
WHERE a.raised_value IS NULL;

UPDATE alerts a SET followed_tx = a.last_transaction_id, followed_value = a.current WHERE a.followed_tx IS NULL;

ALTER TABLE alerts ALTER COLUMN followed_tx SET NOT NULL;

COMMENT ON COLUMN alerts.raised_value IS
    'The value the alert was raised on (its opening''s current); alert_back_at_baseline measures its change from it.';
COMMENT ON COLUMN alerts.followed_tx IS
    'The newest run the detector had the alert follow; last_transaction_id is it unless an exclusion moved it.';
COMMENT ON COLUMN alerts.followed_value IS 'The value of followed_tx (current, unless an exclusion moved it).';
