-- benchmon schema, version 14: the alerts of a run, by index.
--
-- Every push answers with the alerts its runs raised or that still follow them
-- (alerts.transaction_id or alerts.last_transaction_id among the pushed ids). Without these indexes
-- that was a scan of every alert ever raised on every POST. Written to run twice safely (see V2).
CREATE INDEX IF NOT EXISTS alerts_transaction_idx ON alerts (transaction_id);
CREATE INDEX IF NOT EXISTS alerts_last_transaction_idx ON alerts (last_transaction_id);
