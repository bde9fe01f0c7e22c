-- benchmon functions for per-example outcomes (V7). Repeatable: everything is CREATE OR REPLACE.

-- Stores the per-example outcomes of one recorded result: interns the item ids for the result's
-- dataset version (adding new items, and updating slice labels that changed), then writes one
-- example_outcomes row with the interned ids ascending and the scores at the same positions.
--   p_item_keys  the items' ids as sent, each once
--   p_scores     their scores, at the same positions (finite numbers)
--   p_slices     NULL, or each item's slice labels (a JSON object, or NULL) at the same positions
-- (Arrays, not one JSON object keyed by item id: looking 10,000 keys up in one jsonb value costs seconds.)
-- Returns the number of items stored: 0 when the result already has outcomes (re-sending is safe).
-- Example: SELECT record_example_outcomes(42, ARRAY['q1','q2'], ARRAY[1,0]::float8[],
--                                          ARRAY['{"topic": "a"}', NULL]::jsonb[]);
CREATE OR REPLACE FUNCTION record_example_outcomes(
    p_transaction_id bigint,
    p_item_keys      text[],
    p_scores         float8[],
    p_slices         jsonb[] DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    v_dataset text;
    v_series  integer;
    v_ids     integer[];
    v_scores  float8[];
    v_relabel boolean;
    v_n       integer := coalesce(cardinality(p_item_keys), 0);
BEGIN
    IF v_n = 0 OR v_n <> coalesce(cardinality(p_scores), -1) THEN
        RAISE EXCEPTION 'record_example_outcomes needs as many scores as item ids (got % ids, % scores)',
            v_n, coalesce(cardinality(p_scores), 0) USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_slices IS NOT NULL AND (cardinality(p_slices) <> v_n
        OR EXISTS (SELECT 1 FROM unnest(p_slices) AS u(s) WHERE s IS NOT NULL AND jsonb_typeof(s) <> 'object')) THEN
        RAISE EXCEPTION 'p_slices must hold one labels object (or NULL) per item id' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF (SELECT count(DISTINCT k) FROM unnest(p_item_keys) AS u(k)) <> v_n
       OR EXISTS (SELECT 1 FROM unnest(p_item_keys) AS u(k) WHERE k IS NULL OR btrim(k) = '') THEN
        RAISE EXCEPTION 'item ids must be non-blank and each given once' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_scores) AS u(s) WHERE s IS NULL OR s = 'NaN'::float8
               OR s = 'Infinity'::float8 OR s = '-Infinity'::float8) THEN
        RAISE EXCEPTION 'scores must be finite numbers' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    SELECT t.dataset_version, t.series_id INTO v_dataset, v_series FROM benchmark_transactions t WHERE t.id = p_transaction_id;
    IF v_dataset IS NULL THEN
        RAISE EXCEPTION 'result % not found', p_transaction_id USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM example_outcomes o WHERE o.transaction_id = p_transaction_id) THEN
        RETURN 0;
    END IF;

    -- Only the items not yet known (an anti-join is far cheaper than a conflict check per known item);
    -- sorted, so that concurrent writers of overlapping new items take their locks in one order.
    INSERT INTO example_items (dataset_version, item_key, slice)
    SELECT v_dataset, u.k, u.s
    FROM unnest(p_item_keys, p_slices) AS u(k, s)
    WHERE NOT EXISTS (SELECT 1 FROM example_items i WHERE i.dataset_version = v_dataset AND i.item_key = u.k)
    ORDER BY u.k
    ON CONFLICT ON CONSTRAINT example_items_key DO NOTHING;

    SELECT array_agg(i.id ORDER BY i.id), array_agg(u.score ORDER BY i.id),
           coalesce(bool_or(u.s IS NOT NULL AND i.slice IS DISTINCT FROM u.s), false)
    INTO v_ids, v_scores, v_relabel
    FROM unnest(p_item_keys, p_scores, p_slices) AS u(k, score, s)
    JOIN example_items i ON i.dataset_version = v_dataset AND i.item_key = u.k;

    IF v_relabel THEN
        -- Slice labels belong to the item; the newest labels sent win.
        UPDATE example_items i SET slice = u.s
        FROM unnest(p_item_keys, p_slices) AS u(k, s)
        WHERE u.s IS NOT NULL AND i.dataset_version = v_dataset AND i.item_key = u.k
          AND i.slice IS DISTINCT FROM u.s;
    END IF;

    INSERT INTO example_outcomes (transaction_id, series_id, item_ids, scores, item_count, all_binary, mean_score)
    VALUES (p_transaction_id, v_series, v_ids, v_scores, v_n,
            NOT EXISTS (SELECT 1 FROM unnest(p_scores) AS u(s) WHERE s NOT IN (0, 1)),
            (SELECT avg(s) FROM unnest(p_scores) AS u(s)))
    ON CONFLICT (transaction_id) DO NOTHING;
    RETURN v_n;
END;
$$;

-- One row per (result, item): the outcomes spread out, for psql users and ad-hoc SQL.
-- Filter it by transaction_id (or join from benchmark_transactions): the arrays of one result are read whole.
CREATE OR REPLACE VIEW v_example_outcomes AS
SELECT o.transaction_id, i.dataset_version, i.item_key, u.score, i.slice, u.item_id
FROM example_outcomes o
CROSS JOIN LATERAL unnest(o.item_ids, o.scores) AS u(item_id, score)
JOIN example_items i ON i.id = u.item_id;
