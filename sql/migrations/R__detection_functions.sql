-- benchmon detection functions. Repeatable: Flyway re-applies this file whenever it changes.
-- Every write of the detection engine goes through these SECURITY DEFINER functions.

-- Stores what the engine found for a batch of series in one set-based statement per table: the
-- verdicts (replacing those of the same series and metrics), the change points of the judged metrics
-- (replacing theirs) and new findings (appended, once each). Ingest calls it once per push for every
-- touched series; a recompute once per batch of series.
-- p_batch: [{"series_id", "verdicts": [...], "change_points": [...], "findings": [...]}] where
-- verdicts:      [{"metric", "transaction_id", "run_at", "outcome", "method", "direction", "baseline", "current",
--                  "delta", "sd", "z", "min_effect", "baseline_runs", "alert", "late", "tx_before",
--                  "tx_after", "commit_before", "commit_after", "explanation", "sensitivity",
--                  "alerted_shift_tx", "alerted_shift_sign"}]
-- change_points: [{"metric", "tx_after", "tx_before", "run_at_after", "commit_before", "commit_after",
--                  "level_before", "level_after", "magnitude", "sd", "confidence"}]
-- findings:      [{"metric", "transaction_id", "kind", "tx_before", "tx_after", "commit_before",
--                  "commit_after", "magnitude", "sd", "explanation"}]
CREATE OR REPLACE FUNCTION store_detections(p_batch jsonb)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    INSERT INTO detection_verdicts AS d (series_id, metric, transaction_id, run_at, outcome, method, direction,
        baseline, current, delta, sd, z, min_effect, baseline_runs, alert, late, tx_before, tx_after, commit_before,
        commit_after, explanation, sensitivity, alerted_shift_tx, alerted_shift_sign, computed_at)
    SELECT (b ->> 'series_id')::integer, v.metric, v.transaction_id, v.run_at, v.outcome, v.method, v.direction,
           v.baseline, v.current, v.delta, v.sd, v.z, v.min_effect, coalesce(v.baseline_runs, 0), coalesce(v.alert, false),
           coalesce(v.late, false), v.tx_before, v.tx_after, v.commit_before, v.commit_after,
           coalesce(v.explanation, ''), v.sensitivity, coalesce(v.alerted_shift_tx, 0),
           coalesce(v.alerted_shift_sign, 0), now()
    FROM jsonb_array_elements(coalesce(p_batch, '[]')) AS b
    CROSS JOIN LATERAL jsonb_to_recordset(coalesce(b -> 'verdicts', '[]')) AS v(metric text, transaction_id bigint,
        run_at timestamptz, outcome text, method text, direction text, baseline float8, current float8, delta float8,
        sd float8, z float8, min_effect float8, baseline_runs integer, alert boolean, late boolean, tx_before bigint,
        tx_after bigint, commit_before text, commit_after text, explanation text, sensitivity float8,
        alerted_shift_tx bigint, alerted_shift_sign smallint)
    ON CONFLICT (series_id, metric) DO UPDATE SET
        transaction_id = excluded.transaction_id, run_at = excluded.run_at, outcome = excluded.outcome,
        method = excluded.method, direction = excluded.direction, baseline = excluded.baseline, current = excluded.current,
        delta = excluded.delta, sd = excluded.sd, z = excluded.z, min_effect = excluded.min_effect,
        baseline_runs = excluded.baseline_runs, alert = excluded.alert, late = excluded.late,
        tx_before = excluded.tx_before, tx_after = excluded.tx_after, commit_before = excluded.commit_before,
        commit_after = excluded.commit_after, explanation = excluded.explanation, sensitivity = excluded.sensitivity,
        alerted_shift_tx = excluded.alerted_shift_tx, alerted_shift_sign = excluded.alerted_shift_sign,
        computed_at = excluded.computed_at;

    DELETE FROM detection_change_points c
    USING (SELECT (b ->> 'series_id')::integer AS series_id, v ->> 'metric' AS metric
           FROM jsonb_array_elements(coalesce(p_batch, '[]')) AS b
           CROSS JOIN LATERAL jsonb_array_elements(coalesce(b -> 'verdicts', '[]')) AS v) j
    WHERE c.series_id = j.series_id AND c.metric = j.metric;
    INSERT INTO detection_change_points (series_id, metric, tx_after, tx_before, run_at_after, commit_before,
        commit_after, level_before, level_after, magnitude, sd, confidence)
    SELECT (b ->> 'series_id')::integer, c.metric, c.tx_after, c.tx_before, c.run_at_after, c.commit_before,
           c.commit_after, c.level_before, c.level_after, c.magnitude, c.sd, c.confidence
    FROM jsonb_array_elements(coalesce(p_batch, '[]')) AS b
    CROSS JOIN LATERAL jsonb_to_recordset(coalesce(b -> 'change_points', '[]')) AS c(metric text, tx_after bigint,
        tx_before bigint, run_at_after timestamptz, commit_before text, commit_after text, level_before float8,
        level_after float8, magnitude float8, sd float8, confidence float8)
    ON CONFLICT DO NOTHING;

    INSERT INTO detection_findings (series_id, metric, transaction_id, kind, tx_before, tx_after, commit_before,
        commit_after, magnitude, sd, explanation)
    SELECT (b ->> 'series_id')::integer, f.metric, f.transaction_id, f.kind, f.tx_before, f.tx_after,
           f.commit_before, f.commit_after, f.magnitude, f.sd, coalesce(f.explanation, '')
    FROM jsonb_array_elements(coalesce(p_batch, '[]')) AS b
    CROSS JOIN LATERAL jsonb_to_recordset(coalesce(b -> 'findings', '[]')) AS f(metric text, transaction_id bigint,
        kind text, tx_before bigint, tx_after bigint, commit_before text, commit_after text, magnitude float8,
        sd float8, explanation text)
    ON CONFLICT ON CONSTRAINT detection_findings_once DO NOTHING;
END;
$$;

-- The same for one series (kept for psql users and older callers).
CREATE OR REPLACE FUNCTION store_detection(p_series_id integer, p_verdicts jsonb, p_change_points jsonb,
                                           p_findings jsonb)
RETURNS void
LANGUAGE sql SECURITY DEFINER AS $$
    SELECT store_detections(jsonb_build_array(jsonb_build_object('series_id', p_series_id, 'verdicts', p_verdicts,
        'change_points', p_change_points, 'findings', p_findings)));
$$;

-- Metrics are declared with define_metric (R__privilege_functions.sql), which also records who
-- changed what. An earlier overload of this file is dropped so named calls stay unambiguous.
DROP FUNCTION IF EXISTS define_metric(text, text, text, float8, text);

COMMENT ON FUNCTION detect_regressions(text[], text[], text[], text[], float8, text, integer, float8, bigint,
                                       timestamptz, text[], jsonb) IS
    'The simple rule, for psql users: latest run vs the mean of the previous N runs with a relative threshold. '
    'benchmon itself judges with the noise-aware engine (dev.benchmon.detect) and stores its verdicts in '
    'detection_verdicts; read those for what the product shows.';
