package dev.benchmon.server.alert;

import dev.benchmon.ConfigurationException;
import dev.benchmon.alert.Links;
import dev.benchmon.alert.NotifierSettings;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The server's alert settings.
 *
 * @param notifier    webhook, Slack and dashboard link settings
 * @param links       commit and CI run links ({@code --repo-url}, {@code --ci-url})
 * @param triageToken token that may triage (change alert states, annotate runs, mute) besides the write
 *                    token ({@code BENCHMON_TRIAGE_TOKEN}), or {@code null}
 */
public record AlertSettings(NotifierSettings notifier, Links links, String triageToken) {
    public static final String TRIAGE_TOKEN = "BENCHMON_TRIAGE_TOKEN";

    public AlertSettings {
        notifier = notifier == null ? NotifierSettings.none() : notifier;
        links = links == null ? Links.none() : links;
        triageToken = triageToken == null || triageToken.isBlank() ? null : triageToken.trim();
    }

    /** No notifications, no links, no triage token. */
    public static AlertSettings none() {
        return new AlertSettings(NotifierSettings.none(), Links.none(), null);
    }

    /**
     * From the environment, overridden by the same keys in a settings file (Java properties:
     * {@code BENCHMON_WEBHOOK_URL=...}) when {@code file} is not {@code null}.
     */
    public static AlertSettings from(Map<String, String> env, Path file) {
        Map<String, String> keys = new HashMap<>(env);
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new ConfigurationException("cannot read the settings file " + file + ": " + e.getMessage());
            }
            p.stringPropertyNames().forEach(k -> keys.put(k, p.getProperty(k)));
        }
        return new AlertSettings(NotifierSettings.from(keys), new Links(keys.get(Links.REPO_URL), keys.get(Links.CI_URL)),
                keys.get(TRIAGE_TOKEN));
    }

    public AlertSettings withNotifier(NotifierSettings value) {
        return new AlertSettings(value, links, triageToken);
    }

    public AlertSettings withLinks(Links value) {
        return new AlertSettings(notifier, value, triageToken);
    }

    public AlertSettings withTriageToken(String value) {
        return new AlertSettings(notifier, links, value);
    }

    @Override
    public String toString() {
        return "AlertSettings[" + notifier + ", links=" + links + ", triage=" + (triageToken == null ? "none" : "****") + "]";
    }
}
