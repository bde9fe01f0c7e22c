-- benchmon schema, version 9: rollups kept at ingest, and statistics hygiene for the hot tables.
--
-- Rollups: per series (series.id), metric and UTC day, what trends, comparisons and KPI cards need,
-- so those reads grow with series x days instead of with results. The writer (a statement-level
-- trigger on the log, in R__rollup_functions.sql) keeps them in the same transaction as the insert;
-- the same file backfills them from the existing log (the functions exist only once the repeatable
-- files ran, so the backfill runs there, under a lock, with the trigger already in place).
-- Written to run twice safely (see V2).

-- One row per series, metric and UTC day.
--   n            results that reported the metric that day
--   sum          sum of the values
--   sum_sq_dev   sum of squared deviations from that day's mean (Welford's M2). Kept instead of a raw
--                sum of squares: sum(x^2) - sum(x)^2/n cancels catastrophically for metrics with a large
--                mean and a small spread (latency 400.00 +- 0.01), the reason PostgreSQL itself moved
--                its variance aggregates to this form (Youngs-Cramer) in version 12. Cells merge
--                exactly with Chan et al.'s formula (see R__rollup_functions.sql).
--   min, max     extremes of the values
--   last_*       the day's newest result for the metric (by run_at, then id): its time, log id and value
CREATE TABLE IF NOT EXISTS benchmark_rollups_daily (
    series_id            integer          NOT NULL REFERENCES series (id),
    metric               text             NOT NULL,
    day                  date             NOT NULL,
    n                    bigint           NOT NULL,
    sum                  double precision NOT NULL,
    sum_sq_dev           double precision NOT NULL,
    min                  double precision NOT NULL,
    max                  double precision NOT NULL,
    last_run_at          timestamptz      NOT NULL,
    last_transaction_id  bigint           NOT NULL,
    last_value           double precision NOT NULL,
    CONSTRAINT benchmark_rollups_daily_pkey PRIMARY KEY (series_id, metric, day)
);

COMMENT ON TABLE benchmark_rollups_daily IS
    'Per series, metric and UTC day: n, sum, sum of squared deviations, min, max, last run. Kept by trigger on benchmark_transactions.';

-- Results per series and UTC day, whatever metrics they reported (the "runs" KPI card).
CREATE TABLE IF NOT EXISTS benchmark_runs_daily (
    series_id  integer NOT NULL REFERENCES series (id),
    day        date    NOT NULL,
    runs       bigint  NOT NULL,
    CONSTRAINT benchmark_runs_daily_pkey PRIMARY KEY (series_id, day)
);

-- Runs in a time window across all series (the KPI card without a model filter): an index-only scan.
CREATE INDEX IF NOT EXISTS benchmark_runs_daily_day_idx ON benchmark_runs_daily (day) INCLUDE (series_id, runs);

-- Today's cells are updated by every write; the key never changes, so updates can stay HOT when
-- the page has room.
ALTER TABLE benchmark_rollups_daily SET (fillfactor = 90,
    autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
ALTER TABLE benchmark_runs_daily SET (fillfactor = 90,
    autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);

-- Snapshots are rewritten by every write to their series. With no index on a moving column and
-- room on the page, each update is HOT (no new index entries, dead versions pruned on the page).
-- The run_at index served "s.run_at >= since" on a table of one row per series, which a scan of
-- the table answers as fast. A small, hot table must not wait for 20% of its rows to change before
-- autovacuum analyzes it (the planner then expected 1 snapshot instead of 900 and read millions of
-- rows): fixed thresholds instead of scale factors.
DROP INDEX IF EXISTS benchmark_snapshots_run_at_idx;
ALTER TABLE benchmark_snapshots SET (fillfactor = 50,
    autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500,
    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 500);
ALTER TABLE series SET (autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 100);

-- The log only grows: vacuum it for the visibility map (index-only scans) and analyze it well before
-- the default 20% so the planner's row counts follow the growth.
ALTER TABLE benchmark_transactions SET (autovacuum_vacuum_insert_scale_factor = 0.05,
    autovacuum_analyze_scale_factor = 0.02);
