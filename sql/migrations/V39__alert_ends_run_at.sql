-- benchmon schema, version 39: an alert keeps the run_at of the runs its range is made of (transaction_at,
-- last_transaction_at, followed_at), beside their ids.
--
-- Why: benchmark_log is partitioned by month of run_at, and its key is (id, run_at). A run looked up by id alone is
-- searched for in every month's index; with a year of history that is 13 index probes for one row. Alerts.covering
-- (the /regressions page, on every load) compares each candidate alert's ends with the runs asked, in the log's order
-- (run_at, then id), and looked up three ends per alert by id. With their run_at on the alert row, each lookup names its
-- month and the other months are pruned (see Alerts.COVERING).
-- Kept by a trigger, not by each writer: whichever statement sets an end (alert_record_findings, an exclusion moving
-- last_transaction_id back, an import) sets its run_at with it, and a writer added later cannot forget it. The one
-- lookup by id is paid when an end changes, on the write, not on every read. An end that is not in the log (a month
-- detached) gets NULL, and a read joining the log by (id, run_at) leaves it out as it did joining by id alone.
-- Written to run twice safely (see V2).

ALTER TABLE alerts ADD COLUMN IF NOT EXISTS transaction_at timestamptz;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS last_transaction_at timestamptz;
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS followed_at timestamptz;

COMMENT ON COLUMN alerts.transaction_at IS 'run_at of transaction_id (kept by alerts_ends_run_at): its month in benchmark_log.';
COMMENT ON COLUMN alerts.last_transaction_at IS 'run_at of last_transaction_id (kept by alerts_ends_run_at).';
COMMENT ON COLUMN alerts.followed_at IS 'run_at of followed_tx (kept by alerts_ends_run_at).';

CREATE OR REPLACE FUNCTION alerts_ends_run_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Looked up only for an end that changed: an update of the state or the grade costs nothing here.
    IF TG_OP = 'INSERT' OR NEW.transaction_id IS DISTINCT FROM OLD.transaction_id THEN
        NEW.transaction_at := (SELECT l.run_at FROM benchmark_log l WHERE l.id = NEW.transaction_id);
    END IF;
    IF TG_OP = 'INSERT' OR NEW.last_transaction_id IS DISTINCT FROM OLD.last_transaction_id THEN
        NEW.last_transaction_at := CASE WHEN NEW.last_transaction_id = NEW.transaction_id THEN NEW.transaction_at
            ELSE (SELECT l.run_at FROM benchmark_log l WHERE l.id = NEW.last_transaction_id) END;
    END IF;
    IF TG_OP = 'INSERT' OR NEW.followed_tx IS DISTINCT FROM OLD.followed_tx THEN
        NEW.followed_at := CASE WHEN NEW.followed_tx = NEW.last_transaction_id THEN NEW.last_transaction_at
            ELSE (SELECT l.run_at FROM benchmark_log l WHERE l.id = NEW.followed_tx) END;
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS alerts_ends_run_at ON alerts;
CREATE TRIGGER alerts_ends_run_at BEFORE INSERT OR UPDATE OF transaction_id, last_transaction_id, followed_tx ON alerts
    FOR EACH ROW EXECUTE FUNCTION alerts_ends_run_at();

-- The alerts there are: each end looked up once, here.
UPDATE alerts a SET transaction_at = (SELECT l.run_at FROM benchmark_log l WHERE l.id = a.transaction_id),
                    last_transaction_at = (SELECT l.run_at FROM benchmark_log l WHERE l.id = a.last_transaction_id),
                    followed_at = (SELECT l.run_at FROM benchmark_log l WHERE l.id = a.followed_tx)
WHERE a.transaction_at IS NULL OR a.last_transaction_at IS NULL OR a.followed_at IS NULL;
