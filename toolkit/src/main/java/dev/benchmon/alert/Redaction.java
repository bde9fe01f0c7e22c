package dev.benchmon.alert;

import java.net.URI;

/** Webhook URLs carry secrets in their paths (Slack's do): logs and the delivery log keep scheme, host and port only. */
final class Redaction {
    private Redaction() {
    }

    static String target(String url) {
        try {
            URI u = URI.create(url);
            if (u.getHost() == null) {
                return "(invalid URL)";
            }
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + "/…";
        } catch (IllegalArgumentException e) {
            return "(invalid URL)";
        }
    }
}
