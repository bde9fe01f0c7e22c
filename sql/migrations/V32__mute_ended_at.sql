-- benchmon schema, version 32: a mute ended early keeps the expiry it was given and records when it was ended.
--
-- ended_at: when unmute_series (R__alert_functions.sql) ended the mute before its expiry; NULL for a mute that ran, or
-- runs, to its expiry. A mute is in force from starts_at until coalesce(ended_at, expires_at); expires_at stays the
-- expiry it was given (V26 overwrote it with the time the mute was ended).
-- Existing mutes carry forward: one ended early (ended_by set) was ended at its expires_at, and its planned expiry is
-- put back from the events of the alerts it muted ('mute N until <expiry>: ...', 'opened muted: ... (mute N until
-- <expiry>)'), where one names it; else expires_at stays the time it was ended. Written to run twice safely (see V2).

ALTER TABLE series_mutes ADD COLUMN IF NOT EXISTS ended_at timestamptz;

UPDATE series_mutes m
SET ended_at = m.expires_at,
    expires_at = coalesce((SELECT max(substring(e.comment FROM '(?:^|\()mute ' || m.id
                                        || ' until (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?[+-]\d\d(?::\d\d)?)[:)]')::timestamptz)
                           FROM alert_events e JOIN alerts a ON a.id = e.alert_id
                           WHERE a.series_id = m.series_id AND e.source IN ('mute', 'detector')),
                          m.expires_at)
WHERE m.ended_by IS NOT NULL AND m.ended_at IS NULL;

COMMENT ON COLUMN series_mutes.ended_at IS
    'When the mute was ended before its expiry (by ended_by); NULL otherwise. In force until coalesce(ended_at, expires_at).';
COMMENT ON COLUMN series_mutes.ended_by IS 'Who ended the mute before its expiry (ended_at is then when); NULL otherwise.';
