-- benchmon schema, version 42: the daily rollups are also found by metric and day (benchmark_rollups_daily_metric_day).
--
-- Why: a view that names a metric and a time range but no model (the Compare page with no model chosen counts each
-- model's runs of the focus metric there) had only the primary key (series_id, metric_id, day) to go by. Without a
-- series filter PostgreSQL scanned every rollup row (1.57M at 1M results: 290 ms); naming all 5,905 models of a
-- project as the filter made it probe the key series by series (125 ms, 13 ms of it planning the 5,905-name array).
-- By this index: 35-50 ms for the 82,000 cells of one metric over 90 days.
-- Cost: 11 MB at 1M results (1.57M cells; B-tree deduplication keeps one entry per metric and day with the cells'
-- row pointers), about 7 B per cell. metric_id and day never change once a cell is written, so the ingest's in-place (HOT) updates of a cell's count, sums and newest run stay HOT; only a new cell
-- adds an entry, at the right end of its metric's range (days arrive in order).
-- Not CONCURRENTLY: it runs in the migration's transaction, like every migration here (an interrupted concurrent build
-- would leave an invalid index that IF NOT EXISTS then keeps). Writes wait while it is built, since every write folds
-- into the rollups: about 1.2 s at 1M results on a 2-core machine, 10-15 s at 10M; reads do not wait.
-- Written to run twice safely (see V2).

CREATE INDEX IF NOT EXISTS benchmark_rollups_daily_metric_day ON benchmark_rollups_daily (metric_id, day);
