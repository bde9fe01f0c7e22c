-- benchmon schema, version 2: optional uncertainty per result, and metrics that are tracked but never judged.
--
-- stderr:       {"metric": standard error} as sent (the result format's "stderr" field), or NULL.
-- sample_sizes: {"metric": number of examples} (the result format's "n" field, expanded per metric), or NULL.
-- Both are nullable without a default, so adding them rewrites no existing row.
-- Written to run twice safely (IF NOT EXISTS / IF EXISTS): a schema applied by hand with psql is
-- adopted by Flyway at version 1, and every later version then runs over it again.
ALTER TABLE benchmark_transactions ADD COLUMN IF NOT EXISTS stderr jsonb;
ALTER TABLE benchmark_transactions ADD COLUMN IF NOT EXISTS sample_sizes jsonb;
ALTER TABLE benchmark_transactions DROP CONSTRAINT IF EXISTS stderr_is_object;
ALTER TABLE benchmark_transactions DROP CONSTRAINT IF EXISTS sample_sizes_is_object;
ALTER TABLE benchmark_transactions
    ADD CONSTRAINT stderr_is_object CHECK (stderr IS NULL OR jsonb_typeof(stderr) = 'object'),
    ADD CONSTRAINT sample_sizes_is_object CHECK (sample_sizes IS NULL OR jsonb_typeof(sample_sizes) = 'object');

-- A direction of 'none' marks a metric that is tracked and charted but never called a regression
-- (epochs, sample counts, standard errors); min_effect is the smallest change that matters in practice.
ALTER TABLE metric_definitions DROP CONSTRAINT IF EXISTS metric_definitions_direction_check;
ALTER TABLE metric_definitions
    ADD CONSTRAINT metric_definitions_direction_check
        CHECK (direction IN ('higher_is_better', 'lower_is_better', 'none'));
ALTER TABLE metric_definitions DROP CONSTRAINT IF EXISTS min_effect_is_positive;
ALTER TABLE metric_definitions ADD COLUMN IF NOT EXISTS min_effect double precision
    CONSTRAINT min_effect_is_positive CHECK (min_effect IS NULL OR min_effect > 0);
COMMENT ON COLUMN metric_definitions.min_effect IS
    'Smallest change that matters in practice, in the metric''s unit; NULL for the default of its kind.';
