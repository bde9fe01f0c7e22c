-- benchmon schema, version 18: the daily rollups no longer check their series with a foreign key.
--
-- benchmark_rollups_daily and benchmark_runs_daily are derived rows: only the log's insert trigger
-- (benchmark_rollups_on_insert) and the rebuild functions write them, always from log rows, and the log's
-- own foreign key has already checked the series of each of those rows (series are never deleted). The
-- second check cost one row-level trigger per rollup cell, about five per result: importing 50,000 results
-- on PostgreSQL 15 spent 6.9-7.4 s in ingest_staged_results with the checks and 5.9-6.1 s without (2026-11-30).
-- What still keeps a rollup's series: no benchmon code path deletes a series, and the log's own key refuses to
-- delete one that has log rows (a series whose months were all detached keeps its rollups and could be deleted
-- by hand; its cells would then be left out of every answer, which joins the series).
-- Found by name-independent lookup, so a schema applied by hand under other constraint names is covered.
-- Written to run twice safely (see V2).

DO $$
DECLARE
    c record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint k
                   WHERE k.contype = 'f' AND k.confrelid = 'series'::regclass
                     AND k.conrelid IN ('benchmark_rollups_daily'::regclass, 'benchmark_runs_daily'::regclass)) THEN
        RETURN;
    END IF;
    -- Dropping a key locks both tables; take the locks in the writers' order (series, then the rollups, which the
    -- log's trigger writes after the series are read), so a writer running during the upgrade cannot deadlock it.
    LOCK TABLE series, benchmark_rollups_daily, benchmark_runs_daily IN ACCESS EXCLUSIVE MODE;
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
