-- benchmon schema, version 33: a mute's end is one stored column, ends_at = coalesce(ended_at, expires_at).
--
-- Why: "a mute is in force at T" (starts_at <= T < coalesce(ended_at, expires_at)) was written out about ten times
-- (R__alert_functions.sql, Java's Annotations). PostgreSQL now computes the end on every write of a mute, and readers
-- test a mute with mute_in_force (R__alert_functions.sql), so no reader restates which of the two times ends it.
-- Existing mutes get their ends_at when the column is added (a generated column is computed for every row).
-- The index on (series_id, expires_at) becomes one on (series_id, ends_at): the in-force test bounds ends_at, never
-- expires_at. Written to run twice safely (see V2).

ALTER TABLE series_mutes ADD COLUMN IF NOT EXISTS ends_at timestamptz
    GENERATED ALWAYS AS (coalesce(ended_at, expires_at)) STORED;

CREATE INDEX IF NOT EXISTS series_mutes_series_ends_idx ON series_mutes (series_id, ends_at);
DROP INDEX IF EXISTS series_mutes_series_idx;

COMMENT ON COLUMN series_mutes.ends_at IS
    'When the mute stops being in force: ended_at when it was ended early, else expires_at. In force from starts_at '
    '(inclusive) until ends_at (exclusive): mute_in_force(m, at). Computed by PostgreSQL; never written.';
COMMENT ON COLUMN series_mutes.ended_at IS
    'When the mute was ended before its expiry (by ended_by); NULL otherwise. In force until ends_at.';
