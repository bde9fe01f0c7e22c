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
     * The keys a settings file may hold, as {@code serve --help} lists them: a file naming any other is refused at
     * start ({@code BENCHMON_WEBHOK_URL} would otherwise leave the webhook silently off).
     */
    public static final java.util.List<String> FILE_KEYS = java.util.List.of(NotifierSettings.WEBHOOK_URL,
            NotifierSettings.WEBHOOK_SECRET, NotifierSettings.SLACK_URL, TRIAGE_TOKEN, Links.REPO_URL, Links.CI_URL,
            NotifierSettings.PUBLIC_URL, NotifierSettings.NOTIFY_RESOLVED);

    /**
     * From the environment, overridden by the same keys in a settings file (Java properties:
     * {@code BENCHMON_WEBHOOK_URL=...}) when {@code file} is not {@code null}.
     *
     * @throws ConfigurationException when the file cannot be read, or names a key not in {@link #FILE_KEYS}
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
            String unknown = dev.benchmon.server.Tokens.unknownKeys(p.stringPropertyNames(), FILE_KEYS,
                    k -> k.startsWith("BENCHMON_"));
            if (unknown != null) {
                throw new ConfigurationException("the settings file " + file + " " + unknown);
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
