-- benchmon schema, version 22: a snapshot's run_count counts runs, not the attempts of CI re-runs.
--
-- Why: a CI job run again (the same run_id and run_at, V4) is a second attempt of one run. Histories, trends and
-- the runs KPI (the daily rollups) count only its latest attempt, while the snapshot's run_count added every
-- attempt, so the overview said 31 runs of a series whose history lists 30. The writer (ingest_staged_results,
-- R__ingest_functions.sql) now adds first attempts only. Existing counts drop the later attempts the old writer
-- added: one pass over the log's re-runs index (benchmark_log_reruns_idx, V15; re-runs are rare), and a snapshot
-- rewritten only where its series has re-runs. Later attempts in a month detached from the log stay counted.
-- Runs twice safely (see V2): the column's comment says whether the counts were carried forward already.

DO $$
BEGIN
    IF col_description('benchmark_snapshots'::regclass,
                       (SELECT a.attnum FROM pg_attribute a
                        WHERE a.attrelid = 'benchmark_snapshots'::regclass AND a.attname = 'run_count'))
       IS DISTINCT FROM 'Runs of the series: its results, a CI re-run counted once (V22).' THEN
        UPDATE benchmark_snapshots s
        SET run_count = greatest(s.run_count - r.later_attempts, 1)
        FROM series x
        JOIN (SELECT t.series_id, count(*) AS later_attempts FROM benchmark_log t WHERE t.attempt > 1
              GROUP BY t.series_id) r ON r.series_id = x.id
        WHERE x.model_version = s.model_version AND x.dataset_version = s.dataset_version
          AND x.prompt_version = s.prompt_version AND x.environment = s.environment;
        COMMENT ON COLUMN benchmark_snapshots.run_count IS 'Runs of the series: its results, a CI re-run counted once (V22).';
    END IF;
END;
$$;
