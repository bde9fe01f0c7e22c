-- benchmon alert functions: the only writers of the V6 tables. Repeatable (CREATE OR REPLACE).
-- Every writer is SECURITY DEFINER: the server's role may call them without writing tables itself.
-- Errors: invalid_parameter_value (22023) for bad arguments, no_data_found (P0002) for an unknown
-- alert, run or series; the message starts with the argument's name, which a bad argument's error also carries as
-- its column (RAISE ... COLUMN), so callers name the field without reading the message.

-- An instant as ISO-8601 in UTC, as Java's Instant prints it (2026-12-02T03:56:46Z, 46.050Z, 46.965593Z: no fraction,
-- or 3 or 6 digits), for messages: the product shows instants so everywhere, never as PostgreSQL's text
-- (2026-12-02 03:56:46+00). STABLE, as to_char is.
CREATE OR REPLACE FUNCTION iso_instant(p_at timestamptz)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
           || CASE WHEN us = '000000' THEN '' WHEN right(us, 3) = '000' THEN '.' || left(us, 3) ELSE '.' || us END || 'Z'
    FROM to_char(p_at AT TIME ZONE 'UTC', 'US') AS us
$$;

-- One state change of an alert: the new state on the alert row and the event appended to its history
-- (who, why, from where), together, so no writer can do one without the other. Returns the event's id
-- and time. Called by the SECURITY DEFINER writers below, as their owner.
-- The run the detector resolved the alert on (resolved_tx, V41) is kept only through an annotation's move (an exclusion
-- or inclusion judging the same change again) or a mute's (silencing it): any other move (a person's triage, a replaced
-- attempt's resolution, a mute's expiry) clears it, so excluding that run never undoes a state someone else set. The
-- detector's resolution sets it after its move (alert_record_findings).
CREATE OR REPLACE FUNCTION alert_move(p_alert_id bigint, p_state text, p_actor text, p_comment text, p_source text,
                                      OUT event_id bigint, OUT event_at timestamptz)
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE alerts a SET state = p_state, state_changed_at = now(),
                        resolved_tx = CASE WHEN p_source IN ('annotation', 'mute') THEN a.resolved_tx END
    WHERE a.id = p_alert_id;
    INSERT INTO alert_events AS e (alert_id, state, actor, comment, source)
    VALUES (p_alert_id, p_state, p_actor, p_comment, p_source)
    RETURNING e.id, e.at INTO event_id, event_at;
END;
$$;

-- Whether a muted alert was silenced by a mute of its series (or opened muted under one), not by a person: the source
-- of the newest event that muted it (an annotation's event keeps or restores a state, a severity event keeps it, so
-- neither says who muted it). Asked of a muted alert, or of a resolved one whose state before its resolution was muted
-- (alert_reopen): an exclusion may restore a muted state the detector's resolution ended, and the newest event but an
-- annotation's is then that resolution, not the mute.
CREATE OR REPLACE FUNCTION alert_muted_by_mute(p_alert_id bigint)
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT e.source IN ('mute', 'detector') FROM alert_events e
    WHERE e.alert_id = p_alert_id AND e.state = 'muted' AND e.source NOT IN ('annotation', 'severity')
    ORDER BY e.id DESC LIMIT 1
$$;

-- Whether mute m is in force at p_at: from its start (inclusive) until its end (exclusive), ends_at, which is when it
-- was ended early, else its expiry (V33). The one statement of it: every reader of series_mutes, here and in Java's
-- Annotations, tests a mute with this. Plain SQL that PostgreSQL inlines into the caller (V19: one expression, not
-- STRICT), so m.series_id = ... AND mute_in_force(m, now()) still probes series_mutes_series_ends_idx.
CREATE OR REPLACE FUNCTION mute_in_force(m series_mutes, p_at timestamptz)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT p_at >= m.starts_at AND p_at < m.ends_at
$$;

-- Whether mute m covers metric p_metric of its series at p_at: a mute of the whole series (metric NULL) or of that
-- metric, in force then (mute_in_force). The one statement of "a mute covering a metric" in SQL; Java's is
-- dev.benchmon.alert.Mute.covers, and the two must agree (MuteCoversTest checks the same cases on both). Plain SQL,
-- inlined as mute_in_force is, so m.series_id = ... AND mute_covers(m, ..., now()) still probes the index.
CREATE OR REPLACE FUNCTION mute_covers(m series_mutes, p_metric text, p_at timestamptz)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (m.metric IS NULL OR m.metric = p_metric) AND mute_in_force(m, p_at)
$$;

-- Opens again the alerts that mutes p_ended, just ended, silenced: each muted alert of series p_series_id (p_metric:
-- of that metric only; NULL: of any metric) that a mute silenced, not a person (alert_muted_by_mute), and that no mute
-- but those covers now, with an event (source 'mute') whose comment names the mutes and why they ended (p_why, may be
-- NULL): 'mute 7, 8 ended early: migration done'. The one statement of "silenced by a mute, and no mute covers it
-- now", for every writer that ends mutes early (unmute_series, alert_end_own_mutes), as a mute's expiry reopens them
-- (alert_record_findings). p_ended is excluded by id: a mute started in the same transaction ends one microsecond after
-- now, so mute_covers alone would still count it. Returns the alerts opened, a JSON array of
-- {"alert_id": 7, "series_id": 3, "change": "opened", "state": "open"}. Called by the SECURITY DEFINER writers, as their owner.
CREATE OR REPLACE FUNCTION alert_open_after_mutes_end(p_series_id integer, p_metric text, p_ended bigint[],
                                                      p_actor text, p_why text)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    v_alert  bigint;
    v_what   text := 'mute ' || array_to_string(p_ended, ', ') || ' ended early' || coalesce(': ' || p_why, '');
    v_alerts jsonb := '[]';
BEGIN
    FOR v_alert IN
        SELECT a.id FROM alerts a
        WHERE a.series_id = p_series_id AND (p_metric IS NULL OR a.metric = p_metric) AND a.state = 'muted'
          AND alert_muted_by_mute(a.id) -- silenced by a mute, not by a person
          AND NOT EXISTS (SELECT 1 FROM series_mutes m
                          WHERE m.series_id = a.series_id AND m.id <> ALL (p_ended) AND mute_covers(m, a.metric, now()))
        ORDER BY a.id FOR UPDATE OF a
    LOOP
        PERFORM alert_move(v_alert, 'open', btrim(p_actor), v_what, 'mute');
        v_alerts := v_alerts || jsonb_build_object('alert_id', v_alert, 'series_id', p_series_id, 'change', 'opened',
                                                   'state', 'open');
    END LOOP;
    RETURN v_alerts;
END;
$$;

-- Ends the mutes in force that alert p_alert_id's own mute created (series_mutes.alert_id, V38: `alerts mute ID
-- --for 7d`), as a person takes the alert out of its mute (p_how: 'unmuted', 'acknowledged', 'marked expected',
-- 'resolved'): ended_by p_actor, end_reason 'alert 12, whose mute created it, resolved: <p_comment>'. The other alerts
-- those mutes alone silenced open again (alert_open_after_mutes_end), as when the mutes are ended by hand. Any other
-- mute (made on its own, or by another alert's mute) stays. Returns the mutes ended (empty when none) and the alerts
-- opened (alert_changes, '[]' when none). Called by alert_set_state, as its owner.
CREATE OR REPLACE FUNCTION alert_end_own_mutes(p_alert_id bigint, p_actor text, p_how text, p_comment text,
                                               OUT ended_mute_ids bigint[], OUT alert_changes jsonb)
LANGUAGE plpgsql AS $$
DECLARE
    v_series integer;
    v_metric text; -- the ended mutes' metric, NULL when one of them covers the whole series
BEGIN
    WITH ended AS (
        -- (a mute started in this very transaction cannot end at its start: one microsecond later)
        UPDATE series_mutes m SET ended_at = greatest(now(), m.starts_at + interval '1 microsecond'),
                                  ended_by = btrim(p_actor),
                                  end_reason = 'alert ' || p_alert_id || ', whose mute created it, ' || p_how
                                               || coalesce(': ' || nullif(btrim(coalesce(p_comment, '')), ''), '')
        WHERE m.alert_id = p_alert_id AND mute_in_force(m, now())
        RETURNING m.id, m.series_id, m.metric)
    -- (one series and metric: mute_series refuses to link a mute to an alert of another series or metric; so only the
    -- alerts of that metric were silenced by these mutes, unless one of them covers the whole series)
    SELECT array_agg(e.id ORDER BY e.id), min(e.series_id),
           CASE WHEN bool_or(e.metric IS NULL) THEN NULL ELSE min(e.metric) END
    INTO ended_mute_ids, v_series, v_metric FROM ended e;
    alert_changes := '[]';
    IF ended_mute_ids IS NULL THEN
        ended_mute_ids := '{}';
    ELSE
        alert_changes := alert_open_after_mutes_end(v_series, v_metric, ended_mute_ids, p_actor,
                                                    'alert ' || p_alert_id || ', whose mute created it, was ' || p_how);
    END IF;
END;
$$;

-- The severity of an alert's change at value p_value. The detector grades a change by its size in noise sd against
-- the metric's sensitivity (minor under p_major, major under p_critical, critical from p_critical: the bounds come from
-- Java's dev.benchmon.detect.Severity, their one source, through alert_record_findings); with the noise of the
-- opening, that size grows with the deviation from the baseline. Only the opening's grade is kept, so its size is
-- taken as the grade's lower bound (1, p_major, p_critical) times the deviation now over the opening's (p_magnitude, relative to
-- p_baseline), signed: a deviation on the other side of the baseline (an improvement past it) is not a worse change.
-- Never below the opening's grade (the lower bound would turn noise around the opening value into a lower grade and
-- each return into an escalation) and never more than the detector would say. The opening's severity when nothing
-- scales it (no baseline or a baseline of 0, no magnitude, no grade).
-- (The old forms, with the bounds written here or without alert_regrade's p_proportion, are dropped: a function's
-- arguments cannot be replaced.)
DROP FUNCTION IF EXISTS alert_severity_now(text, float8, float8, float8);
DROP FUNCTION IF EXISTS alert_regrade(integer, text, bigint, timestamptz, float8);
DROP FUNCTION IF EXISTS alert_regrade(integer, text, bigint, timestamptz, float8, float8, float8);
DROP FUNCTION IF EXISTS alert_record_findings(jsonb);
CREATE OR REPLACE FUNCTION alert_severity_now(p_severity text, p_magnitude float8, p_baseline float8, p_value float8,
                                              p_major float8, p_critical float8)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN x.size IS NULL THEN p_severity WHEN x.size >= p_critical THEN 'critical'
                WHEN x.size >= p_major THEN 'major' ELSE 'minor' END
    FROM (SELECT CASE p_severity WHEN 'minor' THEN 1 WHEN 'major' THEN p_major WHEN 'critical' THEN p_critical END
                 * greatest((p_value - p_baseline) / nullif(p_magnitude * abs(p_baseline), 0), 1) AS size) x
$$;

-- A number signed, with one decimal, as Java's ReadableNumber.signedOneDecimal writes it (the alerts' texts are worded
-- in both languages): rounded half up from the number's shortest decimal digits (float8 to text, then numeric; a direct
-- float8::numeric keeps 15 significant digits, so -28.049999999999997 rounded to -28.1 where Java writes -28.0); a
-- number that one decimal would show as 0.0 gets two significant digits instead (-0.042, trailing zeros dropped), so
-- that a small change keeps its size and sign, down to 0.0001 (below it a double's rounding, no change to report).
-- extra_float_digits = 1 pins the shortest digits (PostgreSQL 12+)
-- whatever the session sets.
CREATE OR REPLACE FUNCTION signed_one_decimal(p_value float8)
RETURNS text
LANGUAGE sql IMMUTABLE
SET extra_float_digits = 1 AS $$
    SELECT CASE WHEN p_value = 'NaN'::float8 THEN 'NaN' -- as Java writes it, unsigned
                ELSE CASE WHEN p_value::text LIKE '-%' THEN '-' ELSE '+' END -- the sign bit: -0.0 is -0.0, as in Java
                     || CASE WHEN x.v >= 0.0001 AND round(x.v, 1) = 0
                             -- reads 0.0 at one decimal: two significant digits (Java's ReadableNumber.signedOneDecimal)
                             THEN trim_scale(round(x.v, 1 - floor(log(x.v))::int))::text
                             ELSE round(x.v, 1)::text END END
    FROM (SELECT abs(p_value)::text::numeric AS v) x
$$;

-- A metric's value as the alerts' history texts word it, the text Java's MetricJudge.formatValue gives for the same
-- double (FormatValueParityTest compares the two): 4 significant digits as %.4g writes them (0.7612, 0.8500, 1235,
-- 0.0001235, 2.500e-05, -0.000 for -0.0), from 10,000 up grouped whole digits (12,350, -1,300) where %.4g would switch to
-- an exponent; NaN, Infinity, -Infinity as Java writes them; NULL for NULL. Rounded half up, as Java: %.4g from the
-- shortest decimal (float8 to text; extra_float_digits = 1 pins it whatever the session sets), the grouped digits from
-- the double's exact value (Java's BigDecimal(v)). (Below 1e-321, a few of the least doubles, Java 17's digits are not
-- the shortest: 4.900e-324 where this gives 5.000e-324.)
CREATE OR REPLACE FUNCTION benchmon_format_value(p_value float8)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET extra_float_digits = 1 AS $$
DECLARE
    v_bits   bigint := ('x' || encode(float8send(p_value), 'hex'))::bit(64)::bigint;
    v_sign   text;
    v_pow2   integer;
    v_whole  numeric;
    v_digits numeric;
    v_exp    integer;
BEGIN
    IF p_value = 'NaN'::float8 THEN
        RETURN 'NaN';
    ELSIF p_value IN ('Infinity'::float8, '-Infinity'::float8) THEN
        RETURN p_value::text;
    END IF;
    v_sign := CASE WHEN v_bits < 0 THEN '-' ELSE '' END; -- the sign bit: -0.0 keeps its sign, as in Java
    v_digits := abs(p_value)::text::numeric;
    -- From 10,000 up: the exact value rounded to 4 digits. Below 2^53 the shortest decimal rounds alike (each tie there,
    -- a whole number, is a double); from 2^53 on the double is the whole number mantissa * 2^k, which numeric holds
    -- exactly (the shortest 6.7765e23 is 677649999999999982698496 exactly: 677,600,000,000,000,000,000,000).
    IF v_digits >= 9999.5 THEN
        v_pow2 := ((v_bits >> 52) & 2047)::integer - 1075;
        v_whole := CASE WHEN v_pow2 > 0
                        THEN ((v_bits & 4503599627370495) + 4503599627370496)::numeric * power(2::numeric, v_pow2)
                        ELSE v_digits END;
        v_whole := round(v_whole, 4 - length(trunc(v_whole)::text));
        IF v_whole >= 10000 THEN
            RETURN v_sign || regexp_replace(v_whole::text, '(\d)(?=(\d{3})+$)', '\1,', 'g');
        END IF;
    END IF;
    IF v_digits = 0 THEN
        RETURN v_sign || '0.000';
    END IF;
    -- %.4g: the decimal exponent after rounding decides fixed (0.0001 to under 10,000) or 1.235e-05.
    v_exp := floor(log(v_digits))::integer;
    IF v_digits < ('1e' || v_exp)::numeric THEN
        v_exp := v_exp - 1;
    ELSIF v_digits >= ('1e' || (v_exp + 1))::numeric THEN
        v_exp := v_exp + 1;
    END IF;
    v_digits := round(v_digits, 3 - v_exp);
    IF v_digits >= ('1e' || (v_exp + 1))::numeric THEN
        v_exp := v_exp + 1; -- 0.99996 rounds to 1.000
    END IF;
    IF v_exp BETWEEN -4 AND 3 THEN
        RETURN v_sign || round(v_digits, 3 - v_exp)::text;
    END IF;
    RETURN v_sign || round(v_digits / ('1e' || v_exp)::numeric, 3)::text
           || 'e' || CASE WHEN v_exp < 0 THEN '-' ELSE '+' END || CASE WHEN abs(v_exp) < 10 THEN '0' ELSE '' END
           || abs(v_exp);
END;
$$;

-- A relative change as a signed percent with one decimal: -31.8%, +2.0% (Java: Alert's percent).
CREATE OR REPLACE FUNCTION alert_percent(p_relative float8)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT signed_one_decimal(100 * p_relative) || '%'
$$;

-- A change relative to p_baseline (p_relative) as an alert words it: of a proportion (p_proportion: Java's
-- MetricSemantics.isProportion, which the caller knows) at a baseline in [0, 1] whose change stays within 1, in
-- percentage points with one decimal (-28.0 points), else in percent of the baseline (alert_percent: -31.8%). Java's
-- MetricJudge.inPoints is the same rule (Alert.change words the alert's change by it); AlertChangeTextTest checks that
-- the two agree.
CREATE OR REPLACE FUNCTION alert_change_text(p_relative float8, p_baseline float8, p_proportion boolean)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_proportion AND p_baseline BETWEEN 0 AND 1 AND abs(x.delta) <= 1
                THEN signed_one_decimal(100 * x.delta) || ' points'
                ELSE alert_percent(p_relative) END
    FROM (SELECT p_relative * abs(p_baseline) AS delta) x
$$;

-- Grades again, by value p_value of the series' newest judged run p_tx, the active alerts of the series' metric raised
-- before it (alert_severity_now) and keeps the highest grade reached (severity_now, a high-water mark): a grade above it
-- is an event of its history (source 'severity', its state unchanged), as a firing Grafana alert whose value crosses a
-- higher threshold; a lower one changes nothing, so a change moving back and forth across a threshold is announced once.
-- The event words the changes as the alert does (alert_change_text, p_proportion: whether the metric is a proportion).
CREATE OR REPLACE FUNCTION alert_regrade(p_series_id integer, p_metric text, p_tx bigint, p_run_at timestamptz,
                                         p_value float8, p_major float8, p_critical float8, p_proportion boolean)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_alert record;
    v_was   text;
    v_now   text;
BEGIN
    FOR v_alert IN
        SELECT a.* FROM alerts a JOIN benchmark_transactions t ON t.id = a.raised_tx
        WHERE a.series_id = p_series_id AND a.metric = p_metric AND a.state IN ('open', 'acknowledged', 'muted')
          AND (t.run_at, t.id) < (p_run_at, p_tx)
        ORDER BY a.id FOR UPDATE OF a
    LOOP
        v_was := coalesce(v_alert.severity_now, v_alert.severity);
        v_now := alert_severity_now(v_alert.severity, v_alert.magnitude, v_alert.baseline, p_value, p_major, p_critical);
        IF coalesce(array_position(ARRAY['minor', 'major', 'critical'], v_now), 0)
           > coalesce(array_position(ARRAY['minor', 'major', 'critical'], v_was), 0) THEN
            UPDATE alerts a SET severity_now = v_now WHERE a.id = v_alert.id;
            INSERT INTO alert_events (alert_id, state, actor, comment, source)
            -- (escalates only when alert_severity_now scales: the baseline is not 0 and the magnitude known)
            VALUES (v_alert.id, v_alert.state, 'benchmon', 'severity escalated from ' || coalesce(v_was, 'none') || ' to '
                    || v_now || ': ' || p_metric || ' ' || benchmon_format_value(p_value) || ' in run ' || p_tx
                    || ' against the baseline ' || benchmon_format_value(v_alert.baseline) || ' ('
                    || alert_change_text((p_value - v_alert.baseline) / abs(v_alert.baseline), v_alert.baseline, p_proportion)
                    || '; it opened at '
                    || alert_change_text(v_alert.magnitude, v_alert.baseline, p_proportion) || ')', 'severity');
        END IF;
    END LOOP;
END;
$$;

-- Grades again, from the runs that count now, the active alerts of run p_tx's series raised before it, after p_tx was
-- excluded (p_kind 'excluded') or included again ('included'). alert_regrade keeps a high-water mark, so a run that
-- escalated an alert and was then excluded left its grade on the alert (now_severity "critical" from a run no history
-- showed any more). Only a run that can have set an alert's grade changes it: an exclusion, of a run whose own grade
-- (alert_severity_now at its value) reached the alert's grade now, lowers it to the highest grade of the opening and of
-- the newest p_window counted runs after the run the alert was raised on (the detection window, Java's
-- DetectionSettings.DEFAULT_WINDOW: read newest first through the log's per-series index, so a long-open alert's
-- thousands of runs are not read); an inclusion, of a run that counts and whose own grade is above the alert's, raises
-- it to the highest of those and of the run's. Each change is an event of the alert's history (source 'severity', its
-- state unchanged). Called by the toolkit's Annotations after annotate_run, in its transaction, with the grades' bounds
-- (Java's Severity, as alert_record_findings takes them) and the window. Returns each alert whose grade changed, with
-- its state (the annotation's answer lists it, change 'regraded').
-- (The form without p_window, which read every counted run after the alert's, is dropped; its result lacked state.)
DROP FUNCTION IF EXISTS alert_regrade_counted(bigint, text, float8, float8);
CREATE OR REPLACE FUNCTION alert_regrade_counted(p_tx bigint, p_kind text, p_major float8, p_critical float8,
                                                 p_window integer)
RETURNS TABLE (alert_id bigint, state text, severity_was text, severity_now text)
LANGUAGE plpgsql SECURITY DEFINER AS $$
#variable_conflict use_column
DECLARE
    v_series integer;
    v_run_at timestamptz;
    v_alert  record;
    v_was    text;
    v_run    text;
    v_now    text;
    v_grades CONSTANT text[] := ARRAY['minor', 'major', 'critical'];
BEGIN
    IF p_kind IS NULL OR p_kind NOT IN ('excluded', 'included') THEN
        RAISE EXCEPTION 'kind must be excluded or included; got %', coalesce(p_kind, 'nothing')
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'kind';
    END IF;
    IF p_window IS NULL OR p_window < 1 THEN
        RAISE EXCEPTION 'window must be a number of runs, 1 or more; got %', coalesce(p_window::text, 'nothing')
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'window';
    END IF;
    SELECT t.series_id, t.run_at INTO v_series, v_run_at FROM benchmark_transactions t WHERE t.id = p_tx;
    IF v_series IS NULL THEN
        RAISE EXCEPTION 'run % not found', p_tx USING ERRCODE = 'no_data_found';
    END IF;
    FOR v_alert IN
        SELECT a.id, a.state, a.metric, a.severity, a.severity_now, a.magnitude, a.baseline, a.raised_tx,
               r.run_at AS raised_at
        FROM alerts a JOIN benchmark_transactions r ON r.id = a.raised_tx
        WHERE a.series_id = v_series AND a.state IN ('open', 'acknowledged', 'muted') AND a.severity IS NOT NULL
          AND (r.run_at, r.id) < (v_run_at, p_tx)
        ORDER BY a.id FOR UPDATE OF a
    LOOP
        v_was := coalesce(v_alert.severity_now, v_alert.severity);
        -- The run's own grade: an excluded run by its value; an included one only when it counts (not a replaced attempt).
        SELECT alert_severity_now(v_alert.severity, v_alert.magnitude, v_alert.baseline, (t.metrics ->> v_alert.metric)::float8,
                                  p_major, p_critical) INTO v_run
        FROM benchmark_log t
        WHERE t.series_id = v_series AND t.run_at = v_run_at AND t.id = p_tx
          AND jsonb_typeof(t.metrics -> v_alert.metric) = 'number'
          AND (p_kind = 'excluded' OR EXISTS (SELECT 1 FROM alert_counted_runs(v_series, v_alert.metric) c
                                             WHERE c.run_at = v_run_at AND c.transaction_id = p_tx));
        CONTINUE WHEN v_run IS NULL
            OR CASE WHEN p_kind = 'excluded'
                    THEN coalesce(array_position(v_grades, v_run), 0) < coalesce(array_position(v_grades, v_was), 0)
                    ELSE coalesce(array_position(v_grades, v_run), 0) <= coalesce(array_position(v_grades, v_was), 0) END;
        SELECT g.grade INTO v_now
        FROM (SELECT alert_severity_now(v_alert.severity, v_alert.magnitude, v_alert.baseline, w.value, p_major,
                                        p_critical) AS grade
              FROM (SELECT c.value FROM alert_counted_runs_after(v_series, v_alert.raised_tx, v_alert.raised_at,
                                                                 v_alert.metric) c
                    ORDER BY c.run_at DESC, c.transaction_id DESC
                    LIMIT p_window) w
              UNION ALL SELECT v_alert.severity
              UNION ALL SELECT v_run WHERE p_kind = 'included') g
        ORDER BY coalesce(array_position(v_grades, g.grade), 0) DESC
        LIMIT 1;
        CONTINUE WHEN v_now IS NOT DISTINCT FROM v_was
            OR (p_kind = 'excluded') <> (coalesce(array_position(v_grades, v_now), 0)
                                         < coalesce(array_position(v_grades, v_was), 0));
        UPDATE alerts a SET severity_now = CASE WHEN v_now = a.severity THEN NULL ELSE v_now END WHERE a.id = v_alert.id;
        INSERT INTO alert_events (alert_id, state, actor, comment, source)
        VALUES (v_alert.id, v_alert.state, 'benchmon',
                'severity ' || CASE WHEN p_kind = 'excluded' THEN 'back to ' || v_now || ' from ' || v_was
                                    ELSE 'escalated again from ' || v_was || ' to ' || v_now END
                || ': run ' || p_tx || CASE WHEN p_kind = 'excluded' THEN ' excluded' ELSE ' included again' END
                || ', graded again from the runs of ' || v_alert.metric || ' that count', 'severity');
        alert_id := v_alert.id; state := v_alert.state; severity_was := v_was; severity_now := v_now;
        RETURN NEXT;
    END LOOP;
END;
$$;

-- How many runs of a series lie after the earlier of two of its runs, up to and including the later
-- (0 for the same run): the distance between two estimates of where a shift starts. Counts at most
-- p_cap + 1 runs (through the per-series index), so it stays cheap for runs far apart.
-- This form takes each run's run_at as well (a change point's run_at_after, a verdict's run_at, V20) and only
-- counts; a NULL run_at is looked up by id (the four-argument form below).
-- PL/pgSQL, not SQL: a SQL function called from a query is planned again at every call (PostgreSQL
-- before 18), and its plan spans every month of the log: 1.9 ms of planning per call, measured on
-- PostgreSQL 15 with 13 months, against 0.1 ms to run it. PL/pgSQL keeps its plans for the session, but only
-- a generic plan is kept: under the default plan_cache_mode the plan cache compares it with the custom plans,
-- which prune the months at planning and so always look cheaper, and plans the count again at every call (1.3-1.5 ms
-- a call, 0.01 ms to run it, in a push at 1M results on PostgreSQL 17). The generic plan prunes the months when it
-- starts (PostgreSQL's initial pruning), so it reads the same index ranges; before PostgreSQL 18 it still locks every
-- month at each call, which costs far less than planning them.
-- It reads the log by series id (the view would join the series' names back to the id).
CREATE OR REPLACE FUNCTION series_run_distance(p_series_id integer, p_a bigint, p_a_at timestamptz,
                                               p_b bigint, p_b_at timestamptz, p_cap integer)
RETURNS integer
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_lo_at timestamptz := p_a_at;
    v_lo_id bigint := p_a;
    v_hi_at timestamptz := p_b_at;
    v_hi_id bigint := p_b;
    v_count integer;
BEGIN
    IF p_a_at IS NULL OR p_b_at IS NULL THEN
        RETURN series_run_distance(p_series_id, p_a, p_b, p_cap);
    END IF;
    IF (p_b_at, p_b) < (p_a_at, p_a) THEN
        v_lo_at := p_b_at;
        v_lo_id := p_b;
        v_hi_at := p_a_at;
        v_hi_id := p_a;
    END IF;
    SELECT count(*)::integer INTO v_count FROM (
        SELECT 1 FROM benchmark_log t
        WHERE t.series_id = p_series_id
          -- plain bounds on run_at keep this a range scan of the per-series index (and prune the months)
          AND t.run_at >= v_lo_at AND t.run_at <= v_hi_at
          AND (t.run_at, t.id) > (v_lo_at, v_lo_id) AND (t.run_at, t.id) <= (v_hi_at, v_hi_id)
        LIMIT p_cap + 1
    ) x;
    RETURN v_count;
END;
$$;

-- The same for two runs known by id only: their run_at first, in one lookup (by id alone it probes the key of
-- every month, 58-97 us with 13 months on PostgreSQL 15, against 15 us for the count). Runs not in the log: 0.
CREATE OR REPLACE FUNCTION series_run_distance(p_series_id integer, p_a bigint, p_b bigint, p_cap integer)
RETURNS integer
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_a_at timestamptz;
    v_b_at timestamptz;
BEGIN
    SELECT max(t.run_at) FILTER (WHERE t.id = p_a), max(t.run_at) FILTER (WHERE t.id = p_b) INTO v_a_at, v_b_at
    FROM benchmark_log t WHERE t.id IN (p_a, p_b);
    IF v_a_at IS NULL OR v_b_at IS NULL THEN
        RETURN 0;
    END IF;
    RETURN series_run_distance(p_series_id, p_a, v_a_at, p_b, v_b_at, p_cap);
END;
$$;

-- Whether a run whose metric is p_value is back at the level before an alert's change: less than half its change at the
-- opening away from the alert's baseline (p_baseline) in the change's direction (from p_raised, the value the alert was
-- raised on: alerts.raised_value, never `current`, which each run the alert follows overwrites, so a drop that deepens
-- does not widen the band that resolves it; else p_magnitude, relative to the baseline). So a run at or beyond the old
-- level on the good side is back (f1 0.88, a drop to 0.74, then 0.95): it was not when the band was half the change on
-- either side of the baseline, and such an alert stayed open, failing push --fail-on-regression, after the metric had
-- recovered past its old level. The direction is the alert's own (the sign of p_magnitude, its change relative to
-- |baseline|), else that of p_raised: the detector passes the median of the shift's runs as p_raised, which runs that
-- came back past the old level can put on the good side (and an alert the old rule kept open has such runs). A shift
-- that persisted is not back, even when the engine, whose baseline is then the new
-- segment, judges it within noise; from a baseline of 0 (an error count) the change is told by p_raised. NULL when
-- nothing tells the levels apart (no value, no baseline, no size of the change): each caller says what that means for
-- it. (The old forms are dropped: a parameter's name cannot be replaced.)
DROP FUNCTION IF EXISTS alert_back_at_baseline(float8, float8, float8);
DROP FUNCTION IF EXISTS alert_back_at_baseline(float8, float8, float8, float8);
CREATE OR REPLACE FUNCTION alert_back_at_baseline(p_baseline float8, p_raised float8, p_magnitude float8, p_value float8)
RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT (p_value - p_baseline) * sign(coalesce(p_magnitude, p_raised - p_baseline))
           < coalesce(abs(p_raised - p_baseline), abs(p_magnitude * p_baseline)) / 2
$$;

-- Whether a series' newest run is already back from a change point, by the rule that resolves an alert a change point
-- raised (alert_record_findings, 'within_noise'), so that the change point opens no alert: that run (its stored verdict:
-- p_outcome, p_late, p_current) judged ok or improved, less than half the change (to p_level_after) from the level
-- before (p_level_before) in the change's direction (alert_back_at_baseline: beyond the level before is back), and either a later change point of the metric (p_later_change) or the run clearly off the level
-- after (3 noise sd, p_sd). A missing value (NULL) answers false, except in either way off the level after: a NULL p_sd
-- with p_later_change true, or a NULL p_later_change with the run 3 sd off, answers true. The corpus evaluation restates it in Java
-- (CorpusEvaluation.backFrom, to count the alerts the product opens); BackFromParityTest holds the two to the same
-- answers on the corpus's cases.
CREATE OR REPLACE FUNCTION alert_change_point_back_from(p_outcome text, p_late boolean, p_current float8,
                                                        p_level_before float8, p_level_after float8, p_sd float8,
                                                        p_later_change boolean)
RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(p_late = false AND p_outcome IN ('ok', 'improvement')
                    AND alert_back_at_baseline(p_level_before, p_level_after, NULL, p_current)
                    AND (abs(p_current - p_level_after) >= 3 * p_sd OR p_later_change), false)
$$;

-- Records what the detector found for the runs just stored, and returns what changed.
-- p_findings: a JSON array of objects
--   {"series_id": 3, "metric": "f1", "kind": "regression" | "change_point" | "within_noise",
--    "transaction_id": 42, "baseline": 0.9, "current": 0.8, "magnitude": -0.11, "severity": "major",
--    "text": "f1 0.9 -> 0.8 (-11.1%)", "commit_from": "abc", "commit_to": "def", "tx_before": 40,
--    "shift_tx": 41, "seen_in": 44, "confidence": 0.999, "near_runs": 3, "proportion": true, "current_text": "0.8000",
--    "change_points_by_run": [{"transaction_id": 43, "value_text": "0.9012", "kind": "within_noise",
--                              "change_points": [12]}]}
-- (shift_tx: first run of the shift, default transaction_id; tx_before: the last run before the shift, whose commit is
-- commit_from; seen_in: the newest run, which the alert follows, default transaction_id; confidence: change points
-- only; near_runs: how far apart two estimates of one shift's start may be, default 3; recent_runs: how many newest runs
-- a change point is recent in, default 30; proportion: whether the metric is a proportion, by Java's MetricSemantics,
-- default false; current_text: current as the alerts' texts word it, Java's MetricJudge.formatValue, default
-- benchmon_format_value(current), the same text;
-- change_points_by_run: Java's Finding.changePointsByRun, the runs of a push of several runs after which the series'
-- change points of the metric changed, oldest first, with the first runs of the change points the series then has,
-- default none.)
-- An alert opened keeps the run before its shift (before_transaction_id, V34): tx_before, as the detector knows it.
-- A finding without tx_before (a caller of the toolkit's Alerts.record) has it looked up once here (alert_run_before),
-- and commit_from, when it gives none, is that run's commit.
-- One alert per shift:
-- * A regression opens an alert, unless the same finding is already recorded (a re-sent push) or an
--   active alert (open, acknowledged, muted) of the same series and metric exists, which then follows
--   the newer run (last_transaction_id and current only: the follow's own shift, commits and verdict are not the
--   alert's, whose commit range, run and verdict stay those of the change it was raised on). A followed alert that a
--   series mute muted opens again (change 'opened') once no mute covers the run any more; an alert a person muted
--   stays muted.
-- * A change point (transaction_id = its first run) that starts within near_runs runs of the shift of
--   an alert of the same series and metric (any kind, any state: acknowledged, expected or resolved
--   shifts are not announced again), or before the shift of an active alert of them (the per-run test alerted
--   inside the change's segment), confirms that alert: its change_point_* columns are set and the
--   change is 'confirmed'. Otherwise it opens an alert of kind change_point.
-- * A newest run (regression or within_noise) after which the series' first change point after the one confirming an
--   alert of its metric (none within near_runs runs of it any more) is a change in the same direction moved it: the
--   alert (of either kind) keeps it at that place, with an event ("change point moved in run 61: ..."), and that
--   change point's finding then confirms the same alert (an alert it confirms already is the same shift). One placed
--   again within near_runs runs (its row gone, so nothing is withdrawn) is named anew by its change point finding, with
--   the same event.
-- * A newest run (regression or within_noise) that withdrew the change point confirming an alert of its metric (the
--   series has none within near_runs runs of it any more) clears the alert's change_point_* columns, with an event
--   saying so ("change point withdrawn in run 46: acc,none 0.7108 is back ..."), in the run that withdrew it (of a push
--   of several runs, the first whose change_points_by_run has none near it; else the finding's run); recent_runs
--   bounds it to change points still recent.
-- An alert opens 'muted' when a mute of the series (or of the metric) covers the later of the run's
-- time and now. 'within_noise' (a metric judged fine) resolves the active alerts of that series and
-- metric raised by earlier runs whose level the run is back at: nearer the alert's baseline than half
-- the alert's change at its opening (a shift that persisted is the new baseline of the engine, not a recovery),
-- and, for an alert a change point raised or confirmed, clearly off the level after it (3 noise sd) or once that change
-- point is no longer the series' last change of the metric (the detector placed the return, or withdrew the change).
-- p_major, p_critical: the sizes from which a change is major, critical (Java's dev.benchmon.detect.Severity, the one
-- place they are written), with which alert_regrade grades the alerts' changes again.
-- Returns one row per alert (with its series) that opened (change 'opened', state open or muted), was confirmed by a
-- change point ('confirmed') or resolved ('resolved').
-- (The form without series_id in its rows is dropped while it exists: a function's result cannot be replaced.)
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_proc p
               WHERE p.oid = to_regprocedure('alert_record_findings(jsonb, float8, float8)')
                 AND NOT 'series_id' = ANY (p.proargnames)) THEN
        DROP FUNCTION alert_record_findings(jsonb, float8, float8);
    END IF;
END;
$$;
-- The lock under which a series' alerts are opened or followed (alert_record_findings, and a push before its replaced
-- attempts' resolves), made active or expected (alert_set_state, alert_unmute, unmute_series of an alert) or reopened
-- by an exclusion (annotate_run): one
-- transaction at a time per series, held to its commit, so that the later one sees the other's alert and the rule of
-- one active alert per series and metric holds under concurrency. Every taker takes it before it locks any alert row,
-- so that a row's holder never waits for it while its holder waits for the row.
-- Transaction-scoped advisory locks on 128 keys (series id modulo 128), each taken once, in key order, so that two
-- transactions locking several series do not wait for each other in a cycle on them; a key, not one lock per series,
-- because each lock takes a slot of the server's shared lock table (max_locks_per_transaction times the connections,
-- 6,400 by default) and a write of 10,000 results may hold findings of as many series. Two series of one key wait for
-- each other while both take it at once (a push with regressions, a person's triage into an active or expected state,
-- an exclusion): each holds it for one transaction, so the wait is one commit at most (an import's alerting batch,
-- which may hold every key, about a second).
CREATE OR REPLACE FUNCTION alerts_of_series_lock(p_series_ids integer[])
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_key integer;
BEGIN
    FOR v_key IN SELECT DISTINCT s % 128 FROM unnest(p_series_ids) AS s WHERE s IS NOT NULL ORDER BY 1 LOOP
        PERFORM pg_advisory_xact_lock(hashtext('benchmon.alerts_of_series'), v_key);
    END LOOP;
END;
$$;

CREATE OR REPLACE FUNCTION alert_record_findings(p_findings jsonb, p_major float8, p_critical float8)
RETURNS TABLE (alert_id bigint, series_id integer, change text, state text)
LANGUAGE plpgsql SECURITY DEFINER AS $$
#variable_conflict use_column
DECLARE
    f        jsonb;
    v_series integer;
    v_metric text;
    v_kind   text;
    v_tx     bigint;
    v_run_at timestamptz;
    v_id     bigint;
    v_state  text;
    v_mute   record;
    v_shift  bigint;
    v_seen   bigint;
    v_near   integer;
    v_before bigint;
    v_from   text;
    v_cp     record;
    v_by     jsonb;
    v_active boolean;
    v_on_cp  boolean;
BEGIN
    IF p_findings IS NULL OR jsonb_typeof(p_findings) <> 'array' THEN
        RAISE EXCEPTION 'alert_record_findings expects a JSON array of findings' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- One writer at a time decides whether a series' findings open alerts or follow them (alerts_of_series_lock), for
    -- the series whose findings may open one (a regression, a change point). An import's alerting beside a push of the
    -- same series, or a person reopening a resolved or expected alert of it (alert_set_state), waits, then sees this
    -- one's alerts. Without it both looked for an active alert of the metric, found none, and two became active for one
    -- change. Taken here before any alert row; a push takes it earlier still, before its replaced attempts' resolves
    -- lock active alerts (Benchmon.recordJudged), and then this takes nothing new.
    PERFORM alerts_of_series_lock(ARRAY(
        SELECT (e ->> 'series_id')::integer FROM jsonb_array_elements(p_findings) AS e
        WHERE e ->> 'kind' IN ('regression', 'change_point') AND e ->> 'series_id' IS NOT NULL));
    FOR f IN SELECT e FROM jsonb_array_elements(p_findings) AS e LOOP
        v_series := (f ->> 'series_id')::integer;
        v_metric := f ->> 'metric';
        v_kind   := f ->> 'kind';
        v_tx     := (f ->> 'transaction_id')::bigint;
        -- A run judged within noise acts on the active alerts of its series and metric alone (it regrades them, moves
        -- or withdraws their change points, resolves them): with none there is nothing to read. Most findings are such
        -- (every judged metric of every run a push or an import judged is one), and the reads below cost a probe of
        -- every month of the log each: an import of 50,000 results over 900 series spent 1.4-2.3 s here on 4,500
        -- findings that changed nothing, 0.17 s with this test (PostgreSQL 15, 13 months). (A push leaves out the
        -- within-noise findings of series without any active alert before it calls this.) Such a finding is not
        -- checked either: a transaction id not in the log, or a value that is no number, raises only when an alert
        -- would act on it (the engine's findings always name stored runs).
        -- One probe of the series and metric's active alerts answers this test and the change-point test below
        -- (alert_regrade, between them, changes grades only).
        SELECT count(*) > 0, coalesce(bool_or(a.change_point_tx IS NOT NULL), false) INTO v_active, v_on_cp
        FROM alerts a WHERE a.series_id = v_series AND a.metric = v_metric AND a.state IN ('open', 'acknowledged', 'muted');
        CONTINUE WHEN v_kind = 'within_noise' AND NOT v_active;
        SELECT t.run_at INTO v_run_at FROM benchmark_transactions t WHERE t.id = v_tx;
        IF v_run_at IS NULL THEN
            RAISE EXCEPTION 'finding names transaction %, which is not in the log', v_tx USING ERRCODE = 'no_data_found';
        END IF;
        -- The newest judged run grades the change of the alerts it follows or is back from (before any resolves).
        IF v_kind IN ('regression', 'within_noise') AND (f ->> 'current') IS NOT NULL THEN
            PERFORM alert_regrade(v_series, v_metric, v_tx, v_run_at, (f ->> 'current')::float8, p_major, p_critical,
                                  coalesce((f ->> 'proportion')::boolean, false));
        END IF;
        -- A change point that confirmed an alert of this metric and that the series, with this run in it, no longer has
        -- (none within near_runs runs of it in detection_change_points, which store_detections has just replaced): this
        -- run withdrew it (a dip of three or four runs, this run back at the level before: a pulse, no change of level).
        -- It confirms the alert no more (its change_point_* columns are cleared, so the API, the Alerts tab and the
        -- series page agree), and an event of its history says so. Only an active alert's (before this run resolves
        -- it): an expected alert's baseline starts at its run, so its change point leaves the history without being
        -- withdrawn, and a resolved one stays as it was resolved. Only while the change point is recent (its first
        -- run among recent_runs newest runs, as a change point alerts): one that left the detector's history is not
        -- withdrawn. An alert a change point opened (kind change_point) keeps it: that is what it was raised on.
        -- A change point the series has moved (its first stored change point after it is in the same direction, at
        -- most 2 * near_runs runs on, and no other alert's) is not withdrawn but moved: the alert, of either kind,
        -- keeps it at its new place, and an event says so.
        -- (Read only when the series and metric hold an active alert on a change point: the loop's query, a join over
        -- every month of the log, finds nothing otherwise, and many active alerts are not confirmed: 0.8 ms a finding
        -- in a single-POST load with 112 open alerts, PostgreSQL 15, 13 months, timed by auto_explain.)
        IF v_kind IN ('regression', 'within_noise') AND v_on_cp THEN
            v_near := coalesce((f ->> 'near_runs')::integer, 3);
            FOR v_cp IN
                SELECT a.id, a.state, a.kind, a.change_point_tx, c.run_at AS cp_at, moved.tx_after AS moved_tx,
                       moved.confidence AS moved_confidence,
                       coalesce(moved.commit_before, 'id ' || moved.tx_before) || '..'
                           || coalesce(moved.commit_after, 'id ' || moved.tx_after) AS moved_range
                FROM alerts a
                -- (the run by id and series, a lookup per alert: see the same-shift query below)
                CROSS JOIN LATERAL (SELECT l.id, l.run_at FROM benchmark_log l
                                    WHERE l.id = a.change_point_tx AND l.series_id = v_series OFFSET 0) c
                -- Moved, not withdrawn: the series' first stored change point after the one that confirmed the alert,
                -- when it is a change in the same direction (more runs can place one change later, e.g. a weak step
                -- the search first placed at its first noisy run, 4 runs early). The series then reads as the same
                -- change in a new place, not as an excursion that came back (whose next change, if any, is the return,
                -- in the other direction).
                LEFT JOIN LATERAL (
                    SELECT p.tx_after, p.tx_before, p.commit_before, p.commit_after, p.confidence
                    FROM (SELECT p.* FROM detection_change_points p
                          WHERE p.series_id = v_series AND p.metric = v_metric
                            AND (p.run_at_after, p.tx_after) > (c.run_at, c.id)
                          ORDER BY p.run_at_after, p.tx_after LIMIT 1) p
                    WHERE sign(p.magnitude) = sign(a.magnitude)
                      -- Plausibly the same change: at most 2 * near_runs runs on (a re-placement moves it by about one
                      -- shortest segment, 4 runs in the cases seen). Further on, the nearer runs held no change of this
                      -- direction: the old one was an excursion that came back, and this one is a change of its own
                      -- (a back-fill of runs back at the old level and a new drop 10 runs on), which alerts apart.
                      AND series_run_distance(v_series, c.id, c.run_at, p.tx_after, p.run_at_after, 2 * v_near)
                          <= 2 * v_near
                      -- Nor onto a place that already has an alert of its own (opened there, or confirmed by it): two
                      -- alerts on one change point; this one's change point is withdrawn instead.
                      AND NOT EXISTS (SELECT 1 FROM alerts o
                                      WHERE o.series_id = v_series AND o.metric = v_metric AND o.id <> a.id
                                        AND (o.change_point_tx = p.tx_after OR o.transaction_id = p.tx_after))) moved ON true
                WHERE a.series_id = v_series AND a.metric = v_metric AND a.change_point_tx IS NOT NULL
                  -- (the lookup's key again, outside it: FOR UPDATE re-checks a row a concurrent push changed with the
                  -- WHERE clause, while a lookup's row is kept as it was read; so a change point moved meanwhile drops
                  -- the alert here, as the join did, instead of acting on the run it named before)
                  AND c.id = a.change_point_tx
                  AND (a.kind <> 'change_point' OR moved.tx_after IS NOT NULL)
                  AND a.state IN ('open', 'acknowledged', 'muted')
                  AND (c.run_at, c.id) < (v_run_at, v_tx)
                  AND series_run_distance(v_series, c.id, c.run_at, v_tx, v_run_at,
                                          coalesce((f ->> 'recent_runs')::integer, 30)) < coalesce((f ->> 'recent_runs')::integer, 30)
                  AND NOT EXISTS (SELECT 1 FROM detection_change_points p
                                  WHERE p.series_id = v_series AND p.metric = v_metric
                                    AND series_run_distance(v_series, p.tx_after, p.run_at_after, c.id, c.run_at, v_near) <= v_near)
                ORDER BY a.id
                FOR UPDATE OF a
            LOOP
                -- The run that withdrew or moved it: in a push of several runs, the first after the change point whose
                -- series has none within near_runs runs of it (change_points_by_run, from the engine's judgements), else
                -- this run.
                v_by := NULL;
                SELECT w.e INTO v_by
                FROM jsonb_array_elements(coalesce(f -> 'change_points_by_run', '[]')) WITH ORDINALITY AS w(e, i)
                JOIN benchmark_log r ON r.id = (w.e ->> 'transaction_id')::bigint AND r.series_id = v_series
                WHERE (r.run_at, r.id) > (v_cp.cp_at, v_cp.change_point_tx)
                  AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(w.e -> 'change_points') p
                                  WHERE series_run_distance(v_series, p::bigint, v_cp.change_point_tx, v_near) <= v_near)
                ORDER BY w.i LIMIT 1;
                IF v_cp.moved_tx IS NOT NULL THEN
                    -- It keeps confirming the alert from its new place (an alert a change point opened too: its run
                    -- and verdict stay those it was raised on), so the change point finding of that place that follows
                    -- finds this alert and opens no second one; an event says where it went.
                    UPDATE alerts a SET change_point_tx = v_cp.moved_tx, change_point_confidence = v_cp.moved_confidence,
                                        change_point_at = now()
                    WHERE a.id = v_cp.id;
                    INSERT INTO alert_events (alert_id, state, actor, comment, source)
                    VALUES (v_cp.id, v_cp.state, 'benchmon', 'change point moved in run '
                            || coalesce(v_by ->> 'transaction_id', v_tx::text) || ': with the runs since, the detector'
                            || ' places the change point that ' || CASE WHEN v_cp.kind = 'change_point'
                                                                        THEN 'raised' ELSE 'confirmed' END
                            || ' this alert at run ' || v_cp.moved_tx || ' (' || v_cp.moved_range || '), no longer at run '
                            || v_cp.change_point_tx, 'detector');
                    CONTINUE;
                END IF;
                UPDATE alerts a SET change_point_tx = NULL, change_point_confidence = NULL, change_point_at = NULL
                WHERE a.id = v_cp.id;
                INSERT INTO alert_events (alert_id, state, actor, comment, source)
                VALUES (v_cp.id, v_cp.state, 'benchmon', 'change point withdrawn in run '
                        || coalesce(v_by ->> 'transaction_id', v_tx::text) || ': '
                        || CASE WHEN coalesce(v_by ->> 'kind', v_kind) = 'within_noise'
                                THEN v_metric || ' '
                                     || coalesce(v_by ->> 'value_text', f ->> 'current_text',
                                              benchmon_format_value((f ->> 'current')::float8))
                                     || ' is back at the old level, so the change point'
                                     || ' of run ' || v_cp.change_point_tx || ' that confirmed this alert was a short'
                                     || ' excursion, not a change of level'
                                ELSE 'the series has no change point within ' || v_near || ' runs of run '
                                     || v_cp.change_point_tx || ', whose change point confirmed this alert' END,
                        'detector');
            END LOOP;
        END IF;
        IF v_kind = 'within_noise' THEN
            FOR v_id IN
                SELECT a.id FROM alerts a
                -- (the runs by id and series, a lookup per alert: see the same-shift query below)
                CROSS JOIN LATERAL (SELECT l.id, l.run_at FROM benchmark_log l
                                    WHERE l.id = a.transaction_id AND l.series_id = v_series OFFSET 0) t
                CROSS JOIN LATERAL (SELECT l.id, l.run_at FROM benchmark_log l
                                    WHERE l.id = coalesce(a.shift_tx, a.transaction_id) AND l.series_id = v_series
                                    OFFSET 0) sh
                -- The shift's level: the median of its runs that count, from its first to the run before this one (at
                -- most a detection window of them). Not the value the alert was raised on: that is the run most out of
                -- band (a 2 sd step alerted at -2.8 points whose runs sat at -2.0 took a run at -1.4, within noise of
                -- the new level, as "back": half-way was measured from the extreme run).
                LEFT JOIN LATERAL (
                    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY w.v) AS level
                    FROM (SELECT (l.metrics ->> v_metric)::float8 AS v
                          FROM benchmark_log l
                          WHERE l.series_id = v_series AND (l.run_at, l.id) >= (sh.run_at, sh.id)
                            AND (l.run_at, l.id) < (v_run_at, v_tx) AND l.metrics -> v_metric IS NOT NULL
                            AND jsonb_typeof(l.metrics -> v_metric) = 'number'
                            AND NOT EXISTS (SELECT 1 FROM excluded_runs x WHERE x.transaction_id = l.id)
                          ORDER BY l.run_at, l.id LIMIT 30) w) shifted ON true
                WHERE a.series_id = v_series AND a.metric = v_metric AND a.state IN ('open', 'acknowledged', 'muted')
                  AND t.id = a.transaction_id AND sh.id = coalesce(a.shift_tx, a.transaction_id) -- (re-checked: above)
                  AND (t.run_at, t.id) < (v_run_at, v_tx)
                  -- Back within noise means back at the old level: after a shift that persisted, the engine's
                  -- baseline is the new segment and judges the shifted runs fine; that is not a recovery.
                  -- So the run must also be nearer the alert's baseline than half the change: the shift's level
                  -- (above), else the value it was raised with.
                  -- (levels nothing tells apart: the engine's within-noise verdict decides)
                  AND coalesce(alert_back_at_baseline(a.baseline, coalesce(shifted.level, a.raised_value), a.magnitude,
                                                      (f ->> 'current')::float8), true)
                  -- Nor while the run is within 3 noise sd of the level after the change point the alert stands on,
                  -- and that change point is still the series' last change of this metric (detection_change_points
                  -- holds the series with this run in it): with every run in view the detector still sees the shift in
                  -- effect, and such a run is noise about the new level (a 2 sd step: a run at the new level is nearer
                  -- the old one than half the change in 1 run of 6). The runs back resolve it once one is clearly off
                  -- the new level, or the detector places the return (a later change point) or withdraws the change.
                  AND NOT EXISTS (
                      SELECT 1 FROM detection_change_points p
                      JOIN benchmark_transactions c ON c.id = a.change_point_tx
                      WHERE p.series_id = v_series AND p.metric = v_metric
                        AND sign(p.magnitude) = sign(a.magnitude)
                        AND abs((f ->> 'current')::float8 - p.level_after) < 3 * p.sd
                        AND series_run_distance(v_series, p.tx_after, p.run_at_after, c.id, c.run_at,
                                                coalesce((f ->> 'near_runs')::integer, 3))
                            <= coalesce((f ->> 'near_runs')::integer, 3)
                        AND NOT EXISTS (SELECT 1 FROM detection_change_points q
                                        WHERE q.series_id = v_series AND q.metric = v_metric
                                          AND (q.run_at_after, q.tx_after) > (p.run_at_after, p.tx_after)))
                ORDER BY a.id
                FOR UPDATE OF a
            LOOP
                PERFORM alert_move(v_id, 'resolved', 'benchmon',
                        'back within noise in run ' || v_tx || coalesce(': ' || (f ->> 'text'), ''), 'detector');
                -- The run that resolved it (V41): excluding that run judges the alert again (annotate_run).
                UPDATE alerts a SET resolved_tx = v_tx WHERE a.id = v_id;
                alert_id := v_id; series_id := v_series; change := 'resolved'; state := 'resolved';
                RETURN NEXT;
            END LOOP;
            CONTINUE;
        END IF;
        IF v_kind IS NULL OR v_kind NOT IN ('regression', 'change_point') THEN
            RAISE EXCEPTION 'finding kind must be regression, change_point or within_noise, got %', v_kind
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF v_metric IS NULL OR v_series IS NULL THEN
            RAISE EXCEPTION 'finding needs series_id and metric' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        v_shift := coalesce((f ->> 'shift_tx')::bigint, v_tx);
        v_seen  := coalesce((f ->> 'seen_in')::bigint, v_tx);
        IF EXISTS (SELECT 1 FROM alerts a WHERE a.series_id = v_series AND a.metric = v_metric
                   AND a.kind = v_kind AND a.transaction_id = v_tx) THEN
            CONTINUE; -- already recorded (the same push sent again)
        END IF;
        IF v_kind = 'change_point' THEN
            v_near := coalesce((f ->> 'near_runs')::integer, 3);
            v_id := NULL;
            -- The same shift: an alert whose shift starts within near_runs runs of the change point, or an active one
            -- whose shift starts inside the change's segment (the per-run test alerted at a noisy run after the change,
            -- which the detector then placed earlier: a 2 sd step got a second alert in 1 step of 6 so). Inside: no
            -- other stored change point lies after this one and before, or within near_runs runs of, the alert's shift
            -- (that one is the alert's own change; this one is then a shift of its own, alerted apart).
            SELECT a.id INTO v_id FROM alerts a
            -- The runs an alert names, each looked up by id in its series (a probe of each month's key per alert): as
            -- joins to benchmark_transactions, the plan hashed every month of the log, read whole, against the few
            -- alerts of one series (16,480 results: 10 ms a change-point finding against 0.4 ms; a single-POST load
            -- spent most of its database time here, PostgreSQL 15). OFFSET 0 keeps each a lookup.
            CROSS JOIN LATERAL (SELECT l.id, l.run_at FROM benchmark_log l
                                WHERE l.id = coalesce(a.shift_tx, a.transaction_id) AND l.series_id = v_series
                                OFFSET 0) s
            LEFT JOIN LATERAL (SELECT l.id, l.run_at FROM benchmark_log l
                               WHERE l.id = a.change_point_tx AND l.series_id = v_series OFFSET 0) m
                   ON a.change_point_tx <> s.id AND m.id = a.change_point_tx
            -- (each lookup's key again, outside it: FOR UPDATE re-checks a row a concurrent push changed with the
            -- join and WHERE conditions, while a lookup's row is kept as it was read)
            WHERE a.series_id = v_series AND a.metric = v_metric AND s.id = coalesce(a.shift_tx, a.transaction_id)
              -- (or whose change point, placed elsewhere than its shift, starts within near_runs runs of this one: the
              -- one it moved to, see the withdrawals above, placed a run or two on once more runs came)
              AND (a.change_point_tx = v_tx
                   OR m.id IS NOT NULL AND series_run_distance(v_series, m.id, m.run_at, v_tx, v_run_at, v_near) <= v_near
                   OR series_run_distance(v_series, s.id, s.run_at, v_tx, v_run_at, v_near) <= v_near
                   OR a.state IN ('open', 'acknowledged', 'muted') AND (s.run_at, s.id) > (v_run_at, v_tx)
                      AND NOT EXISTS (
                          SELECT 1 FROM detection_change_points q
                          WHERE q.series_id = v_series AND q.metric = v_metric
                            AND (q.run_at_after, q.tx_after) > (v_run_at, v_tx)
                            AND ((q.run_at_after, q.tx_after) <= (s.run_at, s.id)
                                 OR series_run_distance(v_series, q.tx_after, q.run_at_after, s.id, s.run_at, v_near) <= v_near)))
            ORDER BY (a.change_point_tx = v_tx) DESC NULLS LAST, a.id DESC LIMIT 1
            FOR UPDATE OF a;
            IF v_id IS NOT NULL THEN
                -- The same shift as an alert already raised: the change point confirms it, no second alert.
                UPDATE alerts a SET change_point_tx = v_tx, change_point_confidence = (f ->> 'confidence')::float8,
                                    change_point_at = now()
                WHERE a.id = v_id AND a.change_point_tx IS NULL;
                IF FOUND THEN
                    alert_id := v_id; series_id := v_series; change := 'confirmed'; state := (SELECT a.state FROM alerts a WHERE a.id = v_id);
                    RETURN NEXT;
                    CONTINUE;
                END IF;
                -- Its change point placed again within near_runs runs (its stored row gone, this one in its stead: the
                -- same place to the withdrawals above): it names this one, whose commit range the alert then shows.
                -- Only an active alert's: a resolved or expected one stays as it was left. The commits it names are
                -- the ones a reader bisects, so, as for a change point moved further (above), an event of its history
                -- says where it went: without one the range on the page changed with nothing in the log to say when or
                -- why (and the detector can place a weak step back and forth; each place it showed is in the log).
                SELECT a.change_point_tx, a.kind, a.state INTO v_cp FROM alerts a
                WHERE a.id = v_id AND a.change_point_tx <> v_tx AND a.state IN ('open', 'acknowledged', 'muted')
                  AND NOT EXISTS (SELECT 1 FROM detection_change_points p WHERE p.series_id = v_series
                                  AND p.metric = v_metric AND p.tx_after = a.change_point_tx);
                IF FOUND THEN
                    UPDATE alerts a SET change_point_tx = v_tx, change_point_confidence = (f ->> 'confidence')::float8,
                                        change_point_at = now()
                    WHERE a.id = v_id;
                    INSERT INTO alert_events (alert_id, state, actor, comment, source)
                    VALUES (v_id, v_cp.state, 'benchmon', 'change point moved in run ' || v_seen
                            || ': with the runs since, the detector places the change point that '
                            || CASE WHEN v_cp.kind = 'change_point' THEN 'raised' ELSE 'confirmed' END
                            || ' this alert at run ' || v_tx || ' ('
                            || coalesce(nullif(f ->> 'commit_from', ''), 'id ' || (f ->> 'tx_before')) || '..'
                            || coalesce(nullif(f ->> 'commit_to', ''), 'id ' || v_tx) || '), no longer at run '
                            || v_cp.change_point_tx, 'detector');
                END IF;
                CONTINUE;
            END IF;
            -- A change that the series' newest run (seen_in, as detection_verdicts holds its verdict) is already back
            -- from, by the rule that resolves an alert a change point raised (below, 'within_noise'): judged ok or
            -- improved, nearer the level before than half the change, and either the detector has placed a later
            -- change of the metric (the return) or the run is clearly off the level after (3 noise sd). One push that
            -- holds the dip and the runs back (a back-fill) would open the alert and leave it open, failing
            -- push --fail-on-regression on a change its own newest verdict says is over: the runs back resolve only
            -- alerts open before them. Opens nothing, as pushed one run at a time it would have opened and resolved.
            IF EXISTS (
                SELECT 1 FROM detection_verdicts v
                JOIN detection_change_points p ON p.series_id = v.series_id AND p.metric = v.metric AND p.tx_after = v_tx
                WHERE v.series_id = v_series AND v.metric = v_metric AND v.transaction_id = v_seen
                  AND alert_change_point_back_from(v.outcome, v.late, v.current, p.level_before, p.level_after, p.sd,
                          EXISTS (SELECT 1 FROM detection_change_points q
                                  WHERE q.series_id = v_series AND q.metric = v_metric
                                    AND (q.run_at_after, q.tx_after) > (p.run_at_after, p.tx_after)))) THEN
                CONTINUE;
            END IF;
        ELSE
            SELECT a.id INTO v_id FROM alerts a
            WHERE a.series_id = v_series AND a.metric = v_metric
              AND a.state IN ('open', 'acknowledged', 'muted')
            ORDER BY a.id DESC LIMIT 1
            FOR UPDATE;
            IF v_id IS NOT NULL THEN
                -- Still regressed: the alert someone is already looking at follows the newer run: its last run and
                -- value. What it is about stays that of its change (the run it names, its shift, its commit range and
                -- verdict): its commit range runs from the run before the change to the change's first run, never to
                -- the run it follows, so both ends and the verdict's "since commit" keep naming the same change.
                UPDATE alerts a SET last_transaction_id = v_tx, current = (f ->> 'current')::float8
                WHERE a.id = v_id
                  AND (SELECT (t.run_at, t.id) FROM benchmark_transactions t WHERE t.id = a.last_transaction_id) < (v_run_at, v_tx);
                -- The detector's own follow, apart from where an exclusion may have moved last_transaction_id: what
                -- including that run again restores.
                UPDATE alerts a SET followed_tx = v_tx, followed_value = (f ->> 'current')::float8
                WHERE a.id = v_id
                  AND (SELECT (t.run_at, t.id) FROM benchmark_transactions t WHERE t.id = a.followed_tx) < (v_run_at, v_tx);
                -- Muted by a series mute (not by a person) and that mute is over: still regressed, so it opens
                -- again and is announced, as a silenced Grafana alert fires again when its silence ends.
                IF EXISTS (SELECT 1 FROM alerts a WHERE a.id = v_id AND a.state = 'muted')
                   AND alert_muted_by_mute(v_id)
                   AND NOT EXISTS (SELECT 1 FROM series_mutes m
                                   WHERE m.series_id = v_series AND mute_covers(m, v_metric, greatest(v_run_at, now())))
                THEN
                    PERFORM alert_move(v_id, 'open', 'benchmon', 'mute expired and still regressed in run ' || v_tx
                            || coalesce(': ' || (f ->> 'text'), ''), 'detector');
                    alert_id := v_id; series_id := v_series; change := 'opened'; state := 'open';
                    RETURN NEXT;
                END IF;
                CONTINUE;
            END IF;
        END IF;
        SELECT m.id, m.reason, m.expires_at INTO v_mute FROM series_mutes m
        WHERE m.series_id = v_series AND mute_covers(m, v_metric, greatest(v_run_at, now()))
        ORDER BY m.ends_at DESC LIMIT 1;
        v_state := CASE WHEN v_mute.id IS NULL THEN 'open' ELSE 'muted' END;
        v_before := (f ->> 'tx_before')::bigint;
        v_from := f ->> 'commit_from';
        -- Looked up only when the finding names neither: a run looked up beside the caller's commit_from could be
        -- another run than that commit's, and an alert's commit_from is the commit of its run before.
        IF v_before IS NULL AND nullif(v_from, '') IS NULL THEN
            SELECT b.transaction_id, b.commit_sha INTO v_before, v_from
            FROM (SELECT 1) one
            LEFT JOIN alert_run_before(v_series, v_shift,
                    (SELECT t.run_at FROM benchmark_log t
                     WHERE t.id = v_shift AND t.series_id = v_series AND t.run_at <= v_run_at), v_metric) b ON true;
        END IF;
        v_id := NULL;
        INSERT INTO alerts AS a (series_id, metric, kind, transaction_id, raised_tx, last_transaction_id, followed_tx,
                                 before_transaction_id, commit_from, commit_to, baseline, current, raised_value,
                                 followed_value, magnitude, severity, verdict, state, shift_tx, change_point_tx,
                                 change_point_confidence, change_point_at)
        VALUES (v_series, v_metric, v_kind, v_tx, v_tx, v_seen, v_seen, v_before, v_from, f ->> 'commit_to',
                (f ->> 'baseline')::float8, (f ->> 'current')::float8, (f ->> 'current')::float8,
                (f ->> 'current')::float8, (f ->> 'magnitude')::float8,
                f ->> 'severity', coalesce(f ->> 'text', v_kind), v_state, v_shift,
                CASE WHEN v_kind = 'change_point' THEN v_tx END,
                CASE WHEN v_kind = 'change_point' THEN (f ->> 'confidence')::float8 END,
                CASE WHEN v_kind = 'change_point' THEN now() END)
        ON CONFLICT ON CONSTRAINT alerts_finding_key DO NOTHING
        RETURNING a.id INTO v_id;
        IF v_id IS NULL THEN
            CONTINUE; -- a concurrent push recorded the same finding
        END IF;
        INSERT INTO alert_events (alert_id, state, actor, comment, source)
        VALUES (v_id, v_state, 'benchmon',
                CASE WHEN v_state = 'muted'
                     THEN 'opened muted: ' || v_mute.reason || ' (mute ' || v_mute.id || ' until ' || to_char(v_mute.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ')'
                     ELSE 'opened: ' || coalesce(f ->> 'text', v_kind) END, 'detector');
        alert_id := v_id; series_id := v_series; change := 'opened'; state := v_state;
        RETURN NEXT;
    END LOOP;
END;
$$;

-- Resolves the active alerts of series p_series_ids that an attempt a CI re-run replaced raised alone: the alert names
-- the attempt (transaction_id), a later attempt of its run is stored (benchmark_latest_attempts), and no counted run
-- after the attempt reports its metric (alert_newest_run_after: the replaced attempt was its only evidence). A
-- replaced attempt is no run of its series' history, so the re-run is judged in its place; but detection and
-- alert_record_findings order runs by run_at, and a re-run whose tool wrote an earlier time than its first attempt is
-- "before" that attempt: its verdict neither resolved the attempt's alert (back within noise) nor followed it (still
-- regressed), and the alert stayed open, on a run no history shows, until the series' next run. Called on the push's
-- transaction after the re-run is judged and before its findings are recorded: the re-run's verdict then opens an alert
-- of its own when it still regressed (the alert is replaced), none when it is back within noise (the alert resolves).
-- An alert whose change later runs also show stays as it is (they carry it). Returns each resolved alert, as
-- alert_record_findings does.
-- (The form without series_id in its rows is dropped while it exists: a function's result cannot be replaced.)
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_proc p
               WHERE p.oid = to_regprocedure('alert_resolve_replaced_attempts(integer[])')
                 AND NOT 'series_id' = ANY (p.proargnames)) THEN
        DROP FUNCTION alert_resolve_replaced_attempts(integer[]);
    END IF;
END;
$$;
CREATE OR REPLACE FUNCTION alert_resolve_replaced_attempts(p_series_ids integer[])
RETURNS TABLE (alert_id bigint, series_id integer, change text, state text)
LANGUAGE plpgsql SECURITY DEFINER AS $$
#variable_conflict use_column
DECLARE
    v record;
BEGIN
    -- Most series have no run tried twice, and then no alert of theirs names a replaced attempt: the join below (each
    -- alert's run found by id in every month of the log, and the counted runs after it) is neither planned nor run.
    -- A push of a series with an active alert spent 3.5 ms here for nothing (PostgreSQL 15, 13 months, no re-runs).
    IF NOT EXISTS (SELECT 1 FROM benchmark_latest_attempts la WHERE la.series_id = ANY (p_series_ids)) THEN
        RETURN;
    END IF;
    FOR v IN
        SELECT a.id, a.series_id, t.id AS replaced, t.attempt, la.attempt AS latest,
               (SELECT n.id FROM benchmark_log n
                WHERE n.run_key = t.run_key AND n.attempt = la.attempt ORDER BY n.id LIMIT 1) AS rerun
        FROM alerts a
        JOIN benchmark_log t ON t.id = a.transaction_id AND t.series_id = a.series_id
        JOIN benchmark_latest_attempts la ON la.run_key = t.run_key AND la.attempt > t.attempt
        WHERE a.series_id = ANY (p_series_ids) AND la.series_id = ANY (p_series_ids)
          AND a.state IN ('open', 'acknowledged', 'muted')
          AND NOT EXISTS (SELECT 1 FROM alert_newest_run_after(a.series_id, t.id, t.run_at, a.metric))
        ORDER BY a.id
        FOR UPDATE OF a
    LOOP
        PERFORM alert_move(v.id, 'resolved', 'benchmon', 'run ' || v.replaced || ' (attempt ' || v.attempt
                || ' of its CI run) was replaced by attempt ' || v.latest || coalesce(' (run ' || v.rerun || ')', '')
                || ', which is judged in its place', 'detector');
        alert_id := v.id; series_id := v.series_id; change := 'resolved'; state := 'resolved';
        RETURN NEXT;
    END LOOP;
END;
$$;

-- Where the baseline of each metric of series p_series_id restarts: the run of the newest alert marked expected
-- (baseline_resets, one row per expected alert, V36) whose run counts: not excluded and not an attempt a CI re-run
-- replaced. An older expected alert's run holds when a newer one's is excluded or leaves 'expected'. Newest by the run's
-- run_at, then transaction id. One row per metric: (metric, run_at, transaction_id). The one definition the detection
-- engine's load (DetectionService) and detect_regressions read; a plain SQL function, inlined into its callers, read
-- through baseline_resets_series_metric_idx (a few rows per series: its expected alerts).
CREATE OR REPLACE FUNCTION baseline_reset_in_force(p_series_id integer)
RETURNS TABLE (metric text, run_at timestamptz, transaction_id bigint)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (r.metric) r.metric, r.run_at, r.transaction_id
    FROM baseline_resets r
    JOIN benchmark_log l ON l.id = r.transaction_id AND l.run_at = r.run_at
    WHERE r.series_id = p_series_id
      AND NOT EXISTS (SELECT 1 FROM excluded_runs e WHERE e.transaction_id = r.transaction_id)
      AND NOT EXISTS (SELECT 1 FROM benchmark_latest_attempts la WHERE la.run_key = l.run_key AND la.attempt > l.attempt)
    ORDER BY r.metric, r.run_at DESC, r.transaction_id DESC
$$;

-- The active alert (open, acknowledged or muted) of p_alert's series and metric other than p_alert, the newest should
-- there be more than one: the alert that follows the metric's change now. The one definition of "a newer alert follows
-- the change" that alert_set_state's refusal beside it, alert_change_stands and the dashboard's triage menu
-- (Alerts.followedBy) read; no row when none is active. Read through alerts_series_metric_idx.
CREATE OR REPLACE FUNCTION alert_active_beside(p_alert alerts)
RETURNS TABLE (id bigint, state text)
LANGUAGE sql STABLE AS $$
    SELECT o.id, o.state FROM alerts o
    WHERE o.series_id = p_alert.series_id AND o.metric = p_alert.metric AND o.id <> p_alert.id
      AND o.state IN ('open', 'acknowledged', 'muted')
    ORDER BY o.id DESC LIMIT 1
$$;

-- Changes an alert's state, appending who, why and from where to alert_events.
-- p_state: open, acknowledged, expected (the alert's run becomes the start of the baseline of its
-- series and metric, while it is the newest expected alert there whose run counts), resolved or muted. Leaving
-- 'expected' drops that baseline start again, and the older expected alert's start holds again.
-- A muted alert that this moves to another state (a person handles it: acknowledges, marks expected, resolves or opens
-- it) ends the series mutes in force that its own mute created (alert_end_own_mutes, V38): the mute was for this alert,
-- and left in force it would keep silencing new alerts of the metric after the alert is handled. The other alerts that
-- those mutes alone silenced open again, as on unmute (a silence's end fires what it hid, as in Alertmanager); mutes a
-- person made for the series on their own, or another alert's mute made, stay. Returned as ended_mute_ids (empty when
-- none) and alert_changes ([{"alert_id": 7, "series_id": 3, "change": "opened", "state": "open"}], '[]' when none).
-- p_how: how the end of those mutes is worded ('alert 12, whose mute created it, <p_how>'); NULL: by the new state
-- (acknowledged, marked expected, resolved, opened), the one place these words are written. alert_unmute passes
-- 'unmuted'. Returned as ended_how (NULL when it did not take the alert out of its mute): callers word the end as the
-- mutes' end_reason does.
-- (The older forms, without p_how and the mutes ended, or without ended_how, are dropped while they exist: a
-- function's arguments and result cannot be replaced.)
DROP FUNCTION IF EXISTS alert_set_state(bigint, text, text, text, text);
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_proc p
               WHERE p.oid = to_regprocedure('alert_set_state(bigint, text, text, text, text, text)')
                 AND NOT 'ended_how' = ANY (p.proargnames)) THEN
        DROP FUNCTION alert_set_state(bigint, text, text, text, text, text);
    END IF;
END;
$$;
CREATE OR REPLACE FUNCTION alert_set_state(p_alert_id bigint, p_state text, p_actor text, p_comment text,
                                           p_source text DEFAULT 'api', p_how text DEFAULT NULL)
RETURNS TABLE (event_id bigint, alert_id bigint, state text, previous_state text, at timestamptz,
               ended_mute_ids bigint[], alert_changes jsonb, ended_how text)
LANGUAGE plpgsql SECURITY DEFINER AS $$
#variable_conflict use_column
DECLARE
    v_alert alerts%ROWTYPE;
    v_event bigint;
    v_at    timestamptz;
    v_own   record;
BEGIN
    IF p_state IS NULL OR p_state NOT IN ('open', 'acknowledged', 'expected', 'resolved', 'muted') THEN
        RAISE EXCEPTION 'state must be one of open, acknowledged, expected, resolved, muted; got %', coalesce(p_state, 'nothing')
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'state';
    END IF;
    IF p_actor IS NULL OR btrim(p_actor) = '' THEN
        RAISE EXCEPTION 'actor must name who changes the state'
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'actor';
    END IF;
    -- Moving an alert into an active state, or marking it expected, takes, before its row, the lock under which a push's
    -- findings open or follow alerts of the series (alerts_of_series_lock): a push's new alert and a reopen (or a
    -- resolved alert marked expected, refused below beside an active one) are then one after the other, and the later one
    -- sees the other (the refusal below, or the push following the reopened alert). Whatever state the alert is in now:
    -- read without its row lock, a state can change before the row is locked (resolved meanwhile).
    IF p_state IN ('open', 'acknowledged', 'muted', 'expected') THEN
        PERFORM alerts_of_series_lock(ARRAY(SELECT a.series_id FROM alerts a WHERE a.id = p_alert_id));
    END IF;
    SELECT * INTO v_alert FROM alerts a WHERE a.id = p_alert_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'alert % not found', p_alert_id USING ERRCODE = 'no_data_found';
    END IF;
    -- The refusals below are conflicts with the alert's state (55000, HTTP 409), not bad arguments: the request is well
    -- formed, and the message says what to do instead.
    -- One active alert per series and metric: once the detector opened a newer alert of the metric (the change came
    -- back, or went further), that one follows the runs, and a reopened old one beside it would count the metric twice
    -- (and its grade would be of runs it no longer follows). The exclusion-driven reopen keeps the same rule
    -- (alert_change_stands). An expected alert is not active either: acknowledging, muting or opening it again
    -- beside the newer one is refused alike, and so is marking a resolved one expected (its run would become the
    -- baseline under the newer alert's change). Checked first: the refusals below would name a remedy this refuses.
    IF p_state IN ('open', 'acknowledged', 'muted', 'expected') AND v_alert.state IN ('resolved', 'expected')
       AND p_state <> v_alert.state THEN
        SELECT b.id, b.state INTO v_own FROM alert_active_beside(v_alert) b;
        IF FOUND THEN
            RAISE EXCEPTION 'alert % is %, and alert % of the same series and metric (%) is % and follows its change now: triage that one (benchmon alerts show %)',
                p_alert_id, v_alert.state, v_own.id, v_alert.metric, v_own.state, v_own.id
                USING ERRCODE = 'object_not_in_prerequisite_state', COLUMN = 'alert';
        END IF;
    END IF;
    -- A resolved alert is not acknowledged: its change is over (back at the old level, or closed by a person), and the
    -- acknowledgement counted it active again without a word, beside a grade of a change that is gone. PagerDuty and
    -- Opsgenie refuse to acknowledge a resolved incident alike; whoever sees the change back opens the alert again.
    -- A mute alike: a muted alert counts as active, and its unmute opened the change that was over.
    IF p_state IN ('acknowledged', 'muted') AND v_alert.state = 'resolved' THEN
        RAISE EXCEPTION 'alert % is resolved, so there is nothing to %: if its change is back, open it again first (Reopen on the dashboard, benchmon alerts reopen %, or state open in the API)%',
            p_alert_id, CASE p_state WHEN 'muted' THEN 'mute' ELSE 'acknowledge' END, p_alert_id,
            CASE WHEN p_state = 'muted' THEN '; to silence later alerts of its metric, mute the series metric (benchmon alerts mute --series-id '
                 || v_alert.series_id || ' --metric ' || v_alert.metric || ' --reason TEXT --for 7d)' ELSE '' END
            USING ERRCODE = 'object_not_in_prerequisite_state', COLUMN = 'alert';
    END IF;
    -- (After the state refusals: a mute of a resolved alert is refused for its state, not first for its comment.)
    -- A mute silences an alert with no expiry: it needs a reason, as a mute of a series does (mute_series), so whoever
    -- finds it muted later reads why. The one rule for the API, the command line, the dashboard and the toolkit.
    IF p_state = 'muted' AND btrim(coalesce(p_comment, '')) = '' THEN
        RAISE EXCEPTION 'comment must say why the alert is muted (a mute needs a reason)'
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'comment';
    END IF;
    -- Setting the state an alert has already changes nothing: no second event (the history would say someone took it
    -- up twice), and the answer is the event that set the state: a person's (or the API's) event after which the alert
    -- never left that state. An alert an exclusion, a mute or the detector put in the state was not set so by a person:
    -- the person's state change is recorded, as it would be from another state (an alert an exclusion resolved is
    -- resolved by a person anew, so including the run again leaves it resolved). A mute has no expiry; an alert a
    -- series mute silenced is muted by the person now, so it stays muted when that mute ends.
    IF p_state <> 'open' AND v_alert.state = p_state
       AND (p_state <> 'muted' OR NOT coalesce(alert_muted_by_mute(p_alert_id), false)) THEN
        SELECT e.id, e.at INTO v_event, v_at FROM alert_events e
        WHERE e.alert_id = p_alert_id AND e.state = p_state AND e.source NOT IN ('annotation', 'severity', 'mute', 'detector')
          AND NOT EXISTS (SELECT 1 FROM alert_events o WHERE o.alert_id = p_alert_id AND o.id > e.id AND o.state <> p_state)
        ORDER BY e.id DESC LIMIT 1;
    END IF;
    -- Opening an open alert changes nothing either (a reopen sent twice, or of an alert the detector opened meanwhile):
    -- the answer is the event that began its open spell, whoever's it was (the detector's opening, an exclusion's
    -- restore, a person's reopen); the regrades within the spell keep the state.
    IF p_state = 'open' AND v_alert.state = 'open' THEN
        SELECT e.id, e.at INTO v_event, v_at FROM alert_events e
        WHERE e.alert_id = p_alert_id AND e.state = 'open'
          AND NOT EXISTS (SELECT 1 FROM alert_events o WHERE o.alert_id = p_alert_id AND o.id > e.id AND o.state <> 'open')
        ORDER BY e.id LIMIT 1;
    END IF;
    IF v_event IS NULL THEN
        SELECT m.event_id, m.event_at INTO v_event, v_at
        FROM alert_move(p_alert_id, p_state, btrim(p_actor), nullif(btrim(coalesce(p_comment, '')), ''),
                        coalesce(p_source, 'api')) m;
    END IF;
    -- One baseline_resets row per expected alert (V36); which one is in force is baseline_reset_in_force's question.
    IF p_state = 'expected' THEN
        INSERT INTO baseline_resets (series_id, metric, transaction_id, run_at, alert_id)
        SELECT v_alert.series_id, v_alert.metric, t.id, t.run_at, v_alert.id
        FROM benchmark_transactions t WHERE t.id = v_alert.transaction_id
        ON CONFLICT (alert_id) DO NOTHING;
    ELSIF v_alert.state = 'expected' THEN
        DELETE FROM baseline_resets r WHERE r.alert_id = p_alert_id;
    END IF;
    ended_mute_ids := '{}'; alert_changes := '[]'; ended_how := NULL;
    IF v_alert.state = 'muted' AND p_state <> 'muted' THEN
        ended_how := coalesce(p_how, CASE p_state WHEN 'expected' THEN 'marked expected' WHEN 'open' THEN 'opened'
                                                  ELSE p_state END);
        SELECT * INTO v_own FROM alert_end_own_mutes(p_alert_id, p_actor, ended_how, p_comment);
        ended_mute_ids := v_own.ended_mute_ids; alert_changes := v_own.alert_changes;
    END IF;
    event_id := v_event; alert_id := p_alert_id; state := p_state; previous_state := v_alert.state; at := v_at;
    RETURN NEXT;
END;
$$;

-- The runs of series p_series_id that count: every result of the series in the log but the runs triage excluded
-- (excluded_runs) and the attempts a CI re-run replaced (benchmark_latest_attempts), as detection reads the series.
-- The one definition of "a run that counts" for the alert functions (alert_counted_runs) and the import's alerting
-- step (Benchmon.stillNewest: is a judged run still its series' newest that counts). A plain SQL function, inlined
-- into its callers with their bounds on run_at, so a caller's ORDER BY run_at DESC ... LIMIT 1 stays a range scan of
-- the per-series index. (The detection engine's own load reads the excluded runs apart, to show them: its history
-- leaves out only the replaced attempts.)
CREATE OR REPLACE FUNCTION series_counted_runs(p_series_id integer)
RETURNS TABLE (transaction_id bigint, run_at timestamptz, metrics jsonb)
LANGUAGE sql STABLE AS $$
    SELECT t.id, t.run_at, t.metrics
    FROM benchmark_log t
    WHERE t.series_id = p_series_id
      AND NOT EXISTS (SELECT 1 FROM excluded_runs x WHERE x.transaction_id = t.id)
      AND NOT EXISTS (SELECT 1 FROM benchmark_latest_attempts l WHERE l.run_key = t.run_key AND l.attempt > t.attempt)
$$;

-- The runs of a series that count (series_counted_runs) as its evidence for p_metric: those reporting the metric as a
-- number. One definition for the questions below; plain SQL functions, inlined into their callers (as
-- series_counted_runs into this one) with the callers' bounds on run_at, so each caller's ORDER BY ... LIMIT 1 stays
-- a range scan of the per-series index.
CREATE OR REPLACE FUNCTION alert_counted_runs(p_series_id integer, p_metric text)
RETURNS TABLE (transaction_id bigint, run_at timestamptz, value float8)
LANGUAGE sql STABLE AS $$
    SELECT c.transaction_id, c.run_at, (c.metrics ->> p_metric)::float8
    FROM series_counted_runs(p_series_id) c
    WHERE jsonb_typeof(c.metrics -> p_metric) = 'number'
$$;

-- The counted runs of a series (alert_counted_runs) after run p_tx, at p_run_at.
CREATE OR REPLACE FUNCTION alert_counted_runs_after(p_series_id integer, p_tx bigint, p_run_at timestamptz, p_metric text)
RETURNS TABLE (transaction_id bigint, run_at timestamptz, value float8)
LANGUAGE sql STABLE AS $$
    SELECT r.transaction_id, r.run_at, r.value FROM alert_counted_runs(p_series_id, p_metric) r
    WHERE r.run_at >= p_run_at AND (r.run_at, r.transaction_id) > (p_run_at, p_tx)
$$;

-- The newest counted run before run p_tx (at p_run_at), with its commit: the run before a change whose first run is
-- p_tx, as the detector's last run of the baseline. No row when there is none. Only alert_record_findings asks it, when
-- a finding does not say that run (tx_before): the alert stores it (alerts.before_transaction_id, V34), so an alert
-- read looks nothing up (planned over every month of the log at each read, this lookup took a read's planning from
-- 22-32 ms to 32-56 ms with 36 months on PostgreSQL 15).
-- (It was alert_newest_run_before, which the read called and which returned the id alone: dropped.)
DROP FUNCTION IF EXISTS alert_newest_run_before(integer, bigint, timestamptz, text);
CREATE OR REPLACE FUNCTION alert_run_before(p_series_id integer, p_tx bigint, p_run_at timestamptz, p_metric text)
RETURNS TABLE (transaction_id bigint, commit_sha text)
LANGUAGE sql STABLE AS $$
    SELECT r.transaction_id, t.commit_sha
    FROM alert_counted_runs(p_series_id, p_metric) r
    JOIN benchmark_log t ON t.id = r.transaction_id AND t.run_at = r.run_at AND t.series_id = p_series_id
    WHERE r.run_at <= p_run_at AND (r.run_at, r.transaction_id) < (p_run_at, p_tx)
    ORDER BY r.run_at DESC, r.transaction_id DESC
    LIMIT 1
$$;

-- The newest counted run after p_tx, with its value: what is left of a shift's evidence once p_tx is out of it.
-- No row when there is none. A set-returning plain SQL function with one SELECT, so PostgreSQL inlines it (and
-- alert_counted_runs_after) into a calling query: an alert read calls it per alert, and a call that is not inlined is
-- planned again each time, over every month of the log. (It returned one record of OUT parameters before, which is
-- never inlined: the old form is dropped, as a return type cannot be replaced; only that form, NOT proretset, so a
-- run of this file does not drop and create the current one again.)
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_proc p
               WHERE p.oid = to_regprocedure('alert_newest_run_after(integer, bigint, timestamptz, text)')
                 AND NOT p.proretset) THEN
        DROP FUNCTION alert_newest_run_after(integer, bigint, timestamptz, text);
    END IF;
END;
$$;
CREATE OR REPLACE FUNCTION alert_newest_run_after(p_series_id integer, p_tx bigint, p_run_at timestamptz, p_metric text)
RETURNS TABLE (transaction_id bigint, value float8)
LANGUAGE sql STABLE AS $$
    SELECT r.transaction_id, r.value FROM alert_counted_runs_after(p_series_id, p_tx, p_run_at, p_metric) r
    ORDER BY r.run_at DESC, r.transaction_id DESC
    LIMIT 1
$$;

-- The first counted run after p_tx that still shows an alert's change (not back at its baseline,
-- alert_back_at_baseline; levels nothing tells apart count as showing it): the run an alert names once p_tx, the run
-- it named, is excluded. NULL when there is none. (The old form is dropped: a parameter's name cannot be replaced.)
DROP FUNCTION IF EXISTS alert_first_run_after(integer, bigint, timestamptz, text, float8, float8, float8);
CREATE OR REPLACE FUNCTION alert_first_run_after(p_series_id integer, p_tx bigint, p_run_at timestamptz, p_metric text,
                                                 p_baseline float8, p_raised float8, p_magnitude float8)
RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT r.transaction_id FROM alert_counted_runs_after(p_series_id, p_tx, p_run_at, p_metric) r
    WHERE NOT coalesce(alert_back_at_baseline(p_baseline, p_raised, p_magnitude, r.value), false)
    ORDER BY r.run_at, r.transaction_id
    LIMIT 1
$$;

-- The newest counted run of an alert's change, from the run it names (transaction_id) on, with its value: the newest run
-- that still shows its change (not back at its baseline, alert_back_at_baseline; levels nothing tells apart count as
-- showing it), the run it names when no later one does. The run an alert follows once the run it followed is excluded
-- (annotate_run), so its last run, its `current` and its change now never come from an excluded run. No row when there
-- is none (the run it names is excluded itself).
CREATE OR REPLACE FUNCTION alert_newest_run_of_change(p_alert alerts)
RETURNS TABLE (transaction_id bigint, value float8)
LANGUAGE sql STABLE AS $$
    SELECT r.transaction_id, r.value
    FROM benchmark_transactions n, alert_counted_runs(p_alert.series_id, p_alert.metric) r
    WHERE n.id = p_alert.transaction_id AND r.run_at >= n.run_at AND (r.run_at, r.transaction_id) >= (n.run_at, n.id)
      AND NOT coalesce(alert_back_at_baseline(p_alert.baseline, p_alert.raised_value, p_alert.magnitude, r.value), false)
    ORDER BY r.run_at DESC, r.transaction_id DESC
    LIMIT 1
$$;

-- The run an alert names given the runs excluded now: the run it was raised on (raised_tx) when that counts, else the
-- first counted run after it that still shows its change (alert_first_run_after); NULL when there is none. It depends
-- on which runs are excluded, not on the order they were excluded in, so excluding and including runs in any order
-- ends where the runs still excluded alone lead (and every run included again names the raised run).
CREATE OR REPLACE FUNCTION alert_run_to_name(p_alert alerts)
RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM excluded_runs x WHERE x.transaction_id = p_alert.raised_tx)
                THEN p_alert.raised_tx
                ELSE (SELECT alert_first_run_after(p_alert.series_id, r.id, r.run_at, p_alert.metric, p_alert.baseline,
                                                   p_alert.raised_value, p_alert.magnitude)
                      FROM benchmark_transactions r WHERE r.id = p_alert.raised_tx) END
$$;

-- Makes an alert name run p_to instead of the run it names now (transaction_id): the shift's start (shift_tx) and the
-- change's commit (commit_to) move along where they were that run's. The run it was raised on stays in raised_tx.
-- False, and nothing changed, when another alert of the same finding key names p_to already (alerts_finding_key: one
-- row per finding). Called by annotate_run, as its owner.
CREATE OR REPLACE FUNCTION alert_name_run(p_alert_id bigint, p_to bigint)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_from_commit text;
    v_to_commit   text;
BEGIN
    SELECT f.commit_sha INTO v_from_commit FROM alerts a JOIN benchmark_transactions f ON f.id = a.transaction_id
    WHERE a.id = p_alert_id;
    SELECT t.commit_sha INTO v_to_commit FROM benchmark_transactions t WHERE t.id = p_to;
    UPDATE alerts a
    SET transaction_id = p_to,
        shift_tx = CASE WHEN coalesce(a.shift_tx, a.transaction_id) = a.transaction_id THEN p_to ELSE a.shift_tx END,
        commit_to = CASE WHEN a.commit_to IS NOT DISTINCT FROM v_from_commit THEN v_to_commit ELSE a.commit_to END
    WHERE a.id = p_alert_id
      AND NOT EXISTS (SELECT 1 FROM alerts o WHERE o.series_id = a.series_id AND o.metric = a.metric AND o.kind = a.kind
                      AND o.transaction_id = p_to AND o.id <> a.id);
    RETURN FOUND;
END;
$$;

-- The newest counted run after p_first (the run an alert names given the runs excluded now, alert_run_to_name) when the
-- alert's change is over by it: it is back at the old level (alert_back_at_baseline; levels nothing tells apart are not
-- back), or it is the run the detector resolved the alert on (resolved_tx, V41: the detector's own verdict, from the
-- shift's level, stands for that run). No row when the change persists to the newest counted run, or no run after
-- p_first counts.
CREATE OR REPLACE FUNCTION alert_newest_back(p_alert alerts, p_first bigint)
RETURNS TABLE (transaction_id bigint, value float8)
LANGUAGE sql STABLE AS $$
    SELECT n.transaction_id, n.value
    FROM benchmark_transactions f, alert_newest_run_after(p_alert.series_id, f.id, f.run_at, p_alert.metric) n
    WHERE f.id = p_first
      AND (n.transaction_id = p_alert.resolved_tx
           OR coalesce(alert_back_at_baseline(p_alert.baseline, p_alert.raised_value, p_alert.magnitude, n.value), false))
$$;

-- Whether run p_tx counts as evidence of alert p_alert's metric (alert_counted_runs: not excluded, reporting the metric,
-- and not an attempt a CI re-run replaced). Asked of the run the detector resolved an alert on (resolved_tx, V41): an
-- exclusion or inclusion judges the alert again once that run no longer counts, whether it was excluded or a re-run of
-- its CI run replaced it.
CREATE OR REPLACE FUNCTION alert_run_counts(p_alert alerts, p_tx bigint)
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM alert_counted_runs(p_alert.series_id, p_alert.metric) r WHERE r.transaction_id = p_tx)
$$;

-- Whether the resolution the detector gave an alert on run resolved_tx (V41) holds as it gave it: that run counts
-- (alert_run_counts: neither excluded nor replaced by a re-run) and the detector had the alert follow no run after it
-- (a run still showing the change, pushed while an exclusion of that run had the alert reopened, keeps it open: that
-- run would have opened an alert of its own).
CREATE OR REPLACE FUNCTION alert_resolution_holds(p_alert alerts)
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT p_alert.resolved_tx IS NOT NULL
       AND alert_run_counts(p_alert, p_alert.resolved_tx)
       AND EXISTS (SELECT 1 FROM benchmark_transactions r, benchmark_transactions f
                   WHERE r.id = p_alert.resolved_tx AND f.id = p_alert.followed_tx
                     AND (f.run_at, f.id) <= (r.run_at, r.id))
$$;

-- Whether a resolved alert's change still stands on the runs that count, so that an annotation puts it back in the
-- state it had: a run of its change counts (p_first, alert_run_to_name, not NULL), the newest counted run after it is
-- not back (alert_newest_back), and no other alert of its series and metric is active (that one follows the change).
-- An alert the detector resolved (resolved_tx) also stays resolved once an alert of its metric was opened after it:
-- that alert, in whatever state, tells the story of the runs since, which were judged with this one resolved.
CREATE OR REPLACE FUNCTION alert_change_stands(p_alert alerts, p_first bigint)
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT p_first IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM alert_newest_back(p_alert, p_first))
       AND NOT EXISTS (SELECT 1 FROM alert_active_beside(p_alert))
       AND NOT (p_alert.resolved_tx IS NOT NULL
                AND EXISTS (SELECT 1 FROM alerts o
                            WHERE o.series_id = p_alert.series_id AND o.metric = p_alert.metric AND o.id > p_alert.id))
$$;

-- Puts a resolved alert back in the state it had before it was resolved (the state of the event before its newest,
-- which is its resolution), with an event (who: p_actor, why: p_what, source 'annotation'). One that was open comes
-- back muted while a mute of its series covers its metric (the event, source 'mute', says "muted, as its series is"),
-- as an alert opened then would: an open alert would fail push --fail-on-regression, and nothing moves an open alert
-- to muted later. One a mute of its series silenced (alert_muted_by_mute: opened muted, or muted by the mute) comes back
-- open when no mute covers its metric now (the event, source 'mute', says "open, as no mute of its series covers it
-- now"), as a mute's end opens the alerts it silenced: muted with no mute in force, the change would be hidden and never
-- announced. One a person muted comes back muted: a person's mute has no expiry. Returns the state it is in now. Called by annotate_run, as its owner, for each alert an exclusion or
-- inclusion reopens.
CREATE OR REPLACE FUNCTION alert_reopen(p_alert_id bigint, p_actor text, p_what text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_before  text;
    v_covered boolean;
BEGIN
    SELECT e.state INTO v_before FROM alert_events e WHERE e.alert_id = p_alert_id ORDER BY e.id DESC OFFSET 1 LIMIT 1;
    v_covered := EXISTS (SELECT 1 FROM alerts a JOIN series_mutes m ON m.series_id = a.series_id
                         WHERE a.id = p_alert_id AND mute_covers(m, a.metric, now()));
    IF v_before = 'open' AND v_covered THEN
        PERFORM alert_move(p_alert_id, 'muted', p_actor, p_what || '; muted, as its series is', 'mute');
        RETURN 'muted';
    END IF;
    IF v_before = 'muted' AND NOT v_covered AND coalesce(alert_muted_by_mute(p_alert_id), false) THEN
        PERFORM alert_move(p_alert_id, 'open', p_actor, p_what || '; open, as no mute of its series covers it now', 'mute');
        RETURN 'open';
    END IF;
    PERFORM alert_move(p_alert_id, v_before, p_actor, p_what, 'annotation');
    RETURN v_before;
END;
$$;

-- Annotates a run without touching the log: 'note' (any text), 'excluded' (a bad push or a broken
-- runner: kept in the log, left out of baselines and detection; the reason is required) or
-- 'included' (undoes an exclusion).
-- Excluding or including a run moves its series' snapshot onto the newest run that counts (benchmark_snapshots_recompute,
-- V37), in the same transaction: the Current Snapshot and GET /api/v1/snapshots never show an excluded run's value.
-- The snapshot's run_count, first_seen and last_seen stay as they are: they count every run that arrived.
-- Excluding a run judges the active alerts it raised on the runs left: an alert resolves when no later run is left
-- (the run was its only evidence) or the newest later run is back at the old level (alert_back_at_baseline); when the
-- later runs still show the change it keeps its state and names the first later run of the change that is not excluded
-- (alert_name_run: its links then lead to a run that counts), and an event says the run was excluded, the change
-- persists and which run the alert names now. An active alert that follows the run but names an earlier one (it
-- followed a deeper run of its change) keeps its state and follows the newest run of its change left
-- (alert_newest_run_of_change: last_transaction_id and current), and an event says which.
-- Including an excluded run again judges again each alert of the series whose evidence the run is part of and that
-- exclusions moved or resolved, from the run it was raised on (alert_run_to_name), whatever the order of the
-- exclusions: an alert an exclusion resolved, with nothing appended to it since, goes back to the state it had, unless
-- the newest run is back at the old level or another alert of its series and metric is active; an alert (active or
-- reopened) names the first run of its change that counts again, and an event says so; once the run the detector last
-- had it follow counts again, it follows that run again (last_transaction_id and current, from followed_tx and
-- followed_value), and an event says so; while that run is still excluded, an active alert follows the newest run of
-- its change that counts. Once every run counts again, the alert names the run it was raised on and follows the run it
-- followed.
-- An alert the detector resolved on a run back at the old level (resolved_tx, V41), whose state nobody changed since,
-- is judged again when that run is excluded (or another run, while that one no longer counts: excluded, or replaced by
-- a later attempt of its CI run, alert_run_counts): when the runs that count still show its change
-- (alert_change_stands: the newest counted run after the run it names is not back, and no other alert of its metric is
-- active or was opened after it) it goes back to the state it had before (alert_reopen: open, acknowledged or muted;
-- muted when it was open and a mute of its series covers its metric, open when a mute of its series had silenced it and
-- none covers its metric now), names the first run of its change that counts, and an event says why ("run 35, which
-- resolved it, was excluded: ...; the change persists without it: f1 0.8000 in run 34 against the baseline 0.9000").
-- Including that run again resolves it again as the detector left it, naming the run it was raised on and following the
-- run it followed (alert_resolution_holds), unless the detector had it follow a later run meanwhile (a run still
-- showing the change, pushed while it was reopened); while that run stays excluded, including another resolves it once
-- the newest counted run after the run it names is back at the old level (alert_newest_back).
-- A person's resolution is never undone: any move but an annotation's or a mute's clears resolved_tx (alert_move).
-- Returns the annotation's id, the run's series and what happened to each alert it touched, a JSON array of
-- {"alert_id": 7, "series_id": 3, "change": "resolved" | "kept" | "reopened", "state": "open"} (kept: it stays in its state, naming
-- the first run of its change that counts; reopened: back in the state it had before an exclusion, or the detector on a
-- run excluded now, resolved it).
-- (It returned the resolved alerts' ids alone before: the old form is dropped, as a return type cannot be replaced.)
-- p_at is when the annotation was made, now() when NULL: an import copying an exported exclusion gives the time the
-- original was excluded (its "since"), so that the copy says when, as the original does.
DROP FUNCTION IF EXISTS annotate_run(bigint, text, text, text);
DROP FUNCTION IF EXISTS annotate_run(bigint, text, text, text, timestamptz);
CREATE OR REPLACE FUNCTION annotate_run(p_transaction_id bigint, p_kind text, p_text text, p_actor text,
                                        p_at timestamptz DEFAULT NULL)
RETURNS TABLE (annotation_id bigint, series_id integer, alert_changes jsonb)
LANGUAGE plpgsql SECURITY DEFINER AS $$
#variable_conflict use_column
DECLARE
    v_series   integer;
    v_run_at   timestamptz;
    v_id       bigint;
    v_alert    alerts%ROWTYPE;
    v_left     record;
    v_what     text;
    v_first    bigint;
    v_follow   record;
    v_moved    boolean;
    v_state    text;
    v_alerts   jsonb := '[]';
    v_included text;
BEGIN
    IF p_kind IS NULL OR p_kind NOT IN ('excluded', 'included', 'note') THEN
        RAISE EXCEPTION 'kind must be excluded, included or note; got %', coalesce(p_kind, 'nothing')
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'kind';
    END IF;
    -- An exclusion's text is its reason (excluded_runs.reason): a blank one is refused naming reason, as a mute's is,
    -- the one rule for the API, the command line, the dashboard and the toolkit.
    IF (p_text IS NULL OR btrim(p_text) = '') AND p_kind = 'excluded' THEN
        RAISE EXCEPTION 'reason must say why the run is excluded (an exclusion needs a reason)'
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'reason';
    END IF;
    IF p_text IS NULL OR btrim(p_text) = '' THEN
        RAISE EXCEPTION 'text must give the reason or the note'
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'text';
    END IF;
    IF p_actor IS NULL OR btrim(p_actor) = '' THEN
        RAISE EXCEPTION 'actor must name who annotates' USING ERRCODE = 'invalid_parameter_value', COLUMN = 'actor';
    END IF;
    -- An exclusion (or inclusion) and an ingest take turns: this waits for every ingest in flight to commit and makes
    -- later ingests wait for this one (each takes the same advisory lock, shared, first: ingest_staged_results). Without
    -- it, in READ COMMITTED neither sees the other's uncommitted rows: the recompute below missed a run being ingested
    -- (and moved the snapshot onto an older run), and the ingest missed the exclusion (and left the snapshot on an
    -- excluded run), until the series' next run. Taken before anything is read (so the statements below, each with a
    -- snapshot of its own, see every ingest that committed meanwhile) and before any row or lock an ingest holds is
    -- waited for (the log, the snapshots, the alerts): an annotation waiting here holds nothing an ingest needs, so
    -- the two never deadlock. Exclusive: annotations take turns with each other too (those of one series did already,
    -- by the advisory lock below; they are a person's actions, milliseconds each). A note changes no snapshot: none.
    IF p_kind <> 'note' THEN
        PERFORM pg_advisory_xact_lock(hashtext('benchmon.exclusions_and_ingests'));
    END IF;
    SELECT t.series_id, t.run_at INTO v_series, v_run_at FROM benchmark_transactions t WHERE t.id = p_transaction_id;
    IF v_series IS NULL THEN
        RAISE EXCEPTION 'run % not found', p_transaction_id USING ERRCODE = 'no_data_found';
    END IF;
    -- One annotation of a series at a time: an exclusion picks the first later run that is not excluded, which a
    -- concurrent exclusion in the same series could be excluding (its row not yet committed).
    PERFORM pg_advisory_xact_lock(hashtext('benchmon.annotate_run'), v_series);
    -- An exclusion or inclusion judges the series' alerts again and may reopen one: under the series' alert lock, taken
    -- before any alert row (alerts_of_series_lock), so a person's reopen of the same metric waits for it or it for them.
    IF p_kind <> 'note' THEN
        PERFORM alerts_of_series_lock(ARRAY[v_series]);
    END IF;
    -- Only an excluded run can be included again, and an excluded run is not excluded twice (a second reason would
    -- overwrite the first, and each would add an annotation row on the series page): refused naming run, nothing
    -- stored. A conflict with the run's state (55000, HTTP 409), as alert_set_state's refusals: the request is well
    -- formed. (Checked under the lock above: a concurrent exclusion of this run has committed or not started.)
    IF p_kind = 'included' AND NOT EXISTS (SELECT 1 FROM excluded_runs x WHERE x.transaction_id = p_transaction_id) THEN
        RAISE EXCEPTION 'run % is not excluded, so there is nothing to include again', p_transaction_id
            USING ERRCODE = 'object_not_in_prerequisite_state', COLUMN = 'run';
    END IF;
    IF p_kind = 'excluded' THEN
        SELECT * INTO v_left FROM excluded_runs x WHERE x.transaction_id = p_transaction_id;
        IF FOUND THEN
            RAISE EXCEPTION 'run % is excluded already, since % by %: %; to exclude it for another reason, include it again first',
                    p_transaction_id, iso_instant(v_left.since), v_left.actor, v_left.reason
                USING ERRCODE = 'object_not_in_prerequisite_state', COLUMN = 'run';
        END IF;
    END IF;
    INSERT INTO run_annotations AS r (transaction_id, series_id, kind, text, actor, at)
    VALUES (p_transaction_id, v_series, p_kind, btrim(p_text), btrim(p_actor), coalesce(p_at, now()))
    RETURNING r.id INTO v_id;
    IF p_kind = 'excluded' THEN
        INSERT INTO excluded_runs AS x (transaction_id, series_id, reason, actor, since)
        VALUES (p_transaction_id, v_series, btrim(p_text), btrim(p_actor), coalesce(p_at, now()));
        -- The series' snapshot leaves the run (it shows the newest run that counts, V37), in this transaction.
        PERFORM benchmark_snapshots_recompute(ARRAY[v_series]);
        v_what := 'run ' || p_transaction_id || ' excluded: ' || btrim(p_text);
        FOR v_alert IN
            SELECT a.* FROM alerts a
            WHERE a.transaction_id = p_transaction_id AND a.state IN ('open', 'acknowledged', 'muted')
            ORDER BY a.id FOR UPDATE
        LOOP
            SELECT * INTO v_left FROM alert_newest_run_after(v_series, p_transaction_id, v_run_at, v_alert.metric);
            IF v_left.transaction_id IS NULL THEN
                PERFORM alert_move(v_alert.id, 'resolved', btrim(p_actor), v_what, 'annotation');
                v_alerts := v_alerts || jsonb_build_object('alert_id', v_alert.id, 'series_id', v_series, 'change', 'resolved', 'state', 'resolved');
            -- (levels nothing tells apart: kept, as excluding one run must not hide a change that may persist)
            ELSIF coalesce(alert_back_at_baseline(v_alert.baseline, v_alert.raised_value, v_alert.magnitude, v_left.value), false) THEN
                PERFORM alert_move(v_alert.id, 'resolved', btrim(p_actor), v_what || '; back at the old level in run '
                        || v_left.transaction_id || ' (' || v_alert.metric || ' ' || benchmon_format_value(v_left.value) || ')',
                        'annotation');
                v_alerts := v_alerts || jsonb_build_object('alert_id', v_alert.id, 'series_id', v_series, 'change', 'resolved', 'state', 'resolved');
            ELSE
                -- The later runs carry the same change: the alert stays as it is (resolving it would hide the shift
                -- for good, as the engine's memory and the change points count it as handled), and says why. It names
                -- the first run of the change left, so following it never lands on the excluded run.
                v_first := alert_run_to_name(v_alert);
                IF NOT alert_name_run(v_alert.id, v_first) THEN
                    v_first := NULL;
                END IF;
                -- (an alert that followed no later run follows the newest that shows its change)
                UPDATE alerts a SET last_transaction_id = v_left.transaction_id, current = v_left.value
                WHERE a.id = v_alert.id AND a.last_transaction_id = p_transaction_id;
                INSERT INTO alert_events (alert_id, state, actor, comment, source)
                VALUES (v_alert.id, v_alert.state, btrim(p_actor), v_what || '; the change persists without it: '
                        || v_alert.metric || ' ' || benchmon_format_value(v_left.value) || ' in run ' || v_left.transaction_id
                        || ' against the baseline ' || coalesce(benchmon_format_value(v_alert.baseline), 'unknown')
                        || coalesce('; the alert now names run ' || v_first || ', the first run of the change left', ''),
                        'annotation');
                v_alerts := v_alerts || jsonb_build_object('alert_id', v_alert.id, 'series_id', v_series, 'change', 'kept', 'state', v_alert.state);
            END IF;
        END LOOP;
        -- An active alert that follows the run but names another (raised on an earlier run, it followed this later,
        -- deeper run of its change): the run it names still shows the change, so it stays in its state and follows the
        -- newest run of its change left (alert_newest_run_of_change), with that run's value: its last run, `current`
        -- and change now no longer come from the excluded run. An event says which run it follows now. (The alerts
        -- the loop above kept follow a run left already.)
        FOR v_alert IN
            SELECT a.* FROM alerts a
            WHERE a.last_transaction_id = p_transaction_id AND a.transaction_id <> p_transaction_id
              AND a.state IN ('open', 'acknowledged', 'muted')
            ORDER BY a.id FOR UPDATE
        LOOP
            SELECT * INTO v_left FROM alert_newest_run_of_change(v_alert);
            CONTINUE WHEN v_left.transaction_id IS NULL;
            UPDATE alerts a SET last_transaction_id = v_left.transaction_id, current = v_left.value WHERE a.id = v_alert.id;
            INSERT INTO alert_events (alert_id, state, actor, comment, source)
            VALUES (v_alert.id, v_alert.state, btrim(p_actor), v_what || '; the alert follows run ' || v_left.transaction_id
                    || ' (' || v_alert.metric || ' ' || benchmon_format_value(v_left.value) || '), the newest run of its change left',
                    'annotation');
            v_alerts := v_alerts || jsonb_build_object('alert_id', v_alert.id, 'series_id', v_series, 'change', 'kept', 'state', v_alert.state);
        END LOOP;
        -- An alert the detector resolved on a run back at the old level (resolved_tx, V41; no person changed its state
        -- since), whose resolving run no longer counts (alert_run_counts: this one, one excluded earlier while a later
        -- run still kept it resolved, or one a CI re-run replaced, the re-run excluded now) and whose evidence this run
        -- is part of (raised before it), is judged again on the runs that
        -- count: when its change still stands (alert_change_stands) it goes back to the state it had before
        -- (alert_reopen), names the first run of its change that counts, and an event says why. (An alert the loops
        -- above judged is not judged twice.)
        FOR v_alert IN
            SELECT a.* FROM alerts a JOIN benchmark_transactions r ON r.id = a.raised_tx
            WHERE a.series_id = v_series AND a.state = 'resolved' AND a.resolved_tx IS NOT NULL
              AND (r.run_at, r.id) < (v_run_at, p_transaction_id)
              AND NOT alert_run_counts(a, a.resolved_tx)
              AND NOT v_alerts @> jsonb_build_array(jsonb_build_object('alert_id', a.id))
            ORDER BY a.id FOR UPDATE OF a
        LOOP
            v_first := alert_run_to_name(v_alert);
            CONTINUE WHEN NOT alert_change_stands(v_alert, v_first);
            v_what := CASE WHEN v_alert.resolved_tx = p_transaction_id
                           THEN 'run ' || p_transaction_id || ', which resolved it, was excluded: ' || btrim(p_text)
                                || '; the change persists without it'
                           ELSE 'run ' || p_transaction_id || ' excluded: ' || btrim(p_text) || '; with run '
                                || v_alert.resolved_tx || ', which resolved it, '
                                || CASE WHEN EXISTS (SELECT 1 FROM excluded_runs x WHERE x.transaction_id = v_alert.resolved_tx)
                                        THEN 'excluded too' ELSE 'replaced by a later attempt of its CI run' END
                                || ', the change persists' END;
            v_moved := false;
            IF v_first <> v_alert.transaction_id THEN
                v_moved := alert_name_run(v_alert.id, v_first);
                SELECT * INTO v_alert FROM alerts a WHERE a.id = v_alert.id;
            END IF;
            -- The newest run of its change that counts: the one the event quotes, and the one it follows when the run
            -- it followed was excluded while it was resolved.
            SELECT * INTO v_left FROM alert_newest_run_of_change(v_alert);
            UPDATE alerts a SET last_transaction_id = v_left.transaction_id, current = v_left.value
            WHERE a.id = v_alert.id AND v_left.transaction_id IS NOT NULL
              AND EXISTS (SELECT 1 FROM excluded_runs x WHERE x.transaction_id = a.last_transaction_id);
            v_what := v_what || coalesce(': ' || v_alert.metric || ' ' || benchmon_format_value(v_left.value) || ' in run '
                    || v_left.transaction_id || ' against the baseline '
                    || coalesce(benchmon_format_value(v_alert.baseline), 'unknown'), '')
                    || CASE WHEN v_moved THEN '; the alert names run ' || v_first || ', the first run of its change left'
                            ELSE '' END;
            v_state := alert_reopen(v_alert.id, btrim(p_actor), v_what);
            v_alerts := v_alerts || jsonb_build_object('alert_id', v_alert.id, 'series_id', v_series, 'change', 'reopened', 'state', v_state);
        END LOOP;
    ELSIF p_kind = 'included' THEN
        -- How the alerts' events name this inclusion: 'run 7 included again: the push was fine', or without the text
        -- when it is the default the API and the command line give ('included again', said once).
        v_included := 'run ' || p_transaction_id || ' included again'
                      || CASE WHEN lower(btrim(p_text)) = 'included again' THEN '' ELSE ': ' || btrim(p_text) END;
        DELETE FROM excluded_runs x WHERE x.transaction_id = p_transaction_id;
        IF FOUND THEN
            -- The snapshot shows the run again when it is the newest that counts (V37), in this transaction.
            PERFORM benchmark_snapshots_recompute(ARRAY[v_series]);
            -- Each alert of the series that exclusions moved past the run it was raised on, or resolved, and whose
            -- evidence this run is part of (raised on it or before it, following it or a later run, or having followed
            -- it or a later run before exclusions moved its last run back), is judged again on
            -- the runs that count now, from the run it was raised on (alert_run_to_name): as the runs still excluded
            -- alone would have left it, so any order of exclusions and inclusions gives back the alert the detector
            -- raised once every run counts again. (A resolved alert's newest event is its resolution; annotation events
            -- name only the alerts an annotation judged.) So is each alert of the series raised before the run that the
            -- detector resolved on a run back at the old level (resolved_tx, V41; no person changed its state since):
            -- one still resolved while that run is excluded may reopen now, and one an exclusion of that run reopened
            -- resolves again once the change is over by the runs that count (alert_newest_back).
            FOR v_alert IN
                SELECT a.* FROM alerts a
                JOIN benchmark_transactions r ON r.id = a.raised_tx
                JOIN benchmark_transactions l ON l.id = a.last_transaction_id
                JOIN benchmark_transactions f ON f.id = a.followed_tx
                WHERE a.series_id = v_series
                  AND (r.run_at, r.id) <= (v_run_at, p_transaction_id)
                  AND (((v_run_at, p_transaction_id) <= (l.run_at, l.id) OR (v_run_at, p_transaction_id) <= (f.run_at, f.id))
                       AND CASE WHEN a.state = 'resolved'
                                THEN (SELECT e.source FROM alert_events e WHERE e.alert_id = a.id ORDER BY e.id DESC LIMIT 1)
                                     = 'annotation'
                                ELSE a.state IN ('open', 'acknowledged', 'muted')
                                     AND (a.raised_tx <> a.transaction_id OR a.last_transaction_id <> a.followed_tx) END
                       OR a.resolved_tx IS NOT NULL
                          AND CASE WHEN a.state = 'resolved'
                                   THEN NOT alert_run_counts(a, a.resolved_tx)
                                   ELSE a.state IN ('open', 'acknowledged', 'muted') END)
                ORDER BY a.id FOR UPDATE OF a
            LOOP
                -- An exclusion of the run the detector had it follow moved its last run and value to the newest run
                -- left: once that run counts again they are back (a later follow moved both columns on already); while
                -- it is still excluded, an active alert follows the newest run of its change that counts now
                -- (alert_newest_run_of_change: this run, when it is newer than the run it follows).
                IF NOT EXISTS (SELECT 1 FROM excluded_runs x WHERE x.transaction_id = v_alert.followed_tx) THEN
                    SELECT v_alert.followed_tx AS transaction_id, v_alert.followed_value AS value, true AS followed
                    INTO v_follow;
                ELSIF v_alert.state <> 'resolved' THEN
                    SELECT r.transaction_id, r.value, false AS followed INTO v_follow
                    FROM alert_newest_run_of_change(v_alert) r;
                ELSE
                    SELECT NULL::bigint AS transaction_id, NULL::float8 AS value, false AS followed INTO v_follow;
                END IF;
                v_moved := v_follow.transaction_id IS NOT NULL
                           AND v_follow.transaction_id IS DISTINCT FROM v_alert.last_transaction_id;
                IF v_moved THEN
                    UPDATE alerts a SET last_transaction_id = v_follow.transaction_id, current = v_follow.value
                    WHERE a.id = v_alert.id;
                END IF;
                v_first := alert_run_to_name(v_alert);
                CONTINUE WHEN v_first IS NULL;
                IF v_alert.state = 'resolved' THEN
                    -- Back in the state it had before it was resolved (alert_reopen), unless the newest run is back at
                    -- the old level (the detector would have resolved it) or another alert of its metric is active
                    -- (alert_change_stands).
                    CONTINUE WHEN NOT alert_change_stands(v_alert, v_first);
                    v_what := v_included;
                    IF v_first <> v_alert.transaction_id AND alert_name_run(v_alert.id, v_first) THEN
                        v_what := v_what || '; the alert names run ' || v_first || ' (it named run '
                                  || v_alert.transaction_id || ' while runs of its change were excluded)';
                    END IF;
                    v_state := alert_reopen(v_alert.id, btrim(p_actor), v_what);
                    v_alerts := v_alerts || jsonb_build_object('alert_id', v_alert.id, 'series_id', v_series, 'change', 'reopened', 'state', v_state);
                ELSIF alert_resolution_holds(v_alert) THEN
                    -- Reopened by an exclusion of the run the detector resolved it on, which counts again, and the
                    -- detector had it follow no later run: resolved again as the detector left it, naming the run it
                    -- was raised on and following the run it followed (as an alert resolved before any exclusion is
                    -- left: exclusions and inclusions touch no resolved alert's runs).
                    v_what := v_included || '; run '
                              || v_alert.resolved_tx || ', which resolved it, counts again (' || v_alert.metric || ' '
                              || coalesce(benchmon_format_value((SELECT (l.metrics ->> v_alert.metric)::float8
                                                                 FROM benchmark_log l
                                                                 WHERE l.id = v_alert.resolved_tx AND l.series_id = v_series
                                                                   AND jsonb_typeof(l.metrics -> v_alert.metric) = 'number')),
                                          'unknown') || ')';
                    IF v_alert.raised_tx <> v_alert.transaction_id AND alert_name_run(v_alert.id, v_alert.raised_tx) THEN
                        v_what := v_what || '; the alert names run ' || v_alert.raised_tx || ', the run it was raised on, again';
                    END IF;
                    UPDATE alerts a SET last_transaction_id = a.followed_tx, current = a.followed_value
                    WHERE a.id = v_alert.id AND a.last_transaction_id <> a.followed_tx;
                    PERFORM alert_move(v_alert.id, 'resolved', btrim(p_actor), v_what, 'annotation');
                    v_alerts := v_alerts || jsonb_build_object('alert_id', v_alert.id, 'series_id', v_series, 'change', 'resolved', 'state', 'resolved');
                ELSIF v_alert.resolved_tx IS NOT NULL
                      AND EXISTS (SELECT 1 FROM alert_newest_back(v_alert, v_first)) THEN
                    -- Reopened by an exclusion of the run the detector resolved it on (still excluded), and the newest
                    -- run that counts after the run it names is back at the old level (this one, say): resolved again,
                    -- naming the first run of its change that counts.
                    SELECT * INTO v_left FROM alert_newest_back(v_alert, v_first);
                    v_what := v_included
                              || '; back at the old level in run ' || v_left.transaction_id || ' (' || v_alert.metric
                              || ' ' || benchmon_format_value(v_left.value) || ')';
                    IF v_first <> v_alert.transaction_id AND alert_name_run(v_alert.id, v_first) THEN
                        v_what := v_what || '; the alert names run ' || v_first || ' (it named run '
                                  || v_alert.transaction_id || ' while runs of its change were excluded)';
                    END IF;
                    PERFORM alert_move(v_alert.id, 'resolved', btrim(p_actor), v_what, 'annotation');
                    v_alerts := v_alerts || jsonb_build_object('alert_id', v_alert.id, 'series_id', v_series, 'change', 'resolved', 'state', 'resolved');
                ELSE
                    -- Still active: it names the first run of its change that counts again, and an event says so, or
                    -- which run it follows now when only that moved.
                    IF v_first <> v_alert.transaction_id AND alert_name_run(v_alert.id, v_first) THEN
                        v_what := '; the alert names run ' || v_first || ' (it named run ' || v_alert.transaction_id
                                  || ' while runs of its change were excluded)';
                    ELSIF v_moved THEN
                        v_what := '; the alert follows run ' || v_follow.transaction_id || ' (' || v_alert.metric || ' '
                                  || benchmon_format_value(v_follow.value) || ')' || CASE WHEN v_follow.followed THEN ' again'
                                                                   ELSE ', the newest run of its change left' END;
                    ELSE
                        CONTINUE;
                    END IF;
                    INSERT INTO alert_events (alert_id, state, actor, comment, source)
                    VALUES (v_alert.id, v_alert.state, btrim(p_actor), v_included || v_what, 'annotation');
                    v_alerts := v_alerts || jsonb_build_object('alert_id', v_alert.id, 'series_id', v_series, 'change', 'kept', 'state', v_alert.state);
                END IF;
            END LOOP;
        END IF;
    END IF;
    annotation_id := v_id; series_id := v_series; alert_changes := v_alerts;
    RETURN NEXT;
END;
$$;

-- Mutes a series (p_metric NULL) or one metric of it from p_starts_at until p_expires_at: findings
-- in that period open as 'muted' (recorded, not notified, not failing CI). Alerts of the series
-- (and metric) that are open now become muted too, each with an event naming who muted and why. One mute per scope at
-- a time: a mute of the same series and metric (or of the whole series, for a whole-series mute) in force at the start
-- asked for is not repeated (a second row would be listed, and ended, twice); it is answered instead, extended to
-- p_expires_at when that is later by more than a minute (keeping its reason, who muted and start), and the scope's open alerts are muted
-- by this call as by a new mute. Returns the mute's id, whether this call created it, and the expiry it had when this
-- call extended it (else NULL). (Locked: two concurrent repeats find one mute, and the answer says which call made it.)
-- p_alert_id (optional): the alert whose mute asks for this one (`alerts mute ID --for 7d`). A mute this call creates
-- remembers it (series_mutes.alert_id, V38), so unmuting that alert ends it (alert_unmute); a mute found in force is
-- another's and stays unlinked. The alert must be of the series, and the mute must cover its metric (else refused,
-- naming alert_id: unmuting the alert would end a mute of something else).
-- (The older forms returned the id alone, or took no p_alert_id; they are dropped, with unmute_series's older forms,
-- below.)
--
-- The older forms of mute_series and unmute_series, dropped only while they exist, so a run of this file does not drop
-- and create the current forms again (a function's result type and arguments cannot be replaced): mute_series
-- returning the mute's id alone (bigint) or without p_alert_id (not its 7 arguments), unmute_series without p_alert_id
-- and p_source or without p_covering (not its 7 arguments).
DO $$
DECLARE
    v_old regprocedure;
BEGIN
    FOR v_old IN SELECT p.oid::regprocedure FROM pg_proc p
                 WHERE p.pronamespace = current_schema()::regnamespace
                   AND (p.proname = 'mute_series' AND (p.prorettype = 'bigint'::regtype OR p.pronargs <> 7)
                        OR p.proname = 'unmute_series' AND p.pronargs <> 7)
    LOOP
        EXECUTE 'DROP FUNCTION ' || v_old;
    END LOOP;
END;
$$;
CREATE OR REPLACE FUNCTION mute_series(p_series_id integer, p_metric text, p_reason text, p_actor text,
                                       p_expires_at timestamptz, p_starts_at timestamptz DEFAULT NULL,
                                       p_alert_id bigint DEFAULT NULL)
RETURNS TABLE (mute_id bigint, created boolean, extended_from timestamptz)
LANGUAGE plpgsql SECURITY DEFINER AS $$
#variable_conflict use_column
DECLARE
    v_starts timestamptz := coalesce(p_starts_at, now());
    v_alert  bigint;
    v_mute   series_mutes%ROWTYPE;
    v_of     record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM series s WHERE s.id = p_series_id) THEN
        RAISE EXCEPTION 'series % not found', p_series_id USING ERRCODE = 'no_data_found';
    END IF;
    IF p_reason IS NULL OR btrim(p_reason) = '' THEN -- the one check of it, for every caller (as annotate_run's reason)
        RAISE EXCEPTION 'reason must say why the series is muted (a mute needs a reason)'
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'reason';
    END IF;
    IF p_actor IS NULL OR btrim(p_actor) = '' THEN
        RAISE EXCEPTION 'actor must name who mutes' USING ERRCODE = 'invalid_parameter_value', COLUMN = 'actor';
    END IF;
    IF p_expires_at IS NULL OR p_expires_at <= v_starts THEN
        RAISE EXCEPTION 'until must be after the start of the mute (%), got %', iso_instant(v_starts),
                coalesce(iso_instant(p_expires_at), 'nothing')
            USING ERRCODE = 'invalid_parameter_value', COLUMN = 'until';
    END IF;
    IF p_alert_id IS NOT NULL THEN
        SELECT a.series_id, a.metric INTO v_of FROM alerts a WHERE a.id = p_alert_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'alert % not found', p_alert_id USING ERRCODE = 'no_data_found', COLUMN = 'alert_id';
        END IF;
        IF v_of.series_id <> p_series_id OR (nullif(p_metric, '') IS NOT NULL AND p_metric <> v_of.metric) THEN
            RAISE EXCEPTION 'alert_id must name an alert the mute covers; alert % is of series % metric %, not of series %',
                p_alert_id, v_of.series_id, v_of.metric, p_series_id || coalesce(' metric ' || nullif(p_metric, ''), '')
                USING ERRCODE = 'invalid_parameter_value', COLUMN = 'alert_id';
        END IF;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('benchmon.mute_series'), p_series_id);
    SELECT * INTO v_mute FROM series_mutes m
    WHERE m.series_id = p_series_id AND m.metric IS NOT DISTINCT FROM nullif(p_metric, '') AND mute_in_force(m, v_starts)
    ORDER BY m.ends_at DESC, m.id DESC LIMIT 1 FOR UPDATE;
    IF FOUND THEN
        created := false;
        -- Extended when asked for a later expiry by more than a minute: the same command run again (a re-run CI step,
        -- `alerts mute --for 7d` twice) asks the same period from a moment later, which is the mute in force, not a
        -- new end worth announcing.
        IF p_expires_at > v_mute.ends_at + interval '1 minute' THEN
            extended_from := v_mute.ends_at;
            UPDATE series_mutes m SET expires_at = p_expires_at WHERE m.id = v_mute.id RETURNING m.* INTO v_mute;
        END IF;
    ELSE
        created := true;
        INSERT INTO series_mutes AS m (series_id, metric, reason, actor, starts_at, expires_at, alert_id)
        VALUES (p_series_id, nullif(p_metric, ''), btrim(p_reason), btrim(p_actor), v_starts, p_expires_at, p_alert_id)
        RETURNING m.* INTO v_mute;
    END IF;
    IF mute_in_force(v_mute, now()) THEN
        FOR v_alert IN
            SELECT a.id FROM alerts a
            WHERE a.series_id = p_series_id AND (nullif(p_metric, '') IS NULL OR a.metric = p_metric)
              AND a.state = 'open'
            ORDER BY a.id FOR UPDATE
        LOOP
            PERFORM alert_move(v_alert, 'muted', btrim(p_actor), 'mute ' || v_mute.id || ' until ' || to_char(v_mute.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ': ' || btrim(p_reason),
                               'mute');
        END LOOP;
    END IF;
    mute_id := v_mute.id;
    RETURN NEXT;
END;
$$;

-- Ends early the mutes of a series in force now (p_metric NULL: every one of them, of the whole series or of one
-- metric; else those of that metric), with who and why: ended_at becomes now (so does ends_at, V33: every reader then
-- sees the mute over; expires_at keeps the expiry it was given, V32), ended_by and end_reason keep who and why (V26).
-- A metric muted by a mute of the whole series is refused, naming metric: ending that mute would unmute every other
-- metric too.
-- p_covering (with p_metric): end instead the mutes that cover that metric, of the whole series or of the metric, and
-- no other metric's own mute (the dashboard's "End series mute" of an alert: chosen here, in the transaction that ends
-- them, not from an earlier read). Each alert of the series (and metric, unless p_covering) that a mute silenced, not a
-- person, and that no mute covers any more opens again with an event (source 'mute'), as when a mute expires while the
-- shift persists. p_alert_id (optional): a muted alert to open again too, in the same transaction (refused, naming
-- alert_id, when there is no such alert or it is not muted: then nothing is ended), unless the mutes' end opened it
-- already; so `alerts unmute ID --series-id N` is all or nothing (a mute the alert's own mute created ends with it, as
-- alert_unmute ends it, and is among mute_ids). Returns the ended mutes' ids and the alerts opened, a
-- JSON array of {"alert_id": 7, "series_id": 3, "change": "opened", "state": "open"}; p_alert_id's change is 'unmuted' (a person's
-- triage, as alert_unmute: not announced; its state is open or, acknowledged before it was muted, acknowledged). No such series, or no mute in force: no_data_found, whose column says which
-- is missing (series, mute).
-- (Older forms, without p_alert_id and p_source or without p_covering, are dropped before mute_series, with its own.)
CREATE OR REPLACE FUNCTION unmute_series(p_series_id integer, p_metric text, p_reason text, p_actor text,
                                         p_alert_id bigint DEFAULT NULL, p_source text DEFAULT 'api',
                                         p_covering boolean DEFAULT false)
RETURNS TABLE (mute_ids bigint[], alert_changes jsonb)
LANGUAGE plpgsql SECURITY DEFINER AS $$
#variable_conflict use_column
DECLARE
    v_metric text := nullif(p_metric, '');
    v_reason text := nullif(btrim(coalesce(p_reason, '')), '');
    v_whole  bigint;
    v_ended  bigint[];
    v_state  text;
    v_alerts jsonb;
    v_covering boolean := coalesce(p_covering, false) AND nullif(p_metric, '') IS NOT NULL;
    v_own    bigint[];
    v_own_changes jsonb;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM series s WHERE s.id = p_series_id) THEN
        RAISE EXCEPTION 'series % not found', p_series_id USING ERRCODE = 'no_data_found', COLUMN = 'series';
    END IF;
    IF p_actor IS NULL OR btrim(p_actor) = '' THEN
        RAISE EXCEPTION 'actor must name who unmutes' USING ERRCODE = 'invalid_parameter_value', COLUMN = 'actor';
    END IF;
    -- With an alert, alert_unmute below takes the series' alert lock (alerts_of_series_lock) after the mutes' end has
    -- opened the alerts they silenced (their rows locked): taken here first, before any alert row, as every taker takes
    -- it. The alert's own series too (not checked to be p_series_id's here).
    IF p_alert_id IS NOT NULL THEN
        PERFORM alerts_of_series_lock(ARRAY[p_series_id] || ARRAY(SELECT a.series_id FROM alerts a WHERE a.id = p_alert_id));
    END IF;
    -- A metric muted only by a mute of the whole series is refused (ending that mute would unmute every metric);
    -- a metric with mutes of its own has those ended, and the whole series' mute stays in force.
    IF v_metric IS NOT NULL AND NOT v_covering AND NOT EXISTS (
            SELECT 1 FROM series_mutes m
            WHERE m.series_id = p_series_id AND m.metric = v_metric AND mute_in_force(m, now())) THEN
        SELECT m.id INTO v_whole FROM series_mutes m
        WHERE m.series_id = p_series_id AND m.metric IS NULL AND mute_in_force(m, now())
        ORDER BY m.id LIMIT 1;
        IF v_whole IS NOT NULL THEN
            RAISE EXCEPTION 'metric % has no mute of its own in force; it is muted by mute % of every metric of series %: unmute the series without a metric',
                v_metric, v_whole, p_series_id USING ERRCODE = 'invalid_parameter_value', COLUMN = 'metric';
        END IF;
    END IF;
    WITH ended AS (
        -- (a mute started in this very transaction cannot end at its start: one microsecond later)
        UPDATE series_mutes m SET ended_at = greatest(now(), m.starts_at + interval '1 microsecond'),
                                  ended_by = btrim(p_actor), end_reason = v_reason
        WHERE m.series_id = p_series_id
          AND CASE WHEN v_covering THEN mute_covers(m, v_metric, now())
                   ELSE (v_metric IS NULL OR m.metric = v_metric) AND mute_in_force(m, now()) END
        RETURNING m.id)
    SELECT array_agg(e.id ORDER BY e.id) INTO v_ended FROM ended e;
    IF v_ended IS NULL THEN
        RAISE EXCEPTION 'series % has no mute in force%', p_series_id, coalesce(' of metric ' || v_metric, '')
            USING ERRCODE = 'no_data_found', COLUMN = 'mute';
    END IF;
    -- (covering: the alerts of every metric those mutes silenced, as a whole-series mute among them silenced any)
    v_alerts := alert_open_after_mutes_end(p_series_id, CASE WHEN v_covering THEN NULL ELSE v_metric END, v_ended,
                                           p_actor, v_reason);
    IF p_alert_id IS NOT NULL AND NOT v_alerts @> jsonb_build_array(jsonb_build_object('alert_id', p_alert_id)) THEN
        -- a refusal names the caller's argument, alert_id
        SELECT u.state, u.ended_mute_ids, u.alert_changes INTO v_state, v_own, v_own_changes
        FROM alert_unmute(p_alert_id, p_actor, v_reason, coalesce(p_source, 'api'), 'alert_id') u;
        -- the mutes the alert's own mute created end with it (alert_unmute), and the alerts they alone silenced open
        v_ended := v_ended || v_own;
        v_alerts := v_alerts || jsonb_build_object('alert_id', p_alert_id, 'series_id', p_series_id, 'change', 'unmuted', 'state', v_state)
                    || v_own_changes;
    END IF;
    mute_ids := v_ended; alert_changes := v_alerts;
    RETURN NEXT;
END;
$$;

-- Ends the mute of one alert: a muted alert goes back to the state it had before it was muted (alert_set_state, with
-- who, why and from where): acknowledged when someone had acknowledged it (they are still on it: an unmute that opened
-- it again would fail the next `push --fail-on-regression` and drop their note of it), else open. Any other state is
-- refused, naming alert, so an unmute never reopens an alert someone acknowledged, expected or resolved.
-- The mutes of its series that its own mute created (series_mutes.alert_id, V38: `alerts mute ID --for 7d`) and that
-- are in force end with it, as whenever a person takes the alert out of its mute (alert_set_state: ended_by the actor,
-- end_reason 'alert 12, whose mute created it, unmuted'): the person who muted the alert and its metric for a period
-- undoes both, and new alerts of the metric open as open again. Each other alert those mutes silenced (not a person)
-- that no mute covers any more opens again (alert_open_after_mutes_end, as unmute_series opens them). Any other mute of
-- its series (made on its own, or by another alert's mute) stays in force for later findings (unmute_series ends it).
-- Returns the event as alert_set_state does, with the mutes ended (ended_mute_ids, empty when none) and the other
-- alerts opened (alert_changes, [{"alert_id": 7, "series_id": 3, "change": "opened", "state": "open"}]). p_field: the column a refusal
-- names, the caller's name for the alert (alert, a path's; alert_id, unmute_series' argument).
-- (The older forms, without p_field or without ended_mute_ids and alert_changes, are dropped while they exist: a
-- function's arguments and result cannot be replaced.)
DROP FUNCTION IF EXISTS alert_unmute(bigint, text, text, text);
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_proc p
               WHERE p.oid = to_regprocedure('alert_unmute(bigint, text, text, text, text)')
                 AND NOT 'ended_mute_ids' = ANY (p.proargnames)) THEN
        DROP FUNCTION alert_unmute(bigint, text, text, text, text);
    END IF;
END;
$$;
CREATE OR REPLACE FUNCTION alert_unmute(p_alert_id bigint, p_actor text, p_comment text, p_source text DEFAULT 'api',
                                        p_field text DEFAULT 'alert')
RETURNS TABLE (event_id bigint, alert_id bigint, state text, previous_state text, at timestamptz,
               ended_mute_ids bigint[], alert_changes jsonb)
LANGUAGE plpgsql SECURITY DEFINER AS $$
#variable_conflict use_column
DECLARE
    v_state  text;
    v_before text;
BEGIN
    -- alert_set_state below takes the series' alert lock; taken here first, before the row (alerts_of_series_lock).
    PERFORM alerts_of_series_lock(ARRAY(SELECT a.series_id FROM alerts a WHERE a.id = p_alert_id));
    SELECT a.state INTO v_state FROM alerts a WHERE a.id = p_alert_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'alert % not found', p_alert_id USING ERRCODE = 'no_data_found', COLUMN = p_field;
    END IF;
    -- A conflict with the alert's state (55000, HTTP 409), as alert_set_state's refusals: the request is well formed.
    IF v_state <> 'muted' THEN
        RAISE EXCEPTION 'alert % is %, not muted, so there is nothing to unmute', p_alert_id, v_state
            USING ERRCODE = 'object_not_in_prerequisite_state', COLUMN = p_field;
    END IF;
    -- The state before the muted events at the end of its history (a person may have muted an alert a series mute had
    -- silenced: two muted events in a row).
    SELECT e.state INTO v_before FROM alert_events e
    WHERE e.alert_id = p_alert_id AND e.state <> 'muted'
      AND e.id < (SELECT min(m.id) FROM alert_events m
                  WHERE m.alert_id = p_alert_id AND m.state = 'muted'
                    AND NOT EXISTS (SELECT 1 FROM alert_events o WHERE o.alert_id = p_alert_id AND o.id > m.id
                                                                   AND o.state <> 'muted'))
    ORDER BY e.id DESC LIMIT 1;
    RETURN QUERY SELECT s.event_id, s.alert_id, s.state, s.previous_state, s.at, s.ended_mute_ids, s.alert_changes
    FROM alert_set_state(p_alert_id, CASE WHEN v_before = 'acknowledged' THEN 'acknowledged' ELSE 'open' END,
                         p_actor, p_comment, p_source, 'unmuted') s;
END;
$$;

-- Logs one attempt to deliver a notification. p_target: scheme, host and port only.
CREATE OR REPLACE FUNCTION record_alert_delivery(p_channel text, p_target text, p_alert_ids bigint[], p_attempt integer,
                                                 p_status_code integer, p_delivered boolean, p_error text)
RETURNS bigint
LANGUAGE sql SECURITY DEFINER AS $$
    INSERT INTO alert_deliveries (channel, target, alert_ids, attempt, status_code, delivered, error)
    VALUES (p_channel, p_target, coalesce(p_alert_ids, '{}'), p_attempt, p_status_code, p_delivered, p_error)
    RETURNING id
$$;
