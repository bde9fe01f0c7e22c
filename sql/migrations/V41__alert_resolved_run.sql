-- benchmon schema, version 41: an alert the detector resolved keeps the run whose verdict resolved it (resolved_tx).
--
-- Why: a run back at the old level resolves an alert ("back within noise in run 35"). When that run is then excluded
-- (a wrong config, a broken runner), the runs that count show the change persisting, and a copy imported with the run
-- excluded shows the alert open; the original stayed resolved, as nothing said which run had resolved it. With the run
-- on the alert, excluding it judges the alert again (annotate_run, R__alert_functions.sql): back in the state it had
-- before, when the change still stands; including the run again resolves it again.
-- Kept only while nobody else changed the alert's state: the detector's resolution sets it, and alert_move clears it at
-- every other move except an annotation's or a mute's (those judge or silence the same change: an exclusion that
-- reopens the alert, or resolves it for want of evidence, keeps it, so that including the runs again in any order
-- finds it). A person's triage, a replaced attempt's resolution or a mute's expiry clear it: a person's resolution is
-- never undone by an exclusion.
-- Existing alerts carry forward: an alert whose newest event is the detector's resolution gets the run that event
-- names (its comment, "back within noise in run N", the detector's wording since V6).
-- No index: it is read per series (alerts_series_metric_idx) by annotate_run, a person's action.
-- Written to run twice safely (see V2).

ALTER TABLE alerts ADD COLUMN IF NOT EXISTS resolved_tx bigint;

COMMENT ON COLUMN alerts.resolved_tx IS
    'The run whose verdict (back at the old level) the detector resolved the alert on, while no person changed its '
    'state since; an exclusion of it reopens the alert when its change still stands (annotate_run). V41.';

UPDATE alerts a
SET resolved_tx = substring(e.comment FROM '^back within noise in run ([0-9]+)')::bigint
FROM (SELECT DISTINCT ON (e.alert_id) e.alert_id, e.state, e.source, e.comment
      FROM alert_events e ORDER BY e.alert_id, e.id DESC) e
WHERE e.alert_id = a.id AND a.state = 'resolved' AND a.resolved_tx IS NULL
  AND e.state = 'resolved' AND e.source = 'detector' AND e.comment ~ '^back within noise in run [0-9]+';
