-- benchmon schema, version 24: a metric's smallest change that matters may be stated relative to the baseline.
--
-- Why: push --min-effect, ?min_effect= and the dashboard take "2%" as well as a number in the metric's unit, but a
-- definition (benchmon metrics define, PUT /api/v1/metrics/{name}, a file's metric_definitions) could only hold the
-- number, so a percentage that suits every level of a metric could not be declared once. relative_min_effect holds
-- it as a fraction (0.02); a definition states at most one of the two, and with neither the default of the metric's
-- kind applies. define_metric (R__privilege_functions.sql) writes it.
-- Written to run twice safely (see V2).

ALTER TABLE metric_definitions ADD COLUMN IF NOT EXISTS relative_min_effect double precision;

ALTER TABLE metric_definitions DROP CONSTRAINT IF EXISTS relative_min_effect_is_positive;
ALTER TABLE metric_definitions ADD CONSTRAINT relative_min_effect_is_positive
    CHECK (relative_min_effect IS NULL OR relative_min_effect > 0);

ALTER TABLE metric_definitions DROP CONSTRAINT IF EXISTS one_min_effect;
ALTER TABLE metric_definitions ADD CONSTRAINT one_min_effect
    CHECK (min_effect IS NULL OR relative_min_effect IS NULL);

COMMENT ON COLUMN metric_definitions.relative_min_effect IS
    'Smallest change that matters in practice as a fraction of the baseline (0.02 for 2%); NULL when min_effect '
    'states it in the metric''s unit, or for the default of its kind.';
