-- benchmon schema, version 5: what the detection engine (dev.benchmon.detect) found, stored at ingest.
--
-- The engine judges the newest run of each touched series against the series' own history when
-- results arrive and stores the outcome here, so the API and dashboard read verdicts instead of
-- recomputing over the whole log; `benchmon detect recompute` rewrites them after definitions or
-- settings change. Keyed by series.id (V3) and metric name. Written to run twice safely (see V2).

-- The latest verdict per series and metric (one row each, replaced on every judgement).
CREATE TABLE IF NOT EXISTS detection_verdicts (
    series_id         integer          NOT NULL REFERENCES series (id),
    metric            text             NOT NULL,
    transaction_id    bigint           NOT NULL,
    outcome           text             NOT NULL,
    method            text             NOT NULL,
    direction         text,
    baseline          double precision,
    current           double precision,
    delta             double precision,
    sd                double precision,
    z                 double precision,
    min_effect        double precision,
    baseline_runs     integer          NOT NULL DEFAULT 0,
    alert             boolean          NOT NULL DEFAULT false,
    late              boolean          NOT NULL DEFAULT false,
    tx_before         bigint,
    tx_after          bigint,
    commit_before     text,
    commit_after      text,
    explanation       text             NOT NULL DEFAULT '',
    sensitivity       double precision NOT NULL,
    -- alert memory: the first run of the last shift alerted on and its sign, so one shift alerts once
    alerted_shift_tx   bigint          NOT NULL DEFAULT 0,
    alerted_shift_sign smallint        NOT NULL DEFAULT 0,
    computed_at       timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (series_id, metric),
    CONSTRAINT detection_verdicts_outcome_check CHECK (outcome IN ('regression', 'improvement', 'ok',
        'changed_direction_unknown', 'not_judged', 'no_baseline', 'missing'))
);
CREATE INDEX IF NOT EXISTS detection_verdicts_outcome_idx ON detection_verdicts (outcome) WHERE outcome <> 'ok';

COMMENT ON TABLE detection_verdicts IS
    'Latest verdict of the detection engine per series and metric, written at ingest and by recompute.';

-- Change points of each series and metric over its recent history (replaced on every judgement).
CREATE TABLE IF NOT EXISTS detection_change_points (
    series_id      integer          NOT NULL REFERENCES series (id),
    metric         text             NOT NULL,
    tx_after       bigint           NOT NULL,
    tx_before      bigint           NOT NULL,
    run_at_after   timestamptz      NOT NULL,
    commit_before  text,
    commit_after   text,
    level_before   double precision NOT NULL,
    level_after    double precision NOT NULL,
    magnitude      double precision NOT NULL,
    sd             double precision,
    confidence     double precision NOT NULL,
    PRIMARY KEY (series_id, metric, tx_after)
);

-- Every finding as it was made (regression, improvement, change point, direction-unknown change,
-- missing): append-only, for alerts and history. One row per alert-worthy event, not per run.
CREATE TABLE IF NOT EXISTS detection_findings (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    series_id       integer          NOT NULL REFERENCES series (id),
    metric          text             NOT NULL,
    transaction_id  bigint           NOT NULL,
    kind            text             NOT NULL,
    tx_before       bigint,
    tx_after        bigint,
    commit_before   text,
    commit_after    text,
    magnitude       double precision,
    sd              double precision,
    explanation     text             NOT NULL,
    found_at        timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT detection_findings_kind_check CHECK (kind IN ('regression', 'improvement', 'change_point',
        'changed_direction_unknown', 'missing')),
    CONSTRAINT detection_findings_once UNIQUE (series_id, metric, transaction_id, kind)
);
CREATE INDEX IF NOT EXISTS detection_findings_series_idx ON detection_findings (series_id, metric, found_at DESC);
