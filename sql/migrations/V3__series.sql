-- benchmon schema, version 3: a series table with an integer id.
--
-- A series is one (model_version, dataset_version, prompt_version, environment). Tables derived from
-- results (detection state, alerts, per-example items, rollups) refer to series.id instead of
-- repeating four text columns. upsert_benchmark_results registers every new series as it arrives.
-- Written to run twice safely (see V2).
CREATE TABLE IF NOT EXISTS series (
    id               integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_version    text        NOT NULL,
    dataset_version  text        NOT NULL,
    prompt_version   text        NOT NULL,
    environment      text        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT series_key UNIQUE (model_version, dataset_version, prompt_version, environment)
);

COMMENT ON TABLE series IS
    'One row per series (model, dataset, prompt, environment): the integer key of every derived table.';

-- Carry existing data forward: every series that already has a snapshot gets its id.
INSERT INTO series (model_version, dataset_version, prompt_version, environment)
SELECT s.model_version, s.dataset_version, s.prompt_version, s.environment
FROM benchmark_snapshots s
ORDER BY s.first_seen, s.model_version, s.dataset_version, s.prompt_version, s.environment
ON CONFLICT ON CONSTRAINT series_key DO NOTHING;
