-- benchmon schema, version 35: an alert that followed a later run gets back the commit range of its change.
--
-- Why: until now each regression finding an active alert followed (alert_record_findings, R__alert_functions.sql) also
-- overwrote the alert's commit_to with the finding's commit, while commit_from, the run it names, its shift and its
-- verdict stayed those of the change it was raised on: after a drop at c12 (from c11) deepened at c13, the alert read
-- c11..c13 while its verdict said "since commit c11..c12". The follow no longer touches commit_to; this puts back the
-- rows it widened.
-- commit_to is the commit of the change's first run (shift_tx, else the run it names) when the alert is raised, and an
-- exclusion moves it along with the run the alert names (alert_name_run). So an alert is repaired to its first run's
-- commit where there is proof a follow widened it: its commit_to differs from that run's commit and is the commit of a
-- run of its series after that run, up to the newest run it followed (followed_tx, or last_transaction_id where an
-- exclusion moved it later). Not repaired: an alert whose named run an exclusion moved while its shift started at an
-- earlier run (there alert_name_run may have moved commit_to without the shift, and the stored data cannot tell the
-- two apart), and an alert whose commit_to names no such run (a toolkit caller's own commit). No event is appended:
-- no state changes, and the range read now is the one the alert was raised with.
-- Written to run twice safely (see V2): a repaired alert's commit_to is its first run's commit, which it skips.

UPDATE alerts a
SET commit_to = s.commit_sha
FROM benchmark_log s, benchmark_log l
WHERE s.id = coalesce(a.shift_tx, a.transaction_id) AND s.series_id = a.series_id
  AND l.id = CASE WHEN a.followed_tx = a.last_transaction_id THEN a.followed_tx
                  ELSE (SELECT t.id FROM benchmark_log t
                        WHERE t.id IN (a.followed_tx, a.last_transaction_id) AND t.series_id = a.series_id
                        ORDER BY t.run_at DESC, t.id DESC LIMIT 1) END
  AND l.series_id = a.series_id
  AND a.commit_to IS DISTINCT FROM s.commit_sha
  AND (a.transaction_id = a.raised_tx OR coalesce(a.shift_tx, a.transaction_id) = a.transaction_id)
  AND EXISTS (SELECT 1 FROM benchmark_log w
              WHERE w.series_id = a.series_id AND w.commit_sha = a.commit_to
                AND w.run_at >= s.run_at AND w.run_at <= l.run_at
                AND (w.run_at, w.id) > (s.run_at, s.id) AND (w.run_at, w.id) <= (l.run_at, l.id));

COMMENT ON COLUMN alerts.commit_to IS
    'The commit of the change''s first run (shift_tx): the end of the commit range, which starts at commit_from. An '
    'exclusion of the run the alert names moves it with that run; the later runs the alert follows never do.';
