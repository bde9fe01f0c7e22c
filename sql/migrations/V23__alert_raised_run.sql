-- benchmon schema, version 23: an alert keeps the run it was raised on, apart from the run it names.
--
-- Why: excluding the run that raised an alert whose change persists in the later runs keeps the alert (a broken
-- runner's first run of a real drop), and the alert then names the first later run of its change that is not
-- excluded (transaction_id, with shift_tx and commit_to where they named the excluded run), so its run, CI and
-- commit links lead to a run that counts. raised_tx keeps the run the detector raised it on: including that run
-- again names it again (annotate_run, R__alert_functions.sql). Each move is also an event of the alert's history.
-- Existing alerts carry forward with the run they name as the run they were raised on.
-- Written to run twice safely (see V2).

ALTER TABLE alerts ADD COLUMN IF NOT EXISTS raised_tx bigint;

UPDATE alerts SET raised_tx = transaction_id WHERE raised_tx IS NULL;

ALTER TABLE alerts ALTER COLUMN raised_tx SET NOT NULL;

COMMENT ON COLUMN alerts.raised_tx IS
    'The run the detector raised the alert on; transaction_id names the first run of its change that is not excluded.';
