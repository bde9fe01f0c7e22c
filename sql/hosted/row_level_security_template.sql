-- Row Level Security template for hosted PostgreSQL (Supabase, RDS, Cloud SQL, ...).
-- NOT applied by the toolkit and not enabled by default. Apply it by hand once, after the schema:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f sql/hosted/row_level_security_template.sql
--
-- Apply it again after upgrading benchmon to schema v2 (V13 rebuilds the log as benchmark_log and the
-- view benchmark_transactions; the old table's grants and policies went with it).
--
-- It creates two roles and lets them do only what benchmon needs:
--   benchmon_reader  reads everything (dashboards, notebooks, BI tools)
--   benchmon_writer  reads, and records results through upsert_benchmark_result(s) (SECURITY DEFINER);
--                    it has no table writes of its own and can never change history
-- Give each a LOGIN user of your own:   CREATE ROLE ci_pusher LOGIN PASSWORD '...' IN ROLE benchmon_writer;
--
-- On Supabase, the API roles map onto these: the policies below also let `authenticated` read
-- (remove those lines to keep benchmon data away from the Data API), and service_role bypasses RLS.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'benchmon_reader') THEN
        CREATE ROLE benchmon_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'benchmon_writer') THEN
        CREATE ROLE benchmon_writer NOLOGIN;
    END IF;
END;
$$;

GRANT USAGE ON SCHEMA public TO benchmon_reader, benchmon_writer;
-- benchmark_transactions is the view of the log (benchmark_log and series, V13) that queries read.
GRANT SELECT ON benchmark_transactions, benchmark_log, series, benchmark_snapshots, metric_definitions,
                v_latest_benchmarks, v_performance_trends TO benchmon_reader, benchmon_writer;
-- No direct table writes: upsert_benchmark_results is SECURITY DEFINER (V8, least privilege), so
-- the writer records through it and can insert into neither the log nor the snapshots by itself.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON benchmark_transactions, benchmark_log, benchmark_result_keys, series,
    benchmark_snapshots, metric_definitions FROM benchmon_writer, benchmon_reader;
GRANT EXECUTE ON FUNCTION upsert_benchmark_results(jsonb) TO benchmon_writer;
GRANT EXECUTE ON FUNCTION upsert_benchmark_result(text, text, jsonb, text, text, text, timestamptz, text, text,
                                                  text, text, text, jsonb, text, jsonb) TO benchmon_writer;
-- The toolkit's bulk path: COPY into the session's staging table, then the set-based move.
GRANT EXECUTE ON FUNCTION benchmon_open_staging(), ingest_staged_results() TO benchmon_writer;
REVOKE EXECUTE ON FUNCTION upsert_benchmark_results(jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION benchmon_open_staging(), ingest_staged_results() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION upsert_benchmark_result(text, text, jsonb, text, text, text, timestamptz, text, text,
                                                   text, text, text, jsonb, text, jsonb) FROM PUBLIC;

-- The view benchmark_transactions (schema v2) must read with the reader's rights, or the policies on
-- benchmark_log and series would not apply to it (a view runs as its owner, who bypasses them).
-- security_invoker needs PostgreSQL 15; on 13 and 14 the view keeps its owner's rights, so per-tenant
-- policies adapted from this template hold only for reads of benchmark_log itself there. The view is
-- not granted to `authenticated` below (with no policy for it, that role never read the log's rows).
DO $$
BEGIN
    IF current_setting('server_version_num')::int >= 150000 THEN
        EXECUTE 'ALTER VIEW benchmark_transactions SET (security_invoker = on)';
    END IF;
END;
$$;

ALTER TABLE benchmark_log          ENABLE ROW LEVEL SECURITY;
ALTER TABLE series                 ENABLE ROW LEVEL SECURITY;
ALTER TABLE benchmark_snapshots    ENABLE ROW LEVEL SECURITY;
ALTER TABLE metric_definitions     ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS benchmon_read ON benchmark_log;
CREATE POLICY benchmon_read ON benchmark_log FOR SELECT TO benchmon_reader, benchmon_writer USING (true);
DROP POLICY IF EXISTS benchmon_read ON series;
CREATE POLICY benchmon_read ON series FOR SELECT TO benchmon_reader, benchmon_writer USING (true);

DROP POLICY IF EXISTS benchmon_read ON benchmark_snapshots;
CREATE POLICY benchmon_read ON benchmark_snapshots FOR SELECT TO benchmon_reader, benchmon_writer USING (true);
DROP POLICY IF EXISTS benchmon_write ON benchmark_snapshots;
DROP POLICY IF EXISTS benchmon_update ON benchmark_snapshots;

DROP POLICY IF EXISTS benchmon_read ON metric_definitions;
CREATE POLICY benchmon_read ON metric_definitions FOR SELECT TO benchmon_reader, benchmon_writer USING (true);

-- Supabase: let signed-in users of the Data API read (delete these three lines to keep it private). The
-- snapshots hold each series' latest metrics and, since V17, that run's commit, branch and CI run id.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
        EXECUTE 'GRANT SELECT ON benchmark_snapshots, metric_definitions TO authenticated';
        EXECUTE 'DROP POLICY IF EXISTS benchmon_authenticated_read ON benchmark_snapshots';
        EXECUTE 'CREATE POLICY benchmon_authenticated_read ON benchmark_snapshots FOR SELECT TO authenticated USING (true)';
    END IF;
END;
$$;
