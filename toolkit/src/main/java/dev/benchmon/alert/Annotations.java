package dev.benchmon.alert;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Annotations that never rewrite the log: notes on runs, runs excluded from baselines and detection
 * (with a reason), and mutes of a series or metric for a period. The read methods
 * ({@link #excludedRunIds(int)}, {@link #isMuted(int, String, Instant)}) are what detection asks.
 */
public final class Annotations {
    /**
     * Result of annotating a run: the annotation, the run's series, and what happened to each alert its exclusion or
     * inclusion judged again ({@link AlertChange#RESOLVED}, {@link AlertChange#KEPT} or {@link AlertChange#REOPENED}),
     * then each other alert it only graded again ({@link AlertChange#REGRADED}); one change per alert (a kept or
     * reopened alert graded again too shows its new grade as its {@link Alert#nowSeverity()}); none for a note.
     */
    public record Annotated(long annotationId, int seriesId, List<AlertChange> alerts) {
        public Annotated {
            alerts = List.copyOf(alerts);
        }

        /** This result with the alerts {@code regraded} graded again that no other change lists already. */
        Annotated withRegraded(List<AlertChange> regraded) {
            Set<Long> listed = new java.util.HashSet<>();
            alerts.forEach(c -> listed.add(c.alertId()));
            List<AlertChange> all = new java.util.ArrayList<>(alerts);
            regraded.stream().filter(c -> listed.add(c.alertId())).forEach(all::add);
            return new Annotated(annotationId, seriesId, all);
        }

        /** The ids of the alerts the annotation resolved (an exclusion, or an inclusion that resolved one again). */
        public List<Long> resolvedAlerts() {
            return alerts.stream().filter(c -> AlertChange.RESOLVED.equals(c.change())).map(AlertChange::alertId).toList();
        }
    }

    private final Jdbi jdbi;
    private final java.util.function.IntConsumer seriesChanged;

    public Annotations(Jdbi jdbi) {
        this(jdbi, seriesId -> { });
    }

    /** @param seriesChanged called with a series' id after an exclusion changed which runs count (re-judges it) */
    public Annotations(Jdbi jdbi, java.util.function.IntConsumer seriesChanged) {
        this.jdbi = jdbi;
        this.seriesChanged = seriesChanged;
    }

    // ---- what detection reads -------------------------------------------------------------------

    /** The runs of a series currently excluded from baselines and detection. */
    public Set<Long> excludedRunIds(int seriesId) {
        List<Long> ids = jdbi.withHandle(h -> h.createQuery(
                        "SELECT transaction_id FROM excluded_runs WHERE series_id = :s")
                .bind("s", seriesId).mapTo(Long.class).list());
        return new TreeSet<Long>(ids);
    }

    /** Whether a mute of the series, or of this metric of it, covers {@code at} (mute_covers, as {@link Mute#covers}). */
    public boolean isMuted(int seriesId, String metric, Instant at) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM series_mutes m
                                       WHERE m.series_id = :s AND mute_covers(m, :metric, :at))""")
                .bind("s", seriesId).bind("metric", metric).bind("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .mapTo(Boolean.class).one());
    }

    // ---- writes ---------------------------------------------------------------------------------

    /**
     * Annotates run {@code transactionId}: {@code note}, {@code excluded} (left out of baselines and
     * detection) or {@code included} (undoes an exclusion), then judges the series again when the runs that
     * count changed.
     *
     * <p>An active alert the excluded run raised is judged on the runs left: it resolves when no later run of the
     * series reports its metric (the run was its only evidence) or the newest later run is back at the old level
     * (nearer the alert's baseline than half its change, as the detector resolves alerts); otherwise it keeps its
     * state, names the first later run of its change that is not excluded ({@link Alert#transactionId()}), and an
     * event appended to its history says the run was excluded, the change persists and which run it names now.
     * An active alert that follows the excluded run but was raised on an earlier one (it followed a deeper run of its
     * change) keeps its state and follows the newest run of its change left ({@link Alert#lastTransactionId()},
     * {@link Alert#current()} and its change now), with an event saying which; including the run again moves them back.
     * Including the run again judges each alert exclusions moved or resolved, whose runs include it, again from the
     * run it was raised on and the runs excluded now, whatever the order of the exclusions: one an exclusion resolved,
     * untouched since, goes back to the state it had before (an open one comes back muted while a mute of its series
     * covers its metric, as an alert opened then would), unless the newest run is back at the old level or another
     * alert of the same series and metric is active; each names the first run of its change that counts again. With
     * every run included again, the alert names the run it was raised on.
     *
     * <p>An alert the detector resolved on a run back at the old level ("back within noise in run N"), whose state
     * nobody changed since, is judged again when that run is excluded (or, while it is excluded, another run of the
     * alert's evidence is excluded or included): when the runs that count still show its change (the newest counted run
     * after the run it names is not back at the old level, and no other alert of its series and metric is active or
     * was opened after it) it goes back to the state it had before ({@link AlertChange#REOPENED}: open, acknowledged or
     * muted; muted when it was open and a mute of its series covers its metric), names the first run of its change that
     * counts, and an event says why ({@code run 35, which resolved it, was excluded: wrong config; the change persists
     * without it: f1 0.8000 in run 34 against the baseline 0.9000}). Including that run again resolves it again
     * ({@link AlertChange#RESOLVED}) as the detector left it (naming the run it was raised on, following the run it
     * followed), unless it followed a later run meanwhile (a run pushed while it was open again that still shows the
     * change). An alert a person resolved, or moved since, is never reopened so.
     *
     * <p>Either way the active alerts of the series
     * raised before the run are graded again from the runs that count ({@link Alert#nowSeverity()}): an exclusion
     * lowers a grade the run had raised, an inclusion raises it again, each with an event of the alert's history
     * (source {@code severity}) and, unless the alert is listed for another change, a {@link AlertChange#REGRADED}
     * change in the result; graded from the newest detection window of counted runs (30), so an exclusion that lowers
     * a grade may lower it below what an older counted run had reached (the detector's own grade is a high-water mark
     * over the alert's runs). Including a run that
     * is not excluded, or
     * excluding one that is, is refused ({@link StateConflictException}) and stores nothing.
     *
     * @throws NotFoundException                when there is no such run
     * @throws StateConflictException           when the run is not excluded (to include it) or excluded already (to
     *                                          exclude it); the message says what to do instead
     * @throws dev.benchmon.InvalidArgumentException when the kind is unknown, or the text or actor blank (an
     *                                          exclusion's text is its reason: a blank one is refused naming
     *                                          {@code reason}, whoever calls)
     */
    public Annotated annotate(long transactionId, String kind, String text, String actor) {
        try {
            Annotated a = jdbi.inTransaction(h -> {
                Annotated done = h.createQuery("""
                        SELECT annotation_id, series_id, alert_changes FROM annotate_run(:tx, :kind, :text, :actor)""")
                        .bind("tx", transactionId).bind("kind", kind).bind("text", text).bind("actor", actor)
                        .map((rs, ctx) -> new Annotated(rs.getLong("annotation_id"), rs.getInt("series_id"),
                                changes(rs.getString("alert_changes"))))
                        .one();
                if (!"note".equals(kind)) {
                    return done.withRegraded(regradeCounted(h, transactionId, kind, done.seriesId()));
                }
                return done;
            });
            if (!"note".equals(kind)) { // an exclusion changes the baseline: judge the series again
                Rejudge.afterCommit(() -> seriesChanged.accept(a.seriesId()), "run " + transactionId + " " + kind);
            }
            return a;
        } catch (JdbiException e) {
            throw SqlErrors.translate(e, "P0002".equals(dev.benchmon.DatabaseException.sqlStateOf(e)) ? "run" : "annotation",
                    "annotating run " + transactionId);
        }
    }

    /**
     * Grades the active alerts of the run's series ({@code seriesId}) again from the runs that count now
     * ({@code alert_regrade_counted}), in the annotation's transaction: an alert's grade now
     * ({@link Alert#nowSeverity()}) is a high-water mark, and a run that escalated it and was then excluded must not
     * keep it graded by that run (nor, included again, stay graded without it). The grades' bounds come from
     * {@link dev.benchmon.detect.Severity}, their one place; the runs read are the detection window's
     * ({@link dev.benchmon.detect.DetectionSettings#DEFAULT_WINDOW} newest counted runs after each alert's), so a
     * long-open alert is not graded from its whole history.
     *
     * @return the alerts whose grade changed ({@link AlertChange#REGRADED}, in their state)
     */
    private static List<AlertChange> regradeCounted(org.jdbi.v3.core.Handle h, long transactionId, String kind,
                                                    int seriesId) {
        return h.createQuery("SELECT alert_id, state FROM alert_regrade_counted(:tx, :kind, :major, :critical, :window)")
                .bind("tx", transactionId).bind("kind", kind).bind("major", dev.benchmon.detect.Severity.MAJOR)
                .bind("critical", dev.benchmon.detect.Severity.CRITICAL)
                .bind("window", dev.benchmon.detect.DetectionSettings.DEFAULT_WINDOW)
                .map((rs, ctx) -> new AlertChange(rs.getLong("alert_id"), seriesId, AlertChange.REGRADED,
                        AlertState.parse("state", rs.getString("state"))))
                .list();
    }

    /** annotate_run's and unmute_series' {@code [{"alert_id", "series_id", "change", "state"}, ...]}. */
    static List<AlertChange> changes(String json) {
        List<AlertChange> out = new java.util.ArrayList<>();
        try {
            for (com.fasterxml.jackson.databind.JsonNode c : dev.benchmon.ingest.ResultJson.mapper().readTree(json)) {
                out.add(new AlertChange(c.path("alert_id").asLong(), c.path("series_id").asInt(), c.path("change").asText(),
                        AlertState.parse("state", c.path("state").asText())));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new dev.benchmon.DatabaseException("the database answered alert changes that are not JSON: " + json, e);
        }
        return out;
    }

    /**
     * Applies an exclusion an export carried ({@link dev.benchmon.ingest.RunExclusion}) to run {@code transactionId},
     * the copy of the excluded result an import stored (or found stored): as {@link #exclude}, with the original's
     * actor and time ({@code since}), so that the copy's baselines, snapshot and alerts are the original's. A run
     * excluded already keeps its exclusion and nothing is stored, so importing the same file again changes nothing.
     *
     * @return whether it excluded the run (false: it was excluded already)
     * @throws NotFoundException when there is no such run
     */
    public boolean excludeAsExported(long transactionId, dev.benchmon.ingest.RunExclusion exclusion) {
        if (exclusionReason(transactionId) != null) {
            return false;
        }
        try {
            int series = jdbi.inTransaction(h -> {
                int s = h.createQuery("SELECT series_id FROM annotate_run(:tx, 'excluded', :text, :actor, :at)")
                        .bind("tx", transactionId).bind("text", exclusion.reason()).bind("actor", exclusion.actor())
                        .bind("at", OffsetDateTime.ofInstant(exclusion.since(), ZoneOffset.UTC))
                        .mapTo(Integer.class).one();
                regradeCounted(h, transactionId, "excluded", s);
                return s;
            });
            Rejudge.afterCommit(() -> seriesChanged.accept(series), "run " + transactionId + " excluded");
            return true;
        } catch (JdbiException e) {
            if (exclusionReason(transactionId) != null) { // excluded meanwhile (a concurrent import of the same file)
                return false;
            }
            throw SqlErrors.translate(e, "P0002".equals(dev.benchmon.DatabaseException.sqlStateOf(e)) ? "run" : "annotation",
                    "excluding run " + transactionId);
        }
    }

    /**
     * Excludes a run (a bad push, a broken runner) with a reason.
     *
     * @throws dev.benchmon.InvalidArgumentException naming {@code reason} when it is blank, as {@link #annotate}
     */
    public Annotated exclude(long transactionId, String reason, String actor) {
        return annotate(transactionId, "excluded", reason, actor);
    }

    /**
     * Mutes a series ({@code metric} null) or one metric of it from {@code startsAt} (null: now) until
     * {@code expiresAt}; returns the mute's id. Alerts of it that are open now become muted.
     *
     * @throws NotFoundException                     when there is no such series
     * @throws dev.benchmon.InvalidArgumentException when the reason is blank (naming {@code reason}: a mute needs one,
     *                                               whoever calls), the actor blank, or the expiry not after the start
     */
    public long mute(int seriesId, String metric, String reason, String actor, Instant expiresAt, Instant startsAt) {
        return muteSeries(seriesId, metric, reason, actor, expiresAt, startsAt).mute().id();
    }

    /**
     * What {@link #muteSeries} did: the mute in force for the period asked, and whether this call created it
     * ({@code false}: a mute of the same series and metric was in force already; it was answered, extended to the
     * expiry asked when that is later by more than a minute, with its own reason, who muted and start).
     *
     * @param extendedFrom the expiry the mute had before this call extended it; null when it created the mute or left
     *                     its expiry (the one asked was not later by more than a minute: the same period asked again)
     */
    public record Muted(Mute mute, boolean created, Instant extendedFrom) {
    }

    /** What {@code mute_series} answers. */
    private record MuteRow(long muteId, boolean created, Instant extendedFrom) {
    }

    /**
     * {@link #mute}, saying whether it created a mute: one scope (the series, or one metric of it) has one mute in
     * force at a time, so muting it again while a mute of it is in force stores no second mute; it extends that one to
     * {@code expiresAt} when that is later, else changes nothing.
     *
     * @throws NotFoundException                     as {@link #mute}
     * @throws dev.benchmon.InvalidArgumentException as {@link #mute}; the times in its message are ISO-8601
     */
    public Muted muteSeries(int seriesId, String metric, String reason, String actor, Instant expiresAt, Instant startsAt) {
        return muteSeries(seriesId, metric, reason, actor, expiresAt, startsAt, null);
    }

    /**
     * {@link #muteSeries(int, String, String, String, Instant, Instant)} asked for by the mute of alert {@code alertId}
     * ({@code alerts mute ID --for 7d}; null: a mute of the series on its own). A mute this call creates remembers the
     * alert, and {@link Alerts#unmuteAlert} of that alert ends it; a mute found in force stays another's.
     *
     * @throws NotFoundException                     as above, or when there is no such alert (naming {@code alert_id})
     * @throws dev.benchmon.InvalidArgumentException as above, or when the alert is not of the series or of the metric
     *                                               muted (naming {@code alert_id})
     */
    public Muted muteSeries(int seriesId, String metric, String reason, String actor, Instant expiresAt, Instant startsAt,
                            Long alertId) {
        try {
            return jdbi.inTransaction(h -> {
                // mute_series says whether it created the mute, under the lock that orders concurrent mutes of a series
                MuteRow row = h.createQuery("SELECT mute_id, created, extended_from "
                                + "FROM mute_series(:s, :metric, :reason, :actor, :until, :from, :alert)")
                        .bind("s", seriesId).bind("metric", metric).bind("reason", reason).bind("actor", actor)
                        .bind("alert", alertId)
                        .bind("until", expiresAt == null ? null : OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))
                        .bind("from", startsAt == null ? null : OffsetDateTime.ofInstant(startsAt, ZoneOffset.UTC))
                        .map((rs, ctx) -> {
                            OffsetDateTime extendedFrom = rs.getObject("extended_from", OffsetDateTime.class);
                            return new MuteRow(rs.getLong("mute_id"), rs.getBoolean("created"),
                                    extendedFrom == null ? null : extendedFrom.toInstant());
                        })
                        .one();
                return new Muted(mute(h, row.muteId()), row.created(), row.extendedFrom());
            });
        } catch (JdbiException e) {
            throw SqlErrors.translate(e, "P0002".equals(dev.benchmon.DatabaseException.sqlStateOf(e)) ? "series" : "mute",
                    "muting series " + seriesId);
        }
    }

    /** Result of ending mutes early: the mutes ended and the alerts they silenced that opened again. */
    public record Unmuted(List<Long> muteIds, List<AlertChange> alerts) {
        public Unmuted {
            muteIds = List.copyOf(muteIds);
            alerts = List.copyOf(alerts);
        }
    }

    /**
     * Ends now the mutes of a series in force now ({@code metric} null: every one, of the series or of one of its
     * metrics; else those of that metric), recording who and why ({@code reason} may be null). Each alert a mute
     * silenced (not a person) that no mute covers any more opens again ({@link AlertChange#OPENED}), with an event in
     * its history.
     *
     * @throws NotFoundException                when there is no such series, or it has no mute in force (of the metric)
     * @throws dev.benchmon.ValidationException when the actor is blank, or the metric is muted by a mute of the whole
     *                                          series (naming {@code metric}: ending it would unmute every metric)
     */
    public Unmuted unmute(int seriesId, String metric, String reason, String actor) {
        return unmute(seriesId, metric, reason, actor, null, "api");
    }

    /**
     * {@link #unmute(int, String, String, String)}, and in the same transaction opens the muted alert {@code alertId}
     * too (with who, why and {@code source}; its change is {@link AlertChange#UNMUTED}, a person's triage, which is not
     * announced) unless ending the mutes opened it: all or nothing, so a refusal leaves every mute in force.
     *
     * @throws NotFoundException                as above, or when there is no such alert (naming {@code alert_id})
     * @throws StateConflictException           when the alert is not muted
     * @throws dev.benchmon.ValidationException as above
     */
    public Unmuted unmute(int seriesId, String metric, String reason, String actor, Long alertId, String source) {
        return unmute(seriesId, metric, false, reason, actor, alertId, source);
    }

    /**
     * Ends now the mutes in force that cover {@code metric} of a series: a mute of the whole series and one of that
     * metric, never another metric's own mute (a whole-series mute is not refused here). The alerts they silenced
     * that no mute covers any more open again, of any metric of the series. The choice is made in the transaction that
     * ends them.
     *
     * @throws NotFoundException                when there is no such series, or no mute in force covers the metric
     * @throws dev.benchmon.ValidationException when the actor is blank
     */
    public Unmuted unmuteCovering(int seriesId, String metric, String reason, String actor, String source) {
        return unmute(seriesId, java.util.Objects.requireNonNull(metric, "metric"), true, reason, actor, null, source);
    }

    private Unmuted unmute(int seriesId, String metric, boolean covering, String reason, String actor, Long alertId,
                           String source) {
        try {
            return jdbi.inTransaction(h -> h.createQuery("SELECT mute_ids, alert_changes"
                            + " FROM unmute_series(:s, :metric, :reason, :actor, :alert, :source, :covering)")
                    .bind("s", seriesId).bind("metric", metric).bind("reason", reason).bind("actor", actor)
                    .bind("alert", alertId).bind("source", source).bind("covering", covering)
                    .map((rs, ctx) -> new Unmuted(List.of((Long[]) rs.getArray("mute_ids").getArray()),
                            changes(rs.getString("alert_changes"))))
                    .one());
        } catch (JdbiException e) {
            // not found: the series or a mute in force, as unmute_series names it (its error's column)
            throw SqlErrors.translate(e, "mute", "unmuting series " + seriesId);
        }
    }

    // ---- reads for pages and the API ------------------------------------------------------------

    /** Every annotation of a series' runs, newest first (at most {@code limit}). */
    public List<RunAnnotation> ofSeries(int seriesId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, transaction_id, series_id, kind, text, actor, at FROM run_annotations
                        WHERE series_id = :s ORDER BY id DESC LIMIT :limit""")
                .bind("s", seriesId).bind("limit", limit).map((rs, ctx) -> annotation(rs)).list());
    }

    /** The annotations of one run, oldest first. */
    public List<RunAnnotation> ofRun(long transactionId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, transaction_id, series_id, kind, text, actor, at FROM run_annotations
                        WHERE transaction_id = :tx ORDER BY id""")
                .bind("tx", transactionId).map((rs, ctx) -> annotation(rs)).list());
    }

    /** The reason a run is excluded, or {@code null} when it is not. */
    public String exclusionReason(long transactionId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT reason FROM excluded_runs WHERE transaction_id = :tx")
                .bind("tx", transactionId).mapTo(String.class).findOne().orElse(null));
    }

    private static final String MUTE_COLUMNS =
            "id, series_id, metric, reason, actor, starts_at, expires_at, ended_at, ended_by, end_reason, ends_at, alert_id";

    /** Mutes of a series ({@code null}: of every series), newest first; with {@code activeAt}, only those covering it. */
    public List<Mute> mutes(Integer seriesId, Instant activeAt) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + MUTE_COLUMNS + "\n" + """
                        FROM series_mutes m
                        WHERE (CAST(:s AS integer) IS NULL OR series_id = :s)
                          AND (CAST(:at AS timestamptz) IS NULL OR mute_in_force(m, :at))
                        ORDER BY id DESC LIMIT 1000""")
                .bind("s", seriesId)
                .bind("at", activeAt == null ? null : OffsetDateTime.ofInstant(activeAt, ZoneOffset.UTC))
                .map((rs, ctx) -> mute(rs)).list());
    }

    private static Mute mute(org.jdbi.v3.core.Handle h, long id) {
        return h.createQuery("SELECT " + MUTE_COLUMNS + " FROM series_mutes WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> mute(rs)).one();
    }

    private static Mute mute(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Mute(rs.getLong("id"), rs.getInt("series_id"), rs.getString("metric"),
                rs.getString("reason"), rs.getString("actor"), rs.getTimestamp("starts_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(), instant(rs.getTimestamp("ended_at")),
                rs.getString("ended_by"), rs.getString("end_reason"), rs.getTimestamp("ends_at").toInstant(),
                rs.getObject("alert_id", Long.class));
    }

    private static RunAnnotation annotation(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp at = rs.getTimestamp("at");
        return new RunAnnotation(rs.getLong("id"), rs.getLong("transaction_id"), rs.getInt("series_id"),
                rs.getString("kind"), rs.getString("text"), rs.getString("actor"), at.toInstant());
    }

    private static Instant instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
