package dev.benchmon.server.web;

import dev.benchmon.BenchmonException;
import dev.benchmon.alert.Alert;
import dev.benchmon.alert.AlertEvent;
import dev.benchmon.alert.AlertFilter;
import dev.benchmon.alert.AlertState;
import dev.benchmon.alert.Alerts;
import dev.benchmon.alert.Mute;
import dev.benchmon.alert.NotFoundException;
import dev.benchmon.alert.StateConflictException;
import dev.benchmon.alert.RunAnnotation;
import dev.benchmon.alert.RunRecords;
import dev.benchmon.chart.MetricUnits;
import dev.benchmon.detect.MetricJudgement;
import dev.benchmon.detect.MetricVerdict;
import dev.benchmon.detect.Outcome;
import dev.benchmon.server.ServerContext;
import dev.benchmon.server.Sessions;
import dev.benchmon.server.alert.AlertEndpoints;
import dev.benchmon.server.alert.Alerting;
import dev.benchmon.server.alert.TriageAuth;
import dev.benchmon.server.api.errors.ApiException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The alert pages: the Alerts view (by state: open, acknowledged, muted, expected, resolved; filters by state; triage
 * buttons), a page per series
 * (every metric's history with markers for exclusions, notes and alerts; its alerts, mutes,
 * annotations and runs; CSV export) and a page per run (its metrics against the series baseline, its
 * context and annotations). Triage from the browser needs the triage or write token, asked once; the
 * HttpOnly SameSite=Strict cookie holds a session id, not the token; triage forms are POSTs checked
 * for a same-origin Origin (or Referer).
 */
final class AlertPages {
    /** Who triages from this browser (a name, not a secret). */
    static final String ACTOR_COOKIE = "benchmon_actor";
    private static final int SERIES_RUNS = 500;

    /**
     * An alert row. {@code href} is the alert's own page ({@code /alerts/ID}); {@code lastComment} the newest event of
     * its history, {@code lastTriage} the newest a person made ({@link Alerts#latest}, worded by {@link #triageText})
     * when a later event hides it, else empty; {@code history} every event, oldest first (empty on a page that shows no history).
     */
    record AlertRow(long id, String href, String state, LinkCells.Link series, String metric, String change, String severity,
                    LinkCells.Link commits, LinkCells.Link run, LinkCells.Link ci, String opened, String verdict,
                    String lastComment, String lastTriage, String kind, String changePoint, String now, String muteNote,
                    List<HistoryRow> history, String followedBy, String followedByHref, boolean seriesMuted) {
    }

    /**
     * One event of an alert's history as the pages show it: when (UTC, to the second), who, the state change
     * ({@code opened}, or {@code open → acknowledged}; {@code acknowledged (again)} for an event that kept the state),
     * where from (cli, dashboard, api, detector, ...) and the comment.
     */
    record HistoryRow(String at, String actor, String change, String state, String source, String comment) {
    }

    /** A run row (greyed when excluded). */
    record RunRow(String runAt, LinkCells.Link run, LinkCells.Link commit, LinkCells.Link ci, String branch, String triggeredBy, String tags, String notes, boolean excluded, String excludedReason,
                  Map<String, String> values) {
    }

    /** A metric of a run against its baseline. */
    record MetricRow(String metric, String value, String baseline, String change, String baselineRuns, boolean worse,
                     String verdict) {
    }

    /** An annotation or mute as a table row. */
    record NoteRow(String at, String kind, String text, String actor, LinkCells.Link run) {
    }

    /** A state filter link. */
    record StateLink(String label, String href, boolean active, long count) {
    }

    private final ServerContext context;
    private final Alerting alerting;
    private final Templates templates;
    private final WebAuth auth;
    private final RunRecords records;

    private AlertPages(ServerContext context, Templates templates, WebAuth auth) {
        this.context = context;
        this.alerting = context.alerting();
        this.templates = templates;
        this.auth = auth;
        // The primary, not the read replica: these pages show triage a person has just done (read-your-writes).
        this.records = new RunRecords(context.benchmon().jdbi());
    }

    /** Adds the routes. */
    static void register(JavalinConfig config, ServerContext context, Templates templates, WebAuth auth) {
        AlertPages p = new AlertPages(context, templates, auth);
        var routes = config.routes;
        routes.get("/alerts", auth.guard(p::alerts));
        routes.get("/alerts/{id}", auth.guard(p::alert));
        routes.post("/alerts/{id}/triage", auth.guard(p::triageAlert));
        routes.get("/series/{id}", auth.guard(p::series));
        routes.get("/series/{id}/runs.csv", auth.guard(p::seriesCsv));
        routes.get("/runs/{id}", auth.guard(p::run));
        routes.post("/runs/{id}/annotate", auth.guard(p::annotateRun));
        routes.post("/triage/login", auth.guard(p::triageLogin));
    }

    // ---- Alerts view ----------------------------------------------------------------------------

    private void alerts(Context ctx) {
        View v = view(ctx, "Alerts", true, "state", DONE);
        confirmDone(v, id -> context.benchmon().alertBook().find(id));
        String stateParam = v.ownValues.first("state"); // null also when repeated (named on the page)
        String state = stateParam == null ? "open" : stateParam;
        List<AlertState> states = new ArrayList<>();
        if (!state.equals("all")) {
            try {
                states.add(AlertState.parse("state", state));
            } catch (dev.benchmon.ValidationException e) {
                v.problems.add(e.problemText()); // "state: must be one of ...": the field named once
                state = "open";
                states.add(AlertState.OPEN);
            }
        }
        // The filter bar's models, datasets, prompts and environments pick the alerts' series (its time range and
        // metric do not: an alert is listed until it is triaged, whenever its run was)
        AlertFilter bar = AlertFilter.all().withSeriesNames(v.selection.models(), v.selection.datasets(),
                v.selection.prompts(), v.selection.environments());
        List<Alert> all = context.benchmon().alertBook().list(bar.withLimit(10_000));
        List<StateLink> links = new ArrayList<>();
        for (String s : List.of("open", "acknowledged", "expected", "muted", "resolved", "all")) {
            long n = s.equals("all") ? all.size() : all.stream().filter(a -> a.state().sqlName().equals(s)).count();
            // (each link keeps the filter bar's choices, as the counts do)
            links.add(new StateLink(s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1), v.url().with("state", s).href("/alerts"),
                    s.equals(state), n));
        }
        v.model.put("stateLinks", links);
        v.model.put("state", state);
        List<Alert> shown = context.benchmon().alertBook().list(bar.withStates(states));
        v.model.put("alerts", rows(v.links, shown, true, false));
        // Where the login and row forms come back to: the list shown, so a bad ?state= is not sent (and refused) again.
        v.model.put("next", v.url().with("state", state).href("/alerts"));
        render(ctx, v, "alerts");
    }

    /**
     * The rows of {@code alerts}: with the newest comment and triage when {@code withComment}, with every event when
     * {@code withHistory} (else an empty history). What each needs is read in one statement for all rows (the newest
     * events for the comment, whole histories only for the history), and not at all when the page shows neither.
     */
    private List<AlertRow> rows(LinkCells links, List<Alert> alerts, boolean withComment, boolean withHistory) {
        List<AlertRow> rows = new ArrayList<>();
        List<Long> ids = alerts.stream().map(Alert::id).toList();
        // A list shows two events of each alert (its newest and newest triage), read without the whole histories;
        // only a page that shows every event reads them.
        Map<Long, Alerts.Latest> latest = withComment ? context.benchmon().alertBook().latest(ids) : Map.of();
        Map<Long, List<AlertEvent>> histories = withHistory ? context.benchmon().alertBook().history(ids) : Map.of();
        // A resolved or expected alert beside a newer active one of its metric: its menu points to that one rather than
        // offering Reopen, Acknowledge or Mute alert, which alert_set_state refuses then (a 409 page).
        Map<Long, Long> followed = alerts.stream().anyMatch(a -> a.state() == AlertState.RESOLVED || a.state() == AlertState.EXPECTED)
                ? context.benchmon().alertBook().followedBy(ids) : Map.of();
        // The mutes in force, read once: an open or acknowledged alert whose metric one covers says so (an unmute of
        // the alert alone leaves it in force, and new alerts of the metric open muted), and a muted alert offers to end
        // them only when one does (ending none is refused: a 404 page).
        Instant now = Instant.now();
        List<Mute> inForce = alerts.stream().anyMatch(a -> a.state() == AlertState.OPEN || a.state() == AlertState.ACKNOWLEDGED
                || a.state() == AlertState.MUTED) ? context.benchmon().annotations().mutes(null, now) : List.of();
        // The verdicts' changes in their metrics' units, as the run page and push state them: one statement.
        java.util.Set<String> alertMetrics = new java.util.TreeSet<>();
        alerts.forEach(a -> alertMetrics.add(a.metric()));
        MetricUnits units = context.benchmon().metricUnits(alertMetrics);
        for (Alert a : alerts) {
            List<Mute> covering = inForce.stream().filter(m -> m.seriesId() == a.seriesId() && m.covers(a.metric(), now))
                    .toList();
            List<String> muteNotes = new ArrayList<>();
            if (a.state() == AlertState.OPEN || a.state() == AlertState.ACKNOWLEDGED) {
                covering.forEach(m -> muteNotes.add(AlertEndpoints.staysInForce(m, a.metric())));
            }
            List<AlertEvent> history = histories.getOrDefault(a.id(), List.of());
            String comment = "";
            String triage = "";
            Alerts.Latest two = latest.get(a.id());
            if (two != null) {
                comment = said(two.newest());
                AlertEvent person = two.triage();
                if (person != null && person.id() != two.newest().id()) { // someone else spoke last: the triage stays in sight
                    triage = triageText(person);
                }
            }
            String changePoint = a.changePointText();
            rows.add(new AlertRow(a.id(), links.alert(a.id()), a.state().sqlName(), links.series(a.series(), a.seriesId()), a.metric(),
                    a.change(), a.severity() == null ? "" : a.severity(),
                    links.commits(a), links.run(a.transactionId(), "run"),
                    links.ciRun(a.runId()), Formats.minutes(a.openedAt()), units.inAlertVerdict(a.verdict(), a.metric()),
                    comment, triage, a.kind(), changePoint,
                    a.nowDiffers() == null ? "" : a.nowDiffers(), String.join("; ", muteNotes),
                    withHistory ? historyRows(history) : List.of(),
                    followed.containsKey(a.id()) ? String.valueOf(followed.get(a.id())) : "",
                    followed.containsKey(a.id()) ? links.alert(followed.get(a.id())) : "",
                    !covering.isEmpty()));
        }
        return rows;
    }

    /** The page of alert {@code id}: its whole history. */
    static String href(long id) {
        return "/alerts/" + id;
    }

    /** An event as one line: {@code ana: bisecting}, or the state it set when it has no comment. */
    private static String said(AlertEvent e) {
        return e.actor() + ": " + (e.comment() == null || e.comment().isBlank() ? e.state().sqlName() : e.comment());
    }

    /**
     * A person's triage event ({@link Alerts#latest}) as both the Alerts list and the Regressions page word it, in the
     * state that event set (not the alert's state now, which a later event of the detector or a mute may have moved):
     * {@code acknowledged by ana 2026-01-01 04:00 UTC: bisecting}.
     */
    static String triageText(AlertEvent e) {
        return e.state().sqlName() + " by " + e.actor() + " " + Formats.minutes(e.at()) + " UTC"
                + (e.comment() == null || e.comment().isBlank() ? "" : ": " + e.comment());
    }

    /** The history as rows, oldest first, each with the state it moved from ({@link HistoryRow}). */
    static List<HistoryRow> historyRows(List<AlertEvent> history) {
        List<HistoryRow> rows = new ArrayList<>();
        AlertState before = null;
        for (AlertEvent e : history) {
            String state = e.state().sqlName();
            String change = before == null ? "opened" + (e.state() == AlertState.OPEN ? "" : " " + state)
                    : before == e.state() ? state + " (again)" : before.sqlName() + " → " + state;
            String comment = nz(e.comment());
            // The detector's opening says "opened: f1 regression: ..." (alert_record_findings), where the change already
            // says "opened": the series page read "opened: opened: f1 regression".
            if (before == null && comment.startsWith(change + ": ")) {
                comment = comment.substring(change.length() + 2);
            }
            rows.add(new HistoryRow(Formats.seconds(e.at()), e.actor(), change, state, nz(e.source()), comment));
            before = e.state();
        }
        return rows;
    }

    // ---- alert page -----------------------------------------------------------------------------

    /**
     * {@code /alerts/{id}}: one alert, what it found and its whole history (who, when, which state change, from where,
     * why); 404 for an alert that does not exist.
     */
    private void alert(Context ctx) {
        long id = id(ctx);
        Alert a = context.benchmon().alertBook().find(id).orElse(null);
        if (a == null) {
            notFound(ctx, "alert " + id);
            return;
        }
        View v = view(ctx, "Alert #" + id, false, DONE);
        confirmDone(v, named -> named == id ? java.util.Optional.of(a) : java.util.Optional.empty()); // this page's alert only
        AlertRow row = rows(v.links, List.of(a), true, true).get(0);
        v.model.put("alert", row);
        // Triage is on the Alerts view, in the list of the alert's state (its row is this anchor there).
        v.model.put("triageHref", v.url().with("state", row.state()).href("/alerts") + "#alert-" + id);
        render(ctx, v, "alert");
    }

    private void triageAlert(Context ctx) {
        if (!triageAllowed(ctx)) {
            return;
        }
        long id = id(ctx);
        String action = nz(ctx.formParam("action"));
        String actor = actor(ctx);
        var book = context.benchmon().alertBook();
        try {
            // The form's own field names throughout: each value below reaches the toolkit as it is checked here, or
            // as the default the form stands for (an empty comment, the mute's period).
            String comment = nz(AlertEndpoints.text("comment", nz(ctx.formParam("comment")), false)).trim();
            Alert a = book.get(id);
            switch (action) {
                case "acknowledged", "expected", "resolved", "muted", "open" -> {
                    // (a muted alert's own series mute ends with it; the alerts that mute alone silenced open
                    // again and are announced)
                    if (!alerting.changeState(id, AlertState.parse("action", action), actor, comment, "dashboard").changed()) {
                        // A second Reopen (or Acknowledge ...) sent from a page shown before the first: nothing was
                        // appended, and the page says so rather than "opened again" (while the alert is still so).
                        action = UNCHANGED + action;
                    }
                }
                case "mute_series" -> {
                    String period = nz(ctx.formParam("mute_for"));
                    Duration d = AlertEndpoints.duration("mute_for", period.isEmpty() ? "7d" : period);
                    // (a blank comment, the mute's reason, is refused by the toolkit, as every mute's is)
                    context.benchmon().annotations().mute(a.seriesId(), a.metric(), comment, actor,
                            AlertEndpoints.muteExpiry(Instant.now().plus(d)), null);
                }
                // (and the series mute its own mute created ends with it; the alerts that mute alone silenced open
                // again and are announced)
                case "unmute" -> alerting.unmuteAlert(id, actor, comment, "dashboard");
                // Ends the mutes that silence the alert's metric: a mute of the whole series (then every metric it
                // alone silenced is announced again) and one of its metric, never another metric's own mute; the
                // database chooses them in the transaction that ends them.
                case "unmute_series" -> alerting.unmuteCovering(a.seriesId(), a.metric(), comment, actor, "dashboard");
                // (a blank comment, the exclusion's reason, is refused by the toolkit, as every exclusion's is)
                case "exclude" -> alerting.annotate(a.transactionId(), "excluded", comment, actor);
                default -> throw new dev.benchmon.InvalidArgumentException(dev.benchmon.ValidationException.Problem.of(
                        "action", "must be acknowledged, expected, resolved, muted, open, mute_series, unmute, "
                                + "unmute_series or exclude"));
            }
        } catch (NotFoundException e) {
            notFoundOrRefused(ctx, e, back(ctx, id), "Back to the alert");
            return;
        } catch (StateConflictException e) {
            // No form field was wrong: the alert's state (or its run's, for Exclude run) refuses the action, and the
            // message says what to do instead.
            refused(ctx, HttpStatus.CONFLICT, e.getMessage(), back(ctx, id), "Back to the alert");
            return;
        } catch (BenchmonException | ApiException e) {
            // the form's comment is the reason of a mute and of an exclusion: the toolkit's refusal names it reason
            refused(ctx, FormRefusal.text(e, Map.of("reason", "comment")), back(ctx, id), "Back to the alert");
            return;
        }
        ctx.redirect(done(back(ctx, id), action, id), HttpStatus.SEE_OTHER);
    }

    /**
     * The parameter a triage form's redirect adds to the page it comes back to ({@code done=ACTION-ID}, an action of
     * the form and the alert's id), for that page to say what was done ({@link #confirmDone}). The Alerts view and an
     * alert's page read it; their links and forms do not carry it on.
     */
    static final String DONE = "done";
    /**
     * The prefix of the {@link #DONE} action of a state change that found the alert in that state already
     * ({@code unchanged_open-12}): confirmed while the alert is still in that state.
     */
    private static final String UNCHANGED = "unchanged_";
    /**
     * What each triage action did, said of alert {@code %d}; the actions whose effect on the alert other runs and mutes
     * decide also say the state it is in now ({@code %s}): an exclusion may resolve it, a series mute mute it.
     */
    private static final Map<String, String> DONE_WORDS = Map.of(
            "acknowledged", "Alert #%d acknowledged.",
            "expected", "Alert #%d marked expected.",
            "resolved", "Alert #%d resolved.",
            "muted", "Alert #%d muted.",
            "open", "Alert #%d opened again.",
            "mute_series", "Alert #%d: its metric muted on its series; the alert is %s now.",
            "unmute", "Alert #%d unmuted.",
            "unmute_series", "Alert #%d: the series mute that covered it ended; the alert is %s now.",
            "exclude", "Alert #%d: its run excluded; the alert is %s now.");
    /**
     * The state each state-changing action leaves its alert in: its confirmation shows only while the alert is still
     * in it, so a bookmarked or shared page does not say "acknowledged" of an alert resolved since. (The actions on a
     * series mute or a run leave states that other runs and mutes also decide; they are confirmed while the alert
     * exists.)
     */
    private static final Map<String, java.util.function.Predicate<AlertState>> DONE_STATES = Map.of(
            "acknowledged", s -> s == AlertState.ACKNOWLEDGED,
            "expected", s -> s == AlertState.EXPECTED,
            "resolved", s -> s == AlertState.RESOLVED,
            "muted", s -> s == AlertState.MUTED,
            "open", s -> s == AlertState.OPEN,
            "unmute", s -> s != AlertState.MUTED);
    private static final java.util.regex.Pattern DONE_VALUE = java.util.regex.Pattern.compile("([a-z_]+)-([0-9]{1,18})");

    /** {@code back} (a page, maybe with a query and an {@code #alert-ID} anchor) with {@code done=ACTION-ID}. */
    private static String done(String back, String action, long id) {
        int hash = back.indexOf('#');
        String page = hash < 0 ? back : back.substring(0, hash);
        return page + (page.contains("?") ? "&" : "?") + DONE + "=" + action + "-" + id
                + (hash < 0 ? "" : back.substring(hash));
    }

    /**
     * The confirmation line of a page a triage form came back to ({@link #DONE}), in the model as {@code flash}: from
     * the words of a known action only, of an alert the page may name ({@code shown}: one that exists, or the page's
     * own), and while that alert is still in the state the action left it in ({@link #DONE_STATES}), so a made-up
     * value shows nothing ("Alert #999 resolved." for no such alert did) and neither does a stale one.
     */
    private static void confirmDone(View v, java.util.function.LongFunction<java.util.Optional<Alert>> shown) {
        String value = v.ownValues.first(DONE);
        java.util.regex.Matcher m = DONE_VALUE.matcher(value == null ? "" : value);
        String action = m.matches() ? m.group(1) : "";
        // (the suffix is a state's name: the state-changing actions are named as their states are)
        boolean unchanged = action.startsWith(UNCHANGED) && java.util.Arrays.stream(AlertState.values())
                .anyMatch(s -> s.sqlName().equals(action.substring(UNCHANGED.length())));
        String words = unchanged ? "Alert #%d is %s already; nothing changed." : DONE_WORDS.get(action);
        String state = unchanged ? action.substring(UNCHANGED.length()) : action;
        java.util.Optional<Alert> named = words == null ? java.util.Optional.empty() : shown.apply(Long.parseLong(m.group(2)))
                .filter(alert -> DONE_STATES.getOrDefault(state, any -> true).test(alert.state()));
        v.model.put("flash", named.map(alert -> String.format(Locale.ROOT, words, alert.id(), alert.state().sqlName()))
                .orElse(""));
    }

    /**
     * Where a triage form of alert {@code id} comes back to: the page it was posted from ({@code next}), else the
     * alert's own page ({@link #href}), which shows it in every state with its history (the Alerts list shows one
     * state), else, for an alert that does not exist, the Alerts list.
     */
    private String back(Context ctx, long id) {
        String next = ctx.formParam("next");
        if (next != null && !next.isBlank()) {
            return WebAuth.safeNext(next) + "#alert-" + id;
        }
        return context.benchmon().alertBook().find(id).map(a -> href(id)).orElse("/alerts");
    }

    /**
     * A triage form refused (400): a page of the dashboard saying why, HTML-escaped as every page is, with a link back
     * to where the form came from, as the dashboard's other pages name what they could not do on a page.
     */
    private void refused(Context ctx, String message, String back, String backLabel) {
        refused(ctx, HttpStatus.BAD_REQUEST, message, back, backLabel);
    }

    /** The refusal page with {@code status}: 400 for a form field, 409 for an action the alert's state refuses. */
    private void refused(Context ctx, HttpStatus status, String message, String back, String backLabel) {
        View v = view(ctx, "Triage refused", false);
        v.model.put("message", message);
        v.model.put("back", back);
        v.model.put("backLabel", backLabel);
        v.model.put("plotlyPath", Assets.PLOTLY_PATH);
        Dashboard.securityHeaders(ctx);
        ctx.status(status);
        ctx.html(templates.render("triage_refused", v.pageModel()));
    }

    private void triageLogin(Context ctx) {
        if (!sameOrigin(ctx)) {
            return;
        }
        if (alerting.triage().refused()) {
            refusedReadOnly(ctx);
            return;
        }
        String token = nz(ctx.formParam("token")).trim();
        String name = nz(ctx.formParam("actor")).trim();
        String next = WebAuth.safeNext(ctx.formParam("next"));
        boolean secure = WebAuth.secure(ctx);
        if (alerting.triage().requiresToken()) {
            if (!alerting.triage().allows(token)) {
                errorPage(ctx, HttpStatus.UNAUTHORIZED,
                        "token: not valid for triage; use the triage token (BENCHMON_TRIAGE_TOKEN) or the write token");
                return;
            }
            // A session id, not the token: the browser never keeps the write (or triage) token (see WebAuth.login).
            // A new id at each sign-in; the one this browser held ends.
            alerting.triage().closeSession(ctx.cookie(TriageAuth.COOKIE));
            var session = alerting.triage().openSession();
            if (session.isEmpty()) {
                errorPage(ctx, HttpStatus.SERVICE_UNAVAILABLE, Sessions.FULL);
                return;
            }
            ctx.cookie(new Cookie(TriageAuth.COOKIE, session.get(), "/",
                    (int) TriageAuth.SESSION_LIFETIME.toSeconds(), secure, true, null, SameSite.STRICT));
        }
        if (!name.isEmpty()) {
            ctx.cookie(new Cookie(ACTOR_COOKIE, URLEncoder.encode(name.length() > 100 ? name.substring(0, 100) : name,
                    StandardCharsets.UTF_8), "/", 365 * 24 * 3600, secure, true, null, SameSite.STRICT));
        }
        ctx.redirect(next, HttpStatus.SEE_OTHER);
    }

    /** Whether this browser may triage; answers 403 (and returns false) otherwise. */
    private boolean triageAllowed(Context ctx) {
        if (!sameOrigin(ctx)) {
            return false;
        }
        if (alerting.triage().refused()) {
            refusedReadOnly(ctx);
            return false;
        }
        if (!alerting.triage().allowsSession(ctx.cookie(TriageAuth.COOKIE))) {
            errorPage(ctx, HttpStatus.FORBIDDEN, "triage needs the triage or write token: enter it once on the Alerts view");
            return false;
        }
        return true;
    }

    /** Whether a form POST comes from this server's own pages ({@link SameOrigin}); answers 403 (and returns false) otherwise. */
    private boolean sameOrigin(Context ctx) {
        if (!SameOrigin.of(ctx, alerting.dashboardUrl())) {
            errorPage(ctx, HttpStatus.FORBIDDEN, "cross-origin triage refused: post the form from this server's own pages; "
                    + SameOrigin.refusal(ctx, alerting.dashboardUrl()));
            return false;
        }
        return true;
    }

    private static void refusedReadOnly(Context ctx) {
        errorPage(ctx, HttpStatus.FORBIDDEN, TriageAuth.READ_ONLY);
    }

    private String actor(Context ctx) {
        String c = ctx.cookie(ACTOR_COOKIE);
        String name;
        try {
            name = c == null ? "" : java.net.URLDecoder.decode(c, StandardCharsets.UTF_8).trim();
        } catch (IllegalArgumentException e) {
            name = ""; // not a cookie this server wrote (a bad %-escape): as if there were none
        }
        // A name PostgreSQL cannot store (a NUL) or that would mislead in the history is dropped the same way.
        return name.isEmpty() || dev.benchmon.ingest.TextRules.firstBadCharacter(name, false) != null ? "dashboard" : name;
    }

    // ---- series page ----------------------------------------------------------------------------

    private void series(Context ctx) {
        var info = seriesInfo(ctx);
        if (info == null) {
            return;
        }
        int id = info.id();
        View v = view(ctx, info.label(), false);
        List<RunRecords.Run> runs = records.runs(info, SERIES_RUNS);
        List<Alert> alerts = context.benchmon().alertBook().list(AlertFilter.all().withSeries(id));
        List<RunAnnotation> annotations = context.benchmon().annotations().ofSeries(id, 1000);
        TreeSet<String> metrics = new TreeSet<>();
        runs.forEach(r -> metrics.addAll(r.metrics().keySet()));
        dev.benchmon.Filter seriesFilter = dev.benchmon.Filter.all().withModels(info.modelVersion())
                .withDatasets(info.datasetVersion()).withPrompts(info.promptVersion()).withEnvironments(info.environment());
        List<String> charts = new ArrayList<>();
        int i = 0;
        List<NoteRow> changePoints = new ArrayList<>();
        // The units of this series' metrics only: one statement, whatever else the database holds.
        var units = context.benchmon().metricUnits(metrics);
        for (String m : metrics) {
            List<dev.benchmon.query.ChartMark> marks = context.benchmon().chartMarks(seriesFilter, m);
            charts.add(SeriesCharts.chart("series_chart_" + (i++), m, units, runs, alerts, annotations, marks));
            marks.stream().filter(k -> k.kind() == dev.benchmon.query.ChartMark.Kind.CHANGE_POINT).forEach(k ->
                    // The chart's hover names whole SHAs; the table, as every other, their first 12 characters.
                    changePoints.add(new NoteRow(Formats.minutes(k.at()), m, dev.benchmon.detect.CommitRange.shortenedIn(k.text()),
                            "", null)));
        }
        v.model.put("charts", !charts.isEmpty());
        v.model.put("seriesCharts", charts);
        v.model.put("series", info.label());
        v.model.put("seriesId", id);
        v.model.put("alerts", rows(v.links, alerts, false, true));
        v.model.put("changePoints", changePoints);
        v.model.put("metricNames", new ArrayList<>(metrics));
        v.model.put("runs", runRows(v.links, runs, metrics));
        v.model.put("annotations", annotations.stream().map(a -> new NoteRow(Formats.minutes(a.at()), a.kind(), a.text(),
                a.actor(), v.links.run(a.transactionId(), String.valueOf(a.transactionId())))).toList());
        List<NoteRow> mutes = new ArrayList<>();
        for (Mute m : context.benchmon().annotations().mutes(id, null)) {
            mutes.add(new NoteRow(Formats.minutes(m.startsAt()) + " – " + Formats.minutes(m.expiresAt())
                    + (m.endedAt() == null ? "" : " (ended " + Formats.minutes(m.endedAt()) + " by " + m.endedBy() + ")"),
                    m.metric() == null ? "all metrics" : m.metric(), m.reason(), m.actor(), null));
        }
        v.model.put("mutes", mutes);
        v.model.put("csvHref", "/series/" + id + "/runs.csv");
        render(ctx, v, "series");
    }

    private List<RunRow> runRows(LinkCells links, List<RunRecords.Run> runs, Set<String> metrics) {
        List<RunRow> rows = new ArrayList<>();
        for (RunRecords.Run r : runs) {
            Map<String, String> values = new java.util.LinkedHashMap<>();
            for (String m : metrics) {
                Double d = r.metrics().get(m);
                values.put(m, d == null ? "" : Formats.withStderr(d, r.stderr().get(m)));
            }
            rows.add(new RunRow(Formats.minutes(r.runAt()), links.run(r.id(), String.valueOf(r.id())),
                    links.commit(r.commitSha()), links.ciRun(r.runId()), nz(r.branch()), nz(r.triggeredBy()),
                    tags(r.tags()), nz(r.notes()), r.excluded(), nz(r.excludedReason()), values));
        }
        return rows;
    }

    private void seriesCsv(Context ctx) {
        var info = seriesInfo(ctx);
        if (info == null) {
            return;
        }
        int id = info.id();
        String csv = SeriesRunsCsv.of(records.runs(info, 100_000));
        Dashboard.securityHeaders(ctx);
        ctx.header("Content-Disposition", "attachment; filename=\"benchmon-series-" + id + ".csv\"");
        ctx.contentType("text/csv; charset=utf-8").result(csv);
    }

    // ---- run page -------------------------------------------------------------------------------

    private void run(Context ctx) {
        long id = id(ctx);
        RunRecords.Run r = records.run(id).orElse(null);
        if (r == null) {
            notFound(ctx, "run " + id);
            return;
        }
        var info = records.series(r.seriesId()).orElseThrow();
        View v = view(ctx, "Run " + id, false);
        v.model.put("runIdNum", id);
        v.model.put("series", v.links.series(info.label(), info.id()));
        v.model.put("runAt", Formats.seconds(r.runAt()));
        v.model.put("recordedAt", Formats.seconds(r.recordedAt()));
        v.model.put("commit", v.links.commit(r.commitSha()));
        v.model.put("ciRun", v.links.ciRun(r.runId()));
        v.model.put("branch", nz(r.branch()));
        v.model.put("triggeredBy", nz(r.triggeredBy()));
        v.model.put("tags", tags(r.tags()));
        v.model.put("notes", nz(r.notes()));
        v.model.put("provider", nz(r.modelProvider()));
        v.model.put("excluded", r.excluded());
        v.model.put("excludedReason", nz(r.excludedReason()));
        // An attempt a CI re-run superseded is read by its id (an alert's or a link's) but is no longer the run the
        // series, its baselines and detection use: said, with a link to the attempt that is.
        var superseded = records.supersededBy(id);
        superseded.ifPresent(sup -> {
            v.model.put("attempt", sup.attempt());
            v.model.put("latestAttempt", sup.latestAttempt());
            v.model.put("supersededBy", v.links.run(sup.latestId(), "run " + sup.latestId()));
        });
        // The engine's verdicts of the run (what it stored for it, else its judgement now: judgeStoredRun), not a
        // second baseline rule; asked only for a run the engine judges.
        String notJudged = notJudged(r, superseded.isPresent());
        Map<String, MetricVerdict> judged = new java.util.HashMap<>();
        if (notJudged == null) {
            context.benchmon().detection().judgeStoredRun(r.seriesId(), r.runAt(), id)
                    .ifPresent(rv -> rv.metrics().forEach(mv -> judged.put(mv.metric(), mv)));
        }
        List<Alert> runAlerts = context.benchmon().alertBook().forRuns(List.of(id));
        // A regression alert this run opened: its verdict is the alert, never "already alerted" (a push of several runs
        // stores the newest one's verdict without the alert flag, the shift being attributed to an earlier run of it).
        java.util.Set<String> openedHere = new java.util.HashSet<>();
        runAlerts.stream().filter(a -> a.transactionId() == id && "regression".equals(a.kind()))
                .forEach(a -> openedHere.add(a.metric()));
        List<MetricRow> metrics = new ArrayList<>();
        // Values, baselines and the verdicts' changes in the metrics' units, as `benchmon push` states them.
        var units = context.benchmon().metricUnits(r.metrics().keySet());
        r.metrics().forEach((m, value) -> {
            MetricVerdict mv = judged.get(m);
            String shown = units.withUnit(Formats.withStderr(value, r.stderr().get(m)), m);
            if (mv == null) {
                metrics.add(new MetricRow(m, shown, "", "", notJudged == null ? "not judged" : notJudged, false, ""));
                return;
            }
            MetricJudgement j = mv.judgement();
            boolean baseline = Double.isFinite(j.baseline());
            metrics.add(new MetricRow(m, shown,
                    baseline ? units.withUnit(Formats.number(j.baseline()), m) : "",
                    baseline ? Formats.change(j, mv.settings().proportion()) : "",
                    baseline ? String.valueOf(j.baselineRuns()) : "no baseline",
                    j.outcome() == Outcome.REGRESSION, verdict(mv, units, openedHere.contains(m))));
        });
        v.model.put("metrics", metrics);
        v.model.put("annotations", context.benchmon().annotations().ofRun(id).stream().map(a -> new NoteRow(
                Formats.minutes(a.at()), a.kind(), a.text(), a.actor(), null)).toList());
        v.model.put("alerts", rows(v.links, runAlerts, false, false));
        render(ctx, v, "run");
    }

    /**
     * Why the engine does not judge run {@code r}, or null when it does: an excluded run and an attempt a CI re-run
     * {@code superseded} are no run of their series' history (the one rule behind the page's words and whether it asks
     * the engine at all).
     */
    private static String notJudged(RunRecords.Run r, boolean superseded) {
        return r.excluded() ? "not judged: excluded" : superseded ? "not judged: superseded" : null;
    }

    /**
     * A metric's verdict in words: the outcome and the engine's explanation. A regression the engine did not alert on is
     * one whose shift an earlier run already reported (only a stored verdict, judged with the series' alert memory,
     * can say so): said, so the page does not show it as a new regression; unless this run opened the metric's alert
     * ({@code alertOpenedByRun}: a push of several runs opens it at its newest run). Other outcomes (an improvement, a missing
     * metric, a change of unknown direction) raise no regression alert, so their unset flag says nothing.
     */
    private static String verdict(MetricVerdict mv, MetricUnits units, boolean alertOpenedByRun) {
        MetricJudgement j = mv.judgement();
        boolean alreadyAlerted = j.outcome() == Outcome.REGRESSION && !j.alert() && !alertOpenedByRun;
        return j.outcome().jsonName() + (alreadyAlerted ? ", already alerted" : "")
                + ": " + units.inExplanation(mv.text(), mv.metric());
    }

    private void annotateRun(Context ctx) {
        if (!triageAllowed(ctx)) {
            return;
        }
        long id = id(ctx);
        try {
            String kind = nz(ctx.formParam("kind"));
            String given = nz(ctx.formParam("text"));
            // Including a run again needs no reason, as on the command line and in the API: their default text then.
            String text = "included".equals(kind) && given.isBlank() ? AlertEndpoints.INCLUDED_TEXT
                    : nz(AlertEndpoints.text("text", given, true));
            alerting.annotate(id, kind, text, actor(ctx));
        } catch (NotFoundException e) {
            errorPage(ctx, HttpStatus.NOT_FOUND, e.getMessage()); // the run (as the API answers: 404)
            return;
        } catch (StateConflictException e) {
            // a run that is not excluded, or is already: no form field was wrong, and the message says what to do
            refused(ctx, HttpStatus.CONFLICT, e.getMessage(), "/runs/" + id, "Back to the run");
            return;
        } catch (BenchmonException | ApiException e) {
            refused(ctx, FormRefusal.text(e), "/runs/" + id, "Back to the run");
            return;
        }
        ctx.redirect("/runs/" + id, HttpStatus.SEE_OTHER);
    }

    // ---- shared ---------------------------------------------------------------------------------

    /**
     * The page's view: the filter bar is hidden and its values do not apply, but they are known (the tab links carry
     * them here and on), as is {@code own}; any other parameter is ignored and named in the page's notice (status 200; a tracking
     * parameter silently). The Alerts view ({@code checksShared}), a tab, checks the values its tab links carry on as
     * the other tabs do (a value not understood is named, status 400, and left out of its links); the pages of a series
     * and of a run leave them as they came.
     */
    private View view(Context ctx, String title, boolean checksShared, String... own) {
        View v = new View(ctx, context.benchmon(), View.Tab.ALERTS, auth, List.of(own), checksShared);
        v.links = LinkCells.of(context, v);
        v.model.put("pageTitle", title);
        v.model.put("hideFilters", true);
        boolean needsToken = alerting.triage().requiresToken();
        v.model.put("triageReady", alerting.triage().allowsSession(ctx.cookie(TriageAuth.COOKIE)));
        v.model.put("triageNeedsToken", needsToken);
        v.model.put("triageRefused", alerting.triage().refused());
        v.model.put("actor", actor(ctx));
        // Where the page's forms come back to (the Alerts list puts the list it shows): unknown and tracking
        // parameters dropped, as the page's links drop them.
        v.model.put("next", v.here);
        return v;
    }

    private void render(Context ctx, View v, String template) {
        v.model.put("plotlyPath", Assets.PLOTLY_PATH);
        Dashboard.securityHeaders(ctx);
        ctx.status(v.problems.isEmpty() ? HttpStatus.OK : HttpStatus.BAD_REQUEST);
        ctx.html(templates.render(template, v.pageModel()));
    }

    /**
     * A triage form refused before anything was read (another site's form, no triage session, a read-only server): the
     * dashboard's error page with {@code status}, linking back to the Alerts view, where triage starts.
     */
    private static void errorPage(Context ctx, HttpStatus status, String message) {
        Dashboard.securityHeaders(ctx);
        ctx.status(status).html(dev.benchmon.server.http.ErrorPages.page(status.getCode(), message, "/alerts",
                "Back to the Alerts view"));
    }

    /**
     * A triage form naming an alert that does not exist: 404 (as the API answers), on the error page linking back to
     * the Alerts view; any other thing not found (no mute in force to end) is the form's refusal (400).
     */
    private void notFoundOrRefused(Context ctx, NotFoundException e, String back, String backLabel) {
        if (e.kind().equals("alert")) {
            errorPage(ctx, HttpStatus.NOT_FOUND, e.getMessage());
        } else {
            refused(ctx, FormRefusal.text(e, Map.of("reason", "comment")), back, backLabel);
        }
    }

    private static void notFound(Context ctx, String what) {
        ctx.status(HttpStatus.NOT_FOUND).html(dev.benchmon.server.http.ErrorPages.page(404, what + " not found"));
    }

    /** The series the path names, or {@code null} after answering 404. */
    private RunRecords.SeriesInfo seriesInfo(Context ctx) {
        long id = id(ctx);
        // Series ids are ints: a larger id names no series (a cast would wrap it onto another one).
        var info = id < Integer.MIN_VALUE || id > Integer.MAX_VALUE ? null : records.series((int) id).orElse(null);
        if (info == null) {
            notFound(ctx, "series " + id);
        }
        return info;
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new io.javalin.http.BadRequestResponse("id must be a whole number");
        }
    }

    /** A run's tags as the series page shows them: {@code k=v, k2=v2}. */
    static String tags(Map<String, String> tags) {
        List<String> out = new ArrayList<>();
        tags.forEach((k, val) -> out.add(k + "=" + val));
        return String.join(", ", out);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
