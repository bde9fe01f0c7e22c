-- benchmon schema, version 1: tables, indexes, append-only enforcement, metric defaults.
-- Applied by the toolkit with Flyway on open; by hand: psql -f sql/schema_benchmark_monitoring.sql
-- Needs PostgreSQL 13 or newer (gen_random_uuid is built in from 13).

-- True when every value of a metrics object is a finite JSON number (JSON has no NaN or Infinity).
CREATE FUNCTION benchmark_metrics_are_numbers(p_metrics jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM jsonb_each(p_metrics) m WHERE jsonb_typeof(m.value) <> 'number')
$$;

-- The append-only log: one row per benchmark result, never updated or deleted.
CREATE TABLE benchmark_transactions (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key  text        NOT NULL,
    model_version    text        NOT NULL,
    dataset_version  text        NOT NULL,
    prompt_version   text        NOT NULL DEFAULT '',
    model_provider   text,
    environment      text        NOT NULL DEFAULT 'local',
    metrics          jsonb       NOT NULL,
    run_at           timestamptz NOT NULL DEFAULT now(),
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    commit_sha       text,
    branch           text,
    run_id           text,
    triggered_by     text,
    tags             jsonb       NOT NULL DEFAULT '{}'::jsonb,
    notes            text,
    metadata         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT benchmark_transactions_idempotency_key_key UNIQUE (idempotency_key),
    CONSTRAINT metrics_is_nonempty_object CHECK (jsonb_typeof(metrics) = 'object' AND metrics <> '{}'::jsonb),
    CONSTRAINT metrics_are_numbers CHECK (benchmark_metrics_are_numbers(metrics)),
    CONSTRAINT tags_is_object CHECK (jsonb_typeof(tags) = 'object'),
    CONSTRAINT metadata_is_object CHECK (jsonb_typeof(metadata) = 'object'),
    CONSTRAINT model_version_not_blank CHECK (btrim(model_version) <> ''),
    CONSTRAINT dataset_version_not_blank CHECK (btrim(dataset_version) <> '')
);

COMMENT ON TABLE benchmark_transactions IS
    'Append-only log of benchmark results. UPDATE, DELETE and TRUNCATE are rejected by trigger.';

-- History of one series over a time range, newest first: the per-series index.
CREATE INDEX benchmark_transactions_series_run_at_idx
    ON benchmark_transactions (model_version, dataset_version, prompt_version, environment, run_at DESC, id DESC);
-- Trends and comparisons of one model across datasets and environments.
CREATE INDEX benchmark_transactions_model_run_at_idx
    ON benchmark_transactions (model_version, run_at DESC);
-- Time-window scans (dashboard "last 24h", ingest activity).
CREATE INDEX benchmark_transactions_run_at_idx
    ON benchmark_transactions (run_at DESC);
-- Tag filters (tags @> '{"k":"v"}').
CREATE INDEX benchmark_transactions_tags_idx
    ON benchmark_transactions USING gin (tags jsonb_path_ops);

-- Current state: one row per series, the latest result by run_at.
CREATE TABLE benchmark_snapshots (
    model_version    text        NOT NULL,
    dataset_version  text        NOT NULL,
    prompt_version   text        NOT NULL,
    environment      text        NOT NULL,
    model_provider   text,
    metrics          jsonb       NOT NULL,
    transaction_id   bigint      NOT NULL REFERENCES benchmark_transactions (id),
    run_at           timestamptz NOT NULL,
    run_count        bigint      NOT NULL,
    first_seen       timestamptz NOT NULL,
    last_seen        timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model_version, dataset_version, prompt_version, environment)
);

COMMENT ON TABLE benchmark_snapshots IS
    'Latest result per series (model, dataset, prompt, environment). Authoritative for "latest": never scan the log for it.';

CREATE INDEX benchmark_snapshots_environment_idx ON benchmark_snapshots (environment);
CREATE INDEX benchmark_snapshots_run_at_idx ON benchmark_snapshots (run_at DESC);

-- What "better" means for each metric.
CREATE TABLE metric_definitions (
    name         text PRIMARY KEY,
    direction    text NOT NULL CHECK (direction IN ('higher_is_better', 'lower_is_better')),
    unit         text,
    description  text
);

INSERT INTO metric_definitions (name, direction, unit, description) VALUES
    ('precision',     'higher_is_better', 'ratio',  'Share of positive predictions that are correct'),
    ('recall',        'higher_is_better', 'ratio',  'Share of positives that are found'),
    ('f1',            'higher_is_better', 'ratio',  'Harmonic mean of precision and recall'),
    ('accuracy',      'higher_is_better', 'ratio',  'Share of predictions that are correct'),
    ('auc',           'higher_is_better', 'ratio',  'Area under the ROC curve'),
    ('latency_ms',    'lower_is_better',  'ms',     'Time to answer one request'),
    ('cost',          'lower_is_better',  'USD',    'Cost of one evaluation'),
    ('analysis_cost', 'lower_is_better',  'USD',    'Cost of one analysis'),
    ('error_rate',    'lower_is_better',  'ratio',  'Share of requests that failed'),
    ('loss',          'lower_is_better',  NULL,     'Training or evaluation loss');

-- The log is append-only: the database itself refuses to change history.
CREATE FUNCTION benchmark_transactions_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'benchmark_transactions is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Record a new result instead; corrections are new rows.';
END;
$$;

CREATE TRIGGER benchmark_transactions_no_update_delete
    BEFORE UPDATE OR DELETE ON benchmark_transactions
    FOR EACH ROW EXECUTE FUNCTION benchmark_transactions_reject_change();

CREATE TRIGGER benchmark_transactions_no_truncate
    BEFORE TRUNCATE ON benchmark_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION benchmark_transactions_reject_change();
