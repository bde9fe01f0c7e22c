-- benchmon schema, version 4: attempts of a CI run.
--
-- A CI job that is re-run (GitHub "Re-run jobs" keeps GITHUB_RUN_ID) sends new numbers for the same
-- run_id. Such a result is a new attempt of the same run, not a second run: the log keeps both (it is
-- append-only) and queries use the latest attempt of each run by default.
--
-- run_key: which run a result belongs to, for results that name a run_id: an MD5 (as a 16-byte uuid,
--          compact to index; an identity, not a security boundary) over the series (model, dataset,
--          prompt, environment), the run_id and run_at as sent (absent or an instant). Computed by upsert_benchmark_results; NULL for results without a run_id, which
--          are each their own run.
-- attempt: 1 for the first result(s) of a run, then 2, 3, ... for each later write that brings a
--          result with the same run_key but new content (a new idempotency key). Results of one run
--          written in one transaction share the attempt number.
-- Rows stored before this version keep run_key NULL and attempt 1 (the log cannot be updated, and
-- which of them were re-runs cannot be told afterwards).
-- Both columns are added without rewriting existing rows (a constant default is metadata only).
-- Written to run twice safely (see V2).
ALTER TABLE benchmark_transactions ADD COLUMN IF NOT EXISTS run_key uuid;
ALTER TABLE benchmark_transactions ADD COLUMN IF NOT EXISTS attempt integer NOT NULL DEFAULT 1;
ALTER TABLE benchmark_transactions DROP CONSTRAINT IF EXISTS attempt_is_positive;
ALTER TABLE benchmark_transactions ADD CONSTRAINT attempt_is_positive CHECK (attempt >= 1);

-- The latest attempt of a run, and "is there a later attempt?", by index.
CREATE INDEX IF NOT EXISTS benchmark_transactions_run_key_attempt_idx
    ON benchmark_transactions (run_key, attempt DESC) WHERE run_key IS NOT NULL;

COMMENT ON COLUMN benchmark_transactions.run_key IS
    'MD5 (as uuid) of series, run_id and run_at as sent; NULL without run_id. Results with one run_key are attempts of one run.';
COMMENT ON COLUMN benchmark_transactions.attempt IS
    'Attempt number of the run (1, 2, ...): a re-run with new numbers for the same run_id is a new attempt.';
