-- benchmon: the log's partition helpers (docs/ARCHITECTURE.md, "Detaching a month"). Repeatable, so each
-- function has one definition here, replaced in place on upgrade; a change is an edit of this file, not a copy of
-- the whole function into a new V file (V13 created benchmon_ensure_log_partitions and V30 copied it in full to
-- add the month record; both copies stay, as V files never change, and this file replaces them).
--
-- Flyway ordering: repeatable files run after every pending V file. On a fresh install V13 calls the function
-- (to create the months of an old log it carries forward) with V13's own definition, V30 replaces it, and this file
-- replaces it last; an upgrade from any version also ends with this file. So every database ends with the
-- definition below. A later V file that calls the function during a fresh install sees V30's version, not this
-- one: write such a migration against what V30 does, or define what it needs itself.
-- A changed signature needs a DROP FUNCTION first (CREATE OR REPLACE cannot change one).
-- Written to run twice safely (sql/schema_benchmark_monitoring.sql applies it by hand too).

-- Creates the monthly partitions (UTC months) that hold the given instants, if missing. Called by
-- the writer (ingest_staged_results, R__ingest_functions.sql) before each insert, with the instants of the rows
-- it is about to write.
--   * A month is created as a table of its own and then attached: ATTACH PARTITION takes only a SHARE
--     UPDATE EXCLUSIVE lock on the log, so readers and other writers go on (CREATE TABLE ... PARTITION
--     OF would hold ACCESS EXCLUSIVE on the whole log until the push commits). Attaching builds the
--     month's indexes and clones the row triggers and the foreign key; the TRUNCATE refusal is added
--     here (statement triggers are not inherited).
--   * Two writers never race on a month: the check runs again under a transaction-scoped advisory lock,
--     against the catalog (pg_inherits), not a cached name lookup.
--   * A month that is not attached but on record in benchmark_log_months (V30), or whose table exists, was
--     detached (see docs/ARCHITECTURE.md): the write is refused with what to do, never silently routed
--     elsewhere. A month created here is recorded in the same transaction as its table.
--   * At most p_max_new (120) new months per call: a push that spans more (a decade of backfill in one chunk, or
--     a mistake in run_at) is refused with a message; each month is a table with indexes, and the log is
--     append-only, so months created by mistake cannot be taken back by the app.
-- Runs with its caller's rights on purpose: the writer (a SECURITY DEFINER function, so the owner)
-- may create tables; the app role calling it directly may not. The app role reads partitions through
-- the parent, whose grants are the ones checked, so a new month needs no grant.
CREATE OR REPLACE FUNCTION benchmon_ensure_log_partitions(p_instants timestamptz[], p_max_new integer DEFAULT 120)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_months date[];
    v_month  date;
    v_name   text;
    v_from   timestamptz;
    v_to     timestamptz;
BEGIN
    SELECT array_agg(m ORDER BY m) INTO v_months
    FROM (SELECT DISTINCT date_trunc('month', x AT TIME ZONE 'UTC')::date AS m
          FROM unnest(p_instants) x WHERE x IS NOT NULL AND isfinite(x)) d
    WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                      WHERE i.inhparent = 'benchmark_log'::regclass
                        AND c.relname = format('benchmark_log_y%sm%s', to_char(d.m, 'YYYY'), to_char(d.m, 'MM')));
    IF v_months IS NULL THEN
        RETURN;
    END IF;
    IF cardinality(v_months) > p_max_new THEN
        RAISE EXCEPTION 'run_at: these results span % months the log does not hold yet (% to %); at most % are created per write',
            cardinality(v_months), v_months[1], v_months[cardinality(v_months)], p_max_new
            USING ERRCODE = 'program_limit_exceeded', HINT = 'Check run_at, or import the history in smaller time ranges.';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('benchmark_log partitions', 4242));
    FOREACH v_month IN ARRAY v_months LOOP
        -- Month names carry four-digit years of our era (to_char drops the era of a BC year).
        IF v_month < DATE '0001-01-01' OR v_month > DATE '9999-12-01' THEN
            RAISE EXCEPTION 'run_at: % is outside the years 1 to 9999 that the log holds', v_month
                USING ERRCODE = 'datetime_field_overflow';
        END IF;
        v_name := format('benchmark_log_y%sm%s', to_char(v_month, 'YYYY'), to_char(v_month, 'MM'));
        v_from := v_month::timestamp AT TIME ZONE 'UTC';
        v_to := (v_month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                              WHERE i.inhparent = 'benchmark_log'::regclass AND c.relname = v_name);
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relname = v_name AND c.relnamespace = current_schema()::regnamespace) THEN
            RAISE EXCEPTION 'run_at: the month % was detached from the log (table %); results for it cannot be stored', v_month, v_name
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = format('Attach it again (ALTER TABLE benchmark_log ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)) or rename it.',
                                    v_name, v_from, v_to);
        END IF;
        IF EXISTS (SELECT 1 FROM benchmark_log_months m WHERE m.month = v_month) THEN
            RAISE EXCEPTION 'run_at: the month % was detached from the log and its table % dropped; results for it cannot be stored', v_month, v_name
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = format('Restore its archive and attach it again (ALTER TABLE benchmark_log ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)); '
                                    'to store new results in an empty month instead, the schema owner runs DELETE FROM benchmark_log_months WHERE month = %L.',
                                    v_name, v_from, v_to, v_month);
        END IF;
        EXECUTE format('CREATE TABLE %I (LIKE benchmark_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name);
        EXECUTE format('ALTER TABLE %I SET (autovacuum_vacuum_insert_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02)', v_name);
        EXECUTE format('ALTER TABLE benchmark_log ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', v_name, v_from, v_to);
        EXECUTE format('CREATE TRIGGER benchmark_log_no_truncate BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION benchmon_reject_change()', v_name);
        INSERT INTO benchmark_log_months (month) VALUES (v_month);
    END LOOP;
END;
$$;

-- A mark that only this file sets (V13's and V30's bodies may equal the one above), so a database can show that this
-- file, not a V file, defined the function last (SchemaMigrationsTest checks it, as applied by Flyway and by hand).
COMMENT ON FUNCTION benchmon_ensure_log_partitions(timestamptz[], integer)
    IS 'benchmon: defined by R__log_partitions.sql';
