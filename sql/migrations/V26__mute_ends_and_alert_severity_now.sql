-- benchmon schema, version 26: a mute can be ended before its expiry, and says who ended it and why; an alert keeps
-- the severity its change has now apart from the one it opened with.
--
-- unmute_series (R__alert_functions.sql) ends the mutes of a series (or of one metric of it) in force now: their
-- expires_at becomes the time they were ended, so every reader that asks whether a mute covers a time sees it over,
-- and these columns keep who ended it early and why (the expiry it was given stays in the events of the alerts it
-- muted). NULL for a mute that ran, or runs, to its expiry. Written to run twice safely (see V2).

ALTER TABLE series_mutes ADD COLUMN IF NOT EXISTS ended_by text;
ALTER TABLE series_mutes ADD COLUMN IF NOT EXISTS end_reason text;

COMMENT ON COLUMN series_mutes.ended_by IS 'Who ended the mute before its expiry (expires_at is then when); NULL otherwise.';
COMMENT ON COLUMN series_mutes.end_reason IS 'Why the mute was ended early, when given.';

-- An alert's severity, magnitude and verdict stay those of its opening (its history); the newest judged run of its
-- series grades its change again (alert_severity_now, R__alert_functions.sql), and severity_now keeps that grade, so a
-- rise to a higher one is recorded once, as an event of the alert. NULL: as it opened.
ALTER TABLE alerts ADD COLUMN IF NOT EXISTS severity_now text;

COMMENT ON COLUMN alerts.severity_now IS
    'The severity the newest judged run of the series gives the alert''s change (alert_severity_now); NULL: as it opened.';
