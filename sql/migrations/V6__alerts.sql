-- benchmon schema, version 6: alerts people act on, and annotations that never rewrite the log.
--
-- alerts            one row per finding of the detector (a regression or a change point of one
--                   metric of one series at one run); `state` is the current state, kept by the
--                   writer functions in R__alert_functions.sql from the last row of alert_events.
-- alert_events      every state change of every alert (who, when, why): append-only.
-- run_annotations   notes on runs and their exclusion / re-inclusion: append-only.
-- excluded_runs     the runs currently excluded (derived from run_annotations), read by detection.
-- series_mutes      a series (or one metric of it) muted from a time until an expiry, with a reason.
-- baseline_resets   per series and metric, the run from which the baseline starts (an alert marked
--                   'expected': the new level becomes the baseline).
-- alert_deliveries  every attempt to deliver a notification (webhook, Slack): the delivery log.
-- Tables refer to series.id (V3). Written to run twice safely (see V2); nothing existing changes.

CREATE TABLE IF NOT EXISTS alerts (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    series_id           integer          NOT NULL REFERENCES series (id),
    metric              text             NOT NULL,
    kind                text             NOT NULL,
    transaction_id      bigint           NOT NULL REFERENCES benchmark_transactions (id),
    last_transaction_id bigint           NOT NULL REFERENCES benchmark_transactions (id),
    commit_from         text,
    commit_to           text,
    baseline            double precision,
    current             double precision,
    magnitude           double precision,
    severity            text,
    verdict             text             NOT NULL,
    state               text             NOT NULL DEFAULT 'open',
    opened_at           timestamptz      NOT NULL DEFAULT now(),
    state_changed_at    timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT alerts_kind_check CHECK (kind IN ('regression', 'change_point')),
    CONSTRAINT alerts_state_check CHECK (state IN ('open', 'acknowledged', 'expected', 'resolved', 'muted')),
    CONSTRAINT alerts_finding_key UNIQUE (series_id, metric, kind, transaction_id)
);
COMMENT ON TABLE alerts IS
    'One row per detector finding; state is the latest of its alert_events (append-only history).';
CREATE INDEX IF NOT EXISTS alerts_state_idx ON alerts (state, opened_at DESC);
CREATE INDEX IF NOT EXISTS alerts_series_metric_idx ON alerts (series_id, metric, opened_at DESC);

CREATE TABLE IF NOT EXISTS alert_events (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id  bigint      NOT NULL REFERENCES alerts (id),
    state     text        NOT NULL,
    actor     text        NOT NULL,
    comment   text,
    source    text        NOT NULL DEFAULT 'api',
    at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT alert_events_state_check CHECK (state IN ('open', 'acknowledged', 'expected', 'resolved', 'muted'))
);
CREATE INDEX IF NOT EXISTS alert_events_alert_idx ON alert_events (alert_id, id);

CREATE TABLE IF NOT EXISTS run_annotations (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id  bigint      NOT NULL REFERENCES benchmark_transactions (id),
    series_id       integer     NOT NULL REFERENCES series (id),
    kind            text        NOT NULL,
    text            text        NOT NULL,
    actor           text        NOT NULL,
    at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT run_annotations_kind_check CHECK (kind IN ('excluded', 'included', 'note'))
);
CREATE INDEX IF NOT EXISTS run_annotations_series_idx ON run_annotations (series_id, id);
CREATE INDEX IF NOT EXISTS run_annotations_transaction_idx ON run_annotations (transaction_id);

CREATE TABLE IF NOT EXISTS excluded_runs (
    transaction_id  bigint      PRIMARY KEY REFERENCES benchmark_transactions (id),
    series_id       integer     NOT NULL REFERENCES series (id),
    reason          text        NOT NULL,
    actor           text        NOT NULL,
    since           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS excluded_runs_series_idx ON excluded_runs (series_id);

CREATE TABLE IF NOT EXISTS series_mutes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    series_id   integer     NOT NULL REFERENCES series (id),
    metric      text,
    reason      text        NOT NULL,
    actor       text        NOT NULL,
    starts_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT series_mutes_period_check CHECK (expires_at > starts_at)
);
COMMENT ON COLUMN series_mutes.metric IS 'NULL mutes every metric of the series.';
CREATE INDEX IF NOT EXISTS series_mutes_series_idx ON series_mutes (series_id, expires_at);

CREATE TABLE IF NOT EXISTS baseline_resets (
    series_id       integer     NOT NULL REFERENCES series (id),
    metric          text        NOT NULL,
    transaction_id  bigint      NOT NULL REFERENCES benchmark_transactions (id),
    run_at          timestamptz NOT NULL,
    alert_id        bigint      NOT NULL REFERENCES alerts (id),
    PRIMARY KEY (series_id, metric)
);

CREATE TABLE IF NOT EXISTS alert_deliveries (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel      text        NOT NULL,
    target       text        NOT NULL,
    alert_ids    bigint[]    NOT NULL,
    attempt      integer     NOT NULL,
    status_code  integer,
    delivered    boolean     NOT NULL,
    error        text,
    at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT alert_deliveries_channel_check CHECK (channel IN ('webhook', 'slack'))
);
COMMENT ON COLUMN alert_deliveries.target IS 'Scheme, host and port only: webhook paths can carry secrets.';
CREATE INDEX IF NOT EXISTS alert_deliveries_at_idx ON alert_deliveries (id DESC);

-- The histories are append-only, like the log: the database refuses to change them.
CREATE OR REPLACE FUNCTION benchmon_reject_history_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Append a new row instead (a new state change or annotation).';
END;
$$;
DROP TRIGGER IF EXISTS alert_events_no_update_delete ON alert_events;
CREATE TRIGGER alert_events_no_update_delete
    BEFORE UPDATE OR DELETE ON alert_events
    FOR EACH ROW EXECUTE FUNCTION benchmon_reject_history_change();
DROP TRIGGER IF EXISTS run_annotations_no_update_delete ON run_annotations;
CREATE TRIGGER run_annotations_no_update_delete
    BEFORE UPDATE OR DELETE ON run_annotations
    FOR EACH ROW EXECUTE FUNCTION benchmon_reject_history_change();
