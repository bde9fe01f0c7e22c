-- benchmon schema, version 38: a series mute remembers the alert whose mute created it (series_mutes.alert_id).
--
-- Why: `benchmon alerts mute ID --for 7d` mutes the alert and creates a mute of its metric for that period; unmuting
-- the alert opened it again but left that mute in force, so new alerts of the metric kept opening muted while the
-- alert itself showed open. alert_unmute (R__alert_functions.sql) now ends the mutes in force that the alert's mute
-- created, and only those: a mute a person created for the series on its own (alert_id NULL), or one an alert's mute
-- found in force and extended, is left alone.
-- Existing mutes are carried forward as they are, with alert_id NULL: which of them an alert's mute created was never
-- stored, and guessing it (same reason, same actor, a few seconds apart) could end a mute a person set on purpose.
-- They stay in force until their expiry or an unmute of the series, as before. Written to run twice safely (see V2).

ALTER TABLE series_mutes ADD COLUMN IF NOT EXISTS alert_id bigint REFERENCES alerts (id);

-- alert_unmute's lookup: the mutes one alert's mute created (few rows have one)
CREATE INDEX IF NOT EXISTS series_mutes_alert_idx ON series_mutes (alert_id) WHERE alert_id IS NOT NULL;

COMMENT ON COLUMN series_mutes.alert_id IS
    'The alert whose mute created this mute (alerts mute ID --for/--until); unmuting that alert ends it. NULL for a '
    'mute of the series made on its own.';
