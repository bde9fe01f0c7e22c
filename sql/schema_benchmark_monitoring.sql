-- Applies the benchmon schema by hand, in the order the toolkit (Flyway) applies it:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f sql/schema_benchmark_monitoring.sql
-- The files under migrations/ are the one source of truth; this file only includes them.
-- The toolkit records what it applied in benchmon_schema_history; on a database prepared by hand,
-- it baselines at version 1 and runs the later versions again (they are written to run twice
-- safely), then the repeatable file (functions and views).
\ir migrations/V1__benchmark_tables.sql
\ir migrations/V2__result_uncertainty_and_metric_semantics.sql
\ir migrations/V3__series.sql
\ir migrations/V4__result_attempts.sql
\ir migrations/V5__detection.sql
\ir migrations/V6__alerts.sql
\ir migrations/V7__examples.sql
\ir migrations/V8__least_privilege.sql
\ir migrations/V9__scale.sql
\ir migrations/V11__write_path_statistics.sql
\ir migrations/V12__alert_shifts.sql
\ir migrations/V13__log_v2.sql
\ir migrations/V14__alert_run_indexes.sql
\ir migrations/V15__latest_attempts.sql
\ir migrations/V16__metric_names.sql
\ir migrations/V17__snapshot_run_fields.sql
\ir migrations/V18__rollups_without_series_checks.sql
\ir migrations/V19__inlinable_row_functions.sql
\ir migrations/V20__verdict_run_at.sql
\ir migrations/V21__latest_attempts_by_series.sql
\ir migrations/V22__snapshot_run_count_counts_runs.sql
\ir migrations/V23__alert_raised_run.sql
\ir migrations/V24__relative_min_effect.sql
\ir migrations/V25__verdicts_by_metric.sql
\ir migrations/V26__mute_ends_and_alert_severity_now.sql
\ir migrations/V30__log_months_on_record.sql
\ir migrations/V31__alert_raised_value_and_follow.sql
\ir migrations/V32__mute_ended_at.sql
\ir migrations/V33__mute_ends_at.sql
\ir migrations/V34__alert_run_before.sql
\ir migrations/V35__alert_commit_range_of_the_change.sql
\ir migrations/V36__baseline_resets_per_alert.sql
\ir migrations/V37__snapshots_skip_excluded_runs.sql
\ir migrations/V38__series_mute_alert.sql
\ir migrations/V39__alert_ends_run_at.sql
\ir migrations/V40__snapshot_stderr.sql
\ir migrations/V41__alert_resolved_run.sql
\ir migrations/V42__rollups_metric_day_index.sql
\ir migrations/R__alert_functions.sql
\ir migrations/R__benchmark_functions_and_views.sql
\ir migrations/R__detection_functions.sql
\ir migrations/R__examples_functions.sql
\ir migrations/R__ingest_functions.sql
\ir migrations/R__log_partitions.sql
\ir migrations/R__privilege_functions.sql
\ir migrations/R__rollup_functions.sql
-- Last: the grants for the app role (benchmon_app, or PGOPTIONS='-c benchmon.app_role=NAME').
\ir migrations/afterMigrate__benchmon_privileges.sql
-- The mark of the version applied by hand: an app login that may not migrate (no Flyway history
-- here) starts when it names the last version of its benchmon. Keep it at the last V file above.
COMMENT ON TABLE benchmark_log IS 'benchmon schema applied by hand through V42';
