package dev.benchmon.server.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.benchmon.Benchmon;
import dev.benchmon.Filter;
import dev.benchmon.ValidationException;
import dev.benchmon.alert.Alert;
import dev.benchmon.alert.AlertChange;
import dev.benchmon.alert.AlertEvent;
import dev.benchmon.alert.AlertFilter;
import dev.benchmon.alert.AlertState;
import dev.benchmon.alert.Annotations;
import dev.benchmon.alert.Delivery;
import dev.benchmon.alert.DeliveryLog;
import dev.benchmon.alert.Mute;
import dev.benchmon.alert.NotFoundException;
import dev.benchmon.alert.RunAnnotation;
import dev.benchmon.alert.StateConflictException;
import dev.benchmon.ingest.ResultJson;
import dev.benchmon.ingest.TextRules;
import dev.benchmon.ingest.Timestamps;
import dev.benchmon.server.api.QueryParams;
import dev.benchmon.server.api.errors.ConflictException;
import dev.benchmon.server.api.errors.InvalidRequestException;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The alert endpoints:
 * <ul>
 * <li>{@code GET /api/v1/alerts?state=open&series_id=3&metric=f1&model=m&dataset=d&prompt=p&environment=e&limit=100}
 *     answers {@code {"alerts": [...]}} by state (open, acknowledged, muted, expected, then resolved; newest first within
 *     a state)
 *     (each with {@code id}, {@code state}, {@code series}, {@code metric}, {@code change}, {@code commit_range}, ...;
 *     {@code state=all} lists every state, as leaving {@code state} out does);</li>
 * <li>{@code GET /api/v1/alerts/{id}} answers {@code {"alert": {...}, "history": [...]}};</li>
 * <li>{@code POST /api/v1/alerts/{id}/state} with {@code {"state": "acknowledged", "comment": "...", "actor": "ana"}}
 *     (a muted alert taken out of its mute ends the series mute its own mute created: {@code "mutes_ended"});</li>
 * <li>{@code POST /api/v1/runs/{id}/annotations} with {@code {"kind": "excluded" | "included" | "note", "text": "...", "actor": "ana"}}
 *     ({@code text} optional for {@code included}: {@value #INCLUDED_TEXT} when left out or null)
 *     answers the annotation and {@code "alerts"}, each alert the exclusion or inclusion changed with its
 *     {@code "effect"}: {@code resolved}, {@code kept}, {@code reopened} (a reopened open alert is announced as a push's
 *     new alerts are) or {@code regraded} (an alert raised before the run whose {@code now_severity} the runs that count
 *     now grade otherwise; one entry per alert); {@code GET} lists the run's annotations;</li>
 * <li>{@code POST /api/v1/series/{id}/mutes} with {@code {"metric": "f1" (optional), "reason": "...", "until": ISO instant or "for": "7d",
 *     "alert_id": 12 (optional: the alert whose mute asks for it)}}, {@code GET /api/v1/mutes?active=true} (each mute
 *     with {@code alert_id}: the alert whose mute created it, else null);</li>
 * <li>{@code POST /api/v1/series/{id}/unmute} with {@code {"metric": "f1" (optional), "reason": "..." (optional)}} ends
 *     the series' mutes in force now, and the alerts they silenced open again; {@code POST /api/v1/alerts/{id}/unmute}
 *     with {@code {"comment": "..."}} opens a muted alert again and ends the series mute its own mute created;</li>
 * <li>{@code GET /api/v1/alerts/deliveries?limit=50}: the notification delivery log.</li>
 * </ul>
 * Bodies are JSON; bad input is a 400 naming the field, nothing stored; unknown ids are 404.
 */
public final class AlertEndpoints {
    private static final int MAX_TEXT = 2000;

    /**
     * The text of an {@code included} annotation given none, for every client (the API, {@code benchmon alerts
     * include} without {@code --reason}, on a server or a database): undoing an exclusion needs no explanation of its
     * own.
     */
    public static final String INCLUDED_TEXT = "included again";
    /** The {@code state} of {@code GET /alerts} that lists alerts in every state (as leaving it out does). */
    public static final String ALL_STATES = "all";
    /** The values of a body's {@code source}: where a state change came from. */
    private static final List<String> SOURCES = List.of("api", "cli", "dashboard", "toolkit");
    /** Fields that are free text and may span lines (as a result's notes may); the others are names. */
    private static final Set<String> FREE_TEXT = Set.of("comment", "text", "reason");
    /** The listing's parameters: its own and the series' names of {@link QueryParams#FILTER} (model, dataset, ...). */
    private static final Set<String> LIST_PARAMETERS = Set.of("state", "series_id", "metric", "limit", "model", "dataset",
            "prompt", "environment");
    private final Alerting alerting;
    private final Benchmon benchmon;

    /**
     * The endpoints over {@code alerting}'s database. Each request's work is also a public method without HTTP
     * (query parameters or JSON body in, the answer out), which {@code benchmon alerts --db} calls for the same checks
     * and the same answers.
     */
    public AlertEndpoints(Alerting alerting) {
        this.alerting = alerting;
        this.benchmon = alerting.benchmon();
    }

    public void list(Context ctx) {
        json(ctx, 200, list(QueryParams.of(ctx, LIST_PARAMETERS).withKnownNames(benchmon::knownNames)));
    }

    /**
     * {@code GET /alerts} for these query parameters: {@code {"alerts": [...]}}. {@code model}, {@code dataset},
     * {@code prompt} and {@code environment} pick the alerts' series as they pick results in the other endpoints
     * (repeatable or comma-separated; {@code prompt=} is the series without a prompt); an unknown name is a 404 listing
     * the known ones.
     */
    public ObjectNode list(Map<String, List<String>> query) {
        return list(QueryParams.of(query, LIST_PARAMETERS).withKnownNames(benchmon::knownNames));
    }

    private ObjectNode list(QueryParams q) {
        List<AlertState> states = new ArrayList<>();
        boolean every = false;
        // Words, not names: q.list would look a comma-separated value up among the database's names of a kind "state" is
        // not (a 404 naming "kind of name").
        for (String s : q.words("state")) {
            // "all" lists every state, as the dashboard's Alerts page and the CLI's default say it (alongside others too)
            if (s.trim().equalsIgnoreCase(ALL_STATES)) {
                every = true;
            } else {
                states.add(listedState("state", s));
            }
        }
        if (every) {
            states.clear();
        }
        Integer series = intParam(q.single("series_id"), "series_id");
        String metric = q.single("metric");
        Integer limit = intParam(q.single("limit"), "limit");
        Filter names = q.seriesNames(); // read and refused as every query's are
        q.check();
        if (limit != null && (limit < 1 || limit > 10_000)) {
            throw InvalidRequestException.of("limit", "must be from 1 to 10000, got " + limit);
        }
        // A misspelt name would list no alerts, silently: a 404 listing the known ones, as every query's names get.
        benchmon.requireKnown(metric == null ? names : names.withMetrics(metric));
        AlertFilter filter = AlertFilter.all().withStates(states).withSeries(series).withMetric(metric)
                .withSeriesNames(names).withLimit(limit == null ? AlertFilter.DEFAULT_LIMIT : limit);
        ObjectNode root = ResultJson.mapper().createObjectNode();
        root.set("alerts", alerting.json(benchmon.alertBook().list(filter)));
        return root;
    }

    public void get(Context ctx) {
        long id = pathId(ctx, "id");
        QueryParams.of(ctx, Set.of()).check();
        json(ctx, 200, get(id));
    }

    /**
     * {@code GET /api/v1/alerts/{id}}'s answer: {@code {"alert": {...}, "history": [{"id", "alert_id", "state",
     * "actor", "comment", "source", "at"}, ...]}}, the history oldest first; 404 when there is no such alert.
     */
    public ObjectNode get(long id) {
        var alert = benchmon.alertBook().find(id).orElseThrow(() -> notFound("alert", "alert " + id + " not found"));
        ObjectNode root = ResultJson.mapper().createObjectNode();
        root.set("alert", alerting.json(List.of(alert)).get(0));
        ArrayNode history = root.putArray("history");
        for (AlertEvent e : benchmon.alertBook().history(id)) {
            event(history.addObject(), e);
        }
        return root;
    }

    public void setState(Context ctx) throws IOException {
        long id = pathId(ctx, "id");
        QueryParams.of(ctx, Set.of()).check();
        json(ctx, 200, setState(id, body(ctx)));
    }

    /**
     * {@code POST /alerts/{id}/state} with this body: {@code {"event": {...}, "alert": {...}, "changed": true,
     * "previous_state": "open", "mutes_ended": [{"id", "series_id", "metric", "reason", "note"}], "alerts": [...]}}
     * ({@code previous_state}: the state before the call, the same as the new one when nothing changed or when a
     * person's change is recorded in a state the detector, an exclusion or a series mute gave it); muting an alert a person
     * muted already, or acknowledging, expecting or resolving one in that state already, changes nothing:
     * {@code "changed": false}, the event that set the state. A muted alert taken out of its mute (acknowledged,
     * expected, resolved or opened) ends the series mutes its own mute created ({@code alerts mute ID --for 7d}), as
     * its unmute does: {@code mutes_ended} lists them ({@code note} says so), and {@code alerts} the other alerts they
     * alone silenced that opened again ({@code "effect": "opened"}); both empty otherwise. A request the alert's state
     * refuses is a {@link ConflictException} (409) naming {@code alert}: acknowledging or muting a resolved alert, or
     * opening one while a newer alert of its series and metric is active.
     */
    public ObjectNode setState(long id, JsonNode body) {
        fields(body, "state", "comment", "actor", "source");
        AlertState state = parseState(text(body, "state", true), "state");
        String comment = text(body, "comment", false);
        String actor = actor(body);
        try {
            var triaged = alerting.changeState(id, state, actor, comment, source(body));
            // false: a person had muted it already; nothing appended, event is the one that muted it (200, idempotent)
            ObjectNode root = stateAnswer(id, triaged.event()).put("changed", triaged.changed())
                    .put("previous_state", triaged.previous().sqlName());
            // (worded as the mute's end_reason words it: alert_set_state answers how)
            root.set("mutes_ended", mutesEnded(id, triaged.endedMuteIds(), "ended when it was " + triaged.endedHow()));
            root.set("alerts", changedAlerts(triaged.alerts()));
            return root;
        } catch (NotFoundException e) {
            throw notFound("alert", e.getMessage());
        } catch (StateConflictException e) {
            // 409: the request is well formed, and the alert's state refuses it (resolved, or a newer alert follows its
            // change); the message says what to do instead.
            throw ConflictException.of("alert", e.getMessage());
        }
    }

    /**
     * The mutes {@code endedIds} that alert {@code alertId}'s own mute created and that ended with it, as the API
     * answers them: {@code [{"id", "series_id", "metric", "reason", "note"}]}, {@code note} from {@link #endedWith};
     * {@code how} says what ended them ({@code ended with its unmute}).
     */
    private ArrayNode mutesEnded(long alertId, List<Long> endedIds, String how) {
        ArrayNode ended = ResultJson.mapper().createArrayNode();
        if (!endedIds.isEmpty()) {
            for (Mute m : benchmon.annotations().mutes(benchmon.alertBook().get(alertId).seriesId(), null)) {
                if (endedIds.contains(m.id())) {
                    ended.addObject().put("id", m.id()).put("series_id", m.seriesId()).put("metric", m.metric())
                            .put("reason", m.reason()).put("note", endedWith(m, alertId, how));
                }
            }
        }
        return ended;
    }

    /** {@code {"event": {...}, "alert": {...}}}: the event a state change appended and the alert after it. */
    private ObjectNode stateAnswer(long id, AlertEvent e) {
        ObjectNode root = ResultJson.mapper().createObjectNode();
        event(root.putObject("event"), e);
        root.set("alert", alerting.json(List.of(benchmon.alertBook().get(id))).get(0));
        return root;
    }

    public void annotate(Context ctx) throws IOException {
        long run = pathId(ctx, "id");
        QueryParams.of(ctx, Set.of()).check();
        json(ctx, 201, annotate(run, body(ctx)));
    }

    /** {@code POST /runs/{id}/annotations} with this body: {@code {"annotation_id", ..., "alerts": [...]}}. */
    public ObjectNode annotate(long run, JsonNode body) {
        fields(body, "kind", "text", "reason", "actor");
        String kind = text(body, "kind", true);
        // An exclusion's text is its reason: the toolkit refuses a blank one (named below as the body gives it); a
        // note's text is required here; an inclusion's has a default when left out (a blank one given is refused,
        // as a note's: whoever sent it meant to say something).
        String field = body.has("reason") && !body.has("text") ? "reason" : "text";
        boolean defaulted = "included".equals(kind) && (body.path(field).isMissingNode() || body.path(field).isNull());
        String text = defaulted ? INCLUDED_TEXT : text(body, field, !"excluded".equals(kind));
        try {
            Annotations.Annotated a = alerting.annotate(run, kind, text, actor(body));
            ObjectNode root = ResultJson.mapper().createObjectNode();
            root.put("annotation_id", a.annotationId()).put("run", run).put("series_id", a.seriesId())
                    .put("kind", kind).put("text", text.trim());
            ArrayNode resolved = root.putArray("resolved_alerts");
            a.resolvedAlerts().forEach(resolved::add);
            root.set("alerts", changedAlerts(a.alerts()));
            return root;
        } catch (NotFoundException e) {
            throw notFound("run", e.getMessage());
        } catch (StateConflictException e) { // excluded already, or not excluded to include it again
            throw ConflictException.of("run", e.getMessage());
        } catch (ValidationException e) {
            // The toolkit names an exclusion's blank text "reason" (its name in excluded_runs); a body that gave it as
            // text, or gave neither (text is the documented field), is told about the field it sends.
            if (field.equals("text") && e.problems().stream().anyMatch(p -> "reason".equals(p.field()))) {
                throw InvalidRequestException.of("text", "must say why the run is excluded (an exclusion's text is its "
                        + "reason)");
            }
            throw e;
        }
    }

    /** The alerts an annotation changed, as the API shows alerts, each with what happened to it ({@code effect}). */
    private ArrayNode changedAlerts(List<AlertChange> changes) {
        java.util.Map<Long, Alert> byId = new java.util.HashMap<>();
        benchmon.alertBook().byIds(changes.stream().map(AlertChange::alertId).toList()).forEach(x -> byId.put(x.id(), x));
        ArrayNode out = ResultJson.mapper().createArrayNode();
        for (AlertChange c : changes) {
            ObjectNode o = (ObjectNode) alerting.json(List.of(byId.get(c.alertId()))).get(0);
            out.add(ResultJson.mapper().createObjectNode().put("effect", c.change()).setAll(o));
        }
        return out;
    }

    public void annotations(Context ctx) {
        long run = pathId(ctx, "id");
        QueryParams.of(ctx, Set.of()).check();
        ObjectNode root = ResultJson.mapper().createObjectNode();
        String reason = benchmon.annotations().exclusionReason(run);
        root.put("run", run).put("excluded", reason != null).put("exclusion_reason", reason);
        ArrayNode list = root.putArray("annotations");
        for (RunAnnotation a : benchmon.annotations().ofRun(run)) {
            list.addObject().put("id", a.id()).put("kind", a.kind()).put("text", a.text()).put("actor", a.actor())
                    .put("at", a.at().toString());
        }
        json(ctx, 200, root);
    }

    public void mute(Context ctx) throws IOException {
        int series = seriesPath(ctx);
        QueryParams.of(ctx, Set.of()).check();
        json(ctx, 201, mute(series, body(ctx)));
    }

    /** The series id of the path. */
    private static int seriesPath(Context ctx) {
        long path = pathId(ctx, "id");
        // Series ids are integers: a larger id names no series (a cast would wrap it onto another one).
        if (path > Integer.MAX_VALUE) {
            throw notFound("series", "series " + path + " not found");
        }
        return (int) path;
    }

    /**
     * {@code POST /series/{id}/mutes} with this body: {@code {"mute_id", "series_id", "metric", "reason", "expires_at",
     * "created", "extended_from"}}. A mute of the same series and metric in force already is answered instead of a
     * second one ({@code "created": false}, its own reason and expiry, extended to the one asked when that is later by
     * more than a minute:
     * then {@code extended_from} is the expiry it had, else null); either way the scope's open alerts are muted.
     * {@code "alert_id"} (optional): the alert whose mute asks for this one ({@code alerts mute ID --for 7d}); a mute
     * this call creates ends when that alert is unmuted. It must be an alert of the series whose metric the mute covers
     * (else a 400 naming {@code alert_id}; an unknown alert a 404).
     */
    public ObjectNode mute(int series, JsonNode body) {
        fields(body, "metric", "reason", "until", "for", "actor", "alert_id");
        String metric = text(body, "metric", false);
        String reason = text(body, "reason", false); // missing or blank: the toolkit's refusal (400 naming reason)
        Instant until = until(body, Instant.now());
        Long alertId = alertId(body);
        requireMetricOf(series, metric);
        try {
            Annotations.Muted muted = benchmon.annotations().muteSeries(series, metric, reason, actor(body), until, null,
                    alertId);
            Mute m = muted.mute();
            ObjectNode root = ResultJson.mapper().createObjectNode();
            root.put("mute_id", m.id()).put("series_id", series).put("metric", metric).put("reason", m.reason())
                    .put("expires_at", m.expiresAt().toString()).put("created", muted.created())
                    .put("extended_from", muted.extendedFrom() == null ? null : muted.extendedFrom().toString());
            return root;
        } catch (NotFoundException e) {
            throw notFound("alert_id".equals(e.kind()) ? "alert_id" : "series", e.getMessage());
        }
    }

    /**
     * A misspelt metric (or another series') would mute or unmute nothing, silently: a 404 naming it and listing the
     * series' own metrics ({@code unknown metric 'nope' (metrics of series 5: f1, loss)}), not every metric of the
     * database. A series with no metrics is no series: the mute's own 404 names it.
     */
    private void requireMetricOf(int series, String metric) {
        if (metric == null) {
            return;
        }
        List<String> own = benchmon.seriesMetrics(series);
        if (!own.isEmpty() && !own.contains(metric)) {
            throw new dev.benchmon.UnknownNameException("metric", metric, "metrics of series " + series, own);
        }
    }

    public void unmute(Context ctx) throws IOException {
        int series = seriesPath(ctx);
        QueryParams.of(ctx, Set.of()).check();
        json(ctx, 200, unmute(series, body(ctx)));
    }

    /**
     * {@code POST /series/{id}/unmute} with this body ({@code {"metric" (optional), "reason" (optional), "actor",
     * "alert_id" (optional: a muted alert to open too, in the same transaction), "source" (optional)}}):
     * {@code {"series_id", "metric", "mute_ids": [...], "alerts": [...]}}, the mutes ended and the alerts opened again.
     * A refusal (no mute in force, a 404; an alert that is not muted, a 409) ends nothing.
     */
    public ObjectNode unmute(int series, JsonNode body) {
        fields(body, "metric", "reason", "actor", "alert_id", "source");
        String metric = text(body, "metric", false);
        String reason = text(body, "reason", false);
        requireMetricOf(series, metric);
        try {
            Annotations.Unmuted u = alerting.unmute(series, metric, reason, actor(body), alertId(body), source(body));
            ObjectNode root = ResultJson.mapper().createObjectNode();
            root.put("series_id", series).put("metric", metric).put("reason", reason == null ? null : reason.trim());
            ArrayNode ids = root.putArray("mute_ids");
            u.muteIds().forEach(ids::add);
            root.set("alerts", changedAlerts(u.alerts()));
            return root;
        } catch (NotFoundException e) {
            throw notFound(e.kind(), e.getMessage());
        } catch (StateConflictException e) { // the alert_id given is not muted: nothing ended
            throw ConflictException.of("alert_id", e.getMessage());
        }
    }

    public void unmuteAlert(Context ctx) throws IOException {
        long id = pathId(ctx, "id");
        QueryParams.of(ctx, Set.of()).check();
        json(ctx, 200, unmuteAlert(id, body(ctx)));
    }

    /**
     * {@code POST /alerts/{id}/unmute} with this body ({@code {"comment", "actor"}}): a muted alert opens again (or is
     * acknowledged again), {@code {"event": {...}, "alert": {...}, "mutes_ended": [{"id", "series_id", "metric",
     * "reason", "note"}], "alerts": [...], "mutes_in_force": [{"id", "series_id", "metric", "reason", "ends_at",
     * "note"}]}}: the state change's answer; the series mutes the alert's own mute created ({@code alerts mute ID
     * --for 7d}) that ended with it ({@code note} says so), and the other alerts they silenced that opened again
     * ({@code "effect": "opened"}); and the mutes of its series covering its metric that stay in force (they mute later
     * alerts of the metric; {@code note} says so and how to end each). An alert that is not muted is a 409.
     */
    public ObjectNode unmuteAlert(long id, JsonNode body) {
        fields(body, "comment", "actor", "source");
        String comment = text(body, "comment", false);
        try {
            dev.benchmon.alert.Alerts.Unmuted u = alerting.unmuteAlert(id, actor(body), comment, source(body));
            ObjectNode root = stateAnswer(id, u.event());
            Alert a = benchmon.alertBook().get(id);
            root.set("mutes_ended", mutesEnded(id, u.endedMuteIds(), "ended with its unmute"));
            root.set("alerts", changedAlerts(u.alerts()));
            // The alert opens, but a mute of its series covering its metric that its own mute did not create stays in
            // force: later alerts of that metric open muted until it ends. Said in the answer, so nobody takes "open"
            // for "nothing muted any more".
            ArrayNode mutes = root.putArray("mutes_in_force");
            for (Mute m : coveringMutes(a.seriesId(), a.metric())) {
                mutes.addObject().put("id", m.id()).put("series_id", m.seriesId()).put("metric", m.metric())
                        .put("reason", m.reason()).put("ends_at", m.endsAt().toString())
                        .put("note", staysInForce(m, a.metric()) + "; end it with `" + endCommand(m) + "`");
            }
            return root;
        } catch (NotFoundException e) {
            throw notFound("alert", e.getMessage());
        } catch (StateConflictException e) { // not muted
            throw ConflictException.of("alert", e.getMessage());
        }
    }

    /**
     * What ending mute {@code m} as alert {@code alertId}, whose mute created it, left its mute means ({@code how}:
     * {@code ended with its unmute}, {@code ended when it was resolved}), e.g. {@code the mute of series 3 metric f1
     * (mute 7), created when alert 12 was muted, ended with its unmute}.
     */
    private static String endedWith(Mute m, long alertId, String how) {
        return "the mute of series " + m.seriesId() + (m.metric() == null ? " (every metric)" : " metric " + m.metric())
                + " (mute " + m.id() + "), created when alert " + alertId + " was muted, " + how;
    }

    /** The mutes of series {@code seriesId} in force now that cover {@code metric}: of the whole series, or of that metric. */
    public List<Mute> coveringMutes(int seriesId, String metric) {
        Instant now = Instant.now();
        return benchmon.annotations().mutes(seriesId, now).stream().filter(m -> m.covers(metric, now)).toList();
    }

    /**
     * What a mute still in force means for {@code metric}'s findings, e.g. {@code the mute of series 3 metric f1 (mute 7)
     * stays in force until 2026-12-01T08:00:00Z: new alerts of f1 open muted until then}.
     */
    public static String staysInForce(Mute m, String metric) {
        return "the mute of series " + m.seriesId() + (m.metric() == null ? " (every metric)" : " metric " + m.metric())
                + " (mute " + m.id() + ") stays in force until " + m.endsAt() + ": new alerts of " + metric
                + " open muted until then";
    }

    /**
     * The command that ends mute {@code m} early: {@code benchmon alerts unmute --series-id 3 --metric f1}, or without
     * {@code --metric} for a mute of the whole series (a metric it alone covers is refused with {@code --metric}).
     */
    public static String endCommand(Mute m) {
        return "benchmon alerts unmute --series-id " + m.seriesId() + (m.metric() == null ? "" : " --metric " + m.metric());
    }

    public void mutes(Context ctx) {
        QueryParams q = QueryParams.of(ctx, Set.of("series_id", "active"));
        Integer series = intParam(q.single("series_id"), "series_id");
        Boolean active = q.bool("active");
        q.check();
        ObjectNode root = ResultJson.mapper().createObjectNode();
        ArrayNode list = root.putArray("mutes");
        for (Mute m : benchmon.annotations().mutes(series, Boolean.TRUE.equals(active) ? Instant.now() : null)) {
            list.addObject().put("id", m.id()).put("series_id", m.seriesId()).put("metric", m.metric())
                    .put("reason", m.reason()).put("actor", m.actor()).put("starts_at", m.startsAt().toString())
                    .put("expires_at", m.expiresAt().toString())
                    .put("ended_at", m.endedAt() == null ? null : m.endedAt().toString()).put("ended_by", m.endedBy())
                    .put("ends_at", m.endsAt().toString())
                    .put("end_reason", m.endReason())
                    // the alert whose mute created it (it ends when that alert leaves its mute); null: made on its own
                    .put("alert_id", m.alertId());
        }
        json(ctx, 200, root);
    }

    public void deliveries(Context ctx) {
        QueryParams q = QueryParams.of(ctx, Set.of("limit"));
        Integer limit = intParam(q.single("limit"), "limit");
        q.check();
        ObjectNode root = ResultJson.mapper().createObjectNode();
        ArrayNode list = root.putArray("deliveries");
        for (Delivery d : new DeliveryLog(benchmon.jdbi()).latest(limit == null ? 100 : Math.max(1, Math.min(limit, 1000)))) {
            ObjectNode o = list.addObject();
            o.put("id", d.id()).put("channel", d.channel()).put("target", d.target()).put("attempt", d.attempt())
                    .put("delivered", d.delivered()).put("error", d.error()).put("at", d.at().toString());
            if (d.statusCode() == null) {
                o.putNull("status_code");
            } else {
                o.put("status_code", d.statusCode());
            }
            ArrayNode ids = o.putArray("alert_ids");
            d.alertIds().forEach(ids::add);
        }
        json(ctx, 200, root);
    }

    // ---- parsing --------------------------------------------------------------------------------

    /**
     * {@code until} (an ISO-8601 instant) or {@code for} (e.g. 2h, 7d, 4w) after {@code now}, as {@link #muteExpiry}
     * rounds it, so the mute's answer names the expiry its listing will.
     */
    static Instant until(JsonNode body, Instant now) {
        return muteExpiry(expiry(body, now));
    }

    /**
     * A mute's expiry as the database stores it: rounded to the microsecond, halves up ({@link Timestamps#asStored}).
     * The API's mute and the dashboard's "Mute series metric" both take their expiry from here, so whatever either
     * names (an answer, a page) is what the listing of mutes reads back.
     */
    public static Instant muteExpiry(Instant expiry) {
        return Timestamps.asStored(expiry);
    }

    private static Instant expiry(JsonNode body, Instant now) {
        String until = text(body, "until", false);
        String duration = text(body, "for", false);
        if ((until == null) == (duration == null)) {
            throw InvalidRequestException.of("until", "give the expiry as 'until' (e.g. " + untilExample(now) + ") or 'for' "
                    + "(e.g. 7d), one of the two");
        }
        if (until != null) {
            // The forms run_at takes, years of four digits: a date past PostgreSQL's timestamptz range
            // (+300000-01-01) is a 400 here, never a database error.
            Instant expiry;
            try {
                expiry = Timestamps.parse(until).instant();
            } catch (IllegalArgumentException e) {
                throw InvalidRequestException.of("until", e.getMessage());
            }
            return checkedUntil("until", until, expiry, now);
        }
        return now.plus(duration("for", duration));
    }

    /**
     * An expiry to show as an example of {@code until}: the start of the day a week after {@code now}, ISO-8601 in UTC
     * (e.g. {@code 2026-12-08T00:00:00Z}). Computed, so a copied example is never refused as past.
     */
    public static String untilExample(Instant now) {
        return now.plus(Duration.ofDays(7)).truncatedTo(java.time.temporal.ChronoUnit.DAYS).toString();
    }

    /**
     * The longest mute, 365 days: a mute silences a series' regressions, and one set for longer than a year is no
     * longer a decision anyone remembers (a typo such as {@code 99999d} muted it until the year 2300). A metric that
     * should never be judged is declared {@code direction none} instead, which says so where it is read.
     */
    public static final Duration MAX_MUTE = Duration.ofDays(365);

    /** Why a longer mute is refused, after "must be at most ...". */
    private static final String MAX_MUTE_WHY = "a mute silences the series' regressions, and one longer than a year is "
            + "forgotten rather than decided; for a metric never to be judged, declare it direction none (benchmon "
            + "metrics define NAME --direction none)";

    /**
     * {@code 30m}, {@code 12h}, {@code 7d}, {@code 2w}: a mute's period (API {@code for}, {@code alerts mute --for},
     * the dashboard's mute form), at most {@link #MAX_MUTE}.
     *
     * @throws InvalidRequestException naming {@code field}: not such a duration, zero, or longer than {@link #MAX_MUTE}
     */
    public static Duration duration(String field, String text) {
        var m = java.util.regex.Pattern.compile("(\\d{1,5})\\s*([mhdw])").matcher(text.trim().toLowerCase());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw InvalidRequestException.of(field, "must be a positive duration such as 30m, 12h, 7d or 2w, got '" + TextRules.quoted(text) + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
        if (d.compareTo(MAX_MUTE) > 0) {
            throw InvalidRequestException.of(field, "must be at most 365 days (365d, 52w): " + MAX_MUTE_WHY + "; got '"
                    + TextRules.quoted(text) + "'");
        }
        return d;
    }

    /**
     * A mute's {@code expiry} written as {@code until} (API {@code until}, {@code alerts mute --until}): in the future
     * and at most {@link #MAX_MUTE} after {@code now}, as a period is.
     *
     * @throws InvalidRequestException naming {@code field}
     */
    public static Instant checkedUntil(String field, String written, Instant expiry, Instant now) {
        if (!expiry.isAfter(now)) { // a mute starts now: the database would refuse it in its own words
            throw InvalidRequestException.of(field, "must be in the future, got " + written);
        }
        if (expiry.isAfter(now.plus(MAX_MUTE))) {
            throw InvalidRequestException.of(field, "must be at most 365 days from now (before "
                    + now.plus(MAX_MUTE).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "): " + MAX_MUTE_WHY + "; got "
                    + written);
        }
        return expiry;
    }

    /**
     * A {@code state} of {@code GET /alerts} ({@code alerts list --state}): a state's name, whose error also offers
     * {@link #ALL_STATES}.
     *
     * @throws InvalidRequestException naming {@code field}: no state has that name
     */
    public static AlertState listedState(String field, String value) {
        try {
            return AlertState.parse(field, value);
        } catch (ValidationException e) {
            throw InvalidRequestException.of(field, "must be one of " + java.util.Arrays.stream(AlertState.values())
                    .map(AlertState::sqlName).toList() + " or " + ALL_STATES + ", got '" + value + "'");
        }
    }

    private static AlertState parseState(String value, String field) {
        try {
            return AlertState.parse(field, value);
        } catch (ValidationException e) {
            throw InvalidRequestException.of(field, e.problems().get(0).message());
        }
    }

    /**
     * Who acts: {@code "api"} when the body has no {@code actor}; else a name of 1 to
     * {@value TextRules#MAX_NAME_LENGTH} characters, as other names. A blank or longer one is refused naming
     * {@code actor}: it was stored as {@code "api"} or as sent, so an event would name someone nobody typed.
     */
    private static String actor(JsonNode body) {
        JsonNode v = body.get("actor");
        if (v == null || v.isNull()) {
            return "api";
        }
        if (v.isTextual() && v.asText().isBlank()) {
            throw InvalidRequestException.of("actor", "must not be blank: name who acts, or leave actor out (it is then "
                    + "recorded as api)");
        }
        String actor = text(body, "actor", true);
        String trimmed = actor.strip(); // the database functions trim it
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length > TextRules.MAX_NAME_LENGTH) {
            throw InvalidRequestException.of("actor", "is " + length + " characters long; at most "
                    + TextRules.MAX_NAME_LENGTH + ", as other names");
        }
        return actor;
    }

    /** The optional {@code alert_id} of a body: a positive integer, else a 400 naming it. */
    private static Long alertId(JsonNode body) {
        JsonNode v = body.get("alert_id");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() <= 0) {
            throw InvalidRequestException.of("alert_id", "must be an alert's id (a positive integer), got " + v);
        }
        return v.asLong();
    }

    /**
     * Where a state change came from: {@code "api"} when the body has no {@code source}, else one of {@link #SOURCES}
     * (any other was recorded as {@code api}; now a 400 naming {@code source}).
     */
    private static String source(JsonNode body) {
        JsonNode v = body.get("source");
        if (v == null || v.isNull()) {
            return "api";
        }
        String s = text(body, "source", true);
        if (!SOURCES.contains(s)) {
            throw InvalidRequestException.of("source", "must be one of " + String.join(", ", SOURCES) + " (or left out: "
                    + "api), got '" + TextRules.quoted(s) + "'");
        }
        return s;
    }

    static String text(JsonNode body, String field, boolean required) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw InvalidRequestException.of(field, "is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw InvalidRequestException.of(field, "must be a string");
        }
        return text(field, v.asText(), required);
    }

    /**
     * The text {@code s} of field {@code field} (a JSON field or a dashboard form's), once it is known to be storable;
     * {@code null} when blank and not required.
     *
     * @throws InvalidRequestException naming the field: too long, a character PostgreSQL cannot store or that would
     *                                 mislead (controls, lone surrogates), or blank when required
     */
    public static String text(String field, String s, boolean required) {
        if (s.length() > MAX_TEXT) {
            throw InvalidRequestException.of(field, "must be at most " + MAX_TEXT + " characters, got " + s.length());
        }
        // Text that could never be stored: PostgreSQL refuses a NUL (not as an input error, so it would be
        // a 500) and a lone surrogate would be stored as '?'. Surrounding whitespace is fine: the database
        // functions trim it.
        String bad = TextRules.firstBadCharacter(s, FREE_TEXT.contains(field));
        if (bad != null) {
            throw InvalidRequestException.of(field, bad);
        }
        if (required && s.isBlank()) {
            throw InvalidRequestException.of(field, "must not be blank");
        }
        return s.isBlank() ? null : s;
    }

    /**
     * The JSON object body. JSON that does not parse is refused as a pushed body is: what is wrong in the words of its
     * writer, where (line, column), and a key given twice by its name ({@link ResultJson#jsonProblem(String,
     * com.fasterxml.jackson.core.JsonProcessingException)}), not in the parser's ({@code Unrecognized token 'nope': was
     * expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')}).
     */
    private static JsonNode body(Context ctx) throws IOException {
        dev.benchmon.server.api.ResultsEndpoint.checkContentType(ctx.contentType(), Set.of("application/json"),
                "application/json");
        String text = ctx.body(); // read outside the parse's catch: a body over the limit stays Javalin's 413
        try {
            return ResultJson.mapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ValidationException.Problem p = ResultJson.jsonProblem(text, e);
            throw InvalidRequestException.of(p.field(), p.message());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw InvalidRequestException.of("body", "is not valid JSON");
        }
    }

    /** Refuses a body that is not an object or holds a field besides {@code fields}: a misspelt one would be dropped unseen. */
    private static void fields(JsonNode node, String... fields) {
        if (node == null || !node.isObject()) {
            throw InvalidRequestException.of("body", "must be a JSON object");
        }
        List<String> allowed = List.of(fields);
        for (java.util.Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw InvalidRequestException.of(dev.benchmon.ingest.TextRules.visible(name),
                        "unknown field; this request takes " + String.join(", ", allowed));
            }
        }
    }

    private static long pathId(Context ctx, String name) {
        String v = ctx.pathParam(name);
        try {
            long id = Long.parseLong(v);
            if (id < 1) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw InvalidRequestException.of(name, "must be a positive whole number, got '" + TextRules.quoted(v) + "'");
        }
    }

    private static Integer intParam(String v, String name) {
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw InvalidRequestException.of(name, "must be a whole number, got '" + TextRules.quoted(v) + "'");
        }
    }

    private static dev.benchmon.server.api.errors.NotFoundException notFound(String field, String message) {
        return new dev.benchmon.server.api.errors.NotFoundException(field, message);
    }

    private static void event(ObjectNode o, AlertEvent e) {
        o.put("id", e.id()).put("alert_id", e.alertId()).put("state", e.state().sqlName()).put("actor", e.actor())
                .put("comment", e.comment()).put("source", e.source()).put("at", e.at().toString());
    }

    private static void json(Context ctx, int status, ObjectNode root) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(root.toString());
    }

    /** Registers the routes: reads behind {@code read}, changes behind the triage check. */
    public static void register(io.javalin.config.RoutesConfig routes, String prefix, Alerting alerting) {
        AlertEndpoints e = new AlertEndpoints(alerting);
        TriageAuth triage = alerting.triage();
        java.util.function.Function<io.javalin.http.Handler, io.javalin.http.Handler> read = triage::read;
        routes.get(prefix + "/alerts", read.apply(e::list));
        routes.get(prefix + "/alerts/deliveries", read.apply(e::deliveries));
        routes.get(prefix + "/alerts/{id}", read.apply(e::get));
        routes.post(prefix + "/alerts/{id}/state", triage.api(e::setState));
        routes.get(prefix + "/runs/{id}/annotations", read.apply(e::annotations));
        routes.post(prefix + "/runs/{id}/annotations", triage.api(e::annotate));
        routes.get(prefix + "/mutes", read.apply(e::mutes));
        routes.post(prefix + "/series/{id}/mutes", triage.api(e::mute));
        routes.post(prefix + "/series/{id}/unmute", triage.api(e::unmute));
        routes.post(prefix + "/alerts/{id}/unmute", triage.api(e::unmuteAlert));
    }

    @SuppressWarnings("unused")
    private static Supplier<Instant> clock() {
        return Instant::now;
    }
}
