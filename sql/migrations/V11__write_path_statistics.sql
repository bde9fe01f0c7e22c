-- benchmon schema, version 11: statistics that stay fresh on the write path's hot tables.
--
-- Every push rewrites, per series it touches, one row per metric of detection_verdicts (the engine's
-- stored verdict). Like the snapshots (V9), the table holds one row per series and metric and is
-- updated over and over: with the default scale factors (20% changed) autovacuum analyzes it long after
-- its row count moved (an empty table grows to thousands of rows in the first minutes of a load), and the
-- planner plans ingest-time detection and the Regressions tab with the counts of an empty table. Fixed
-- thresholds instead, and room on each page so that an update can stay on its page (HOT when no indexed
-- column changes; the outcome index is partial, so only a change into or out of 'ok' touches it).
-- Change points and findings are replaced per series on recompute: the same fixed thresholds.
-- Bulk loads (benchmon import) also ANALYZE at their end (refresh_benchmark_statistics).
-- Written to run twice safely (see V2): ALTER TABLE ... SET is idempotent.
ALTER TABLE detection_verdicts SET (fillfactor = 70,
    autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);
ALTER TABLE detection_change_points SET (
    autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);
ALTER TABLE detection_findings SET (
    autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);
ALTER TABLE alerts SET (fillfactor = 80,
    autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500,
    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 500);
