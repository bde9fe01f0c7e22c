-- Row Level Security template for hosted PostgreSQL (Supabase, RDS, Cloud SQL, ...).
-- NOT applied by the toolkit and not enabled by default. See docs/SETUP.md, "Row Level Security".
--
-- Who runs it: the schema OWNER (the login that migrates, BENCHMON_DB_OWNER_USER in docs/SETUP.md's two-login
-- setup), after the schema exists, naming the login the server runs as (BENCHMON_DB_USER) the way the grants do:
--   PGOPTIONS='-c benchmon.app_role=benchmon_app' psql "$OWNER_URL" -v ON_ERROR_STOP=1 -f sql/hosted/row_level_security_template.sql
-- Only the owner may enable RLS and create policies on benchmon's tables; it refuses to run as anyone else.
-- Run it again after every upgrade of benchmon: it derives its grants and policies from the tables and functions
-- there are (benchmon_apply_privileges), so new ones are covered only by a new run.
--
-- Roles: once RLS is on, a login sees a table's rows only through a policy that names it (or a role it belongs
-- to); the owner bypasses them. The policies below name
--   the app role        (benchmon.app_role, default benchmon_app): the server and notebooks keep reading everything
--                       and writing through benchmon's SECURITY DEFINER functions, as without this file;
--   benchmon_reader     reads everything (dashboards, notebooks, BI tools, `benchmon export`); calls none of the
--                       writing (SECURITY DEFINER) functions;
--   benchmon_writer     what the app role may do: reads, and records results through upsert_benchmark_result(s),
--                       define_metric, ...; no table writes of its own and can never change history.
-- benchmon_reader and benchmon_writer are NOLOGIN groups. Creating them needs CREATEROLE, which the owner of
-- docs/SETUP.md lacks: an administrator creates them first (docs/SETUP.md); a runner that may create roles (a
-- superuser, Supabase's postgres) gets them created here. Give each a LOGIN user of your own (an administrator):
--   CREATE ROLE bi_reader LOGIN PASSWORD '...' IN ROLE benchmon_reader;
-- This file grants both groups CONNECT on the database (docs/SETUP.md revokes it from PUBLIC); that needs the
-- database's owner, which the schema owner is in docs/SETUP.md, else an administrator grants it.
--
-- On Supabase, the API roles map onto these: the policies below also let `authenticated` read the snapshots
-- and metric definitions (remove those lines to keep benchmon data away from the Data API), and service_role
-- bypasses RLS. Every other table gets RLS with no policy for anon or authenticated, so the Data API reads
-- nothing of them whatever Supabase's default grants say.

DO $$
DECLARE
    v_app  text := coalesce(nullif(current_setting('benchmon.app_role', true), ''), 'benchmon_app');
    v_can_create boolean := (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user);
    v_role text;
BEGIN
    IF NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'benchmark_log'::regclass), 'MEMBER') THEN
        RAISE EXCEPTION 'benchmon: run this file as the owner of the benchmon schema (the login that migrates, '
            'BENCHMON_DB_OWNER_USER), not as %', current_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_app) THEN
        RAISE EXCEPTION 'benchmon: the app role % does not exist; name the login the server runs as '
            '(BENCHMON_DB_USER): PGOPTIONS=''-c benchmon.app_role=NAME'' psql ... (with a single login, name that login)', v_app
            USING ERRCODE = 'undefined_object';
    END IF;
    FOREACH v_role IN ARRAY ARRAY['benchmon_reader', 'benchmon_writer'] LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role);
        IF NOT v_can_create THEN
            RAISE EXCEPTION 'benchmon: role % does not exist and % may not create roles', v_role, current_user
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'An administrator runs: CREATE ROLE benchmon_reader NOLOGIN; CREATE ROLE benchmon_writer NOLOGIN; '
                             'then run this file again as the owner (docs/SETUP.md, Row Level Security).';
        END IF;
        EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
    END LOOP;
    BEGIN
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO benchmon_reader, benchmon_writer', current_database());
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE WARNING 'benchmon: % does not own database %; an administrator runs: GRANT CONNECT ON DATABASE % TO '
            'benchmon_reader, benchmon_writer', current_user, current_database(), current_database();
    END;
END;
$$;

-- The grants the app role gets after every migrate (SELECT on every table and view, EXECUTE on the functions,
-- no table writes), derived from the schema as it is now, for the writer; the reader the same without the
-- SECURITY DEFINER functions, which are benchmon's only ways to write.
SELECT benchmon_apply_privileges('benchmon_writer');
SELECT benchmon_apply_privileges('benchmon_reader');
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace AND p.prosecdef
               AND pg_has_role(current_user, p.proowner, 'MEMBER') LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM benchmon_reader', r.fn);
    END LOOP;
END;
$$;

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

-- RLS on every table of the schema the owner owns (partitions are read through the log, whose policy applies),
-- with one read policy for the app role and the two groups. The app role and the writer write only through
-- SECURITY DEFINER functions, which run as the owner and so bypass RLS: no write policies.
DO $$
DECLARE
    v_app text := coalesce(nullif(current_setting('benchmon.app_role', true), ''), 'benchmon_app');
    r     record;
BEGIN
    FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c
             WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
               AND pg_has_role(current_user, c.relowner, 'MEMBER') LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', r.rel);
        EXECUTE format('DROP POLICY IF EXISTS benchmon_read ON %s', r.rel);
        EXECUTE format('CREATE POLICY benchmon_read ON %s FOR SELECT TO benchmon_reader, benchmon_writer, %I USING (true)',
                       r.rel, v_app);
    END LOOP;
END;
$$;
-- Policies of earlier versions of this file.
DROP POLICY IF EXISTS benchmon_write ON benchmark_snapshots;
DROP POLICY IF EXISTS benchmon_update ON benchmark_snapshots;

-- Supabase: let signed-in users of the Data API read (delete this block to keep it private). The
-- snapshots hold each series' latest metrics and, since V17, that run's commit, branch and CI run id (since V40
-- its standard errors too).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
        EXECUTE 'GRANT SELECT ON benchmark_snapshots, metric_definitions TO authenticated';
        EXECUTE 'DROP POLICY IF EXISTS benchmon_authenticated_read ON benchmark_snapshots';
        EXECUTE 'CREATE POLICY benchmon_authenticated_read ON benchmark_snapshots FOR SELECT TO authenticated USING (true)';
        EXECUTE 'DROP POLICY IF EXISTS benchmon_authenticated_read ON metric_definitions';
        EXECUTE 'CREATE POLICY benchmon_authenticated_read ON metric_definitions FOR SELECT TO authenticated USING (true)';
    END IF;
END;
$$;
