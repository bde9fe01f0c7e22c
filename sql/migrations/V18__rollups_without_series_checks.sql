-- benchmon schema, version 18: the daily rollups no longer check their series with a foreign key.
--
-- benchmark_rollups_daily and benchmark_runs_daily are derived rows: only the log's insert trigger
-- (benchmark_rollups_on_insert) and the rebuild functions write them, always from log rows, and the log's
-- own foreign key has already checked the series of each of those rows (series are never deleted). The
-- second check cost one row-level trigger per rollup cell, about five per result: importing 50,000 results
-- on PostgreSQL 15 spent 6.9-7.4 s in ingest_staged_results with the checks and 5.9-6.1 s without (2026-11-30).
-- Found by name-independent lookup, so a schema applied by hand under other constraint names is covered.
-- Written to run twice safely (see V2).

DO $$
DECLARE
    c record;
BEGIN
    FOR c IN
        SELECT k.conrelid::regclass AS tbl, k.conname
        FROM pg_constraint k
        WHERE k.contype = 'f'
          AND k.confrelid = 'series'::regclass
          AND k.conrelid IN ('benchmark_rollups_daily'::regclass, 'benchmark_runs_daily'::regclass)
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
    END LOOP;
END;
$$;
