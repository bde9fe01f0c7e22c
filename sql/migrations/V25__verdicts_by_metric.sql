-- benchmon schema, version 25: the detection engine's verdicts found by metric.
--
-- Why: metric_direction(name) (R__benchmark_functions_and_views.sql) gives psql users the direction the engine
-- judged a metric with, read from the newest verdict of that metric; detection_verdicts is keyed by
-- (series_id, metric), so that read scanned every verdict. The index holds only the metric, which a verdict's
-- rewrite at every push never changes, so those rewrites stay heap-only (HOT) updates.
-- Written to run twice safely (see V2).

CREATE INDEX IF NOT EXISTS detection_verdicts_metric_idx ON detection_verdicts (metric);
