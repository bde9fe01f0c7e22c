-- benchmon schema, version 19: the functions every written row calls are plain SQL expressions that
-- PostgreSQL inlines, instead of SQL functions it calls one row at a time.
--
-- Why: a SQL function is inlined into the statement that calls it only when its body is one expression
-- (no FROM, no subquery), it is not STRICT unless its body is, its declared volatility is no stricter than its
-- body's, and no parameter used more than once receives a volatile argument (the writer therefore calls
-- benchmark_key_uuid without gen_random_uuid() inside). Otherwise each call sets up the SQL-function executor,
-- a few microseconds per row. RowFunctionsTest checks the plans.
-- Measured on PostgreSQL 15, 30,000-50,000 rows of the scale benchmark's data (2026-11-30):
--   * benchmark_metrics_are_numbers, the log's CHECK metrics_are_numbers, ran jsonb_each in a subquery:
--     inserting 30,000 rows into a copy of the log with its checks took 368 ms, 109 ms with the jsonpath
--     below (40 ms with no checks at all), about 85 ms of every 10,000-result chunk.
--   * benchmark_key_uuid was STRICT over a CASE (never inlined) and IMMUTABLE over convert_to (STABLE):
--     193 ms for 50,000 keys, 116 ms inlined.
-- Same answers as before: a number is accepted, a string, array, object, boolean or null is refused, and a
-- metrics value that is not an object is an error, as jsonb_each raised one; every stored key keeps its form (a NULL
-- key is NULL, as STRICT gave).
-- STABLE, not IMMUTABLE, for benchmark_key_uuid: its body calls convert_to, which the catalog marks STABLE;
-- nothing indexes or constrains on the function, so the planner loses nothing. Written to run twice safely.

CREATE OR REPLACE FUNCTION benchmark_metrics_are_numbers(p_metrics jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- strict: in lax mode an array value would be unwrapped and its elements tested instead.
    SELECT NOT jsonb_path_exists(p_metrics, 'strict $.* ? (@.type() != "number")')
$$;

CREATE OR REPLACE FUNCTION benchmark_key_uuid(p_key text) RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_key ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN p_key::uuid
                ELSE encode(substr(sha256(convert_to(p_key, 'UTF8')), 1, 16), 'hex')::uuid END
$$;
