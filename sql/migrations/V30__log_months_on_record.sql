-- benchmon V30: the log's months on record, so that a month detached from the log stays refused after its
-- table is archived and dropped (docs/ARCHITECTURE.md, "Detaching a month").
--
-- Until now the only sign of a detached month was its table, still there under the month's name but no
-- longer a partition. Once that table was dropped (the documented "archive it and drop it"), a new result
-- for the month made benchmon create the month afresh, and the log then held part of a month whose other
-- results sit in an archive. Every month benchmon creates is now recorded here: a month on record that is
-- not attached was detached, whether its table still exists or not. A row is never removed by benchmon; the
-- owner removes one by hand only to open a dropped month again on purpose.
-- Written to run twice safely (sql/schema_benchmark_monitoring.sql applies it by hand too).
CREATE TABLE IF NOT EXISTS benchmark_log_months (
    month      date        PRIMARY KEY CHECK (month = date_trunc('month', month)::date),
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE benchmark_log_months IS
    'Every month benchmon created in the log (benchmon_ensure_log_partitions); one not attached was detached and refuses results.';

-- The months there are: attached, and detached whose tables are still there. Months whose tables were
-- dropped before this migration left no trace and cannot be recorded.
INSERT INTO benchmark_log_months (month)
SELECT to_date(substr(c.relname, 16), 'YYYY"m"MM')
FROM pg_catalog.pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
  AND c.relname ~ '^benchmark_log_y[0-9]{4}m[0-9]{2}$'
ON CONFLICT (month) DO NOTHING;

-- As in V13, with the record: a month that is not attached but on record (or whose table exists) was
-- detached and is refused; a month created here is recorded in the same transaction as its table.
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
