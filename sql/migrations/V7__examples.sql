-- benchmon schema, version 7: per-example outcomes of a result (the result format's "examples" field).
--
-- example_items interns item ids per dataset version: the text id a result sends ("q-0017") becomes a
-- small integer, stored once per dataset version with its slice labels ({"topic": "cardiology"}).
-- example_outcomes holds one row per result (keyed by the log's transaction id) with its items' interned
-- ids in ascending order and their scores at the same positions: the outcome of item item_ids[k] is
-- scores[k], so (transaction_id, item id) identifies one outcome. Arrays instead of one row per item
-- keep 10,000 items per result at about 12 bytes per item before compression instead of ~80 bytes
-- (a heap row and an index entry per item); the benchmark ExamplesBenchmark measures both.
-- The log's rows never carry examples. v_example_outcomes (R__examples_functions.sql) shows one row per
-- (result, item) for psql users.
-- There is no foreign key to benchmark_transactions: the log is to become partitioned by month, and a
-- partitioned table's key includes run_at; record_example_outcomes checks that the result exists.
-- Written to run twice safely (see V2); it creates new tables, so no existing data needs carrying.
CREATE TABLE IF NOT EXISTS example_items (
    id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dataset_version  text   NOT NULL,
    item_key         text   NOT NULL,
    slice            jsonb,
    CONSTRAINT example_items_key UNIQUE (dataset_version, item_key),
    CONSTRAINT example_items_slice_is_object CHECK (slice IS NULL OR jsonb_typeof(slice) = 'object')
);

COMMENT ON TABLE example_items IS
    'Evaluation items per dataset version: the interned integer id of each item id a result sent, and its slice labels.';

CREATE TABLE IF NOT EXISTS example_outcomes (
    transaction_id   bigint      PRIMARY KEY,
    series_id        integer     NOT NULL REFERENCES series (id),
    item_ids         integer[]   NOT NULL,
    scores           float8[]    NOT NULL,
    item_count       integer     NOT NULL,
    all_binary       boolean     NOT NULL,
    mean_score       float8      NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT example_outcomes_aligned CHECK (cardinality(item_ids) = item_count AND cardinality(scores) = item_count),
    CONSTRAINT example_outcomes_nonempty CHECK (item_count > 0)
);

COMMENT ON TABLE example_outcomes IS
    'Per-example outcomes of one result: scores[k] is the score of example_items.id = item_ids[k] (ascending). Append-only.';

CREATE INDEX IF NOT EXISTS example_outcomes_series_idx ON example_outcomes (series_id, transaction_id DESC);

-- Outcomes are part of the record, like the log: never changed or removed.
CREATE OR REPLACE FUNCTION example_outcomes_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'example_outcomes is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS example_outcomes_no_update_delete ON example_outcomes;
CREATE TRIGGER example_outcomes_no_update_delete
    BEFORE UPDATE OR DELETE ON example_outcomes
    FOR EACH ROW EXECUTE FUNCTION example_outcomes_reject_change();
