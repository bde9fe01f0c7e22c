-- benchmon ingest functions and views. Repeatable: Flyway re-applies this file whenever it changes,
-- so everything here is CREATE OR REPLACE.

-- The run a result belongs to (see V4): NULL without a run_id; else an MD5 (as a uuid) over the
-- series, the run_id and run_at as sent (NULL when the result left it out). upsert_benchmark_results calls it.
CREATE OR REPLACE FUNCTION benchmark_run_key(p_model_version text, p_dataset_version text, p_prompt_version text,
                                             p_environment text, p_run_id text, p_run_at_sent timestamptz)
RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_run_id IS NULL THEN NULL ELSE
        md5(jsonb_build_array(p_model_version, p_dataset_version, p_prompt_version, p_environment, p_run_id,
                              extract(epoch FROM p_run_at_sent))::text)::uuid
    END
$$;

-- The log as queries read it by default: every result, except those superseded by a later attempt
-- of the same run (a CI re-run with new numbers for the same run_id; see V4). Results without a
-- run_id are never superseded. The log itself keeps every attempt.
CREATE OR REPLACE VIEW benchmark_results_current AS
SELECT t.*
FROM benchmark_transactions t
WHERE t.run_key IS NULL
   OR NOT EXISTS (SELECT 1 FROM benchmark_transactions n
                  WHERE n.run_key = t.run_key AND n.attempt > t.attempt);

COMMENT ON VIEW benchmark_results_current IS
    'The log without results superseded by a later attempt of the same CI run (same run_key, higher attempt).';
