-- Applies the benchmon schema by hand, in the order the toolkit (Flyway) applies it:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f sql/schema_benchmark_monitoring.sql
-- The files under migrations/ are the one source of truth; this file only includes them.
-- The toolkit records what it applied in benchmon_schema_history; on a database prepared by hand,
-- it baselines at version 1 and runs the later versions again (they are written to run twice
-- safely), then the repeatable file (functions and views).
\ir migrations/V1__benchmark_tables.sql
\ir migrations/V2__result_uncertainty_and_metric_semantics.sql
\ir migrations/V3__series.sql
\ir migrations/V5__detection.sql
\ir migrations/R__benchmark_functions_and_views.sql
\ir migrations/R__detection_functions.sql
