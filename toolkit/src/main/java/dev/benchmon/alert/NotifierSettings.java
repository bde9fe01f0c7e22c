package dev.benchmon.alert;

import dev.benchmon.ConfigurationException;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Where and how alerts are announced.
 *
 * @param webhookUrl     generic JSON webhook ({@code BENCHMON_WEBHOOK_URL}), or {@code null}
 * @param webhookSecret  shared secret for the HMAC-SHA256 signature ({@code BENCHMON_WEBHOOK_SECRET}), or {@code null}
 * @param slackUrl       Slack-compatible incoming webhook ({@code BENCHMON_SLACK_WEBHOOK_URL}), or {@code null}
 * @param dashboardUrl   base URL of the dashboard for links back ({@code BENCHMON_PUBLIC_URL}), or {@code null}
 * @param maxAttempts    attempts per message before giving up (1 to 20)
 * @param firstRetryDelay delay before the second attempt; doubled for every further one
 * @param minInterval    least time between two messages to one channel: pushes arriving meanwhile are
 *                       grouped into the next message (rate limit)
 * @param notifyResolved also announce alerts that resolved by themselves
 */
public record NotifierSettings(URI webhookUrl, String webhookSecret, URI slackUrl, String dashboardUrl, int maxAttempts,
                               Duration firstRetryDelay, Duration minInterval, boolean notifyResolved) {
    /** Environment (or settings-file) keys. */
    public static final String WEBHOOK_URL = "BENCHMON_WEBHOOK_URL";
    public static final String WEBHOOK_SECRET = "BENCHMON_WEBHOOK_SECRET";
    public static final String SLACK_URL = "BENCHMON_SLACK_WEBHOOK_URL";
    public static final String PUBLIC_URL = "BENCHMON_PUBLIC_URL";
    public static final String NOTIFY_RESOLVED = "BENCHMON_NOTIFY_RESOLVED";

    public NotifierSettings {
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new ConfigurationException("notification attempts must be from 1 to 20, got " + maxAttempts);
        }
        firstRetryDelay = firstRetryDelay == null ? Duration.ofSeconds(1) : firstRetryDelay;
        minInterval = minInterval == null ? Duration.ofSeconds(2) : minInterval;
        if (dashboardUrl != null && !dashboardUrl.isBlank() && !dashboardUrl.endsWith("/")) {
            dashboardUrl = dashboardUrl + "/";
        }
    }

    /**
     * This, refused when its dashboard URL is set and no http(s) URL with a host: {@code benchmon.example.com} without
     * its scheme made every link of alerts, notifications and push's output a relative path
     * ({@code benchmon.example.com/alerts/3}). Checked once the URL is final ({@code serve}: after {@code --public-url}
     * replaced {@code BENCHMON_PUBLIC_URL}, which a bad variable must not prevent).
     *
     * @throws ConfigurationException naming the setting and the URL
     */
    public NotifierSettings requireHttpDashboardUrl() {
        if (dashboardUrl == null || dashboardUrl.isBlank()) {
            return this;
        }
        URI u;
        try {
            u = URI.create(dashboardUrl.strip());
        } catch (IllegalArgumentException e) {
            u = null;
        }
        // The raw authority, not getHost(): a host with '_' (a compose service, benchmon_web) has no host to java.net.URI.
        if (u == null || !"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme())
                || u.getRawAuthority() == null || u.getRawAuthority().isBlank()) {
            throw new ConfigurationException("the public URL (--public-url or " + PUBLIC_URL + ") must be an http:// or "
                    + "https:// URL with a host, e.g. https://benchmon.example.com, got '" + dashboardUrl.strip() + "'");
        }
        return this;
    }

    /** No channels: nothing is sent. */
    public static NotifierSettings none() {
        return new NotifierSettings(null, null, null, null, 5, Duration.ofSeconds(1), Duration.ofSeconds(2), false);
    }

    /** The channels the keys name (environment variables, or the same keys in the server's settings file). */
    public static NotifierSettings from(Map<String, String> keys) {
        return new NotifierSettings(url(keys, WEBHOOK_URL), blankToNull(keys.get(WEBHOOK_SECRET)), url(keys, SLACK_URL),
                blankToNull(keys.get(PUBLIC_URL)), 5, Duration.ofSeconds(1), Duration.ofSeconds(2),
                notifyResolved(keys.get(NOTIFY_RESOLVED)));
    }

    /** {@code BENCHMON_NOTIFY_RESOLVED}: true or false (any case), false when unset or empty; anything else is refused. */
    private static boolean notifyResolved(String value) {
        String v = blankToNull(value);
        if (v == null || v.strip().equalsIgnoreCase("false")) {
            return false;
        }
        if (v.strip().equalsIgnoreCase("true")) {
            return true;
        }
        // "yes" or "1" read as false, silently: the resolved notifications someone asked for never came.
        throw new ConfigurationException(NOTIFY_RESOLVED + " must be true or false, got '" + v.strip() + "'");
    }

    /** Whether any channel is configured. */
    public boolean enabled() {
        return webhookUrl != null || slackUrl != null;
    }

    public NotifierSettings withDashboardUrl(String value) {
        return new NotifierSettings(webhookUrl, webhookSecret, slackUrl, value, maxAttempts, firstRetryDelay, minInterval,
                notifyResolved);
    }

    public NotifierSettings withRetries(int attempts, Duration firstDelay) {
        return new NotifierSettings(webhookUrl, webhookSecret, slackUrl, dashboardUrl, attempts, firstDelay, minInterval,
                notifyResolved);
    }

    public NotifierSettings withMinInterval(Duration value) {
        return new NotifierSettings(webhookUrl, webhookSecret, slackUrl, dashboardUrl, maxAttempts, firstRetryDelay, value,
                notifyResolved);
    }

    public NotifierSettings withNotifyResolved(boolean value) {
        return new NotifierSettings(webhookUrl, webhookSecret, slackUrl, dashboardUrl, maxAttempts, firstRetryDelay,
                minInterval, value);
    }

    private static URI url(Map<String, String> keys, String key) {
        String v = blankToNull(keys.get(key));
        if (v == null) {
            return null;
        }
        try {
            URI u = URI.create(v);
            if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key + " must be an http:// or https:// URL, got '" + Redaction.target(v) + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Never shows the secret or the URLs' paths (Slack puts its secret in the path). */
    @Override
    public String toString() {
        return "NotifierSettings[webhook=" + (webhookUrl == null ? "none" : Redaction.target(webhookUrl.toString()))
                + (webhookSecret == null ? "" : " signed") + ", slack=" + (slackUrl == null ? "none"
                : Redaction.target(slackUrl.toString())) + "]";
    }
}
