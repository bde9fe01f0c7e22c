package dev.benchmon.server.alert;

import dev.benchmon.Benchmon;
import dev.benchmon.alert.Alert;
import dev.benchmon.alert.AlertChange;
import dev.benchmon.alert.AlertMessages;
import dev.benchmon.alert.Annotations;
import dev.benchmon.alert.DeliveryLog;
import dev.benchmon.alert.Links;
import dev.benchmon.alert.Notifier;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;
import java.util.function.Supplier;

/**
 * What the server's handlers share about alerts: the settings, the notifier (one background thread),
 * the links and the dashboard's base URL.
 */
public final class Alerting implements AutoCloseable {
    private final Benchmon benchmon;
    private final AlertSettings settings;
    private final Supplier<String> serverUrl;
    private final Notifier notifier;
    private final TriageAuth triage;

    public Alerting(Benchmon benchmon, AlertSettings settings, Supplier<String> serverUrl,
                    dev.benchmon.server.Tokens tokens) {
        this.benchmon = benchmon;
        this.settings = settings;
        this.serverUrl = serverUrl;
        this.notifier = new Notifier(settings.notifier(), settings.links(), benchmon.alertBook(),
                new DeliveryLog(benchmon.jdbi()), serverUrl);
        this.triage = new TriageAuth(tokens, settings.triageToken());
    }

    /** Alerting with no channels (for the dashboard alone, in tests). */
    public static Alerting disabled(Benchmon benchmon, dev.benchmon.server.Tokens tokens) {
        return new Alerting(benchmon, AlertSettings.none(), () -> "http://127.0.0.1/", tokens);
    }

    public AlertSettings settings() {
        return settings;
    }

    public Links links() {
        return settings.links();
    }

    public Notifier notifier() {
        return notifier;
    }

    public TriageAuth triage() {
        return triage;
    }

    /** The dashboard's base URL, ending in a slash: the public URL when set, else the server's. */
    public String dashboardUrl() {
        String configured = notifier.settings().dashboardUrl();
        return configured != null ? configured : serverUrl.get();
    }

    /** Announces what a push changed (in the background). */
    public void announce(List<AlertChange> changes) {
        notifier.submit(changes);
    }

    /**
     * Annotates a run ({@link dev.benchmon.alert.Annotations#annotate}); an open alert that including the run again
     * reopened, or excluding the run that resolved it, is announced as one a push opened (a regression someone must
     * look at again). An alert the exclusion
     * resolved is not: that is a person's triage, as a resolve by hand, not a resolution by itself. Every triage path
     * (API, dashboard) annotates through here.
     */
    public Annotations.Annotated annotate(long run, String kind, String text, String actor) {
        Annotations.Annotated a = benchmon.annotations().annotate(run, kind, text, actor);
        announce(a.alerts().stream().filter(c -> AlertChange.REOPENED.equals(c.change())).toList());
        return a;
    }

    /**
     * Ends a series' mutes early ({@link dev.benchmon.alert.Annotations#unmute}); the alerts they silenced that open
     * again are announced, as those a mute's expiry opens are. Every triage path (API, dashboard) unmutes through here.
     */
    public Annotations.Unmuted unmute(int seriesId, String metric, String reason, String actor) {
        return unmute(seriesId, metric, reason, actor, null, "api");
    }

    /**
     * {@link #unmute(int, String, String, String)} that also opens the muted alert {@code alertId}, all or nothing;
     * that alert is not announced ({@link AlertChange#UNMUTED}: a person's triage, as an alert's own unmute).
     */
    public Annotations.Unmuted unmute(int seriesId, String metric, String reason, String actor, Long alertId,
                                      String source) {
        return announceOpened(benchmon.annotations().unmute(seriesId, metric, reason, actor, alertId, source));
    }

    /**
     * Ends the mutes in force that cover one metric of a series ({@link Annotations#unmuteCovering}), announcing the
     * alerts they silenced that open again.
     */
    public Annotations.Unmuted unmuteCovering(int seriesId, String metric, String reason, String actor, String source) {
        return announceOpened(benchmon.annotations().unmuteCovering(seriesId, metric, reason, actor, source));
    }

    /**
     * Unmutes an alert ({@link dev.benchmon.alert.Alerts#unmuteAlert}): the series mutes its own mute created end with
     * it, and the other alerts they silenced that open again are announced, as at a mute's expiry; the alert itself,
     * a person's triage, is not.
     */
    public dev.benchmon.alert.Alerts.Unmuted unmuteAlert(long alertId, String actor, String comment, String source) {
        dev.benchmon.alert.Alerts.Unmuted u = benchmon.alertBook().unmuteAlert(alertId, actor, comment, source);
        announceOpened(u.alerts());
        return u;
    }

    /**
     * Changes an alert's state ({@link dev.benchmon.alert.Alerts#triage}): a muted alert taken out of its mute ends the
     * series mutes its own mute created, and the other alerts they alone silenced that open again are announced, as at
     * a mute's expiry; the alert itself, a person's triage, is not. Every triage path (API, dashboard) changes states
     * through here.
     */
    public dev.benchmon.alert.Alerts.Triaged changeState(long alertId, dev.benchmon.alert.AlertState state, String actor,
                                                         String comment, String source) {
        dev.benchmon.alert.Alerts.Triaged t = benchmon.alertBook().triage(alertId, state, actor, comment, source);
        announceOpened(t.alerts());
        return t;
    }

    /** Announces the alerts the mutes' end opened; an alert a person unmuted along with them is triage, not news. */
    private Annotations.Unmuted announceOpened(Annotations.Unmuted u) {
        announceOpened(u.alerts());
        return u;
    }

    /** Announces the alerts among {@code changes} that ended mutes opened ({@link AlertChange#OPENED}). */
    private void announceOpened(List<AlertChange> changes) {
        announce(changes.stream().filter(c -> AlertChange.OPENED.equals(c.change())).toList());
    }

    /** Alerts as the API's JSON array. */
    public ArrayNode json(List<Alert> alerts) {
        return AlertMessages.json(alerts, dashboardUrl(), settings.links());
    }

    public Benchmon benchmon() {
        return benchmon;
    }

    @Override
    public void close() {
        notifier.close();
    }
}
