-- benchmon schema, version 13: the log keyed by series id, partitioned by month, with hashed
-- idempotency keys (schema v2 of docs/ARCHITECTURE.md).
--
-- What changes, and why:
--   * benchmark_log replaces the table benchmark_transactions. Each row names its series by
--     series.id (4 bytes) instead of four text columns, and every index is keyed by that id: the
--     four-text-column index cost 86-98 B per result.
--   * benchmark_log is partitioned by month of run_at (declarative range partitioning), so a month
--     can be detached for cold storage (ALTER TABLE benchmark_log DETACH PARTITION ... CONCURRENTLY;
--     see docs/ARCHITECTURE.md) and time-window reads skip the months they do not need.
--     benchmon_ensure_log_partitions() creates months on demand; the writer calls it.
--   * The idempotency key is stored as a 16-byte uuid (benchmark_key_uuid): a key that is a UUID is
--     kept as it is, any other key as the first 16 bytes of its SHA-256. The 71-character text key
--     and its index cost 91-124 B per result. A unique index on a partitioned table must contain
--     the partition key, so global uniqueness of keys lives in benchmark_result_keys (one row per
--     result: key and log id), which the writer inserts into first.
--   * benchmark_transactions becomes a read-only view over benchmark_log and series with the
--     columns it always had, series_id added at its end, so queries, reports and users' SQL keep
--     working. One difference: idempotency_key shows the stored uuid; look a key up as sent with
--     benchmark_key_uuid('the key').
--   * The log's time index is a BRIN index: run_at follows insertion order closely, and a BRIN
--     index of a month is a few pages instead of 40 B per result. The (model_version, run_at) index
--     is gone: a model's series come from the series table, then the series index.
--   * Foreign keys into the log are dropped: a partitioned table can only be referenced through a
--     unique key that contains run_at. The log is append-only and written only by the owner's
--     functions, which give out its ids.
-- Existing rows are carried forward: every result keeps its id, and every stored key is hashed the
-- same way a re-sent result's key is, so re-sending an old result is still recognised as present.

-- The stored form of an idempotency key (see above). IMMUTABLE: the writer and this migration agree.
CREATE OR REPLACE FUNCTION benchmark_key_uuid(p_key text) RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN p_key ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN p_key::uuid
                ELSE encode(substr(sha256(convert_to(p_key, 'UTF8')), 1, 16), 'hex')::uuid END
$$;

-- Objects of the users' own over the old table would block the rebuild half-way; name them first.
DO $$
DECLARE
    v_others text;
BEGIN
    SELECT string_agg(DISTINCT v.oid::regclass::text, ', ') INTO v_others
    FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
    WHERE d.refobjid = 'benchmark_transactions'::regclass AND v.oid <> 'benchmark_transactions'::regclass
      AND v.relname NOT IN ('benchmark_results_current', 'v_latest_benchmarks', 'v_performance_trends');
    IF v_others IS NOT NULL THEN
        RAISE EXCEPTION 'benchmon schema v2 rebuilds benchmark_transactions, and these views of yours depend on it: %', v_others
            USING HINT = 'Save their definitions (pg_get_viewdef), drop them, start benchmon to migrate, then create them again: benchmark_transactions keeps its columns as a view.';
    END IF;
END;
$$;

-- The views over the old table are dropped here and created again, over the new view, by the
-- repeatable files (R__ingest_functions.sql, R__benchmark_functions_and_views.sql) that follow.
DROP VIEW IF EXISTS benchmark_results_current;
DROP VIEW IF EXISTS v_latest_benchmarks;
DROP VIEW IF EXISTS v_performance_trends;
ALTER TABLE benchmark_snapshots DROP CONSTRAINT IF EXISTS benchmark_snapshots_transaction_id_fkey;
ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_transaction_id_fkey;
ALTER TABLE alerts DROP CONSTRAINT IF EXISTS alerts_last_transaction_id_fkey;
ALTER TABLE run_annotations DROP CONSTRAINT IF EXISTS run_annotations_transaction_id_fkey;
ALTER TABLE excluded_runs DROP CONSTRAINT IF EXISTS excluded_runs_transaction_id_fkey;
ALTER TABLE baseline_resets DROP CONSTRAINT IF EXISTS baseline_resets_transaction_id_fkey;

ALTER TABLE benchmark_transactions RENAME TO benchmark_transactions_v1;

CREATE SEQUENCE benchmark_log_id_seq AS bigint;

-- The append-only log: one row per benchmark result, never updated or deleted.
CREATE TABLE benchmark_log (
    id               bigint      NOT NULL DEFAULT nextval('benchmark_log_id_seq'),
    series_id        integer     NOT NULL REFERENCES series (id),
    run_at           timestamptz NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    idempotency_key  uuid        NOT NULL,
    run_key          uuid,
    attempt          integer     NOT NULL DEFAULT 1,
    model_provider   text,
    metrics          jsonb       NOT NULL,
    stderr           jsonb,
    sample_sizes     jsonb,
    commit_sha       text,
    branch           text,
    run_id           text,
    triggered_by     text,
    tags             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    notes            text,
    metadata         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT benchmark_log_pkey PRIMARY KEY (id, run_at),
    CONSTRAINT metrics_is_nonempty_object CHECK (jsonb_typeof(metrics) = 'object' AND metrics <> '{}'::jsonb),
    CONSTRAINT metrics_are_numbers CHECK (benchmark_metrics_are_numbers(metrics)),
    CONSTRAINT tags_is_object CHECK (jsonb_typeof(tags) = 'object'),
    CONSTRAINT metadata_is_object CHECK (jsonb_typeof(metadata) = 'object'),
    CONSTRAINT stderr_is_object CHECK (stderr IS NULL OR jsonb_typeof(stderr) = 'object'),
    CONSTRAINT sample_sizes_is_object CHECK (sample_sizes IS NULL OR jsonb_typeof(sample_sizes) = 'object'),
    CONSTRAINT attempt_is_positive CHECK (attempt >= 1)
) PARTITION BY RANGE (run_at);
ALTER SEQUENCE benchmark_log_id_seq OWNED BY benchmark_log.id;

COMMENT ON TABLE benchmark_log IS
    'Append-only log of benchmark results, one partition per month of run_at. UPDATE, DELETE and TRUNCATE are rejected by trigger. Read it through the view benchmark_transactions.';

-- Global uniqueness of idempotency keys (a partitioned table's unique indexes are per partition).
CREATE TABLE benchmark_result_keys (
    idempotency_key  uuid   NOT NULL PRIMARY KEY,
    transaction_id   bigint NOT NULL
);
COMMENT ON TABLE benchmark_result_keys IS
    'One row per result in benchmark_log: its idempotency key (benchmark_key_uuid) and log id. Append-only.';

-- History of one series, newest first; a model's or a window's series go through it too.
CREATE INDEX benchmark_log_series_run_at_idx ON benchmark_log (series_id, run_at DESC, id DESC);
-- Time-window scans: run_at follows insertion order, so block ranges summarise it well.
CREATE INDEX benchmark_log_run_at_brin ON benchmark_log USING brin (run_at) WITH (pages_per_range = 32);
-- Tag filters (tags @> '{"k":"v"}'). Not partial: the planner cannot prove "tags <> '{}'" from a
-- containment filter, so a partial index would never serve one.
CREATE INDEX benchmark_log_tags_idx ON benchmark_log USING gin (tags jsonb_path_ops);
-- The latest attempt of a run (V4).
CREATE INDEX benchmark_log_run_key_attempt_idx ON benchmark_log (run_key, attempt DESC) WHERE run_key IS NOT NULL;
-- Notes on charts (V12).
CREATE INDEX benchmark_log_noted_run_at_idx ON benchmark_log (run_at DESC) WHERE notes IS NOT NULL AND btrim(notes) <> '';

-- Append-only, as the old table was: V8's refusal, which names the table.
CREATE TRIGGER benchmark_log_no_update_delete BEFORE UPDATE OR DELETE ON benchmark_log
    FOR EACH ROW EXECUTE FUNCTION benchmon_reject_change();
CREATE TRIGGER benchmark_log_no_truncate BEFORE TRUNCATE ON benchmark_log
    FOR EACH STATEMENT EXECUTE FUNCTION benchmon_reject_change();
CREATE TRIGGER benchmark_result_keys_no_update_delete BEFORE UPDATE OR DELETE ON benchmark_result_keys
    FOR EACH ROW EXECUTE FUNCTION benchmon_reject_change();
CREATE TRIGGER benchmark_result_keys_no_truncate BEFORE TRUNCATE ON benchmark_result_keys
    FOR EACH STATEMENT EXECUTE FUNCTION benchmon_reject_change();

-- Creates the monthly partitions (UTC months) that hold the given instants, if missing. Called by
-- the writer before each insert, with the instants of the rows it is about to write.
--   * A month is created as a table of its own and then attached: ATTACH PARTITION takes only a SHARE
--     UPDATE EXCLUSIVE lock on the log, so readers and other writers go on (CREATE TABLE ... PARTITION
--     OF would hold ACCESS EXCLUSIVE on the whole log until the push commits). Attaching builds the
--     month's indexes and clones the row triggers and the foreign key; the TRUNCATE refusal is added
--     here (statement triggers are not inherited).
--   * Two writers never race on a month: the check runs again under a transaction-scoped advisory lock,
--     against the catalog (pg_inherits), not a cached name lookup.
--   * A table of the month's name that is not a partition is a month someone detached (see
--     docs/ARCHITECTURE.md): the write is refused with what to do, never silently routed elsewhere.
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
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                              WHERE i.inhparent = 'benchmark_log'::regclass AND c.relname = v_name);
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relname = v_name AND c.relnamespace = current_schema()::regnamespace) THEN
            RAISE EXCEPTION 'run_at: the month % was detached from the log (table %); results for it cannot be stored', v_month, v_name
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = format('Attach it again (ALTER TABLE benchmark_log ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)) or rename it.',
                                    v_name, v_month::timestamp AT TIME ZONE 'UTC', (v_month + interval '1 month')::timestamp AT TIME ZONE 'UTC');
        END IF;
        EXECUTE format('CREATE TABLE %I (LIKE benchmark_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name);
        EXECUTE format('ALTER TABLE %I SET (autovacuum_vacuum_insert_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02)', v_name);
        EXECUTE format('ALTER TABLE benchmark_log ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                       v_name, v_month::timestamp AT TIME ZONE 'UTC', (v_month + interval '1 month')::timestamp AT TIME ZONE 'UTC');
        EXECUTE format('CREATE TRIGGER benchmark_log_no_truncate BEFORE TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION benchmon_reject_change()', v_name);
    END LOOP;
END;
$$;

-- The log's checks on names move to the table that now holds them.
ALTER TABLE series ADD CONSTRAINT model_version_not_blank CHECK (btrim(model_version) <> '');
ALTER TABLE series ADD CONSTRAINT dataset_version_not_blank CHECK (btrim(dataset_version) <> '');

-- Carry the rows forward, in id order, each month into its partition.
INSERT INTO series (model_version, dataset_version, prompt_version, environment)
SELECT DISTINCT t.model_version, t.dataset_version, t.prompt_version, t.environment
FROM benchmark_transactions_v1 t
ORDER BY 1, 2, 3, 4
ON CONFLICT ON CONSTRAINT series_key DO NOTHING;

-- Every month the old log holds, however many (the cap is for writers).
SELECT benchmon_ensure_log_partitions(array_agg(DISTINCT date_trunc('month', t.run_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
                                      p_max_new => 2147483647)
FROM benchmark_transactions_v1 t;

-- The rollups of V9 are kept by a trigger on the old table, which goes with it; R__rollup_functions.sql
-- puts it on the new one. The rows carried here are already in the rollups.
INSERT INTO benchmark_log (id, series_id, run_at, recorded_at, idempotency_key, run_key, attempt, model_provider,
                           metrics, stderr, sample_sizes, commit_sha, branch, run_id, triggered_by, tags, notes, metadata)
SELECT t.id, s.id, t.run_at, t.recorded_at, benchmark_key_uuid(t.idempotency_key), t.run_key, t.attempt, t.model_provider,
       t.metrics, t.stderr, t.sample_sizes, t.commit_sha, t.branch, t.run_id, t.triggered_by, t.tags, t.notes, t.metadata
FROM benchmark_transactions_v1 t
JOIN series s ON s.model_version = t.model_version AND s.dataset_version = t.dataset_version
             AND s.prompt_version = t.prompt_version AND s.environment = t.environment
ORDER BY t.id;

-- Two old keys can meet in one stored form: UUID keys that differ only in letter case ('4B9D...' and
-- '4b9d...'). Both rows stay in the log; the key names the first of them from now on.
INSERT INTO benchmark_result_keys (idempotency_key, transaction_id)
SELECT benchmark_key_uuid(t.idempotency_key), t.id FROM benchmark_transactions_v1 t ORDER BY t.id
ON CONFLICT (idempotency_key) DO NOTHING;

SELECT setval('benchmark_log_id_seq', greatest((SELECT max(id) FROM benchmark_transactions_v1), 0) + 1, false);

DROP TABLE benchmark_transactions_v1;
DROP FUNCTION IF EXISTS benchmark_transactions_reject_change(); -- the old table's own refusal, now unused

-- The log as it always read: one row per result with its series' four names.
CREATE VIEW benchmark_transactions AS
SELECT l.id, l.idempotency_key::text AS idempotency_key, s.model_version, s.dataset_version, s.prompt_version,
       l.model_provider, s.environment, l.metrics, l.run_at, l.recorded_at, l.commit_sha, l.branch, l.run_id,
       l.triggered_by, l.tags, l.notes, l.metadata, l.stderr, l.sample_sizes, l.run_key, l.attempt, l.series_id
FROM benchmark_log l
JOIN series s ON s.id = l.series_id;

COMMENT ON VIEW benchmark_transactions IS
    'The log of benchmark results (benchmark_log) with each series'' names: read-only; write through ingest_staged_results.';

ALTER TABLE benchmark_result_keys SET (autovacuum_vacuum_insert_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02);
