-- benchmon: the functions of least privilege. Repeatable: Flyway re-applies this file whenever it
-- changes, so everything here is CREATE OR REPLACE.

-- Defines (or redefines) a metric and records the change in metric_definition_changes: who (the
-- application's actor, e.g. the OS user of a notebook, and the database login), when, old and new.
-- The minimum effect is stated in the metric's unit (p_min_effect) or relative to the baseline
-- (p_relative_min_effect, a fraction); stating one replaces the other, stating neither keeps the one
-- already defined. The only way the app role changes definitions.
-- The overload without p_relative_min_effect is dropped first: beside this one, a call naming only
-- some parameters would match both.
DROP FUNCTION IF EXISTS define_metric(text, text, text, text, double precision, text);
CREATE OR REPLACE FUNCTION define_metric(
    p_name                text,
    p_direction           text,
    p_unit                text             DEFAULT NULL,
    p_description         text             DEFAULT NULL,
    p_min_effect          double precision DEFAULT NULL,
    p_changed_by          text             DEFAULT NULL,
    p_relative_min_effect double precision DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_old jsonb;
    v_new jsonb;
    v_keep boolean := p_min_effect IS NULL AND p_relative_min_effect IS NULL;
BEGIN
    -- Definitions change one transaction at a time: a push that defines only metrics without a definition
    -- (Benchmon.defineStated) takes the same lock before it looks, so a definition made meanwhile is not replaced.
    PERFORM pg_advisory_xact_lock(hashtext('benchmon.metric_definitions'));
    SELECT to_jsonb(d) INTO v_old FROM metric_definitions d WHERE d.name = p_name FOR UPDATE;
    INSERT INTO metric_definitions AS d (name, direction, unit, description, min_effect, relative_min_effect)
    VALUES (p_name, p_direction, p_unit, p_description, p_min_effect, p_relative_min_effect)
    ON CONFLICT (name) DO UPDATE SET direction           = excluded.direction,
                                     unit                = excluded.unit,
                                     description         = excluded.description,
                                     min_effect          = CASE WHEN v_keep THEN d.min_effect
                                                                ELSE excluded.min_effect END,
                                     relative_min_effect = CASE WHEN v_keep THEN d.relative_min_effect
                                                                ELSE excluded.relative_min_effect END
    RETURNING to_jsonb(d) INTO v_new;
    INSERT INTO metric_definition_changes (name, changed_by, database_user, old_definition, new_definition)
    VALUES (p_name, coalesce(nullif(p_changed_by, ''), session_user), session_user, v_old, v_new);
END;
$$;

-- The generic privilege step, run by the schema owner after every migrate (the afterMigrate
-- callback) and by hand after psql -f sql/schema_benchmark_monitoring.sql. For the app role:
--   * USAGE on the schema, no CREATE;
--   * SELECT on every table and view of the schema (Flyway's history included, read-only, so that
--     the app can check the schema is current), and no INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES
--     or TRIGGER on any of them (revoked from PUBLIC too);
--   * EXECUTE on every function but the owner's maintenance (rebuild_benchmark_rollups and
--     rebuild_benchmark_latest_attempts); SECURITY DEFINER functions get a pinned search_path (this schema, then pg_temp, so that nobody's temporary objects can stand in for benchmon's) and lose the
--     default EXECUTE for PUBLIC, so only the app role (and the owner) may write through them.
-- Objects this role does not own are skipped with a warning. Without an app role yet (a hosted
-- database before docs/SETUP.md's roles exist) only the role-independent part is done.
CREATE OR REPLACE FUNCTION benchmon_apply_privileges(p_app_role text DEFAULT 'benchmon_app')
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_schema   text    := current_schema();
    v_ns       oid     := current_schema()::regnamespace;
    v_has_role boolean := EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_app_role);
    r          record;
BEGIN
    IF v_has_role AND (p_app_role = current_user
                       OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_app_role AND rolsuper)) THEN
        RAISE WARNING 'benchmon: the app role % is the owner or a superuser; it cannot be restricted', p_app_role;
        v_has_role := false;
    END IF;

    IF v_has_role THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', v_schema, p_app_role);
        BEGIN
            EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM %I', v_schema, p_app_role);
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE WARNING 'benchmon: cannot revoke CREATE on schema % from %', v_schema, p_app_role;
        END;
        -- And from PUBLIC, as PostgreSQL 15 does for the public schema by default: before 15 every login could
        -- create there, so the app login could plant a function or operator (say text || bigint) that a SECURITY
        -- DEFINER function's pinned search_path would resolve, and run it as the owner.
        IF has_schema_privilege('public', v_schema, 'CREATE') THEN
            BEGIN
                EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', v_schema);
            EXCEPTION WHEN insufficient_privilege THEN
                NULL; -- reported below
            END;
            IF has_schema_privilege('public', v_schema, 'CREATE') THEN
                RAISE WARNING 'benchmon: every login may create objects in schema %; its owner should run: '
                    'REVOKE CREATE ON SCHEMA % FROM PUBLIC', v_schema, v_schema;
            END IF;
        END IF;
    ELSE
        RAISE NOTICE 'benchmon: no app role % yet; privileges for it are granted once it exists', p_app_role;
    END IF;

    FOR r IN
        SELECT c.oid::regclass AS rel, c.relname
        FROM pg_class c
        WHERE c.relnamespace = v_ns AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND pg_has_role(current_user, c.relowner, 'MEMBER')
    LOOP
        EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %s FROM PUBLIC', r.rel);
        IF v_has_role THEN
            EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON %s FROM %I', r.rel, p_app_role);
            EXECUTE format('GRANT SELECT ON %s TO %I', r.rel, p_app_role);
        END IF;
    END LOOP;

    FOR r IN
        SELECT p.oid::regprocedure AS fn, p.proname, p.prosecdef, pg_has_role(current_user, p.proowner, 'MEMBER') AS mine
        FROM pg_proc p
        WHERE p.pronamespace = v_ns AND p.prokind IN ('f', 'p')
    LOOP
        IF NOT r.mine THEN
            IF r.prosecdef THEN
                RAISE WARNING 'benchmon: SECURITY DEFINER function % belongs to another role; its search_path is not pinned', r.fn;
            END IF;
            CONTINUE;
        END IF;
        IF r.prosecdef THEN
            EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', r.fn, v_schema);
            EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', r.fn);
        END IF;
        IF v_has_role THEN
            IF r.proname IN ('rebuild_benchmark_rollups', 'rebuild_benchmark_latest_attempts') THEN
                -- Maintenance the owner runs by hand (after a restore); the server never does. Each locks the
                -- whole log against writes and rewrites a derived table, so the app login may not.
                EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM %I', r.fn, p_app_role);
            ELSE
                EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', r.fn, p_app_role);
            END IF;
        END IF;
    END LOOP;
END;
$$;
